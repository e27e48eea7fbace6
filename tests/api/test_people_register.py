"""POST /api/v1/people: register through the same service, checks and messages as the form."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.audit.models import AuditEntry
from ctxh.core.cccd import cccd_make
from ctxh.people.models import Person
from tests.api.conftest import errors_by_field, schema_fields
from tests.factories import PersonFactory


def _body(geo, **extra) -> dict:
    return {
        "full_name": "  hoàng   văn tú ", "sex": "male", "birth_date": "2001-02-03",
        "commune": geo["c1"].pk, "phone": "+84 912 000 111", "ethnicity": "01", **extra,
    }


def test_it_registers_a_person(cast, geo, api_as):
    response = api_as(cast.collaborator).post("/people", _body(geo, cccd=cccd_make("022", "male", 2001, 7)))
    assert response.status_code == 201, response.json()
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert body["full_name"] == person.full_name == "Hoàng Văn Tú"
    assert body["province"]["code"] == geo["province"].pk  # taken from the commune
    assert body["phone"] == "0912000111"
    assert body["ethnicity"]["name"] == "Kinh"
    assert body["household_id"] is None
    entry = AuditEntry.objects.get(action="person.registered", object_id=str(person.pk))
    assert entry.actor == cast.collaborator


@pytest.mark.parametrize("extra,field", [
    ({"cccd": "12345"}, "cccd"),
    ({"cccd": "999190001234"}, "cccd"),
    ({"birth_date": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "birth_date"),
    ({"province": 22, "commune": None, "status": "deceased"}, "death_date"),
    ({"phone": "123"}, "phone"),
    ({"birth_precision": "week"}, "birth_precision"),
    ({"full_name": "   "}, "full_name"),
    ({"sex": "nam"}, "sex"),
    ({"status": "song"}, "status"),
])
def test_it_refuses_invalid_values_with_the_services_messages(cast, geo, api_as, extra, field):
    response = api_as(cast.caseworker).post("/people", _body(geo, **extra))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert field in errors_by_field(response)
    assert not Person.objects.exists()


def test_it_refuses_a_commune_outside_the_province(cast, geo, api_as):
    response = api_as(cast.caseworker).post("/people", _body(geo, province=22, commune=geo["far"].pk))
    assert response.status_code == 422
    assert "không thuộc" in errors_by_field(response)["commune"][0]


@pytest.mark.parametrize("extra,field", [
    ({"province": 99}, "province"), ({"commune": 99999}, "commune"), ({"ethnicity": "xx"}, "ethnicity"),
])
def test_it_names_an_unknown_code_in_vietnamese(cast, geo, api_as, extra, field):
    response = api_as(cast.caseworker).post("/people", _body(geo, **extra))
    assert response.status_code == 422
    assert errors_by_field(response)[field][0].startswith("Không có")


def test_it_refuses_a_commune_the_collaborator_does_not_cover(cast, geo, api_as):
    response = api_as(cast.collaborator).post("/people", _body(geo, commune=geo["c2"].pk))
    assert response.status_code == 422
    assert "phạm vi" in errors_by_field(response)["commune"][0]
    assert not Person.objects.exists()


def test_it_lists_likely_duplicates_then_registers_with_a_reason(cast, geo, people, api_as):
    client = api_as(cast.collaborator)
    body = {"full_name": "Dang Thi Ngoc Han", "sex": "female", "birth_date": "1990-01-01", "commune": geo["c1"].pk}
    refused = client.post("/people", body)
    assert refused.status_code == 422
    data = refused.json()
    assert "duplicate_reason" in errors_by_field(refused)
    assert [d["id"] for d in data["duplicates"]] == [people["han"].pk]
    assert data["duplicates"][0]["full_name"] == "Đặng Thị Ngọc Hân"
    assert data["duplicates"][0]["commune"]["code"] == geo["c1"].pk
    assert data["duplicates"][0]["reason"] == "same_name_year"
    assert data["hidden_duplicates"] == 0
    assert Person.objects.count() == len(people)

    accepted = client.post("/people", {**body, "duplicate_reason": "Hai chị em cùng tên, khác cha mẹ"})
    assert accepted.status_code == 201
    assert Person.objects.get(pk=accepted.json()["id"]).duplicate_reason.startswith("Hai chị em")


def test_it_only_counts_duplicates_the_user_may_not_see(cast, geo, api_as):
    hidden = PersonFactory(full_name="Vũ Thị Mai", commune=geo["c2"], birth_date=dt.date(1970, 1, 1))
    response = api_as(cast.collaborator).post("/people", {
        "full_name": "Vũ Thị Mai", "birth_date": "1970-06-01", "commune": geo["c1"].pk})
    assert response.status_code == 422
    assert response.json()["duplicates"] == []
    assert response.json()["hidden_duplicates"] == 1
    assert hidden.full_name not in response.content.decode("unicode_escape")


def test_it_asks_to_confirm_a_cccd_that_disagrees(cast, geo, api_as):
    client = api_as(cast.caseworker)
    body = _body(geo, cccd=cccd_make("022", "female", 2001, 8))  # the CCCD says female
    warned = client.post("/people", body)
    assert warned.status_code == 422
    assert warned.json()["warnings"]
    assert "confirm_id_warning" in warned.json()["hint"]
    confirmed = client.post("/people", {**body, "confirm_id_warning": True})
    assert confirmed.status_code == 201


@pytest.mark.parametrize("raw,field", [
    ('{"full_name": 12, "commune": "một"}', "full_name"),
    ('{"full_name": "Lò Văn Tú", "birth_date": "31/12/2001", "commune": 1}', "birth_date"),
    ('{"full_name": "Lò Văn Tú", "ho_ten": "x", "commune": 1}', "ho_ten"),
    ('[1, 2]', ""),
    ('{"commune": 1}', "full_name"),
])
def test_it_answers_a_body_of_the_wrong_shape_with_field_errors(cast, api_as, raw, field):
    response = api_as(cast.caseworker).post("/people", raw=raw)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert field in schema_fields(response), body
    assert not Person.objects.exists()


def test_it_answers_malformed_json_with_a_structured_400(cast, api_as):
    response = api_as(cast.caseworker).post("/people", raw='{"full_name": "Lò Văn Tú",')
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("who,status", [("statistician", 403), ("outsider", 403), (None, 401)])
def test_it_refuses_those_who_may_not_register(cast, geo, api_as, who, status):
    response = api_as(cast[who] if who else None).post("/people", _body(geo))
    assert response.status_code == status
    assert not Person.objects.exists()


def test_it_refuses_another_province(cast, geo, api_as):
    response = api_as(cast.far_worker).post("/people", _body(geo))
    assert response.status_code == 422
    assert not Person.objects.exists()
