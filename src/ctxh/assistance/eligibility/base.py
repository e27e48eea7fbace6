"""The machinery of one evaluation: the rule book, ages, lines and rejections."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from ctxh.assistance.eligibility.facts import (
    Facts,
    Line,
    Rejection,
    RuleRef,
    decimal_text,
)
from ctxh.core.models import Rule
from ctxh.core.rules import RuleMissing
from ctxh.core.templatetags.ctxh import vnd

PRECISIONS = ("day", "month", "year")


def dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


coefficient_text = decimal_text  # 2.5 → "2,5"


def amount_of(base: int, coefficient: Decimal) -> int:
    return int((Decimal(base) * coefficient).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _ref(row: Rule) -> RuleRef:
    return RuleRef(key=row.key, valid_from=row.valid_from, value=row.value, source=row.source,
                   unit=row.unit, note=row.note)


class RuleBook:
    """The assistance rule rows in force on one date, read in one query.

    A payment list evaluates many people on the same date: load the book once
    and pass it to ``evaluate``.
    """

    PREFIXES = ("assistance.",)

    def __init__(self, on: dt.date, rows: dict[str, RuleRef]) -> None:
        self.on = on
        self.rows = rows

    @classmethod
    def load(cls, on: dt.date) -> RuleBook:
        q = Q()
        for prefix in cls.PREFIXES:
            q |= Q(key__startswith=prefix)
        rows: dict[str, RuleRef] = {}
        for row in Rule.objects.filter(q, valid_from__lte=on).order_by("key", "-valid_from"):
            rows.setdefault(row.key, _ref(row))
        return cls(on, rows)

    def get(self, key: str) -> RuleRef | None:
        return self.rows.get(key)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _birthday(birth: dt.date, years: int) -> dt.date:
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year: the day after 28 February
        return dt.date(birth.year + years, 3, 1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class EvaluationBase:
    """One run of the engine: reads rules, keeps the age, collects lines, rejections and reasoning."""

    def __init__(self, facts: Facts, book: RuleBook) -> None:
        self.f = facts
        self.book = book
        self.used: dict[str, RuleRef] = {}
        self.reasoning: list[str] = []
        self.lines: list[Line] = []
        self.rejections: list[Rejection] = []
        self.base = 0
        self.age: int | None = None
        self.birth: dt.date | None = None
        self._month_age: int | None = None
        self._month_age_said = False

    # Rules ------------------------------------------------------------------

    def rule(self, key: str, *, required: bool = True) -> RuleRef | None:
        ref = self.book.get(key)
        if ref is None:
            if required:
                raise RuleMissing(_("Chưa có quy định “%(key)s” hiệu lực ngày %(on)s.")
                                  % {"key": key, "on": dmy(self.f.on)})
            return None
        self.used.setdefault(key, ref)
        return ref

    def value(self, key: str) -> Any:
        ref = self.rule(key)
        assert ref is not None
        return ref.value

    def number(self, key: str) -> int:
        return int(self.value(key))

    def codes(self, key: str) -> frozenset[str]:
        return frozenset(self.value(key) or [])

    # Base level and age -----------------------------------------------------

    def base_level(self) -> RuleRef:
        ref = self.rule("assistance.base_level")
        assert ref is not None
        province = self._province_id()
        if province is not None:
            local = self.rule(f"assistance.base_level.province.{province:02d}", required=False)
            if local is not None and int(local.value) > int(ref.value):
                self.reasoning.append(_("Tỉnh áp dụng mức chuẩn cao hơn mức chung %(national)s.")
                                      % {"national": vnd(int(ref.value))})
                ref = local
        self.base = int(ref.value)
        self.reasoning.append(
            _("Mức chuẩn trợ giúp xã hội ngày %(on)s: %(amount)s — %(source)s (hiệu lực từ %(since)s).")
            % {"on": dmy(self.f.on), "amount": vnd(self.base), "source": ref.source, "since": dmy(ref.valid_from)})
        return ref

    def _province_id(self) -> int | None:
        if not self.f.commune_id:
            return None
        from ctxh.geo.models import Commune

        return Commune.objects.filter(pk=self.f.commune_id).values_list("province_id", flat=True).first()

    def compute_age(self) -> None:
        f = self.f
        if f.birth_date is None:
            self.reasoning.append(_("Chưa có ngày sinh: không xét được các diện phụ thuộc tuổi."))
            return
        birth = f.birth_date
        if f.birth_precision in ("year", "month"):
            convention = self.rule("assistance.age.unknown_day")
            assert convention is not None
            last = convention.value == "last"
            if f.birth_precision == "year":
                birth = dt.date(birth.year, 12, 31) if last else dt.date(birth.year, 1, 1)
                known = _("Chỉ biết năm sinh %(year)s") % {"year": birth.year}
            else:
                birth = _month_end(birth) if last else birth.replace(day=1)
                known = _("Chỉ biết tháng sinh %(month)s") % {"month": f"{birth:%m/%Y}"}
            self.reasoning.append(
                _("%(known)s: theo quy ước, tính tuổi từ ngày %(birth)s — %(source)s (cần xác minh).")
                % {"known": known, "birth": dmy(birth), "source": convention.source})
        if birth > f.on:
            self.reasoning.append(_("Ngày sinh sau ngày xét: không xét được các diện phụ thuộc tuổi."))
            return
        self.birth = birth
        self.age = _age(birth, f.on)
        self.reasoning.append(
            _("Tuổi ngày %(on)s: %(age)s tuổi (sinh nhật lần thứ %(next)s vào ngày %(next_day)s).")
            % {"on": dmy(f.on), "age": self.age, "next": self.age + 1,
               "next_day": dmy(_birthday(birth, self.age + 1))})

    def month_age(self) -> int | None:
        """Age on the last day of the month judged: qualifies from the month of the birthday."""
        if self.birth is None:
            return None
        if self._month_age is None:
            self._month_age = _age(self.birth, _month_end(self.f.on))
        if self._month_age != self.age and not self._month_age_said:
            self._month_age_said = True
            ref = self.rule("assistance.age.birthday_month_groups")
            assert ref is not None
            self.reasoning.append(
                _("Với diện tính tuổi theo tháng sinh nhật, tháng %(month)s được tính là đã %(age)s tuổi — %(source)s.")
                % {"month": f"{self.f.on:%m/%Y}", "age": self._month_age, "source": ref.source})
        return self._month_age

    # Lines ------------------------------------------------------------------

    def coefficient(self, key: str) -> tuple[Decimal, RuleRef] | None:
        ref = self.rule(key, required=False)
        if ref is None:
            return None
        return Decimal(str(ref.value)), ref

    def add(self, *, scheme: str, group: str, term: str, label: str, key: str, reasons: list[str],
            extra_rules: tuple[RuleRef, ...] = (), multiplier: int = 1, recipient: str = "self") -> Line | None:
        found = self.coefficient(key)
        if found is None:
            self.reject(scheme, group, label, [_("Chưa có hệ số “%(key)s” hiệu lực ngày %(on)s.")
                                               % {"key": key, "on": dmy(self.f.on)}])
            return None
        coefficient, ref = found
        coefficient = coefficient * multiplier
        amount = amount_of(self.base, coefficient)
        line = Line(scheme=scheme, group=group, label=label, coefficient=coefficient, amount=amount,
                    rules=(ref, *extra_rules), reasons=tuple(reasons), recipient=recipient, term=term)
        self.lines.append(line)
        self.reasoning.append(
            _("✓ %(label)s: hệ số %(coef)s × %(base)s = %(amount)s — %(source)s.")
            % {"label": label, "coef": coefficient_text(coefficient), "base": vnd(self.base),
               "amount": vnd(amount), "source": ref.source})
        return line

    def reject(self, scheme: str, group: str, label: str, reasons: list[str]) -> None:
        self.rejections.append(Rejection(scheme=scheme, group=group, label=label, reasons=tuple(reasons)))
        self.reasoning.append(_("✗ %(label)s: không đủ điều kiện — %(why)s.")
                              % {"label": label, "why": "; ".join(reasons)})

    def ticked(self, code: str) -> bool:
        return code in self.f.groups

    def poverty_ok(self, group: str) -> tuple[bool, str]:
        allowed = self.codes(f"assistance.poverty.{group}")
        status = self.f.household_poverty
        if status in allowed:
            return True, _("hộ %(status)s") % {"status": poverty_label(status)}
        return False, _("hộ %(status)s, diện này cần %(allowed)s") % {
            "status": poverty_label(status),
            "allowed": _(" hoặc ").join(poverty_label(s) for s in sorted(allowed, key=POVERTY_ORDER.index))}

    def no_age(self, scheme: str, group: str, label: str) -> None:
        self.reject(scheme, group, label, [_("chưa biết tuổi (cần ngày sinh)")])


POVERTY_ORDER = ["poor", "near_poor", "none", None]


def poverty_label(status: str | None) -> str:
    return {"poor": _("nghèo"), "near_poor": _("cận nghèo"), "none": _("không nghèo")}.get(status or "", _("chưa rõ phân loại"))


def level_label(level: str) -> str:
    return {"especially_severe": _("Khuyết tật đặc biệt nặng"), "severe": _("Khuyết tật nặng"),
            "mild": _("Khuyết tật nhẹ")}.get(level, level)
