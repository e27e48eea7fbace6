"""The rule rows referrals need, with the document that sets them.

Neither deadline is set by law: they are the Centre's own referral procedure,
so they are rows an administrator changes (with a new ``valid_from``) when the
procedure changes — never literals in code. Loaded by the data migration
``0002_reference_data`` and again by ``ctxh demo`` (only what is missing).

- ``referral.response_days``: how long a provider has to accept or decline
  before the referral shows as overdue on the worker's page. Counted in
  working days from the moment it is sent (``ctxh.core.calendar.deadline_due``,
  so Tết and weekends do not count): ``{"working_days": N}`` (or ``{"hours": N}``).
- ``referral.link_valid_days``: how long a one-time link for a provider without
  an account stays valid: ``{"days": N}`` (calendar days; or ``{"hours": N}``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

RULE_RESPONSE = "referral.response_days"
RULE_LINK_VALID = "referral.link_valid_days"

SOURCE = "Quy trình chuyển gửi của Trung tâm CTXH (quy định nội bộ)"
SINCE = dt.date(2025, 1, 1)

RULES: list[dict[str, Any]] = [
    {
        "key": RULE_RESPONSE, "valid_from": SINCE, "value": {"working_days": 3}, "unit": "ngày làm việc",
        "source": SOURCE,
        "note": "Đơn vị nhận trả lời (nhận hoặc từ chối) trong 3 ngày làm việc kể từ khi chuyển gửi; quá hạn thì "
                "chuyển gửi hiện trong mục quá hạn của người chuyển gửi. Không phải quy định của pháp luật: "
                "Trung tâm sửa theo quy trình của mình.",
    },
    {
        "key": RULE_LINK_VALID, "valid_from": SINCE, "value": {"days": 14}, "unit": "ngày",
        "source": SOURCE,
        "note": "Đường dẫn một lần gửi cho đơn vị chưa có tài khoản CTXH hết hiệu lực sau 14 ngày; người chuyển "
                "gửi cấp lại đường dẫn mới khi cần.",
    },
]


def load_reference(apps: Any) -> int:
    """Add the rule rows that are missing; never overwrite one an administrator edited."""
    Rule = apps.get_model("core", "Rule")
    have = set(Rule.objects.filter(key__in=[r["key"] for r in RULES]).values_list("key", "valid_from"))
    new = [Rule(**r) for r in RULES if (r["key"], r["valid_from"]) not in have]
    Rule.objects.bulk_create(new)
    return len(new)
