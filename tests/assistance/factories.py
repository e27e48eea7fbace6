"""Entitlements, decisions and lists for the assistance tests, written directly (not through the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ctxh.assistance.models import BASE_LEVEL_KEY, Decision, Entitlement
from tests.factories import PersonFactory

_numbers = iter(range(1, 10_000))


def decision(commune: Any, *, kind: str = "start", signed_on: dt.date = dt.date(2023, 12, 20),
             effective_on: dt.date | None = None) -> Decision:
    return Decision.objects.create(
        number=f"{next(_numbers)}/QĐ-UBND", kind=kind, signed_on=signed_on, signer_name="Nguyễn Văn Thành",
        signer_title="Chủ tịch UBND huyện", effective_on=effective_on or signed_on, province_id=commune.province_id,
        commune=commune)


def entitled(commune: Any, *, person: Any = None, coefficient: str = "1.5", start_on: dt.date = dt.date(2024, 1, 1),
             status: str = "active", stop_on: dt.date | None = None, group: str = "d20_5_7_severe_adult",
             label: str = "Người khuyết tật nặng", name: str = "Nguyễn Văn An", method: str = "cash",
             base_rule_key: str = BASE_LEVEL_KEY, **extra: Any) -> Entitlement:
    """A decided entitlement (or any status) of a person of ``commune``."""
    person = person or PersonFactory(full_name=name, commune=commune, birth_date=dt.date(1980, 3, 4),
                                     address_detail="Thôn Đông")
    values: dict[str, Any] = {
        "person": person, "scheme": "monthly_allowance", "group_code": group, "label": label,
        "coefficient": Decimal(coefficient), "base_rule_key": base_rule_key, "province_id": commune.province_id,
        "commune": commune, "payment_method": method, "status": status,
        "bank_account": "123456789012" if method == "bank" else "",
    }
    if status in ("active", "stopped"):
        values["start_decision"] = decision(commune, signed_on=min(start_on, dt.date(2026, 1, 1)),
                                            effective_on=start_on)
        values["start_on"] = start_on
    if status == "stopped":
        values.update(stop_on=stop_on, stop_reason="death",
                      stop_decision=decision(commune, kind="stop", signed_on=stop_on))
    values.update(extra)
    return Entitlement.objects.create(**values)
