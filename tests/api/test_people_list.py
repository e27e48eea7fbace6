"""GET /api/v1/people: search, filters, pages, and only the people the user covers."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.core.models import Term
from ctxh.people.models import GroupMembership
from tests.factories import PersonFactory


def _names(response) -> set[str]:
    return {p["full_name"] for p in response.json()["items"]}


def test_it_lists_a_page_with_items_and_count(cast, people, api_as):
    response = api_as(cast.caseworker).get("/people", {"limit": 2, "offset": 0})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert len(body["items"]) == 2
    first = body["items"][0]
    assert {"id", "full_name", "birth_display", "commune", "status", "version"} <= set(first)


def test_it_pages_through_everything_once(cast, people, api_as):
    client = api_as(cast.caseworker)
    seen = []
    for offset in (0, 3):
        seen += [p["id"] for p in client.get("/people", {"limit": 3, "offset": offset}).json()["items"]]
    assert sorted(seen) == sorted(p.pk for k, p in people.items() if k != "far")


@pytest.mark.parametrize("limit", [0, 201, "many"])
def test_it_refuses_a_bad_limit(cast, api_as, limit):
    response = api_as(cast.caseworker).get("/people", {"limit": limit})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("q", ["dang han", "Hân Đặng", "ĐẶNG THỊ", "ngoc"])
def test_it_finds_a_name_with_or_without_marks(cast, people, api_as, q):
    response = api_as(cast.caseworker).get("/people", {"q": q})
    assert _names(response) == {"Đặng Thị Ngọc Hân"}


def test_it_finds_a_cccd_and_a_phone(cast, people, api_as):
    client = api_as(cast.caseworker)
    assert _names(client.get("/people", {"q": people["han"].cccd})) == {"Đặng Thị Ngọc Hân"}
    assert _names(client.get("/people", {"q": "0912 345 678"})) == {"Đặng Thị Ngọc Hân"}


def test_it_filters_by_commune_sex_and_birth_years(cast, geo, people, api_as):
    client = api_as(cast.caseworker)
    assert _names(client.get("/people", {"commune": geo["c2"].pk})) == {"Lê Văn Cường"}
    assert _names(client.get("/people", {"sex": "male", "commune": geo["c1"].pk})) == {"Nguyễn Văn An"}
    assert _names(client.get("/people", {"born_from": 1986, "born_to": 2000})) == {
        "Đặng Thị Ngọc Hân", "Lê Văn Cường"}


def test_it_filters_by_a_group_in_force(cast, people, api_as):
    group = Term.objects.get(vocabulary="child_special", code="tedb_02")
    GroupMembership.objects.create(person=people["binh"], group=group, start_date=dt.date(2020, 1, 1), source="QĐ 1")
    assert _names(api_as(cast.caseworker).get("/people", {"group": "tedb_02"})) == {"Trần Thị Bình"}


def test_it_sorts_by_birth(cast, people, api_as):
    items = api_as(cast.caseworker).get("/people", {"sort": "-birth", "commune": people["an"].commune_id}).json()["items"]
    assert [p["full_name"] for p in items] == ["Trần Thị Bình", "Đặng Thị Ngọc Hân", "Nguyễn Văn An"]


@pytest.mark.parametrize("param", [{"sort": "tuoi"}, {"sex": "nam"}, {"status": "song"}])
def test_it_refuses_an_unknown_filter_value(cast, api_as, param):
    response = api_as(cast.caseworker).get("/people", param)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == next(iter(param))


def test_it_shows_a_collaborator_only_their_commune(cast, people, api_as):
    response = api_as(cast.collaborator).get("/people")
    assert _names(response) == {"Đặng Thị Ngọc Hân", "Nguyễn Văn An", "Trần Thị Bình"}
    assert response.json()["count"] == 3


def test_it_shows_another_province_only_its_own(cast, people, api_as):
    assert _names(api_as(cast.far_worker).get("/people")) == {"Phạm Thị Dung"}


@pytest.mark.parametrize("who,status", [("statistician", 403), ("outsider", 403), (None, 401)])
def test_it_refuses_those_without_person_access(cast, api_as, who, status):
    assert api_as(cast[who] if who else None).get("/people").status_code == status


def test_it_keeps_the_query_count_flat(cast, geo, api_as, django_assert_max_num_queries):
    """A page costs the same few queries for 3 people or 60: no N+1 on communes."""
    client = api_as(cast.caseworker)
    PersonFactory.create_batch(3, commune=geo["c1"])
    client.get("/people")  # warm the session
    # Session (read, user, save), memberships (2), then the page and its count.
    with django_assert_max_num_queries(9) as few:
        assert client.get("/people").json()["count"] == 3
    PersonFactory.create_batch(57, commune=geo["c2"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/people", {"limit": 60}).json()
    assert body["count"] == 60 and len(body["items"]) == 60


def test_it_caps_the_count_of_a_broad_search(client, cast, geo, monkeypatch):
    from ctxh.accounts.services import token_create
    from ctxh.people import selectors
    from tests.factories import PersonFactory

    monkeypatch.setattr(selectors, "API_SEARCH_CAP", 3)
    for given in ("Yến", "An", "Bình", "Chi"):
        PersonFactory(full_name=f"Nguyễn Thị {given}", commune=geo["c1"])
    _token, key = token_create(actor=cast.collaborator, name="t")
    body = client.get("/api/v1/people", {"q": "nguyen"}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["count"] == 3 and body["count_capped"] is True and len(body["items"]) == 3
    body = client.get("/api/v1/people", {"q": "nguyen yen"}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["count"] == 1 and body["count_capped"] is False
    assert body["items"][0]["full_name"] == "Nguyễn Thị Yến"
