"""case_open: the one way to open a case file."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.audit.models import AuditEntry
from ctxh.cases import services
from ctxh.cases.models import CaseEvent, CaseMember
from tests.factories import PersonFactory


def test_it_opens_at_the_first_step_with_a_yearly_number(cast, open_case):
    case = open_case()
    second = open_case("general")
    year = timezone.localdate().year
    assert case.number == f"HS-{year}-000001" and second.number == f"HS-{year}-000002"
    assert case.status == "intake" and second.status == "assessment"
    assert case.province_id == case.person.province_id and case.commune_id == case.person.commune_id


def test_it_puts_the_person_who_took_the_report_on_the_team(cast, open_case):
    case = open_case()
    member = CaseMember.objects.get(case=case)
    assert member.user == cast.counsellor and member.role == "intake" and member.ended_at is None


def test_it_records_the_opening_on_the_timeline_and_in_the_audit_log(cast, open_case):
    case = open_case(serious_risk=True)
    event = CaseEvent.objects.get(case=case)
    assert event.kind == "opened" and event.actor == cast.counsellor and event.data["serious_risk"] is True
    audit = AuditEntry.objects.get(action="case.opened")
    assert audit.object_id == str(case.pk) and audit.person_id == case.person_id


def test_it_tells_the_director_at_once(cast, open_case):
    case = open_case(serious_risk=True)
    note = Notification.objects.get(user=cast.director)
    assert note.case == case and case.number in note.message and "nghiêm trọng" in note.message
    assert not Notification.objects.filter(user=cast.counsellor).exists()


def test_it_refuses_roles_that_do_not_open_cases(cast, open_case):
    for user in (cast.statistician, cast.outsider, cast.admin):
        with pytest.raises(PermissionDenied):
            open_case(actor=user)


def test_it_refuses_a_collaborator_outside_their_commune(cast, open_case, geo):
    with pytest.raises(Http404):  # the person is not even visible to them
        open_case(actor=cast.collaborator2)
    other = PersonFactory(full_name="Vũ Văn Tâm", commune=geo["c2"])
    with pytest.raises(ValidationError) as exc:
        open_case(actor=cast.collaborator2, person=other, commune=geo["c1"])
    assert "commune" in exc.value.message_dict


def test_it_lets_a_collaborator_open_a_case_in_their_commune(cast, open_case):
    case = open_case(actor=cast.collaborator, source="collaborator")
    assert case.opened_by == cast.collaborator


def test_it_needs_a_summary_a_known_source_and_a_past_report_time(cast, open_case):
    with pytest.raises(ValidationError) as exc:
        open_case(summary="  ", source="pigeon", reported_at=timezone.now() + dt.timedelta(hours=2))
    assert set(exc.value.message_dict) == {"summary", "source", "reported_at"}


def test_it_gives_numbers_per_year(cast, open_case):
    from ctxh.cases.models import CaseCounter

    CaseCounter.objects.create(year=timezone.localdate().year, last=122)
    case = open_case()
    assert case.number.endswith("-000123")


def test_it_is_what_the_hotline_calls_with_its_arguments(cast, types, child):
    case = services.case_open(
        actor=cast.counsellor, case_type=types["elderly"], person=child, summary="Gọi từ tổng đài",
        source="call", reported_at=timezone.now(), serious_risk=False, commune=None, sealed=None)
    assert case.case_type.code == "elderly" and not case.sealed
