"""Synthetic people and households for demos, tests and benchmarks (``ctxh seed``).

The data has to look like a Vietnamese province to the people who try the demo
and to the code that is measured on it: family names at their real frequencies
(Nguyễn is more than a third of everyone, so a search for "nguyen" is the hard
case), women's middle name mostly Thị, given names with every kind of mark,
birth dates sometimes known only to the year, CCCD numbers that agree with sex
and birth year, households whose ages make sense, and the beneficiary groups a
commune really handles.

It writes rows directly, in batches of 5,000 people per transaction, and not
through the services: a million people through ``person_register`` (duplicate
checks, audit rows) would take hours, and this is not a record anybody typed.
It therefore repeats exactly what the services store (``normalize_name``, ``fold``, ``given_name``,
``normalize_phone``) so searches and duplicate checks see seeded people as if
they had been registered.

Everything random comes from ``random.Random(random_seed)``: the same seed gives
the same people. ID numbers come from a second stream, so that skipping a
number already in the database cannot change the names that follow.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from ctxh.core.bulk import BulkRows, Pick
from ctxh.core.cccd import LEGACY_PROVINCE_CODES, cccd_make
from ctxh.core.models import Term
from ctxh.core.text import fold, given_name, normalize_name, normalize_phone
from ctxh.geo.models import Commune, Province
from ctxh.people.models import (
    DatePrecision,
    Disability,
    GroupMembership,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    LifeStatus,
    Person,
    PovertyStandard,
    PovertyStatus,
    Relationship,
    Sex,
)

BATCH = 5_000
T = TypeVar("T")
# Plain strings, not the enum members: they are dictionary keys below, and an
# enum member does not hash like its value.
MALE, FEMALE = Sex.MALE.value, Sex.FEMALE.value




# --- Names -------------------------------------------------------------------
# Family names: national shares in per cent (Nguyễn ~38%, Trần ~11%, Lê ~9.5%…).
# Hoàng/Huỳnh and Vũ/Võ are one name spelt by region: the North writes Hoàng and
# Vũ, the South Huỳnh and Võ, so the split depends on the province.
_FAMILY_COMMON: list[tuple[str, float]] = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Phan", 4.5),
    ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0),
    ("Lý", 0.5), ("Đinh", 0.6), ("Đào", 0.5), ("Cao", 0.4), ("Lương", 0.4), ("Mai", 0.4),
    ("Trịnh", 0.4), ("Đoàn", 0.4), ("Trương", 0.4), ("Lưu", 0.3), ("Tô", 0.3), ("Hà", 0.3),
    ("Tạ", 0.2), ("Chu", 0.2), ("Lại", 0.2), ("Kiều", 0.15), ("Quách", 0.15), ("Vương", 0.15),
    ("Lâm", 0.2), ("Phùng", 0.2), ("Triệu", 0.15), ("Thái", 0.1), ("Khúc", 0.05), ("Mạc", 0.05),
    ("Hứa", 0.05), ("Tăng", 0.05), ("Giang", 0.1), ("Âu", 0.05), ("Từ", 0.05), ("Doãn", 0.05),
    ("Khổng", 0.05), ("Tống", 0.1), ("Đồng", 0.1), ("Ninh", 0.05), ("Lã", 0.05), ("Diệp", 0.05),
    ("Vi", 0.05), ("Nông", 0.05), ("Thân", 0.1), ("Văn", 0.05), ("Châu", 0.1), ("Trình", 0.05),
]
_FAMILY_NORTH = [("Hoàng", 4.6), ("Huỳnh", 0.4), ("Vũ", 3.5), ("Võ", 0.4)]
_FAMILY_SOUTH = [("Hoàng", 1.0), ("Huỳnh", 4.0), ("Vũ", 0.8), ("Võ", 3.1)]

# Family names common among the minorities of the northern uplands.
_FAMILY_MINORITY: dict[str, list[tuple[str, float]]] = {
    "Dao": [("Triệu", 5), ("Bàn", 4), ("Đặng", 4), ("Lý", 3), ("Chìu", 2), ("Dương", 1), ("Tằng", 1)],
    "Tày": [("Hoàng", 4), ("Nông", 4), ("Lộc", 2), ("Vi", 2), ("Hà", 2), ("Lý", 1), ("Lương", 1)],
    "Sán Dìu": [("Lý", 3), ("Diệp", 2), ("Trương", 2), ("Đặng", 1), ("Hoàng", 1), ("Lưu", 1)],
    "Sán Chay": [("La", 3), ("Lương", 2), ("Hoàng", 2), ("Dương", 1), ("Lý", 1)],
    "Hoa": [("Lưu", 2), ("Trương", 2), ("Lâm", 2), ("Quách", 1), ("Mạc", 1), ("Hứa", 1), ("Lý", 1)],
    "Nùng": [("Hoàng", 3), ("Nông", 2), ("Lăng", 1), ("Vi", 1), ("Lục", 1)],
}

_MIDDLE_MALE = [
    ("Đức", 6), ("Minh", 6), ("Hữu", 5), ("Quang", 5), ("Xuân", 4), ("Công", 4), ("Ngọc", 3),
    ("Thanh", 4), ("Mạnh", 3), ("Tiến", 2), ("Duy", 3), ("Trung", 2), ("Đình", 4), ("Bá", 2),
    ("Quốc", 3), ("Hoàng", 2), ("Anh", 2), ("Thế", 2), ("Gia", 2), ("Trọng", 2), ("Tuấn", 1),
    ("Hải", 1), ("Khắc", 1), ("Thành", 1), ("Việt", 1),
]
_MIDDLE_FEMALE = [
    ("Ngọc", 6), ("Thu", 5), ("Thanh", 5), ("Kim", 4), ("Minh", 3), ("Phương", 3), ("Hồng", 3),
    ("Thùy", 3), ("Bích", 2), ("Mai", 2), ("Diệu", 1), ("Khánh", 2), ("Bảo", 2), ("Hải", 1),
    ("Hoài", 1), ("Lan", 1), ("Thúy", 2), ("Hà", 1), ("Quỳnh", 1), ("Tuyết", 1), ("Vân", 1),
]

# Given names, each list for one generation; the weights make the everyday ones common.
_GIVEN_MALE_ALL = [
    ("Anh", 4), ("Bình", 3), ("Cường", 3), ("Dũng", 4), ("Đức", 3), ("Hải", 4), ("Hùng", 4),
    ("Hưng", 3), ("Huy", 3), ("Hoàng", 2), ("Khánh", 2), ("Long", 3), ("Mạnh", 2), ("Minh", 4),
    ("Nam", 4), ("Phong", 2), ("Quang", 2), ("Sơn", 4), ("Thắng", 3), ("Thành", 3), ("Tiến", 2),
    ("Trung", 3), ("Tuấn", 5), ("Tùng", 2), ("Việt", 2), ("Vinh", 2), ("Toàn", 2), ("Hiếu", 2),
    ("Lâm", 1), ("Lộc", 1), ("Nghĩa", 2), ("Phúc", 2), ("Quân", 2), ("Tâm", 1), ("Thịnh", 1),
    ("Chiến", 2), ("Công", 1), ("Duy", 1), ("Dương", 1), ("Đạt", 2), ("Giang", 1), ("Hào", 1),
    ("Hiệp", 1), ("Hòa", 1), ("Khoa", 1), ("Kiên", 1), ("Lực", 1), ("Ngọc", 1), ("Nhân", 1),
    ("Phú", 1), ("Quý", 1), ("Tài", 1), ("Thông", 1), ("Trường", 2), ("Tú", 1), ("Hậu", 1),
    ("Thuận", 1), ("Lợi", 1), ("Hiển", 1), ("Chính", 1), ("Thiện", 1), ("Cảnh", 1), ("Định", 1),
]
_GIVEN_MALE_OLD = [
    ("Tý", 1), ("Sửu", 1), ("Dần", 1), ("Thìn", 1), ("Hợi", 1), ("Lượng", 1), ("Khoát", 1),
    ("Bảy", 1), ("Tám", 1), ("Thọ", 2), ("Phúc", 1), ("Cẩn", 1), ("Đoan", 1), ("Khải", 1),
    ("Điều", 1), ("Vượng", 1), ("Quế", 1), ("Chức", 1), ("Toản", 1), ("Nhạ", 1),
]
_GIVEN_MALE_YOUNG = [
    ("Khang", 3), ("Khôi", 3), ("Bảo", 3), ("Phát", 2), ("Nhật", 2), ("Đăng", 2), ("Gia", 1),
    ("Huy", 3), ("Minh", 4), ("Quân", 3), ("An", 3), ("Khoa", 2), ("Lâm", 2), ("Phúc", 2),
    ("Thiện", 1), ("Vũ", 2), ("Tuệ", 1), ("Kiệt", 1), ("Hiếu", 1), ("Đức", 2),
]
_GIVEN_FEMALE_ALL = [
    ("Anh", 3), ("Ánh", 2), ("Bích", 1), ("Chi", 2), ("Dung", 3), ("Duyên", 2), ("Đào", 2),
    ("Giang", 2), ("Hà", 4), ("Hằng", 4), ("Hạnh", 3), ("Hiền", 3), ("Hoa", 3), ("Hồng", 3),
    ("Huệ", 2), ("Huyền", 3), ("Hương", 6), ("Hường", 2), ("Lan", 4), ("Liên", 2), ("Linh", 4),
    ("Loan", 2), ("Mai", 4), ("Nga", 3), ("Ngân", 2), ("Ngọc", 2), ("Nguyệt", 2), ("Nhung", 3),
    ("Nhàn", 2), ("Oanh", 2), ("Phương", 4), ("Phượng", 2), ("Quyên", 1), ("Quỳnh", 2),
    ("Tâm", 1), ("Thảo", 4), ("Thanh", 3), ("Thắm", 1), ("Thơ", 1), ("Thu", 3), ("Thủy", 4),
    ("Thúy", 3), ("Trang", 4), ("Tuyết", 2), ("Vân", 3), ("Xuân", 2), ("Yến", 3), ("Diệp", 1),
    ("Hân", 1), ("Lý", 1), ("Ly", 1), ("Dương", 1), ("Hiên", 1), ("Lương", 1), ("Thương", 2),
    ("Nhài", 1), ("Lệ", 1), ("Tươi", 1), ("Mơ", 1), ("Gấm", 1), ("Uyên", 1), ("Trinh", 1),
]
_GIVEN_FEMALE_OLD = [
    ("Lụa", 2), ("Sen", 2), ("Cúc", 2), ("Nụ", 1), ("Tý", 1), ("Mận", 1), ("Gái", 1), ("Đào", 2),
    ("Hoa", 1), ("Thoa", 1), ("Lựu", 1), ("Nhài", 1), ("Bưởi", 1), ("Chắt", 1), ("Hến", 1),
    ("Nhuần", 1), ("Xoan", 1), ("Tẹo", 1), ("Vối", 1), ("Thìn", 1), ("Sửu", 1),
]
_GIVEN_FEMALE_YOUNG = [
    ("Vy", 3), ("Ngân", 3), ("Hân", 3), ("An", 3), ("Khánh", 2), ("Linh", 4), ("My", 3),
    ("Trâm", 2), ("Nhi", 3), ("Thư", 3), ("Anh", 4), ("Diệp", 1), ("Ngọc", 2), ("Châu", 1),
    ("Thảo", 2), ("Quyên", 1), ("Tú", 1), ("Hà", 2), ("Chi", 2), ("Như", 2), ("Uyên", 2),
]

_PICK_MIDDLE_MALE = Pick(_MIDDLE_MALE)
_PICK_MIDDLE_FEMALE = Pick(_MIDDLE_FEMALE)
_PICK_GIVEN = {
    ("male", "all"): Pick(_GIVEN_MALE_ALL), ("male", "old"): Pick(_GIVEN_MALE_OLD),
    ("male", "young"): Pick(_GIVEN_MALE_YOUNG), ("female", "all"): Pick(_GIVEN_FEMALE_ALL),
    ("female", "old"): Pick(_GIVEN_FEMALE_OLD), ("female", "young"): Pick(_GIVEN_FEMALE_YOUNG),
}
_PICK_FAMILY_MINORITY = {k: Pick(v) for k, v in _FAMILY_MINORITY.items()}

# --- Ethnicity ---------------------------------------------------------------
# Minorities and their weights among the non-Kinh population of a commune
# (shaped on Quảng Ninh: Dao, Tày, Sán Dìu, Sán Chay, then Hoa and Nùng).
_MINORITIES = Pick([
    ("Dao", 46), ("Tày", 28), ("Sán Dìu", 13), ("Sán Chay", 9), ("Hoa", 2), ("Nùng", 2),
])

# --- Phones: 0 + 9 digits; network prefixes of Viettel, VinaPhone, MobiFone ---
_PHONE_PREFIX = Pick(
    [(p, 55 / 12) for p in ("086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039")]
    + [(p, 27 / 8) for p in ("088", "091", "094", "081", "082", "083", "084", "085")]
    + [(p, 18 / 8) for p in ("089", "090", "093", "070", "076", "077", "078", "079")]
)

# New (2025) province code -> the legacy codes of the provinces merged into it
# (Resolution 202/2025/QH15). A CCCD keeps the code where the birth was registered.
_LEGACY_FOR_PROVINCE: dict[int, tuple[str, ...]] = {
    8: ("008", "002"), 15: ("015", "010"), 19: ("019", "006"), 24: ("024", "027"),
    25: ("025", "026", "017"), 31: ("031", "030"), 33: ("033", "034"), 37: ("037", "035", "036"),
    44: ("044", "045"), 48: ("048", "049"), 51: ("051", "062"), 52: ("052", "064"),
    56: ("056", "058"), 66: ("066", "054"), 68: ("068", "067", "060"), 75: ("075", "070"),
    79: ("079", "074", "077"), 80: ("080", "072"), 82: ("082", "087"), 86: ("086", "083", "084"),
    91: ("091", "089"), 92: ("092", "093", "094"), 96: ("096", "095"),
}

_DISABILITY_TYPES = Pick([
    ("mobility", 30), ("hearing_speech", 12), ("vision", 12), ("mental", 15),
    ("intellectual", 14), ("other", 17),
])
_DISABILITY_LEVELS = Pick([("especially_severe", 10), ("severe", 21), ("mild", 69)])


# --- Drafts: a household and its people before they are rows ------------------
@dataclass(slots=True)
class _P:
    """A person being drafted: relationship, sex, age and family name come first, the rest after."""

    relationship: str
    sex: str
    age: int
    family: str
    ethnicity: str
    full_name: str = ""
    birth_date: dt.date | None = None
    precision: str = DatePrecision.DAY
    cccd: str = ""
    old_id: str = ""
    phone: str = ""
    phone_alt: str = ""
    status: str = LifeStatus.LIVING
    death_date: dt.date | None = None
    disability: tuple[str, str, dt.date, str] | None = None  # type, level, date, number
    groups: list[tuple[tuple[str, str], dt.date, dt.date | None, str]] = field(default_factory=list)


@dataclass(slots=True)
class _H:
    """A household being drafted; its head is always ``members[0]``."""

    kind: str
    commune: Commune
    address: str
    members: list[_P]
    poverty: tuple[str, str] | None = None  # status, decision


@dataclass
class _Context:
    """What every household needs to know, looked up once before the loop."""

    rng: random.Random
    ids: random.Random
    today: dt.date
    province: Province
    commune_pick: Pick[Commune]
    minority_share: dict[int, float]
    legacy_home: tuple[str, ...]
    legacy_other: Pick[str]
    family_kinh: Pick[str]
    ethnicity: dict[str, int]
    terms: dict[tuple[str, str], Term]
    standard: PovertyStandard | None
    used_cccd: set[str]
    used_phone: set[str]
    decision_no: int = 0
    certificate_no: int = 0
    names: dict[str, tuple[str, str]] = field(default_factory=dict)

    def next_decision(self, on: dt.date) -> str:
        self.decision_no += 1
        return f"QĐ số {self.decision_no % 3000 + 1}/QĐ-UBND ngày {on:%d/%m/%Y}"


_NUCLEAR_CHILDREN = Pick([(1, 25), (2, 55), (3, 17), (4, 3)])
_GRANDCHILDREN = Pick([(1, 30), (2, 55), (3, 15)])
_SINGLE_PARENT_CHILDREN = Pick([(1, 50), (2, 40), (3, 10)])
_KINDS = Pick([
    ("single_elder", 6), ("single_adult", 6), ("elder_couple", 9), ("couple", 5),
    ("nuclear", 45), ("three_gen", 20), ("single_parent", 5), ("nuclear_grandparent", 5),
])


def _elder_age(rng: random.Random, low: int) -> int:
    """Ages thin out after 65 roughly as Vietnam's life table does."""
    return min(low + int(rng.expovariate(1 / 11)), 101)


def _wife_age(rng: random.Random, husband: int) -> int:
    """Husbands are usually 0–6 years older than their wives, sometimes younger."""
    return max(18, husband - int(rng.triangular(-3, 9, 3)))


def _children(rng: random.Random, mother_age: int, count: int, rel: str, family: str,
              ethnicity: str) -> list[_P]:
    out: list[_P] = []
    age_at_birth = rng.randint(19, 33)
    for _ in range(count):
        age = mother_age - age_at_birth
        if age < 0 or age_at_birth > 44:
            break
        sex = MALE if rng.random() < 0.53 else FEMALE  # sex ratio at birth ~112
        out.append(_P(rel, sex, age, family, ethnicity))
        age_at_birth += rng.randint(2, 6)
    return out


def _family_name(ctx: _Context, ethnicity: str) -> str:
    pick = _PICK_FAMILY_MINORITY.get(ethnicity)
    if pick is not None and ctx.rng.random() < 0.85:
        return pick(ctx.rng)
    return ctx.family_kinh(ctx.rng)


def _household(ctx: _Context) -> _H:
    """One household whose relationships and ages agree (parents older than their children…)."""
    rng = ctx.rng
    commune = ctx.commune_pick(rng)
    share = ctx.minority_share[commune.pk]
    eth = _MINORITIES(rng) if rng.random() < share else "Kinh"

    def spouse_eth() -> str:
        if eth == "Kinh":
            return "Kinh" if rng.random() > share / 3 else _MINORITIES(rng)
        return eth if rng.random() < 0.85 else "Kinh"

    kind = _KINDS(rng)
    fam = _family_name(ctx, eth)
    m: list[_P] = []
    if kind == "single_elder":
        sex = FEMALE if rng.random() < 0.7 else MALE  # mostly widows
        m.append(_P(Relationship.HEAD, sex, _elder_age(rng, 65), fam, eth))
    elif kind == "single_adult":
        sex = MALE if rng.random() < 0.55 else FEMALE
        m.append(_P(Relationship.HEAD, sex, rng.randint(20, 64), fam, eth))
    elif kind == "elder_couple":
        h = _elder_age(rng, 60)
        m.append(_P(Relationship.HEAD, MALE, h, fam, eth))
        se = spouse_eth()
        m.append(_P(Relationship.SPOUSE, FEMALE, _wife_age(rng, h), _family_name(ctx, se), se))
    elif kind == "couple":
        h = rng.randint(22, 38)
        m.append(_P(Relationship.HEAD, MALE, h, fam, eth))
        se = spouse_eth()
        m.append(_P(Relationship.SPOUSE, FEMALE, _wife_age(rng, h), _family_name(ctx, se), se))
    elif kind in ("nuclear", "nuclear_grandparent"):
        h = int(rng.triangular(24, 64, 41))
        w = _wife_age(rng, h)
        se = spouse_eth()
        woman_heads = rng.random() < 0.12
        husband = _P(Relationship.SPOUSE if woman_heads else Relationship.HEAD, MALE, h, fam, eth)
        wife = _P(Relationship.HEAD if woman_heads else Relationship.SPOUSE, FEMALE, w,
                  _family_name(ctx, se), se)
        m.extend([wife, husband] if woman_heads else [husband, wife])
        count = _NUCLEAR_CHILDREN(rng)
        m.extend(_children(rng, w, count, Relationship.CHILD, fam, eth))
        if kind == "nuclear_grandparent":
            gsex = FEMALE if rng.random() < 0.72 else MALE
            gfam = fam if gsex == MALE else _family_name(ctx, eth)
            m.append(_P(Relationship.PARENT, gsex, min(h + rng.randint(20, 34), 101), gfam, eth))
        elif rng.random() < 0.04:
            m.append(_P(Relationship.SIBLING, MALE if rng.random() < 0.5 else FEMALE,
                        max(16, h + rng.randint(-12, 4)), fam, eth))
    elif kind == "three_gen":
        g = int(rng.triangular(48, 88, 64))
        gw = _wife_age(rng, g)
        gse = spouse_eth()
        grandma_only = rng.random() < 0.25  # widowed grandmother
        son_age = gw - rng.randint(20, 32)
        son = _P(Relationship.HEAD, MALE, max(son_age, 19), fam, eth)
        dil_eth = spouse_eth()
        dil = _P(Relationship.SPOUSE, FEMALE, _wife_age(rng, son.age), _family_name(ctx, dil_eth), dil_eth)
        elder_head = rng.random() < 0.6 and not grandma_only
        if elder_head:
            m.append(_P(Relationship.HEAD, MALE, g, fam, eth))
            m.append(_P(Relationship.SPOUSE, FEMALE, gw, _family_name(ctx, gse), gse))
            son.relationship, dil.relationship = Relationship.CHILD, Relationship.CHILD_IN_LAW
            grel = Relationship.GRANDCHILD
        else:
            grel = Relationship.CHILD
        m.extend([son, dil])
        if not elder_head:
            if not grandma_only:
                m.append(_P(Relationship.PARENT, MALE, g, fam, eth))
            m.append(_P(Relationship.PARENT, FEMALE, gw, _family_name(ctx, gse), gse))
        m.extend(_children(rng, dil.age, _GRANDCHILDREN(rng), grel, fam, eth))
    else:  # single_parent
        sex = FEMALE if rng.random() < 0.85 else MALE
        a = int(rng.triangular(24, 58, 36))
        pfam = fam
        m.append(_P(Relationship.HEAD, sex, a, pfam, eth))
        child_fam = pfam if (sex == MALE or rng.random() < 0.4) else _family_name(ctx, eth)
        m.extend(_children(rng, a, _SINGLE_PARENT_CHILDREN(rng), Relationship.CHILD,
                           child_fam, eth))
    return _H(kind, commune, _address(rng, commune), m[:7])


def _address(rng: random.Random, commune: Commune) -> str:
    if commune.division_type == "phường":
        street = f"Số {rng.randint(1, 250)}, " if rng.random() < 0.5 else ""
        return f"{street}tổ {rng.randint(1, 40)}, khu {rng.randint(1, 12)}"
    return f"Thôn {rng.randint(1, 15)}"


# --- From drafts to values ----------------------------------------------------
def _generation(year: int) -> str:
    if year < 1960:
        return "old"
    if year >= 2005:
        return "young"
    return "mid"


def _name(ctx: _Context, p: _P, birth_year: int) -> str:
    rng = ctx.rng
    gen = _generation(birth_year)
    male = p.sex == MALE
    plain = {"old": 0.85, "mid": 0.65, "young": 0.3}[gen]  # share named just "Văn"/"Thị" + given
    if male:
        plain -= 0.1
    middles: list[str] = []
    roll = rng.random()
    if roll < plain:
        middles.append("Văn" if male else "Thị")
        if not male and rng.random() < 0.12:  # Nguyễn Thị Thu Hương
            middles.append(_PICK_MIDDLE_FEMALE(rng))
    else:
        middles.append((_PICK_MIDDLE_MALE if male else _PICK_MIDDLE_FEMALE)(rng))
        if rng.random() < 0.06:
            middles.append((_PICK_MIDDLE_MALE if male else _PICK_MIDDLE_FEMALE)(rng))
    pool = "all"
    if gen != "mid" and rng.random() < 0.45:
        pool = gen
    given = _PICK_GIVEN[(p.sex, pool)](rng)
    if given in middles:
        given = _PICK_GIVEN[(p.sex, "all")](rng)
    return normalize_name(" ".join([p.family, *middles, given]))


def _birth(ctx: _Context, p: _P) -> tuple[dt.date, str]:
    """A birth date of the drafted age; older people more often known only to the year."""
    rng = ctx.rng
    days = max(1, round((p.age + rng.random()) * 365.2425))
    born = ctx.today - dt.timedelta(days=days)
    year_only = 0.36 if p.age >= 80 else 0.16 if p.age >= 60 else 0.065
    roll = rng.random()
    if roll < year_only:
        return dt.date(born.year, 1, 1), DatePrecision.YEAR
    if roll < year_only + 0.03:
        return dt.date(born.year, born.month, 1), DatePrecision.MONTH
    return born, DatePrecision.DAY


def _cccd(ctx: _Context, sex: str, year: int) -> str:
    """A well-formed CCCD that agrees with sex and year and is not in use yet."""
    ids = ctx.ids
    if ids.random() < 0.12:  # born elsewhere and moved here
        province = ctx.legacy_other(ids)
    else:
        province = ctx.legacy_home[ids.randrange(len(ctx.legacy_home))]
    while True:
        number = cccd_make(province, sex, year, ids.randrange(1_000_000))
        if number not in ctx.used_cccd:
            ctx.used_cccd.add(number)
            return number


def _phone(ctx: _Context) -> str:
    ids = ctx.ids
    while True:
        number = normalize_phone(f"{_PHONE_PREFIX(ids)}{ids.randrange(10_000_000):07d}")
        if number not in ctx.used_phone:
            ctx.used_phone.add(number)
            return number


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


def _first_of_next_month(d: dt.date) -> dt.date:
    return dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _fill_person(ctx: _Context, p: _P, head_phone: str) -> None:
    """Birth date, name, ID numbers, phone, life status and disability of one drafted person."""
    rng = ctx.rng
    p.birth_date, p.precision = _birth(ctx, p)
    year = p.birth_date.year
    p.full_name = _name(ctx, p, year)
    # About one in seven has no CCCD on file: more of the very old and the small children.
    no_id = 0.28 if p.age >= 80 else 0.2 if p.age < 14 else 0.12
    has_cccd = rng.random() >= no_id
    if has_cccd:
        p.cccd = _cccd(ctx, p.sex, year)
    if p.age >= 25 and rng.random() < (0.45 if not has_cccd else 0.08):
        p.old_id = f"{ctx.ids.randint(1, 9)}{ctx.ids.randrange(100_000_000):08d}"
    phone_p = 0.84 if 20 <= p.age < 60 else 0.6 if 60 <= p.age < 75 else 0.25 if p.age >= 75 else 0.3 if p.age >= 15 else 0.0
    if rng.random() < phone_p:
        p.phone = _phone(ctx)
        if 20 <= p.age < 60 and rng.random() < 0.06:
            p.phone_alt = _phone(ctx)
    elif p.age < 15 and head_phone and rng.random() < 0.25:
        p.phone = head_phone  # a child reached through the parent's phone
    # Deaths and disappearances: the head stays living, so every household has a head.
    if p.relationship != Relationship.HEAD:
        dead = 0.25 if p.age >= 80 else 0.07 if p.age >= 65 else 0.003
        roll = rng.random()
        if roll < dead:
            p.status = LifeStatus.DECEASED
            p.death_date = _random_date(rng, max(p.birth_date + dt.timedelta(days=1),
                                                 ctx.today - dt.timedelta(days=5 * 365)),
                                        ctx.today - dt.timedelta(days=1))
        elif roll < dead + (0.002 if 16 <= p.age < 60 else 0.0):
            p.status = LifeStatus.MISSING
    # Disability: about 7% overall, much more common with age (VHLSS/census shape).
    if p.age >= 2:
        prevalence = 0.035 if p.age < 16 else 0.06 if p.age < 60 else 0.16 if p.age < 80 else 0.32
        if rng.random() < prevalence:
            start = max(p.birth_date + dt.timedelta(days=2 * 365), dt.date(2012, 6, 1))
            end = p.death_date or ctx.today
            if start < end:
                ctx.certificate_no += 1
                p.disability = (_DISABILITY_TYPES(rng), _DISABILITY_LEVELS(rng),
                                _random_date(rng, start, end), f"{ctx.certificate_no % 5000 + 1}/GXNKT")


def _assign_groups(ctx: _Context, h: _H) -> None:
    """Beneficiary groups that follow from age, disability and poverty; a few rarer ones."""
    rng = ctx.rng
    today = ctx.today
    poor = h.poverty is not None and h.poverty[0] == PovertyStatus.POOR
    near = h.poverty is not None
    terms = ctx.terms

    def add(vocabulary: str, code: str, start: dt.date, p: _P) -> None:
        term = terms.get((vocabulary, code))
        if term is None:
            return
        start = max(start, term.valid_from)
        if start > today or (p.death_date and start > p.death_date):
            return
        end = p.death_date
        decision_on = start - dt.timedelta(days=rng.randint(3, 25))
        p.groups.append(((vocabulary, code), start, end, ctx.next_decision(decision_on)))

    for p in h.members:
        if p.status == LifeStatus.MISSING or p.birth_date is None:
            continue
        born = p.birth_date
        if p.disability and p.disability[1] in ("severe", "especially_severe") and rng.random() < 0.95:
            add("allowance_group", "d20_5_7", _first_of_next_month(p.disability[2]), p)
        if p.age < 16:
            if p.disability and rng.random() < 0.8:
                add("child_special", "tedb_04", p.disability[2], p)
            roll = rng.random()
            if roll < 0.0015:
                code = "tedb_01" if rng.random() < 0.5 else "tedb_03"
                since = _random_date(rng, born, today)
                add("child_special", code, since, p)
                add("allowance_group", "d20_5_1", _first_of_next_month(since), p)
            elif roll < 0.0025 and p.age >= 11:
                add("child_special", "tedb_08", _random_date(rng, born + dt.timedelta(days=11 * 365), today), p)
            elif roll < 0.0030:
                add("child_special", "tedb_09", _random_date(rng, today - dt.timedelta(days=3 * 365), today), p)
            elif near and roll < 0.012:
                add("child_special", "tedb_13", _random_date(rng, today - dt.timedelta(days=4 * 365), today), p)
        if p.age >= 80 and rng.random() < 0.7:  # the 80+ without a pension
            eighty = dt.date(born.year + 80, born.month, min(born.day, 28))
            add("allowance_group", "d20_5_6c", _first_of_next_month(eighty), p)
        elif 60 <= p.age < 80 and poor and h.kind == "single_elder" and rng.random() < 0.7:
            add("allowance_group", "d20_5_6a", _random_date(rng, today - dt.timedelta(days=6 * 365), today), p)
        if h.kind == "single_parent" and p.relationship == Relationship.HEAD and poor and rng.random() < 0.8:
            add("allowance_group", "d20_5_5", _random_date(rng, today - dt.timedelta(days=5 * 365), today), p)
        if 16 <= p.age and poor and rng.random() < 0.002:
            add("allowance_group", "d20_5_4", _random_date(rng, today - dt.timedelta(days=6 * 365), today), p)


def _assign_poverty(ctx: _Context, h: _H) -> None:
    """Poor ~4%, near-poor ~4%: more in upland communes, lone elders and disabled households."""
    if ctx.standard is None:
        return
    rng = ctx.rng
    factor = 1.0 + 3.0 * ctx.minority_share[h.commune.pk]
    if h.kind in ("single_elder", "single_parent"):
        factor *= 2.2
    if any(p.disability and p.disability[1] != "mild" for p in h.members):
        factor *= 2.0
    roll = rng.random()
    status = (PovertyStatus.POOR if roll < 0.022 * factor
              else PovertyStatus.NEAR_POOR if roll < 0.05 * factor else None)
    if status is not None:
        year = ctx.today.year
        decided = _random_date(rng, dt.date(year - 1, 12, 1), dt.date(year - 1, 12, 28))
        h.poverty = (status, ctx.next_decision(decided))


# --- Writing ------------------------------------------------------------------


def _folded(ctx: _Context, full_name: str) -> tuple[str, str]:
    """``fold`` is the slow part of a row; names repeat a lot, so remember them."""
    got = ctx.names.get(full_name)
    if got is None:
        got = (fold(full_name), fold(given_name(full_name)))
        ctx.names[full_name] = got
    return got


def _write(ctx: _Context, batch: list[_H], next_code: int, code_prefix: str) -> int:
    """Write one batch of households and everything hanging off them, in one transaction."""
    connection = transaction.get_connection()
    now = timezone.now()
    people = BulkRows(Person, connection, with_id=True, now=now)
    households = BulkRows(Household, connection, with_id=True, now=now)
    members = BulkRows(HouseholdMember, connection, with_id=False, now=now)
    poverty = BulkRows(HouseholdPoverty, connection, with_id=False, now=now)
    disabilities = BulkRows(Disability, connection, with_id=False, now=now)
    groups = BulkRows(GroupMembership, connection, with_id=False, now=now)
    province_id = ctx.province.pk
    count = sum(len(h.members) for h in batch)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Synthetic rows can be made again; skip waiting for the WAL flush (crash-safe still).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        person_ids = iter(people.reserve_ids(count))
        household_ids = households.reserve_ids(len(batch))
        for i, (h, household_id) in enumerate(zip(batch, household_ids, strict=True)):
            commune_id = h.commune.pk
            households.add({
                "id": household_id,
                "code": f"{code_prefix}{next_code + i:07d}", "province_id": province_id,
                "commune_id": commune_id, "address_detail": h.address,
            })
            if h.poverty is not None and ctx.standard is not None:
                poverty.add({
                    "household_id": household_id, "year": ctx.today.year, "status": h.poverty[0],
                    "standard_id": ctx.standard.pk, "decision": h.poverty[1],
                })
            for p in h.members:
                person_id = next(person_ids)
                name_folded, given_folded = _folded(ctx, p.full_name)
                people.add({
                    "id": person_id,
                    "full_name": p.full_name, "name_folded": name_folded, "given_folded": given_folded,
                    "sex": p.sex, "birth_date": p.birth_date, "birth_precision": p.precision,
                    "cccd": p.cccd, "old_id_number": p.old_id, "phone": p.phone,
                    "phone_alt": p.phone_alt, "ethnicity_id": ctx.ethnicity.get(p.ethnicity),
                    "province_id": province_id, "commune_id": commune_id,
                    "address_detail": h.address, "status": p.status, "death_date": p.death_date,
                })
                members.add({"household_id": household_id, "person_id": person_id,
                             "relationship": p.relationship})
                if p.disability:
                    kind, level, on, number = p.disability
                    disabilities.add({
                        "person_id": person_id, "type_id": ctx.terms[("disability_type", kind)].pk,
                        "level_id": ctx.terms[("disability_level", level)].pk,
                        "certificate_number": number, "certificate_date": on,
                        "issuing_commune_id": commune_id,
                    })
                for key, start, end, source in p.groups:
                    groups.add({
                        "person_id": person_id, "group_id": ctx.terms[key].pk, "start_date": start,
                        "end_date": end, "source": source,
                    })
        for table in (people, households, members, poverty, disabilities, groups):
            table.flush()
    return count


def _commune_weights(rng: random.Random, communes: list[Commune], focus: list[int]) -> Pick[Commune]:
    """Wards are denser than rural communes; each focus commune gets a tenth of everyone."""
    base = []
    for c in communes:
        w = 1.6 if c.division_type == "phường" else 0.6 if c.division_type == "đặc khu" else 1.0
        base.append(w * rng.lognormvariate(0, 0.35))
    others = [(c, w) for c, w in zip(communes, base, strict=True) if c.pk not in focus]
    focus_share = min(0.1 * len(focus), 0.6) if others else 1.0
    other_total = sum(w for _, w in others) or 1.0
    weighted: list[tuple[Commune, float]] = [
        (c, focus_share / len(focus)) for c in communes if c.pk in focus
    ] + [(c, (1 - focus_share) * w / other_total) for c, w in others]
    return Pick(weighted)


def _minority_shares(rng: random.Random, communes: list[Commune]) -> dict[int, float]:
    """Some rural communes are upland, where most minority families live."""
    shares = {}
    for c in communes:
        if c.division_type != "phường" and rng.random() < 0.45:
            shares[c.pk] = rng.uniform(0.35, 0.85)
        else:
            shares[c.pk] = 0.02 if c.division_type == "phường" else 0.04
    return shares


def _legacy_codes(province_code: int) -> tuple[tuple[str, ...], Pick[str]]:
    """The legacy codes of births registered at home, and a pick of the rest of the country.

    Legacy codes run roughly north to south, so nearby codes are weighted as
    neighbouring provinces people most often move from.
    """
    home = _LEGACY_FOR_PROVINCE.get(province_code)
    if home is None:
        own = f"{province_code:03d}"
        home = (own,) if own in LEGACY_PROVINCE_CODES else ("001",)
    centre = int(home[0])
    others = [
        (code, (3.0 if abs(int(code) - centre) <= 15 else 1.0) * (2.0 if code in ("001", "079") else 1.0))
        for code in LEGACY_PROVINCE_CODES if code not in home
    ]
    return home, Pick(others)


def _next_code(prefix: str) -> int:
    """Continue after the last household of an earlier run with the same seed."""
    last = (
        Household.objects.filter(code__startswith=prefix).order_by("-code")
        .values_list("code", flat=True).first()
    )
    if not last:
        return 1
    tail = last[len(prefix):]
    return int(tail) + 1 if tail.isdigit() else 1


def seed_people(
    *, province_code: int, persons: int, random_seed: int = 1, focus_communes: list[int] | None = None,
    today: dt.date | None = None,
) -> int:
    """Create ``persons`` synthetic people in households of one province; return how many.

    ``focus_communes`` each get about 10% of the people so the demo's commune
    collaborators have someone to work with. ``today`` (default: the local
    date) is the day ages are counted from. Household codes are
    ``S<seed>-<7 digits>`` (the services number theirs ``<commune>-<n>``), and a
    second run with the same seed continues the numbering.
    """
    province = Province.objects.get(pk=province_code)
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    if not communes:
        raise ValueError(f"Tỉnh {province_code} chưa có xã/phường nào.")
    focus = [c for c in (focus_communes or []) if c]
    known = {c.pk for c in communes}
    stray = [c for c in focus if c not in known]
    if stray:
        raise ValueError(f"Xã/phường {stray} không thuộc tỉnh {province_code}.")
    today = today or timezone.localdate()
    rng = random.Random(random_seed)
    ids = random.Random(f"ctxh-seed-ids-{random_seed}")
    south = province_code >= 48  # Đà Nẵng and southwards write Huỳnh and Võ
    home, other = _legacy_codes(province_code)
    terms = {
        (t.vocabulary, t.code): t
        for t in Term.objects.filter(
            vocabulary__in=["disability_type", "disability_level", "allowance_group", "child_special"])
    }
    year_start = dt.date(today.year, 1, 1)
    standard = (
        PovertyStandard.objects.filter(valid_from__lte=year_start)
        .exclude(valid_to__lt=year_start).order_by("-valid_from").first()
    )
    ctx = _Context(
        rng=rng, ids=ids, today=today, province=province,
        commune_pick=_commune_weights(rng, communes, focus),
        minority_share=_minority_shares(rng, communes),
        legacy_home=home, legacy_other=other,
        family_kinh=Pick(_FAMILY_COMMON + (_FAMILY_SOUTH if south else _FAMILY_NORTH)),
        ethnicity=dict(Term.objects.filter(vocabulary="ethnicity").values_list("name", "pk")),
        terms=terms, standard=standard,
        used_cccd=set(Person.objects.exclude(cccd="").values_list("cccd", flat=True)),
        used_phone=set(Person.objects.exclude(phone="").values_list("phone", flat=True)),
    )
    connection = transaction.get_connection()
    if connection.vendor == "sqlite":
        # People have over a dozen indexes: with SQLite's default 2 MB page cache each
        # insert rereads index pages from disk. This connection only.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    prefix = f"S{random_seed}-"
    next_code = _next_code(prefix)
    made = 0
    while made < persons:
        batch: list[_H] = []
        in_batch = 0
        while in_batch < BATCH and made + in_batch < persons:
            h = _household(ctx)
            room = persons - made - in_batch
            if len(h.members) > room:
                h.members = h.members[:room]  # the head is first, so it is kept
            head_phone = ""
            for p in h.members:
                _fill_person(ctx, p, head_phone)
                if p.relationship == Relationship.HEAD:
                    head_phone = p.phone
            _assign_poverty(ctx, h)
            _assign_groups(ctx, h)
            batch.append(h)
            in_batch += len(h.members)
        made += _write(ctx, batch, next_code, prefix)
        next_code += len(batch)
    _analyze(connection)
    return made


def _analyze(connection: Any) -> None:
    """Refresh the planner's statistics after a bulk load.

    Without them SQLite guesses, and guesses wrong for the search: it walks the
    name index instead of the number indexes for a CCCD (1 s instead of 2 ms at
    200,000 people). PostgreSQL's autovacuum would get there, minutes later.
    """
    tables = [m._meta.db_table for m in (Person, Household, HouseholdMember, HouseholdPoverty,
                                         Disability, GroupMembership)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
