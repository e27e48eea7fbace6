"""Assistance fixtures: a disabled man the engine finds entitled, a few decided entitlements, list helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import PersonFactory


@pytest.fixture
def disabled(geo):
    """A man of commune c1, aged 40 on 2026-01-01, with a severe disability (coefficient 1.5 for adults)."""
    from ctxh.core.models import Term
    from ctxh.people.models import Disability

    person = PersonFactory(full_name="Trần Văn Bình", sex="male", commune=geo["c1"], birth_date=dt.date(1985, 6, 1),
                           address_detail="Tổ 3, khu 5")
    Disability.objects.create(
        person=person, type=Term.objects.get(vocabulary="disability_type", code="mobility"),
        level=Term.objects.get(vocabulary="disability_level", code="severe"),
        certificate_number="XN-01", certificate_date=dt.date(2020, 1, 10), issuing_commune=geo["c1"])
    return person


@pytest.fixture
def decision_data():
    def _data(**over: Any) -> dict[str, Any]:
        return {"number": "125/QĐ-UBND", "signed_on": dt.date(2025, 8, 5), "signer_name": "Nguyễn Văn Thành",
                **over}

    return _data
