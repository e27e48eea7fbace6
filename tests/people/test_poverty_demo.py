"""The demo loader adds a few surveys to the demo communes, once."""

from __future__ import annotations

import random

from ctxh.core.demo import _organizations
from ctxh.people.models import PovertySurvey
from ctxh.people.poverty_demo import SURVEYS_PER_COMMUNE, load_demo
from tests.factories import HouseholdFactory


def test_it_surveys_a_few_households_of_each_demo_commune_once(geo):
    orgs = _organizations(geo["province"])
    for org in (orgs["commune1"], orgs["commune2"]):
        HouseholdFactory.create_batch(SURVEYS_PER_COMMUNE + 1, commune=org.commune)
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    surveys = list(PovertySurvey.objects.select_related("standard"))
    assert len(surveys) == 2 * SURVEYS_PER_COMMUNE
    assert all(s.reasons and s.reasons[-1].startswith("Kết luận:") for s in surveys)
    assert {s.area for s in surveys} == {"urban"}  # the first communes of Quảng Ninh are phường
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(2))
    assert PovertySurvey.objects.count() == 2 * SURVEYS_PER_COMMUNE
