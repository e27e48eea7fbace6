"""/api/v1/households/{id}/poverty-surveys, /api/v1/poverty/surveys/{id}/apply, /api/v1/poverty/classify."""

from __future__ import annotations

import pytest

from ctxh.audit.models import AccessEntry
from ctxh.people.models import HouseholdPoverty, PovertySurvey
from tests.api import conftest as api_support
from tests.api.conftest import errors_by_field
from tests.people import poverty_support as support

# Shared fixtures (tests/people/poverty_support.py, tests/api/conftest.py).
api_as = api_support.api_as
household = support.household
rural = support.rural

BODY = {
    "surveyed_on": "2026-11-20", "year": 2026, "members_count": 4, "income_total": 6_000_000,
    "deprived": ["health_insurance", "housing_quality", "latrine"],
}


def _surveys(household):
    return f"/households/{household.pk}/poverty-surveys"


def test_it_records_a_survey_and_lists_it(cast, household, api_as):
    client = api_as(cast.collaborator)
    response = client.post(_surveys(household), BODY)
    assert response.status_code == 201
    body = response.json()
    assert (body["result"], body["result_label"], body["income_per_person"]) == ("poor", "Hộ nghèo", 1_500_000)
    assert body["standard"]["code"] == "ND07-2021" and body["area"] == "urban"
    assert {d["code"] for d in body["deprived"]} == set(BODY["deprived"])
    assert body["reasons"][-1] == "Kết luận: Hộ nghèo."
    assert body["applied_at"] is None and not HouseholdPoverty.objects.exists()
    listing = client.get(_surveys(household)).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    assert AccessEntry.objects.filter(purpose="poverty_surveys", object_id=str(household.pk)).exists()


def test_it_applies_a_survey_once_and_answers_409_to_a_stale_version(cast, household, api_as):
    client = api_as(cast.collaborator)
    survey_id = client.post(_surveys(household), BODY).json()["id"]
    response = client.post(f"/poverty/surveys/{survey_id}/apply", {"version": 1, "decision": "QĐ 7"})
    assert response.status_code == 200
    assert response.json()["status"] == "poor" and response.json()["standard"]["code"] == "ND07-2021"
    assert HouseholdPoverty.objects.get(household=household, year=2026).decision == "QĐ 7"
    assert client.post(f"/poverty/surveys/{survey_id}/apply", {"version": 1}).status_code == 409


def test_it_records_and_applies_in_one_call_for_next_years_list(cast, household, api_as):
    body = api_as(cast.director).post(_surveys(household), {**BODY, "year": 2027, "apply": True}).json()
    assert body["standard"]["code"] == "ND351-2025" and body["applied_at"] is not None
    assert HouseholdPoverty.objects.get(household=household, year=2027).status == "poor"


def test_it_answers_422_with_vietnamese_messages(cast, household, api_as):
    response = api_as(cast.collaborator).post(_surveys(household), {**BODY, "income_per_person": 100})
    assert response.status_code == 422
    assert "Chỉ nhập một trong hai" in errors_by_field(response)["income_per_person"][0]
    unknown = api_as(cast.collaborator).post(_surveys(household), {**BODY, "colour": "red"})
    assert unknown.status_code == 422


@pytest.mark.parametrize("income,expected", [(2_800_000, "poor"), (2_800_001, "none")])
def test_classify_checks_without_saving(cast, api_as, income, expected):
    response = api_as(cast.caseworker).post("/poverty/classify", {
        "income_per_person": income, "deprived": ["nutrition", "latrine", "telecoms"], "area": "urban",
        "on": "2027-01-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == expected and body["threshold"] == 2_800_000
    assert body["standard"]["source"] == "Nghị định 351/2025/NĐ-CP"
    assert body["deprivation_count"] == 3 and body["min_deprivations_poor"] == 3
    assert not PovertySurvey.objects.exists()


def test_classify_takes_the_area_from_a_commune_and_income_from_a_total(cast, api_as, rural):
    body = api_as(cast.collaborator).post("/poverty/classify", {
        "income_total": 4_500_001, "members_count": 3, "deprived": [], "commune": rural.pk,
        "on": "2026-12-31"}).json()
    assert (body["area"], body["income_per_person"], body["status"]) == ("rural", 1_500_001, "none")


def test_classify_needs_an_area_or_a_commune(cast, api_as):
    response = api_as(cast.collaborator).post("/poverty/classify", {"income_per_person": 1, "deprived": []})
    assert response.status_code == 422
    assert errors_by_field(response)["area"] == ["Cần gửi khu vực (rural/urban) hoặc mã xã/phường."]


# Who may not --------------------------------------------------------------------

def test_anonymous_callers_get_401(household, api_as):
    client = api_as(None)
    assert client.get(_surveys(household)).status_code == 401
    assert client.post(_surveys(household), BODY).status_code == 401
    assert client.post("/poverty/classify", {"income_per_person": 1, "area": "rural"}).status_code == 401


@pytest.mark.parametrize("user", ["outsider", "statistician"])
def test_users_without_a_person_role_get_403(cast, household, api_as, user):
    client = api_as(cast[user])
    assert client.get(_surveys(household)).status_code == 403
    assert client.post(_surveys(household), BODY).status_code == 403
    assert client.post("/poverty/classify", {"income_per_person": 1, "area": "rural"}).status_code == 403


@pytest.mark.parametrize("user", ["collaborator2", "far_worker"])
def test_workers_of_another_area_get_404_for_the_household(cast, household, api_as, user):
    assert api_as(cast[user]).get(_surveys(household)).status_code == 404


def test_a_collaborator_of_another_commune_cannot_record_or_apply(cast, household, api_as):
    survey_id = api_as(cast.collaborator).post(_surveys(household), BODY).json()["id"]
    other = api_as(cast.collaborator2)
    assert other.post(_surveys(household), BODY).status_code == 404
    assert other.post(f"/poverty/surveys/{survey_id}/apply", {"version": 1}).status_code == 404
    assert PovertySurvey.objects.count() == 1 and not HouseholdPoverty.objects.exists()


def test_a_case_worker_may_read_and_check_but_not_record(cast, household, api_as):
    client = api_as(cast.caseworker)
    assert client.get(_surveys(household)).status_code == 200
    assert client.post(_surveys(household), BODY).status_code == 403


def test_the_endpoints_are_documented_in_openapi(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/households/{household_id}/poverty-surveys"])
    assert "post" in paths["/api/v1/poverty/classify"]
    assert "post" in paths["/api/v1/poverty/surveys/{survey_id}/apply"]
