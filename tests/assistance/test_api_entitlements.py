"""/api/v1/entitlements: list, detail (logged), propose, decide, stop, decisions — same services and scoping as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ctxh.assistance.models import Entitlement
from ctxh.audit.models import AccessEntry
from tests.api.conftest import JsonClient
from tests.assistance.factories import entitled

DECISION = {"number": "15/QĐ-UBND", "signed_on": "2025-08-05", "signer_name": "Nguyễn Văn Thành",
            "effective_on": "2025-08-01"}


@pytest.fixture
def api_as(db):
    def _as(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonClient(client)

    return _as


@pytest.fixture
def c1(geo):
    return {"lan": entitled(geo["c1"], name="Nguyễn Thị Lan"),
            "proposed": entitled(geo["c1"], name="Trần Văn Hòa", status="proposed"),
            "other": entitled(geo["c2"], name="Mai Văn Sáu")}


def test_it_lists_within_the_users_communes_with_filters(api_as, cast, c1):
    body = api_as(cast.collaborator).get("/entitlements").json()
    assert body["count"] == 2 and {i["person"]["full_name"] for i in body["items"]} == {"Nguyễn Thị Lan",
                                                                                        "Trần Văn Hòa"}
    body = api_as(cast.director).get("/entitlements", {"status": "active"}).json()
    assert body["count"] == 2
    item = next(i for i in body["items"] if i["person"]["full_name"] == "Nguyễn Thị Lan")
    assert item["coefficient"] == "1.50" or float(item["coefficient"]) == 1.5
    assert item["start_decision"]["number"] and item["commune"]["code"]
    assert api_as(cast.director).get("/entitlements", {"q": "hoa"}).json()["count"] == 1
    assert api_as(cast.director).get("/entitlements", {"status": "nope"}).status_code == 422


def test_the_detail_is_logged_and_shows_this_months_amount(api_as, cast, c1):
    response = api_as(cast.collaborator).get(f"/entitlements/{c1['lan'].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["monthly_amount"] == 750_000 and body["status"] == "active"
    assert AccessEntry.objects.filter(actor=cast.collaborator, object_id=str(c1["lan"].pk),
                                      object_type="assistance.entitlement").exists()


def test_propose_decide_stop(api_as, cast, disabled):
    r = api_as(cast.collaborator).post("/entitlements", {"person_id": disabled.pk, "group": "d20_5_7_severe_adult",
                                                         "on": "2025-08-01", "payment_method": "post"})
    assert r.status_code == 201, r.content
    ent_id = r.json()["id"]
    assert r.json()["status"] == "proposed" and r.json()["reasoning"]
    director = api_as(cast.director)
    assert director.post(f"/entitlements/{ent_id}/decide", {"approve": True}).status_code == 422
    r = director.post(f"/entitlements/{ent_id}/decide", {"approve": True, "decision": DECISION, "version": 1})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "active" and r.json()["start_decision"]["signer_title"] == "Chủ tịch UBND xã/phường"
    r = director.post(f"/entitlements/{ent_id}/decide", {"approve": True, "decision": DECISION})
    assert r.status_code == 422
    r = director.post(f"/entitlements/{ent_id}/stop", {"reason": "moved", "stop_on": "2025-10-15",
                                                       "decision": {**DECISION, "number": "16/QĐ-UBND",
                                                                    "signed_on": "2025-10-20"}, "version": 1})
    assert r.status_code == 409
    r = director.post(f"/entitlements/{ent_id}/stop", {"reason": "moved", "stop_on": "2025-10-15",
                                                       "decision": {**DECISION, "number": "16/QĐ-UBND",
                                                                    "signed_on": "2025-10-20"}})
    assert r.status_code == 200 and r.json()["stop_reason"] == "moved"
    decisions = director.get("/entitlements/decisions").json()
    assert {d["number"] for d in decisions["items"]} == {"15/QĐ-UBND", "16/QĐ-UBND"}


def test_propose_refuses_what_the_engine_does_not_pay_and_unknown_fields(api_as, cast, disabled):
    c = api_as(cast.collaborator)
    r = c.post("/entitlements", {"person_id": disabled.pk, "group": "d20_5_6c"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "group"
    assert c.post("/entitlements", {"person_id": disabled.pk, "group": "x", "coefficient": 9}).status_code == 422
    assert not Entitlement.objects.exists()


def test_confidentiality(api_as, cast, c1, disabled):
    lan = c1["lan"].pk
    assert api_as(None).get("/entitlements").status_code == 401
    assert api_as(None).get(f"/entitlements/{lan}").status_code == 401
    for who in ("outsider", "statistician", "facility", "counsellor"):
        c = api_as(cast[who])
        assert c.get("/entitlements").status_code == 403, who
        assert c.get(f"/entitlements/{lan}").status_code == 403, who
        assert c.get("/entitlements/decisions").status_code == 403, who
        assert c.post("/entitlements", {"person_id": disabled.pk, "group": "d20_5_7_severe_adult"}).status_code == 403
    for who in ("collaborator2", "far_worker"):
        c = api_as(cast[who])
        assert c.get(f"/entitlements/{lan}").status_code == 404, who
        assert "Nguyễn Thị Lan" not in c.get("/entitlements").content.decode()
        assert c.get("/entitlements/decisions").json()["count"] == (0 if who == "far_worker" else 1)
        r = c.post("/entitlements", {"person_id": disabled.pk, "group": "d20_5_7_severe_adult"})
        assert r.status_code in (403, 422), who
    assert api_as(cast.collaborator2).post(f"/entitlements/{c1['proposed'].pk}/decide",
                                          {"approve": False, "reason": "x"}).status_code == 403
    assert api_as(cast.far_worker).post(f"/entitlements/{lan}/stop", {
        "reason": "death", "stop_on": "2025-09-01", "decision": DECISION}).status_code == 403
    assert not AccessEntry.objects.filter(actor__in=[cast.collaborator2, cast.far_worker]).exists()
    assert dt.date  # noqa: B018
