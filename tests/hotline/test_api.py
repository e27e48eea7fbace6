"""/api/v1/calls: the same services and scoping as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.hotline import services
from ctxh.hotline.models import Call
from tests.api.conftest import errors_by_field
from tests.cases.conftest import local


@pytest.fixture
def call(make_call, people):
    return make_call(subjects=[(people["child"], "subject")], topic_codes=("child_physical",),
                     summary="Trẻ bị đánh", urgency="high")


def test_it_lists_calls_with_a_count(api_as, cast, call, make_call):
    make_call(counsellor=cast.director, summary="Khác", urgency="low")
    body = api_as(cast.counsellor).get("/calls").json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["id"] == call.pk)
    assert item["summary"] == "Trẻ bị đánh" and item["urgency"] == "high" and not item["content_hidden"]
    assert item["topics"] == [{"code": "child_physical", "name": "Bạo lực thể chất"}]
    assert item["subjects"][0]["full_name"] == "Lò Thị Hoa" and item["line"] == "1800 1769"


@pytest.mark.parametrize("params,count", [
    ({"urgency": "high"}, 1), ({"topic": "child_abuse"}, 1), ({"outcome": "referred"}, 0),
    ({"status": "open"}, 0), ({"date_from": "2099-01-01"}, 0),
])
def test_it_filters_like_the_page(api_as, cast, call, make_call, params, count):
    make_call(summary="Khác")
    assert api_as(cast.counsellor).get("/calls", params).json()["count"] == count


def test_unknown_filter_values_are_refused(api_as, cast):
    response = api_as(cast.counsellor).get("/calls", {"urgency": "sometimes"})
    assert response.status_code == 422 and "urgency" in errors_by_field(response)


def test_the_list_costs_a_fixed_number_of_queries(api_as, cast, make_call, people, django_assert_max_num_queries):
    for i in range(8):
        make_call(started_at=local(2026, 2, 1, 8, 0) + dt.timedelta(hours=i),
                  subjects=[(people["child"], "subject"), (people["mother"], "family")])
    client = api_as(cast.counsellor)
    client.get("/calls")
    with django_assert_max_num_queries(12):  # independent of the number of calls
        assert client.get("/calls").json()["count"] == 8


def test_it_records_and_ends_a_call_in_one_request(api_as, cast, people):
    started = timezone.now() - dt.timedelta(minutes=20)
    response = api_as(cast.counsellor).post("/calls", {
        "started_at": started.isoformat(), "ended_at": (started + dt.timedelta(minutes=9)).isoformat(),
        "channel": "zalo", "caller_anonymous": True, "subjects": [{"person_id": people["mother"].pk}],
        "topics": ["family_conflict"], "summary": "Mâu thuẫn vợ chồng", "outcome": "advice"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ended_at"] and body["channel"] == "zalo" and body["line"] is None
    assert body["caller_anonymous"] and body["subjects"][0]["role"] == "subject"
    assert Call.objects.get(pk=body["id"]).ended_at is not None


def test_create_reports_unknown_codes_together_and_leaves_no_call(api_as, cast):
    response = api_as(cast.counsellor).post("/calls", {"line": "999", "topics": ["nope"], "summary": "x"})
    assert response.status_code == 422
    assert set(errors_by_field(response)) == {"line", "topics"}
    assert not Call.objects.exists()


def test_create_is_refused_while_a_call_is_in_progress(api_as, cast, make_call):
    make_call(end=False)
    response = api_as(cast.counsellor).post("/calls", {"summary": "x"})
    assert response.status_code == 422 and Call.objects.count() == 1


def test_detail_writes_the_access_log(api_as, cast, call, people):
    response = api_as(cast.caseworker).get(f"/calls/{call.pk}")
    assert response.status_code == 200 and response.json()["version"] == call.version
    assert AccessEntry.objects.filter(object_id=str(call.pk), actor=cast.caseworker,
                                      person_id=people["child"].pk).exists()


def test_patch_changes_what_is_sent_and_409_on_a_stale_version(api_as, cast, call):
    client = api_as(cast.counsellor)
    response = client.patch(f"/calls/{call.pk}", {"version": call.version, "urgency": "emergency"})
    assert response.status_code == 200 and response.json()["urgency"] == "emergency"
    assert response.json()["summary"] == "Trẻ bị đánh"
    stale = client.patch(f"/calls/{call.pk}", {"version": call.version, "summary": "ghi đè"})
    assert stale.status_code == 409 and stale.json()["changes"]
    assert Call.objects.get(pk=call.pk).summary == "Trẻ bị đánh"


def test_end_and_open_case(api_as, cast, make_call, people, case_types):
    open_call = make_call(end=False, subjects=[(people["child"], "subject")], topic_codes=("child_sexual",),
                          summary="Trẻ bị xâm hại", outcome="escalated")
    client = api_as(cast.counsellor)
    response = client.post(f"/calls/{open_call.pk}/open-case", {
        "case_type": "child_protection", "person_id": people["child"].pk, "serious_risk": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["outcome"] == "case_opened" and body["case"]["number"]
    ended = client.post(f"/calls/{open_call.pk}/end", {"version": body["version"]})
    assert ended.status_code == 200 and ended.json()["ended_at"]
    assert client.post(f"/calls/{open_call.pk}/end").status_code == 422


def test_open_case_for_someone_not_on_the_call_is_refused(api_as, cast, make_call, people):
    call = make_call(end=False)
    response = api_as(cast.counsellor).post(f"/calls/{call.pk}/open-case", {
        "case_type": "child_protection", "person_id": people["far"].pk})
    assert response.status_code == 422 and "person" in errors_by_field(response)


def test_follow_up_and_done(api_as, cast, call):
    client = api_as(cast.counsellor)
    when = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert client.post(f"/calls/{call.pk}/follow-up", {"follow_up_at": when, "note": "Gọi lại"}).status_code == 200
    body = client.post(f"/calls/{call.pk}/follow-up/done").json()
    assert body["follow_up_done_at"] and body["follow_up_note"] == "Gọi lại"


def test_sealed_content_is_hidden_from_those_outside_the_case(api_as, cast, make_call, people, case_types):
    call = make_call(end=False, subjects=[(people["mother"], "subject")], topic_codes=("dv_partner",),
                     summary="Bạo lực gia đình", outcome="escalated")
    services.call_open_case(actor=cast.counsellor, call=call, case_type=case_types["gbv"], person=people["mother"])
    body = api_as(cast.caseworker).get(f"/calls/{call.pk}").json()
    assert body["content_hidden"] and body["summary"] is None and body["subjects"] is None and body["case"] is None
    item = api_as(cast.caseworker).get("/calls").json()["items"][0]
    assert item["content_hidden"] and item["summary"] is None
    assert api_as(cast.director).get(f"/calls/{call.pk}").json()["summary"] == "Bạo lực gia đình"


ENDPOINTS = [
    ("get", "/calls", None), ("post", "/calls", {"summary": "x"}), ("get", "/calls/{id}", None),
    ("patch", "/calls/{id}", {"version": 1, "summary": "x"}), ("post", "/calls/{id}/end", None),
    ("post", "/calls/{id}/open-case", {"case_type": "child_protection", "person_id": 1}),
    ("post", "/calls/{id}/link-case", {"case_number": "x"}),
    ("post", "/calls/{id}/follow-up", {"follow_up_at": "2099-01-01T08:00:00+07:00"}),
    ("post", "/calls/{id}/follow-up/done", None),
]


def _send(client, method, path, body, call):
    path = path.replace("{id}", str(call.pk))
    return client.get(path) if method == "get" else getattr(client, method)(path, body)


@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_anonymous_gets_401(api_as, call, method, path, body):
    assert _send(api_as(None), method, path, body, call).status_code == 401


@pytest.mark.parametrize("user", ["statistician", "collaborator", "collaborator2", "facility", "outsider"])
@pytest.mark.parametrize("method,path,body", ENDPOINTS)
def test_roles_without_calls_get_403(api_as, cast, call, user, method, path, body):
    assert _send(api_as(cast[user]), method, path, body, call).status_code == 403
    assert Call.objects.count() == 1


@pytest.mark.parametrize("method,path,body", [e for e in ENDPOINTS if "{id}" in e[1]])
def test_a_worker_of_another_province_gets_404(api_as, cast, call, method, path, body):
    assert _send(api_as(cast.far_worker), method, path, body, call).status_code == 404


def test_a_worker_of_another_province_lists_nothing(api_as, cast, call):
    assert api_as(cast.far_worker).get("/calls").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("method,path,body", [e for e in ENDPOINTS if "{id}" in e[1] and e[0] != "get"])
def test_a_caseworker_who_did_not_take_the_call_cannot_change_it(api_as, cast, call, method, path, body):
    assert _send(api_as(cast.caseworker), method, path, body, call).status_code == 403
