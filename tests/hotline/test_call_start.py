"""call_start: a counsellor opens one call at a time; pressing "New call" again resumes it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.hotline import services
from ctxh.hotline.models import Call


def test_it_opens_a_call_scoped_to_the_counsellors_province_on_the_provincial_line(cast, geo):
    call = services.call_start(actor=cast.counsellor)
    assert call.is_open and call.counsellor == cast.counsellor
    assert call.province_id == geo["province"].pk and call.commune_id is None
    assert call.line.number == "1800 1769"
    assert AuditEntry.objects.filter(action="call.started", object_id=str(call.pk)).exists()


def test_it_resumes_the_call_in_progress_instead_of_opening_another(cast):
    first = services.call_start(actor=cast.counsellor)
    again = services.call_start(actor=cast.counsellor)
    assert again.pk == first.pk
    assert Call.objects.filter(counsellor=cast.counsellor).count() == 1


def test_it_refuses_a_second_call_when_asked_not_to_resume(cast):
    first = services.call_start(actor=cast.counsellor)
    with pytest.raises(ValidationError) as exc:
        services.call_start(actor=cast.counsellor, resume=False)
    assert f"#{first.pk}" in " ".join(exc.value.messages)


def test_it_refuses_a_start_in_the_future(cast):
    with pytest.raises(ValidationError):
        services.call_start(actor=cast.counsellor, started_at=timezone.now() + dt.timedelta(hours=1))


def test_a_walk_in_has_no_line(cast):
    call = services.call_start(actor=cast.counsellor, channel="walk_in")
    assert call.line is None


@pytest.mark.parametrize("user", ["statistician", "collaborator", "facility", "outsider", "admin"])
def test_it_refuses_those_who_do_not_take_calls(cast, user):
    with pytest.raises(PermissionDenied):
        services.call_start(actor=cast[user])
