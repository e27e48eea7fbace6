"""Rà soát: active entitlements judged again for a month — age limits crossed, eligibility lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ctxh.assistance import selectors
from ctxh.core.models import Term
from ctxh.people.models import GroupMembership
from tests.assistance.factories import entitled
from tests.factories import PersonFactory

MONTH = dt.date(2025, 10, 1)


def _orphan(geo, name, born):
    person = PersonFactory(full_name=name, commune=geo["c1"], birth_date=born)
    GroupMembership.objects.create(person=person, group=Term.objects.get(vocabulary="allowance_group", code="d20_5_1"),
                                   start_date=dt.date(2020, 1, 1), source="QĐ thử nghiệm")
    return person


@pytest.fixture
def children(geo):
    """Three orphans paid as decided in 2024: one turns 4, one turns 16 before October 2025, one neither."""
    turns4 = entitled(geo["c1"], person=_orphan(geo, "Lý Văn Bốn", dt.date(2021, 9, 20)), coefficient="2.5",
                      group="d20_5_1_under4", label="Trẻ em không có nguồn nuôi dưỡng, dưới 4 tuổi")
    turns16 = entitled(geo["c1"], person=_orphan(geo, "Hà Thị Mười", dt.date(2009, 9, 30)), coefficient="1.5",
                       group="d20_5_1_from4", label="Trẻ em không có nguồn nuôi dưỡng, từ đủ 4 đến dưới 16 tuổi")
    steady = entitled(geo["c1"], person=_orphan(geo, "Tô Văn Vững", dt.date(2015, 5, 5)), coefficient="1.5",
                      group="d20_5_1_from4", label="Trẻ em không có nguồn nuôi dưỡng, từ đủ 4 đến dưới 16 tuổi")
    return {"turns4": turns4, "turns16": turns16, "steady": steady}


def test_the_review_names_the_child_who_turned_4_and_the_one_who_turned_16(cast, geo, children):
    review = selectors.entitlements_review(user=cast.collaborator, commune_id=geo["c1"].pk, on=MONTH)
    rows = {row.entitlement.pk: row for row in review.rows}
    assert review.total == review.checked == 3 and review.next_offset is None
    assert set(rows) == {children["turns4"].pk, children["turns16"].pk}
    four = rows[children["turns4"].pk]
    assert four.verdict == "changed" and four.now_coefficient == Decimal("1.5")
    sixteen = rows[children["turns16"].pk]
    assert sixteen.verdict == "ended" and any("16" in reason for reason in sixteen.reasons)
    # In August nobody had crossed a limit yet.
    assert selectors.entitlements_review(user=cast.collaborator, commune_id=geo["c1"].pk,
                                         on=dt.date(2025, 8, 1)).rows == []


def test_the_review_goes_in_batches(cast, geo, children):
    first = selectors.entitlements_review(user=cast.collaborator, commune_id=geo["c1"].pk, on=MONTH, batch=2)
    assert (first.checked, first.next_offset) == (2, 2)
    rest = selectors.entitlements_review(user=cast.collaborator, commune_id=geo["c1"].pk, on=MONTH, offset=2, batch=2)
    assert (rest.checked, rest.next_offset) == (3, None)
    assert len(first.rows) + len(rest.rows) == 2


def test_the_review_page_offers_the_decision_each_case_needs(login, cast, geo, children):
    url = reverse("assistance:entitlement-review")
    page = login(cast.director).get(url, {"commune": geo["c1"].pk, "month": "10/2025"}).content.decode()
    assert "Đã xét 3/3 người đang hưởng." in page
    assert "Lý Văn Bốn" in page and "đổi mức" in page and "Hà Thị Mười" in page
    assert "không còn đủ điều kiện" in page and "Tô Văn Vững" not in page
    assert reverse("assistance:entitlement-stop", args=[children["turns16"].pk]) in page
    # A new rate is a new decision and the old one is stopped: both ways are offered.
    assert reverse("assistance:entitlement-stop", args=[children["turns4"].pk]) in page
    assert reverse("assistance:person-entitlements", args=[children["turns4"].person_id]) in page
    blank = login(cast.director).get(url, {"commune": geo["c1"].pk, "month": "13/2025"})
    assert blank.status_code == 200 and "Đã xét" not in blank.content.decode()


def test_the_review_is_for_the_commune_staff_only(login, cast, geo, children):
    url = reverse("assistance:entitlement-review")
    query = {"commune": geo["c1"].pk, "month": "10/2025"}
    assert login(cast.outsider).get(url, query).status_code == 403
    for who in ("collaborator2", "far_worker"):
        page = login(cast[who]).get(url, query).content.decode()
        assert "Lý Văn Bốn" not in page and "Đã xét" not in page  # c1 is not among their communes
    assert "Lý Văn Bốn" in login(cast.collaborator).get(url, query).content.decode()
