"""/api/v1/residents: the same services and scoping as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.residential import services
from ctxh.residential.models import Admission, Reintegration
from tests.residential.conftest import fill

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _admit_body(person, facility, **extra):
    return {"person_id": person.pk, "facility_id": facility.pk, "kind": "state",
            "admitted_on": TODAY().isoformat(), "reason": "Không nơi nương tựa.", **extra}


def test_the_director_admits_and_reads_a_resident(api_as, cast, home, adult):
    api = api_as(cast.director)
    response = api.post("/residents", _admit_body(adult, home, decision_number="5/QĐ"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["full_name"] == "Đinh Văn Lâm" and body["facility"]["id"] == home.pk
    assert body["kind"] == "state" and body["discharged_on"] is None and body["reintegration"] is None
    detail = api.get(f"/residents/{body['id']}")
    assert detail.status_code == 200 and detail.json()["decision_number"] == "5/QĐ"
    assert AccessEntry.objects.filter(object_type="residential.admission", object_id=str(body["id"])).count() == 1


def test_a_full_facility_answers_422_with_the_reason(api_as, cast, home, geo, admit, adult):
    fill(home, 3, geo, admit)
    response = api_as(cast.director).post("/residents", _admit_body(adult, home))
    assert response.status_code == 422
    assert any(e["field"] == "facility" and "đủ chỗ" in e["message"] for e in response.json()["errors"])


def test_a_fee_on_state_care_answers_422(api_as, cast, home, adult):
    response = api_as(cast.director).post("/residents", _admit_body(adult, home, monthly_fee=2_000_000))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"monthly_fee"}


def test_unknown_fields_are_refused(api_as, cast, home, adult):
    response = api_as(cast.director).post("/residents", _admit_body(adult, home, fee=1))
    assert response.status_code == 422


def test_list_filters_by_facility_and_current(api_as, cast, home, other_home, adult, child, admit):
    a = admit(adult, home)
    admit(child, other_home)
    services.resident_discharge(actor=cast.director, admission=a, discharged_on=TODAY(), reason="left")
    api = api_as(cast.director)
    assert api.get("/residents").json()["count"] == 2
    body = api.get("/residents", {"facility": home.pk}).json()
    assert body["count"] == 1 and body["items"][0]["discharged_on"] == TODAY().isoformat()
    current = api.get("/residents", {"current": "true"}).json()
    assert [i["person"]["full_name"] for i in current["items"]] == ["Lò Thị Hoa"]
    assert api.get("/residents", {"current": "false"}).json()["count"] == 1


def test_discharge_with_reintegration_in_one_call(api_as, staff, home, child, admit):
    a = admit(child, home)
    api = api_as(staff)
    response = api.post(f"/residents/{a.pk}/discharge", {
        "discharged_on": TODAY().isoformat(), "reason": "returned_family", "version": a.version,
        "reintegration": {"commune": child.commune_id, "receiver_name": "Lò Văn Páo",
                          "receiver_relationship": "Bác ruột"}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["discharged_on"] == TODAY().isoformat() and body["version"] == 2
    assert body["reintegration"]["follow_up_until"] == services.add_months(TODAY(), 6).isoformat()
    response = api.post(f"/residents/{a.pk}/follow-ups", {"visited_on": TODAY().isoformat(), "situation": "stable"})
    assert response.status_code == 201 and response.json()["visited_by"]["id"] == staff.pk


def test_a_bad_reintegration_undoes_the_discharge(api_as, staff, home, child, admit):
    a = admit(child, home)
    response = api_as(staff).post(f"/residents/{a.pk}/discharge", {
        "discharged_on": TODAY().isoformat(), "reason": "returned_family",
        "reintegration": {"commune": child.commune_id, "receiver_name": ""}})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"reintegration.receiver_name"}
    assert Admission.objects.get(pk=a.pk).is_open and not Reintegration.objects.exists()


def test_a_stale_discharge_is_409(api_as, staff, home, adult, admit, cast):
    a = admit(adult, home)
    services.admission_update(actor=cast.director, admission=a, expected_version=1, data={"notes": "Mới"})
    response = api_as(staff).post(f"/residents/{a.pk}/discharge", {
        "discharged_on": TODAY().isoformat(), "reason": "left", "version": 1})
    assert response.status_code == 409 and response.json()["changes"]


def test_occupancy(api_as, cast, home, other_home, geo, admit, elder):
    fill(home, 2, geo, admit)
    admit(elder, home, kind="voluntary_paid", monthly_fee=5_000_000, payer_name="Con")
    rows = {r["facility"]["id"]: r for r in api_as(cast.director).get("/residents/occupancy").json()}
    assert rows[home.pk] == {"facility": {"id": home.pk, "name": home.name}, "capacity": 3, "occupied": 3,
                             "free": 0, "state": 2, "voluntary_paid": 1, "temporary": 0, "monthly_fees": 5_000_000,
                             "full": True, "near_full": False}
    assert rows[other_home.pk]["occupied"] == 0


def test_access(api_as, cast, home, adult, admit, other_staff):
    a = admit(adult, home)
    anonymous = api_as(None)
    assert anonymous.get("/residents").status_code == 401
    assert anonymous.get(f"/residents/{a.pk}").status_code == 401
    for who in ("outsider", "collaborator", "collaborator2", "statistician"):
        api = api_as(cast[who])
        assert api.get("/residents").status_code == 403, who
        assert api.get("/residents/occupancy").status_code == 403, who
        assert api.get(f"/residents/{a.pk}").status_code == 403, who
        assert api.post("/residents", _admit_body(adult, home)).status_code == 403, who
    for user in (other_staff, cast.far_worker):
        api = api_as(user)
        assert api.get(f"/residents/{a.pk}").status_code == 404
        assert api.get("/residents").json()["count"] == 0
        assert home.pk not in [r["facility"]["id"] for r in api.get("/residents/occupancy").json()]
        assert api.post(f"/residents/{a.pk}/discharge", {
            "discharged_on": TODAY().isoformat(), "reason": "left"}).status_code == 404
        assert api.post("/residents", _admit_body(adult, home)).status_code == 404
    caseworker = api_as(cast.caseworker)
    assert caseworker.get(f"/residents/{a.pk}").status_code == 200
    assert caseworker.post(f"/residents/{a.pk}/discharge", {
        "discharged_on": TODAY().isoformat(), "reason": "left"}).status_code == 403
    assert Admission.objects.get(pk=a.pk).is_open
    assert not AccessEntry.objects.exclude(actor=cast.caseworker).exists()


def test_follow_up_without_reintegration_is_422(api_as, cast, home, adult, admit):
    a = admit(adult, home, admitted_on=TODAY() - dt.timedelta(days=3))
    response = api_as(cast.director).post(f"/residents/{a.pk}/follow-ups", {
        "visited_on": TODAY().isoformat(), "situation": "stable"})
    assert response.status_code == 422
