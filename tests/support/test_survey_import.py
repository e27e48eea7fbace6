"""A needs file is saved whole or not at all, with a row-by-row report in Vietnamese."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctxh.audit.models import AuditEntry
from ctxh.support import imports, services
from ctxh.support.imports import ImportRejected
from ctxh.support.models import Need

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: base vowels (â, ê, ơ…) precomposed, tones as combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
            out += (base + "".join(p for p in parts if p in TONES)).encode("cp1258")
    return out


def _csv(text: str, name: str = "nhu-cau.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _cp1258(text) if encoding == "cp1258" else text.encode(encoding))


def _import(cast, survey, upload):
    return services.survey_import(actor=cast.caseworker, survey=survey, rows=imports.read_upload(upload),
                                  source=upload.name)


def test_a_good_file_records_every_need_in_the_survey(cast, survey, people):
    text = (f"CCCD,Mã đối tượng,Mã nhu cầu,Chi tiết\n{people['han'].cccd},,vocational_training,May công nghiệp\n"
            f",{people['cuong'].pk},job,\n{people['an'].cccd},,Việc làm,Bảo vệ\n")
    created = _import(cast, survey, _csv(text))
    assert len(created) == 3
    assert set(Need.objects.filter(survey=survey).values_list("need_type__code", flat=True)) == {
        "vocational_training", "job"}
    assert Need.objects.get(survey=survey, person=people["han"]).detail == "May công nghiệp"
    assert AuditEntry.objects.get(action="support.survey_imported").changes["rows"] == 3


def test_one_bad_row_saves_nothing_and_the_report_names_the_row_and_the_reason(cast, survey, people):
    text = (f"CCCD;Mã nhu cầu;Chi tiết\n{people['han'].cccd};vocational_training;\n"
            f"022190009999;job;\n{people['an'].cccd};job;\n")
    with pytest.raises(ImportRejected) as exc:
        _import(cast, survey, _csv(text))
    assert not Need.objects.exists()
    [error] = exc.value.row_errors
    assert error.row == 3 and error.column == "CCCD"
    assert "Không tìm thấy người có CCCD 022190009999" in error.message
    assert "Dòng 3:" in exc.value.messages[0]


def test_every_bad_row_is_reported_at_once(cast, survey, people):
    text = (f"cccd,need_type,detail\n{people['han'].cccd},flying,\n{people['far'].cccd},job,\n"
            f"{people['an'].cccd},housing,\n{people['cuong'].cccd},job,\n{people['cuong'].cccd},job,\n,job,\n"
            f"{people['binh'].pk},job,\n")
    with pytest.raises(ImportRejected) as exc:
        _import(cast, survey, _csv(text))
    reasons = {e.row: e.message for e in exc.value.row_errors}
    assert "Không có loại nhu cầu “flying”" in reasons[2]
    assert "trong địa bàn bạn phụ trách" in reasons[3]  # another province
    assert "không khảo sát nhu cầu “Nhà ở”" in reasons[4]
    assert "Trùng với dòng 5" in reasons[6]
    assert "Thiếu CCCD hoặc mã đối tượng" in reasons[7]
    assert "CCCD" in reasons[8]  # a person id in the CCCD column is not a CCCD
    assert 5 not in reasons and not Need.objects.exists()


def test_people_outside_the_survey_communes_or_the_user_area_are_refused(cast, geo, people):
    survey = services.survey_create(actor=cast.caseworker, name="Chỉ xã 1", starts_on=people["han"].birth_date,
                                    communes=[geo["c1"]])
    with pytest.raises(ImportRejected) as exc:
        _import(cast, survey, _csv(f"Mã đối tượng,Mã nhu cầu\n{people['cuong'].pk},job\n"))
    assert "ngoài các xã/phường của đợt khảo sát" in exc.value.row_errors[0].message
    with pytest.raises(ImportRejected) as exc:
        services.survey_import(actor=cast.collaborator, survey=survey,
                               rows=imports.read_lines(f"{people['cuong'].cccd}; job"))
    assert "trong địa bàn bạn phụ trách" in exc.value.row_errors[0].message


def test_a_need_already_in_the_survey_is_not_recorded_twice(cast, survey, people):
    _import(cast, survey, _csv(f"CCCD,Mã nhu cầu\n{people['han'].cccd},job\n"))
    with pytest.raises(ImportRejected) as exc:
        _import(cast, survey, _csv(f"CCCD,Mã nhu cầu\n{people['han'].cccd},job\n"))
    assert "đã có nhu cầu “Việc làm” trong đợt khảo sát này" in exc.value.row_errors[0].message
    assert Need.objects.count() == 1


def test_an_excel_file_with_cccds_turned_into_numbers_is_read(cast, survey, people):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Số CCCD", "Mã nhu cầu", "Ghi chú"])
    sheet.append([1, int(people["han"].cccd), "wheelchair", "Liệt chi dưới"])  # Excel drops the leading 0
    sheet.append([None, None, None, None])
    sheet.append([2, people["an"].cccd, "job", None])
    out = io.BytesIO()
    book.save(out)
    created = _import(cast, survey, SimpleUploadedFile("khao-sat.xlsx", out.getvalue()))
    assert {n.person for n in created} == {people["han"], people["an"]}


def test_a_file_without_the_expected_header_is_refused_as_a_whole(cast, survey, people):
    with pytest.raises(ImportRejected) as exc:
        _import(cast, survey, _csv(f"Họ tên,Địa chỉ\n{people['han'].full_name},Thôn 1\n"))
    assert "Không nhận ra dòng tiêu đề" in exc.value.row_errors[0].message
    with pytest.raises(ImportRejected) as exc:
        imports.read_upload(SimpleUploadedFile("nhu-cau.pdf", b"%PDF-1.4"))
    assert ".csv hoặc .xlsx" in exc.value.row_errors[0].message


def test_a_windows_1258_csv_is_read(cast, survey, people):
    created = _import(cast, survey, _csv(f"CCCD,Mã nhu cầu,Chi tiết\n{people['han'].cccd},job,Bảo vệ\n",
                                         encoding="cp1258"))
    assert created[0].detail == "Bảo vệ"


def test_quick_entry_lines_use_the_default_need_type(cast, survey, people):
    rows = imports.read_lines(f"{people['han'].cccd}\n\n{people['an'].pk}\t job \t cần việc gần nhà\n", "wheelchair")
    created = services.survey_import(actor=cast.caseworker, survey=survey, rows=rows)
    assert sorted((n.person.full_name, n.need_type.code) for n in created) == [
        ("Nguyễn Văn An", "job"), ("Đặng Thị Ngọc Hân", "wheelchair")]


def test_a_long_file_of_people_outside_the_survey_is_checked_in_a_fixed_number_of_queries(
        cast, geo, people, django_assert_max_num_queries):
    from tests.factories import PersonFactory

    survey = services.survey_create(actor=cast.caseworker, name="Chỉ xã 1", starts_on=people["han"].birth_date,
                                    communes=[geo["c1"]])
    outside = [PersonFactory(commune=geo["c2"]) for _i in range(40)]
    text = "Mã đối tượng,Mã nhu cầu\n" + "".join(f"{p.pk},job\n" for p in outside)
    with django_assert_max_num_queries(20), pytest.raises(ImportRejected) as exc:
        _import(cast, survey, _csv(text))
    assert len(exc.value.row_errors) == 40
    assert all(geo["c2"].name in e.message for e in exc.value.row_errors)


def test_the_sample_file_in_english_is_read_back(client, cast, survey, people, settings):
    from django.urls import reverse
    from django.utils import translation

    client.force_login(cast.caseworker)
    with translation.override("en"):
        body = client.get(reverse("support:survey-template"), HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    header = body.splitlines()[0]
    assert header.split(",")[0] == "CCCD" and "Mã" not in header
    rows = imports.read_upload(_csv(f"{header}\n,{people['han'].pk},wheelchair,\n"))
    assert [r.get("person_id") for _n, r in rows] == [str(people["han"].pk)]
