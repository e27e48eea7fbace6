"""Money typed the Vietnamese way, read as whole đồng (integer VND) — the one form field for every app."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _l

# Whole đồng: plain digits, or digits grouped by three with dots, spaces or commas (one kind per number).
_GROUPED = re.compile(r"^\d{1,3}(?P<sep>[. ,])\d{3}((?P=sep)\d{3})*$")
_SUFFIX = re.compile(r"\s*(₫|đồng|đ|vnđ|vnd)\.?$", re.IGNORECASE)
MAX_VND = 10**13  # ten thousand billion đồng: beyond any grant, list or donation


def parse_vnd(text: str) -> int | None:
    """``"1.500.000 ₫"`` → 1500000; ``""`` → None; ValueError when not a whole number of đồng."""
    text = _SUFFIX.sub("", (text or "").strip()).strip()
    if not text:
        return None
    sign = -1 if text.startswith("-") else 1
    body = text[1:].strip() if sign < 0 else text
    if body.isdigit():
        return sign * int(body)
    if _GROUPED.match(body):
        return sign * int(re.sub(r"[. ,]", "", body))
    raise ValueError(text)


class MoneyField(forms.Field):
    """An amount in đồng: 1500000, 1.500.000, 1 500 000 or 1,500,000, with or without ₫/đ/VND.

    "1,5" or "1.5" (a decimal part) and anything not a number are refused with
    a Vietnamese message, never read as another amount. Negative only with
    ``allow_negative`` (a correction).
    """

    default_error_messages = {
        "invalid": _l("Nhập số tiền bằng đồng, không có phần lẻ, ví dụ 1.500.000."),
        "negative": _l("Số tiền không được âm."),
        "min_value": _l("Số tiền phải từ %(limit)s đồng trở lên."),
        "max_value": _l("Số tiền không được quá %(limit)s đồng."),
    }

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = MAX_VND, allow_negative: bool = False,
                 **kwargs: Any) -> None:
        self.min_value, self.max_value, self.allow_negative = min_value, max_value, allow_negative
        if allow_negative and min_value == 0:
            self.min_value = None
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "inputmode": "numeric", "placeholder": "1.500.000", "maxlength": "24", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value: Any) -> int | None:
        if value is None or isinstance(value, int):
            return value
        try:
            amount = parse_vnd(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount is None:
            return None
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if self.min_value is not None and amount < self.min_value:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value",
                                        params={"limit": self.prepare_value(self.min_value)})
        if self.max_value is not None and amount > self.max_value:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value",
                                        params={"limit": self.prepare_value(self.max_value)})
        return amount
