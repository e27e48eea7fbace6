"""Background work of the hotline (Django tasks API).

``send_follow_up_reminders`` is meant to run every few minutes (a scheduler
enqueues it: ``send_follow_up_reminders.enqueue()``); each planned call back is
reminded once to the counsellor who planned it, shortly before it is due.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ctxh.accounts.models import Notification
from ctxh.hotline.models import Call


def remind_before() -> dt.timedelta:
    """How long before a follow-up its reminder goes out (a working habit, not a legal rule)."""
    return dt.timedelta(minutes=getattr(settings, "CTXH_FOLLOW_UP_REMIND_MINUTES", 15))


@task()
def send_follow_up_reminders() -> int:
    """Tell counsellors about their follow-ups due soon or overdue, once per planned time."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Call.objects.filter(follow_up_at__lte=now + remind_before(), follow_up_done_at__isnull=True,
                                follow_up_reminded_at__isnull=True)
            .select_for_update(skip_locked=True).values_list("pk", flat=True)
        )
        calls = list(Call.objects.filter(pk__in=ids).select_related("counsellor").order_by("follow_up_at", "id"))
        rows = []
        for call in calls:
            if not call.counsellor.is_active:
                continue
            due = timezone.localtime(call.follow_up_at)
            message = _("Đến giờ gọi lại cho cuộc gọi #%(id)s (hẹn %(due)s)%(note)s.") % {
                "id": call.pk, "due": f"{due:%H:%M %d/%m/%Y}",
                "note": f": {call.follow_up_note}" if call.follow_up_note else "",
            }
            rows.append(Notification(user=call.counsellor, verb="call.follow_up_due", message=message[:500],
                                     link=reverse("hotline:detail", args=[call.pk])))
        Notification.objects.bulk_create(rows)
        Call.objects.filter(pk__in=[c.pk for c in calls]).update(follow_up_reminded_at=now)
    return len(rows)
