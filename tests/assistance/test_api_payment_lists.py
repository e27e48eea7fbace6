"""/api/v1/payment-lists: generate, read with lines and group totals, mark paid, close, correct; 409 once closed."""

from __future__ import annotations

import pytest
from django.test import Client

from ctxh.assistance.models import PaymentList
from ctxh.audit.models import AccessEntry
from tests.api.conftest import JsonClient
from tests.assistance.factories import entitled


@pytest.fixture
def api_as(db):
    def _as(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as


@pytest.fixture
def people(geo):
    return [entitled(geo["c1"], name="Nguyễn Thị Lan"),
            entitled(geo["c1"], name="Vũ Văn Hải", coefficient="2.5", group="d20_5_1_under4",
                     label="Trẻ em dưới 4 tuổi"),
            entitled(geo["c2"], name="Mai Văn Sáu")]


def test_generate_read_pay_close_correct(api_as, cast, geo, people):
    collab = api_as(cast.collaborator)
    r = collab.post("/payment-lists", {"commune": geo["c1"].pk, "month": "2025-09"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["month"] == "2025-09-01" and body["line_count"] == 2 and body["total"] == 2_000_000
    assert sum(line["total"] for line in body["lines"]) == body["total"]
    # The answer names the people on the list: the read is logged.
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_type="assistance.paymentlist",
                                      object_id=str(body["id"]), purpose="generate").exists()
    assert {g["group_code"]: g["total"] for g in body["groups"]} == {"d20_5_1_under4": 1_250_000,
                                                                    "d20_5_7_severe_adult": 750_000}
    list_id = body["id"]
    line_id = body["lines"][0]["id"]
    r = collab.post(f"/payment-lists/{list_id}/lines/{line_id}/paid", {"signed": True})
    assert r.status_code == 200 and r.json()["paid_at"] and r.json()["signed"]
    assert collab.post(f"/payment-lists/{list_id}/lines/{line_id}/paid", {}).status_code == 409
    assert collab.post(f"/payment-lists/{list_id}/close").status_code == 403  # the director closes
    director = api_as(cast.director)
    r = director.post(f"/payment-lists/{list_id}/close", {"version": 1})
    assert r.status_code == 409  # the list changed since version 1
    r = director.post(f"/payment-lists/{list_id}/close")
    assert r.status_code == 200 and r.json()["status"] == "closed"

    # A closed list refuses edits.
    assert collab.post(f"/payment-lists/{list_id}/lines/{line_id}/paid", {"paid": False}).status_code == 409
    assert collab.post("/payment-lists", {"commune": geo["c1"].pk, "month": "2025-09"}).status_code == 409
    assert director.post(f"/payment-lists/{list_id}/close").status_code == 409

    r = collab.post(f"/payment-lists/{list_id}/corrections", {"line_id": line_id, "amount_delta": -100_000,
                                                              "reason": "Tính nhầm hệ số"})
    assert r.status_code == 201, r.content
    assert r.json()["correction_of_id"] == line_id and r.json()["total"] == -100_000
    assert collab.post(f"/payment-lists/{list_id}/corrections", {"line_id": line_id, "amount_delta": 5,
                                                                 "reason": ""}).status_code == 422
    lists = collab.get("/payment-lists", {"month": "2025-09"}).json()
    assert {(i["kind"], i["status"]) for i in lists["items"]} == {("regular", "closed"), ("correction", "draft")}
    assert PaymentList.objects.get(pk=list_id).total == 2_000_000


def test_the_lines_are_paged(api_as, cast, geo, people):
    collab = api_as(cast.collaborator)
    list_id = collab.post("/payment-lists", {"commune": geo["c1"].pk, "month": "2025-09"}).json()["id"]
    body = collab.get(f"/payment-lists/{list_id}", {"limit": 1, "offset": 1}).json()
    assert body["lines_count"] == 2 and [line["position"] for line in body["lines"]] == [2]


def test_bad_input_is_422(api_as, cast, geo, people):
    collab = api_as(cast.collaborator)
    assert collab.post("/payment-lists", {"commune": geo["c1"].pk, "month": "tháng 9"}).status_code == 422
    assert collab.post("/payment-lists", {"commune": geo["c2"].pk, "month": "2025-09"}).status_code == 422
    assert collab.get("/payment-lists", {"status": "x"}).status_code == 422


def test_confidentiality(api_as, cast, geo, people):
    list_id = api_as(cast.director).post("/payment-lists", {"commune": geo["c1"].pk, "month": "2025-09"}).json()["id"]
    line_id = PaymentList.objects.get(pk=list_id).lines.first().pk
    anon = api_as(None)
    assert anon.get("/payment-lists").status_code == 401
    assert anon.get(f"/payment-lists/{list_id}").status_code == 401
    assert anon.post(f"/payment-lists/{list_id}/close").status_code == 401
    for who in ("outsider", "statistician", "facility"):
        c = api_as(cast[who])
        assert c.get("/payment-lists").status_code == 403
        assert c.get(f"/payment-lists/{list_id}").status_code == 403
        assert c.post("/payment-lists", {"commune": geo["c1"].pk, "month": "2025-10"}).status_code == 403
        assert c.post(f"/payment-lists/{list_id}/lines/{line_id}/paid", {}).status_code == 403
        assert c.post(f"/payment-lists/{list_id}/close").status_code == 403
        assert c.post(f"/payment-lists/{list_id}/corrections", {"line_id": line_id, "amount_delta": 1,
                                                                "reason": "x"}).status_code == 403
    for who in ("collaborator2", "far_worker"):
        c = api_as(cast[who])
        assert c.get(f"/payment-lists/{list_id}").status_code == 404
        assert c.get("/payment-lists").json()["count"] == 0
        assert c.post(f"/payment-lists/{list_id}/lines/{line_id}/paid", {}).status_code == 404
        assert c.post(f"/payment-lists/{list_id}/corrections", {"line_id": line_id, "amount_delta": 1,
                                                                "reason": "x"}).status_code == 404
    assert api_as(cast.collaborator2).post("/payment-lists", {"commune": geo["c1"].pk,
                                                              "month": "2025-10"}).status_code == 422
    assert PaymentList.objects.get(pk=list_id).paid_count == 0
