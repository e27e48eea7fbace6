"""The demo network: about twenty providers across sectors, loaded once however often it runs."""

from __future__ import annotations

import random

from ctxh.core.demo import _organizations
from ctxh.network.demo import load_demo
from ctxh.network.models import Provider
from ctxh.network.selectors import provider_list


def test_it_loads_a_realistic_network_once(geo):
    orgs = _organizations(geo["province"])
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random("network-2026"))
    count = Provider.objects.count()
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random("network-2026"))
    assert Provider.objects.count() == count and 18 <= count <= 25
    assert len(set(Provider.objects.values_list("sector__code", flat=True))) >= 6
    facility = Provider.objects.get(organization=orgs["facility"])
    assert facility.is_residential and facility.capacity and facility.commune == orgs["facility"].commune
    assert Provider.objects.filter(is_residential=True, capacity__gt=0).count() >= 3
    assert Provider.objects.filter(is_public=False).count() >= 2
    assert all(p.services.exists() for p in Provider.objects.all())
    assert provider_list(user=None).count() == count - 2
