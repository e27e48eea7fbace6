"""send_deadline_reminders: once when due soon, once when overdue; in-app and by e-mail."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.cases.models import CaseDeadline
from ctxh.cases.tasks import send_deadline_reminders
from tests.cases.conftest import frozen


def test_it_reminds_the_worker_and_the_director_once(cast, assigned_case):
    now = timezone.now()
    overdue = assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=13))
    soon = assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=2))
    later = assigned_case(serious_risk=True)
    CaseDeadline.objects.filter(case=later).update(due_at=now + dt.timedelta(days=3))
    Notification.objects.all().delete()

    result = send_deadline_reminders.enqueue()
    assert result.return_value == 4
    worker = Notification.objects.filter(user=cast.caseworker).order_by("case_id")
    assert [(n.case, n.verb) for n in worker] == [(overdue, "deadline.overdue"), (soon, "deadline.due_soon")]
    assert "quá hạn" in worker[0].message and overdue.number in worker[0].message
    assert Notification.objects.filter(user=cast.director).count() == 2
    assert not Notification.objects.filter(case=later).exists()

    send_deadline_reminders.enqueue()
    assert Notification.objects.count() == 4


def test_a_due_soon_deadline_is_reminded_again_when_overdue(cast, assigned_case):
    now = timezone.now()
    case = assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=2))
    Notification.objects.all().delete()
    send_deadline_reminders.enqueue()
    with frozen(now + dt.timedelta(hours=11)):
        send_deadline_reminders.enqueue()
    verbs = list(Notification.objects.filter(user=cast.caseworker, case=case).order_by("id")
                 .values_list("verb", flat=True))
    assert verbs == ["deadline.due_soon", "deadline.overdue"]


def test_done_deadlines_are_not_reminded(cast, assigned_case):
    case = assigned_case(serious_risk=True, reported_at=timezone.now() - dt.timedelta(hours=13))
    CaseDeadline.objects.filter(case=case).update(done_at=timezone.now())
    Notification.objects.all().delete()
    assert send_deadline_reminders.enqueue().return_value == 0


def test_it_emails_those_with_an_address(cast, assigned_case):
    cast.caseworker.email = "nv@ctxh.example"
    cast.caseworker.save()
    assigned_case(serious_risk=True, reported_at=timezone.now() - dt.timedelta(hours=13))
    mail.outbox.clear()
    send_deadline_reminders.enqueue()
    assert [m.to for m in mail.outbox] == [["nv@ctxh.example"]]
    assert "quá hạn" in mail.outbox[0].body
