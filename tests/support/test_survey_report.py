"""The survey report counts needs by commune × need type; statisticians see small counts suppressed."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ctxh.support import exports, selectors, services
from tests.factories import PersonFactory
from tests.support.conftest import term


@pytest.fixture
def filled(cast, survey, geo):
    """c1: 6 job, 2 wheelchair; c2: 5 job, 1 vocational training."""
    def add(commune, code, n):
        for _ in range(n):
            person = PersonFactory(full_name="Người Khảo Sát", commune=commune)
            services.need_identify(actor=cast.caseworker, person=person, need_type=term("need_type", code),
                                   survey=survey)
    add(geo["c1"], "job", 6)
    add(geo["c1"], "wheelchair", 2)
    add(geo["c2"], "job", 5)
    add(geo["c2"], "vocational_training", 1)
    return survey


def _table(report):
    return {r.commune.name: dict(zip([t.code for t in report.need_types], r.shown, strict=True)) | {
        "total": r.total_shown} for r in report.rows}


def test_it_counts_needs_by_commune_and_type(cast, filled, geo):
    report = selectors.survey_report(user=cast.caseworker, survey=filled, suppressed=False)
    table = _table(report)
    assert table[geo["c1"].name] == {"vocational_training": "0", "job": "6", "wheelchair": "2", "total": "8"}
    assert table[geo["c2"].name] == {"vocational_training": "1", "job": "5", "wheelchair": "0", "total": "6"}
    assert [t.code for t in report.need_types] == ["wheelchair", "vocational_training", "job"]
    assert report.column_totals == [2, 1, 11] and report.grand_total == 14


def test_a_collaborator_sees_only_the_communes_they_cover(cast, filled, geo):
    report = selectors.survey_report(user=cast.collaborator2, survey=filled, suppressed=False)
    assert [r.commune for r in report.rows] == [geo["c2"]] and report.grand_total == 6


def test_a_statistician_sees_counts_under_five_as_less_than_five(cast, filled, geo):
    survey, suppressed = selectors.survey_for_report(user=cast.statistician, pk=filled.pk)
    assert suppressed
    table = _table(selectors.survey_report(user=cast.statistician, survey=survey, suppressed=True))
    assert table[geo["c1"].name]["wheelchair"] == "<5" and table[geo["c1"].name]["job"] == "6"
    assert table[geo["c2"].name]["vocational_training"] == "<5" and table[geo["c2"].name]["job"] == "5"
    assert table[geo["c1"].name]["vocational_training"] == "0"


def test_totals_that_would_reveal_a_suppressed_count_are_hidden(cast, filled, geo):
    report = selectors.survey_report(user=cast.statistician, survey=filled, suppressed=True)
    table = _table(report)
    # Each commune row has exactly one small cell: its total would give it away.
    assert table[geo["c1"].name]["total"] == "x" and table[geo["c2"].name]["total"] == "x"
    # Column totals under five are small counts themselves; the job column has no small cell.
    assert report.column_shown == ["<5", "<5", "11"]
    assert report.grand_shown == "14"  # two small cells behind it: neither can be worked out
    shown_numbers = [int(v) for r in report.rows for v in r.shown if v.isdigit()]
    assert 2 not in shown_numbers and 1 not in shown_numbers


def test_the_excel_export_has_the_same_table(cast, filled, geo):
    report = selectors.survey_report(user=cast.statistician, survey=filled, suppressed=True)
    sheet = load_workbook(io.BytesIO(exports.survey_report_xlsx(report))).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "Xã/phường")
    assert header[1:] == ("Xe lăn", "Học nghề", "Việc làm", "Tổng")
    c1_row = next(r for r in rows if r[0] == geo["c1"].name)
    assert c1_row[1:] == ("<5", 0, 6, "x")


def test_a_lone_small_cell_hides_the_totals_it_could_be_worked_out_from(cast, survey, geo):
    for _ in range(7):
        services.need_identify(actor=cast.caseworker, person=PersonFactory(commune=geo["c1"]),
                               need_type=term("need_type", "job"), survey=survey)
    for _ in range(6):
        services.need_identify(actor=cast.caseworker, person=PersonFactory(commune=geo["c2"]),
                               need_type=term("need_type", "job"), survey=survey)
    services.need_identify(actor=cast.caseworker, person=PersonFactory(commune=geo["c2"]),
                           need_type=term("need_type", "wheelchair"), survey=survey)
    report = selectors.survey_report(user=cast.statistician, survey=survey, suppressed=True)
    table = _table(report)
    assert table[geo["c2"].name]["wheelchair"] == "<5" and table[geo["c2"].name]["total"] == "x"
    assert table[geo["c1"].name]["total"] == "7"
    # With one row total hidden, the grand total would give it back (14 − 7 − 6 = 1).
    assert report.grand_shown == "x"
