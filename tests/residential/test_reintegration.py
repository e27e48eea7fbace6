"""Going home: who took the person in, how long they are followed up, and the visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.core.models import Rule
from ctxh.residential import services
from ctxh.residential.services import add_months

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def gone_home(home, child, admit, cast):
    """A child who lived at ``home`` and went back to the family 40 days ago."""
    a = admit(child, home, admitted_on=TODAY() - dt.timedelta(days=400))
    return services.resident_discharge(actor=cast.director, admission=a, reason="returned_family",
                                       discharged_on=TODAY() - dt.timedelta(days=40))


def _record(admission, actor, **kwargs):
    args = {"commune": admission.person.commune, "receiver_name": "Lò Văn Páo", "receiver_relationship": "Bác ruột",
            "receiver_phone": "+84 912 345 678", **kwargs}
    return services.reintegration_record(actor=actor, admission=admission, **args)


def test_the_follow_up_lasts_the_months_of_the_rule_row(gone_home, staff):
    row = Rule.objects.get(key="residential.follow_up_months")
    assert row.value == 6 and "02/2020" in row.source and "10.2" in row.source
    r = _record(gone_home, staff)
    assert r.follow_up_until == add_months(gone_home.discharged_on, 6)
    assert r.destination == "family" and r.receiver_phone == "0912345678"
    assert AuditEntry.objects.filter(action="residence.reintegration_recorded", person_id=gone_home.person_id).exists()


def test_a_new_rule_row_changes_the_period_from_its_date(gone_home, staff):
    Rule.objects.create(key="residential.follow_up_months", valid_from=gone_home.discharged_on, value=9,
                        unit="tháng", source="Văn bản giả định để kiểm thử")
    r = _record(gone_home, staff)
    assert r.follow_up_until == add_months(gone_home.discharged_on, 9)


def test_a_shorter_follow_up_than_the_law_is_refused_and_a_longer_one_kept(gone_home, staff):
    minimum = add_months(gone_home.discharged_on, 6)
    with pytest.raises(ValidationError) as exc:
        _record(gone_home, staff, follow_up_until=minimum - dt.timedelta(days=1))
    assert "ít nhất 6 tháng" in exc.value.message_dict["follow_up_until"][0]
    r = _record(gone_home, staff, follow_up_until=minimum + dt.timedelta(days=90))
    assert r.follow_up_until == minimum + dt.timedelta(days=90)


def test_a_family_return_needs_who_took_the_person_in(gone_home, staff):
    with pytest.raises(ValidationError) as exc:
        _record(gone_home, staff, commune=None, receiver_name=" ", receiver_relationship="")
    assert set(exc.value.message_dict) == {"commune", "receiver_name", "receiver_relationship"}


def test_only_one_reintegration_per_discharge(gone_home, staff):
    _record(gone_home, staff)
    with pytest.raises(ValidationError):
        _record(gone_home, staff)


@pytest.mark.parametrize("reason", ["died", "transferred", "left", "other"])
def test_no_reintegration_unless_the_person_went_home(home, adult, admit, cast, staff, reason):
    a = admit(adult, home)
    a = services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason=reason)
    with pytest.raises(ValidationError):
        _record(a, staff)


def test_no_reintegration_while_still_resident(home, adult, admit, staff):
    with pytest.raises(ValidationError):
        _record(admit(adult, home), staff)


def test_a_return_to_the_commune_needs_no_family_relationship(home, adult, admit, cast, staff):
    a = admit(adult, home)
    a = services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="returned_community")
    r = _record(a, staff, receiver_name="Phạm Văn Hòa (công chức VH-XH xã)", receiver_relationship="")
    assert r.destination == "commune"


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(dt.date(2026, 1, 15), 6) == dt.date(2026, 7, 15)
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 10, 1), 3) == dt.date(2027, 1, 1)


# Follow-up visits ----------------------------------------------------------------------------


def test_it_records_a_visit(gone_home, staff):
    r = _record(gone_home, staff)
    f = services.follow_up_record(actor=staff, reintegration=r, visited_on=TODAY(), situation="stable")
    assert f.visited_by == staff
    assert AuditEntry.objects.filter(action="residence.follow_up_recorded", person_id=gone_home.person_id).exists()


def test_a_visit_before_the_return_or_in_the_future_is_refused(gone_home, staff):
    r = _record(gone_home, staff)
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(actor=staff, reintegration=r, situation="stable",
                                  visited_on=gone_home.discharged_on - dt.timedelta(days=1))
    assert "visited_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.follow_up_record(actor=staff, reintegration=r, situation="stable",
                                  visited_on=TODAY() + dt.timedelta(days=1))


def test_a_worrying_visit_needs_notes(gone_home, staff):
    r = _record(gone_home, staff)
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(actor=staff, reintegration=r, visited_on=TODAY(), situation="at_risk")
    assert "notes" in exc.value.message_dict


def test_other_facility_staff_cannot_record_visits(gone_home, staff, other_staff):
    from django.http import Http404

    r = _record(gone_home, staff)
    with pytest.raises(Http404):
        services.follow_up_record(actor=other_staff, reintegration=r, visited_on=TODAY(), situation="stable")
