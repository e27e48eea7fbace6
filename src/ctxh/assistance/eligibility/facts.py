"""The shapes the engine takes and returns (the contract other code relies on)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Term vocabularies whose codes may appear in ``Facts.groups``.
ALLOWANCE_VOCABULARIES = ("allowance_group", "child_special")
CARE_VOCABULARY = "care_support"

SCHEME_ALLOWANCE = "monthly_allowance"
SCHEME_RESIDENTIAL = "residential_care"
SCHEME_CARE = "care_support"
SCHEME_PENSION = "social_pension"


def decimal_text(value: Decimal) -> str:
    """2.5 → "2,5"; 2 → "2,0" (as the decrees write coefficients)."""
    text = format(value.normalize(), "f")
    if "." not in text:
        text += ".0"
    return text.replace(".", ",")


@dataclass(frozen=True)
class Facts:
    """What is known of a person on a date: the only input of the engine."""

    on: dt.date
    birth_date: dt.date | None = None
    birth_precision: str = "day"            # "day" | "month" | "year" (people.DatePrecision values)
    sex: str = "unknown"
    groups: frozenset[str] = frozenset()    # allowance_group, child_special and care_support codes
    disability_level: str | None = None     # "especially_severe" | "severe" | "mild"
    household_poverty: str | None = None    # "poor" | "near_poor" | "none"
    has_pension: bool = False               # pension or monthly social insurance allowance
    pension_amount: int = 0
    studying: bool = False
    hiv: bool = False
    children_raised: int = 0                # single parent: children under 16 (or to 22 studying) raised
    disadvantaged_commune: bool = False     # commune in especially disadvantaged ethnic-minority area
    in_residential_care: bool = False       # state-funded resident (art. 25)
    commune_id: int | None = None
    disability_type: str | None = None      # disability_type term code (shown, not used in amounts)
    pregnant: bool = False                  # care support: parent with a disability who is pregnant
    young_children: int = 0                 # care support: children under 36 months raised


@dataclass(frozen=True)
class RuleRef:
    """The rule row a step of the reasoning read."""

    key: str
    valid_from: dt.date
    value: Any
    source: str
    unit: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "valid_from": self.valid_from.isoformat(), "value": self.value,
                "unit": self.unit, "source": self.source, "note": self.note}

    @property
    def value_text(self) -> str:
        """The value as a Vietnamese reader writes it: 500.000, 2,5, a list joined by commas."""
        value = self.value
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        if isinstance(value, float):
            return decimal_text(Decimal(str(value)))
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "—"
        return str(value)


@dataclass(frozen=True)
class Line:
    """One row of a scheme that the person qualifies for."""

    scheme: str        # "monthly_allowance" | "residential_care" | "care_support" | "social_pension"
    group: str         # e.g. "d20_5_6a_80" — stable code of the sub-group/row
    label: str         # Vietnamese label
    coefficient: Decimal
    amount: int        # VND per month = round(base_level × coefficient)
    rules: tuple[RuleRef, ...]
    reasons: tuple[str, ...]
    recipient: str = "self"      # "self" | "carer" (care support paid to the household or person caring)
    fixed_amount: bool = False   # social pension: a fixed amount, not base × coefficient (coefficient 0)
    term: str = ""               # the Term code (allowance_group / care_support) the row derives from

    @property
    def coefficient_text(self) -> str:
        return "—" if self.fixed_amount else decimal_text(self.coefficient)


@dataclass(frozen=True)
class Rejection:
    """A group the facts point at, or that was ticked, but that does not qualify — and why."""

    scheme: str
    group: str
    label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    on: dt.date
    base_level: int
    base_rule: RuleRef
    age: int | None
    qualifying: tuple[Line, ...]   # every row that qualifies
    paid: tuple[Line, ...]         # what is actually paid
    total: int
    reasoning: tuple[str, ...]     # line by line, Vietnamese
    rejected: tuple[Rejection, ...] = ()
    rules: tuple[RuleRef, ...] = ()   # every rule row read, in the order first read
    birth_assumed: dt.date | None = None  # the birth date the ages were counted from
