"""The 12-digit citizen ID (CCCD / số định danh cá nhân) and the 9-digit CMND.

Layout (Circular 07/2016/TT-BCA, art. 7): digits 1–3 are the legacy province
code where the birth was registered, digit 4 encodes century and sex, digits
5–6 the last two digits of the birth year. The province codes are the 63
pre-2025 codes; they are frozen history (new IDs keep using them), so they are
listed here rather than kept as dated rule rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Legacy province codes (Decision 124/2004/QĐ-TTg, padded to 3 digits).
LEGACY_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

_CENTURY_START = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}
_TWELVE = re.compile(r"^\d{12}$")
_NINE = re.compile(r"^\d{9}$")


@dataclass
class IdCheck:
    """Outcome of checking an ID number: hard errors and confirmable warnings."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def cccd_decode(number: str) -> tuple[str, int, str]:
    """Return (province code, birth year, sex) encoded in a well-formed CCCD."""
    gene = int(number[3])
    century = _CENTURY_START[gene - gene % 2]
    sex = "male" if gene % 2 == 0 else "female"
    return number[:3], century + int(number[4:6]), sex


def cccd_check(number: str, *, sex: str | None = None, birth_year: int | None = None) -> IdCheck:
    """Check a CCCD's form, province code, and agreement with sex and birth year."""
    result = IdCheck()
    if not _TWELVE.match(number):
        result.errors.append(_("Số CCCD phải gồm đúng 12 chữ số."))
        return result
    province, year, encoded_sex = cccd_decode(number)
    if province not in LEGACY_PROVINCE_CODES:
        result.errors.append(
            _("Ba chữ số đầu của CCCD (%(code)s) không phải mã tỉnh hợp lệ.") % {"code": province}
        )
        return result
    if sex in ("male", "female") and sex != encoded_sex:
        result.warnings.append(
            _("Chữ số thứ 4 của CCCD cho biết giới tính %(encoded)s, khác với giới tính đã nhập.")
            % {"encoded": _("nam") if encoded_sex == "male" else _("nữ")}
        )
    if birth_year is not None and birth_year != year:
        result.warnings.append(
            _("CCCD cho biết năm sinh %(year)s, khác với năm sinh đã nhập (%(entered)s).")
            % {"year": year, "entered": birth_year}
        )
    return result


def cmnd_check(number: str) -> IdCheck:
    result = IdCheck()
    if not _NINE.match(number):
        result.errors.append(_("Số CMND cũ phải gồm đúng 9 chữ số."))
    return result


def cccd_make(province: str, sex: str, birth_year: int, serial: int) -> str:
    """Build a well-formed CCCD (used by the seed command and tests)."""
    century = birth_year // 100 * 100
    gene = {1900: 0, 2000: 2, 2100: 4}[century] + (0 if sex == "male" else 1)
    return f"{province}{gene}{birth_year % 100:02d}{serial % 1_000_000:06d}"
