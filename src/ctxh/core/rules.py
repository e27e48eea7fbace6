"""Ask the rule table what a legal value is on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ctxh.core.models import Rule


class RuleMissing(LookupError):
    """No row of the rule is in force on the date asked."""


def rule_row(key: str, on: dt.date) -> Rule:
    row = Rule.objects.filter(key=key, valid_from__lte=on).order_by("-valid_from").first()
    if row is None:
        raise RuleMissing(f"Chưa có quy định '{key}' hiệu lực ngày {on:%d/%m/%Y}.")
    return row


def rule_value(key: str, on: dt.date) -> Any:
    return rule_row(key, on).value
