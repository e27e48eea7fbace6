"""/api/v1/entitlements/check: the calculator over JSON, and a registered person's check."""

import datetime as dt

import pytest
from django.test import Client

from ctxh.audit.models import AccessEntry
from ctxh.core.models import Rule, Term
from ctxh.people.models import Disability
from tests.api.conftest import JsonClient, errors_by_field
from tests.factories import PersonFactory


@pytest.fixture
def api_as(db):
    """A JSON client logged in as the given user; None means anonymous."""

    def _as(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as

BODY = {
    "on": "2025-03-15", "birth_date": "1941-01-01", "birth_precision": "year", "sex": "female",
    "groups": ["d20_5_6a"], "household_poverty": "poor", "disability_type": "mobility",
    "disability_level": "especially_severe",
}


def test_it_returns_the_groups_amounts_and_reasoning(api_as, cast):
    response = api_as(cast.collaborator).post("/entitlements/check", BODY)
    assert response.status_code == 200
    body = response.json()
    assert body["base_level"] == 500_000 and body["age"] == 84 and body["birth_assumed"] == "1941-01-01"
    assert body["base_rule"]["source"] == "Nghị định 76/2024/NĐ-CP, Điều 1"
    qualifying = {line["group"]: line for line in body["qualifying"]}
    assert set(qualifying) == {"d20_5_6a_80", "d20_5_7_especially_severe_elderly"}
    assert qualifying["d20_5_6a_80"]["coefficient"] == 2.0 and qualifying["d20_5_6a_80"]["amount"] == 1_000_000
    assert [line["group"] for line in body["paid"]] == ["d20_5_7_especially_severe_elderly"]
    assert body["paid"][0]["coefficient"] == 2.5 and body["total"] == 1_250_000
    assert body["paid"][0]["rules"][0]["key"] == "assistance.coef.d20_5_7.especially_severe.child_or_elderly"
    assert any("chỉ hưởng một mức cao nhất" in step for step in body["reasoning"])
    keys = {r["key"] for r in body["rules"]}
    assert {"assistance.base_level", "assistance.age.unknown_day"} <= keys
    assert all(r["source"] and r["valid_from"] for r in body["rules"])


def test_the_single_parent_exception_pays_both(api_as, cast):
    body = api_as(cast.counsellor).post("/entitlements/check", {
        "on": "2025-03-15", "birth_date": "1990-06-01", "groups": ["d20_5_5"], "household_poverty": "poor",
        "children_raised": 2, "hiv": True}).json()
    assert [line["group"] for line in body["paid"]] == ["d20_5_4", "d20_5_5"]
    assert body["total"] == 750_000 + 1_000_000


def test_social_pension_comes_as_a_fixed_amount(api_as, cast):
    body = api_as(cast.collaborator).post("/entitlements/check", {
        "on": "2025-08-01", "birth_date": "1949-05-05", "has_pension": True, "pension_amount": 200_000}).json()
    assert [line["group"] for line in body["paid"]] == ["sp_75"]
    assert body["paid"][0]["fixed_amount"] is True and body["paid"][0]["coefficient"] == 0
    assert body["total"] == 500_000


def test_the_date_defaults_to_today(api_as, cast):
    body = api_as(cast.collaborator).post("/entitlements/check", {"birth_date": "2020-01-01"}).json()
    assert body["on"] == dt.date.today().isoformat() and body["qualifying"] == []


def test_a_rule_row_added_later_changes_the_answer_from_its_date(api_as, cast):
    Rule.objects.create(key="assistance.coef.d20_5_7.especially_severe.child_or_elderly",
                        valid_from=dt.date(2025, 6, 1), value=3.0, unit="hệ số", source="Nghị định thử nghiệm")
    client = api_as(cast.collaborator)
    assert client.post("/entitlements/check", BODY).json()["total"] == 1_250_000
    later = client.post("/entitlements/check", {**BODY, "on": "2025-06-01"}).json()
    assert later["total"] == 1_500_000 and later["paid"][0]["rules"][0]["source"] == "Nghị định thử nghiệm"


@pytest.mark.parametrize("change,field,message", [
    ({"groups": ["d20_5_6a", "d99"]}, "groups", "Mã diện đối tượng không tồn tại: d99."),
    ({"birth_date": "2999-01-01", "on": "2999-06-01"}, "birth_date", "Ngày sinh không được ở tương lai."),
    ({"birth_date": "2025-06-01"}, "birth_date", "Ngày sinh sau ngày xét."),
    ({"birth_precision": "week"}, "birth_precision", "Độ chính xác ngày sinh phải là day, month hoặc year."),
    ({"sex": "x"}, "sex", "Giới tính không hợp lệ."),
    ({"disability_level": "very"}, "disability_level", "Mã “very” không có trong danh mục."),
    ({"household_poverty": "rich"}, "household_poverty", "Phân loại hộ phải là poor, near_poor hoặc none."),
    ({"children_raised": -1}, "children_raised", "Không được là số âm."),
    ({"commune": 99999}, "commune", "Không có xã/phường mã 99999."),
    ({"on": "2012-01-01", "birth_date": "1941-01-01"}, "on", "Chưa có quy định “assistance.base_level” hiệu lực ngày 01/01/2012."),
])
def test_bad_input_gets_422_with_a_vietnamese_message(api_as, cast, change, field, message):
    response = api_as(cast.collaborator).post("/entitlements/check", {**BODY, **change})
    assert response.status_code == 422
    assert errors_by_field(response)[field] == [message]


def test_an_unknown_field_is_refused(api_as, cast):
    response = api_as(cast.collaborator).post("/entitlements/check", {**BODY, "income": 1})
    assert response.status_code == 422 and response.json()["errors"][0]["message"] == "Trường này không được chấp nhận."


def test_anonymous_callers_must_authenticate(api_as):
    assert api_as(None).post("/entitlements/check", BODY).status_code == 401


@pytest.mark.parametrize("user", ["outsider", "statistician"])
def test_it_refuses_users_without_the_capability(api_as, cast, user):
    response = api_as(cast[user]).post("/entitlements/check", BODY)
    assert response.status_code == 403


# A registered person ---------------------------------------------------------

@pytest.fixture
def hoa(geo):
    """Em Lò Văn Hòa, 9, of commune c1, with an especially severe disability."""
    person = PersonFactory(full_name="Lò Văn Hòa", sex="male", commune=geo["c1"], birth_date=dt.date(2016, 2, 10))
    Disability.objects.create(person=person, type=Term.objects.get(vocabulary="disability_type", code="intellectual"),
                              level=Term.objects.get(vocabulary="disability_level", code="especially_severe"))
    return person


def test_it_checks_a_registered_person_and_logs_the_reading(api_as, cast, hoa):
    response = api_as(cast.collaborator).get(f"/entitlements/check/person/{hoa.pk}", {"on": "2024-06-30"})
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == {"id": hoa.pk, "full_name": "Lò Văn Hòa"}
    assert body["facts"]["disability_level"] == "especially_severe" and body["facts"]["commune"] == hoa.commune_id
    assert body["age"] == 8 and body["base_level"] == 360_000 and body["total"] == 900_000
    assert AccessEntry.objects.filter(person_id=hoa.pk, actor=cast.collaborator, purpose="entitlement.check").exists()


def test_the_person_check_defaults_to_today(api_as, cast, hoa):
    body = api_as(cast.caseworker).get(f"/entitlements/check/person/{hoa.pk}").json()
    assert body["on"] == dt.date.today().isoformat()


@pytest.mark.parametrize("user,status", [("collaborator2", 404), ("far_worker", 404), ("outsider", 403),
                                         ("statistician", 403)])
def test_the_person_check_is_scoped(api_as, cast, hoa, user, status):
    response = api_as(cast[user]).get(f"/entitlements/check/person/{hoa.pk}")
    assert response.status_code == status
    assert "Lò Văn Hòa" not in response.content.decode()
    assert not AccessEntry.objects.filter(person_id=hoa.pk).exists()


def test_the_person_check_of_an_unknown_person_is_404(api_as, cast):
    assert api_as(cast.director).get("/entitlements/check/person/999999").status_code == 404


def test_anonymous_callers_cannot_check_a_person(api_as, hoa):
    assert api_as(None).get(f"/entitlements/check/person/{hoa.pk}").status_code == 401


def test_the_endpoints_are_in_the_openapi_document(api_as):
    paths = api_as(None).get("/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/entitlements/check"]
    assert "get" in paths["/api/v1/entitlements/check/person/{person_id}"]


def test_without_a_date_it_judges_on_today_in_vietnam_not_in_utc(api_as, cast, monkeypatch):
    from django.utils import timezone

    # 20:00 UTC on 30 June 2024 is already 03:00 on 1 July in Hà Nội: the day the base level rose to 500,000.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2024, 6, 30, 20, 0, tzinfo=dt.UTC))
    body = api_as(cast.collaborator).post("/entitlements/check", {k: v for k, v in BODY.items() if k != "on"}).json()
    assert body["on"] == "2024-07-01" and body["base_level"] == 500_000
