"""The survey pages: create, import a file (all or nothing, with the report), quick entry, report, Excel."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ctxh.support.models import Need, NeedsSurvey


def test_creating_a_survey_over_covered_communes(login, cast, geo):
    response = login(cast.caseworker).post(reverse("support:survey-create"), {
        "name": "Khảo sát nhu cầu học nghề, việc làm của người khuyết tật", "starts_on": "01/03/2025",
        "ends_on": "30/04/2025", "communes": [geo["c1"].pk, geo["c2"].pk, geo["c3"].pk],
        "need_types": ["vocational_training", "job"]})
    survey = NeedsSurvey.objects.get()
    assert response.status_code == 302 and survey.communes.count() == 3
    assert set(survey.need_types.values_list("code", flat=True)) == {"vocational_training", "job"}


def test_a_collaborator_cannot_survey_another_commune(login, cast, geo):
    response = login(cast.collaborator).post(reverse("support:survey-create"), {
        "name": "Khảo sát", "starts_on": "01/03/2025", "communes": [geo["c1"].pk, geo["c2"].pk]})
    assert response.status_code == 422 and not NeedsSurvey.objects.exists()


def test_importing_a_file_with_a_bad_row_saves_nothing_and_lists_the_rows(login, cast, survey, people):
    text = f"CCCD,Mã nhu cầu,Chi tiết\n{people['han'].cccd},job,\n999,job,\n{people['an'].cccd},bay,\n"
    response = login(cast.caseworker).post(reverse("support:survey-import", args=[survey.pk]), {
        "file": SimpleUploadedFile("ds.csv", text.encode())})
    page = response.content.decode()
    assert response.status_code == 422 and not Need.objects.exists()
    assert "Chưa nhập gì từ “ds.csv”" in page
    assert "<td>3</td>" in page and "không đủ 12 chữ số" in page
    assert "<td>4</td>" in page and "Không có loại nhu cầu “bay”" in page


def test_importing_a_good_file(login, cast, survey, people):
    text = f"CCCD,Mã nhu cầu\n{people['han'].cccd},job\n{people['cuong'].cccd},wheelchair\n"
    client = login(cast.caseworker)
    response = client.post(reverse("support:survey-import", args=[survey.pk]), {
        "file": SimpleUploadedFile("ds.csv", text.encode())}, follow=True)
    assert "Đã nhập 2 nhu cầu" in response.content.decode()
    assert Need.objects.filter(survey=survey).count() == 2


def test_quick_entry(login, cast, survey, people):
    response = login(cast.caseworker).post(reverse("support:survey-quick", args=[survey.pk]), {
        "lines": f"{people['han'].cccd}\n{people['an'].cccd}", "default_need_type": "vocational_training"})
    assert response.status_code == 302
    assert Need.objects.filter(need_type__code="vocational_training").count() == 2


def test_the_report_and_its_excel_file(login, cast, survey, people):
    from ctxh.support import imports, services

    services.survey_import(actor=cast.caseworker, survey=survey,
                           rows=imports.read_lines(f"{people['han'].cccd}; job\n{people['an'].cccd}; job"))
    client = login(cast.caseworker)
    page = client.get(reverse("support:survey-detail", args=[survey.pk])).content.decode()
    assert "Báo cáo theo xã/phường" in page and "Việc làm" in page
    response = client.get(reverse("support:survey-export", args=[survey.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [tuple(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert any(r[0] == "Tổng" and 2 in r for r in rows)


def test_the_statistician_report_suppresses_small_counts(login, cast, survey, people):
    from ctxh.support import imports, services

    services.survey_import(actor=cast.caseworker, survey=survey,
                           rows=imports.read_lines(f"{people['han'].cccd}; job\n{people['an'].cccd}; job"))
    page = login(cast.statistician).get(reverse("support:survey-report", args=[survey.pk])).content.decode()
    assert "&lt;5" in page and "Đặng Thị Ngọc Hân" not in page
    listing = login(cast.statistician).get(reverse("support:survey-list")).content.decode()
    assert survey.name in listing and f'href="{reverse("support:survey-detail", args=[survey.pk])}"' not in listing


def test_the_sample_file_has_the_expected_header(login, cast, geo):
    response = login(cast.caseworker).get(reverse("support:survey-template"))
    assert response.content.decode("utf-8-sig").startswith("CCCD,Mã đối tượng,Mã nhu cầu,Chi tiết")
