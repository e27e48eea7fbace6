"""The rule rows and terms of social assistance: loaded once, with sources, never overwritten."""

import datetime as dt

import pytest

from ctxh.assistance.reference import load_rules, rule_rows, term_rows
from ctxh.core.models import Rule, Term
from ctxh.core.rules import rule_value

pytestmark = pytest.mark.django_db


def test_the_migration_loaded_every_row_and_term():
    for row in rule_rows():
        assert Rule.objects.filter(key=row["key"], valid_from=row["valid_from"]).exists(), row["key"]
    assert set(Term.objects.filter(vocabulary="care_support").values_list("code", flat=True)) == {
        t["code"] for t in term_rows()}


def test_loading_again_adds_nothing_and_keeps_an_edited_row():
    row = Rule.objects.get(key="assistance.coef.d20_5_6d", valid_from=dt.date(2021, 7, 1))
    row.value = 3.5
    row.save()
    assert load_rules(Rule, Term) == 0
    row.refresh_from_db()
    assert row.value == 3.5


def test_every_row_names_its_document_and_unit():
    for row in rule_rows():
        assert row["source"] and len(row["source"]) <= 300 and row["unit"], row["key"]


def test_one_off_support_amounts_are_there_for_the_support_app():
    on = dt.date(2025, 1, 1)
    assert {key: rule_value(key, on) for key in (
        "support.funeral_multiplier", "support.disaster_death_multiplier", "support.injury_multiplier",
        "support.rice_kg_per_person_month", "support.rice_max_months", "support.housing_rebuild",
        "support.housing_relocation", "support.housing_repair", "support.resident_funeral_multiplier",
    )} == {
        "support.funeral_multiplier": 20, "support.disaster_death_multiplier": 50, "support.injury_multiplier": 10,
        "support.rice_kg_per_person_month": 15, "support.rice_max_months": 3, "support.housing_rebuild": 40_000_000,
        "support.housing_relocation": 30_000_000, "support.housing_repair": 20_000_000,
        "support.resident_funeral_multiplier": 50,
    }


@pytest.mark.parametrize("on,level", [(dt.date(2020, 12, 31), 270_000), (dt.date(2021, 7, 1), 360_000),
                                      (dt.date(2024, 6, 30), 360_000), (dt.date(2024, 7, 1), 500_000)])
def test_the_base_level_history(on, level):
    assert rule_value("assistance.base_level", on) == level


def test_the_social_pension_starts_on_1_july_2025():
    assert not Rule.objects.filter(key__startswith="assistance.social_pension.", valid_from__lt=dt.date(2025, 7, 1))
    assert rule_value("assistance.social_pension.amount", dt.date(2025, 7, 1)) == 500_000


def test_conventions_needing_verification_say_so():
    for key in ("assistance.age.unknown_day", "assistance.social_pension.on_tie",
                "assistance.social_pension.pension_below_pays", "assistance.age.birthday_month_groups"):
        assert "xác minh" in Rule.objects.filter(key=key).latest("valid_from").note
