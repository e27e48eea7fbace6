"""The needs-survey report as an Excel file (xlsxwriter), exactly as the page shows it."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.support.selectors import SurveyReport


def _cell(value: str) -> int | str:
    """Numbers as numbers (so the sheet can sum them); "<5" and hidden totals as text."""
    return int(value) if value.isdigit() else value


def survey_report_xlsx(report: SurveyReport) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("Báo cáo")[:31])
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#EEEEEE"})
    cell = book.add_format({"border": 1})
    total = book.add_format({"border": 1, "bold": True})
    survey = report.survey
    sheet.write(0, 0, survey.name, bold)
    period = f"{survey.starts_on:%d/%m/%Y}" + (f" – {survey.ends_on:%d/%m/%Y}" if survey.ends_on else "")
    sheet.write(1, 0, _("Thời gian: %(period)s") % {"period": period})
    sheet.write(2, 0, _("Số nhu cầu theo xã/phường và loại nhu cầu, lập ngày %(on)s")
                % {"on": f"{timezone.localdate():%d/%m/%Y}"})
    row = 3
    if report.suppressed:
        sheet.write(row, 0, _("Số từ 1 đến 4 ghi “<5”; tổng ghi “x” khi có thể suy ra số nhỏ đã ẩn."))
        row += 1
    row += 1
    sheet.write(row, 0, _("Xã/phường"), head)
    for j, t in enumerate(report.need_types, start=1):
        sheet.write(row, j, t.label, head)
    sheet.write(row, len(report.need_types) + 1, _("Tổng"), head)
    for r in report.rows:
        row += 1
        sheet.write(row, 0, r.commune.name, cell)
        for j, value in enumerate(r.shown, start=1):
            sheet.write(row, j, _cell(value), cell)
        sheet.write(row, len(report.need_types) + 1, _cell(r.total_shown), total)
    row += 1
    sheet.write(row, 0, _("Tổng"), total)
    for j, value in enumerate(report.column_shown, start=1):
        sheet.write(row, j, _cell(value), total)
    sheet.write(row, len(report.need_types) + 1, _cell(report.grand_shown), total)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, len(report.need_types) + 1, 14)
    book.close()
    return out.getvalue()
