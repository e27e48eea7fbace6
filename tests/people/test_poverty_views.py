"""The household's poverty survey pages: form, live preview, history, apply — and who may see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ctxh.audit.models import AccessEntry
from ctxh.people.models import HouseholdPoverty, PovertySurvey
from ctxh.people.poverty_services import poverty_survey_record
from tests.people import poverty_support as support
from tests.people.poverty_support import survey_kwargs

# Shared fixtures (tests/people/poverty_support.py).
household = support.household


FORM = {
    "surveyed_on": "20/11/2026", "year": "2026", "members_count": "4", "income_total": "6.000.000",
    "income_per_person": "", "deprived": ["health_insurance", "housing_quality", "latrine"], "area": "",
    "area_reason": "", "notes": "Chủ hộ ốm dài ngày",
}


def test_the_form_groups_the_twelve_indicators_under_six_dimensions(login, cast, household):
    page = login(cast.collaborator).get(reverse("people:poverty-survey-create", args=[household.pk])).content.decode()
    assert page.count('name="deprived"') == 12
    for dimension in ("Việc làm", "Y tế", "Giáo dục", "Nhà ở", "Nước sinh hoạt và vệ sinh", "Thông tin"):
        assert f"<legend>{dimension}</legend>" in page
    assert "Theo xã/phường: thành thị" in page
    assert reverse("people:poverty-survey-preview", args=[household.pk]) in page


def test_the_preview_shows_the_result_and_reasons_without_saving(login, cast, household):
    client = login(cast.collaborator)
    response = client.post(reverse("people:poverty-survey-preview", args=[household.pk]), FORM, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hộ nghèo" in page and "Kết luận: Hộ nghèo." in page
    assert "ngưỡng thu nhập 2.000.000 ₫/người/tháng" in page
    assert "Thiếu hụt 3 chỉ số, từ 3 chỉ số trở lên." in page
    assert not PovertySurvey.objects.exists()
    fewer = client.post(reverse("people:poverty-survey-preview", args=[household.pk]),
                        {**FORM, "deprived": ["latrine"]}).content.decode()
    assert "Kết luận: Hộ cận nghèo." in fewer


def test_the_preview_says_what_is_missing(login, cast, household):
    page = login(cast.collaborator).post(reverse("people:poverty-survey-preview", args=[household.pk]),
                                         {**FORM, "income_total": ""}).content.decode()
    assert "Chưa đủ dữ liệu để phân loại" in page
    assert "Cần nhập tổng thu nhập của hộ hoặc thu nhập bình quân đầu người." in page


def test_the_preview_warns_before_changing_the_years_classification(login, cast, household):
    poverty_survey_record(actor=cast.collaborator, household=household, apply=True,
                          **survey_kwargs(deprived=["latrine"]))
    page = login(cast.collaborator).post(reverse("people:poverty-survey-preview", args=[household.pk]),
                                         FORM).content.decode()
    assert "Năm 2026 hộ đang được ghi là Hộ cận nghèo" in page


def test_saving_the_form_records_the_survey_and_confirming_sets_the_year(login, cast, household):
    client = login(cast.collaborator)
    response = client.post(reverse("people:poverty-survey-create", args=[household.pk]),
                           {**FORM, "apply": "on", "decision": "QĐ 45/QĐ-UBND"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:poverty-survey-list", args=[household.pk])
    survey = PovertySurvey.objects.get()
    assert (survey.income_total, survey.income_per_person, survey.result) == (6_000_000, 1_500_000, "poor")
    assert survey.notes == "Chủ hộ ốm dài ngày"
    assert HouseholdPoverty.objects.get(household=household, year=2026).status == "poor"
    page = client.get(response["Location"]).content.decode()
    assert "Đã cập nhật phân loại hộ năm 2026: Hộ nghèo." in page
    assert "1.500.000 ₫" in page and "Kết luận: Hộ nghèo." in page and "QĐ 45/QĐ-UBND" in page


def test_a_bad_form_keeps_what_was_typed(login, cast, household):
    response = login(cast.collaborator).post(reverse("people:poverty-survey-create", args=[household.pk]),
                                             {**FORM, "income_per_person": "1.000.000"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Chỉ nhập một trong hai" in page
    assert 'value="latrine" id="id_deprived_latrine" checked' in page
    assert 'value="6.000.000"' in page
    assert not PovertySurvey.objects.exists()


def test_a_recorded_survey_can_be_applied_from_the_history(login, cast, household):
    survey = poverty_survey_record(actor=cast.collaborator, household=household, **survey_kwargs())
    client = login(cast.director)
    page = client.get(reverse("people:poverty-survey-list", args=[household.pk])).content.decode()
    assert "Ghi vào phân loại năm" in page
    client.post(reverse("people:poverty-survey-apply", args=[survey.pk]), {"version": 1, "decision": ""})
    assert HouseholdPoverty.objects.get(household=household, year=2026).status == "poor"
    stale = client.post(reverse("people:poverty-survey-apply", args=[survey.pk]), {"version": 1}, follow=True)
    assert "vừa được người khác cập nhật" in stale.content.decode()


def test_the_household_page_links_to_the_surveys_and_reading_them_is_logged(login, cast, household):
    client = login(cast.caseworker)
    page = client.get(reverse("people:household-detail", args=[household.pk])).content.decode()
    assert reverse("people:poverty-survey-list", args=[household.pk]) in page
    history = client.get(reverse("people:poverty-survey-list", args=[household.pk]))
    assert history.status_code == 200 and "Hộ chưa có phiếu rà soát nào." in history.content.decode()
    assert "Phiếu rà soát mới" not in history.content.decode()  # a case worker may read, not record
    assert AccessEntry.objects.filter(actor=cast.caseworker, purpose="poverty_surveys",
                                      object_id=str(household.pk)).exists()


def test_the_history_lists_surveys_without_a_query_per_row(login, cast, household, django_assert_max_num_queries):
    for _ in range(5):
        poverty_survey_record(actor=cast.collaborator, household=household, **survey_kwargs())
    client = login(cast.collaborator)
    client.get(reverse("people:poverty-survey-list", args=[household.pk]))
    with django_assert_max_num_queries(16):
        page = client.get(reverse("people:poverty-survey-list", args=[household.pk])).content.decode()
    assert page.count("Kết luận: Hộ nghèo.") == 5


# Who may not --------------------------------------------------------------------

def _pages(household, survey):
    return {
        "list": ("get", reverse("people:poverty-survey-list", args=[household.pk])),
        "create": ("get", reverse("people:poverty-survey-create", args=[household.pk])),
        "save": ("post", reverse("people:poverty-survey-create", args=[household.pk])),
        "preview": ("post", reverse("people:poverty-survey-preview", args=[household.pk])),
        "apply": ("post", reverse("people:poverty-survey-apply", args=[survey.pk])),
    }


@pytest.fixture
def survey(cast, household):
    return poverty_survey_record(actor=cast.collaborator, household=household, **survey_kwargs())


@pytest.mark.parametrize("name", ["list", "create", "save", "preview", "apply"])
def test_anonymous_users_are_sent_to_login(client, household, survey, name):
    method, url = _pages(household, survey)[name]
    response = getattr(client, method)(url, FORM if method == "post" else None)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user", ["outsider", "statistician"])
@pytest.mark.parametrize("name", ["list", "create", "save", "preview", "apply"])
def test_users_without_a_person_role_are_refused(login, cast, household, survey, user, name):
    method, url = _pages(household, survey)[name]
    assert getattr(login(cast[user]), method)(url, FORM if method == "post" else {"version": 1}).status_code == 403


@pytest.mark.parametrize("user", ["collaborator2", "far_worker"])
@pytest.mark.parametrize("name", ["list"])
def test_workers_of_another_area_do_not_see_the_household(login, cast, household, survey, user, name):
    method, url = _pages(household, survey)[name]
    assert getattr(login(cast[user]), method)(url).status_code == 404


@pytest.mark.parametrize("name", ["create", "save", "preview", "apply"])
def test_a_collaborator_of_another_commune_cannot_record_or_apply(login, cast, household, survey, name):
    method, url = _pages(household, survey)[name]
    response = getattr(login(cast.collaborator2), method)(url, {**FORM, "version": 2} if method == "post" else None)
    assert response.status_code == 404
    assert PovertySurvey.objects.count() == 1 and not HouseholdPoverty.objects.exists()


@pytest.mark.parametrize("name", ["create", "save", "preview", "apply"])
def test_a_case_worker_without_poverty_manage_cannot_record(login, cast, household, survey, name):
    method, url = _pages(household, survey)[name]
    assert getattr(login(cast.caseworker), method)(url, FORM if method == "post" else None).status_code == 403
