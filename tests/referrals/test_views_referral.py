"""The referral page: history, moves with confirmation, links (issue, revoke), the letter; the list and its filters."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ctxh.audit.models import AccessEntry
from ctxh.referrals import services
from ctxh.referrals.models import Referral, ReferralLink, Status


def _detail(referral):
    return reverse("referrals:detail", kwargs={"pk": referral.pk})


def test_the_page_shows_the_referral_and_logs_the_reading(login, cast, case, refer):
    referral = refer()
    html = login(cast.caseworker).get(_detail(referral)).content.decode()
    for text in (referral.number, "Lò Thị Hoa", case.number, "Trung tâm Tư vấn Hoa Sen", "Đã gửi, chờ trả lời",
                 "Nhận chuyển gửi", "Từ chối", "Hủy chuyển gửi", "Đường dẫn trả lời một lần", "Còn hiệu lực",
                 "Có sự đồng ý chia sẻ thông tin"):
        assert text in html, text
    assert 'data-confirm="Xác nhận: Hủy chuyển gửi?"' in html
    assert AccessEntry.objects.filter(actor=cast.caseworker, object_type="referrals.referral",
                                      object_id=str(referral.pk), purpose="view").exists()


def test_a_move_from_the_page(login, cast, refer):
    referral = refer()
    client = login(cast.caseworker)
    response = client.post(reverse("referrals:act", kwargs={"pk": referral.pk}),
                           {"action": "accept", "text": "Đơn vị gọi điện nhận", "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    html = client.get(_detail(referral)).content.decode()
    assert "Đơn vị đã nhận" in html and "ghi nhận thay đơn vị" in html and "Đơn vị gọi điện nhận" in html


def test_a_refused_move_keeps_the_text_and_says_why(login, cast, refer):
    referral = refer()
    response = login(cast.caseworker).post(reverse("referrals:act", kwargs={"pk": referral.pk}),
                                           {"action": "complete", "text": "Đã xong", "version": referral.version})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Không thể “Báo hoàn thành”" in html
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_a_stale_version_shows_the_conflict_and_keeps_the_text(login, cast, refer):
    referral = refer()
    services.referral_accept(actor=cast.caseworker, referral=referral)
    response = login(cast.caseworker).post(reverse("referrals:act", kwargs={"pk": referral.pk}), {
        "action": "cancel", "text": "Lý do tôi đã gõ", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được cập nhật" in html and "Lý do tôi đã gõ" in html
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED


def test_issuing_and_revoking_links_from_the_page(login, cast, refer):
    referral = refer()
    client = login(cast.caseworker)
    response = client.post(reverse("referrals:link-issue", kwargs={"pk": referral.pk}))
    assert response["Location"] == reverse("referrals:link-issued", kwargs={"pk": referral.pk})
    assert "/referrals/r/" in client.get(response["Location"]).content.decode()
    links = list(ReferralLink.objects.filter(referral=referral).order_by("id"))
    assert [link.state for link in links] == ["revoked", "active"]
    client.post(reverse("referrals:link-revoke", kwargs={"pk": referral.pk, "link_id": links[1].pk}))
    assert ReferralLink.objects.get(pk=links[1].pk).state == "revoked"
    assert ReferralLink.objects.get(pk=links[1].pk).revoked_by == cast.caseworker


def test_the_letter_is_a_pdf_and_its_printing_is_logged(login, cast, refer):
    referral = refer()
    client = login(cast.caseworker)
    response = client.get(reverse("referrals:letter", kwargs={"pk": referral.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AccessEntry.objects.filter(actor=cast.caseworker, object_id=str(referral.pk), purpose="print").exists()


def test_the_letter_prints_the_link_only_with_its_token(cast, refer):
    from ctxh.referrals import pdf

    referral = refer()
    token = referral.issued_link.token
    _r, with_link = pdf.letter_html(user=cast.caseworker, pk=referral.pk, token=token, base_url="https://ctxh.vn/")
    assert f"https://ctxh.vn/referrals/r/{token}/" in with_link
    assert "GIẤY CHUYỂN GỬI" in with_link and "Lò Thị Hoa" in with_link and "Trung tâm Tư vấn Hoa Sen" in with_link
    _r, forged = pdf.letter_html(user=cast.caseworker, pk=referral.pk, token="gia-mao", base_url="https://ctxh.vn/")
    assert "/referrals/r/" not in forged


def test_the_list_filters_and_paginates(login, cast, refer):
    a = refer()
    b = services.referral_accept(actor=cast.caseworker, referral=refer())
    client = login(cast.caseworker)
    html = client.get(reverse("referrals:list")).content.decode()
    assert a.number in html and b.number in html
    accepted = client.get(reverse("referrals:list"), {"status": "accepted"}).content.decode()
    assert b.number in accepted and a.number not in accepted
    by_name = client.get(reverse("referrals:list"), {"q": "lo thi hoa"}).content.decode()
    assert a.number in by_name
    assert a.number in client.get(reverse("referrals:list"), {"q": a.number}).content.decode()
    partial = client.get(reverse("referrals:list"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and a.number in partial


def test_the_list_of_overdue_referrals(login, cast, refer):
    late = refer()
    refer()
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - dt.timedelta(days=12),
                                               due_on=timezone.localdate() - dt.timedelta(days=5))
    html = login(cast.caseworker).get(reverse("referrals:list"), {"state": "overdue"}).content.decode()
    assert late.number in html and html.count("Quá hạn trả lời") >= 2
    assert html.count("CG-") == 1


def test_the_list_page_size_is_25(login, cast, refer):
    for _ in range(26):
        refer()
    client = login(cast.caseworker)
    html = client.get(reverse("referrals:list")).content.decode()
    assert html.count('data-label="Số"') == 25 and "Trang 1/2" in html
    assert client.get(reverse("referrals:list"), {"page": 2}).content.decode().count('data-label="Số"') == 1


def test_an_invalid_move_form_shows_the_page_again_with_the_text(login, cast, refer):
    referral = refer()
    long_text = "Đơn vị từ chối vì " + "quá tải " * 600  # over the 4,000 characters a note may have
    response = login(cast.caseworker).post(reverse("referrals:act", kwargs={"pk": referral.pk}),
                                           {"action": "cancel", "text": long_text, "version": referral.version})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Đơn vị từ chối vì quá tải" in html and "4000" in html.replace(".", "")
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT
    bad = login(cast.caseworker).post(reverse("referrals:act", kwargs={"pk": referral.pk}),
                                      {"action": "explode", "text": "x", "version": referral.version})
    assert bad.status_code == 422 and "Thao tác không hợp lệ." in bad.content.decode()
