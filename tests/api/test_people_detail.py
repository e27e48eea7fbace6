"""GET /api/v1/people/{id}: the whole record, logged as a read, for those who cover it."""

from __future__ import annotations

import pytest

from ctxh.audit.models import AccessEntry
from ctxh.core.models import Term
from ctxh.people.models import HouseholdMember


def test_it_returns_the_whole_record(cast, geo, people, households, api_as):
    han = people["han"]
    han.ethnicity = Term.objects.get(vocabulary="ethnicity", code="01")
    han.save()
    HouseholdMember.objects.create(household=households["h1"], person=han, relationship="head")
    body = api_as(cast.collaborator).get(f"/people/{han.pk}").json()
    assert body["id"] == han.pk
    assert body["full_name"] == "Đặng Thị Ngọc Hân"
    assert body["birth_date"] == "1990-05-17"
    assert body["birth_display"] == "17/05/1990"
    assert body["ethnicity"] == {"code": "01", "name": "Kinh"}
    assert body["province"] == {"code": geo["province"].pk, "name": geo["province"].name}
    assert body["commune"] == {"code": geo["c1"].pk, "name": geo["c1"].name}
    assert body["household_id"] == households["h1"].pk
    assert body["version"] == 1
    assert body["death_date"] is None


def test_it_writes_the_read_to_the_access_log(cast, people, api_as):
    han = people["han"]
    api_as(cast.collaborator).get(f"/people/{han.pk}")
    entry = AccessEntry.objects.get(person_id=han.pk)
    assert entry.actor == cast.collaborator
    assert entry.object_type == "people.person"


@pytest.mark.parametrize("who,status", [
    ("collaborator2", 404), ("far_worker", 404), ("statistician", 403), ("outsider", 403), (None, 401),
])
def test_it_refuses_a_person_outside_the_users_area(cast, people, api_as, who, status):
    response = api_as(cast[who] if who else None).get(f"/people/{people['han'].pk}")
    assert response.status_code == status
    assert not AccessEntry.objects.exists()


def test_it_answers_404_for_a_person_who_does_not_exist(cast, api_as):
    assert api_as(cast.caseworker).get("/people/999999").status_code == 404
