"""Fixtures and helpers shared by the poverty survey tests (imported by the test modules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ctxh.geo.models import Commune
from tests.conftest import PROVINCE
from tests.factories import HouseholdFactory

# The machine's clock is in late 2026; every date here is fixed, never "today",
# except where a test is about "not after today".
DECEMBER_2026 = dt.date(2026, 11, 20)


@pytest.fixture
def rural(geo) -> Commune:
    """A xã (rural) of the test province, outside the collaborators' communes."""
    return Commune.objects.filter(province_id=PROVINCE, division_type="xã").order_by("code").first()


@pytest.fixture
def special_zone(geo) -> Commune:
    """An island special zone (đặc khu), commune level since July 2025."""
    return Commune.objects.filter(province_id=PROVINCE, division_type="đặc khu").order_by("code").first()


@pytest.fixture
def household(geo) -> Any:
    """A household of commune c1 (a phường: urban)."""
    return HouseholdFactory(commune=geo["c1"], address_detail="Tổ 3, khu 5")


def survey_kwargs(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "surveyed_on": DECEMBER_2026, "year": 2026, "members_count": 4, "income_total": 6_000_000,
        "deprived": ["health_insurance", "housing_quality", "latrine"],
    }
    data.update(overrides)
    return data
