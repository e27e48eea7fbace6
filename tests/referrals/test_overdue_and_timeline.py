"""Unanswered referrals past their date show on the worker's page; answers show on the case timeline."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ctxh.referrals import services
from ctxh.referrals.models import Referral


def _overdue(referral, days=5):
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - dt.timedelta(days=days + 7),
                                                   due_on=timezone.localdate() - dt.timedelta(days=days))


def test_the_due_date_counts_working_days(cast, refer):
    from ctxh.core.calendar import add_working_days

    referral = refer()
    assert referral.due_on == timezone.localtime(add_working_days(referral.sent_at, 3)).date()


def _panel(client):
    """The worker's page, and the panel its slot loads (htmx, on load)."""
    page = client.get(reverse("cases:my")).content.decode()
    assert f'hx-get="{reverse("referrals:overdue-panel")}"' in page and 'hx-trigger="load"' in page
    return client.get(reverse("referrals:overdue-panel"), headers={"HX-Request": "true"}).content.decode()


def test_the_overdue_panel_shows_on_the_workers_page(login, cast, refer):
    late = refer()
    on_time = refer()
    _overdue(late)
    html = _panel(login(cast.caseworker))
    assert "Chuyển gửi quá hạn chưa được trả lời" in html
    assert late.number in html and on_time.number not in html
    assert reverse("referrals:detail", kwargs={"pk": late.pk}) in html


def test_the_panel_stays_away_when_nothing_is_overdue_or_it_was_answered(login, cast, refer):
    late = refer()
    _overdue(late)
    assert late.number in _panel(login(cast.caseworker))
    services.referral_accept(actor=cast.caseworker, referral=late)
    assert _panel(login(cast.caseworker)).strip() == ""


def test_the_panel_is_the_workers_own(login, cast, refer, caseworker2):
    late = refer()
    _overdue(late)
    # The counsellor who took the report is on the team too; an unassigned worker is not.
    assert late.number in _panel(login(cast.counsellor))
    assert late.number not in _panel(login(caseworker2))


def test_the_panel_is_for_those_who_refer(login, cast, client):
    assert login(cast.statistician).get(reverse("referrals:overdue-panel")).status_code == 403
    assert "overdue-panel" not in login(cast.statistician).get(reverse("home")).content.decode()


def test_the_case_timeline_shows_the_providers_acceptance_and_completion_through_links(login, cast, case, refer):
    referral = refer()
    anon = Client()
    token = referral.issued_link.token
    anon.get(reverse("referrals:link", kwargs={"token": token}))
    accepted = anon.post(reverse("referrals:link", kwargs={"token": token}), {"action": "accept"}).content.decode()
    progress = re.search(r"/referrals/r/([^/]+)/", re.search(r'id="next-link">([^<]+)<', accepted).group(1)).group(1)
    anon.post(reverse("referrals:link", kwargs={"token": progress}),
              {"action": "complete", "text": "Trẻ đã tham gia đủ 6 buổi tư vấn."})
    html = login(cast.caseworker).get(reverse("cases:detail", kwargs={"pk": case.pk}), {"tab": "timeline"}
                                      ).content.decode()
    assert html.count("Phản hồi chuyển gửi") == 2 and "Chuyển gửi đến đơn vị cung cấp dịch vụ" in html
    assert "Đã gửi, chờ trả lời → Đơn vị đã nhận" in html
    assert "Đơn vị đã nhận → Đã hoàn thành" in html
    assert "Kết quả: Trẻ đã tham gia đủ 6 buổi tư vấn." in html
    assert html.count("Trung tâm Tư vấn Hoa Sen (qua đường dẫn một lần)") == 2
    assert f"{referral.number} → Trung tâm Tư vấn Hoa Sen" in html
