"""Rule rows of residential care, with the documents that set them.

Loaded by the data migration ``0002_reference_data`` and again by
``residential.demo``; only missing rows are added, so an administrator's edits
survive. Code asks ``rule_value(key, on)``, never these literals.

Rule keys:
- ``residential.follow_up_months`` — months a person who went home is
  followed up, at least (Circular 02/2020 art. 10.2).
- ``residential.follow_up_interval_days`` — days between two follow-up visits
  expected by the Centre (practice, not law).
- ``residential.voluntary_paid_min_age`` — the age from which a person is
  elderly and may enter voluntary paid care (Law on the Elderly art. 2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

RULE_FOLLOW_UP_MONTHS = "residential.follow_up_months"
RULE_FOLLOW_UP_INTERVAL = "residential.follow_up_interval_days"
RULE_VOLUNTARY_MIN_AGE = "residential.voluntary_paid_min_age"

CIRCULAR_02 = "Thông tư 02/2020/TT-BLĐTBXH, Điều 10.2"
PRACTICE = "Quy trình nghiệp vụ của Trung tâm (không do văn bản pháp luật quy định)"
LAW_ELDERLY = "Luật Người cao tuổi 39/2009/QH12, Điều 2"

RULES: list[dict[str, Any]] = [
    {
        "key": RULE_FOLLOW_UP_MONTHS, "valid_from": D(2020, 3, 30), "value": 6, "unit": "tháng",
        "source": CIRCULAR_02,
        "note": "Theo dõi, hỗ trợ đối tượng ít nhất 6 tháng sau khi trở về gia đình, cộng đồng.",
    },
    {
        "key": RULE_FOLLOW_UP_INTERVAL, "valid_from": D(2020, 3, 30), "value": 30, "unit": "ngày",
        "source": PRACTICE,
        "note": "Khoảng cách giữa hai lần thăm, theo dõi; Thông tư 02/2020 không quy định tần suất. "
                "Trung tâm có thể sửa theo quy trình của mình.",
    },
    {
        "key": RULE_VOLUNTARY_MIN_AGE, "valid_from": D(2010, 7, 1), "value": 60, "unit": "tuổi",
        "source": LAW_ELDERLY,
        "note": "Người cao tuổi là công dân Việt Nam từ đủ 60 tuổi trở lên; chăm sóc tự nguyện có trả phí "
                "dành cho người cao tuổi.",
    },
]


def rule_rows() -> list[dict[str, Any]]:
    return [dict(r) for r in RULES]


def load_reference(rule_model: Any) -> int:
    """Add the rule rows that are missing; never overwrite an edited row."""
    have = set(rule_model.objects.filter(key__startswith="residential.").values_list("key", "valid_from"))
    new = [rule_model(**r) for r in rule_rows() if (r["key"], r["valid_from"]) not in have]
    rule_model.objects.bulk_create(new)
    return len(new)
