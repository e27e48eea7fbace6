"""Payment lists as Excel workbooks (xlsxwriter, constant memory) and as PDF (WeasyPrint), in Vietnamese.

Columns as the commune prints them: STT, họ và tên, năm sinh, địa chỉ, diện
hưởng, hệ số, mức hưởng, truy lĩnh, tổng, hình thức, ký nhận. Under the lines:
the totals per group (diện hưởng) and the grand total, then the signatures.

A province's month is one workbook: a summary sheet, then one sheet per
commune. Lines are streamed from the database in list order (a server-side
cursor on PostgreSQL) and written row after row, so 300,000 lines need no more
memory than one chunk.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from ctxh.assistance.models import PaymentLine, PaymentList, PaymentMethod, Scheme

COLUMNS = [  # titles marked for translation here, translated when the file is written
    (N_("STT"), 6), (N_("Họ và tên"), 26), (N_("Năm sinh"), 9), (N_("Địa chỉ"), 34), (N_("Diện hưởng"), 40),
    (N_("Hệ số"), 7), (N_("Mức hưởng"), 13), (N_("Truy lĩnh"), 12), (N_("Tổng"), 13), (N_("Hình thức"), 16),
    (N_("Ký nhận"), 16),
]
LINE_FIELDS = ("payment_list_id", "position", "full_name", "birth_year", "address", "scheme", "group_code",
               "group_label", "coefficient", "amount", "arrears", "total", "method", "bank_account", "signed",
               "paid_at", "correction_reason")
CHUNK = 5000


def _headers() -> list[str]:
    return [_(c) for c, _w in COLUMNS]


@dataclass
class _Totals:
    count: int = 0
    amount: int = 0
    arrears: int = 0
    total: int = 0

    def add(self, amount: int, arrears: int, total: int) -> None:
        self.count += 1
        self.amount += amount
        self.arrears += arrears
        self.total += total


@dataclass
class _Sums:
    groups: dict[tuple[str, str], tuple[str, _Totals]] = field(default_factory=dict)
    all: _Totals = field(default_factory=_Totals)

    def add(self, scheme: str, code: str, label: str, amount: int, arrears: int, total: int) -> None:
        key = (scheme, code)
        if key not in self.groups:
            self.groups[key] = (label, _Totals())
        self.groups[key][1].add(amount, arrears, total)
        self.all.add(amount, arrears, total)


def _methods() -> dict[str, str]:
    return {m.value: str(m.label) for m in PaymentMethod}


def _sheet_name(commune: Any, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", f"{commune.name}")[:31].strip() or str(commune.pk)
    if name in used:
        name = f"{commune.pk} {name}"[:31]
    used.add(name)
    return name


class _Writer:
    """Formats of one workbook and the writing of one list's sheet."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.title = wb.add_format({"bold": True, "font_size": 13, "align": "center"})
        self.center = wb.add_format({"align": "center"})
        self.bold_center = wb.add_format({"bold": True, "align": "center"})
        self.head = wb.add_format({"bold": True, "bg_color": "#E8EDF2", "border": 1, "text_wrap": True,
                                   "align": "center", "valign": "vcenter"})
        self.cell = wb.add_format({"border": 1})
        self.wrap = wb.add_format({"border": 1, "text_wrap": False})
        self.num = wb.add_format({"border": 1, "align": "center"})
        self.coef = wb.add_format({"border": 1, "num_format": "0.0#"})
        self.money = wb.add_format({"border": 1, "num_format": "#,##0"})
        self.sum_label = wb.add_format({"bold": True, "border": 1, "bg_color": "#F6F8FA"})
        self.sum_money = wb.add_format({"bold": True, "border": 1, "num_format": "#,##0", "bg_color": "#F6F8FA"})
        self.sum_num = wb.add_format({"bold": True, "border": 1, "align": "center", "bg_color": "#F6F8FA"})
        self.italic = wb.add_format({"italic": True})
        self.methods = _methods()
        self.signed_text = _("Đã ký nhận")

    def start_sheet(self, name: str, plist: PaymentList, *, province_name: str) -> tuple[Any, int]:
        ws = self.wb.add_worksheet(name)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(5)
        for i, (_c, width) in enumerate(COLUMNS):
            ws.set_column(i, i, width)
        last = len(COLUMNS) - 1
        ws.write(0, 0, (_("UBND %(commune)s") % {"commune": plist.commune.name}).upper())
        ws.write(0, 7, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), self.bold_center)
        ws.write(1, 0, province_name)
        ws.write(1, 7, _("Độc lập - Tự do - Hạnh phúc"), self.center)
        kind = "" if plist.kind == PaymentList.Kind.REGULAR else " — " + _("ĐIỀU CHỈNH")
        ws.merge_range(2, 0, 2, last, _("DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG %(m)s") % {"m": f"{plist.month:%m/%Y}"}
                       + kind, self.title)
        status = _("Đã khóa ngày %(d)s") % {"d": timezone.localtime(plist.closed_at).strftime("%d/%m/%Y")} \
            if plist.is_closed else _("Đang lập (chưa khóa)")
        ws.write(3, 0, status, self.italic)
        ws.set_row(5, 30)
        for i, h in enumerate(_headers()):
            ws.write(5, i, h, self.head)
        return ws, 6

    def cells(self, r: tuple[Any, ...]) -> list[Any]:
        """The 11 cells of a line (``LINE_SQL`` order)."""
        (position, full_name, birth_year, address, group_label, coefficient, amount, arrears, total, method,
         bank_account, signed, correction_reason, _scheme, _code) = r
        label = group_label if not correction_reason else f"{group_label} — {correction_reason}"
        how = self.methods.get(method, method)
        if method == PaymentMethod.BANK and bank_account:
            how = f"{how} {bank_account}"
        return [position, full_name, birth_year, address or "", label, float(Decimal(coefficient)), amount, arrears,
                total, how, self.signed_text if signed else ""]

    def line_formats(self) -> list[Any]:
        return [self.num, self.cell, self.num, self.wrap, self.wrap, self.coef, self.money, self.money, self.money,
                self.cell, self.cell]

    def line(self, ws: Any, row: int, cells: list[Any]) -> None:
        for col, (value, fmt) in enumerate(zip(cells, self.line_formats(), strict=True)):
            if value is None or value == "":
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value, str):
                ws.write_string(row, col, value, fmt)
            else:
                ws.write_number(row, col, value, fmt)

    def finish_sheet(self, ws: Any, row: int, sums: _Sums) -> int:
        row += 1
        ws.write(row, 1, _("TỔNG THEO DIỆN HƯỞNG"), self.sum_label)
        row += 1
        for (_scheme, _code), (label, t) in sorted(sums.groups.items()):
            ws.write_string(row, 1, label, self.sum_label)
            ws.write_string(row, 4, _("%(n)s người") % {"n": f"{t.count:,}".replace(",", ".")}, self.sum_label)
            ws.write_number(row, 6, t.amount, self.sum_money)
            ws.write_number(row, 7, t.arrears, self.sum_money)
            ws.write_number(row, 8, t.total, self.sum_money)
            row += 1
        ws.write_string(row, 1, _("TỔNG CỘNG"), self.sum_label)
        ws.write_string(row, 4, _("%(n)s người") % {"n": f"{sums.all.count:,}".replace(",", ".")}, self.sum_label)
        ws.write_number(row, 6, sums.all.amount, self.sum_money)
        ws.write_number(row, 7, sums.all.arrears, self.sum_money)
        ws.write_number(row, 8, sums.all.total, self.sum_money)
        row += 3
        ws.write(row, 1, _("NGƯỜI LẬP BIỂU"), self.bold_center)
        ws.write(row, 4, _("KẾ TOÁN"), self.bold_center)
        ws.write(row, 8, _("CHỦ TỊCH UBND"), self.bold_center)
        return row


LINE_SQL = (
    "SELECT position, full_name, birth_year, address, group_label, coefficient, amount, arrears, total, method, "
    "bank_account, signed, correction_reason, scheme, group_code FROM assistance_paymentline "
    "WHERE payment_list_id = %s ORDER BY position, id")


def _line_rows(list_id: int) -> list[tuple[Any, ...]]:
    """One list's lines as plain tuples (a commune has at most some thousands: one fetch)."""
    with connection.cursor() as cursor:
        cursor.execute(LINE_SQL, [list_id])
        return cursor.fetchall()


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_COLS = [chr(ord("A") + i) for i in range(len(COLUMNS))]


def _xml_text(value: str) -> str:
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value


class _FastRows:
    """Lines written straight into xlsxwriter's constant-memory row file, as xlsxwriter itself writes them.

    ``write_number``/``write_string`` cost about 15 µs a cell here: 300,000
    lines of 11 cells took 50 s on the development machines, most of the time
    budget of a province's month. In constant-memory mode xlsxwriter keeps one
    row in memory and streams ``<row>`` XML (inline strings) to a temporary
    file; this writes the same XML for a whole line in one string, then tells
    the worksheet where it stands (rows written, dimensions). If the
    worksheet is not what it expects (another xlsxwriter version), ``ok`` is
    False and the caller writes cell by cell.
    """

    def __init__(self, ws: Any, formats: list[Any]) -> None:
        self.ws = ws
        self.ok = bool(getattr(ws, "constant_memory", False)) and all(
            hasattr(ws, name) for name in ("row_data_fh", "previous_row", "_write_single_row", "_check_dimensions"))
        self.xf = [f._get_xf_index() for f in formats] if self.ok else []
        self.first: int | None = None
        self.last: int | None = None

    def begin(self, row: int) -> None:
        self.ws._write_single_row(row)  # flush the rows above (title, header) as xlsxwriter would
        self.ws._check_dimensions(row, len(COLUMNS) - 1)
        self.first = row

    def line(self, row: int, cells: list[Any]) -> None:
        n = row + 1
        out = [f'<row r="{n}">']
        for col, value, xf in zip(_COLS, cells, self.xf, strict=True):
            if value is None or value == "":
                out.append(f'<c r="{col}{n}" s="{xf}"/>')
            elif isinstance(value, str):
                text = _xml_text(value)
                space = ' xml:space="preserve"' if text != text.strip() else ""
                out.append(f'<c r="{col}{n}" s="{xf}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:
                out.append(f'<c r="{col}{n}" s="{xf}"><v>{value:.16G}</v></c>')
        out.append("</row>")
        self.ws.row_data_fh.write("".join(out))
        self.last = row

    def end(self) -> None:
        if self.last is not None:
            self.ws.previous_row = self.last
            self.ws._check_dimensions(self.last, len(COLUMNS) - 1)


def _write_lists(wb: Any, lists: list[PaymentList], *, province_name: str, summary: bool,
                 fast_rows: bool = True) -> _Sums:
    """One sheet per list, in the order given (each list's lines read in one streamed query)."""
    w = _Writer(wb)
    overview = None
    if summary:
        overview = wb.add_worksheet(_("Tổng hợp"))
        overview.set_column(0, 0, 6)
        overview.set_column(1, 1, 30)
        overview.set_column(2, 6, 15)
    used: set[str] = set()
    grand = _Sums()
    per_list: list[tuple[PaymentList, _Sums]] = []
    for plist in lists:
        ws, row = w.start_sheet(_sheet_name(plist.commune, used), plist, province_name=province_name)
        sums = _Sums()
        rows = _line_rows(plist.pk)
        fast = _FastRows(ws, w.line_formats()) if fast_rows else None
        if fast is not None and fast.ok and rows:
            fast.begin(row)
        for r in rows:
            cells = w.cells(r)
            if fast is not None and fast.ok:
                fast.line(row, cells)
            else:
                w.line(ws, row, cells)
            row += 1
            sums.add(r[13], r[14], r[4], r[6], r[7], r[8])
            grand.add(r[13], r[14], r[4], r[6], r[7], r[8])
        if fast is not None and fast.ok:
            fast.end()
        w.finish_sheet(ws, row, sums)
        per_list.append((plist, sums))
    if overview is not None:
        first = lists[0] if lists else None
        overview.write(0, 0, _("TỔNG HỢP CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG %(m)s — %(p)s")
                       % {"m": f"{first.month:%m/%Y}" if first else "", "p": province_name}, w.title)
        heads = [_("STT"), _("Xã/phường"), _("Số người"), _("Mức hưởng"), _("Truy lĩnh"), _("Tổng"), _("Trạng thái")]
        for i, h in enumerate(heads):
            overview.write(2, i, h, w.head)
        r_i = 3
        for n, (pl, s) in enumerate(per_list, start=1):
            overview.write_number(r_i, 0, n, w.num)
            overview.write_string(r_i, 1, pl.commune.name, w.cell)
            overview.write_number(r_i, 2, s.all.count, w.num)
            overview.write_number(r_i, 3, s.all.amount, w.money)
            overview.write_number(r_i, 4, s.all.arrears, w.money)
            overview.write_number(r_i, 5, s.all.total, w.money)
            overview.write_string(r_i, 6, str(pl.get_status_display()), w.cell)
            r_i += 1
        overview.write_string(r_i, 1, _("TỔNG CỘNG"), w.sum_label)
        overview.write_number(r_i, 2, grand.all.count, w.sum_num)
        overview.write_number(r_i, 3, grand.all.amount, w.sum_money)
        overview.write_number(r_i, 4, grand.all.arrears, w.sum_money)
        overview.write_number(r_i, 5, grand.all.total, w.sum_money)
        r_i += 2
        overview.write_string(r_i, 1, _("TỔNG THEO DIỆN HƯỞNG"), w.sum_label)
        r_i += 1
        for (_s, _c), (label, t) in sorted(grand.groups.items()):
            overview.write_string(r_i, 1, label, w.cell)
            overview.write_number(r_i, 2, t.count, w.num)
            overview.write_number(r_i, 3, t.amount, w.money)
            overview.write_number(r_i, 4, t.arrears, w.money)
            overview.write_number(r_i, 5, t.total, w.money)
            r_i += 1
    return grand


def _workbook(target: Any) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(target, {"constant_memory": True, "tmpdir": tempfile.gettempdir(),
                                        "in_memory": False, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})


def list_xlsx(payment_list: PaymentList) -> bytes:
    """One list (regular or correction) as a workbook of one sheet."""
    buf = io.BytesIO()
    wb = _workbook(buf)
    plist = PaymentList.objects.select_related("commune", "province").get(pk=payment_list.pk)
    _write_lists(wb, [plist], province_name=plist.province.name, summary=False)
    wb.close()
    return buf.getvalue()


def province_lists(province_id: int, month: dt.date) -> list[PaymentList]:
    return list(PaymentList.objects.filter(province_id=province_id, month=month.replace(day=1),
                                           kind=PaymentList.Kind.REGULAR)
                .select_related("commune", "province").order_by("commune__name", "commune_id"))


def province_xlsx(*, province_id: int, month: dt.date, path: str) -> dict[str, int]:
    """Every commune's regular list of the month, one sheet each and a summary, written to ``path``."""
    lists = province_lists(province_id, month)
    from ctxh.geo.models import Province

    wb = _workbook(path)
    sums = _write_lists(wb, lists, province_name=Province.objects.get(pk=province_id).name, summary=True)
    wb.close()
    return {"lists": len(lists), "lines": sums.all.count, "total": sums.all.total}


def province_xlsx_name(province_id: int, month: dt.date, run_id: int | None = None) -> str:
    suffix = f"-{run_id}" if run_id else ""
    return f"assistance/exports/{province_id:02d}/danh-sach-chi-tra-{month:%Y-%m}{suffix}.xlsx"


def province_xlsx_store(*, province_id: int, month: dt.date, run_id: int | None = None) -> str:
    """Write the province workbook to the file storage; return its name there."""
    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        province_xlsx(province_id=province_id, month=month, path=tmp)
        with open(tmp, "rb") as fh:
            return default_storage.save(province_xlsx_name(province_id, month, run_id), File(fh))
    finally:
        os.unlink(tmp)


# PDF ------------------------------------------------------------------------------


def list_pdf_context(*, user: Any, payment_list: PaymentList) -> dict[str, Any]:
    from ctxh.assistance import selectors

    lines = list(PaymentLine.objects.filter(payment_list=payment_list).order_by("position", "id")
                 .values(*LINE_FIELDS))
    methods = _methods()
    for r in lines:
        r["method_label"] = methods.get(r["method"], r["method"])
    return {
        "plist": payment_list,
        "lines": lines,
        "groups": selectors.group_totals(payment_list=payment_list),
        "totals": selectors.line_totals(payment_list=payment_list),
        "printed_at": timezone.localtime(),
        "printed_by": user,
        "schemes": dict(Scheme.choices),
    }


def list_pdf(*, user: Any, payment_list: PaymentList) -> bytes:
    """The list on landscape A4 with a signature column (WeasyPrint, Noto fonts)."""
    from weasyprint import HTML  # loading Pango costs time every page does not need

    html = render_to_string("assistance/pdf/payment_list.html", list_pdf_context(user=user, payment_list=payment_list))
    return HTML(string=html).write_pdf()

