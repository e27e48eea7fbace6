"""The rule rows the referrals need are loaded with their source; the demo adds referrals in every state."""

from __future__ import annotations

import random

from django.apps import apps

from ctxh.core.models import Rule
from ctxh.core.rules import rule_value
from ctxh.referrals.reference import RULE_LINK_VALID, RULE_RESPONSE, SOURCE, load_reference


def test_the_rules_are_rows_with_their_source(db):
    from django.utils import timezone

    today = timezone.localdate()
    assert rule_value(RULE_RESPONSE, today) == {"working_days": 3}
    assert rule_value(RULE_LINK_VALID, today) == {"days": 14}
    assert set(Rule.objects.filter(key__startswith="referral.").values_list("source", flat=True)) == {SOURCE}


def test_loading_again_adds_nothing_and_keeps_an_edit(db):
    Rule.objects.filter(key=RULE_RESPONSE).update(value={"working_days": 5})
    assert load_reference(apps) == 0
    assert Rule.objects.get(key=RULE_RESPONSE).value == {"working_days": 5}


def test_a_changed_rule_changes_the_due_date(cast, refer):
    from django.utils import timezone

    from ctxh.core.calendar import add_working_days

    Rule.objects.filter(key=RULE_RESPONSE).update(value={"working_days": 1})
    referral = refer()
    assert referral.due_on == timezone.localtime(add_working_days(referral.sent_at, 1)).date()


def test_the_demo_makes_referrals_once_and_skips_without_providers(cast, geo, case, provider):
    from ctxh.referrals.demo import load_demo
    from ctxh.referrals.models import Referral

    orgs = {"centre": cast.caseworker.memberships.first().organization}
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    made = Referral.objects.count()
    assert made >= 1
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    assert Referral.objects.count() == made


def test_the_demo_skips_quietly_without_a_centre_worker(cast, geo, case):
    from ctxh.referrals.demo import load_demo
    from ctxh.referrals.models import Referral

    load_demo(province=geo["province"], orgs={"centre": None}, rng=random.Random(1))
    assert not Referral.objects.exists()
