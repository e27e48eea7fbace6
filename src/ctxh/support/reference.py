"""Category lists and default amounts of one-off support, with the documents that set them.

Loaded by the data migration ``0002_reference_data`` and again by
``support.demo`` (only what is missing is added; an edited row is never
overwritten). Code refers to codes.

Vocabularies:
- ``support_kind`` — loại hỗ trợ. ``extra`` says how the amount is found:
  ``basis`` ``base_multiple`` (rule × ``assistance.base_level``), ``fixed``
  (the rule's value in VND) or ``rice`` (kg per person per month × persons ×
  months, at most ``max_months_rule`` months); ``minimum`` true when the law
  sets a floor (the user may give more, never less); ``event`` true when the
  date of the event (death, disaster, injury) fixes which rule row applies;
  ``item`` the item code the kind gives (rice).
- ``support_item`` — hiện vật, ``extra.unit`` the unit it is counted in.
- ``need_type`` — loại nhu cầu.
- ``funding_source_kind`` — nguồn kinh phí; ``extra.requires`` ``donation`` or
  ``project`` when that source needs the donation or the project's name.

Rule rows of this app (the province's or the project's own amounts, not law):
- ``support.scholarship_per_year`` — học bổng, VND per child per year.
- ``support.livelihood_household`` — hỗ trợ sinh kế, VND per household.

The legal rows (``support.funeral_multiplier`` …, ``assistance.base_level``)
are loaded by ``ctxh.assistance.reference``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

DECREE_20 = "Nghị định 20/2021/NĐ-CP (trợ giúp xã hội)"
DECREE_20_EMERGENCY = "Nghị định 20/2021/NĐ-CP, Chương III (trợ giúp xã hội khẩn cấp)"
PRACTICE = "Thực tiễn hoạt động của Trung tâm Công tác xã hội"
PROVINCE_PLAN = "Kế hoạch của tỉnh (cần xác minh)"
LAW_DISABILITY = "Luật Người khuyết tật 51/2010/QH12"

# (code, name, name_en, extra, source)
SUPPORT_KINDS: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("emergency_funeral", "Hỗ trợ chi phí mai táng", "Funeral support",
     {"basis": "base_multiple", "rule": "support.funeral_multiplier", "minimum": True, "event": True,
      "emergency": True}, DECREE_20),
    ("emergency_funeral_resident", "Hỗ trợ mai táng đối tượng nuôi dưỡng tại cơ sở",
     "Funeral support for a resident of a facility",
     {"basis": "base_multiple", "rule": "support.resident_funeral_multiplier", "minimum": True, "event": True,
      "emergency": True}, DECREE_20),
    ("emergency_disaster_death", "Hỗ trợ người chết, mất tích do thiên tai, hỏa hoạn",
     "Death or disappearance in a disaster",
     {"basis": "base_multiple", "rule": "support.disaster_death_multiplier", "minimum": True, "event": True,
      "emergency": True}, DECREE_20_EMERGENCY),
    ("emergency_injury", "Hỗ trợ người bị thương nặng", "Serious injury",
     {"basis": "base_multiple", "rule": "support.injury_multiplier", "minimum": True, "event": True,
      "emergency": True}, DECREE_20_EMERGENCY),
    ("emergency_rice", "Hỗ trợ lương thực (gạo)", "Food support (rice)",
     {"basis": "rice", "rule": "support.rice_kg_per_person_month", "max_months_rule": "support.rice_max_months",
      "item": "rice", "minimum": True, "event": True, "emergency": True}, DECREE_20_EMERGENCY),
    ("housing_rebuild", "Hỗ trợ làm nhà ở (nhà bị đổ, sập, trôi, cháy)", "Housing rebuild",
     {"basis": "fixed", "rule": "support.housing_rebuild", "minimum": True, "event": True, "emergency": True},
     DECREE_20_EMERGENCY),
    ("housing_relocation", "Hỗ trợ di dời nhà ở khẩn cấp", "Housing relocation",
     {"basis": "fixed", "rule": "support.housing_relocation", "minimum": True, "event": True, "emergency": True},
     DECREE_20_EMERGENCY),
    ("housing_repair", "Hỗ trợ sửa chữa nhà ở (hư hỏng nặng)", "Housing repair",
     {"basis": "fixed", "rule": "support.housing_repair", "minimum": True, "event": True, "emergency": True},
     DECREE_20_EMERGENCY),
    ("livelihood", "Hỗ trợ sinh kế", "Livelihood grant",
     {"basis": "fixed", "rule": "support.livelihood_household", "minimum": False}, PRACTICE),
    ("scholarship", "Học bổng", "Scholarship",
     {"basis": "fixed", "rule": "support.scholarship_per_year", "minimum": False}, PRACTICE),
    ("goods", "Trao tặng hiện vật", "Goods", {"goods": True}, PRACTICE),
    ("other", "Hỗ trợ khác", "Other support", {}, PRACTICE),
]

# (code, name, name_en, unit)
SUPPORT_ITEMS: list[tuple[str, str, str, str]] = [
    ("wheelchair", "Xe lăn", "Wheelchair", "chiếc"),
    ("tricycle", "Xe lắc", "Hand-cranked tricycle", "chiếc"),
    ("crutches", "Nạng", "Crutches", "đôi"),
    ("hearing_aid", "Máy trợ thính", "Hearing aid", "chiếc"),
    ("rehab_device", "Dụng cụ phục hồi chức năng khác", "Other rehabilitation device", "chiếc"),
    ("heifer", "Bò cái giống (bê cái)", "Heifer", "con"),
    ("goat", "Dê giống", "Goat", "con"),
    ("pig", "Lợn giống", "Pig", "con"),
    ("chickens", "Gà giống", "Chickens", "con"),
    ("rice", "Gạo", "Rice", "kg"),
    ("gift_package", "Suất quà", "Gift package", "suất"),
    ("sewing_machine", "Máy may công nghiệp", "Industrial sewing machine", "chiếc"),
    ("bicycle", "Xe đạp", "Bicycle", "chiếc"),
    ("school_supplies", "Đồ dùng học tập", "School supplies", "bộ"),
    ("medicine", "Thuốc, vật tư y tế", "Medicine and medical supplies", "phần"),
    ("blanket", "Chăn ấm", "Warm blanket", "chiếc"),
    ("other_item", "Hiện vật khác", "Other item", "cái"),
]

# (code, name, name_en, extra): ``extra`` pre-fills the support form when a need is met
# (``kind``, and ``item`` for goods).
NEED_TYPES: list[tuple[str, str, str, dict[str, Any]]] = [
    ("wheelchair", "Xe lăn", "Wheelchair", {"kind": "goods", "item": "wheelchair"}),
    ("tricycle", "Xe lắc", "Hand-cranked tricycle", {"kind": "goods", "item": "tricycle"}),
    ("rehab_device", "Dụng cụ phục hồi chức năng", "Rehabilitation device",
     {"kind": "goods", "item": "rehab_device"}),
    ("medicine", "Thuốc, điều trị y tế", "Medicine, medical treatment", {"kind": "goods", "item": "medicine"}),
    ("vocational_training", "Học nghề", "Vocational training", {}),
    ("job", "Việc làm", "Job", {}),
    ("livelihood", "Sinh kế", "Livelihood", {"kind": "livelihood"}),
    ("scholarship", "Học bổng, hỗ trợ học tập", "Scholarship, school support", {"kind": "scholarship"}),
    ("housing", "Nhà ở", "Housing", {}),
    ("food", "Lương thực", "Food", {"kind": "emergency_rice"}),
    ("counselling", "Tư vấn, trợ giúp tâm lý", "Counselling", {}),
    ("other", "Nhu cầu khác", "Other need", {}),
]

# (code, name, name_en, extra)
FUNDING_KINDS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("state_budget", "Ngân sách nhà nước", "State budget", {}),
    ("donation", "Nhà tài trợ (phân bổ từ khoản tài trợ)", "A donor (allocation of a donation)",
     {"requires": "donation"}),
    ("project", "Dự án, chương trình", "A project or programme", {"requires": "project"}),
    ("other", "Nguồn khác (quỹ, vận động tại chỗ)", "Other (funds, local appeals)", {}),
]

RULE_ROWS: list[dict[str, Any]] = [
    {"key": "support.scholarship_per_year", "valid_from": D(2015, 7, 1), "value": 3_600_000,
     "unit": "VND/em/năm", "source": PROVINCE_PLAN,
     "note": "Mức học bổng Trung tâm CTXH tỉnh Khánh Hòa trao từ 7/2015 (3.600.000đ/em/năm)."},
    {"key": "support.livelihood_household", "valid_from": D(2015, 7, 1), "value": 5_000_000,
     "unit": "VND/hộ", "source": PROVINCE_PLAN,
     "note": "Mức hỗ trợ sinh kế hộ nghèo, cận nghèo (5.000.000 đồng/hộ)."},
]


def term_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, (code, name, name_en, extra, source) in enumerate(SUPPORT_KINDS, start=1):
        rows.append(dict(vocabulary="support_kind", code=code, name=name, name_en=name_en, position=i,
                         valid_from=D(2010, 1, 1), source=source, extra=extra))
    for i, (code, name, name_en, unit) in enumerate(SUPPORT_ITEMS, start=1):
        rows.append(dict(vocabulary="support_item", code=code, name=name, name_en=name_en, position=i,
                         valid_from=D(2010, 1, 1), source=PRACTICE, extra={"unit": unit}))
    for i, (code, name, name_en, extra) in enumerate(NEED_TYPES, start=1):
        rows.append(dict(vocabulary="need_type", code=code, name=name, name_en=name_en, position=i,
                         valid_from=D(2010, 1, 1), source=PRACTICE, extra=extra))
    for i, (code, name, name_en, extra) in enumerate(FUNDING_KINDS, start=1):
        rows.append(dict(vocabulary="funding_source_kind", code=code, name=name, name_en=name_en, position=i,
                         valid_from=D(2010, 1, 1), source=PRACTICE, extra=extra))
    return rows


def rule_rows() -> list[dict[str, Any]]:
    return [dict(r) for r in RULE_ROWS]


def load_reference(rule_model: Any, term_model: Any) -> int:
    """Add the rule rows and terms that are missing; never overwrite an edited row."""
    have = set(rule_model.objects.values_list("key", "valid_from"))
    rules = [rule_model(**r) for r in rule_rows() if (r["key"], r["valid_from"]) not in have]
    rule_model.objects.bulk_create(rules)
    have_terms = set(term_model.objects.values_list("vocabulary", "code"))
    terms = [term_model(**t) for t in term_rows() if (t["vocabulary"], t["code"]) not in have_terms]
    term_model.objects.bulk_create(terms)
    return len(rules) + len(terms)
