"""Background work of case management (Django tasks API).

``send_deadline_reminders`` is meant to run every few minutes (a scheduler
enqueues it: ``send_deadline_reminders.enqueue()``); each deadline is reminded
once when it comes within the due-soon window and once more when it is overdue.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ctxh.accounts.models import Notification
from ctxh.cases import workflow
from ctxh.cases.models import CaseDeadline
from ctxh.cases.selectors import due_soon_window

log = logging.getLogger(__name__)


def _due_candidates(now: Any) -> Q:
    soon = now + due_soon_window()
    return Q(done_at__isnull=True) & (
        Q(reminded_at__isnull=True, due_at__gt=now, due_at__lte=soon)
        | Q(overdue_reminded_at__isnull=True, due_at__lte=now)
    )


@task()
def send_deadline_reminders() -> int:
    """Remind the worker in charge and the directors of deadlines due soon or overdue, once each.

    In-app notifications always; an e-mail too to those with an address when
    an e-mail backend is configured. Returns the number of notifications made.
    """
    now = timezone.now()
    made: list[Notification] = []
    with transaction.atomic():
        ids = list(
            CaseDeadline.objects.filter(_due_candidates(now))
            .select_for_update(skip_locked=True).values_list("pk", flat=True)
        )
        deadlines = (CaseDeadline.objects.filter(pk__in=ids)
                     .select_related("case", "case__assigned_to").order_by("due_at", "id"))
        directors: dict[tuple[int, int | None], list[Any]] = {}
        for d in deadlines:
            case = d.case
            key = (case.province_id, case.commune_id)
            if key not in directors:
                directors[key] = workflow.directors_of(case)
            overdue = d.due_at <= now
            due = timezone.localtime(d.due_at)
            if overdue:
                message = _("Hồ sơ %(number)s đã quá hạn: %(name)s (hạn %(due)s).")
            else:
                message = _("Hồ sơ %(number)s sắp đến hạn: %(name)s (hạn %(due)s).")
            message = message % {"number": case.number, "name": d.name, "due": f"{due:%d/%m/%Y %H:%M}"}
            recipients = [case.assigned_to] if case.assigned_to and case.assigned_to.is_active else []
            made += workflow.notify([*recipients, *directors[key]], case=case, message=message,
                                    verb="deadline.overdue" if overdue else "deadline.due_soon")
            d.reminded_at = d.reminded_at or now
            if overdue:
                d.overdue_reminded_at = now
            d.save(update_fields=["reminded_at", "overdue_reminded_at"])
    _send_mail(made)
    return len(made)


def _send_mail(notifications: list[Notification]) -> int:
    if not getattr(settings, "EMAIL_BACKEND", "") or not notifications:
        return 0
    messages = [
        EmailMessage(subject=_("[CTXH] Nhắc thời hạn hồ sơ"), body=f"{n.message}\n\n{n.link}", to=[n.user.email])
        for n in notifications if n.user.email
    ]
    if not messages:
        return 0
    try:
        return get_connection(fail_silently=False).send_messages(messages) or 0
    except Exception:  # the in-app notification is already there; e-mail is best effort
        log.exception("Deadline reminder e-mail failed")
        return 0
