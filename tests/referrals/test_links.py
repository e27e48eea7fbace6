"""The one-time link: the provider without an account answers without logging in, and sees only that referral."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.cases.models import CaseEvent
from ctxh.referrals import selectors, services
from ctxh.referrals.models import Referral, ReferralLink, ReferralLinkUse, Status
from tests.factories import PersonFactory
from tests.referrals.conftest import token_of
from tests.referrals.factories import ConsentFactory


@pytest.fixture
def sent(refer):
    """A referral to the provider without an account, with its first link and token."""
    referral = refer()
    issued = referral.issued_link
    assert issued is not None
    return referral, issued.token


def _url(token, *, opened=True):
    """The link as the provider has it; ``opened`` is after pressing “Mở giấy chuyển gửi”."""
    url = reverse("referrals:link", kwargs={"token": token})
    return f"{url}?open=1" if opened else url


def _csrf_client():
    return Client(enforce_csrf_checks=True)


def _post(client, token, **data):
    client.get(_url(token))  # the page sets the CSRF cookie, as in a browser
    csrf = client.cookies["csrftoken"].value
    return client.post(_url(token), {"csrfmiddlewaretoken": csrf, **data})


def test_only_the_hash_of_the_token_is_stored(sent):
    referral, token = sent
    link = ReferralLink.objects.get(referral=referral)
    assert link.token_hash == selectors.token_hash(token) and token not in link.token_hash
    assert link.purpose == "respond" and link.is_active
    # 14 days (rule referral.link_valid_days).
    assert abs((link.expires_at - link.created_at) - dt.timedelta(days=14)) < dt.timedelta(seconds=5)
    assert AuditEntry.objects.get(action="referral.link_issued").changes["link"] == link.pk


def test_a_provider_with_an_account_gets_no_link(refer, account_provider):
    referral = refer(provider=account_provider)
    assert referral.issued_link is None and not referral.links.exists()


def test_a_link_fetched_for_a_chat_preview_names_no_one(sent):
    referral, token = sent
    response = Client().get(_url(token, opened=False))
    html = response.content.decode()
    assert response.status_code == 200 and referral.number in html and "Mở giấy chuyển gửi" in html
    for hidden in ("Lò Thị Hoa", "10 tuổi", "Trẻ cần tư vấn tâm lý", "Nhận chuyển gửi"):
        assert hidden not in html, hidden
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    assert not ReferralLinkUse.objects.exists()  # a preview is not an opening


def test_the_link_page_shows_the_minimum_and_nothing_else(cast, sent, geo, case):
    referral, token = sent
    # Another person of the same commune, with her own case and referral: never on this page.
    other = PersonFactory(full_name="Đặng Thị Nguyệt", commune=geo["c1"])
    ConsentFactory(person=other)
    response = Client().get(_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("Lò Thị Hoa", "10 tuổi", "Nữ", "Trẻ cần tư vấn tâm lý sau sự việc bạo lực.", "Caseworker",
                  referral.number, "Trung tâm Tư vấn Hoa Sen", "Nhận chuyển gửi", "Từ chối"):
        assert shown in html, shown
    for hidden in ("Đặng Thị Nguyệt", case.number, case.summary, "Đăng xuất", "Hồ sơ của tôi", "CCCD"):
        assert hidden not in html, hidden
    assert "<nav" not in html
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', html)
    assert all(h.startswith("tel:") for h in hrefs), hrefs
    # The token never leaves as a referrer to another site; the form's POST keeps its Origin (CSRF check).
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert ReferralLinkUse.objects.filter(link__referral=referral, action="view", outcome="ok").count() == 1


def test_accepting_through_the_link_consumes_it_and_gives_a_new_one(cast, sent, case):
    referral, token = sent
    client = _csrf_client()
    response = _post(client, token, action="accept", text="Mời gia đình đến sáng thứ Hai.")
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    assert "Đơn vị đã nhận" in html
    new_url = re.search(r'id="next-link">([^<]+)<', html).group(1)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.provider_note == "Mời gia đình đến sáng thứ Hai."
    first = ReferralLink.objects.get(token_hash=selectors.token_hash(token))
    assert first.used_at is not None and first.used_action == "accept"
    second = ReferralLink.objects.get(token_hash=selectors.token_hash(token_of(new_url)))
    assert second.purpose == "progress" and second.is_active and second.created_by is None
    event = CaseEvent.objects.filter(case=case, kind="referral_update").get()
    assert event.actor is None and event.data["by"] == "provider via link" and event.data["to"] == "accepted"
    entry = AuditEntry.objects.get(action="referral.accepted")
    assert entry.actor is None and entry.changes["via"] == "link"
    assert ReferralLinkUse.objects.filter(link=first, action="accept", outcome="ok").exists()


def test_a_used_link_is_refused(sent):
    referral, token = sent
    _post(_csrf_client(), token, action="accept")
    again = Client().get(_url(token))
    assert again.status_code == 410
    html = again.content.decode()
    assert "đã được dùng" in html and "1800 1769" in html and "Lò Thị Hoa" not in html
    assert again["Referrer-Policy"] == "no-referrer" and "noindex" in again["X-Robots-Tag"]
    refused = Client().post(_url(token), {"action": "decline", "text": "Đổi ý"})
    assert refused.status_code == 410
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED
    assert ReferralLinkUse.objects.filter(outcome="used").count() >= 2


def test_an_expired_link_is_refused(sent):
    referral, token = sent
    ReferralLink.objects.filter(referral=referral).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = Client().get(_url(token))
    assert response.status_code == 410 and "hết hạn" in response.content.decode()
    assert "Lò Thị Hoa" not in response.content.decode()
    assert Client().post(_url(token), {"action": "accept"}).status_code == 410
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_a_revoked_link_is_refused(cast, sent):
    referral, token = sent
    link = ReferralLink.objects.get(referral=referral)
    services.referral_link_revoke(actor=cast.caseworker, link=link)
    response = Client().get(_url(token))
    assert response.status_code == 410 and "thu hồi" in response.content.decode()
    assert Client().post(_url(token), {"action": "accept"}).status_code == 410
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_an_unknown_token_shows_the_refusal_page(db):
    response = Client().get(_url("khong-co-ma-nay"))
    assert response.status_code == 404 and "Không tìm thấy đường dẫn" in response.content.decode()
    assert response["Cache-Control"].startswith("no-store")
    # Guesses are not stored: an anonymous caller cannot grow the table.
    Client().post(_url("mot-ma-khac"), {"action": "accept"})
    assert not ReferralLinkUse.objects.exists()


def test_the_token_of_a_link_never_reaches_the_log(sent, caplog):
    import logging

    from ctxh.core.logging import RedactSecrets

    referral, token = sent
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Unprocessable Content: %s",
                               (_url(token),), None)
    assert RedactSecrets().filter(record)
    assert token not in record.getMessage() and "/referrals/r/…/" in record.getMessage()


def test_issuing_a_new_link_revokes_the_old_one(cast, sent):
    referral, token = sent
    issued = services.referral_link_issue(actor=cast.caseworker, referral=referral)
    assert Client().get(_url(token)).status_code == 410
    assert Client().get(_url(issued.token)).status_code == 200


def test_a_cancelled_referral_closes_its_links(cast, sent):
    referral, token = sent
    services.referral_cancel(actor=cast.caseworker, referral=referral, reason="Gia đình chuyển đi")
    assert Client().get(_url(token)).status_code == 410


def test_a_link_carries_only_its_own_moves(sent):
    referral, token = sent
    response = _post(_csrf_client(), token, action="complete", text="Xong")
    assert response.status_code == 422
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT
    assert ReferralLink.objects.get(referral=referral).used_at is None


def test_declining_needs_a_reason_and_keeps_the_link(sent):
    referral, token = sent
    response = _post(_csrf_client(), token, action="decline", text="")
    assert response.status_code == 422 and "lý do từ chối" in response.content.decode()
    assert ReferralLink.objects.get(referral=referral).used_at is None
    response = _post(_csrf_client(), token, action="decline", text="Đơn vị đã hết chỗ tháng này")
    assert response.status_code == 200 and "next-link" not in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Status.DECLINED


def test_a_post_without_the_csrf_token_is_refused(sent):
    referral, token = sent
    response = _csrf_client().post(_url(token), {"action": "accept"})
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_the_whole_loop_through_links(cast, sent, case):
    referral, token = sent
    accepted = _post(_csrf_client(), token, action="accept").content.decode()
    progress = token_of(re.search(r'id="next-link">([^<]+)<', accepted).group(1))
    page = Client().get(_url(progress)).content.decode()
    assert "Bắt đầu cung cấp dịch vụ" in page and "Báo hoàn thành" in page and "Nhận chuyển gửi" not in page
    started = _post(_csrf_client(), progress, action="start").content.decode()
    last = token_of(re.search(r'id="next-link">([^<]+)<', started).group(1))
    # Once started, the next link offers only what is left: completion.
    page = Client().get(_url(last)).content.decode()
    assert "Báo hoàn thành" in page and "Bắt đầu cung cấp dịch vụ" not in page
    done = _post(_csrf_client(), last, action="complete", text="Trẻ đã tham gia đủ 6 buổi, ổn định.")
    assert done.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED and referral.provider_feedback == "Trẻ đã tham gia đủ 6 buổi, ổn định."
    assert [e.data["to"] for e in CaseEvent.objects.filter(case=case, kind="referral_update").order_by("at", "id")] \
        == ["accepted", "in_progress", "completed"]
    assert not ReferralLink.objects.filter(referral=referral, used_at__isnull=True, revoked_at__isnull=True).exists()


def test_an_answer_recorded_by_the_centre_withdraws_the_answer_link(cast, sent):
    referral, token = sent
    services.referral_accept(actor=cast.caseworker, referral=referral, note="Đơn vị nhận lời qua điện thoại")
    link = ReferralLink.objects.get(referral=referral)
    assert link.state == "revoked" and link.revoked_by == cast.caseworker
    assert Client().get(_url(token)).status_code == 410
    # A progress link issued afterwards stays usable while the work goes on.
    issued = services.referral_link_issue(actor=cast.caseworker, referral=Referral.objects.get(pk=referral.pk))
    services.referral_start(actor=cast.caseworker, referral=Referral.objects.get(pk=referral.pk))
    assert Client().get(_url(issued.token)).status_code == 200
