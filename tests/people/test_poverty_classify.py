"""Poverty classification at the thresholds (ctxh.people.poverty.classify)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ctxh.core.models import Rule, Term
from ctxh.people.models import PovertyStandard
from ctxh.people.poverty import (
    area_by_division,
    classification_date,
    classify,
    indicators_by_dimension,
    per_person,
)

pytestmark = pytest.mark.django_db

LAST_DAY_07 = dt.date(2026, 12, 31)  # Decree 07/2021 still in force
FIRST_DAY_351 = dt.date(2027, 1, 1)  # Decree 351/2025 from here
THREE = {"nutrition", "health_insurance", "latrine"}
TWO = {"nutrition", "health_insurance"}

THRESHOLDS = [
    (LAST_DAY_07, "rural", 1_500_000, "Nghị định 07/2021/NĐ-CP"),
    (LAST_DAY_07, "urban", 2_000_000, "Nghị định 07/2021/NĐ-CP"),
    (FIRST_DAY_351, "rural", 2_200_000, "Nghị định 351/2025/NĐ-CP"),
    (FIRST_DAY_351, "urban", 2_800_000, "Nghị định 351/2025/NĐ-CP"),
]


@pytest.mark.parametrize("on,area,threshold,source", THRESHOLDS)
def test_it_classifies_income_exactly_at_the_threshold_as_poor_with_three_deprivations(on, area, threshold, source):
    result = classify(income_per_person=threshold, deprived=THREE, area=area, on=on)
    assert result.status == "poor"
    assert result.threshold == threshold
    assert result.standard.source == source
    text = "\n".join(result.reasons)
    assert f"{threshold:,}".replace(",", ".") + " ₫" in text
    assert source in text
    assert "Thiếu hụt 3 chỉ số, từ 3 chỉ số trở lên." in text
    assert result.reasons[-1] == "Kết luận: Hộ nghèo."


@pytest.mark.parametrize("on,area,threshold,source", THRESHOLDS)
def test_it_classifies_one_dong_above_the_threshold_as_neither(on, area, threshold, source):
    result = classify(income_per_person=threshold + 1, deprived=THREE, area=area, on=on)
    assert result.status == "none"
    assert "cao hơn ngưỡng" in result.reasons[2]
    assert result.reasons[-1] == "Kết luận: Không nghèo."


@pytest.mark.parametrize("on,area,threshold,source", THRESHOLDS)
def test_it_classifies_one_deprivation_below_the_minimum_as_near_poor(on, area, threshold, source):
    result = classify(income_per_person=threshold, deprived=TWO, area=area, on=on)
    assert result.status == "near_poor"
    assert result.deprivation_count == result.min_deprivations - 1 == 2
    assert "Thiếu hụt 2 chỉ số, dưới 3 chỉ số." in result.reasons
    assert result.reasons[-1] == "Kết luận: Hộ cận nghèo."


def test_a_rural_income_between_the_two_standards_changes_class_on_new_years_day():
    # 1,800,000 đ: above the 2026 rural line, under the 2027 one.
    assert classify(income_per_person=1_800_000, deprived=THREE, area="rural", on=LAST_DAY_07).status == "none"
    assert classify(income_per_person=1_800_000, deprived=THREE, area="rural", on=FIRST_DAY_351).status == "poor"


def test_no_deprivation_at_all_is_still_near_poor_under_the_income_line():
    assert classify(income_per_person=0, deprived=[], area="urban", on=LAST_DAY_07).status == "near_poor"


def test_the_thresholds_are_data_not_code():
    standard = PovertyStandard.objects.get(code="ND07-2021")
    standard.income_rural = 1_600_000
    standard.min_deprivations_poor = 4
    standard.save()
    result = classify(income_per_person=1_600_000, deprived=THREE, area="rural", on=LAST_DAY_07)
    assert result.status == "near_poor"
    assert "1.600.000 ₫" in result.reasons[1]


def test_it_refuses_indicators_that_are_not_in_the_list():
    with pytest.raises(ValidationError) as exc:
        classify(income_per_person=1, deprived={"nutrition", "karaoke"}, area="rural", on=LAST_DAY_07)
    assert exc.value.message_dict["deprived"] == [
        "Chỉ số thiếu hụt không có trong danh mục hiệu lực ngày 31/12/2026: karaoke."]


def test_it_says_when_no_standard_covers_the_date():
    with pytest.raises(ValidationError) as exc:
        classify(income_per_person=1, deprived=[], area="rural", on=dt.date(2021, 6, 1))
    assert "Chưa có chuẩn nghèo áp dụng cho ngày 01/06/2021." in exc.value.messages


def test_it_needs_an_area():
    with pytest.raises(ValidationError) as exc:
        classify(income_per_person=1, deprived=[], area="", on=LAST_DAY_07)
    assert "area" in exc.value.message_dict


def test_a_share_of_household_income_is_rounded_up_so_the_line_holds_exactly():
    assert per_person(4_500_000, 3) == 1_500_000
    assert per_person(4_500_001, 3) == 1_500_001
    result = classify(income_per_person=per_person(4_500_001, 3), deprived=THREE, area="rural", on=LAST_DAY_07)
    assert result.status == "none"


def test_wards_are_urban_communes_and_special_zones_rural_by_the_rule_row():
    on = dt.date(2026, 6, 1)
    assert area_by_division("phường", on) == "urban"
    assert area_by_division("xã", on) == "rural"
    assert area_by_division("đặc khu", on) == "rural"
    assert area_by_division("làng", on) is None


def test_an_administrator_can_change_the_area_mapping_with_a_new_row():
    Rule.objects.create(
        key="poverty.area_by_division_type", valid_from=dt.date(2026, 7, 1),
        value={"phường": "urban", "xã": "rural", "đặc khu": "urban"}, source="Quyết định thử nghiệm")
    assert area_by_division("đặc khu", dt.date(2026, 6, 30)) == "rural"
    assert area_by_division("đặc khu", dt.date(2026, 7, 1)) == "urban"


def test_a_survey_at_the_end_of_2026_for_the_2027_list_uses_the_2027_standard():
    assert classification_date(surveyed_on=dt.date(2026, 11, 20), year=2027) == FIRST_DAY_351
    assert classification_date(surveyed_on=dt.date(2026, 11, 20), year=2026) == dt.date(2026, 11, 20)


def test_the_twelve_indicators_sit_under_the_six_dimensions_of_decree_07():
    groups = indicators_by_dimension(LAST_DAY_07)
    assert [g.dimension.name for g in groups] == [
        "Việc làm", "Y tế", "Giáo dục", "Nhà ở", "Nước sinh hoạt và vệ sinh", "Thông tin"]
    assert [len(g.indicators) for g in groups] == [2, 2, 2, 2, 2, 2]
    assert groups[0].indicators[1].name == "Người phụ thuộc trong hộ gia đình"
    terms = Term.objects.of("poverty_indicator")
    assert terms.count() == 12
    assert all(t.source.startswith("Nghị định 07/2021/NĐ-CP") for t in terms)
