"""Every registry page refuses those who should not see it."""

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.people.models import Consent, GroupMembership, HouseholdMember
from tests.factories import HouseholdFactory


@pytest.fixture
def records(cast, han, geo):
    from ctxh.core.models import Term

    household = HouseholdFactory(commune=geo["c1"])
    member = HouseholdMember.objects.create(household=household, person=han, relationship="head")
    gm = GroupMembership.objects.create(person=han, group=Term.objects.get(code="d20_5_7"),
                                        start_date=dt.date(2024, 1, 1), source="QĐ 1")
    consent = Consent.objects.create(person=han, purpose="processing", given_by="self", method="written",
                                     given_on=dt.date(2025, 1, 1))
    return {"person": han, "household": household, "member": member, "gm": gm, "consent": consent}


OBJECT_PAGES = [
    ("people:detail", "person"), ("people:edit", "person"), ("people:group-add", "person"),
    ("people:disability-add", "person"), ("people:consent-add", "person"),
    ("people:group-end", "gm"), ("people:consent-withdraw", "consent"),
    ("people:household-detail", "household"), ("people:household-edit", "household"),
    ("people:household-member-add", "household"),
]
LIST_PAGES = ["people:list", "people:search", "people:create", "people:household-list",
              "people:household-create", "people:duplicates"]
POST_ONLY = [("people:household-member-remove", "member"), ("people:household-poverty", "household")]


def _url(name, records, key=None):
    return reverse(name, args=[records[key].pk]) if key else reverse(name)


@pytest.mark.parametrize("name,key", OBJECT_PAGES + [(n, None) for n in LIST_PAGES])
def test_it_sends_anonymous_users_to_login(client, records, name, key):
    response = client.get(_url(name, records, key))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user", ["statistician", "outsider"])
@pytest.mark.parametrize("name,key", OBJECT_PAGES + [(n, None) for n in LIST_PAGES])
def test_it_refuses_users_without_a_person_role(login, cast, records, user, name, key):
    assert login(cast[user]).get(_url(name, records, key)).status_code == 403


@pytest.mark.parametrize("user", ["collaborator2", "far_worker"])
@pytest.mark.parametrize("name,key", OBJECT_PAGES)
def test_it_hides_records_of_another_commune(login, cast, records, user, name, key):
    assert login(cast[user]).get(_url(name, records, key)).status_code == 404


@pytest.mark.parametrize("user", ["collaborator2", "far_worker", "statistician", "outsider"])
@pytest.mark.parametrize("name,key", POST_ONLY)
def test_it_refuses_posts_from_outside(login, cast, records, user, name, key):
    status = login(cast[user]).post(_url(name, records, key), {"reason": "x", "year": 2025, "status": "poor"}).status_code
    assert status in (403, 404)
    assert HouseholdMember.objects.filter(pk=records["member"].pk).exists()


@pytest.mark.parametrize("user", ["collaborator", "caseworker", "director", "facility"])
@pytest.mark.parametrize("name,key", OBJECT_PAGES + [(n, None) for n in LIST_PAGES])
def test_it_opens_pages_for_those_who_cover_the_commune(login, cast, records, user, name, key):
    assert login(cast[user]).get(_url(name, records, key)).status_code == 200


def test_lists_and_search_do_not_show_other_communes(login, cast, records):
    client = login(cast.collaborator2)
    assert "Đặng Thị Ngọc Hân" not in client.get(reverse("people:list")).content.decode()
    assert "Đặng Thị Ngọc Hân" not in client.get(reverse("people:search"), {"q": "dang han"}).content.decode()
    assert records["household"].code not in client.get(reverse("people:household-list")).content.decode()
