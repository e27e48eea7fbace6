"""Demo providers: the service network of the demo province, across sectors.

About twenty addresses such as a Centre hands out in its handbook — the
Centre itself, the social assistance facility (linked to the demo
``facility`` organisation), the one-stop centre, hospital social work units,
legal aid, police, schools, vocational and employment centres, commune
health stations, mass organisations — a few residential with their places,
two kept off the public portal (an emergency shelter and a volunteer group).
Phone numbers are made up (the province's 0203 area code). Idempotent: a
provider with the same name in the province is left alone.
"""

from __future__ import annotations

import random
from typing import Any

from ctxh.core.models import Term
from ctxh.geo.models import Commune, Province
from ctxh.network.models import Provider
from ctxh.network.reference import load_reference

# (name, type, services, targets, options). Options: commune index ("c": int;
# missing → a random commune), province-wide, residential capacity,
# public, hotline, hours, organisation key, description, address.
PROVIDERS: list[tuple[str, str, list[str], list[str], dict[str, Any]]] = [
    ("Trung tâm Công tác xã hội {province}", "social_work_centre",
     ["psych_support", "crisis_intervention", "policy_advice", "child_protection", "autism_screening",
      "case_management", "life_skills", "family_tracing"],
     ["children_special", "women_gbv", "disability", "elderly", "mental_illness", "anyone"],
     {"c": 0, "province_wide": True, "hotline": "1800 1769", "org": "centre", "hours": "Thứ Hai – Thứ Sáu, 7h30 – 17h00",
      "description": "Tư vấn, tham vấn tâm lý; sàng lọc và trị liệu cho trẻ tự kỷ, rối nhiễu tâm trí; "
                     "quản lý trường hợp; kết nối các dịch vụ trong tỉnh."}),
    ("Cơ sở Bảo trợ xã hội tổng hợp", "public_sp_facility",
     ["residential_care", "elderly_care", "rehabilitation", "case_management"],
     ["children_special", "elderly", "disability", "mental_illness"],
     {"org": "facility", "capacity": 150, "province_wide": True, "hours": "Tiếp nhận khẩn cấp 24/7"}),
    ("Trung tâm hỗ trợ phụ nữ và trẻ em gái (Ngôi nhà Ánh Dương)", "one_stop_gbv",
     ["gbv_support", "psych_support", "health_care", "legal_aid", "emergency_shelter", "police_protection"],
     ["women_gbv", "children", "trafficking"],
     {"c": 1, "province_wide": True, "hotline": "0203 3999 111", "hours": "24/7, miễn phí",
      "description": "Dịch vụ thiết yếu miễn phí 24/7 cho người bị bạo lực trên cơ sở giới: y tế, tâm lý, "
                     "nơi tạm lánh, bảo vệ, pháp lý. Thông tin được giữ kín."}),
    ("Nhà tạm lánh dành cho nạn nhân bạo lực gia đình", "public_sp_facility",
     ["emergency_shelter", "gbv_support", "trafficking_support"], ["women_gbv", "children", "trafficking"],
     {"capacity": 12, "public": False, "hotline": "0203 3999 112",
      "description": "Địa chỉ giữ kín; chỉ tiếp nhận qua Trung tâm hoặc công an."}),
    ("Bệnh viện Đa khoa tỉnh — Phòng Công tác xã hội", "hospital_sw_unit",
     ["health_care", "psych_support", "material_aid", "disability_assessment"],
     ["anyone", "poor_households", "disability"], {"c": 0, "province_wide": True, "hours": "7h00 – 17h00 hằng ngày"}),
    ("Bệnh viện Sản Nhi — Tổ Công tác xã hội", "hospital_sw_unit",
     ["health_care", "child_protection", "psych_support"], ["children", "women_gbv"],
     {"c": 2, "province_wide": True}),
    ("Bệnh viện Bảo vệ sức khỏe tâm thần", "mental_health",
     ["mental_health_care", "psych_support", "addiction_treatment"], ["mental_illness"],
     {"province_wide": True}),
    ("Trung tâm Phục hồi chức năng và Dụng cụ trợ giúp", "rehabilitation",
     ["rehabilitation", "assistive_devices", "disability_assessment"], ["disability", "children", "elderly"],
     {"province_wide": True}),
    ("Trung tâm Trợ giúp pháp lý nhà nước tỉnh", "legal_aid",
     ["legal_aid", "civil_papers"], ["poor_households", "children_special", "women_gbv", "disability", "elderly"],
     {"c": 0, "province_wide": True, "hours": "Thứ Hai – Thứ Sáu, giờ hành chính",
      "description": "Trợ giúp pháp lý miễn phí cho người thuộc diện theo Luật Trợ giúp pháp lý."}),
    ("Công an {commune}", "police", ["police_protection", "child_protection"], ["anyone"],
     {"c": 0, "hotline": "113", "hours": "24/7"}),
    ("Trung tâm Dịch vụ việc làm", "employment_centre", ["job_placement", "vocational_training", "policy_advice"],
     ["anyone", "disability", "poor_households"], {"c": 0, "province_wide": True}),
    ("Trường Cao đẳng nghề — Khoa Đào tạo người khuyết tật", "vocational_training",
     ["vocational_training", "job_placement"], ["disability", "poor_households"], {"province_wide": True}),
    ("Trường THCS {place} — Phòng tư vấn tâm lý học đường", "school_counselling",
     ["psych_support", "life_skills"], ["children"], {"c": 1}),
    ("Trung tâm Hỗ trợ phát triển giáo dục hòa nhập", "special_school",
     ["inclusive_education", "autism_screening", "rehabilitation"], ["children", "disability"], {}),
    ("Trạm Y tế {commune}", "commune_health", ["health_care", "disability_assessment"], ["anyone"], {"c": 0}),
    ("Trạm Y tế {commune}", "commune_health", ["health_care"], ["anyone"], {"c": 1}),
    ("Hội Liên hiệp Phụ nữ tỉnh", "mass_org", ["gbv_support", "livelihood_support", "family_counselling"],
     ["women_gbv", "poor_households"], {"c": 0, "province_wide": True}),
    ("Hội Chữ thập đỏ tỉnh", "mass_org", ["material_aid", "family_tracing"], ["poor_households", "anyone"],
     {"province_wide": True}),
    ("Mái ấm Hoa Hướng Dương", "private_sp_facility", ["residential_care", "education_support", "alternative_care"],
     ["children_special"], {"capacity": 30}),
    ("Viện dưỡng lão An Bình", "private_sp_facility", ["elderly_care", "residential_care", "day_care"],
     ["elderly"], {"capacity": 60, "hours": "Thăm gặp 8h00 – 20h00"}),
    ("Nhóm tình nguyện viên công tác xã hội {commune}", "social_org", ["material_aid", "education_support"],
     ["poor_households", "children"], {"c": 1, "public": False}),
]


def _in_words(commune: Commune) -> str:
    """"Phường Hà Tu" → "phường Hà Tu", as it reads inside a name."""
    return commune.name[:1].lower() + commune.name[1:]


def _phone(rng: random.Random) -> str:
    return f"0203 {rng.randint(3500, 3899)} {rng.randint(100, 999)}"


def load_demo(*, province: Province, orgs: dict[str, Any], rng: random.Random) -> None:
    load_reference(Term)
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    if not communes:
        return
    focus = [c for c in (getattr(orgs.get("commune1"), "commune", None), getattr(orgs.get("commune2"), "commune", None))
             if c is not None]
    terms = {(t.vocabulary, t.code): t for t in Term.objects.filter(vocabulary__startswith="provider_")}
    province_name = province.name.replace("Tỉnh ", "tỉnh ").replace("Thành phố ", "thành phố ")
    for name, type_code, service_codes, target_codes, opt in PROVIDERS:
        if "c" in opt:
            pool = focus + [c for c in communes if c not in focus]
            commune = pool[opt["c"] % len(pool)]
        else:
            commune = rng.choice(communes)
        org = orgs.get(opt["org"]) if opt.get("org") else None
        if org is not None and org.commune_id:
            commune = org.commune
        full_name = name.format(province=province_name, commune=_in_words(commune),
                                place=commune.name.split(" ", 1)[-1] if " " in commune.name else commune.name)
        if Provider.objects.filter(province=province, name=full_name).exists():
            continue
        kind = terms[("provider_type", type_code)]
        sector = terms[("provider_sector", kind.extra["sector"])]
        provider = Provider(
            name=full_name, type=kind, sector=sector, province=province, commune=commune,
            serves_province=bool(opt.get("province_wide")),
            address_detail=f"Số {rng.randint(2, 250)}, đường {rng.choice(['Lê Thánh Tông', 'Trần Hưng Đạo', 'Nguyễn Văn Cừ', 'Hạ Long', 'Lê Lợi', 'Cao Thắng'])}",
            phone=_phone(rng), hotline=opt.get("hotline", ""), hours=opt.get("hours", ""),
            description=opt.get("description", ""),
            is_residential="capacity" in opt, capacity=opt.get("capacity"),
            is_public=opt.get("public", True), organization=org,
        )
        if "nhà tạm lánh" in full_name.lower():
            provider.address_detail = ""  # the address of a shelter is kept off every list
        provider.save()
        provider.services.set([terms[("provider_service", c)] for c in service_codes])
        provider.target_groups.set([terms[("provider_target", c)] for c in target_codes])
