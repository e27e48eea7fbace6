"""A resident leaves: dates, reasons, transfers, the case timeline, and a stale form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core.exceptions import ConflictError
from ctxh.residential import services
from ctxh.residential.models import Admission

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_it_discharges_and_the_place_is_free_again(home, adult, admit, staff):
    from ctxh.residential.selectors import open_count

    a = admit(adult, home)
    assert open_count(home) == 1
    done = services.resident_discharge(actor=staff, admission=a, discharged_on=TODAY(), reason="returned_family",
                                       decision="20/QĐ-BTXH", expected_version=a.version)
    assert done.discharged_on == TODAY() and done.discharge_reason == "returned_family" and done.version == 2
    assert open_count(home) == 0
    entry = AuditEntry.objects.get(action="residence.discharged")
    assert entry.actor == staff and entry.changes["discharge_reason"] == [None, "returned_family"]


def test_it_refuses_a_discharge_before_the_admission_or_in_the_future(home, adult, admit, cast):
    a = admit(adult, home)
    with pytest.raises(ValidationError) as exc:
        services.resident_discharge(actor=cast.director, admission=a, reason="left",
                                    discharged_on=a.admitted_on - dt.timedelta(days=1))
    assert "trước ngày tiếp nhận" in exc.value.message_dict["discharged_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.resident_discharge(actor=cast.director, admission=a, reason="left",
                                    discharged_on=TODAY() + dt.timedelta(days=1))
    assert "tương lai" in exc.value.message_dict["discharged_on"][0]
    assert Admission.objects.get(pk=a.pk).is_open


def test_the_database_refuses_a_discharge_before_the_admission(home, adult, admit):
    a = admit(adult, home)
    with pytest.raises(IntegrityError), transaction.atomic():
        Admission.objects.filter(pk=a.pk).update(discharged_on=a.admitted_on - dt.timedelta(days=1),
                                                 discharge_reason="left")


def test_a_discharge_on_the_admission_day_is_allowed(home, adult, admit, cast):
    a = admit(adult, home, kind="temporary", admitted_on=TODAY())
    done = services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="returned_family")
    assert done.discharged_on == done.admitted_on


def test_it_refuses_to_discharge_twice(home, adult, admit, cast):
    a = admit(adult, home)
    services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="died")
    with pytest.raises(ValidationError) as exc:
        services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="died")
    assert "đã rời cơ sở" in exc.value.messages[0]


def test_a_transfer_names_another_residential_facility(home, other_home, adult, admit, cast):
    a = admit(adult, home)
    with pytest.raises(ValidationError) as exc:
        services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="left",
                                    transferred_to=other_home)
    assert "transferred_to" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="transferred",
                                    transferred_to=home)
    done = services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(),
                                       reason="transferred", transferred_to=other_home)
    assert done.transferred_to == other_home


def test_a_stale_version_is_a_conflict(home, adult, admit, cast, staff):
    a = admit(adult, home)
    services.admission_update(actor=staff, admission=a, data={"decision_number": "99/QĐ"}, expected_version=1)
    with pytest.raises(ConflictError) as exc:
        services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="left",
                                    expected_version=1)
    assert any("99/QĐ" in new for _label, _old, new in exc.value.changes)
    assert Admission.objects.get(pk=a.pk).is_open


def test_a_linked_case_gets_the_discharge_on_its_timeline(home, adult, admit, cast):
    from ctxh.cases.models import CaseEvent, CaseType
    from ctxh.cases.services import case_open

    case = case_open(actor=cast.caseworker, case_type=CaseType.objects.get(code="general"), person=adult,
                     summary="Theo dõi người ở cơ sở.", source="walk_in", reported_at=timezone.now())
    a = admit(adult, home, case=case)
    services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="returned_community")
    events = list(CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.RESIDENCE).order_by("id"))
    assert [e.data["action"] for e in events] == ["admitted", "discharged"]
    assert events[1].data["reason"] == "returned_community" and events[1].data["date"] == TODAY().isoformat()


def test_a_discharge_because_the_resident_died_records_the_death_on_the_person(home, adult, admit, staff):
    from ctxh.people.models import Person

    a = admit(adult, home)
    day = TODAY() - dt.timedelta(days=2)
    services.resident_discharge(actor=staff, admission=a, discharged_on=day, reason="died",
                                decision="21/QĐ-BTXH", expected_version=a.version)
    person = Person.objects.get(pk=adult.pk)
    assert (person.status, person.death_date) == ("deceased", day)
    assert person.version == adult.version + 1  # an edit form opened before cannot silently undo it
    entry = AuditEntry.objects.get(action="person.died")
    assert entry.actor == staff and home.name in entry.changes["source"]


def test_other_discharges_leave_the_person_living(home, adult, admit, staff):
    from ctxh.people.models import Person

    a = admit(adult, home)
    services.resident_discharge(actor=staff, admission=a, discharged_on=TODAY(), reason="left",
                                expected_version=a.version)
    assert Person.objects.get(pk=adult.pk).status == "living"
