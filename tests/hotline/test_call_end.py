"""call_end: an ended call has an outcome, and unless nothing was said a summary and topics."""

import pytest
from django.core.exceptions import ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.hotline import services


def test_it_refuses_to_end_a_call_without_outcome_summary_or_topics(cast):
    call = services.call_start(actor=cast.counsellor)
    with pytest.raises(ValidationError) as exc:
        services.call_end(actor=cast.counsellor, call=call)
    assert "outcome" in exc.value.message_dict
    call = services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                              data={"outcome": "advice"})
    with pytest.raises(ValidationError) as exc:
        services.call_end(actor=cast.counsellor, call=call)
    assert {"summary", "topics"} <= set(exc.value.message_dict)
    call.refresh_from_db()
    assert call.is_open


def test_a_silent_call_ends_with_no_content(cast):
    call = services.call_start(actor=cast.counsellor)
    call = services.call_save(actor=cast.counsellor, call=call, expected_version=call.version,
                              data={"outcome": "no_content"})
    ended = services.call_end(actor=cast.counsellor, call=call)
    assert not ended.is_open and ended.duration is not None


def test_ending_records_the_time_clears_the_draft_and_frees_the_counsellor(cast, make_call):
    call = make_call(end=False)
    services.call_draft_save(actor=cast.counsellor, call=call, data={"summary": ["nháp"]})
    ended = services.call_end(actor=cast.counsellor, call=call)
    ended.refresh_from_db()
    assert ended.ended_at and ended.draft == {}
    entry = AuditEntry.objects.get(action="call.ended", object_id=str(call.pk))
    assert entry.changes["outcome"] == "advice" and entry.changes["duration_seconds"] >= 0
    assert services.call_start(actor=cast.counsellor).pk != call.pk


def test_an_ended_call_cannot_lose_its_summary(cast, make_call):
    call = make_call()
    with pytest.raises(ValidationError) as exc:
        services.call_save(actor=cast.counsellor, call=call, expected_version=call.version, data={"summary": " "})
    assert "summary" in exc.value.message_dict


def test_it_cannot_end_twice(cast, make_call):
    call = make_call()
    with pytest.raises(ValidationError):
        services.call_end(actor=cast.counsellor, call=call)
