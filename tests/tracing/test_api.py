"""/api/v1/tracing: the same services and scoping as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.tracing.models import TracingRequest
from tests.api.conftest import errors_by_field
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(make_request, an):
    return make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985,
                        circumstances="Chi tiết nhạy cảm")


def _body(**overrides):
    body = {"source": "hotline", "seeker_name": "Nguyễn Thị Hoa", "seeker_phone": "0904555666",
            "seeker_relationship": "parent", "sought_name": "Nguyen An", "sought_sex": "male",
            "birth_year_from": 1985, "last_province": 22, "consent": True}
    body.update(overrides)
    return body


def test_it_lists_requests_with_a_count(api_as, cast, req, make_request):
    make_request(sought_name="Trần Thị Bình")
    body = api_as(cast.counsellor).get("/tracing").json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["id"] == req.pk)
    assert item["receipt_number"] == req.receipt_number and item["pending_matches"] == 1
    assert item["sought_name"] == "Nguyễn Văn An" and item["version"] == 1


@pytest.mark.parametrize("params,count", [
    ({"status": "new"}, 2), ({"status": "reunified"}, 0), ({"source": "public"}, 0), ({"q": "tran binh"}, 1),
])
def test_it_filters_like_the_page(api_as, cast, req, make_request, params, count):
    make_request(sought_name="Trần Thị Bình")
    assert api_as(cast.counsellor).get("/tracing", params).json()["count"] == count


def test_unknown_filter_values_are_refused(api_as, cast):
    response = api_as(cast.counsellor).get("/tracing", {"status": "lost"})
    assert response.status_code == 422 and "status" in errors_by_field(response)


def test_the_list_costs_a_fixed_number_of_queries(api_as, cast, make_request, django_assert_max_num_queries):
    for i in range(6):
        make_request(sought_name=f"Người Số {i}", assigned_to=cast.caseworker)
    client = api_as(cast.caseworker)
    client.get("/tracing")
    with django_assert_max_num_queries(10):
        assert client.get("/tracing").json()["count"] == 6


def test_it_creates_a_request_and_returns_its_candidates(api_as, cast, an):
    response = api_as(cast.caseworker).post("/tracing", _body())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["receipt_number"].startswith("TN-") and body["source"] == "hotline" and body["province"]["code"] == 22
    match = body["matches"][0]
    assert match["person"]["id"] == an.pk and match["kind"] == "registry" and match["status"] == "pending"
    assert [e["code"] for e in match["explanation"]][:3] == ["given", "family", "middle_dropped"]
    assert match["score"] == sum(e["points"] for e in match["explanation"])


def test_create_needs_consent_and_valid_values(api_as, cast):
    client = api_as(cast.caseworker)
    response = client.post("/tracing", _body(consent=False, seeker_phone="12"))
    assert response.status_code == 422 and "consent" in errors_by_field(response)
    response = client.post("/tracing", _body(seeker_phone="12"))
    assert response.status_code == 422 and "seeker_phone" in errors_by_field(response)
    response = client.post("/tracing", _body(last_commune=99999999))
    assert response.status_code == 422 and "last_commune" in errors_by_field(response)
    response = client.post("/tracing", _body(source="public"))
    assert response.status_code == 422
    response = client.post("/tracing", _body(surprise="x"))
    assert response.status_code == 422
    assert not TracingRequest.objects.exists()


def test_the_detail_has_the_matches_and_is_access_logged(api_as, cast, req, an):
    body = api_as(cast.director).get(f"/tracing/{req.pk}").json()
    assert body["circumstances"] == "Chi tiết nhạy cảm" and body["matches"][0]["person"]["full_name"] == "Nguyễn Văn An"
    logged = set(AccessEntry.objects.filter(actor=cast.director, object_id=str(req.pk)).values_list("purpose", "person_id"))
    assert logged == {("tracing.view", None), ("tracing.match", an.pk)}


def test_patch_changes_only_what_is_sent_and_checks_the_version(api_as, cast, req):
    client = api_as(cast.caseworker)
    response = client.patch(f"/tracing/{req.pk}", {"description": "Nốt ruồi ở cằm", "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2
    fresh = TracingRequest.objects.get(pk=req.pk)
    assert fresh.description == "Nốt ruồi ở cằm" and fresh.circumstances == "Chi tiết nhạy cảm"
    stale = client.patch(f"/tracing/{req.pk}", {"description": "Sẹo", "version": 1})
    assert stale.status_code == 409
    assert any("Nốt ruồi ở cằm" in c["to"] for c in stale.json()["changes"])


def test_confirm_and_reject_a_candidate(api_as, cast, req, an):
    client = api_as(cast.caseworker)
    match_id = req.matches.get().pk
    body = client.post(f"/tracing/{req.pk}/matches/{match_id}/confirm", {"note": "Đã gọi xác minh", "version": 1}).json()
    assert body["person_id"] == an.pk and body["status"] == "candidate_found"
    assert body["matches"][0]["status"] == "confirmed" and body["matches"][0]["review_note"] == "Đã gọi xác minh"
    body = client.post(f"/tracing/{req.pk}/matches/{match_id}/reject", {"version": body["version"]}).json()
    assert body["person_id"] is None and body["status"] == "searching"
    assert client.post(f"/tracing/{req.pk}/matches/999999/confirm", {"version": 1}).status_code == 404


def test_reunify_and_close(api_as, cast, req, make_request):
    client = api_as(cast.caseworker)
    today = timezone.localdate().isoformat()
    response = client.post(f"/tracing/{req.pk}/reunify", {"reunified_on": today, "method": "phone", "version": 1})
    assert response.status_code == 200 and response.json()["status"] == "reunified"
    again = client.post(f"/tracing/{req.pk}/reunify", {"reunified_on": today, "method": "phone", "version": 2})
    assert again.status_code == 422
    other = make_request(sought_name="Trần Thị Bình")
    stale = client.post(f"/tracing/{other.pk}/close", {"status": "withdrawn", "note": "Rút", "version": 7})
    assert stale.status_code == 409
    done = client.post(f"/tracing/{other.pk}/close", {"status": "withdrawn", "note": "Rút", "version": 1})
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


def test_rematch(api_as, cast, req):
    assert api_as(cast.caseworker).post(f"/tracing/{req.pk}/rematch").status_code == 200


# Confidentiality ------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/tracing", None), ("post", "/tracing", "create"), ("get", "/tracing/{id}", None),
    ("patch", "/tracing/{id}", {"description": "x", "version": 1}), ("post", "/tracing/{id}/rematch", None),
    ("post", "/tracing/{id}/matches/{mid}/confirm", {"version": 1}),
    ("post", "/tracing/{id}/matches/{mid}/reject", {"version": 1}),
    ("post", "/tracing/{id}/reunify", {"reunified_on": "2026-01-01", "method": "phone", "version": 1}),
    ("post", "/tracing/{id}/close", {"status": "withdrawn", "note": "x", "version": 1}),
]


def _call(client, method, path, body, req):
    path = path.format(id=req.pk, mid=req.matches.get().pk)
    if body == "create":
        body = _body()
    return client.get(path) if method == "get" else getattr(client, method)(path, body)


def _untouched(req):
    fresh = TracingRequest.objects.get(pk=req.pk)
    return fresh.version == 1 and fresh.status == "new" and TracingRequest.objects.count() == 1


@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_anonymous_callers_get_401(api_as, req, method, path, body):
    assert _call(api_as(None), method, path, body, req).status_code == 401
    assert _untouched(req)


@pytest.mark.parametrize("user", ["outsider", "collaborator", "statistician", "facility"])
@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_roles_without_tracing_get_403(api_as, cast, req, user, method, path, body):
    response = _call(api_as(cast[user]), method, path, body, req)
    assert response.status_code == 403 and "Nguyễn Văn An" not in response.content.decode()
    assert _untouched(req)


@pytest.mark.parametrize("method,path,body", [e for e in ENDPOINTS if "{id}" in e[1]])
def test_a_worker_of_another_province_gets_404(api_as, cast, req, method, path, body):
    response = _call(api_as(cast.far_worker), method, path, body, req)
    assert response.status_code == 404 and "Nguyễn Văn An" not in response.content.decode()
    assert _untouched(req)


def test_a_worker_of_another_province_lists_nothing(api_as, cast, req):
    assert api_as(cast.far_worker).get("/tracing").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("method,path,body", [e for e in ENDPOINTS if e[0] != "get"])
def test_the_administrator_reads_but_does_not_write(api_as, cast, req, method, path, body):
    client = api_as(cast.admin)
    assert client.get(f"/tracing/{req.pk}").status_code == 200
    assert _call(client, method, path, body, req).status_code == 403
    assert _untouched(req)


def test_a_hidden_registry_candidate_is_not_in_the_detail(api_as, cast, make_request, geo):
    far = PersonFactory(full_name="Nguyễn Văn An", sex="male", commune=geo["far"], birth_date=dt.date(1985, 3, 2))
    req = make_request(sought_name="Nguyễn Văn An", birth_year_from=1985, birth_year_to=1985)
    hidden = req.matches.get(person=far)
    client = api_as(cast.caseworker)
    assert client.get(f"/tracing/{req.pk}").json()["matches"] == []
    assert client.post(f"/tracing/{req.pk}/matches/{hidden.pk}/confirm", {"version": 1}).status_code == 404
    assert TracingRequest.objects.get(pk=req.pk).person is None


def test_a_stale_review_is_refused_with_409_and_changes_nothing(api_as, cast, req, an):
    client = api_as(cast.caseworker)
    match_id = req.matches.get().pk
    assert client.patch(f"/tracing/{req.pk}", {"description": "Sẹo ở tay", "version": 1}).status_code == 200
    stale = client.post(f"/tracing/{req.pk}/matches/{match_id}/confirm", {"note": "Đã gọi", "version": 1})
    assert stale.status_code == 409 and any("Sẹo ở tay" in c["to"] for c in stale.json()["changes"])
    assert TracingRequest.objects.get(pk=req.pk).person is None
    assert req.matches.get().status == "pending"
    assert client.post(f"/tracing/{req.pk}/matches/{match_id}/confirm", {"note": "Đã gọi"}).status_code == 422


def test_every_answer_that_carries_the_candidates_is_logged(api_as, cast, req, an):
    client = api_as(cast.caseworker)
    client.patch(f"/tracing/{req.pk}", {"description": "Sẹo ở tay", "version": 1})
    client.post(f"/tracing/{req.pk}/rematch")
    client.post(f"/tracing/{req.pk}/matches/{req.matches.get(person=an).pk}/confirm", {"version": 2})
    logged = AccessEntry.objects.filter(actor=cast.caseworker, object_id=str(req.pk))
    assert {"tracing.update", "tracing.rematch", "tracing.review"} <= set(logged.values_list("purpose", flat=True))
    assert logged.filter(purpose="tracing.match", person_id=an.pk).count() == 3
