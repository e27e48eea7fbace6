"""The demo loader gives the entitlement pages something to show, once."""

from __future__ import annotations

import random

from ctxh.assistance.demo import load_demo
from ctxh.assistance.models import Entitlement, PaymentList
from ctxh.people.seed import seed_people


def test_it_loads_decided_entitlements_a_closed_and_a_draft_list_once(cast, geo):
    seed_people(province_code=22, persons=1200, random_seed=3, focus_communes=[geo["c1"].pk, geo["c2"].pk])
    orgs = {"commune1": cast.collaborator.memberships.get().organization,
            "commune2": cast.collaborator2.memberships.get().organization}
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    assert Entitlement.objects.filter(commune=geo["c1"], status__in=["active", "stopped"]).exists()
    assert Entitlement.objects.filter(status="stopped", stop_reason="moved").count() == 1
    lists = PaymentList.objects.filter(commune=geo["c1"])
    assert lists.filter(status="closed").count() == 1 and lists.filter(status="draft").count() == 1
    closed = lists.get(status="closed")
    assert closed.paid_count == closed.line_count - 1
    count = Entitlement.objects.count()
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    assert Entitlement.objects.count() == count
