"""The directory's category lists and the public hotline numbers, with their sources.

Loaded by a data migration and again by ``network.demo`` (only what is missing
is added; an administrator's edits are never overwritten). Code refers to the
codes, never to the names.

Vocabularies (``core.Term``):

- ``provider_type`` — loại đơn vị; ``extra["sector"]`` is the usual sector
  code, used to pre-fill the form.
- ``provider_sector`` — lĩnh vực.
- ``provider_service`` — dịch vụ, two levels (a group and its services);
  filtering by a group finds the providers of every service under it.
- ``provider_target`` — đối tượng phục vụ.
- ``public_hotline`` — the numbers the public portal and the printed handbook
  show, each with what it is for: ``extra = {"number", "purpose",
  "purpose_en", "hours", "free", "province"}`` (``province`` empty for a
  national number). The Centre's own lines stay ``hotline.HotlineLine`` rows
  (a counsellor picks them on a call); a ``public_hotline`` row with the same
  number only adds the purpose text for the portal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

CATALOGUE = "Danh mục nội bộ Trung tâm CTXH (cập nhật 2026)"
# The directory has been kept since the Centre's network mapping (Đề án 32);
# every entry is usable from then.
SINCE = D(2013, 1, 1)

# (code, name, English, usual sector, source)
TYPES: list[tuple[str, str, str, str, str]] = [
    ("social_work_centre", "Trung tâm Công tác xã hội", "Social Work Centre", "social_protection",
     CATALOGUE + "; Quyết định 32/2010/QĐ-TTg"),
    ("public_sp_facility", "Cơ sở trợ giúp xã hội công lập", "Public social assistance facility",
     "social_protection", CATALOGUE + "; Nghị định 103/2017/NĐ-CP"),
    ("private_sp_facility", "Cơ sở trợ giúp xã hội ngoài công lập (tư nhân, tổ chức phi chính phủ)",
     "Private or NGO social assistance facility", "social_protection", CATALOGUE + "; Nghị định 103/2017/NĐ-CP"),
    ("one_stop_gbv", "Trung tâm hỗ trợ một cửa cho nạn nhân bạo lực giới (Ngôi nhà Ánh Dương)",
     "One-stop centre for gender-based violence survivors (Ngôi nhà Ánh Dương)", "social_protection", CATALOGUE),
    ("hospital_sw_unit", "Phòng/Tổ công tác xã hội của bệnh viện", "Hospital social work unit", "health",
     CATALOGUE + "; Thông tư 43/2015/TT-BYT"),
    ("hospital", "Bệnh viện, trung tâm y tế", "Hospital or health centre", "health", CATALOGUE),
    ("mental_health", "Cơ sở chăm sóc sức khỏe tâm thần", "Mental health facility", "health", CATALOGUE),
    ("rehabilitation", "Cơ sở phục hồi chức năng", "Rehabilitation centre", "health", CATALOGUE),
    ("commune_health", "Trạm y tế xã/phường", "Commune health station", "health", CATALOGUE),
    ("school_counselling", "Phòng tư vấn tâm lý học đường", "School counselling room", "education",
     CATALOGUE + "; Thông tư 31/2017/TT-BGDĐT"),
    ("special_school", "Trường, trung tâm giáo dục chuyên biệt, hỗ trợ giáo dục hòa nhập",
     "Special school or inclusive education support centre", "education", CATALOGUE),
    ("police", "Công an", "Police", "police_justice", CATALOGUE),
    ("legal_aid", "Trung tâm Trợ giúp pháp lý nhà nước", "State legal aid centre", "legal",
     CATALOGUE + "; Luật Trợ giúp pháp lý 11/2017/QH14"),
    ("vocational_training", "Cơ sở giáo dục nghề nghiệp", "Vocational training centre", "labour",
     CATALOGUE + "; Luật Giáo dục nghề nghiệp 74/2014/QH13"),
    ("employment_centre", "Trung tâm Dịch vụ việc làm", "Employment service centre", "labour",
     CATALOGUE + "; Luật Việc làm 38/2013/QH13"),
    ("drug_treatment", "Cơ sở cai nghiện ma túy", "Drug treatment facility", "social_protection", CATALOGUE),
    ("social_org", "Tổ chức xã hội, tổ chức phi chính phủ", "Social organisation or NGO", "civil_society",
     CATALOGUE),
    ("mass_org", "Tổ chức đoàn thể (Hội Phụ nữ, Đoàn Thanh niên, Hội Chữ thập đỏ…)",
     "Mass organisation (Women's Union, Youth Union, Red Cross…)", "civil_society", CATALOGUE),
    ("commune_committee", "UBND cấp xã (công chức văn hóa - xã hội)",
     "Commune People's Committee (social affairs officer)", "local_government", CATALOGUE),
]

SECTORS: list[tuple[str, str, str]] = [
    ("social_protection", "Bảo trợ xã hội, bảo vệ trẻ em", "Social protection and child protection"),
    ("health", "Y tế", "Health"),
    ("education", "Giáo dục", "Education"),
    ("police_justice", "Công an, tư pháp", "Police and justice"),
    ("legal", "Trợ giúp pháp lý", "Legal aid"),
    ("labour", "Lao động, việc làm, giáo dục nghề nghiệp", "Labour, employment and vocational training"),
    ("civil_society", "Tổ chức xã hội, đoàn thể", "Civil society and mass organisations"),
    ("local_government", "Chính quyền cơ sở", "Local government"),
]

# (group code, group name, English, [(code, name, English)])
SERVICES: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    ("counselling", "Tư vấn, tham vấn tâm lý", "Counselling and psychological support", [
        ("psych_support", "Tham vấn, trị liệu tâm lý", "Psychological counselling and therapy"),
        ("crisis_intervention", "Can thiệp khủng hoảng", "Crisis intervention"),
        ("policy_advice", "Tư vấn chính sách trợ giúp xã hội", "Advice on social assistance policies"),
        ("family_counselling", "Tư vấn hôn nhân, gia đình", "Marriage and family counselling"),
    ]),
    ("protection", "Bảo vệ, hỗ trợ khẩn cấp", "Protection and emergency support", [
        ("emergency_shelter", "Nơi tạm lánh khẩn cấp", "Emergency shelter"),
        ("police_protection", "Bảo vệ an toàn, tiếp nhận tố giác", "Police protection and reporting"),
        ("child_protection", "Bảo vệ trẻ em, can thiệp khi trẻ bị xâm hại", "Child protection"),
        ("gbv_support", "Hỗ trợ nạn nhân bạo lực giới, bạo lực gia đình",
         "Support for survivors of gender-based and domestic violence"),
        ("trafficking_support", "Tiếp nhận, hỗ trợ nạn nhân bị mua bán", "Support for trafficking survivors"),
    ]),
    ("health", "Chăm sóc sức khỏe", "Health care", [
        ("health_care", "Khám, chữa bệnh", "Medical care"),
        ("mental_health_care", "Chăm sóc sức khỏe tâm thần", "Mental health care"),
        ("rehabilitation", "Phục hồi chức năng, vật lý trị liệu", "Rehabilitation and physiotherapy"),
        ("autism_screening", "Sàng lọc, can thiệp sớm trẻ tự kỷ, rối nhiễu tâm trí",
         "Screening and early intervention for autism and mental disorders in children"),
        ("disability_assessment", "Hỗ trợ xác định mức độ khuyết tật", "Disability assessment support"),
        ("assistive_devices", "Dụng cụ trợ giúp (xe lăn, máy trợ thính, chân tay giả…)",
         "Assistive devices (wheelchairs, hearing aids, prostheses…)"),
        ("addiction_treatment", "Điều trị, cai nghiện ma túy", "Drug addiction treatment"),
    ]),
    ("legal", "Pháp lý, giấy tờ", "Legal matters and papers", [
        ("legal_aid", "Trợ giúp pháp lý miễn phí", "Free legal aid"),
        ("civil_papers", "Hỗ trợ giấy tờ hộ tịch, cư trú", "Civil status and residence papers"),
    ]),
    ("education", "Giáo dục", "Education", [
        ("education_support", "Hỗ trợ học tập, học bổng", "Education support and scholarships"),
        ("life_skills", "Giáo dục kỹ năng sống", "Life skills education"),
        ("inclusive_education", "Giáo dục hòa nhập, chuyên biệt", "Inclusive and special education"),
    ]),
    ("livelihood", "Sinh kế, việc làm", "Livelihood and jobs", [
        ("vocational_training", "Dạy nghề", "Vocational training"),
        ("job_placement", "Giới thiệu việc làm", "Job placement"),
        ("livelihood_support", "Hỗ trợ sinh kế, vay vốn", "Livelihood support and loans"),
    ]),
    ("care", "Chăm sóc, nuôi dưỡng", "Care", [
        ("residential_care", "Nuôi dưỡng tập trung", "Residential care"),
        ("elderly_care", "Chăm sóc người cao tuổi", "Elderly care"),
        ("day_care", "Chăm sóc bán trú, ban ngày", "Day care"),
        ("alternative_care", "Chăm sóc thay thế (nhận nuôi, gia đình nhận chăm sóc)",
         "Alternative care (foster and kinship care)"),
    ]),
    ("social_support", "Kết nối, hỗ trợ xã hội", "Social support", [
        ("case_management", "Quản lý trường hợp", "Case management"),
        ("family_tracing", "Tìm kiếm, đoàn tụ gia đình", "Family tracing and reunification"),
        ("material_aid", "Hỗ trợ vật chất, lương thực, nhu yếu phẩm", "Material and food aid"),
    ]),
]

TARGETS: list[tuple[str, str, str]] = [
    ("children", "Trẻ em", "Children"),
    ("children_special", "Trẻ em có hoàn cảnh đặc biệt", "Children in special circumstances"),
    ("women_gbv", "Phụ nữ, nạn nhân bạo lực giới", "Women and gender-based violence survivors"),
    ("elderly", "Người cao tuổi", "Older people"),
    ("disability", "Người khuyết tật", "People with disabilities"),
    ("poor_households", "Hộ nghèo, cận nghèo", "Poor and near-poor households"),
    ("mental_illness", "Người rối nhiễu tâm trí, bệnh tâm thần", "People with mental illness"),
    ("trafficking", "Nạn nhân bị mua bán", "Trafficking survivors"),
    ("hiv", "Người nhiễm HIV/AIDS", "People living with HIV"),
    ("anyone", "Mọi người dân", "Anyone"),
]

EMERGENCY_NUMBERS = "Số dịch vụ khẩn cấp quốc gia (quy hoạch kho số viễn thông, Bộ Thông tin và Truyền thông)"

# (code, name, English, extra)
PUBLIC_HOTLINES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("child_111", "Tổng đài quốc gia bảo vệ trẻ em", "National child protection hotline", {
        "number": "111", "hours": "24/7", "free": True, "province": None,
        "purpose": "Báo tin trẻ em bị bạo lực, xâm hại, bóc lột, bỏ rơi hoặc có nguy cơ; "
                   "được tư vấn, kết nối hỗ trợ. Miễn phí, mọi lúc.",
        "purpose_en": "Report a child who is abused, exploited, abandoned or at risk; "
                      "get advice and referral. Free, day and night.",
    }, "Luật Trẻ em 102/2016/QH13; Nghị định 56/2017/NĐ-CP"),
    ("centre_qn", "Tổng đài tư vấn miễn phí của Trung tâm CTXH Quảng Ninh",
     "Quảng Ninh Social Work Centre free counselling line", {
        "number": "1800 1769", "hours": "", "free": True, "province": 22,
        "purpose": "Tư vấn chính sách trợ giúp xã hội, khủng hoảng tâm lý, bạo lực gia đình, "
                   "người khuyết tật, người cao tuổi; giới thiệu dịch vụ phù hợp.",
        "purpose_en": "Advice on social assistance, psychological crisis, domestic violence, "
                      "disability and old age; referral to the right service.",
    }, "Trung tâm CTXH Quảng Ninh — tổng đài tư vấn miễn phí vận hành từ năm 2013"),
    ("police_113", "Công an (cảnh sát phản ứng nhanh)", "Police", {
        "number": "113", "hours": "24/7", "free": True, "province": None, "urgent": True,
        "purpose": "Khi bạn hoặc người khác đang bị đe dọa, bị đánh, bị bắt giữ trái phép; "
                   "báo tin về tội phạm, mua bán người.",
        "purpose_en": "When you or someone else is threatened, beaten or held against their will; "
                      "report a crime or trafficking.",
    }, EMERGENCY_NUMBERS),
    ("ambulance_115", "Cấp cứu y tế", "Medical emergency (ambulance)", {
        "number": "115", "hours": "24/7", "free": True, "province": None, "urgent": True,
        "purpose": "Người bị thương, ngất, ngộ độc, có ý định tự tử hoặc cần cấp cứu ngay.",
        "purpose_en": "Someone injured, unconscious, poisoned, at risk of suicide or needing urgent care.",
    }, EMERGENCY_NUMBERS),
    ("fire_114", "Cứu hỏa, cứu nạn cứu hộ", "Fire and rescue", {
        "number": "114", "hours": "24/7", "free": True, "province": None,
        "purpose": "Cháy, nổ, người mắc kẹt, đuối nước, sự cố cần cứu nạn, cứu hộ.",
        "purpose_en": "Fire, explosion, people trapped, drowning or other rescue.",
    }, EMERGENCY_NUMBERS),
    ("rescue_112", "Tìm kiếm cứu nạn", "Search and rescue", {
        "number": "112", "hours": "24/7", "free": True, "province": None,
        "purpose": "Thiên tai, bão lũ, sạt lở, tai nạn trên biển cần tìm kiếm cứu nạn.",
        "purpose_en": "Natural disaster, floods, landslides, accidents at sea needing search and rescue.",
    }, EMERGENCY_NUMBERS),
]


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, (code, name, name_en) in enumerate(SECTORS, 1):
        rows.append(dict(vocabulary="provider_sector", code=code, name=name, name_en=name_en, position=i * 10,
                         valid_from=SINCE, source=CATALOGUE))
    for i, (code, name, name_en, sector, source) in enumerate(TYPES, 1):
        rows.append(dict(vocabulary="provider_type", code=code, name=name, name_en=name_en, position=i * 10,
                         valid_from=SINCE, source=source, extra={"sector": sector}))
    for i, (code, name, name_en) in enumerate(TARGETS, 1):
        rows.append(dict(vocabulary="provider_target", code=code, name=name, name_en=name_en, position=i * 10,
                         valid_from=SINCE, source=CATALOGUE))
    for i, (code, name, name_en, extra, source) in enumerate(PUBLIC_HOTLINES, 1):
        rows.append(dict(vocabulary="public_hotline", code=code, name=name, name_en=name_en, position=i * 10,
                         valid_from=SINCE, source=source, extra=extra))
    return rows


def load_reference(Term: Any) -> int:
    """Add the terms that are missing; return how many were added."""
    have = set(Term.objects.filter(vocabulary__in=[
        "provider_sector", "provider_type", "provider_target", "provider_service", "public_hotline",
    ]).values_list("vocabulary", "code"))
    new = [Term(**r) for r in _rows() if (r["vocabulary"], r["code"]) not in have]
    Term.objects.bulk_create(new)
    added = len(new)
    for gi, (code, name, name_en, children) in enumerate(SERVICES, 1):
        parent = Term.objects.filter(vocabulary="provider_service", code=code).first()
        if parent is None:
            parent = Term.objects.create(vocabulary="provider_service", code=code, name=name, name_en=name_en,
                                         position=gi * 100, valid_from=SINCE, source=CATALOGUE)
            added += 1
        for ci, (sub, sub_name, sub_en) in enumerate(children, 1):
            if (("provider_service", sub)) in have:
                continue
            _obj, created = Term.objects.get_or_create(
                vocabulary="provider_service", code=sub,
                defaults={"name": sub_name, "name_en": sub_en, "parent": parent, "position": gi * 100 + ci,
                          "valid_from": SINCE, "source": CATALOGUE},
            )
            added += int(created)
    return added
