"""The eligibility engine: the coefficient table of Decree 20/2021 row by row, ages, and what is paid."""

import datetime as dt
from decimal import Decimal

import pytest

from ctxh.assistance.eligibility import Facts, evaluate
from ctxh.core.models import Rule

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 3, 15)  # base level 500.000 ₫, before the social pension


def born(years: int, on: dt.date = ON, days: int = 0) -> dt.date:
    """The birth date of someone who turns ``years`` on ``on`` (shifted by ``days``)."""
    return on.replace(year=on.year - years) + dt.timedelta(days=days)


def run(on: dt.date = ON, **facts):
    if "groups" in facts:
        facts["groups"] = frozenset(facts["groups"])
    return evaluate(Facts(on=on, **facts))


def by_group(result):
    return {line.group: line for line in result.qualifying}


def paid_groups(result):
    return [line.group for line in result.paid]


# The table of domain.md, one row each: facts → (row code, coefficient).
TABLE = [
    ("no carer, under 4", dict(birth_date=born(2), groups={"d20_5_1"}), "d20_5_1_under4", "2.5"),
    ("no carer, 4 to 16", dict(birth_date=born(10), groups={"d20_5_1"}), "d20_5_1_from4", "1.5"),
    ("orphan of both parents counts as no carer", dict(birth_date=born(9), groups={"tedb_01"}), "d20_5_1_from4", "1.5"),
    ("16 to 22 studying, formerly no carer", dict(birth_date=born(18), groups={"d20_5_1"}, studying=True), "d20_5_2", "1.5"),
    ("child with HIV, poor, under 4", dict(birth_date=born(3), hiv=True, household_poverty="poor"), "d20_5_3_under4", "2.5"),
    ("child with HIV, poor, 4 to 16", dict(birth_date=born(8), hiv=True, household_poverty="poor"), "d20_5_3_from4", "2.0"),
    ("elderly, poor, no supporter, 60 to 80", dict(birth_date=born(65), groups={"d20_5_6a"}, household_poverty="poor"), "d20_5_6a_60", "1.5"),
    ("elderly, poor, no supporter, 80+", dict(birth_date=born(85), groups={"d20_5_6a"}, household_poverty="poor"), "d20_5_6a_80", "2.0"),
    ("75 to 80, near-poor, disadvantaged commune",
     dict(birth_date=born(77), household_poverty="near_poor", disadvantaged_commune=True), "d20_5_6b", "1.0"),
    ("80+ without pension", dict(birth_date=born(82)), "d20_5_6c", "1.0"),
    ("elderly cared for in the community", dict(birth_date=born(70), groups={"d20_5_6d"}, household_poverty="poor"), "d20_5_6d", "3.0"),
    ("adult with HIV, poor, no stable income", dict(birth_date=born(35), hiv=True, household_poverty="poor"), "d20_5_4", "1.5"),
    ("especially severe disability, adult", dict(birth_date=born(30), disability_level="especially_severe"),
     "d20_5_7_especially_severe_adult", "2.0"),
    ("especially severe disability, child", dict(birth_date=born(10), disability_level="especially_severe"),
     "d20_5_7_especially_severe_child", "2.5"),
    ("especially severe disability, elderly", dict(birth_date=born(70), disability_level="especially_severe"),
     "d20_5_7_especially_severe_elderly", "2.5"),
    ("severe disability, adult", dict(birth_date=born(30), disability_level="severe"), "d20_5_7_severe_adult", "1.5"),
    ("severe disability, child", dict(birth_date=born(10), disability_level="severe"), "d20_5_7_severe_child", "2.0"),
    ("severe disability, elderly", dict(birth_date=born(62), disability_level="severe"), "d20_5_7_severe_elderly", "2.0"),
    ("poor single parent, one child", dict(birth_date=born(30), groups={"d20_5_5"}, household_poverty="poor",
                                           children_raised=1), "d20_5_5", "1.0"),
    ("residential care, under 4", dict(birth_date=born(1), in_residential_care=True), "d20_25_under4", "5.0"),
    ("residential care, from 4", dict(birth_date=born(40), in_residential_care=True), "d20_25_from4", "4.0"),
    ("fostering a child under 4", dict(birth_date=born(3), groups={"care_foster_child"}), "care_foster_child_under4", "2.5"),
    ("fostering a child 4 to 16", dict(birth_date=born(7), groups={"care_foster_child"}), "care_foster_child_from4", "1.5"),
    ("fostering an elderly person", dict(birth_date=born(70), groups={"care_foster_elderly"}), "care_foster_elderly", "1.5"),
    ("disabled parent raising one child under 36 months",
     dict(birth_date=born(28), disability_level="severe", groups={"care_disabled_parent"}, young_children=1),
     "care_disabled_parent_one", "1.5"),
    ("disabled parent, pregnant", dict(birth_date=born(28), disability_level="severe", groups={"care_disabled_parent"},
                                       pregnant=True), "care_disabled_parent_one", "1.5"),
    ("disabled parent, pregnant and raising one",
     dict(birth_date=born(28), disability_level="especially_severe", groups={"care_disabled_parent"}, pregnant=True,
          young_children=1), "care_disabled_parent_two", "2.0"),
    ("disabled parent raising two", dict(birth_date=born(28), disability_level="severe", groups={"care_disabled_parent"},
                                         young_children=2), "care_disabled_parent_two", "2.0"),
    ("household caring for especially severe disability",
     dict(birth_date=born(40), disability_level="especially_severe", groups={"care_household_esd"}), "care_household_esd", "1.0"),
    ("taking in an adult with especially severe disability",
     dict(birth_date=born(40), disability_level="especially_severe", groups={"care_takein_esd"}),
     "care_takein_esd_adult", "1.5"),
    ("taking in a child with especially severe disability",
     dict(birth_date=born(6), disability_level="especially_severe", groups={"care_takein_esd"}),
     "care_takein_esd_child", "2.5"),
]


@pytest.mark.parametrize("facts,group,coefficient", [t[1:] for t in TABLE], ids=[t[0] for t in TABLE])
def test_it_applies_each_row_of_the_coefficient_table(facts, group, coefficient):
    result = run(**facts)
    line = by_group(result)[group]
    assert line.coefficient == Decimal(coefficient)
    assert line.amount == int(Decimal(coefficient) * 500_000)
    assert line.rules[0].source.startswith("Nghị định 20/2021/NĐ-CP")
    assert any(line.label in step for step in result.reasoning)


def test_a_mild_disability_gives_no_monthly_allowance():
    result = run(birth_date=born(30), disability_level="mild")
    assert result.qualifying == () and result.total == 0
    assert "khuyết tật nhẹ" in result.rejected[0].label.lower()
    assert any("không thuộc diện hưởng trợ cấp hằng tháng" in step for step in result.reasoning)


def test_a_single_parent_gets_one_coefficient_per_child():
    result = run(birth_date=born(30), groups={"d20_5_5"}, household_poverty="poor", children_raised=3)
    line = by_group(result)["d20_5_5"]
    assert line.coefficient == Decimal("3.0") and line.amount == 1_500_000


def test_a_near_poor_single_parent_does_not_qualify():
    result = run(birth_date=born(30), groups={"d20_5_5"}, household_poverty="near_poor", children_raised=1)
    assert result.qualifying == ()
    assert "cận nghèo" in result.rejected[0].reasons[0]


def test_a_child_with_hiv_outside_a_poor_household_does_not_qualify():
    result = run(birth_date=born(8), hiv=True, household_poverty="near_poor")
    assert result.qualifying == () and result.rejected[0].group == "d20_5_3"


def test_a_person_with_hiv_and_a_pension_does_not_qualify():
    result = run(birth_date=born(50), hiv=True, household_poverty="poor", has_pension=True)
    assert result.qualifying == () and "lương hưu" in result.rejected[0].reasons[0]


def test_an_80_year_old_with_a_pension_does_not_qualify():
    result = run(birth_date=born(82), has_pension=True, pension_amount=4_000_000)
    assert result.qualifying == () and result.rejected[0].group == "d20_5_6c"


def test_75_to_80_outside_a_disadvantaged_commune_does_not_qualify():
    result = run(birth_date=born(77), household_poverty="poor")
    assert result.qualifying == ()
    assert "đặc biệt khó khăn" in result.rejected[0].reasons[0]


def test_a_commune_on_the_disadvantaged_list_counts_without_ticking(geo):
    Rule.objects.create(key="assistance.disadvantaged_communes", valid_from=dt.date(2025, 1, 1),
                        value=[geo["c1"].pk], unit="mã xã", source="Quyết định thử nghiệm")
    result = run(birth_date=born(77), household_poverty="poor", commune_id=geo["c1"].pk)
    assert "d20_5_6b" in by_group(result)
    assert not by_group(run(birth_date=born(77), household_poverty="poor", commune_id=geo["c2"].pk))


def test_studying_is_required_from_16():
    result = run(birth_date=born(18), groups={"d20_5_1"})
    reasons = {r.group: r.reasons for r in result.rejected}
    assert result.qualifying == ()
    assert reasons == {"d20_5_1": ("đã đủ 16 tuổi",), "d20_5_2": ("không đang đi học",)}


# Age boundaries: the day before and the day of the birthday ------------------

@pytest.mark.parametrize("years,facts,before,on_day", [
    (4, dict(groups={"d20_5_1"}), "d20_5_1_under4", "d20_5_1_from4"),
    (4, dict(hiv=True, household_poverty="poor"), "d20_5_3_under4", "d20_5_3_from4"),
    (4, dict(in_residential_care=True), "d20_25_under4", "d20_25_from4"),
    (16, dict(groups={"d20_5_1"}, studying=True), "d20_5_1_from4", "d20_5_2"),
    (16, dict(disability_level="severe"), "d20_5_7_severe_child", "d20_5_7_severe_adult"),
    (16, dict(hiv=True, household_poverty="poor"), "d20_5_3_from4", "d20_5_4"),
    (60, dict(disability_level="severe"), "d20_5_7_severe_adult", "d20_5_7_severe_elderly"),
    (60, dict(groups={"d20_5_6a"}, household_poverty="poor"), None, "d20_5_6a_60"),
    (80, dict(groups={"d20_5_6a"}, household_poverty="poor"), "d20_5_6a_60", "d20_5_6a_80"),
])
def test_it_changes_row_on_the_birthday_not_the_day_before(years, facts, before, on_day):
    birthday = dt.date(2025, 3, 15)
    birth = born(years, birthday)
    day_before = run(on=birthday - dt.timedelta(days=1), birth_date=birth, **facts)
    on_birthday = run(on=birthday, birth_date=birth, **facts)
    assert day_before.age == years - 1 and on_birthday.age == years
    assert [ln.group for ln in day_before.qualifying if ln.group in (before, on_day)] == ([before] if before else [])
    assert on_day in by_group(on_birthday) and (before is None or before not in by_group(on_birthday))


@pytest.mark.parametrize("years,facts,group", [
    (80, {}, "d20_5_6c"),
    (75, dict(household_poverty="poor", disadvantaged_commune=True), "d20_5_6b"),
])
def test_from_the_month_they_turn_75_or_80(years, facts, group):
    # Born on the 20th: the whole month of the birthday counts, the month before does not.
    birth = born(years, dt.date(2025, 3, 20))
    assert group not in by_group(run(on=dt.date(2025, 2, 28), birth_date=birth, **facts))
    day_before = run(on=dt.date(2025, 3, 19), birth_date=birth, **facts)
    assert group in by_group(day_before) and day_before.age == years - 1
    assert any("tháng 03/2025 được tính là đã" in step for step in day_before.reasoning)
    assert group in by_group(run(on=dt.date(2025, 3, 20), birth_date=birth, **facts))


@pytest.mark.parametrize("years,facts,group", [
    (80, {}, "d20_5_6c"),
    (75, dict(household_poverty="poor", disadvantaged_commune=True), "d20_5_6b"),
])
def test_a_birthday_on_the_first_starts_that_month(years, facts, group):
    birth = born(years, dt.date(2025, 4, 1))
    assert group not in by_group(run(on=dt.date(2025, 3, 31), birth_date=birth, **facts))
    assert group in by_group(run(on=dt.date(2025, 4, 1), birth_date=birth, **facts))


def test_from_80_the_75_to_80_row_gives_way_to_the_80_row():
    birth = born(80, dt.date(2025, 3, 20))
    result = run(on=dt.date(2025, 3, 25), birth_date=birth, household_poverty="poor", disadvantaged_commune=True)
    assert set(by_group(result)) == {"d20_5_6c"}


# Birth dates known only to the year or month --------------------------------

def test_a_birth_year_alone_counts_from_1_january():
    facts = dict(birth_date=dt.date(1945, 1, 1), birth_precision="year")
    before = run(on=dt.date(2024, 12, 31), **facts)
    after = run(on=dt.date(2025, 1, 1), **facts)
    assert before.age == 79 and "d20_5_6c" not in by_group(before)
    assert after.age == 80 and "d20_5_6c" in by_group(after)
    assert any("Chỉ biết năm sinh 1945" in step and "01/01/1945" in step and "cần xác minh" in step
               for step in after.reasoning)
    assert "assistance.age.unknown_day" in {r.key for r in after.rules}


def test_a_year_given_with_any_day_still_counts_from_1_january():
    # An API caller may send 1945-07-09 with precision "year": only the year counts.
    result = run(on=dt.date(2025, 2, 1), birth_date=dt.date(1945, 7, 9), birth_precision="year")
    assert result.age == 80 and result.birth_assumed == dt.date(1945, 1, 1)


def test_a_birth_month_alone_counts_from_the_first():
    facts = dict(birth_date=dt.date(2021, 3, 1), birth_precision="month", groups={"d20_5_1"})
    assert "d20_5_1_under4" in by_group(run(on=dt.date(2025, 2, 28), **facts))
    result = run(on=dt.date(2025, 3, 1), **facts)
    assert "d20_5_1_from4" in by_group(result)
    assert any("Chỉ biết tháng sinh 03/2021" in step for step in result.reasoning)


def test_the_unknown_day_convention_is_a_rule_row():
    Rule.objects.create(key="assistance.age.unknown_day", valid_from=dt.date(2025, 1, 1), value="last",
                        unit="quy ước", source="Quy ước thử nghiệm")
    result = run(on=dt.date(2025, 6, 1), birth_date=dt.date(1945, 1, 1), birth_precision="year")
    assert result.age == 79 and result.birth_assumed == dt.date(1945, 12, 31)
    assert "d20_5_6c" not in by_group(result)


def test_without_a_birth_date_age_rows_are_refused_with_the_reason():
    result = run(groups={"d20_5_1"})
    assert result.age is None and result.qualifying == ()
    assert "ngày sinh" in result.rejected[0].reasons[0]


# Several groups, and the single-parent exception ----------------------------

def test_a_person_in_several_groups_receives_only_the_highest():
    result = run(birth_date=born(85), groups={"d20_5_6a"}, household_poverty="poor",
                 disability_level="especially_severe")
    assert set(by_group(result)) == {"d20_5_6a_80", "d20_5_7_especially_severe_elderly"}
    assert paid_groups(result) == ["d20_5_7_especially_severe_elderly"]
    assert result.total == 1_250_000
    assert any("chỉ hưởng một mức cao nhất" in step for step in result.reasoning)


def test_an_elderly_person_of_point_a_is_not_also_counted_in_point_c():
    result = run(birth_date=born(85), groups={"d20_5_6a"}, household_poverty="poor")
    assert set(by_group(result)) == {"d20_5_6a_80"}
    assert {r.group for r in result.rejected} == {"d20_5_6c"}


def test_a_poor_single_parent_with_a_disability_receives_both():
    result = run(birth_date=born(40), groups={"d20_5_5"}, household_poverty="poor", children_raised=1,
                 disability_level="severe")
    assert paid_groups(result) == ["d20_5_7_severe_adult", "d20_5_5"]
    assert result.total == 750_000 + 500_000
    assert any("hưởng cả" in step and "Điều 6, khoản 2" in step for step in result.reasoning)


def test_a_poor_single_parent_living_with_hiv_receives_both():
    result = run(birth_date=born(30), groups={"d20_5_5"}, household_poverty="poor", children_raised=2, hiv=True)
    assert paid_groups(result) == ["d20_5_4", "d20_5_5"] and result.total == 750_000 + 1_000_000


def test_a_single_parent_in_no_exception_group_receives_only_the_highest():
    # A student formerly without carer is not elderly, disabled or living with HIV.
    result = run(birth_date=born(20), groups={"d20_5_1", "d20_5_5"}, studying=True, household_poverty="poor",
                 children_raised=1)
    assert set(by_group(result)) == {"d20_5_2", "d20_5_5"}
    assert paid_groups(result) == ["d20_5_2"] and result.total == 750_000


def test_the_single_parent_exception_pairs_the_allowance_with_the_named_group_not_any_other():
    # A 20-year-old student, formerly without carer (point 2), living with HIV (point 4) and a poor single
    # parent: the allowance paid beside the single parent's is the HIV one the exception names, never point 2.
    result = run(birth_date=born(20), groups={"d20_5_1", "d20_5_5"}, studying=True, household_poverty="poor",
                 children_raised=1, hiv=True)
    assert {"d20_5_2", "d20_5_4", "d20_5_5"} <= set(by_group(result))
    assert paid_groups(result) == ["d20_5_4", "d20_5_5"] and result.total == 750_000 + 500_000


def test_several_groups_cite_the_rule_row_for_paying_only_the_highest():
    result = run(birth_date=born(20), groups={"d20_5_1", "d20_5_5"}, studying=True, household_poverty="poor",
                 children_raised=1)
    source = next(r.source for r in result.rules if r.key == "assistance.both_with_single_parent")
    assert any("chỉ hưởng một mức cao nhất" in step and source in step for step in result.reasoning)


# Base level, residential care, care support ---------------------------------

def test_the_base_level_is_360000_before_1_july_2024_and_500000_from_it():
    facts = dict(birth_date=dt.date(2015, 1, 10), groups={"d20_5_1"})
    before = run(on=dt.date(2024, 6, 30), **facts)
    after = run(on=dt.date(2024, 7, 1), **facts)
    assert before.base_level == 360_000 and before.total == 540_000
    assert before.base_rule.source == "Nghị định 20/2021/NĐ-CP, Điều 4"
    assert after.base_level == 500_000 and after.total == 750_000
    assert after.base_rule.source == "Nghị định 76/2024/NĐ-CP, Điều 1"


def test_residential_care_replaces_the_community_allowance():
    result = run(birth_date=born(10), groups={"d20_5_1", "care_foster_child"}, in_residential_care=True)
    assert {"d20_5_1_from4", "d20_25_from4", "care_foster_child_from4"} <= set(by_group(result))
    assert paid_groups(result) == ["d20_25_from4"] and result.total == 2_000_000
    assert any("không hưởng trợ cấp xã hội hằng tháng tại cộng đồng" in step for step in result.reasoning)


def test_care_support_is_paid_to_the_carer_beside_the_allowance():
    result = run(birth_date=born(3), groups={"d20_5_1", "care_foster_child"})
    assert paid_groups(result) == ["d20_5_1_under4", "care_foster_child_under4"]
    assert by_group(result)["care_foster_child_under4"].recipient == "carer"
    assert result.total == 2 * 1_250_000


def test_of_several_carer_situations_only_the_highest_is_paid():
    result = run(birth_date=born(6), disability_level="especially_severe",
                 groups={"care_foster_child", "care_takein_esd"})
    assert set(paid_groups(result)) == {"d20_5_7_especially_severe_child", "care_takein_esd_child"}


# Social pension (Decree 176/2025) -------------------------------------------

SP_DAY = dt.date(2025, 8, 1)


def test_social_pension_from_75_without_pension():
    result = run(on=SP_DAY, birth_date=born(76, SP_DAY))
    assert paid_groups(result) == ["sp_75"] and result.total == 500_000
    line = result.paid[0]
    assert line.fixed_amount and line.rules[0].source.startswith("Nghị định 176/2025/NĐ-CP")
    assert any("văn bản đề nghị" in reason for reason in line.reasons)


def test_social_pension_does_not_exist_before_1_july_2025():
    result = run(on=dt.date(2025, 6, 30), birth_date=born(76, dt.date(2025, 6, 30)))
    assert result.qualifying == ()
    assert any("chưa có hiệu lực" in step for step in result.reasoning)


@pytest.mark.parametrize("poverty,qualifies", [("poor", True), ("near_poor", True), ("none", False), (None, False)])
def test_social_pension_from_70_only_in_poor_or_near_poor_households(poverty, qualifies):
    result = run(on=SP_DAY, birth_date=born(70, SP_DAY), household_poverty=poverty)
    assert ("sp_70_poor" in by_group(result)) is qualifies
    assert "sp_70_poor" not in by_group(run(on=SP_DAY, birth_date=born(70, SP_DAY, days=1), household_poverty="poor"))


@pytest.mark.parametrize("pension,qualifies", [(300_000, True), (499_999, True), (500_000, False), (3_000_000, False)])
def test_social_pension_with_a_pension_below_its_level(pension, qualifies):
    result = run(on=SP_DAY, birth_date=born(78, SP_DAY), has_pension=True, pension_amount=pension)
    assert ("sp_75" in by_group(result)) is qualifies
    if qualifies:
        assert result.total == 500_000


def test_the_higher_of_allowance_and_social_pension_is_paid():
    result = run(on=SP_DAY, birth_date=born(85, SP_DAY), groups={"d20_5_6a"}, household_poverty="poor")
    assert set(by_group(result)) == {"d20_5_6a_80", "sp_75"}
    assert paid_groups(result) == ["d20_5_6a_80"] and result.total == 1_000_000
    assert any("cao hơn trợ cấp hưu trí xã hội" in step for step in result.reasoning)


def test_a_social_pension_above_the_allowance_replaces_it():
    Rule.objects.create(key="assistance.social_pension.amount", valid_from=dt.date(2025, 8, 1), value=800_000,
                        unit="VND/tháng", source="Văn bản thử nghiệm")
    result = run(on=SP_DAY, birth_date=born(76, SP_DAY), household_poverty="poor", disadvantaged_commune=True)
    assert set(by_group(result)) == {"d20_5_6b", "sp_75"}
    assert paid_groups(result) == ["sp_75"] and result.total == 800_000


def test_a_tie_goes_by_the_tie_rule():
    facts = dict(birth_date=born(82, SP_DAY))
    result = run(on=SP_DAY, **facts)
    assert set(by_group(result)) == {"d20_5_6c", "sp_75"} and paid_groups(result) == ["sp_75"]
    Rule.objects.create(key="assistance.social_pension.on_tie", valid_from=dt.date(2025, 8, 1),
                        value="monthly_allowance", unit="quy ước", source="Văn bản thử nghiệm")
    assert paid_groups(run(on=SP_DAY, **facts)) == ["d20_5_6c"]


# Rules are data ---------------------------------------------------------------

def test_a_new_rule_row_changes_the_answer_from_its_date():
    Rule.objects.create(key="assistance.coef.d20_5_6a.from60", valid_from=dt.date(2026, 1, 1), value=1.8,
                        unit="hệ số", source="Nghị định thử nghiệm")
    Rule.objects.create(key="assistance.age.elderly", valid_from=dt.date(2026, 1, 1), value=62,
                        unit="tuổi", source="Nghị định thử nghiệm")
    facts = dict(birth_date=dt.date(1964, 6, 1), groups={"d20_5_6a"}, household_poverty="poor")
    before = run(on=dt.date(2025, 12, 31), **facts)
    assert by_group(before)["d20_5_6a_60"].coefficient == Decimal("1.5") and before.total == 750_000
    assert not run(on=dt.date(2026, 1, 1), **facts).qualifying  # 61: below the new limit
    after = run(on=dt.date(2026, 6, 1), **facts)
    assert by_group(after)["d20_5_6a_60"].coefficient == Decimal("1.8") and after.total == 900_000
    assert by_group(after)["d20_5_6a_60"].rules[0].source == "Nghị định thử nghiệm"


def test_a_new_base_level_row_changes_every_amount_from_its_date():
    Rule.objects.create(key="assistance.base_level", valid_from=dt.date(2026, 7, 1), value=540_000,
                        unit="VND/tháng", source="Nghị định thử nghiệm")
    facts = dict(birth_date=dt.date(2015, 1, 10), groups={"d20_5_1"})
    assert run(on=dt.date(2026, 6, 30), **facts).total == 750_000
    assert run(on=dt.date(2026, 7, 1), **facts).total == 810_000


def test_a_province_may_set_a_higher_base_level(geo):
    Rule.objects.create(key=f"assistance.base_level.province.{geo['province'].pk:02d}", valid_from=dt.date(2025, 1, 1),
                        value=600_000, unit="VND/tháng", source="Nghị quyết HĐND tỉnh (thử nghiệm)")
    facts = dict(birth_date=born(10), groups={"d20_5_1"})
    assert run(commune_id=geo["c1"].pk, **facts).total == 900_000
    assert run(commune_id=geo["far"].pk, **facts).total == 750_000


def test_every_rule_read_is_reported_with_its_source():
    result = run(birth_date=born(85), groups={"d20_5_6a"}, household_poverty="poor")
    keys = {r.key for r in result.rules}
    assert {"assistance.base_level", "assistance.coef.d20_5_6a.from80", "assistance.age.elderly_80",
            "assistance.poverty.d20_5_6a"} <= keys
    assert all(r.source for r in result.rules)


def test_a_date_before_the_rules_is_refused():
    from ctxh.core.rules import RuleMissing

    with pytest.raises(RuleMissing):
        run(on=dt.date(2013, 6, 1), birth_date=dt.date(2010, 1, 1))


def test_the_rules_are_read_in_one_query(django_assert_max_num_queries, geo):
    with django_assert_max_num_queries(2):  # the rule book, and the province of the commune
        result = run(birth_date=born(85), groups={"d20_5_6a", "care_foster_elderly"}, household_poverty="poor",
                     disability_level="severe", commune_id=geo["c1"].pk)
    assert len(result.rules) > 10


def test_group_names_state_the_age_limits_of_the_rule_rows_in_force(db):
    from ctxh.core.models import Rule

    assert by_group(run(birth_date=born(85), groups={"d20_5_6a"}, household_poverty="poor"))[
        "d20_5_6a_80"].label.endswith("từ đủ 80 tuổi")
    Rule.objects.create(key="assistance.age.elderly_80", valid_from=dt.date(2025, 1, 1), value=82, unit="tuổi",
                        source="Văn bản thử nghiệm")
    line = by_group(run(birth_date=born(85), groups={"d20_5_6a"}, household_poverty="poor"))["d20_5_6a_80"]
    assert line.label.endswith("từ đủ 82 tuổi")
    younger = by_group(run(birth_date=born(81), groups={"d20_5_6a"}, household_poverty="poor"))["d20_5_6a_60"]
    assert younger.label.endswith("từ đủ 60 đến dưới 82 tuổi")
