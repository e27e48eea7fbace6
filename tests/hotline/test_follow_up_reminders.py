"""The reminder task tells the counsellor when a planned call back is due, once."""

import datetime as dt

from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.hotline import services
from ctxh.hotline.models import Call
from ctxh.hotline.tasks import send_follow_up_reminders


def test_it_reminds_due_follow_ups_once_and_again_after_a_new_time(cast, make_call):
    due, later, done = make_call(summary="a"), make_call(summary="b"), make_call(summary="c")
    now = timezone.now()
    for call, hours in ((due, 1), (later, 5), (done, 1)):
        services.call_schedule_follow_up(actor=cast.counsellor, call=call, follow_up_at=now + dt.timedelta(hours=hours),
                                         note="Hỏi lại mẹ")
    services.call_follow_up_done(actor=cast.counsellor, call=done)
    Call.objects.filter(pk=due.pk).update(follow_up_at=now + dt.timedelta(minutes=5))

    assert send_follow_up_reminders.call() == 1
    note = Notification.objects.get(user=cast.counsellor)
    assert f"#{due.pk}" in note.message and "Hỏi lại mẹ" in note.message
    assert note.link == f"/hotline/calls/{due.pk}/" and note.verb == "call.follow_up_due"
    assert send_follow_up_reminders.call() == 0

    due.refresh_from_db()
    services.call_schedule_follow_up(actor=cast.counsellor, call=due, follow_up_at=timezone.now() + dt.timedelta(minutes=10))
    assert send_follow_up_reminders.call() == 1
