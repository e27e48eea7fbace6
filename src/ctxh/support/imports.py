"""Reading a needs-survey file (CSV or XLSX) or pasted lines into rows.

A file has a header row; the columns are recognised by name, with or without
diacritics, in Vietnamese or English:

- ``CCCD`` (số định danh) and/or ``Mã đối tượng`` (the person's id in CTXH), or
  one column ``CCCD hoặc mã đối tượng``;
- ``Mã nhu cầu`` (a ``need_type`` code such as ``wheelchair``, or its name);
- ``Chi tiết`` (optional).

Rows are numbered as the spreadsheet numbers them (the header is row 1), so
the error report points at the row the user sees. Checking the rows against
the registry is the service's job (``services.survey_import``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.core.text import fold

COLUMNS: dict[str, str] = {
    "cccd": "cccd", "so cccd": "cccd", "so dinh danh": "cccd", "so dinh danh ca nhan": "cccd",
    "can cuoc": "cccd", "can cuoc cong dan": "cccd",
    "person id": "person_id", "ma doi tuong": "person_id", "ma": "person_id", "id": "person_id",
    "cccd hoac ma doi tuong": "ident", "cccd hoac ma": "ident", "doi tuong": "ident", "identifier": "ident",
    "need type": "need_type", "ma nhu cau": "need_type", "nhu cau": "need_type", "loai nhu cau": "need_type",
    "detail": "detail", "details": "detail", "chi tiet": "detail", "mo ta": "detail", "ghi chu": "detail",
    "cccd or person id": "ident",
}
COLUMN_LABELS = {"cccd": _l("CCCD"), "person_id": _l("Mã đối tượng"), "ident": _l("CCCD hoặc mã đối tượng"),
                 "need_type": _l("Mã nhu cầu"), "detail": _l("Chi tiết")}
# The sample file's header; every translation of these labels must stay a header COLUMNS recognises.
TEMPLATE_COLUMNS = ("cccd", "person_id", "need_type", "detail")


def max_rows() -> int:
    return int(getattr(settings, "CTXH_SUPPORT_IMPORT_MAX_ROWS", 5000))


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it; 0 for the file as a whole
    column: str
    message: str


class ImportRejected(ValidationError):
    """Nothing was saved: the file, or these rows, are wrong."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__([self._line(e) for e in errors])

    @staticmethod
    def _line(e: RowError) -> str:
        if e.row:
            return _("Dòng %(row)s: %(message)s") % {"row": e.row, "message": e.message}
        return e.message


SourceRow = tuple[int, dict[str, str]]


def _cell(value: Any) -> str:
    """A cell as text. Excel turns a CCCD into a number and drops its leading zero: put it back."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        return text.zfill(12) if 9 < len(text) < 12 else text
    return str(value).strip()


def _header(cells: list[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = COLUMNS.get(fold(str(cell or "")).replace("_", " ").strip())
        if key and key not in found.values():
            found[i] = key
    if not {"cccd", "person_id", "ident"} & set(found.values()) or "need_type" not in found.values():
        raise ImportRejected([RowError(1, "", _(
            "Không nhận ra dòng tiêu đề. Cần các cột “CCCD” hoặc “Mã đối tượng”, và “Mã nhu cầu”; "
            "cột “Chi tiết” không bắt buộc."))])
    return found


def _rows(table: list[list[Any]]) -> list[SourceRow]:
    # Skip blank lines above the header.
    start = next((i for i, r in enumerate(table) if any(_cell(c) for c in r)), None)
    if start is None:
        raise ImportRejected([RowError(0, "", _("Tệp không có dữ liệu."))])
    columns = _header(table[start])
    out: list[SourceRow] = []
    for offset, raw in enumerate(table[start + 1:], start=start + 2):
        values = {key: _cell(raw[i]) if i < len(raw) else "" for i, key in columns.items()}
        if not any(values.values()):
            continue
        out.append((offset, values))
    if not out:
        raise ImportRejected([RowError(0, "", _("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))])
    if len(out) > max_rows():
        raise ImportRejected([RowError(0, "", _("Tệp có %(n)s dòng, quá giới hạn %(max)s dòng mỗi lần nhập.")
                                       % {"n": len(out), "max": max_rows()})])
    return out


def _decode(data: bytes) -> str:
    # Excel in Vietnam saves CSV as UTF-8 (with a BOM) or in Windows-1258.
    # Windows-1258 writes a tone as a combining mark after the letter: compose it (NFC).
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(0, "", _("Không đọc được bảng mã của tệp CSV; hãy lưu lại dạng UTF-8."))])


def read_csv(data: bytes) -> list[SourceRow]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    return _rows([list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])


def read_xlsx(data: bytes) -> list[SourceRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ImportRejected([RowError(0, "", _("Không mở được tệp Excel (.xlsx)."))]) from exc
    try:
        sheet = book.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True, max_row=max_rows() + 50)]
    finally:
        book.close()
    return _rows(table)


def read_upload(file: Any) -> list[SourceRow]:
    """Rows of an uploaded ``.csv`` or ``.xlsx`` file; ImportRejected for anything else."""
    name = (getattr(file, "name", "") or "").lower()
    limit = 5 * 1024 * 1024
    if getattr(file, "size", 0) and file.size > limit:
        raise ImportRejected([RowError(0, "", _("Tệp lớn hơn 5 MB."))])
    data = file.read()
    if name.endswith(".csv"):
        return read_csv(data)
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    raise ImportRejected([RowError(0, "", _("Chỉ nhận tệp .csv hoặc .xlsx."))])


def read_lines(text: str, default_need_type: str = "") -> list[SourceRow]:
    """Pasted lines ``CCCD hoặc mã; mã nhu cầu; chi tiết`` (separated by ; , or tab), numbered from 1.

    With a default need type, a line may hold the identifier alone (a column
    of CCCDs pasted from a spreadsheet).
    """
    out: list[SourceRow] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        sep = "\t" if "\t" in line else (";" if ";" in line else ",")
        parts = [p.strip() for p in line.split(sep)]
        ident = parts[0] if parts else ""
        need_type = parts[1] if len(parts) > 1 and parts[1] else default_need_type
        detail = sep.join(parts[2:]).strip() if len(parts) > 2 else ""
        out.append((number, {"ident": ident, "need_type": need_type, "detail": detail}))
    if not out:
        raise ImportRejected([RowError(0, "", _("Chưa nhập dòng nào."))])
    if len(out) > max_rows():
        raise ImportRejected([RowError(0, "", _("Có %(n)s dòng, quá giới hạn %(max)s dòng mỗi lần nhập.")
                                       % {"n": len(out), "max": max_rows()})])
    return out
