"""A provider with a CTXH account: its staff see their inbox and answer logged in, seeing only the minimum."""

from __future__ import annotations

from django.urls import reverse

from ctxh.cases.models import CaseEvent
from ctxh.referrals.models import Referral, Status


def test_the_inbox_lists_only_referrals_to_the_staffs_provider(login, cast, refer, provider, account_provider,
                                                               provider_staff):
    mine = refer(provider=account_provider)
    other = refer(provider=provider)
    html = login(provider_staff).get(reverse("referrals:inbox")).content.decode()
    assert mine.number in html and other.number not in html
    assert login(provider_staff).get(reverse("referrals:detail", kwargs={"pk": other.pk})).status_code == 404


def test_the_staff_see_the_minimum_not_the_case(login, cast, case, refer, account_provider, provider_staff):
    referral = refer(provider=account_provider)
    html = login(provider_staff).get(reverse("referrals:detail", kwargs={"pk": referral.pk})).content.decode()
    assert "Lò Thị Hoa" in html and "10 tuổi" in html and "Trẻ cần tư vấn tâm lý" in html
    assert case.number not in html and case.summary not in html
    assert reverse("people:detail", args=[case.person_id]) not in html
    assert "Hủy chuyển gửi" not in html and "Đường dẫn trả lời một lần" not in html
    assert "Nhận chuyển gửi" in html and "Từ chối" in html
    # Their account reaches neither the case nor the person.
    assert login(provider_staff).get(reverse("cases:detail", kwargs={"pk": case.pk})).status_code in (403, 404)


def test_the_staff_answer_logged_in_and_the_case_timeline_shows_it(login, cast, case, refer, account_provider,
                                                                   provider_staff):
    referral = refer(provider=account_provider)
    client = login(provider_staff)
    url = reverse("referrals:act", kwargs={"pk": referral.pk})
    client.post(url, {"action": "accept", "version": 1})
    client.post(url, {"action": "start", "version": 2})
    client.post(url, {"action": "complete", "text": "Đã khám và điều trị xong", "version": 3})
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED and referral.provider_feedback == "Đã khám và điều trị xong"
    events = CaseEvent.objects.filter(case=case, kind="referral_update").order_by("at", "id")
    assert [(e.actor, e.data["by"]) for e in events] == [(provider_staff, "provider")] * 3


def test_the_staff_cannot_cancel(login, cast, refer, account_provider, provider_staff):
    referral = refer(provider=account_provider)
    response = login(provider_staff).post(reverse("referrals:act", kwargs={"pk": referral.pk}),
                                          {"action": "cancel", "text": "Không muốn", "version": 1})
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_the_staff_issue_no_links_but_may_print_the_letter(login, cast, refer, account_provider, provider_staff):
    referral = refer(provider=account_provider)
    client = login(provider_staff)
    assert client.post(reverse("referrals:link-issue", kwargs={"pk": referral.pk})).status_code == 403
    assert client.get(reverse("referrals:letter", kwargs={"pk": referral.pk})).status_code == 200


def test_the_inbox_is_for_provider_staff_only(login, cast):
    assert login(cast.caseworker).get(reverse("referrals:inbox")).status_code == 403
    assert login(cast.outsider).get(reverse("referrals:inbox")).status_code == 403


def test_the_referral_list_shows_a_case_number_only_to_those_who_may_open_the_case(login, cast, case, refer,
                                                                                   account_provider, provider_staff):
    referral = refer(provider=account_provider)
    staff_list = login(provider_staff).get(reverse("referrals:list"))
    assert staff_list.status_code == 200
    html = staff_list.content.decode()
    assert referral.number in html and case.number not in html
    assert case.number in login(cast.caseworker).get(reverse("referrals:list")).content.decode()
    assert referral.number in login(cast.caseworker).get(reverse("referrals:list")).content.decode()
