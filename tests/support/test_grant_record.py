"""Recording a grant: recipient, legal minimums, funding, the case timeline, the audit log, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.cases.models import CaseEvent
from ctxh.support.models import Allocation, Grant
from tests.support.conftest import term

D = dt.date


def test_it_records_a_livelihood_grant_for_a_household_with_its_place(record_grant, households, geo):
    grant = record_grant(household=households["h1"])
    assert (grant.amount, grant.household, grant.person, grant.commune) == (5_000_000, households["h1"], None, geo["c1"])
    entry = AuditEntry.objects.get(action="support.grant_recorded", object_id=str(grant.pk))
    assert entry.changes["amount"] == 5_000_000 and entry.actor.username == "caseworker"


def test_a_grant_goes_to_a_person_or_a_household_never_both_nor_neither(record_grant, people, households):
    with pytest.raises(ValidationError) as both:
        record_grant(person=people["han"], household=households["h1"])
    assert "chỉ một trong hai" in both.value.message_dict["person"][0]
    with pytest.raises(ValidationError):
        record_grant()
    assert not Grant.objects.exists()


def test_the_database_refuses_a_grant_with_both_recipients(record_grant, people, households):
    grant = record_grant(person=people["han"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(household=households["h1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(person=None)


def test_funeral_support_below_the_minimum_on_the_event_date_is_refused(record_grant, people):
    with pytest.raises(ValidationError) as exc:
        record_grant(person=people["han"], kind=term("support_kind", "emergency_funeral"), amount=7_200_000,
                     event_date=D(2024, 7, 2), given_on=D(2024, 7, 10))
    message = exc.value.message_dict["amount"][0]
    assert "10.000.000 ₫" in message and "không được thấp hơn" in message
    assert not Grant.objects.exists()


def test_funeral_support_for_a_death_before_july_2024_uses_the_old_base_level(record_grant, people):
    grant = record_grant(person=people["han"], kind=term("support_kind", "emergency_funeral"), amount=7_200_000,
                         event_date=D(2024, 6, 28), given_on=D(2024, 7, 10))
    assert grant.calculation["amount"] == 7_200_000
    assert grant.calculation["on"] == "2024-06-28"


def test_more_than_the_minimum_is_accepted(record_grant, people):
    grant = record_grant(person=people["han"], kind=term("support_kind", "emergency_injury"), amount=8_000_000,
                         event_date=D(2025, 9, 1), given_on=D(2025, 9, 3))
    assert grant.amount == 8_000_000 and grant.calculation["amount"] == 5_000_000


def test_emergency_support_needs_the_event_date(record_grant, people):
    with pytest.raises(ValidationError) as exc:
        record_grant(person=people["han"], kind=term("support_kind", "housing_repair"), amount=20_000_000)
    assert "ngày xảy ra sự việc" in exc.value.message_dict["event_date"][0]


def test_rice_is_counted_in_kg_for_the_people_and_months(record_grant, households):
    kind = term("support_kind", "emergency_rice")
    with pytest.raises(ValidationError) as exc:
        record_grant(household=households["h1"], kind=kind, amount=None, quantity=60, persons_count=2, months=3,
                     event_date=D(2025, 9, 20), given_on=D(2025, 9, 25))
    assert "90 kg" in exc.value.message_dict["quantity"][0]
    grant = record_grant(household=households["h1"], kind=kind, amount=None, quantity=90, persons_count=2, months=3,
                         event_date=D(2025, 9, 20), given_on=D(2025, 9, 25))
    assert (grant.item.code, grant.unit, grant.quantity) == ("rice", "kg", 90)


def test_goods_need_an_item_and_a_quantity(record_grant, people):
    with pytest.raises(ValidationError) as exc:
        record_grant(person=people["han"], kind=term("support_kind", "goods"), amount=None)
    assert "item" in exc.value.message_dict
    grant = record_grant(person=people["han"], kind=term("support_kind", "goods"), amount=None,
                         item=term("support_item", "sewing_machine"), quantity=1)
    assert grant.unit == "chiếc"


def test_project_funding_needs_the_project_name(record_grant, people):
    with pytest.raises(ValidationError) as exc:
        record_grant(person=people["binh"], kind=term("support_kind", "scholarship"), amount=3_600_000,
                     funding=term("funding_source_kind", "project"))
    assert "project_name" in exc.value.message_dict
    grant = record_grant(person=people["binh"], kind=term("support_kind", "scholarship"), amount=3_600_000,
                         funding=term("funding_source_kind", "project"), project_name="Học bổng vượt khó")
    assert grant.project_name == "Học bổng vượt khó"


def test_a_grant_from_a_donation_draws_an_allocation_and_lowers_what_remains(record_grant, cast, households, heifers):
    grant = record_grant(actor=cast.director, household=households["h1"], kind=term("support_kind", "goods"),
                         amount=None, quantity=2, funding=term("funding_source_kind", "donation"), donation=heifers)
    heifers.refresh_from_db()
    assert heifers.remaining == 998
    assert grant.item.code == "heifer" and grant.allocation.quantity == 2
    assert grant.allocation.household == households["h1"]


def test_a_grant_from_a_donation_cannot_exceed_what_remains(record_grant, cast, households, heifers):
    with pytest.raises(ValidationError) as exc:
        record_grant(actor=cast.director, household=households["h1"], kind=term("support_kind", "goods"),
                     amount=None, quantity=1001, funding=term("funding_source_kind", "donation"), donation=heifers)
    assert "chỉ còn 1.000 con" in exc.value.message_dict["quantity"][0]
    assert not Grant.objects.exists() and not Allocation.objects.exists()


def test_drawing_on_a_donation_needs_the_donation_capability(record_grant, cast, households, heifers):
    with pytest.raises(PermissionDenied):
        record_grant(actor=cast.collaborator, household=households["h1"], kind=term("support_kind", "goods"),
                     amount=None, quantity=1, funding=term("funding_source_kind", "donation"), donation=heifers)


def test_a_grant_on_a_case_lands_on_the_case_timeline(record_grant, cast, people):
    from ctxh.cases import services as case_services
    from ctxh.cases.models import CaseType

    case = case_services.case_open(actor=cast.caseworker, case_type=CaseType.objects.get(code="general"),
                                   person=people["han"], summary="Hoàn cảnh khó khăn", source="walk_in",
                                   reported_at=timezone.now())
    grant = record_grant(person=people["han"], case=case)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SUPPORT_GIVEN)
    assert event.data["grant"] == grant.pk and event.data["amount"] == 5_000_000
    assert event.data["kind_name"] == "Hỗ trợ sinh kế"


def test_a_case_of_someone_else_is_refused(record_grant, cast, people):
    from ctxh.cases import services as case_services
    from ctxh.cases.models import CaseType

    case = case_services.case_open(actor=cast.caseworker, case_type=CaseType.objects.get(code="general"),
                                   person=people["an"], summary="Khó khăn", source="walk_in",
                                   reported_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        record_grant(person=people["han"], case=case)
    assert "case" in exc.value.message_dict


def test_a_date_in_the_future_is_refused(record_grant, people):
    with pytest.raises(ValidationError) as exc:
        record_grant(person=people["han"], given_on=timezone.localdate() + dt.timedelta(days=3))
    assert "chưa đến" in exc.value.message_dict["given_on"][0]


def test_a_collaborator_cannot_give_to_someone_of_another_commune(record_grant, cast, people):
    with pytest.raises(Http404):
        record_grant(actor=cast.collaborator2, person=people["han"])
    grant = record_grant(actor=cast.collaborator, person=people["han"])
    assert grant.recorded_by == cast.collaborator


@pytest.mark.parametrize("who", ["statistician", "facility", "counsellor", "outsider"])
def test_roles_without_the_capability_cannot_record_grants(record_grant, cast, people, who):
    with pytest.raises(PermissionDenied):
        record_grant(actor=cast[who], person=people["han"])
