"""Category lists and standards the registry needs, with the documents that set them.

Loaded by a data migration and again by ``ctxh demo`` (only what is missing is
added). Administrators change them as data afterwards; code refers to codes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

LAW_CHILDREN = "Luật Trẻ em 102/2016/QH13, Điều 10"
DECREE_20 = "Nghị định 20/2021/NĐ-CP, Điều 5"
LAW_DISABILITY = "Luật Người khuyết tật 51/2010/QH12, Điều 3"
ETHNIC_LIST = "Quyết định 121-TCTK/PPCĐ (1979) — Danh mục các dân tộc Việt Nam"

ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ngái", "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê",
    "Mnông", "Ra Glai", "Xtiêng", "Bru - Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Giẻ Triêng",
    "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru",
    "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng",
    "Pà Thẻn", "Cờ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
]

DISABILITY_TYPES = [
    ("mobility", "Khuyết tật vận động", "Mobility"),
    ("hearing_speech", "Khuyết tật nghe, nói", "Hearing and speech"),
    ("vision", "Khuyết tật nhìn", "Vision"),
    ("mental", "Khuyết tật thần kinh, tâm thần", "Neurological or mental"),
    ("intellectual", "Khuyết tật trí tuệ", "Intellectual"),
    ("other", "Khuyết tật khác", "Other"),
]

DISABILITY_LEVELS = [
    ("especially_severe", "Khuyết tật đặc biệt nặng", "Especially severe"),
    ("severe", "Khuyết tật nặng", "Severe"),
    ("mild", "Khuyết tật nhẹ", "Mild"),
]

ALLOWANCE_GROUPS = [
    ("d20_5_1", "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng",
     "Child under 16 with no one to care for them"),
    ("d20_5_2", "Người từ 16 đến 22 tuổi đang học, trước đó là trẻ em không có nguồn nuôi dưỡng",
     "Aged 16–22 still studying, previously a child without carer"),
    ("d20_5_3", "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo", "Child with HIV in a poor household"),
    ("d20_5_4", "Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn sống ổn định",
     "Adult with HIV in a poor household without stable income"),
    ("d20_5_5", "Người đơn thân nghèo đang nuôi con", "Poor single parent raising a child"),
    ("d20_5_6a", "Người cao tuổi thuộc hộ nghèo, không có người có nghĩa vụ phụng dưỡng",
     "Elderly, poor, with no one obliged to support them"),
    ("d20_5_6b", "Người từ 75 đến 80 tuổi thuộc hộ nghèo, cận nghèo ở xã vùng dân tộc thiểu số đặc biệt khó khăn",
     "Elderly 75–80, poor or near-poor, in disadvantaged ethnic-minority communes"),
    ("d20_5_6c", "Người từ 80 tuổi trở lên không có lương hưu, trợ cấp bảo hiểm xã hội",
     "Aged 80 or over without pension"),
    ("d20_5_6d", "Người cao tuổi đủ điều kiện vào cơ sở nhưng được chăm sóc tại cộng đồng",
     "Elderly qualifying for a facility but cared for in the community"),
    ("d20_5_7", "Người khuyết tật nặng, khuyết tật đặc biệt nặng",
     "Person with a severe or especially severe disability"),
]

CHILD_SPECIAL_GROUPS = [
    ("tedb_01", "Trẻ em mồ côi cả cha và mẹ", "Orphaned of both parents"),
    ("tedb_02", "Trẻ em bị bỏ rơi", "Abandoned"),
    ("tedb_03", "Trẻ em không nơi nương tựa", "With no one to rely on"),
    ("tedb_04", "Trẻ em khuyết tật", "With disabilities"),
    ("tedb_05", "Trẻ em nhiễm HIV/AIDS", "With HIV/AIDS"),
    ("tedb_06", "Trẻ em vi phạm pháp luật", "In conflict with the law"),
    ("tedb_07", "Trẻ em nghiện ma túy", "Drug-addicted"),
    ("tedb_08", "Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở",
     "Dropped out of school to earn a living"),
    ("tedb_09", "Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực",
     "Seriously harmed by violence"),
    ("tedb_10", "Trẻ em bị bóc lột", "Exploited"),
    ("tedb_11", "Trẻ em bị xâm hại tình dục", "Sexually abused"),
    ("tedb_12", "Trẻ em bị mua bán", "Trafficked"),
    ("tedb_13", "Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo, hộ cận nghèo",
     "Seriously or long-term ill in a poor or near-poor household"),
    ("tedb_14", "Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc",
     "Migrant or refugee child without carers"),
]

POVERTY_STANDARDS: list[dict[str, Any]] = [
    {
        "code": "ND07-2021", "name": "Chuẩn nghèo đa chiều 2022–2026 (Nghị định 07/2021/NĐ-CP)",
        "valid_from": D(2022, 1, 1), "valid_to": D(2026, 12, 31),
        "income_rural": 1_500_000, "income_urban": 2_000_000, "min_deprivations_poor": 3,
        "source": "Nghị định 07/2021/NĐ-CP",
    },
    {
        "code": "ND351-2025", "name": "Chuẩn nghèo đa chiều 2027–2030 (Nghị định 351/2025/NĐ-CP)",
        "valid_from": D(2027, 1, 1), "valid_to": D(2030, 12, 31),
        "income_rural": 2_200_000, "income_urban": 2_800_000, "min_deprivations_poor": 3,
        "source": "Nghị định 351/2025/NĐ-CP",
    },
]


def _terms() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, name in enumerate(ETHNICITIES, start=1):
        rows.append(dict(vocabulary="ethnicity", code=f"{i:02d}", name=name, name_en=name,
                         position=i, valid_from=D(1979, 3, 2), source=ETHNIC_LIST))
    for vocabulary, items, source, since in (
        ("disability_type", DISABILITY_TYPES, LAW_DISABILITY, D(2011, 1, 1)),
        ("disability_level", DISABILITY_LEVELS, LAW_DISABILITY, D(2011, 1, 1)),
        ("allowance_group", ALLOWANCE_GROUPS, DECREE_20, D(2021, 7, 1)),
        ("child_special", CHILD_SPECIAL_GROUPS, LAW_CHILDREN, D(2017, 6, 1)),
    ):
        for i, (code, name, name_en) in enumerate(items, start=1):
            rows.append(dict(vocabulary=vocabulary, code=code, name=name, name_en=name_en,
                             position=i, valid_from=since, source=source))
    return rows


def load_reference(term_model: Any, standard_model: Any) -> int:
    """Add the reference rows that are missing; never overwrite an edited row."""
    have = set(term_model.objects.values_list("vocabulary", "code"))
    new = [term_model(**r) for r in _terms() if (r["vocabulary"], r["code"]) not in have]
    term_model.objects.bulk_create(new)
    have_std = set(standard_model.objects.values_list("code", flat=True))
    std = [standard_model(**s) for s in POVERTY_STANDARDS if s["code"] not in have_std]
    standard_model.objects.bulk_create(std)
    return len(new) + len(std)


# Poverty surveys (issue 5) -----------------------------------------------------
# Loaded by migration 0006_poverty_reference and by ``ctxh.people.poverty_demo``.

DECREE_07 = "Nghị định 07/2021/NĐ-CP, Điều 3 khoản 1"
POVERTY_SINCE = D(2022, 1, 1)

# The six basic social services (chiều thiếu hụt) — vocabulary ``poverty_dimension``.
POVERTY_DIMENSIONS = [
    ("employment", "Việc làm", "Employment"),
    ("health", "Y tế", "Health"),
    ("education", "Giáo dục", "Education"),
    ("housing", "Nhà ở", "Housing"),
    ("water_sanitation", "Nước sinh hoạt và vệ sinh", "Water and sanitation"),
    ("information", "Thông tin", "Information"),
]

# The twelve deprivation indicators — vocabulary ``poverty_indicator``, each
# under its dimension (``parent``). Decree 351/2025 (from 2027) keeps the same
# rule; a changed list would be new rows with their own dates.
POVERTY_INDICATORS = [
    ("employment", "employment", "Việc làm", "Employment"),
    ("dependants", "employment", "Người phụ thuộc trong hộ gia đình", "Dependants in the household"),
    ("nutrition", "health", "Dinh dưỡng", "Nutrition"),
    ("health_insurance", "health", "Bảo hiểm y tế", "Health insurance"),
    ("adult_education", "education", "Trình độ giáo dục của người lớn", "Adult education"),
    ("child_schooling", "education", "Tình trạng đi học của trẻ em", "Children's schooling"),
    ("housing_quality", "housing", "Chất lượng nhà ở", "Housing quality"),
    ("housing_area", "housing", "Diện tích nhà ở bình quân đầu người", "Floor area per person"),
    ("drinking_water", "water_sanitation", "Nguồn nước sinh hoạt", "Drinking water"),
    ("latrine", "water_sanitation", "Nhà tiêu hợp vệ sinh", "Hygienic latrine"),
    ("telecoms", "information", "Sử dụng dịch vụ viễn thông", "Use of telecommunication services"),
    ("information_access", "information", "Phương tiện phục vụ tiếp cận thông tin",
     "Means of access to information"),
]

# Rural or urban by the commune's kind of unit. Phường are urban, xã rural.
# Đặc khu (island special zones, commune level since 1 July 2025) were island
# districts before and are counted rural, like Commune.is_urban; a surveyor may
# choose the other area for one household, with a reason, and an administrator
# may add a newer row of this rule.
RULE_POVERTY_AREA = "poverty.area_by_division_type"
POVERTY_RULES: list[dict[str, Any]] = [
    {
        "key": RULE_POVERTY_AREA, "valid_from": POVERTY_SINCE,
        "value": {"phường": "urban", "thị trấn": "urban", "xã": "rural", "đặc khu": "rural"},
        "unit": "",
        "source": "Nghị định 07/2021/NĐ-CP, Điều 3 (chuẩn nghèo khu vực nông thôn, thành thị); "
                  "Luật Tổ chức chính quyền địa phương 2025, Điều 2 (xã, phường, đặc khu)",
        "note": "Phường (và thị trấn trước 01/7/2025) là thành thị; xã là nông thôn. Đặc khu "
                "(trước đây là huyện đảo) tạm xếp nông thôn; khi rà soát có thể chọn khu vực khác "
                "cho từng hộ, kèm lý do.",
    },
]


def _poverty_term_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dimensions = [
        dict(vocabulary="poverty_dimension", code=code, name=name, name_en=name_en, position=i,
             valid_from=POVERTY_SINCE, source=DECREE_07)
        for i, (code, name, name_en) in enumerate(POVERTY_DIMENSIONS, start=1)
    ]
    indicators = [
        dict(vocabulary="poverty_indicator", code=code, name=name, name_en=name_en, position=i,
             valid_from=POVERTY_SINCE, source=DECREE_07, extra={"dimension": dimension})
        for i, (code, dimension, name, name_en) in enumerate(POVERTY_INDICATORS, start=1)
    ]
    return dimensions, indicators


def load_poverty_reference(term_model: Any, rule_model: Any) -> int:
    """Add the poverty dimensions, indicators and rule rows that are missing; never overwrite."""
    dimensions, indicators = _poverty_term_rows()
    have = set(term_model.objects.values_list("vocabulary", "code"))
    new_dims = [term_model(**r) for r in dimensions if (r["vocabulary"], r["code"]) not in have]
    for term in new_dims:
        term.save()
    parents = {t.code: t for t in term_model.objects.filter(vocabulary="poverty_dimension")}
    new_inds = [
        term_model(parent=parents.get(r["extra"]["dimension"]), **r)
        for r in indicators if (r["vocabulary"], r["code"]) not in have
    ]
    term_model.objects.bulk_create(new_inds)
    have_rules = set(rule_model.objects.values_list("key", "valid_from"))
    rules = [rule_model(**r) for r in POVERTY_RULES if (r["key"], r["valid_from"]) not in have_rules]
    rule_model.objects.bulk_create(rules)
    return len(new_dims) + len(new_inds) + len(rules)
