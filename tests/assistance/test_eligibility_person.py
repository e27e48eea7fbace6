"""A registered person's facts come from the registry, on the date judged."""

import datetime as dt

import pytest

from ctxh.assistance.eligibility import Facts, evaluate, facts_for_person, person_check
from ctxh.core.models import Term
from ctxh.people.models import (
    Disability,
    GroupMembership,
    HouseholdMember,
    HouseholdPoverty,
    PovertyStandard,
)
from tests.factories import HouseholdFactory, PersonFactory

ON = dt.date(2025, 3, 15)


def term(vocabulary, code):
    return Term.objects.get(vocabulary=vocabulary, code=code)


@pytest.fixture
def grandmother(geo):
    """Bà Lò Thị Mai, 84, head of a poor household, alone with no one to support her."""
    person = PersonFactory(full_name="Lò Thị Mai", commune=geo["c1"], birth_date=dt.date(1941, 1, 1),
                           birth_precision="year")
    household = HouseholdFactory(commune=geo["c1"])
    HouseholdMember.objects.create(household=household, person=person, relationship="head")
    standard = PovertyStandard.objects.get(code="ND07-2021")
    HouseholdPoverty.objects.create(household=household, year=2025, status="poor", standard=standard)
    HouseholdPoverty.objects.create(household=household, year=2024, status="none", standard=standard)
    GroupMembership.objects.create(person=person, group=term("allowance_group", "d20_5_6a"),
                                   start_date=dt.date(2024, 1, 1), source="QĐ 12/QĐ-UBND")
    return person


def test_it_reads_groups_poverty_and_birth_precision(grandmother):
    facts = facts_for_person(grandmother, ON)
    assert facts.groups == {"d20_5_6a"} and facts.household_poverty == "poor"
    assert facts.birth_precision == "year" and facts.commune_id == grandmother.commune_id
    result = person_check(grandmother, ON)
    assert [line.group for line in result.paid] == ["d20_5_6a_80"] and result.total == 1_000_000


def test_the_poverty_status_is_that_of_the_year_judged(grandmother):
    assert facts_for_person(grandmother, dt.date(2024, 12, 31)).household_poverty == "none"
    assert facts_for_person(grandmother, dt.date(2023, 6, 1)).household_poverty is None
    result = person_check(grandmother, dt.date(2024, 12, 31))
    assert "d20_5_6a_80" not in {line.group for line in result.qualifying}


def test_a_group_counts_only_while_in_force(grandmother):
    membership = grandmother.groups.get()
    membership.end_date = dt.date(2025, 2, 28)
    membership.save()
    assert facts_for_person(grandmother, dt.date(2025, 2, 28)).groups == {"d20_5_6a"}
    assert facts_for_person(grandmother, ON).groups == frozenset()
    assert facts_for_person(grandmother, dt.date(2023, 12, 31)).groups == frozenset()


def test_the_disability_level_on_record_is_used(geo):
    person = PersonFactory(commune=geo["c1"], birth_date=dt.date(2015, 5, 2))
    Disability.objects.create(person=person, type=term("disability_type", "mobility"),
                              level=term("disability_level", "mild"), certificate_date=dt.date(2020, 1, 10))
    Disability.objects.create(person=person, type=term("disability_type", "mobility"),
                              level=term("disability_level", "especially_severe"),
                              certificate_date=dt.date(2025, 1, 10))
    assert facts_for_person(person, dt.date(2024, 6, 1)).disability_level == "mild"
    facts = facts_for_person(person, ON)
    assert facts.disability_level == "especially_severe" and facts.disability_type == "mobility"
    assert person_check(person, ON).total == 1_250_000


def test_a_single_head_of_household_raises_the_children_under_16_on_record(geo):
    mother = PersonFactory(full_name="Hà Thị Lan", commune=geo["c1"], birth_date=dt.date(1990, 2, 2))
    household = HouseholdFactory(commune=geo["c1"])
    HouseholdMember.objects.create(household=household, person=mother, relationship="head")
    for birth in (dt.date(2012, 4, 1), dt.date(2018, 9, 9), dt.date(2005, 1, 1)):
        HouseholdMember.objects.create(household=household, relationship="child",
                                       person=PersonFactory(commune=geo["c1"], birth_date=birth))
    HouseholdPoverty.objects.create(household=household, year=2025, status="poor",
                                    standard=PovertyStandard.objects.get(code="ND07-2021"))
    GroupMembership.objects.create(person=mother, group=term("allowance_group", "d20_5_5"),
                                   start_date=dt.date(2023, 1, 1), source="QĐ 3/QĐ-UBND")
    facts = facts_for_person(mother, ON)
    assert facts.children_raised == 2
    assert person_check(mother, ON).total == 1_000_000
    # The elder child turns 16 on 01/04/2028: from then one child is counted.
    assert facts_for_person(mother, dt.date(2028, 4, 1)).children_raised == 1


def test_hiv_groups_set_the_hiv_fact(geo):
    person = PersonFactory(commune=geo["c1"], birth_date=dt.date(2016, 1, 1))
    GroupMembership.objects.create(person=person, group=term("child_special", "tedb_05"),
                                   start_date=dt.date(2020, 1, 1), source="Biên bản")
    assert facts_for_person(person, ON).hiv is True


def test_a_registered_person_and_the_same_facts_typed_in_get_the_same_answer(grandmother):
    typed = Facts(on=ON, birth_date=dt.date(1941, 1, 1), birth_precision="year", sex="female",
                  groups=frozenset({"d20_5_6a"}), household_poverty="poor", commune_id=grandmother.commune_id)
    registered = person_check(grandmother, ON)
    assert evaluate(typed).paid == registered.paid and evaluate(typed).reasoning == registered.reasoning


def test_without_residence_records_the_person_is_not_a_resident(grandmother):
    assert facts_for_person(grandmother, ON).in_residential_care is False
