"""Synthetic people (``ctxh seed``): what a user of the demo or a benchmark would notice."""

from __future__ import annotations

import collections
import re

import pytest

from ctxh.core.cccd import cccd_check
from ctxh.core.text import fold, given_name, normalize_name
from ctxh.people.models import (
    Disability,
    GroupMembership,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    Person,
)
from ctxh.people.seed import seed_people
from ctxh.people.selectors import search_filter

PERSONS = 300
SEED = 7


@pytest.fixture
def seeded(geo):
    made = seed_people(province_code=22, persons=PERSONS, random_seed=SEED)
    return made


def test_it_creates_exactly_the_number_asked(seeded, geo):
    assert seeded == PERSONS
    assert Person.objects.count() == PERSONS
    assert not Person.objects.exclude(province_id=22).exists()
    assert not Person.objects.exclude(commune__province_id=22).exists()
    assert HouseholdMember.objects.count() == PERSONS  # everybody lives in a household


def test_every_cccd_agrees_with_sex_and_birth_year(seeded):
    with_id = list(Person.objects.exclude(cccd=""))
    assert 0.7 * PERSONS < len(with_id) < PERSONS  # most, not all
    for p in with_id:
        check = cccd_check(p.cccd, sex=p.sex, birth_year=p.birth_year)
        assert check.errors == [] and check.warnings == [], (p.full_name, p.cccd, p.sex, p.birth_date)
    assert len({p.cccd for p in with_id}) == len(with_id)
    assert collections.Counter(p.cccd[:3] for p in with_id).most_common(1)[0][0] == "022"
    for number in Person.objects.exclude(old_id_number="").values_list("old_id_number", flat=True):
        assert re.fullmatch(r"\d{9}", number)


def test_some_birth_dates_are_known_only_to_the_year(seeded):
    year_only = Person.objects.filter(birth_precision="year")
    assert year_only.exists()
    assert all((d.month, d.day) == (1, 1) for d in year_only.values_list("birth_date", flat=True))
    assert all(d.day == 1 for d in Person.objects.filter(birth_precision="month").values_list("birth_date", flat=True))
    years = [d.year for d in Person.objects.values_list("birth_date", flat=True)]
    assert min(years) < 1950 and max(years) > 2015  # elderly and children


def test_each_household_has_one_head_and_lives_in_the_heads_commune(seeded):
    households = Household.objects.prefetch_related("members__person")
    assert households.exists()
    for h in households:
        members = list(h.members.all())
        heads = [m for m in members if m.relationship == "head"]
        assert len(heads) == 1, h.code
        head = heads[0].person
        assert head.status == "living"
        assert 1 <= len(members) <= 7
        assert h.code.startswith(f"S{SEED}-")
        for m in members:
            assert (m.person.commune_id, m.person.province_id) == (head.commune_id, h.province_id)
            assert m.person.commune_id == h.commune_id
            if m.relationship == "child" and m.person.birth_date and head.birth_date:
                assert m.person.birth_date > head.birth_date  # children are younger than the head


def test_names_are_stored_as_the_services_store_them(seeded):
    for p in Person.objects.all():
        assert p.full_name == normalize_name(p.full_name)
        assert p.name_folded == fold(p.full_name)
        assert p.given_folded == fold(given_name(p.full_name))
        if p.phone:
            assert re.fullmatch(r"0\d{9}", p.phone)
    families = collections.Counter(n.split()[0] for n in Person.objects.values_list("full_name", flat=True))
    top, count = families.most_common(1)[0]
    assert top == "Nguyễn" and 0.25 < count / PERSONS < 0.5
    marked = [n for n in Person.objects.values_list("full_name", flat=True) if fold(n) != n.lower()]
    assert len(marked) > PERSONS * 0.9  # Vietnamese names nearly always carry marks


def test_the_same_seed_gives_the_same_people_and_new_household_codes(seeded):
    first = list(Person.objects.order_by("id").values_list("full_name", "sex", "birth_precision"))
    codes = set(Household.objects.values_list("code", flat=True))
    assert seed_people(province_code=22, persons=PERSONS, random_seed=SEED) == PERSONS
    again = list(Person.objects.order_by("id").values_list("full_name", "sex", "birth_precision"))[PERSONS:]
    assert again == first
    new_codes = set(Household.objects.values_list("code", flat=True)) - codes
    assert len(new_codes) == Household.objects.count() - len(codes)  # continued, no clash
    cccds = [c for c in Person.objects.exclude(cccd="").values_list("cccd", flat=True)]
    assert len(cccds) == len(set(cccds))  # the second run did not reuse a number
    seed_people(province_code=22, persons=50, random_seed=SEED + 1)
    other = list(Person.objects.order_by("id").values_list("full_name", flat=True))[2 * PERSONS:]
    assert other != [n for n, _, _ in first[:50]]


def test_search_finds_seeded_people_by_folded_words(seeded):
    people = Person.objects.all()
    target = next(p for p in people.order_by("id") if len(p.full_name.split()) >= 3 and fold(p.full_name) != p.full_name.lower())
    family, given = fold(target.full_name).split()[0], fold(target.full_name).split()[-1]
    for q in (f"{given} {family}", target.full_name, target.full_name.upper(), f"{family[:3]} {given}"):
        assert target in search_filter(people, q), q
    for p in search_filter(people, "nguyen"):
        assert any(w.startswith("nguyen") for w in p.name_folded.split())
    assert search_filter(people, "nguyen").count() == people.filter(name_folded__regex=r"(^| )nguyen").count()
    with_id = people.exclude(cccd="").order_by("id").first()
    assert with_id in search_filter(people, with_id.cccd[:8])


def test_it_records_groups_disabilities_and_poverty_consistently(geo):
    seed_people(province_code=22, persons=2000, random_seed=3, focus_communes=[geo["c1"].pk])
    in_c1 = Person.objects.filter(commune=geo["c1"]).count()
    assert in_c1 > 2000 * 0.06  # a focus commune gets about a tenth
    disabled = Disability.objects.select_related("type", "level", "person")
    assert 0.03 * 2000 < disabled.count() < 0.12 * 2000
    for d in disabled:
        assert (d.type.vocabulary, d.level.vocabulary) == ("disability_type", "disability_level")
        assert d.certificate_date >= d.person.birth_date
    for g in GroupMembership.objects.select_related("group", "person"):
        assert g.group.vocabulary in ("allowance_group", "child_special")
        assert g.start_date >= g.person.birth_date
        assert g.end_date is None or g.end_date >= g.start_date
        assert g.source.startswith("QĐ số ")
    assert GroupMembership.objects.filter(group__code="d20_5_6c").exists()  # 80+ without pension
    for p in Person.objects.filter(status="deceased"):
        assert p.death_date and p.death_date > p.birth_date
    assert not Person.objects.exclude(status="deceased").filter(death_date__isnull=False).exists()
    poverty = HouseholdPoverty.objects.select_related("standard")
    share = poverty.count() / Household.objects.count()
    assert 0.02 < share < 0.2
    assert all(r.standard.valid_from.year <= r.year for r in poverty)
