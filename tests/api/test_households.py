"""/api/v1/households: list, detail with members, create and update."""

from __future__ import annotations

import pytest

from ctxh.audit.models import AuditEntry
from ctxh.people.models import Household, HouseholdMember
from tests.api.conftest import errors_by_field
from tests.factories import HouseholdFactory


def test_it_lists_the_households_the_user_covers(cast, households, api_as):
    body = api_as(cast.collaborator).get("/households").json()
    assert body["count"] == 1
    assert [h["id"] for h in body["items"]] == [households["h1"].pk]
    assert body["items"][0]["commune"]["code"] == households["h1"].commune_id


def test_it_searches_households_by_code_and_member_name(cast, people, households, api_as):
    HouseholdMember.objects.create(household=households["h1"], person=people["han"], relationship="head")
    client = api_as(cast.caseworker)
    assert [h["id"] for h in client.get("/households", {"q": "dang han"}).json()["items"]] == [households["h1"].pk]
    code = households["h2"].code
    assert [h["code"] for h in client.get("/households", {"q": code}).json()["items"]] == [code]


def test_it_pages_households(cast, geo, api_as, django_assert_max_num_queries):
    HouseholdFactory.create_batch(7, commune=geo["c1"])
    client = api_as(cast.caseworker)
    client.get("/households")
    with django_assert_max_num_queries(9):
        body = client.get("/households", {"limit": 5, "offset": 5}).json()
    assert body["count"] == 7 and len(body["items"]) == 2


def test_it_shows_a_household_with_members_named_only_within_the_users_area(cast, geo, people, households, api_as):
    h1 = households["h1"]
    HouseholdMember.objects.create(household=h1, person=people["han"], relationship="head")
    HouseholdMember.objects.create(household=h1, person=people["c2"], relationship="sibling")
    body = api_as(cast.collaborator).get(f"/households/{h1.pk}").json()
    assert body["code"] == h1.code
    assert body["address_detail"] == "Thôn 1"
    members = {m["person_id"]: m for m in body["members"]}
    assert members[people["han"].pk]["full_name"] == "Đặng Thị Ngọc Hân"
    assert members[people["han"].pk]["relationship"] == "head"
    assert members[people["c2"].pk]["full_name"] is None  # lives in commune 2
    assert body["members"][0]["relationship"] == "head"
    full = api_as(cast.caseworker).get(f"/households/{h1.pk}").json()
    assert {m["full_name"] for m in full["members"]} == {"Đặng Thị Ngọc Hân", "Lê Văn Cường"}


def test_it_creates_a_household_with_its_head(cast, geo, people, api_as):
    response = api_as(cast.collaborator).post("/households", {
        "commune": geo["c1"].pk, "address_detail": "Tổ 3", "head_person_id": people["an"].pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    household = Household.objects.get(pk=body["id"])
    assert household.province_id == geo["province"].pk
    assert [(m["person_id"], m["relationship"]) for m in body["members"]] == [(people["an"].pk, "head")]
    assert AuditEntry.objects.filter(action="household.created", object_id=str(household.pk)).exists()


def test_it_refuses_a_head_outside_the_users_area(cast, geo, people, api_as):
    response = api_as(cast.collaborator).post("/households", {
        "commune": geo["c1"].pk, "head_person_id": people["c2"].pk})
    assert response.status_code == 422
    assert "head_person_id" in errors_by_field(response)
    assert not Household.objects.exists()


@pytest.mark.parametrize("commune,field", [(99999, "commune"), ("c2", "commune")])
def test_it_refuses_a_commune_unknown_or_not_covered(cast, geo, api_as, commune, field):
    code = geo[commune].pk if isinstance(commune, str) else commune
    response = api_as(cast.collaborator).post("/households", {"commune": code})
    assert response.status_code == 422
    assert field in errors_by_field(response)


def test_it_updates_a_household_and_refuses_a_stale_version(cast, geo, households, api_as):
    h1 = households["h1"]
    client = api_as(cast.caseworker)
    response = client.patch(f"/households/{h1.pk}", {"version": 1, "notes": "Nhà cấp 4"})
    assert response.status_code == 200
    assert response.json()["notes"] == "Nhà cấp 4" and response.json()["version"] == 2
    stale = client.patch(f"/households/{h1.pk}", {"version": 1, "address_detail": "Thôn 2"})
    assert stale.status_code == 409
    assert stale.json()["changes"][0]["to"] == "Nhà cấp 4"
    h1.refresh_from_db()
    assert h1.address_detail == "Thôn 1"


def test_it_moves_a_household_to_another_commune(cast, geo, households, api_as):
    h1 = households["h1"]
    response = api_as(cast.caseworker).patch(f"/households/{h1.pk}", {"version": 1, "commune": geo["c3"].pk})
    assert response.status_code == 200
    assert response.json()["commune"]["code"] == geo["c3"].pk


@pytest.mark.parametrize("who,status", [
    ("collaborator2", 404), ("far_worker", 404), ("statistician", 403), ("outsider", 403), (None, 401),
])
def test_it_refuses_a_household_outside_the_users_area(cast, households, api_as, who, status):
    client = api_as(cast[who] if who else None)
    h1 = households["h1"]
    assert client.get(f"/households/{h1.pk}").status_code == status
    assert client.patch(f"/households/{h1.pk}", {"version": 1, "notes": "x"}).status_code == status
    h1.refresh_from_db()
    assert h1.notes == ""


@pytest.mark.parametrize("who,status", [("statistician", 403), ("outsider", 403), (None, 401)])
def test_it_refuses_lists_and_creation_without_person_access(cast, geo, api_as, who, status):
    client = api_as(cast[who] if who else None)
    assert client.get("/households").status_code == status
    assert client.post("/households", {"commune": geo["c1"].pk}).status_code == status
    assert not Household.objects.exists()
