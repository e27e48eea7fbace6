"""/api/v1/cases: the same services and scoping as the pages, with the API's error conventions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.cases.models import Case, CaseEvent, Note
from tests.api.conftest import JsonClient
from tests.cases.conftest import put_at


@pytest.fixture
def api_as(db):
    def _as(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as


def _errors(response):
    return {e["field"]: e["message"] for e in response.json()["errors"]}


# Reading ---------------------------------------------------------------------------------------------

def test_the_detail_shows_type_status_sealed_and_deadlines(cast, assigned_case, api_as):
    case = assigned_case(serious_risk=True)
    response = api_as(cast.caseworker).get(f"/cases/{case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == case.pk and body["number"] == case.number
    assert body["type"] == {"code": "child_protection", "name": case.case_type.name}
    assert body["status"] == "intake" and body["sealed"] is False
    deadline = case.deadlines.get()
    assert body["deadlines"] == [{
        "step": "initial_assessment", "name": deadline.name, "due_at": body["deadlines"][0]["due_at"],
        "done_at": None, "cancelled": False, "overdue": False}]
    due = dt.datetime.fromisoformat(body["deadlines"][0]["due_at"])
    assert abs(due - deadline.due_at) < dt.timedelta(milliseconds=1)
    assert {"code": "start_initial_assessment", "name": "Bắt đầu đánh giá nguy cơ ban đầu",
            "to": "initial_assessment", "requires_reason": False} in body["transitions"]
    assert body["assigned_to"] == {"id": cast.caseworker.pk, "name": "Caseworker"}
    assert AccessEntry.objects.filter(actor=cast.caseworker, object_id=str(case.pk), purpose="view").exists()


@pytest.mark.parametrize(("who", "status"), [
    (None, 401), ("outsider", 403), ("statistician", 403), ("collaborator2", 404), ("far_worker", 404),
    ("caseworker2", 404), ("collaborator", 200), ("director", 200), ("counsellor", 200),
])
def test_the_detail_is_for_those_who_may_see_the_case(cast, assigned_case, api_as, caseworker2, who, status):
    case = assigned_case()
    user = caseworker2 if who == "caseworker2" else (cast[who] if who else None)
    assert api_as(user).get(f"/cases/{case.pk}").status_code == status


def test_a_sealed_case_is_404_to_a_commune_collaborator(cast, assigned_case, adult, api_as):
    case = assigned_case("gbv", person=adult)
    assert api_as(cast.collaborator).get(f"/cases/{case.pk}").status_code == 404
    assert api_as(cast.director).get(f"/cases/{case.pk}").json()["sealed"] is True


def test_the_list_pages_and_filters(cast, assigned_case, adult, api_as):
    a = assigned_case(serious_risk=True, reported_at=timezone.now() - dt.timedelta(hours=13))
    b = assigned_case("elderly", person=adult)
    client = api_as(cast.caseworker)
    body = client.get("/cases").json()
    assert body["count"] == 2 and {i["id"] for i in body["items"]} == {a.pk, b.pk}
    item = next(i for i in body["items"] if i["id"] == a.pk)
    assert item["overdue"] is True and item["status"] == "intake" and item["type"]["code"] == "child_protection"
    assert [i["id"] for i in client.get("/cases", {"type": "elderly"}).json()["items"]] == [b.pk]
    assert [i["id"] for i in client.get("/cases", {"overdue": "true"}).json()["items"]] == [a.pk]
    assert [i["id"] for i in client.get("/cases", {"q": "dinh thi lan"}).json()["items"]] == [b.pk]
    page = client.get("/cases", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert client.get("/cases", {"sort": "name"}).status_code == 422


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("outsider", 403), ("statistician", 403)])
def test_the_list_refuses_those_without_a_case_role(cast, db, api_as, who, status):
    assert api_as(cast[who] if who else None).get("/cases").status_code == status


def test_the_list_is_empty_outside_ones_cases(cast, assigned_case, api_as, caseworker2):
    assigned_case()
    for user in (cast.collaborator2, cast.far_worker, caseworker2):
        assert api_as(user).get("/cases").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_query_count_does_not_grow_with_the_cases(cast, assigned_case, api_as, geo, n,
                                                          django_assert_max_num_queries):
    from tests.factories import PersonFactory

    for i in range(n):
        assigned_case("general", person=PersonFactory(full_name=f"Người {i}", commune=geo["c1"]))
    client = api_as(cast.director)
    with django_assert_max_num_queries(9):
        assert client.get("/cases").json()["count"] == n


# Opening -----------------------------------------------------------------------------------------------

def test_a_case_is_opened_through_the_api(cast, child, api_as):
    response = api_as(cast.collaborator).post("/cases", {
        "type": "child_protection", "person_id": child.pk, "summary": "Cộng tác viên báo tin.",
        "source": "collaborator", "reported_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "serious_risk": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk and body["status"] == "intake" and len(body["deadlines"]) == 1


def test_opening_reports_every_problem_by_field(cast, child, api_as, geo):
    from tests.factories import PersonFactory

    other = PersonFactory(full_name="Người xã khác", commune=geo["c2"])
    client = api_as(cast.collaborator)
    response = client.post("/cases", {"type": "khong-co", "person_id": child.pk, "summary": "x", "source": "call",
                                      "reported_at": timezone.now().isoformat()})
    assert response.status_code == 422 and "type" in _errors(response)
    response = client.post("/cases", {"type": "general", "person_id": other.pk, "summary": "x", "source": "call",
                                      "reported_at": timezone.now().isoformat()})
    assert response.status_code == 422 and "person_id" in _errors(response)
    response = client.post("/cases", {"type": "general", "person_id": child.pk, "summary": "", "source": "call",
                                      "reported_at": timezone.now().isoformat()})
    assert response.status_code == 422 and "summary" in _errors(response)
    assert client.post("/cases", {"type": "general", "bogus": 1}).status_code == 422
    assert api_as(cast.statistician).post("/cases", {
        "type": "general", "person_id": child.pk, "summary": "x", "source": "call",
        "reported_at": timezone.now().isoformat()}).status_code == 403
    assert not Case.objects.exists()


# Moving, notes, assignment ---------------------------------------------------------------------------------

def test_a_transition_moves_the_case_and_a_stale_version_is_409(cast, assigned_case, api_as):
    case = assigned_case()
    client = api_as(cast.caseworker)
    response = client.post(f"/cases/{case.pk}/transitions", {"code": "start_initial_assessment",
                                                              "version": case.version})
    assert response.status_code == 200 and response.json()["status"] == "initial_assessment"
    response = client.post(f"/cases/{case.pk}/transitions", {"code": "start_detailed_assessment",
                                                              "version": case.version})
    assert response.status_code == 409 and response.json()["changes"]
    case.refresh_from_db()
    assert case.status == "initial_assessment"


def test_an_illegal_transition_is_422_with_the_reason(cast, assigned_case, api_as):
    case = assigned_case()
    response = api_as(cast.caseworker).post(f"/cases/{case.pk}/transitions", {"code": "approve_closure"})
    assert response.status_code == 422
    assert "Tiếp nhận thông tin, thông báo" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(("who", "status"), [
    (None, 401), ("outsider", 403), ("statistician", 403), ("collaborator2", 404), ("far_worker", 404),
    ("caseworker2", 404), ("collaborator", 403),
])
def test_a_transition_is_refused_to_those_outside_the_team(cast, assigned_case, api_as, caseworker2, who, status):
    case = assigned_case()
    user = caseworker2 if who == "caseworker2" else (cast[who] if who else None)
    response = api_as(user).post(f"/cases/{case.pk}/transitions", {"code": "start_initial_assessment"})
    assert response.status_code == status
    case.refresh_from_db()
    assert case.status == "intake"


def test_a_worker_cannot_approve_a_closure(cast, assigned_case, api_as, closure_reason):
    from ctxh.cases import services

    case = assigned_case()
    services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(), outcome="Ổn định")
    assert api_as(cast.caseworker).post(f"/cases/{case.pk}/transitions",
                                        {"code": "approve_closure"}).status_code == 403
    assert api_as(cast.director).post(f"/cases/{case.pk}/transitions",
                                      {"code": "approve_closure"}).json()["status"] == "closed"


def test_notes_are_read_and_written(cast, assigned_case, api_as):
    case = assigned_case()
    client = api_as(cast.caseworker)
    response = client.post(f"/cases/{case.pk}/notes", {"text": "Đã gặp trẻ tại trường."})
    assert response.status_code == 201 and response.json()["author"]["id"] == cast.caseworker.pk
    client.post(f"/cases/{case.pk}/notes", {"text": "Nghi người cha.", "visibility": "team"})
    assert [n["text"] for n in client.get(f"/cases/{case.pk}/notes").json()] == [
        "Nghi người cha.", "Đã gặp trẻ tại trường."]
    assert [n["text"] for n in api_as(cast.collaborator).get(f"/cases/{case.pk}/notes").json()] == [
        "Đã gặp trẻ tại trường."]
    assert client.post(f"/cases/{case.pk}/notes", {"text": "  "}).status_code == 422
    for user, status in ((cast.collaborator2, 404), (cast.statistician, 403), (None, 401)):
        assert api_as(user).get(f"/cases/{case.pk}/notes").status_code == status
        assert api_as(user).post(f"/cases/{case.pk}/notes", {"text": "lạ"}).status_code == status
    assert not Note.objects.filter(text="lạ").exists()


def test_the_director_assigns_through_the_api(cast, open_case, api_as, caseworker2):
    case = open_case()
    response = api_as(cast.director).post(f"/cases/{case.pk}/assign", {"worker_id": cast.caseworker.pk})
    assert response.status_code == 200 and response.json()["assigned_to"]["id"] == cast.caseworker.pk
    assert api_as(cast.director).post(f"/cases/{case.pk}/assign", {"worker_id": cast.far_worker.pk}
                                      ).status_code == 422
    for user, status in ((cast.caseworker, 403), (cast.collaborator2, 403), (caseworker2, 403), (None, 401)):
        assert api_as(user).post(f"/cases/{case.pk}/assign", {"worker_id": caseworker2.pk}).status_code == status
    case.refresh_from_db()
    assert case.assigned_to == cast.caseworker


def test_breaking_the_glass_through_the_api(cast, assigned_case, adult, api_as, caseworker2):
    case = assigned_case("gbv", person=adult)
    client = api_as(caseworker2)
    assert client.get(f"/cases/{case.pk}").status_code == 404
    response = client.post(f"/cases/{case.pk}/break-glass", {"reason": "ngắn"})
    assert response.status_code == 422 and "reason" in _errors(response)
    reason = "Nạn nhân đang ở Trung tâm, cần xem kế hoạch an toàn ngay."
    response = client.post(f"/cases/{case.pk}/break-glass", {"reason": reason})
    assert response.status_code == 201 and response.json()["case_id"] == case.pk
    assert client.get(f"/cases/{case.pk}").status_code == 200
    assert AccessEntry.objects.filter(actor=caseworker2, break_glass=True, reason=reason).exists()
    assert CaseEvent.objects.filter(case=case, kind="break_glass").exists()
    for user, status in ((cast.collaborator2, 404), (cast.far_worker, 404), (cast.counsellor, 403),
                         (cast.statistician, 403), (None, 401)):
        assert api_as(user).post(f"/cases/{case.pk}/break-glass", {"reason": reason}).status_code == status
    assert api_as(caseworker2).post("/cases/999999/break-glass", {"reason": reason}).status_code == 404


def test_a_closed_case_shows_its_finished_deadlines(cast, assigned_case, api_as):
    case = put_at(assigned_case(serious_risk=True), "closed")
    body = api_as(cast.director).get(f"/cases/{case.pk}").json()
    assert body["status"] == "closed" and body["deadlines"][0]["step"] == "initial_assessment"
