"""Occupancy figures, follow-ups due, and ``is_resident`` on the boundary days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctxh.core.models import Rule
from ctxh.residential import selectors, services
from tests.factories import PersonFactory
from tests.residential.conftest import fill, make_facility

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_occupancy_counts_open_stays_by_kind_and_sums_fees(home, other_home, geo, admit, cast, elder):
    fill(home, 1, geo, admit)
    admit(elder, home, kind="voluntary_paid", monthly_fee=4_000_000, payer_name="Con trai")
    second_elder = PersonFactory(full_name="Vũ Thị Nhàn", commune=geo["c1"], birth_date=dt.date(1940, 1, 1))
    gone = admit(second_elder, home, kind="voluntary_paid", monthly_fee=9_000_000, payer_name="Cháu")
    services.resident_discharge(actor=cast.director, admission=gone, discharged_on=TODAY(), reason="returned_family")
    admit(PersonFactory(full_name="Bé Vô Danh", commune=geo["c2"]), other_home, kind="temporary")
    rows = {r.facility.pk: r for r in selectors.occupancy_list(user=cast.director)}
    h = rows[home.pk]
    assert (h.capacity, h.occupied, h.free, h.state, h.voluntary_paid, h.temporary) == (3, 2, 1, 1, 1, 0)
    assert h.monthly_fees == 4_000_000 and not h.full and h.near_full is False
    o = rows[other_home.pk]
    assert (o.occupied, o.temporary, o.free, o.monthly_fees) == (1, 1, 9, 0)


def test_a_full_facility_and_a_nearly_full_one_are_flagged(geo, admit, cast, settings):
    settings.CTXH_RESIDENTIAL_NEAR_FULL_PERCENT = 75
    small = make_facility(geo, "Mái ấm nhỏ", capacity=2)
    big = make_facility(geo, "Trung tâm lớn", capacity=4)
    fill(small, 2, geo, admit)
    fill(big, 3, geo, admit)
    rows = {r.facility.pk: r for r in selectors.occupancy_list(user=cast.director)}
    assert rows[small.pk].full and rows[small.pk].free == 0 and rows[small.pk].percent == 100
    assert rows[big.pk].near_full and not rows[big.pk].full


def test_over_capacity_shows_a_negative_free_count(home, geo, admit, cast):
    fill(home, 3, geo, admit)
    admit(PersonFactory(full_name="Người Vượt", commune=geo["c1"]), home, over_capacity_reason="Khẩn cấp ban đêm")
    occ = selectors.occupancy_of(home)
    assert occ.over and occ.occupied == 4 and occ.free == -1


def test_occupancy_is_scoped(home, other_home, far_home, staff, cast):
    assert {r.facility.pk for r in selectors.occupancy_list(user=staff)} == {home.pk}
    assert {r.facility.pk for r in selectors.occupancy_list(user=cast.director)} == {home.pk, other_home.pk}
    assert {r.facility.pk for r in selectors.occupancy_list(user=cast.far_worker)} == {far_home.pk}


def test_occupancy_list_costs_one_query(home, other_home, geo, admit, cast, django_assert_num_queries):
    fill(home, 2, geo, admit)
    fill(other_home, 2, geo, admit)
    selectors.occupancy_list(user=cast.director)  # warm the membership cache
    with django_assert_num_queries(1):
        rows = selectors.occupancy_list(user=cast.director)
        assert sum(r.occupied for r in rows) == 4


# is_resident ------------------------------------------------------------------------------------


def test_is_resident_counts_both_end_days(home, adult, admit, cast):
    start, end = dt.date(2026, 3, 1), dt.date(2026, 6, 30)
    a = admit(adult, home, admitted_on=start)
    services.resident_discharge(actor=cast.director, admission=a, discharged_on=end, reason="returned_family")
    check = lambda d: selectors.is_resident(person_id=adult.pk, on=d)  # noqa: E731
    assert not check(start - dt.timedelta(days=1))
    assert check(start) and check(end)
    assert not check(end + dt.timedelta(days=1))


def test_is_resident_of_an_open_stay_and_by_kind(home, elder, admit):
    admit(elder, home, kind="voluntary_paid", monthly_fee=3_000_000, payer_name="Con", admitted_on=dt.date(2026, 2, 1))
    assert not selectors.is_resident(person_id=elder.pk, on=dt.date(2026, 5, 1))
    assert selectors.is_resident(person_id=elder.pk, on=dt.date(2026, 5, 1), kinds=("voluntary_paid",))
    assert selectors.is_resident(person_id=elder.pk, on=TODAY(), kinds=("state", "voluntary_paid"))


def test_the_social_assistance_query_works_on_these_fields(home, adult, admit):
    from django.db.models import Q

    from ctxh.residential.models import Admission

    d = TODAY()
    admit(adult, home)
    assert Admission.objects.filter(person=adult, kind="state", admitted_on__lte=d).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=d)).exists()


# Follow-ups due -----------------------------------------------------------------------------------


def _went_home(person, facility, admit, actor, days_ago):
    a = admit(person, facility, admitted_on=TODAY() - dt.timedelta(days=days_ago + 100))
    a = services.resident_discharge(actor=actor, admission=a, reason="returned_family",
                                    discharged_on=TODAY() - dt.timedelta(days=days_ago))
    return services.reintegration_record(actor=actor, admission=a, commune=person.commune,
                                         receiver_name="Người nhà", receiver_relationship="Mẹ")


def test_follow_ups_due_use_the_interval_rule_and_the_last_visit(home, geo, admit, cast):
    interval = Rule.objects.get(key="residential.follow_up_interval_days").value
    assert interval == 30
    overdue = _went_home(PersonFactory(full_name="Quá Hạn", commune=geo["c1"]), home, admit, cast.director, 45)
    soon = _went_home(PersonFactory(full_name="Sắp Đến", commune=geo["c1"]), home, admit, cast.director, 25)
    later = _went_home(PersonFactory(full_name="Còn Lâu", commune=geo["c1"]), home, admit, cast.director, 10)
    visited = _went_home(PersonFactory(full_name="Vừa Thăm", commune=geo["c1"]), home, admit, cast.director, 50)
    services.follow_up_record(actor=cast.director, reintegration=visited, situation="stable",
                              visited_on=TODAY() - dt.timedelta(days=3))
    rows = selectors.follow_ups_due(user=cast.director, on=TODAY())
    assert [r.reintegration.pk for r in rows] == [overdue.pk, soon.pk]
    assert rows[0].overdue and rows[0].next_due == TODAY() - dt.timedelta(days=15)
    assert not rows[1].overdue and rows[1].next_due == TODAY() + dt.timedelta(days=5)
    assert later.pk not in [r.reintegration.pk for r in rows]
    assert selectors.next_follow_up(visited, on=TODAY()) == TODAY() + dt.timedelta(days=27)
    Rule.objects.create(key="residential.follow_up_interval_days", valid_from=TODAY() - dt.timedelta(days=1),
                        value=60, unit="ngày", source="Kiểm thử")
    assert selectors.follow_ups_due(user=cast.director, on=TODAY()) == []


def test_follow_ups_end_with_the_follow_up_period(home, geo, admit, cast):
    r = _went_home(PersonFactory(full_name="Đã Lâu", commune=geo["c1"]), home, admit, cast.director, 200)
    assert r.follow_up_until < TODAY()
    assert selectors.follow_ups_due(user=cast.director, on=TODAY()) == []
    assert selectors.next_follow_up(r, on=TODAY()) is None


def test_follow_ups_due_are_scoped(home, other_home, geo, admit, cast, other_staff, staff):
    _went_home(PersonFactory(full_name="Ở Cơ Sở Một", commune=geo["c1"]), home, admit, cast.director, 45)
    assert len(selectors.follow_ups_due(user=staff, on=TODAY())) == 1
    assert selectors.follow_ups_due(user=other_staff, on=TODAY()) == []
