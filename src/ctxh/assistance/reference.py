"""Rule rows of social assistance (base level, coefficients, age limits, one-off amounts).

Loaded by the data migration ``0001_rules`` and again by ``ctxh demo``. Every
value is a row with the date it took effect and the document that set it;
administrators change them as data (a new row with a later ``valid_from``).
Nothing here is read by code directly: ``ctxh.assistance.eligibility`` asks the
rule table for the row in force on the date it judges.

Rule keys (other apps rely on these names):

- ``assistance.base_level`` — mức chuẩn trợ giúp xã hội, VND per month. A
  province that sets a higher level adds rows ``assistance.base_level.province.NN``
  (NN = its 2-digit code); the engine prefers them for people of that province.
- ``assistance.age.*`` — age limits (years): ``infant_limit`` (under 4),
  ``child_limit`` (under 16), ``student_limit`` (16 to 22 studying),
  ``elderly`` (60), ``elderly_75``, ``elderly_80``; ``unknown_day`` says which
  day stands for an unknown birth day (``first``: 1 January / the 1st);
  ``birthday_month_groups`` lists the groups whose age counts for the whole
  month of the birthday ("from the month they turn 75 or 80").
- ``assistance.coef.<group>.<band>`` — one coefficient per row of the table of
  Decree 20/2021 art. 6 (monthly allowance), art. 20 (``care.*``) and art. 25
  (``residential.*``).
- ``assistance.poverty.<group>`` — the household statuses a group requires.
- ``assistance.no_carer_codes``, ``assistance.both_with_single_parent``,
  ``assistance.disability.levels_paid``, ``assistance.disadvantaged_communes`` —
  category lists.
- ``assistance.social_pension.*`` — Decree 176/2025 (from 2025-07-01).
- ``support.*`` — one-off support amounts (multipliers of the base level, rice,
  housing), used by the support app.

Terms: vocabulary ``care_support`` (care and foster situations of art. 20), so
the calculator can offer them as checkboxes beside the ``allowance_group`` and
``child_special`` lists of the people app.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

ND136 = "Nghị định 136/2013/NĐ-CP"
ND20 = "Nghị định 20/2021/NĐ-CP"
ND176 = "Nghị định 176/2025/NĐ-CP; Luật Bảo hiểm xã hội 41/2024/QH15, Điều 21"
FROM_ND20 = D(2021, 7, 1)
FROM_ND176 = D(2025, 7, 1)
VERIFY = "Cần xác minh với văn bản gốc."

BASE_LEVEL_ROWS: list[dict[str, Any]] = [
    {"key": "assistance.base_level", "valid_from": D(2014, 1, 1), "value": 270_000, "unit": "VND/tháng",
     "source": "Nghị định 136/2013/NĐ-CP, Điều 4"},
    {"key": "assistance.base_level", "valid_from": D(2021, 7, 1), "value": 360_000, "unit": "VND/tháng",
     "source": "Nghị định 20/2021/NĐ-CP, Điều 4"},
    {"key": "assistance.base_level", "valid_from": D(2024, 7, 1), "value": 500_000, "unit": "VND/tháng",
     "source": "Nghị định 76/2024/NĐ-CP, Điều 1"},
]


def _row(key: str, value: Any, unit: str, source: str, note: str = "", valid_from: dt.date = FROM_ND20) -> dict[str, Any]:
    return {"key": key, "valid_from": valid_from, "value": value, "unit": unit, "source": source, "note": note}


ART6 = f"{ND20}, Điều 6, khoản 1"
COEF = "hệ số"
YEARS = "tuổi"

AGE_ROWS = [
    _row("assistance.age.infant_limit", 4, YEARS, ART6,
         "“Dưới 4 tuổi”: trước ngày sinh nhật lần thứ 4; từ ngày đó là “từ đủ 4 tuổi”."),
    _row("assistance.age.child_limit", 16, YEARS, f"{ND20}, Điều 5, khoản 1; Luật Trẻ em 102/2016/QH13, Điều 1",
         "Trẻ em: trước ngày sinh nhật lần thứ 16."),
    _row("assistance.age.student_limit", 22, YEARS, f"{ND20}, Điều 5, khoản 2",
         "“Từ 16 đến 22 tuổi”: được xét đến hết năm tuổi 22 (tuổi tròn không quá 22). " + VERIFY),
    _row("assistance.age.elderly", 60, YEARS, "Luật Người cao tuổi 39/2009/QH12, Điều 2",
         "Người cao tuổi: từ ngày sinh nhật lần thứ 60."),
    _row("assistance.age.elderly_75", 75, YEARS, f"{ND20}, Điều 5 (người cao tuổi từ đủ 75 tuổi đến 80 tuổi)"),
    _row("assistance.age.elderly_80", 80, YEARS, ART6 + " (người cao tuổi từ đủ 80 tuổi)"),
    _row("assistance.age.unknown_day", "first", "quy ước",
         "Quy ước hành chính: không rõ ngày, tháng sinh thì lấy ngày 01/01 của năm sinh; "
         "chỉ rõ tháng thì lấy ngày 01 của tháng",
         "Giá trị “first”: ngày đầu kỳ (01/01 hoặc ngày 01 của tháng); “last”: ngày cuối kỳ "
         "(31/12 hoặc ngày cuối tháng). " + VERIFY),
    _row("assistance.age.birthday_month_groups", ["d20_5_6b", "d20_5_6c"], "danh sách diện",
         f"{ND20} (hưởng kể từ tháng đủ 75 tuổi, đủ 80 tuổi)",
         "Các diện này tính đủ tuổi cho cả tháng có ngày sinh nhật. " + VERIFY + " (điều, khoản)"),
]

COEFFICIENT_ROWS = [
    _row("assistance.coef.d20_5_1.under4", 2.5, COEF, ART6 + ", điểm a",
         "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng, dưới 4 tuổi."),
    _row("assistance.coef.d20_5_1.from4", 1.5, COEF, ART6 + ", điểm a",
         "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng, từ đủ 4 tuổi."),
    _row("assistance.coef.d20_5_2", 1.5, COEF, ART6,
         "Người từ 16 đến 22 tuổi đang học, trước đó là trẻ em không có nguồn nuôi dưỡng."),
    _row("assistance.coef.d20_5_3.under4", 2.5, COEF, ART6, "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo, dưới 4 tuổi."),
    _row("assistance.coef.d20_5_3.from4", 2.0, COEF, ART6, "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo, từ đủ 4 tuổi."),
    _row("assistance.coef.d20_5_4", 1.5, COEF, ART6,
         "Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn sống ổn định."),
    _row("assistance.coef.d20_5_5.per_child", 1.0, COEF, ART6,
         "Người đơn thân nghèo đang nuôi con: mỗi con đang nuôi."),
    _row("assistance.coef.d20_5_6a.from60", 1.5, COEF, ART6,
         "Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng: từ đủ 60 đến dưới 80 tuổi."),
    _row("assistance.coef.d20_5_6a.from80", 2.0, COEF, ART6,
         "Người cao tuổi thuộc hộ nghèo, không có người phụng dưỡng: từ đủ 80 tuổi."),
    _row("assistance.coef.d20_5_6b", 1.0, COEF, ART6,
         "Người từ đủ 75 đến 80 tuổi thuộc hộ nghèo, cận nghèo ở xã, thôn vùng DTTS và miền núi đặc biệt khó khăn."),
    _row("assistance.coef.d20_5_6c", 1.0, COEF, ART6,
         "Người từ đủ 80 tuổi không có lương hưu, trợ cấp BHXH, trợ cấp xã hội hằng tháng."),
    _row("assistance.coef.d20_5_6d", 3.0, COEF, ART6,
         "Người cao tuổi đủ điều kiện vào cơ sở nhưng được nhận chăm sóc tại cộng đồng."),
    _row("assistance.coef.d20_5_7.especially_severe.adult", 2.0, COEF, ART6, "Người khuyết tật đặc biệt nặng."),
    _row("assistance.coef.d20_5_7.especially_severe.child_or_elderly", 2.5, COEF, ART6,
         "Trẻ em, người cao tuổi là người khuyết tật đặc biệt nặng."),
    _row("assistance.coef.d20_5_7.severe.adult", 1.5, COEF, ART6, "Người khuyết tật nặng."),
    _row("assistance.coef.d20_5_7.severe.child_or_elderly", 2.0, COEF, ART6,
         "Trẻ em, người cao tuổi là người khuyết tật nặng."),
]

LIST_ROWS = [
    _row("assistance.disability.levels_paid", ["especially_severe", "severe"], "mức độ khuyết tật", ART6,
         "Khuyết tật nhẹ không thuộc diện hưởng trợ cấp xã hội hằng tháng."),
    _row("assistance.hiv_codes", ["d20_5_3", "d20_5_4", "tedb_05"], "mã diện",
         f"{ND20}, Điều 5, khoản 3 và khoản 4",
         "Những diện cho biết người đó nhiễm HIV/AIDS (trẻ em, người thuộc hộ nghèo)."),
    _row("assistance.no_carer_codes", ["d20_5_1", "tedb_01", "tedb_02"], "mã diện",
         f"{ND20}, Điều 5, khoản 1 (bị bỏ rơi chưa có người nhận làm con nuôi; mồ côi cả cha và mẹ)",
         "Những diện cho biết trẻ em không có nguồn nuôi dưỡng."),
    _row("assistance.both_with_single_parent",
         ["d20_5_4", "d20_5_6a", "d20_5_6b", "d20_5_6c", "d20_5_6d", "d20_5_7"], "mã diện",
         f"{ND20}, Điều 6, khoản 2",
         "Người đơn thân nghèo đang nuôi con đồng thời là người cao tuổi, người khuyết tật, người nhiễm "
         "HIV/AIDS thì hưởng cả hai chế độ; các trường hợp khác chỉ hưởng một mức cao nhất."),
    _row("assistance.poverty.d20_5_3", ["poor"], "phân loại hộ", f"{ND20}, Điều 5"),
    _row("assistance.poverty.d20_5_4", ["poor"], "phân loại hộ", f"{ND20}, Điều 5"),
    _row("assistance.poverty.d20_5_5", ["poor"], "phân loại hộ", f"{ND20}, Điều 5"),
    _row("assistance.poverty.d20_5_6a", ["poor"], "phân loại hộ", f"{ND20}, Điều 5"),
    _row("assistance.poverty.d20_5_6b", ["poor", "near_poor"], "phân loại hộ", f"{ND20}, Điều 5"),
    _row("assistance.poverty.d20_5_6d", ["poor"], "phân loại hộ", f"{ND20}, Điều 5"),
    _row("assistance.disadvantaged_communes", [], "mã xã (5 chữ số)",
         "Quyết định 861/QĐ-TTg ngày 04/6/2021 (xã khu vực III vùng DTTS và miền núi)",
         "Nhập mã các xã (mã mới từ 01/7/2025) thuộc vùng đồng bào DTTS và miền núi đặc biệt khó khăn; "
         "danh sách cần cập nhật sau sắp xếp đơn vị hành chính. " + VERIFY),
]

ART20 = f"{ND20}, Điều 20"
ART25 = f"{ND20}, Điều 25, khoản 1"
CARE_ROWS = [
    _row("assistance.coef.residential.under4", 5.0, COEF, ART25,
         "Trợ cấp nuôi dưỡng tại cơ sở trợ giúp xã hội: trẻ em dưới 4 tuổi."),
    _row("assistance.coef.residential.from4", 4.0, COEF, ART25,
         "Trợ cấp nuôi dưỡng tại cơ sở trợ giúp xã hội: từ đủ 4 tuổi."),
    _row("assistance.coef.care.foster_child.under4", 2.5, COEF, ART20,
         "Nhận chăm sóc, nuôi dưỡng trẻ em không có nguồn nuôi dưỡng dưới 4 tuổi."),
    _row("assistance.coef.care.foster_child.from4", 1.5, COEF, ART20,
         "Nhận chăm sóc, nuôi dưỡng trẻ em từ đủ 4 đến dưới 16 tuổi."),
    _row("assistance.coef.care.foster_elderly", 1.5, COEF, ART20,
         "Nhận chăm sóc, nuôi dưỡng người cao tuổi tại cộng đồng."),
    _row("assistance.coef.care.disabled_parent.one", 1.5, COEF, ART20,
         "Người khuyết tật nặng, đặc biệt nặng đang mang thai hoặc nuôi một con dưới 36 tháng tuổi."),
    _row("assistance.coef.care.disabled_parent.two", 2.0, COEF, ART20,
         "Mang thai và nuôi một con dưới 36 tháng tuổi, hoặc nuôi từ hai con dưới 36 tháng tuổi."),
    _row("assistance.coef.care.household_esd", 1.0, COEF, ART20,
         "Hộ gia đình đang trực tiếp chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng (mỗi người)."),
    _row("assistance.coef.care.takein_esd.adult", 1.5, COEF, ART20,
         "Người nhận chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng."),
    _row("assistance.coef.care.takein_esd.child", 2.5, COEF, ART20,
         "Người nhận chăm sóc, nuôi dưỡng trẻ em khuyết tật đặc biệt nặng."),
    _row("assistance.care.young_child_months", 36, "tháng tuổi", ART20),
]

SOCIAL_PENSION_ROWS = [
    _row("assistance.social_pension.amount", 500_000, "VND/tháng", ND176, valid_from=FROM_ND176),
    _row("assistance.social_pension.age", 75, YEARS, ND176, valid_from=FROM_ND176),
    _row("assistance.social_pension.age_poor", 70, YEARS, ND176,
         "Từ đủ 70 đến dưới 75 tuổi thuộc hộ nghèo, hộ cận nghèo.", valid_from=FROM_ND176),
    _row("assistance.social_pension.poverty", ["poor", "near_poor"], "phân loại hộ", ND176, valid_from=FROM_ND176),
    _row("assistance.social_pension.pension_below_pays", "full", "quy ước", ND176,
         "Người có lương hưu, trợ cấp BHXH hằng tháng thấp hơn mức trợ cấp hưu trí xã hội: “full” = hưởng "
         "đủ mức, “difference” = hưởng phần chênh lệch. " + VERIFY, valid_from=FROM_ND176),
    _row("assistance.social_pension.on_tie", "social_pension", "quy ước",
         ND176 + " (người đang hưởng trợ cấp xã hội hằng tháng được hưởng chế độ cao hơn)",
         "Khi trợ cấp hưu trí xã hội bằng trợ cấp xã hội hằng tháng: “social_pension” hoặc "
         "“monthly_allowance”. " + VERIFY, valid_from=FROM_ND176),
]

SUPPORT = "VND"
MULT = "lần mức chuẩn"
SUPPORT_ROWS = [
    _row("support.funeral_multiplier", 20, MULT, f"{ND20} (hỗ trợ chi phí mai táng đối tượng đang hưởng trợ cấp)",
         "Mức tối thiểu."),
    _row("support.disaster_death_multiplier", 50, MULT, f"{ND20} (trợ giúp khẩn cấp: chết, mất tích do thiên tai)",
         "Mức tối thiểu."),
    _row("support.injury_multiplier", 10, MULT, f"{ND20} (trợ giúp khẩn cấp: bị thương nặng)", "Mức tối thiểu."),
    _row("support.rice_kg_per_person_month", 15, "kg gạo/người/tháng", f"{ND20} (hỗ trợ lương thực)"),
    _row("support.rice_max_months", 3, "tháng", f"{ND20} (hỗ trợ lương thực)"),
    _row("support.housing_rebuild", 40_000_000, SUPPORT, f"{ND20} (hỗ trợ làm nhà ở bị đổ, sập, trôi, cháy)",
         "Mức tối thiểu."),
    _row("support.housing_relocation", 30_000_000, SUPPORT, f"{ND20} (hỗ trợ di dời nhà ở khẩn cấp)",
         "Mức tối thiểu."),
    _row("support.housing_repair", 20_000_000, SUPPORT, f"{ND20} (hỗ trợ sửa chữa nhà ở hư hỏng nặng)",
         "Mức tối thiểu."),
    _row("support.resident_funeral_multiplier", 50, MULT, f"{ND20}, Điều 25 (mai táng đối tượng tại cơ sở)",
         "Mức tối thiểu."),
]

CARE_SUPPORT_TERMS = [
    ("care_foster_child", "Trẻ em không có nguồn nuôi dưỡng được hộ gia đình, cá nhân nhận chăm sóc, nuôi dưỡng",
     "Child without carer fostered by a household or person"),
    ("care_foster_elderly", "Người cao tuổi được hộ gia đình, cá nhân nhận chăm sóc, nuôi dưỡng tại cộng đồng",
     "Elderly person taken in and cared for in the community"),
    ("care_disabled_parent", "Người khuyết tật nặng, đặc biệt nặng đang mang thai hoặc nuôi con dưới 36 tháng tuổi",
     "Person with a severe disability who is pregnant or raising a child under 36 months"),
    ("care_household_esd", "Hộ gia đình đang trực tiếp chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng",
     "Household caring for a person with an especially severe disability"),
    ("care_takein_esd", "Người nhận chăm sóc, nuôi dưỡng người khuyết tật đặc biệt nặng",
     "Person taking in someone with an especially severe disability"),
]


def rule_rows() -> list[dict[str, Any]]:
    """All rule rows this app loads."""
    return [*BASE_LEVEL_ROWS, *AGE_ROWS, *COEFFICIENT_ROWS, *LIST_ROWS, *CARE_ROWS, *SOCIAL_PENSION_ROWS,
            *SUPPORT_ROWS]


def term_rows() -> list[dict[str, Any]]:
    """All category-list entries this app loads."""
    return [
        {"vocabulary": "care_support", "code": code, "name": name, "name_en": name_en, "position": i,
         "valid_from": FROM_ND20, "source": ART20}
        for i, (code, name, name_en) in enumerate(CARE_SUPPORT_TERMS, start=1)
    ]


def load_rules(rule_model: Any, term_model: Any) -> int:
    """Add the rule rows and terms that are missing; never overwrite an edited row."""
    have = set(rule_model.objects.values_list("key", "valid_from"))
    new = [rule_model(**r) for r in rule_rows() if (r["key"], r["valid_from"]) not in have]
    rule_model.objects.bulk_create(new)
    have_terms = set(term_model.objects.values_list("vocabulary", "code"))
    terms = [term_model(**t) for t in term_rows() if (t["vocabulary"], t["code"]) not in have_terms]
    term_model.objects.bulk_create(terms)
    return len(new) + len(terms)
