"""Rule rows of social assistance (base level, coefficients, one-off amounts).

Loaded by the data migration ``0001_rules`` and again by ``ctxh demo``. Every
value is a row with the date it took effect and the document that set it;
administrators change them as data.

Rule keys (other apps rely on these names):
- ``assistance.base_level`` — mức chuẩn trợ giúp xã hội, VND per month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

BASE_LEVEL_ROWS: list[dict[str, Any]] = [
    {"key": "assistance.base_level", "valid_from": D(2014, 1, 1), "value": 270_000, "unit": "VND/tháng",
     "source": "Nghị định 136/2013/NĐ-CP, Điều 4"},
    {"key": "assistance.base_level", "valid_from": D(2021, 7, 1), "value": 360_000, "unit": "VND/tháng",
     "source": "Nghị định 20/2021/NĐ-CP, Điều 4"},
    {"key": "assistance.base_level", "valid_from": D(2024, 7, 1), "value": 500_000, "unit": "VND/tháng",
     "source": "Nghị định 76/2024/NĐ-CP, Điều 1"},
]


def rule_rows() -> list[dict[str, Any]]:
    """All rule rows this app loads."""
    return list(BASE_LEVEL_ROWS)


def term_rows() -> list[dict[str, Any]]:
    """All category-list entries this app loads."""
    return []


def load_rules(rule_model: Any, term_model: Any) -> int:
    """Add the rule rows and terms that are missing; never overwrite an edited row."""
    have = set(rule_model.objects.values_list("key", "valid_from"))
    new = [rule_model(**r) for r in rule_rows() if (r["key"], r["valid_from"]) not in have]
    rule_model.objects.bulk_create(new)
    have_terms = set(term_model.objects.values_list("vocabulary", "code"))
    terms = [term_model(**t) for t in term_rows() if (t["vocabulary"], t["code"]) not in have_terms]
    term_model.objects.bulk_create(terms)
    return len(new) + len(terms)
