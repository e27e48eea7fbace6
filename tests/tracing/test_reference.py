"""The tracing rule rows and the demo data."""

from __future__ import annotations

import random

import pytest

from ctxh.accounts.models import Organization
from ctxh.core.models import Rule
from ctxh.tracing.models import TracingMatch, TracingRequest
from ctxh.tracing.reference import RULES, load_rules
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_rules_are_loaded_with_their_source():
    rows = {r.key: r for r in Rule.objects.filter(key__startswith="tracing.")}
    assert set(rows) == {"tracing.weights", "tracing.match_threshold", "tracing.family_name_variants",
                         "tracing.public_per_hour"}
    assert all(r.source for r in rows.values())
    assert rows["tracing.family_name_variants"].value == {"groups": [["hoang", "huynh"], ["vu", "vo"]]}


def test_the_loader_adds_only_what_is_missing():
    row = Rule.objects.get(key="tracing.match_threshold")
    row.value = {"score": 65}
    row.save()
    Rule.objects.filter(key="tracing.public_per_hour").delete()
    assert load_rules(Rule) == 1
    assert Rule.objects.get(key="tracing.match_threshold").value == {"score": 65}
    assert Rule.objects.filter(key__startswith="tracing.").count() == len(RULES)


def test_the_demo_fills_the_pages_once(cast, geo):
    from ctxh.tracing.demo import load_demo

    PersonFactory(full_name="Đinh Văn Quang", sex="male", commune=geo["c1"])
    orgs = {"centre": Organization.objects.get(kind="centre", province=geo["province"])}
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    count = TracingRequest.objects.count()
    assert count == 5
    assert TracingRequest.objects.filter(source="public").count() == 2
    assert TracingRequest.objects.filter(status="reunified").count() == 1
    assert TracingMatch.objects.filter(person__full_name="Đinh Văn Quang").exists()
    assert TracingMatch.objects.filter(kind="reciprocal").count() == 2
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    assert TracingRequest.objects.count() == count
