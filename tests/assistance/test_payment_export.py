"""Exports: the list as an Excel workbook (one list, a whole province) and as a Vietnamese PDF."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from ctxh.assistance import exports, services
from ctxh.assistance.models import PaymentList
from tests.assistance.factories import entitled

MONTH = dt.date(2025, 9, 1)


@pytest.fixture
def plist(cast, geo):
    entitled(geo["c1"], name="Nguyễn Thị Lan", coefficient="1.5")
    entitled(geo["c1"], name="Vũ Văn Hải & <Con>", coefficient="2.5", method="bank", group="d20_5_1_under4",
             label="Trẻ em dưới 4 tuổi")
    entitled(geo["c1"], name="Đặng Văn Đức", coefficient="2.0", group="d20_5_7_severe_elderly",
             label="Người cao tuổi khuyết tật nặng")
    made = services.payment_list_generate(actor=cast.collaborator, commune=geo["c1"], month=MONTH)
    services.payment_line_mark_paid(actor=cast.collaborator, line=made.lines.get(position=1))
    return PaymentList.objects.get(pk=made.pk)


def _rows(data: bytes, sheet: int = 0) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def test_the_workbook_has_every_line_and_the_totals(plist):
    rows = _rows(exports.list_xlsx(plist))
    header = next(r for r in rows if r[0] == "STT")
    assert header[:11] == ("STT", "Họ và tên", "Năm sinh", "Địa chỉ", "Diện hưởng", "Hệ số", "Mức hưởng",
                           "Truy lĩnh", "Tổng", "Hình thức", "Ký nhận")
    lines = [r for r in rows if isinstance(r[0], (int, float)) and r[1]]
    assert [r[1] for r in lines] == ["Vũ Văn Hải & <Con>", "Nguyễn Thị Lan", "Đặng Văn Đức"]
    first = lines[0]
    assert (first[2], first[5], first[6], first[7], first[8]) == (1980, 2.5, 1_250_000, 0, 1_250_000)
    assert first[9].startswith("Chuyển khoản ngân hàng 123456789012") and first[10] == "Đã ký nhận"
    assert lines[1][10] is None
    total = next(r for r in rows if r[1] == "TỔNG CỘNG")
    assert total[6] == total[8] == plist.total == 1_250_000 + 750_000 + 1_000_000
    group_rows = [r for r in rows if r[1] in ("Trẻ em dưới 4 tuổi", "Người khuyết tật nặng",
                                                "Người cao tuổi khuyết tật nặng") and r[0] is None]
    assert sorted(r[8] for r in group_rows) == [750_000, 1_000_000, 1_250_000]
    assert any("DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 09/2025" in str(c) for r in rows for c in r if c)


def test_the_fast_row_writer_writes_what_xlsxwriter_would(plist, tmp_path):
    import xlsxwriter

    out = {}
    for fast in (True, False):
        path = tmp_path / f"{fast}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        exports._write_lists(wb, [plist], province_name="Quảng Ninh", summary=False, fast_rows=fast)
        wb.close()
        out[fast] = _rows(path.read_bytes())
    assert out[True] == out[False]


def test_the_province_workbook_has_a_summary_and_a_sheet_per_commune(cast, geo, plist, tmp_path):
    entitled(geo["c2"], name="Mai Văn Sáu")
    services.payment_list_generate(actor=cast.collaborator2, commune=geo["c2"], month=MONTH)
    path = tmp_path / "tinh.xlsx"
    summary = exports.province_xlsx(province_id=22, month=MONTH, path=str(path))
    assert summary == {"lists": 2, "lines": 4, "total": 3_750_000}
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames[0] == "Tổng hợp"
    assert sorted(wb.sheetnames[1:]) == sorted([geo["c1"].name[:31], geo["c2"].name[:31]])
    overview = [tuple(r) for r in wb["Tổng hợp"].iter_rows(values_only=True)]
    assert next(r for r in overview if r[1] == "TỔNG CỘNG")[2:6] == (4, 3_750_000, 0, 3_750_000)


def test_the_pdf_renders(cast, plist):
    data = exports.list_pdf(user=cast.collaborator, payment_list=plist)
    assert data.startswith(b"%PDF") and len(data) > 5000
    html = exports.render_to_string("assistance/pdf/payment_list.html",
                                    exports.list_pdf_context(user=cast.collaborator, payment_list=plist))
    assert "DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI" in html and "Ký nhận" in html and "Nguyễn Thị Lan" in html
    assert "landscape" in html and "TỔNG CỘNG" in html
