"""Rule rows the entitlement decisions and payment lists need (beside the engine's in ``reference.py``).

Loaded by the data migration ``0003_decision_rules`` and again by the demo;
idempotent: adds what is missing, never overwrites an edited row.

Rule keys:
- ``assistance.decision.signer_title`` — who signs decisions to start, change
  or stop a monthly allowance: the district chair until 30 June 2025 (Decree
  136/2013 art. 7, then Decree 20/2021 art. 7), the commune chair from 1 July 2025 (two-tier local
  government, Decree 147/2025/NĐ-CP art. 5). The form pre-fills the title in
  force on the signing date; the decision keeps what was printed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SIGNER_TITLE_KEY = "assistance.decision.signer_title"

RULE_ROWS: list[dict[str, Any]] = [
    {"key": SIGNER_TITLE_KEY, "valid_from": dt.date(2014, 1, 1), "value": "Chủ tịch UBND huyện",
     "unit": "", "source": "Nghị định 136/2013/NĐ-CP, Điều 7"},
    {"key": SIGNER_TITLE_KEY, "valid_from": dt.date(2021, 7, 1), "value": "Chủ tịch UBND huyện",
     "unit": "", "source": "Nghị định 20/2021/NĐ-CP, Điều 7"},
    {"key": SIGNER_TITLE_KEY, "valid_from": dt.date(2025, 7, 1), "value": "Chủ tịch UBND xã/phường",
     "unit": "", "source": "Nghị định 147/2025/NĐ-CP, Điều 5"},
]


def load_rules(rule_model: Any) -> int:
    """Add the rows that are missing; an administrator's edits stay."""
    have = set(rule_model.objects.filter(key=SIGNER_TITLE_KEY).values_list("key", "valid_from"))
    new = [rule_model(**r) for r in RULE_ROWS if (r["key"], r["valid_from"]) not in have]
    rule_model.objects.bulk_create(new)
    return len(new)
