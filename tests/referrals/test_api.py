"""/api/v1/referrals: the same services and scoping as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ctxh.referrals.models import Referral, ReferralLink, Status
from tests.referrals.conftest import token_of


def _body(case, provider, **extra):
    return {"case_id": case.pk, "provider_id": provider.pk, "reason": "Trẻ cần tư vấn tâm lý.", **extra}


def test_it_creates_a_referral_and_returns_the_link_once(api_as, cast, case, consent, provider, counselling):
    response = api_as(cast.caseworker).post("/referrals", _body(case, provider, services=["t_counselling"],
                                                                urgency="urgent"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "sent" and data["case_id"] == case.pk and data["services"] == ["t_counselling"]
    assert data["person"]["full_name"] == "Lò Thị Hoa" and data["consent_basis"] == "consent"
    url = data["issued_link"]["url"]
    assert url.startswith("http://testserver/referrals/r/")
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200
    again = api_as(cast.caseworker).get(f"/referrals/{data['id']}").json()
    assert again["issued_link"] is None and again["links"][0]["state"] == "active"


def test_without_consent_it_is_422_on_the_consent_field(api_as, cast, case, provider):
    response = api_as(cast.caseworker).post("/referrals", _body(case, provider))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["consent"]
    emergency = api_as(cast.caseworker).post("/referrals", _body(
        case, provider, emergency=True, emergency_reason="Trẻ bị đe dọa tính mạng ngay lúc này."))
    assert emergency.status_code == 201 and emergency.json()["consent_basis"] == "emergency"


def test_unknown_fields_services_and_providers_are_refused(api_as, cast, case, consent, provider):
    client = api_as(cast.caseworker)
    assert client.post("/referrals", {**_body(case, provider), "typo": 1}).status_code == 422
    bad = client.post("/referrals", _body(case, provider, services=["khong_co"])).json()
    assert bad["errors"][0]["field"] == "services"
    assert client.post("/referrals", {**_body(case, provider), "provider_id": 999999}).status_code == 422
    assert not Referral.objects.exists()


def test_moves_with_versions(api_as, cast, refer):
    referral = refer()
    client = api_as(cast.caseworker)
    accepted = client.post(f"/referrals/{referral.pk}/accept", {"version": 1})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    stale = client.post(f"/referrals/{referral.pk}/cancel", {"version": 1, "text": "Nhầm"})
    assert stale.status_code == 409 and "vừa được cập nhật" in stale.json()["detail"]
    illegal = client.post(f"/referrals/{referral.pk}/decline", {"version": 2, "text": "Hết chỗ"})
    assert illegal.status_code == 422
    no_text = client.post(f"/referrals/{referral.pk}/complete", {"version": 2})
    assert no_text.status_code == 422 and no_text.json()["errors"][0]["field"] == "feedback"
    done = client.post(f"/referrals/{referral.pk}/complete", {"version": 2, "text": "Đã xong 4 buổi"})
    assert done.json()["status"] == "completed" and done.json()["provider_feedback"] == "Đã xong 4 buổi"


def test_list_filters_by_status_and_overdue(api_as, cast, refer):
    a = refer()
    b = refer()
    Referral.objects.filter(pk=a.pk).update(sent_at=timezone.now() - dt.timedelta(days=12),
                                            due_on=timezone.localdate() - dt.timedelta(days=4))
    client = api_as(cast.caseworker)
    assert client.get("/referrals").json()["count"] == 2
    overdue = client.get("/referrals", {"overdue": "true"}).json()
    assert [r["id"] for r in overdue["items"]] == [a.pk] and overdue["items"][0]["overdue"] is True
    assert [r["id"] for r in client.get("/referrals", {"overdue": "false"}).json()["items"]] == [b.pk]
    assert client.get("/referrals", {"status": "accepted"}).json()["count"] == 0
    assert client.get("/referrals", {"status": "nonsense"}).status_code == 422


def test_links_issue_and_revoke(api_as, cast, refer):
    referral = refer()
    client = api_as(cast.caseworker)
    issued = client.post(f"/referrals/{referral.pk}/links")
    assert issued.status_code == 201
    token = token_of(issued.json()["url"])
    assert Client().get(f"/referrals/r/{token}/").status_code == 200
    revoked = client.post(f"/referrals/{referral.pk}/links/{issued.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert Client().get(f"/referrals/r/{token}/").status_code == 410
    assert client.post(f"/referrals/{referral.pk}/links/{issued.json()['id']}/revoke").status_code == 422


def test_provider_staff_get_the_minimum(api_as, cast, refer, account_provider, provider_staff):
    referral = refer(provider=account_provider)
    client = api_as(provider_staff)
    data = client.get(f"/referrals/{referral.pk}").json()
    assert data["person"]["full_name"] == "Lò Thị Hoa" and data["person"]["id"] is None
    assert data["case_id"] is None and data["consent_basis"] is None and data["links"] == []
    assert [r["id"] for r in client.get("/referrals", {"inbox": "true"}).json()["items"]] == [referral.pk]
    assert client.post(f"/referrals/{referral.pk}/accept", {"version": 1}).json()["status"] == "accepted"
    assert client.post(f"/referrals/{referral.pk}/cancel", {"text": "x"}).status_code == 403
    assert client.post(f"/referrals/{referral.pk}/links").status_code == 403


def test_anonymous_callers_get_401(api_as, refer):
    referral = refer()
    client = api_as(None)
    assert client.get("/referrals").status_code == 401
    assert client.get(f"/referrals/{referral.pk}").status_code == 401
    assert client.post(f"/referrals/{referral.pk}/accept", {}).status_code == 401


@pytest.mark.parametrize("user", ["outsider", "statistician"])
def test_roles_without_referrals_get_403(api_as, cast, refer, provider, case, user):
    referral = refer()
    client = api_as(cast[user])
    assert client.get("/referrals").status_code == 403
    assert client.get(f"/referrals/{referral.pk}").status_code == 403
    assert client.post("/referrals", _body(case, provider)).status_code == 403
    for action in ("accept", "decline", "start", "complete", "cancel"):
        assert client.post(f"/referrals/{referral.pk}/{action}", {"text": "x"}).status_code == 403
    assert client.post(f"/referrals/{referral.pk}/links").status_code == 403


@pytest.mark.parametrize("user", ["collaborator2", "far_worker", "caseworker2"])
def test_others_get_404_and_an_empty_list(api_as, cast, refer, sealed_case, provider, case, caseworker2, user):
    from ctxh.referrals import services

    sealed = services.referral_create(actor=cast.caseworker, provider=provider, case=sealed_case,
                                      reason="Cần nơi tạm lánh an toàn.")
    client = api_as(caseworker2 if user == "caseworker2" else cast[user])
    for referral in (refer(), sealed):
        link = ReferralLink.objects.filter(referral=referral).first()
        assert client.get(f"/referrals/{referral.pk}").status_code == 404
        for action in ("accept", "decline", "start", "complete", "cancel"):
            assert client.post(f"/referrals/{referral.pk}/{action}", {"text": "x"}).status_code == 404
        assert client.post(f"/referrals/{referral.pk}/links").status_code == 404
        assert client.post(f"/referrals/{referral.pk}/links/{link.pk}/revoke").status_code == 404
        assert Referral.objects.get(pk=referral.pk).status == Status.SENT
    assert client.get("/referrals").json()["count"] == 0
    assert client.post("/referrals", _body(sealed_case, provider)).status_code == 404


def test_the_list_does_not_grow_in_queries_with_its_rows(api_as, cast, refer, django_assert_max_num_queries):
    for _ in range(3):
        refer()
    client = api_as(cast.caseworker)
    with django_assert_max_num_queries(30) as few:
        client.get("/referrals")
    for _ in range(6):
        refer()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/referrals")
