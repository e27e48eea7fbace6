"""The hotline's category list of topics and its lines, with the documents they come from.

Loaded by a data migration (only what is missing is added); administrators
change them as data afterwards. Code refers to topic codes, never to names.
``extra["number"]`` is the short number a counsellor types to tick a topic;
``extra["sensitive"]`` marks topics whose cases are usually sealed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

HOTLINE_LIST = "Danh mục chủ đề tư vấn của Tổng đài tư vấn miễn phí 1800 1769 (Trung tâm CTXH Quảng Ninh)"
LAW_CHILDREN_ABUSE = (HOTLINE_LIST + "; các hình thức xâm hại theo Luật Trẻ em 102/2016/QH13, Điều 4")

# The provincial line has run since 2013; every topic is usable from then.
HOTLINE_SINCE = D(2013, 1, 1)

# (code, number, Vietnamese name, English name, source, valid_from, sensitive, children)
TOPICS: list[tuple[str, str, str, str, str, dt.date, bool, list[tuple[str, str, str, str]]]] = [
    ("policy", "1", "Chính sách xã hội, trợ giúp xã hội", "Social policy and benefits",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("policy_allowance", "1.1", "Trợ cấp xã hội hằng tháng", "Monthly social allowance"),
         ("policy_poverty", "1.2", "Hộ nghèo, cận nghèo", "Poor and near-poor households"),
         ("policy_insurance", "1.3", "Bảo hiểm y tế cho đối tượng bảo trợ", "Health insurance for beneficiaries"),
         ("policy_emergency", "1.4", "Trợ giúp đột xuất", "One-off emergency assistance"),
         ("policy_residential", "1.5", "Chăm sóc tại cơ sở trợ giúp xã hội", "Care in a social assistance facility"),
     ]),
    ("crisis", "2", "Khủng hoảng tâm lý", "Psychological crisis",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("crisis_suicide", "2.1", "Ý định tự tử, tự gây hại", "Suicidal thoughts or self-harm"),
         ("crisis_stress", "2.2", "Căng thẳng, lo âu", "Stress and anxiety"),
         ("crisis_grief", "2.3", "Mất người thân, sang chấn", "Grief and trauma"),
     ]),
    ("domestic_violence", "3", "Bạo lực gia đình", "Domestic violence",
     HOTLINE_LIST, HOTLINE_SINCE, True, [
         ("dv_partner", "3.1", "Bạo lực giữa vợ chồng, bạn đời", "Intimate partner violence"),
         ("dv_family", "3.2", "Bạo lực với thành viên khác trong gia đình", "Violence against other family members"),
     ]),
    ("child_abuse", "4", "Xâm hại trẻ em", "Child abuse",
     LAW_CHILDREN_ABUSE, HOTLINE_SINCE, False, [
         ("child_physical", "4.1", "Bạo lực thể chất", "Physical abuse"),
         ("child_sexual", "4.2", "Xâm hại tình dục", "Sexual abuse"),
         ("child_emotional", "4.3", "Bạo lực tinh thần", "Emotional abuse"),
         ("child_neglect", "4.4", "Bỏ rơi, bỏ mặc", "Neglect or abandonment"),
     ]),
    ("trafficking", "5", "Mua bán người", "Trafficking in persons",
     HOTLINE_LIST, HOTLINE_SINCE, True, []),
    ("disability", "6", "Người khuyết tật", "Disability",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("disability_certificate", "6.1", "Xác định mức độ khuyết tật", "Disability assessment and certificate"),
         ("disability_support", "6.2", "Phục hồi chức năng, hỗ trợ", "Rehabilitation and support"),
     ]),
    ("elderly", "7", "Người cao tuổi", "Older people",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("elderly_care", "7.1", "Chăm sóc người cao tuổi", "Care of older people"),
         ("elderly_pension", "7.2", "Trợ cấp, trợ cấp hưu trí xã hội", "Allowances and social pension"),
     ]),
    ("mental_health", "8", "Sức khỏe tâm thần", "Mental health",
     HOTLINE_LIST, HOTLINE_SINCE, False, []),
    ("legal", "9", "Pháp lý", "Legal matters",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("legal_aid", "9.1", "Trợ giúp pháp lý", "Legal aid"),
         ("legal_papers", "9.2", "Giấy tờ hộ tịch, cư trú", "Civil status and residence papers"),
     ]),
    ("livelihood", "10", "Sinh kế, việc làm", "Livelihood and jobs",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("livelihood_training", "10.1", "Học nghề", "Vocational training"),
         ("livelihood_jobs", "10.2", "Tìm việc làm", "Finding a job"),
         ("livelihood_loans", "10.3", "Vay vốn, hỗ trợ sinh kế", "Loans and livelihood support"),
     ]),
    ("family", "11", "Hôn nhân và gia đình", "Marriage and family",
     HOTLINE_LIST, HOTLINE_SINCE, False, [
         ("family_conflict", "11.1", "Mâu thuẫn vợ chồng", "Marital conflict"),
         ("family_divorce", "11.2", "Ly hôn, quyền nuôi con", "Divorce and custody"),
         ("family_parenting", "11.3", "Quan hệ cha mẹ và con", "Parents and children"),
     ]),
    ("other", "12", "Khác", "Other", HOTLINE_LIST, HOTLINE_SINCE, False, []),
]

# Sensitive sub-topics under a parent that is not sensitive as a whole.
SENSITIVE_CHILDREN = {"child_sexual"}

QUANG_NINH = 22

# (number, name, English name, province code or None, source)
LINES: list[tuple[str, str, str, int | None, str]] = [
    ("1800 1769", "Tổng đài tư vấn miễn phí của Trung tâm CTXH Quảng Ninh",
     "Quảng Ninh Social Work Centre free counselling line", QUANG_NINH,
     "Trung tâm CTXH Quảng Ninh — tổng đài tư vấn miễn phí vận hành từ năm 2013"),
    ("111", "Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline", None,
     "Luật Trẻ em 102/2016/QH13; Nghị định 56/2017/NĐ-CP"),
]


def load_reference(Term: Any, HotlineLine: Any, Province: Any) -> None:
    """Add the topics and lines that are missing; never overwrite an administrator's edits."""
    for position, (code, number, name, name_en, source, since, sensitive, children) in enumerate(TOPICS, 1):
        parent, _created = Term.objects.get_or_create(
            vocabulary="call_topic", code=code,
            defaults={"name": name, "name_en": name_en, "position": position * 100, "valid_from": since,
                      "source": source, "extra": {"number": number, "sensitive": sensitive}},
        )
        for sub, (sub_code, sub_number, sub_name, sub_en) in enumerate(children, 1):
            Term.objects.get_or_create(
                vocabulary="call_topic", code=sub_code,
                defaults={"name": sub_name, "name_en": sub_en, "parent": parent,
                          "position": position * 100 + sub, "valid_from": since, "source": source,
                          "extra": {"number": sub_number,
                                    "sensitive": sensitive or sub_code in SENSITIVE_CHILDREN}},
            )
    for position, (number, name, name_en, province_code, source) in enumerate(LINES, 1):
        province = Province.objects.filter(pk=province_code).first() if province_code else None
        if province_code and province is None:
            continue  # the geography was not loaded (should not happen after geo 0002)
        HotlineLine.objects.get_or_create(
            number=number,
            defaults={"name": name, "name_en": name_en, "province": province, "position": position,
                      "source": source, "is_active": True},
        )
