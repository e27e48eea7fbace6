"""Every referral page refuses those who should not reach it: anonymous, outsiders, other places, unassigned workers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ctxh.referrals.models import Referral, ReferralLink, Status


@pytest.fixture
def world(cast, refer, sealed_case, provider):
    """A referral of the c1 case, and one of a sealed c1 case (each with an active link)."""
    from ctxh.referrals import services

    open_one = refer()
    sealed_one = services.referral_create(actor=cast.caseworker, provider=provider, case=sealed_case,
                                          reason="Cần nơi tạm lánh an toàn.")
    return {"open": open_one, "sealed": sealed_one}


def _gets(r):
    pk = r.pk
    return [reverse("referrals:detail", kwargs={"pk": pk}), reverse("referrals:letter", kwargs={"pk": pk}),
            reverse("referrals:link-issued", kwargs={"pk": pk}),
            reverse("referrals:new") + (f"?case={r.case_id}")]


def _posts(r):
    pk = r.pk
    link = ReferralLink.objects.filter(referral=r).first()
    return [
        (reverse("referrals:act", kwargs={"pk": pk}), {"action": "cancel", "text": "x", "version": r.version}),
        (reverse("referrals:act", kwargs={"pk": pk}), {"action": "accept", "version": r.version}),
        (reverse("referrals:link-issue", kwargs={"pk": pk}), {}),
        (reverse("referrals:link-revoke", kwargs={"pk": pk, "link_id": link.pk}), {}),
        (reverse("referrals:letter", kwargs={"pk": pk}), {"token": "x"}),
    ]


def _untouched(r):
    fresh = Referral.objects.get(pk=r.pk)
    return fresh.status == Status.SENT and fresh.version == r.version and ReferralLink.objects.filter(
        referral=r, revoked_at__isnull=True).count() == 1


def test_anonymous_users_are_sent_to_login(client, world):
    r = world["open"]
    for url in _gets(r) + [reverse("referrals:list"), reverse("referrals:inbox"),
                           reverse("referrals:provider-search"), reverse("referrals:overdue-panel")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url, data in _posts(r):
        assert client.post(url, data).status_code == 302, url
    assert _untouched(r)


@pytest.mark.parametrize("user", ["outsider", "statistician"])
def test_users_without_a_referral_role_get_403(login, cast, world, user):
    client = login(cast[user])
    r = world["open"]
    for url in _gets(r) + [reverse("referrals:list"), reverse("referrals:provider-search"),
                           reverse("referrals:overdue-panel")]:
        assert client.get(url).status_code == 403, url
    for url, data in _posts(r):
        assert client.post(url, data).status_code == 403, url
    assert _untouched(r)


@pytest.mark.parametrize("user", ["collaborator2", "far_worker", "caseworker2"])
def test_users_of_other_places_and_unassigned_workers_get_404(login, cast, world, caseworker2, user):
    client = login(caseworker2 if user == "caseworker2" else cast[user])
    Referral.objects.update(due_on=timezone.localdate() - dt.timedelta(days=3))  # overdue: on the panel if seen
    for key in ("open", "sealed"):
        r = world[key]
        for url in _gets(r):
            assert client.get(url).status_code == 404, (key, url)
        for url, data in _posts(r):
            assert client.post(url, data).status_code == 404, (key, url)
        assert _untouched(r)
        assert r.number not in client.get(reverse("referrals:list")).content.decode()
        assert r.number not in client.get(reverse("referrals:overdue-panel")).content.decode()


@pytest.mark.parametrize("user", ["collaborator", "facility"])
def test_the_communes_field_workers_see_the_open_case_but_not_the_sealed_one(login, cast, world, user):
    client = login(cast[user])
    assert client.get(reverse("referrals:detail", kwargs={"pk": world["open"].pk})).status_code == 200
    r = world["sealed"]
    for url in _gets(r):
        assert client.get(url).status_code == 404, url
    for url, data in _posts(r):
        assert client.post(url, data).status_code == 404, url
    listing = client.get(reverse("referrals:list")).content.decode()
    assert world["open"].number in listing and r.number not in listing


def test_the_team_and_the_director_see_the_sealed_referral(login, cast, world):
    for user in ("caseworker", "director", "counsellor"):
        response = login(cast[user]).get(reverse("referrals:detail", kwargs={"pk": world["sealed"].pk}))
        assert response.status_code == 200, user


def test_a_sealed_cases_people_are_not_offered_on_the_link_page_of_another(world):
    from django.test import Client

    from ctxh.referrals import services

    referral = world["open"]
    issued = services.referral_link_issue(actor=referral.referred_by, referral=referral)
    html = Client().get(reverse("referrals:link", kwargs={"token": issued.token}), {"open": "1"}).content.decode()
    assert referral.number in html and "Hà Thị Ngọc" not in html and "tạm lánh" not in html
