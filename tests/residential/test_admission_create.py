"""Taking a person into a facility: kinds, fees, capacity, one stay at a time, the case timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.residential.models import Admission
from tests.factories import PersonFactory
from tests.residential.conftest import fill, make_facility

pytestmark = pytest.mark.django_db


def test_it_admits_a_person_and_audits_it(home, staff, adult, admit):
    a = admit(adult, home, actor=staff, decision_number="15/QĐ-BTXH", decided_by="Nguyễn Văn Bình")
    assert a.is_open and a.facility == home and a.kind == "state" and a.version == 1
    entry = AuditEntry.objects.get(action="residence.admitted", object_id=str(a.pk))
    assert entry.actor == staff and entry.person_id == adult.pk and entry.changes["facility"] == home.pk


def test_it_refuses_a_second_open_stay_for_the_same_person(home, other_home, adult, admit):
    first = admit(adult, home)
    with pytest.raises(ValidationError) as exc:
        admit(adult, other_home)
    assert home.name in exc.value.message_dict["person"][0]
    assert Admission.objects.filter(person=adult).count() == 1
    assert first.is_open


def test_the_database_allows_one_open_stay_per_person(home, other_home, adult, admit):
    first = admit(adult, home)
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.create(person=adult, facility=other_home, kind="state", admitted_on=first.admitted_on,
                                 reason="Bỏ qua dịch vụ")


def test_a_new_stay_may_begin_the_day_the_last_one_ended_but_not_before(home, other_home, adult, admit, cast):
    from ctxh.residential import services

    first = admit(adult, home, admitted_on=timezone.localdate() - dt.timedelta(days=100))
    left = timezone.localdate() - dt.timedelta(days=10)
    services.resident_discharge(actor=cast.director, admission=first, discharged_on=left, reason="transferred",
                                transferred_to=other_home)
    with pytest.raises(ValidationError) as exc:
        admit(adult, other_home, admitted_on=left - dt.timedelta(days=1))
    assert "admitted_on" in exc.value.message_dict
    second = admit(adult, other_home, admitted_on=left)
    assert second.is_open


def test_voluntary_paid_care_needs_a_fee_and_a_payer(home, elder, admit):
    with pytest.raises(ValidationError) as exc:
        admit(elder, home, kind="voluntary_paid")
    assert set(exc.value.message_dict) >= {"monthly_fee", "payer_name"}
    a = admit(elder, home, kind="voluntary_paid", monthly_fee=4_000_000, contract_number="HĐ-01",
              payer_name="Hoàng Văn Hải")
    assert a.monthly_fee == 4_000_000 and a.payer_name == "Hoàng Văn Hải"


@pytest.mark.parametrize("kind", ["state", "temporary"])
def test_a_fee_is_refused_unless_the_care_is_voluntary_paid(home, adult, admit, kind):
    with pytest.raises(ValidationError) as exc:
        admit(adult, home, kind=kind, monthly_fee=3_000_000, contract_number="HĐ-02", payer_name="Ai đó")
    assert set(exc.value.message_dict) >= {"monthly_fee", "contract_number", "payer_name"}
    assert not Admission.objects.exists()


def test_the_database_refuses_a_fee_on_state_care(home, adult):
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.create(person=adult, facility=home, kind="state", admitted_on=dt.date(2026, 1, 5),
                                 reason="x", monthly_fee=100)


def test_voluntary_paid_care_is_for_the_elderly_by_the_rule_row(home, adult, admit):
    with pytest.raises(ValidationError) as exc:
        admit(adult, home, kind="voluntary_paid", monthly_fee=3_000_000, payer_name="Đinh Văn Lâm")
    assert "60" in exc.value.message_dict["kind"][0]


def test_a_full_facility_refuses_with_the_numbers(home, geo, admit, adult):
    fill(home, 3, geo, admit)
    with pytest.raises(ValidationError) as exc:
        admit(adult, home)
    message = exc.value.message_dict["facility"][0]
    assert "đủ chỗ" in message and "3 người" in message and "3 chỗ" in message
    assert not Admission.objects.filter(person=adult).exists()


def test_a_place_freed_by_a_discharge_can_be_taken(home, geo, admit, adult, cast):
    from ctxh.residential import services

    people = fill(home, 3, geo, admit)
    services.resident_discharge(actor=cast.director, admission=people[0], discharged_on=timezone.localdate(),
                                reason="returned_family")
    assert admit(adult, home).is_open


def test_a_director_may_admit_over_capacity_with_a_reason(home, geo, admit, adult, cast):
    fill(home, 3, geo, admit)
    a = admit(adult, home, over_capacity_reason="Trẻ bị bỏ rơi ban đêm, không còn cơ sở nào nhận.")
    assert a.over_capacity_reason.startswith("Trẻ bị bỏ rơi")
    entry = AuditEntry.objects.get(action="residence.admitted", object_id=str(a.pk))
    assert entry.changes["over_capacity_reason"].startswith("Trẻ bị bỏ rơi")


def test_facility_staff_may_not_overrule_the_capacity(home, geo, admit, adult, staff):
    fill(home, 3, geo, admit)
    with pytest.raises(ValidationError) as exc:
        admit(adult, home, actor=staff, over_capacity_reason="Khẩn cấp")
    assert "lãnh đạo" in exc.value.message_dict["over_capacity_reason"][0]


def test_unknown_capacity_never_refuses(geo, admit, adult):
    home = make_facility(geo, "Mái ấm chưa khai báo số chỗ", capacity=None)
    assert admit(adult, home).is_open


def test_it_refuses_a_provider_without_residential_care(geo, admit, adult):
    clinic = make_facility(geo, "Phòng khám tư vấn tâm lý", residential=False)
    with pytest.raises(ValidationError) as exc:
        admit(adult, clinic)
    assert "không phải cơ sở có nuôi dưỡng" in exc.value.message_dict["facility"][0]


def test_it_refuses_future_dates_and_a_missing_reason(home, adult, admit):
    with pytest.raises(ValidationError) as exc:
        admit(adult, home, admitted_on=timezone.localdate() + dt.timedelta(days=1), reason=" ")
    assert set(exc.value.message_dict) >= {"admitted_on", "reason"}


def test_it_refuses_a_person_recorded_as_dead(home, geo, admit):
    dead = PersonFactory(full_name="Trần Văn Mất", commune=geo["c1"], status="deceased", death_date=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        admit(dead, home)
    assert "đã mất" in exc.value.message_dict["person"][0]


def test_staff_of_another_facility_get_404_and_case_workers_403(home, adult, admit, other_staff, cast):
    with pytest.raises(Http404):
        admit(adult, home, actor=other_staff)
    with pytest.raises(PermissionDenied):
        admit(adult, home, actor=cast.caseworker)
    with pytest.raises(PermissionDenied):
        admit(adult, home, actor=cast.collaborator)


def test_a_linked_case_gets_a_residence_event(home, adult, admit, cast):
    from ctxh.cases.models import Case, CaseEvent, CaseType
    from ctxh.cases.services import case_open

    case = case_open(actor=cast.caseworker, case_type=CaseType.objects.get(code="general"), person=adult,
                     summary="Người không nơi nương tựa.", source="walk_in", reported_at=timezone.now())
    a = admit(adult, home, case=case)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.RESIDENCE)
    assert event.data["action"] == "admitted" and event.data["facility"] == home.name
    assert event.data["admission"] == a.pk and event.actor == cast.director
    assert Case.objects.get(pk=case.pk).admissions.get() == a


def test_a_case_of_someone_else_is_refused(home, adult, child, admit, cast):
    from ctxh.cases.models import CaseType
    from ctxh.cases.services import case_open

    case = case_open(actor=cast.caseworker, case_type=CaseType.objects.get(code="general"), person=child,
                     summary="Trẻ cần chăm sóc.", source="walk_in", reported_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        admit(adult, home, case=case)
    assert "người khác" in exc.value.message_dict["case"][0]


def test_voluntary_paid_care_without_an_age_rule_in_force_is_refused_not_waved_through(home, elder, admit):
    from ctxh.core.models import Rule

    Rule.objects.filter(key="residential.voluntary_paid_min_age").delete()
    with pytest.raises(ValidationError) as exc:
        admit(elder, home, kind="voluntary_paid", monthly_fee=4_000_000, payer_name="Đinh Văn Lâm")
    assert "Chưa có quy định tuổi tối thiểu" in exc.value.message_dict["kind"][0]
    assert not Admission.objects.filter(person=elder).exists()
