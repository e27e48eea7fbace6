"""The vocabularies and default amounts of the app are data, loaded without overwriting edits."""

from __future__ import annotations

from ctxh.core.models import Rule, Term
from ctxh.support.reference import load_reference


def test_it_loads_the_vocabularies_with_units_and_sources(geo):
    assert Term.objects.of("support_item").get(code="heifer").extra["unit"] == "con"
    assert Term.objects.of("support_item").get(code="rice").extra["unit"] == "kg"
    kind = Term.objects.of("support_kind").get(code="emergency_funeral")
    assert kind.extra["rule"] == "support.funeral_multiplier" and kind.source
    assert {"wheelchair", "tricycle", "vocational_training", "job", "scholarship", "livelihood"} <= set(
        Term.objects.of("need_type").values_list("code", flat=True))
    assert Term.objects.of("funding_source_kind").get(code="donation").extra == {"requires": "donation"}
    rule = Rule.objects.get(key="support.scholarship_per_year")
    assert rule.value == 3_600_000 and "cần xác minh" in rule.source


def test_loading_again_adds_only_what_is_missing_and_keeps_edits(geo):
    Rule.objects.filter(key="support.livelihood_household").update(value=6_000_000)
    Term.objects.of("support_item").filter(code="goat").delete()
    assert load_reference(Rule, Term) == 1
    assert Rule.objects.get(key="support.livelihood_household").value == 6_000_000
    assert Term.objects.of("support_item").filter(code="goat").exists()
    assert load_reference(Rule, Term) == 0
