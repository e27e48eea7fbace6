"""Rule rows of family tracing: matching weights and threshold, name variants, the public form's limit.

None of these comes from a legal text: they are the Centre's working
settings, kept as ``core.Rule`` rows so an administrator can tune them (with
the date and the reason) without a code change. Loaded by the data migration
``0002_reference_data`` and again by ``ctxh demo``; only missing rows are added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

RULE_WEIGHTS = "tracing.weights"
RULE_THRESHOLD = "tracing.match_threshold"
RULE_FAMILY_VARIANTS = "tracing.family_name_variants"
RULE_PUBLIC_PER_HOUR = "tracing.public_per_hour"

PRACTICE = "Quy định nghiệp vụ của Trung tâm (không do văn bản pháp luật quy định)"
SINCE = D(2020, 1, 1)

# Points of each piece of evidence. The three name parts add up to the points
# of an identical name, so "Nguyễn An" for "Nguyễn Văn An" loses only the
# difference between a shared and a dropped middle name. A different family
# name (not a regional spelling) counts against: it is rarely a slip of memory.
WEIGHTS: dict[str, int] = {
    "name_exact": 55,
    "given": 25,
    "family": 15,
    "family_variant": 12,
    "family_differs": -10,
    "middle": 15,
    "middle_dropped": 10,
    "birth_exact": 20,
    "birth_1": 12,
    "birth_2": 6,
    "birth_far": -15,
    "sex_agree": 5,
    "sex_conflict": -30,
    "same_commune": 20,
    "same_province": 10,
    "legacy_district": 5,
    "same_seeker_phone": 10,
    "relationship_reciprocal": 5,
}

RULES: list[dict[str, Any]] = [
    {
        "key": RULE_WEIGHTS, "valid_from": SINCE, "value": WEIGHTS, "unit": "điểm",
        "source": PRACTICE,
        "note": "Điểm cộng/trừ cho từng dấu hiệu khi đối chiếu người được tìm với sổ đăng ký và với các "
                "yêu cầu khác; tổng được giới hạn trong 0–100.",
    },
    {
        "key": RULE_THRESHOLD, "valid_from": SINCE, "value": {"score": 50}, "unit": "điểm",
        "source": PRACTICE,
        "note": "Chỉ ứng viên đạt từ mức điểm này trở lên mới được lưu và hiện cho cán bộ xem xét.",
    },
    {
        "key": RULE_FAMILY_VARIANTS, "valid_from": SINCE,
        "value": {"groups": [["hoang", "huynh"], ["vu", "vo"]]}, "unit": "",
        "source": "Cách viết họ theo vùng miền: miền Bắc viết Hoàng, Vũ; miền Nam viết Huỳnh, Võ "
                  "(tài liệu nghiệp vụ, mục Tên người)",
        "note": "Mỗi nhóm là các cách viết (đã bỏ dấu, chữ thường) của cùng một họ.",
    },
    {
        "key": RULE_PUBLIC_PER_HOUR, "valid_from": SINCE, "value": {"count": 3}, "unit": "lượt/giờ",
        "source": PRACTICE,
        "note": "Số yêu cầu tối đa một địa chỉ mạng được gửi qua biểu mẫu công khai trong một giờ; "
                "quá mức thì đề nghị gọi tổng đài.",
    },
]


def load_rules(rule_model: Any) -> int:
    """Add the rule rows that are missing; never overwrite an edited row."""
    have = set(rule_model.objects.filter(key__startswith="tracing.").values_list("key", "valid_from"))
    new = [rule_model(**r) for r in RULES if (r["key"], r["valid_from"]) not in have]
    rule_model.objects.bulk_create(new)
    return len(new)
