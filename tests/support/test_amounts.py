"""Emergency amounts come from the rule rows in force on the event date (Decree 20/2021, base level 76/2024)."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.core.models import Rule
from ctxh.core.rules import RuleMissing
from ctxh.support import amounts
from tests.support.conftest import term

D = dt.date


@pytest.mark.parametrize(("event", "expected"), [
    (D(2024, 6, 30), 7_200_000),   # 20 × 360.000 (Decree 20/2021)
    (D(2024, 7, 1), 10_000_000),   # 20 × 500.000 (Decree 76/2024)
])
def test_it_pays_funeral_support_at_twenty_times_the_base_level_of_the_event_date(geo, event, expected):
    calc = amounts.calculate(term("support_kind", "emergency_funeral"), on=event)
    assert calc.amount == expected
    assert calc.minimum is True
    assert "20 × mức chuẩn trợ giúp xã hội" in calc.formula
    assert any("Nghị định" in s for s in calc.sources)


@pytest.mark.parametrize(("code", "expected"), [
    ("emergency_disaster_death", 25_000_000),
    ("emergency_injury", 5_000_000),
    ("emergency_funeral_resident", 25_000_000),
    ("housing_rebuild", 40_000_000),
    ("housing_relocation", 30_000_000),
    ("housing_repair", 20_000_000),
])
def test_it_computes_each_emergency_minimum_from_its_rule(geo, code, expected):
    assert amounts.calculate(term("support_kind", code), on=D(2025, 8, 1)).amount == expected


def test_it_gives_fifteen_kg_of_rice_per_person_per_month_for_at_most_three_months(geo):
    calc = amounts.calculate(term("support_kind", "emergency_rice"), on=D(2025, 8, 1), persons=4, months=3)
    assert (calc.quantity, calc.unit, calc.max_months) == (180, "kg", 3)
    _calc, errors = amounts.check(term("support_kind", "emergency_rice"), on=D(2025, 8, 1), amount=None,
                                  quantity=300, persons=4, months=4)
    assert "tối đa 3 tháng" in errors["months"][0]


def test_it_uses_the_province_default_for_scholarships_without_enforcing_it(geo):
    kind = term("support_kind", "scholarship")
    calc, errors = amounts.check(kind, on=D(2025, 9, 5), amount=2_000_000, quantity=None, persons=None, months=None)
    assert calc.amount == 3_600_000 and calc.minimum is False
    assert "cần xác minh" in calc.sources[0]
    assert errors == {}


def test_it_refuses_less_than_the_minimum_with_the_minimum_in_the_message(geo):
    _calc, errors = amounts.check(term("support_kind", "emergency_funeral"), on=D(2025, 1, 3), amount=9_000_000,
                                  quantity=None, persons=None, months=None)
    assert "10.000.000 ₫" in errors["amount"][0]
    assert "03/01/2025" in errors["amount"][0]
    _calc, errors = amounts.check(term("support_kind", "emergency_funeral"), on=D(2025, 1, 3), amount=12_000_000,
                                  quantity=None, persons=None, months=None)
    assert errors == {}


def test_a_new_base_level_row_changes_the_amount_from_its_date_only(geo):
    Rule.objects.create(key="assistance.base_level", valid_from=D(2026, 7, 1), value=540_000, source="Thử nghiệm")
    kind = term("support_kind", "emergency_injury")
    assert amounts.calculate(kind, on=D(2026, 6, 30)).amount == 5_000_000
    assert amounts.calculate(kind, on=D(2026, 7, 1)).amount == 5_400_000


def test_an_event_before_any_rule_row_is_reported_not_guessed(geo):
    with pytest.raises(RuleMissing):
        amounts.calculate(term("support_kind", "emergency_funeral"), on=D(2000, 1, 1))
    _calc, errors = amounts.check(term("support_kind", "emergency_funeral"), on=D(2000, 1, 1), amount=1,
                                  quantity=None, persons=None, months=None)
    assert "Chưa có quy định" in errors["kind"][0]


def test_kinds_without_a_rule_have_no_suggestion(geo):
    assert amounts.calculate(term("support_kind", "goods"), on=D(2025, 1, 1)) is None
