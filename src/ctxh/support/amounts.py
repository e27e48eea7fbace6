"""How much a kind of support is worth on a date, from the rule rows.

The kind's ``extra`` (``support/reference.py``) names the rule and how to use
it; nothing legal is a number here. For emergency support the law gives
minimums ("tối thiểu"): ``check`` refuses less than the minimum and accepts
more. The rows in force on the event date apply (a death on 30/06/2024 is
paid at the 2021 base level even if the support is given in August).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from ctxh.core.models import Rule, Term
from ctxh.core.rules import RuleMissing, rule_row

BASE_LEVEL = "assistance.base_level"


def money(amount: int | None) -> str:
    """1250000 → 1.250.000 ₫ (the ``vnd`` template filter)."""
    from ctxh.core.templatetags.ctxh import vnd

    return vnd(amount)


def _number(value: Any, key: str) -> Decimal:
    """A rule's value as a number; rows hold a bare number or ``{"value": n}``."""
    if isinstance(value, dict):
        value = value.get("value", value.get("amount"))
    try:
        return Decimal(str(value))
    except Exception as exc:  # a row an administrator typed wrongly
        raise RuleMissing(_("Quy định “%(key)s” không có giá trị số.") % {"key": key}) from exc


def _fmt(n: Decimal) -> str:
    return f"{n.normalize():f}".replace(".", ",")


@dataclass
class Calculation:
    """What the rules give for a kind of support on a date."""

    kind: str
    on: dt.date
    basis: str
    minimum: bool  # the law's floor (≥): less is refused, more is allowed
    amount: int | None = None  # VND
    quantity: int | None = None  # rice, in kg
    item: str = ""
    unit: str = ""
    max_months: int | None = None
    formula: str = ""
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["on"] = self.on.isoformat()
        return out

    @property
    def text(self) -> str:
        value = money(self.amount) if self.amount is not None else f"{self.quantity} {self.unit}"
        return f"{value} = {self.formula}" if self.formula else value


def _source(row: Rule) -> str:
    return f"{row.source} ({_('từ')} {row.valid_from:%d/%m/%Y})"


def calculate(kind: Term, *, on: dt.date, persons: int | None = None, months: int | None = None) -> Calculation | None:
    """The amount (or rice quantity) of ``kind`` on ``on``; None when the kind has no rule.

    Raises ``RuleMissing`` when a rule the kind needs has no row in force on
    that date. For rice, ``persons`` and ``months`` default to 1.
    """
    extra = kind.extra or {}
    basis = extra.get("basis")
    key = extra.get("rule")
    if not basis or not key:
        return None
    minimum = bool(extra.get("minimum"))
    row = rule_row(key, on)
    value = _number(row.value, key)
    calc = Calculation(kind=kind.code, on=on, basis=basis, minimum=minimum)
    if basis == "base_multiple":
        base_row = rule_row(BASE_LEVEL, on)
        base = _number(base_row.value, BASE_LEVEL)
        calc.amount = int((value * base).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        calc.formula = _("%(n)s × mức chuẩn trợ giúp xã hội %(base)s") % {"n": _fmt(value), "base": money(int(base))}
        calc.sources = [_source(row), _source(base_row)]
    elif basis == "fixed":
        calc.amount = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        calc.sources = [_source(row)]
    elif basis == "rice":
        persons = persons or 1
        months = months or 1
        calc.item = extra.get("item", "rice")
        calc.unit = "kg"
        calc.quantity = int((value * persons * months).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        calc.formula = _("%(kg)s kg × %(p)s người × %(m)s tháng") % {"kg": _fmt(value), "p": persons, "m": months}
        calc.sources = [_source(row)]
        if extra.get("max_months_rule"):
            max_row = rule_row(extra["max_months_rule"], on)
            calc.max_months = int(_number(max_row.value, extra["max_months_rule"]))
            calc.sources.append(_source(max_row))
    else:
        return None
    return calc


def check(
    kind: Term, *, on: dt.date, amount: int | None, quantity: int | None, persons: int | None, months: int | None,
) -> tuple[Calculation | None, dict[str, list[str]]]:
    """The calculation and the errors of what the user entered (less than a legal minimum, too many months)."""
    errors: dict[str, list[str]] = {}
    try:
        calc = calculate(kind, on=on, persons=persons, months=months)
    except RuleMissing as exc:
        return None, {"kind": [str(exc)]}
    if calc is None:
        return None, errors
    when = f"{on:%d/%m/%Y}"
    if calc.basis == "rice":
        if persons is None or persons < 1:
            errors["persons_count"] = [_("Cần ghi số nhân khẩu được hỗ trợ gạo (ít nhất 1).")]
        if months is None or months < 1:
            errors["months"] = [_("Cần ghi số tháng hỗ trợ gạo (ít nhất 1).")]
        elif calc.max_months is not None and months > calc.max_months:
            errors["months"] = [_("Hỗ trợ gạo tối đa %(max)s tháng theo quy định áp dụng ngày %(on)s.")
                                % {"max": calc.max_months, "on": when}]
        if errors:
            return calc, errors
        if calc.minimum and (quantity is None or quantity < (calc.quantity or 0)):
            errors["quantity"] = [_(
                "Mức hỗ trợ tối thiểu theo quy định là %(min)s kg gạo (%(formula)s, áp dụng ngày %(on)s). "
                "Có thể hỗ trợ nhiều hơn nhưng không được ít hơn.") % {
                    "min": calc.quantity, "formula": calc.formula, "on": when}]
        return calc, errors
    if calc.minimum and (amount is None or amount < (calc.amount or 0)):
        detail = f"{calc.formula}, " if calc.formula else ""
        errors["amount"] = [_(
            "Mức hỗ trợ tối thiểu theo quy định là %(min)s (%(detail)sáp dụng ngày %(on)s). "
            "Có thể nhập cao hơn nhưng không được thấp hơn.") % {
                "min": money(calc.amount), "detail": detail, "on": when}]
    return calc, errors
