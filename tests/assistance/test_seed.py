"""``ctxh seed --entitled N``: entitlements for people already seeded, consistent with the registry and the rules."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from ctxh.assistance.models import Decision, Entitlement
from ctxh.assistance.seed import seed_entitlements
from ctxh.core.models import Rule
from ctxh.people.models import GroupMembership
from ctxh.people.seed import seed_people

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def province(db):
    seed_people(province_code=22, persons=1500, random_seed=7, today=TODAY)
    return 22


def test_it_makes_the_entitlements_asked_for_with_coefficients_from_the_rules(province):
    made = seed_entitlements(province_code=province, n=300, rng=random.Random(1), today=TODAY)
    active = Entitlement.objects.filter(status="active")
    assert active.count() == 300 and made == 300 + Entitlement.objects.filter(status="stopped").count()
    coefficients = {Decimal(str(r.value)) for r in Rule.objects.filter(key__startswith="assistance.coef.")}
    for ent in active.exclude(scheme="social_pension"):
        per_child = ent.group_code == "d20_5_5"
        assert per_child or ent.coefficient in coefficients, (ent.group_code, ent.coefficient)
        assert ent.start_decision and ent.start_on <= TODAY and ent.commune_id == ent.person.commune_id
    assert active.values("person").distinct().count() == 300
    assert all(e.stop_reason == "death" and e.person.status == "deceased"
               for e in Entitlement.objects.filter(status="stopped"))
    # The registry agrees: people given a made-up allowance group have the group membership.
    for ent in active.filter(group_code__startswith="d20_5_6a"):
        assert GroupMembership.objects.filter(person=ent.person, group__code="d20_5_6a").exists()
    assert Decision.objects.filter(kind="start").exists()
    assert set(Decision.objects.values_list("signer_title", flat=True)) <= {
        "Chủ tịch UBND huyện", "Chủ tịch UBND xã/phường"}


def test_a_second_run_adds_other_people(province):
    seed_entitlements(province_code=province, n=100, rng=random.Random(1), today=TODAY)
    seed_entitlements(province_code=province, n=100, rng=random.Random(2), today=TODAY)
    assert Entitlement.objects.filter(status="active").values("person").distinct().count() == 200


def test_the_seed_command_takes_entitled(province, capsys):
    call_command("seed", "--province=22", "--entitled=50")
    assert Entitlement.objects.filter(status="active").count() == 50
    assert "người hưởng trợ cấp" in capsys.readouterr().out
