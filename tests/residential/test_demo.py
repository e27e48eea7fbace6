"""The demo puts a few residents in the province's facilities, once."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from ctxh.accounts.models import Organization
from ctxh.residential.demo import load_demo
from ctxh.residential.models import Admission, FollowUp, Reintegration
from tests.factories import PersonFactory
from tests.residential.conftest import make_facility

pytestmark = pytest.mark.django_db


def _people(geo):
    for i in range(6):
        PersonFactory(full_name=f"Cụ Già Số {i}", commune=geo["c1"], birth_date=dt.date(1940 + i, 1, 1))
    for i in range(8):
        PersonFactory(full_name=f"Em Nhỏ Số {i}", commune=geo["c2"], birth_date=dt.date(2012 + i % 5, 6, 1))


def test_it_adds_residents_once(cast, geo):
    home = make_facility(geo, "Cơ sở Bảo trợ xã hội tổng hợp", capacity=30, commune=geo["c1"])
    _people(geo)
    orgs = {"centre": Organization.objects.get(name="Trung tâm CTXH Quảng Ninh")}
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    stays = Admission.objects.filter(facility=home)
    assert stays.filter(discharged_on__isnull=True).count() >= 4
    assert stays.filter(kind="voluntary_paid", monthly_fee__gt=0).count() == 1
    assert Reintegration.objects.count() == 1 and FollowUp.objects.count() == 2
    counts = (Admission.objects.count(), Reintegration.objects.count(), FollowUp.objects.count())
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(2))
    assert (Admission.objects.count(), Reintegration.objects.count(), FollowUp.objects.count()) == counts


def test_without_a_residential_facility_it_adds_nothing(cast, geo):
    _people(geo)
    orgs = {"centre": Organization.objects.get(name="Trung tâm CTXH Quảng Ninh")}
    load_demo(province=geo["province"], orgs=orgs, rng=random.Random(1))
    assert not Admission.objects.exists()
