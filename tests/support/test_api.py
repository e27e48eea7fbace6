"""The support API: same services and scoping as the pages; errors as 401/403/404/409/422."""

from __future__ import annotations

import datetime as dt

import pytest

from ctxh.audit.models import AccessEntry
from ctxh.support import services
from ctxh.support.models import Grant
from tests.api.conftest import errors_by_field
from tests.support.conftest import term

D = dt.date


@pytest.fixture
def world(cast, people, households, heifers, record_grant, survey):
    grant = record_grant(person=people["han"])
    need = services.need_identify(actor=cast.caseworker, person=people["han"], need_type=term("need_type", "job"),
                                  survey=survey)
    return {"grant": grant, "need": need, "donation": heifers}


def _urls(w):
    return {
        "grants": ("get", "/support/grants", None),
        "grant": ("get", f"/support/grants/{w['grant'].pk}", None),
        "grant-create": ("post", "/support/grants", {"kind": "livelihood", "given_on": "2025-03-01",
                                                      "funding": "state_budget", "reason": "x", "amount": 1}),
        "needs": ("get", "/support/needs", None),
        "need-create": ("post", "/support/needs", {"need_type": "job"}),
        "need-request": ("post", f"/support/needs/{w['need'].pk}/request", {"version": 1}),
        "need-fulfil": ("post", f"/support/needs/{w['need'].pk}/fulfil", {"version": 1}),
        "need-decline": ("post", f"/support/needs/{w['need'].pk}/decline", {"reason": "x", "version": 1}),
        "donations": ("get", "/support/donations", None),
        "donation": ("get", f"/support/donations/{w['donation'].pk}", None),
        "donation-create": ("post", "/support/donations", {"donor_id": w["donation"].donor_id,
                                                            "received_on": "2025-01-01", "purpose": "x", "amount": 1}),
        "allocate": ("post", f"/support/donations/{w['donation'].pk}/allocations",
                     {"allocated_on": "2025-02-01", "quantity": 1}),
    }


ENDPOINTS = ["grants", "grant", "grant-create", "needs", "need-create", "need-request", "need-fulfil",
             "need-decline", "donations", "donation", "donation-create", "allocate"]


def _send(client, method, path, body):
    return client.get(path) if method == "get" else client.post(path, body)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_anonymous_callers_get_401(api_as, world, name):
    method, path, body = _urls(world)[name]
    assert _send(api_as(None), method, path, body).status_code == 401


@pytest.mark.parametrize("who", ["outsider", "statistician"])
@pytest.mark.parametrize("name", ENDPOINTS)
def test_callers_without_the_capability_get_403(api_as, cast, world, who, name):
    method, path, body = _urls(world)[name]
    assert _send(api_as(cast[who]), method, path, body).status_code == 403


@pytest.mark.parametrize("name", ["grant", "need-request", "need-fulfil", "need-decline", "donation", "allocate"])
def test_a_worker_of_another_province_gets_404(api_as, cast, world, name):
    method, path, body = _urls(world)[name]
    expected = 403 if name == "allocate" else 404  # allocating needs the director's capability first
    assert _send(api_as(cast.far_worker), method, path, body).status_code == expected


@pytest.mark.parametrize("name", ["grant", "need-request", "need-fulfil", "need-decline"])
def test_a_collaborator_of_commune_2_gets_404_for_commune_1_records(api_as, cast, world, name):
    method, path, body = _urls(world)[name]
    assert _send(api_as(cast.collaborator2), method, path, body).status_code == 404


def test_lists_are_scoped_and_the_grants_total_counts_them_all(api_as, cast, world, people, record_grant):
    record_grant(person=people["cuong"], amount=2_000_000)
    body = api_as(cast.caseworker).get("/support/grants", {"limit": 1}).json()
    assert body["count"] == 2 and body["total_amount"] == 7_000_000 and len(body["items"]) == 1
    body = api_as(cast.collaborator2).get("/support/grants").json()
    assert [g["person"]["full_name"] for g in body["items"]] == ["Lê Văn Cường"]
    assert api_as(cast.far_worker).get("/support/grants").json()["count"] == 0
    assert api_as(cast.collaborator2).get("/support/needs").json()["count"] == 0


def test_list_queries_do_not_grow_with_the_rows(api_as, cast, world, people, record_grant,
                                                django_assert_max_num_queries):
    for _ in range(10):
        record_grant(person=people["an"], kind=term("support_kind", "goods"), amount=None,
                     item=term("support_item", "rice"), quantity=30)
    client = api_as(cast.caseworker)
    with django_assert_max_num_queries(12):
        assert client.get("/support/grants").json()["count"] == 11
    with django_assert_max_num_queries(12):
        client.get("/support/needs")
    with django_assert_max_num_queries(12):
        client.get("/support/donations")


def test_recording_a_grant_checks_the_legal_minimum(api_as, cast, people):
    client = api_as(cast.caseworker)
    payload = {"person_id": people["han"].pk, "kind": "emergency_funeral", "given_on": "2024-07-05",
               "event_date": "2024-06-20", "amount": 7_000_000, "funding": "state_budget", "reason": "Mẹ mất"}
    response = client.post("/support/grants", payload)
    assert response.status_code == 422 and "7.200.000 ₫" in errors_by_field(response)["amount"][0]
    response = client.post("/support/grants", payload | {"amount": 7_200_000})
    assert response.status_code == 201
    body = response.json()
    assert body["calculation"]["amount"] == 7_200_000 and body["kind"]["code"] == "emergency_funeral"


def test_recipients_and_codes_are_field_errors(api_as, cast, people, households):
    client = api_as(cast.collaborator2)
    response = client.post("/support/grants", {"person_id": people["han"].pk, "kind": "nope", "given_on": "2025-01-01",
                                               "funding": "state_budget", "reason": "x", "amount": 1})
    errors = errors_by_field(response)
    assert response.status_code == 422 and "địa bàn bạn phụ trách" in errors["person_id"][0] and "kind" in errors
    response = client.post("/support/grants", {"person_id": people["cuong"].pk, "household_id": households["h2"].pk,
                                               "kind": "livelihood", "given_on": "2025-01-01",
                                               "funding": "state_budget", "reason": "x", "amount": 1})
    assert response.status_code == 422 and "person_id" in errors_by_field(response)
    assert not Grant.objects.filter(person=people["cuong"]).exists()


def test_unknown_fields_are_refused(api_as, cast, people):
    response = api_as(cast.caseworker).post("/support/needs", {"person_id": people["han"].pk, "need_type": "job",
                                                                "priority": "high"})
    assert response.status_code == 422


def test_reading_a_grant_is_access_logged(api_as, cast, world):
    response = api_as(cast.caseworker).get(f"/support/grants/{world['grant'].pk}")
    assert response.status_code == 200 and response.json()["amount"] == 5_000_000
    assert AccessEntry.objects.filter(actor=cast.caseworker, object_id=str(world["grant"].pk)).exists()


def test_a_need_moves_through_the_api(api_as, cast, world, people, record_grant):
    client = api_as(cast.caseworker)
    need = world["need"]
    unversioned = client.post(f"/support/needs/{need.pk}/request", {})
    assert unversioned.status_code == 422 and "version" in str(unversioned.json())
    response = client.post(f"/support/needs/{need.pk}/fulfil", {"grant_id": world["grant"].pk, "version": 1})
    assert response.status_code == 422 and "Không thể ghi đã đáp ứng" in response.json()["errors"][0]["message"]
    response = client.post(f"/support/needs/{need.pk}/request", {"version": 1})
    assert response.status_code == 200 and response.json()["status"] == "requested"
    assert response.json()["allowed_moves"] == ["fulfil", "decline"]
    assert client.post(f"/support/needs/{need.pk}/decline", {"reason": "x", "version": 1}).status_code == 409
    response = client.post(f"/support/needs/{need.pk}/fulfil", {"grant_id": world["grant"].pk, "version": 2})
    assert response.status_code == 200 and response.json()["fulfilled_grant_id"] == world["grant"].pk


def test_recording_a_need(api_as, cast, people, survey):
    response = api_as(cast.collaborator).post("/support/needs", {"person_id": people["han"].pk,
                                                                  "need_type": "wheelchair", "survey_id": survey.pk})
    assert response.status_code == 201 and response.json()["status"] == "identified"


def test_donations_show_what_remains_and_allocations_never_exceed_it(api_as, cast, world, households):
    client = api_as(cast.director)
    donation = world["donation"]
    response = client.post(f"/support/donations/{donation.pk}/allocations",
                           {"household_id": households["h1"].pk, "quantity": 600, "allocated_on": "2025-02-01"})
    assert response.status_code == 201 and response.json()["remaining"] == 400
    response = client.post(f"/support/donations/{donation.pk}/allocations",
                           {"household_id": households["h2"].pk, "quantity": 401, "allocated_on": "2025-02-01"})
    assert response.status_code == 422 and "chỉ còn 400 con" in errors_by_field(response)["quantity"][0]
    body = client.get(f"/support/donations/{donation.pk}").json()
    assert (body["total"], body["allocated"], body["remaining"]) == (1000, 600, 400)
    assert client.get("/support/donations", {"state": "open"}).json()["count"] == 1


def test_recording_a_donation(api_as, cast, donor, geo):
    client = api_as(cast.director)
    response = client.post("/support/donations", {"donor_id": donor.pk, "received_on": "2025-01-10",
                                                   "item": "rice", "quantity": 2000, "purpose": "Gạo cứu đói",
                                                   "communes": [geo["c2"].pk]})
    assert response.status_code == 201
    assert response.json()["remaining"] == 2000 and response.json()["unit"] == "kg"
    assert response.json()["communes"] == [geo["c2"].pk]
    assert api_as(cast.caseworker).post("/support/donations", {
        "donor_id": donor.pk, "received_on": "2025-01-10", "amount": 1, "purpose": "x"}).status_code == 403
