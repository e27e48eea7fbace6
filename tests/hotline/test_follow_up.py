"""Follow-up calls: scheduling, marking done, and the counsellor's own queue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ctxh.hotline import selectors, services
from ctxh.hotline.models import Call


def test_it_schedules_a_follow_up_in_the_future_only(cast, make_call):
    call = make_call()
    when = timezone.now() + dt.timedelta(days=2)
    planned = services.call_schedule_follow_up(actor=cast.counsellor, call=call, follow_up_at=when,
                                               note="Hỏi lại kết quả xin trợ cấp")
    assert planned.follow_up_at == when and planned.follow_up_pending
    with pytest.raises(ValidationError):
        services.call_schedule_follow_up(actor=cast.counsellor, call=planned,
                                         follow_up_at=timezone.now() - dt.timedelta(hours=1))


def test_it_marks_a_follow_up_done_once(cast, make_call):
    call = make_call()
    services.call_schedule_follow_up(actor=cast.counsellor, call=call,
                                     follow_up_at=timezone.now() + dt.timedelta(hours=3))
    done = services.call_follow_up_done(actor=cast.counsellor, call=call)
    assert done.follow_up_done_at and not done.follow_up_pending
    with pytest.raises(ValidationError):
        services.call_follow_up_done(actor=cast.counsellor, call=call)


def test_the_queue_lists_my_pending_follow_ups_most_overdue_first(cast, make_call):
    now = timezone.now()
    later = make_call(summary="sau")
    soon = make_call(summary="sắp tới")
    overdue = make_call(summary="quá hẹn")
    done = make_call(summary="xong")
    someone_elses = make_call(counsellor=cast.caseworker, summary="của người khác")
    for call, delta in ((later, 3), (soon, 1), (done, 2), (someone_elses, 1), (overdue, 1)):
        services.call_schedule_follow_up(actor=call.counsellor, call=call, follow_up_at=now + dt.timedelta(hours=delta))
    services.call_follow_up_done(actor=cast.counsellor, call=done)
    # A follow-up falls due while waiting: move it into the past as time would.
    Call.objects.filter(pk=overdue.pk).update(follow_up_at=now - dt.timedelta(hours=5))
    queue = list(selectors.follow_up_queue(user=cast.counsellor))
    assert [c.pk for c in queue] == [overdue.pk, soon.pk, later.pk]
    assert queue[0].follow_up_overdue and not queue[1].follow_up_overdue
