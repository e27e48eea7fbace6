"""Household members and the yearly poverty classification."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.audit.models import AuditEntry
from ctxh.people.models import HouseholdMember, HouseholdPoverty
from tests.api.conftest import errors_by_field


def test_it_adds_a_member(cast, people, households, api_as):
    h1 = households["h1"]
    response = api_as(cast.collaborator).post(f"/households/{h1.pk}/members", {
        "person_id": people["binh"].pk, "relationship": "child", "joined_on": "2012-03-04"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["person_id"] == people["binh"].pk
    assert body["full_name"] == "Trần Thị Bình"
    assert body["relationship_label"] == "Con"
    assert HouseholdMember.objects.get(pk=body["id"]).household == h1
    assert AuditEntry.objects.filter(action="household.member_added", person_id=people["binh"].pk).exists()


def test_it_refuses_a_second_head_and_a_person_already_in_a_household(cast, people, households, api_as):
    h1, h2 = households["h1"], households["h2"]
    client = api_as(cast.caseworker)
    assert client.post(f"/households/{h1.pk}/members", {"person_id": people["an"].pk, "relationship": "head"}).status_code == 201
    second = client.post(f"/households/{h1.pk}/members", {"person_id": people["han"].pk, "relationship": "head"})
    assert second.status_code == 422
    assert "relationship" in errors_by_field(second)
    again = client.post(f"/households/{h2.pk}/members", {"person_id": people["an"].pk, "relationship": "other"})
    assert again.status_code == 422
    assert "person" in errors_by_field(again)


def test_it_refuses_a_person_outside_the_users_area(cast, people, households, api_as):
    response = api_as(cast.collaborator).post(f"/households/{households['h1'].pk}/members", {
        "person_id": people["c2"].pk, "relationship": "child"})
    assert response.status_code == 422
    assert "person_id" in errors_by_field(response)
    assert not HouseholdMember.objects.exists()


def test_it_removes_a_member_with_a_reason_in_the_body_or_the_query(cast, people, households, api_as):
    h1 = households["h1"]
    client = api_as(cast.collaborator)
    a = HouseholdMember.objects.create(household=h1, person=people["an"], relationship="head")
    b = HouseholdMember.objects.create(household=h1, person=people["binh"], relationship="child")
    assert client.delete(f"/households/members/{a.pk}", {"reason": "Chuyển đi nơi khác"}).status_code == 204
    assert client.client.delete(f"/api/v1/households/members/{b.pk}?reason=Lấy+chồng").status_code == 204
    assert not HouseholdMember.objects.exists()
    reasons = set(AuditEntry.objects.filter(action="household.member_removed").values_list("changes__reason", flat=True))
    assert reasons == {"Chuyển đi nơi khác", "Lấy chồng"}


def test_it_needs_a_reason_to_remove_a_member(cast, people, households, api_as):
    m = HouseholdMember.objects.create(household=households["h1"], person=people["an"], relationship="head")
    response = api_as(cast.collaborator).delete(f"/households/members/{m.pk}")
    assert response.status_code == 422
    assert "reason" in errors_by_field(response)
    assert HouseholdMember.objects.filter(pk=m.pk).exists()


def test_it_sets_the_poverty_status_of_a_year(cast, households, api_as):
    h1 = households["h1"]
    client = api_as(cast.collaborator)
    response = client.post(f"/households/{h1.pk}/poverty", {"year": 2024, "status": "poor", "decision": "QĐ 12/UBND"})
    assert response.status_code == 200, response.json()
    assert response.json()["standard"]["code"] == "ND07-2021"
    assert response.json()["status_label"] == "Hộ nghèo"
    # A second review of the same year replaces the first.
    client.post(f"/households/{h1.pk}/poverty", {"year": 2024, "status": "near_poor"})
    assert HouseholdPoverty.objects.get(household=h1, year=2024).status == "near_poor"
    detail = client.get(f"/households/{h1.pk}").json()
    assert [(p["year"], p["status"]) for p in detail["poverty"]] == [(2024, "near_poor")]


@pytest.mark.parametrize("body,field", [
    ({"year": 2024, "status": "giau"}, "status"),
    ({"year": 1990, "status": "poor"}, "year"),
    ({"year": dt.date.today().year + 5, "status": "poor"}, "year"),
])
def test_it_refuses_an_invalid_poverty_status(cast, households, api_as, body, field):
    response = api_as(cast.caseworker).post(f"/households/{households['h1'].pk}/poverty", body)
    assert response.status_code == 422
    assert field in errors_by_field(response)
    assert not HouseholdPoverty.objects.exists()


@pytest.mark.parametrize("who,status", [
    ("collaborator2", 404), ("far_worker", 404), ("statistician", 403), ("outsider", 403), (None, 401),
])
def test_it_refuses_member_and_poverty_changes_outside_the_users_area(cast, people, households, api_as, who, status):
    h1 = households["h1"]
    m = HouseholdMember.objects.create(household=h1, person=people["an"], relationship="head")
    client = api_as(cast[who] if who else None)
    add = client.post(f"/households/{h1.pk}/members", {"person_id": people["binh"].pk, "relationship": "child"})
    assert add.status_code == status
    assert client.delete(f"/households/members/{m.pk}", {"reason": "x"}).status_code == status
    assert client.post(f"/households/{h1.pk}/poverty", {"year": 2024, "status": "poor"}).status_code == status
    assert list(HouseholdMember.objects.values_list("person_id", flat=True)) == [people["an"].pk]
    assert not HouseholdPoverty.objects.exists()
