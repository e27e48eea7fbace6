"""The demo records: heifers partly allocated, a scholarship, a wheelchair after a survey, a funeral support."""

from __future__ import annotations

import datetime as dt
import random

from ctxh.accounts.services import membership_grant
from ctxh.people.models import HouseholdMember
from ctxh.support.demo import load_demo
from ctxh.support.models import Allocation, Donation, Grant, Need, NeedsSurvey
from tests.factories import HouseholdFactory, PersonFactory


def test_it_fills_the_pages_once(geo, cast):
    from ctxh.core.demo import _organizations

    province = geo["province"]
    orgs = _organizations(province)
    membership_grant(actor=None, user=cast.director, organization=orgs["centre"], role="director",
                     whole_province=True, communes=[])
    c1, c2 = orgs["commune1"].commune, orgs["commune2"].commune
    for i, commune in enumerate([c1, c2] * 6):
        head = PersonFactory(full_name=f"Chủ Hộ Số {i}", commune=commune, birth_date=dt.date(1970, 1, 1))
        household = HouseholdFactory(commune=commune)
        HouseholdMember.objects.create(household=household, person=head, relationship="head")
        PersonFactory(full_name=f"Cháu Bé Số {i}", commune=commune, birth_date=dt.date(2014, 6, 1))
    load_demo(province=province, orgs=orgs, rng=random.Random(1))
    counts = (Donation.objects.count(), Allocation.objects.count(), Grant.objects.count(), Need.objects.count(),
              NeedsSurvey.objects.count())
    heifers = Donation.objects.get(item__code="heifer")
    assert heifers.quantity == 1000 and 0 < heifers.allocated < 1000
    assert Grant.objects.filter(kind__code="scholarship", amount=3_600_000).exists()
    assert Grant.objects.get(kind__code="emergency_funeral").amount == Grant.objects.get(
        kind__code="emergency_funeral").calculation["amount"]
    wheelchair_need = Need.objects.get(status="fulfilled")
    assert wheelchair_need.fulfilled_allocation.donation.item.code == "wheelchair"
    load_demo(province=province, orgs=orgs, rng=random.Random(1))
    assert counts == (Donation.objects.count(), Allocation.objects.count(), Grant.objects.count(),
                      Need.objects.count(), NeedsSurvey.objects.count())
