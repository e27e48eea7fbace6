"""The directory's category lists are data with sources, loaded by a migration, never overwritten."""

from __future__ import annotations

from ctxh.core.models import Term
from ctxh.network.reference import load_reference


def test_it_loads_every_vocabulary_with_a_source(db):
    for vocabulary, at_least in (("provider_type", 15), ("provider_sector", 7), ("provider_service", 30),
                                 ("provider_target", 9), ("public_hotline", 5)):
        terms = Term.objects.of(vocabulary)
        assert terms.count() >= at_least, vocabulary
        assert all(t.source and t.valid_from and t.name_en for t in terms), vocabulary
    assert Term.objects.get(vocabulary="provider_type", code="one_stop_gbv").name.endswith("(Ngôi nhà Ánh Dương)")


def test_it_organises_services_in_groups(db):
    legal_aid = Term.objects.get(vocabulary="provider_service", code="legal_aid")
    assert legal_aid.parent.code == "legal"
    groups = Term.objects.of("provider_service").filter(parent__isnull=True)
    assert {"counselling", "protection", "health", "care", "livelihood"} <= set(groups.values_list("code", flat=True))
    assert all(Term.objects.filter(parent=g).exists() for g in groups)


def test_each_type_names_a_sector_that_exists(db):
    sectors = set(Term.objects.of("provider_sector").values_list("code", flat=True))
    for t in Term.objects.of("provider_type"):
        assert t.extra["sector"] in sectors, t.code


def test_each_public_number_says_what_it_is_for(db):
    numbers = {t.extra["number"]: t.extra for t in Term.objects.of("public_hotline")}
    assert {"111", "113", "115"} <= set(numbers)
    assert all(x["purpose"] and x["purpose_en"] for x in numbers.values())


def test_loading_again_adds_nothing_and_keeps_edits(db):
    term = Term.objects.get(vocabulary="provider_target", code="elderly")
    term.name = "Người cao tuổi (sửa bởi quản trị)"
    term.save()
    Term.objects.filter(vocabulary="provider_service", code="day_care").delete()
    assert load_reference(Term) == 1
    assert load_reference(Term) == 0
    term.refresh_from_db()
    assert term.name == "Người cao tuổi (sửa bởi quản trị)"
    assert Term.objects.get(vocabulary="provider_service", code="day_care").parent.code == "care"
