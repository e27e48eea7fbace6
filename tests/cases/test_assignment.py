"""Assignment and reassignment by the director, with history; the case team."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.accounts.models import Notification
from ctxh.cases import selectors, services
from ctxh.cases.models import CaseEvent, CaseMember


def test_the_director_assigns_a_worker_who_is_told(cast, open_case):
    case = open_case()
    member = services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
    case.refresh_from_db()
    assert case.assigned_to == cast.caseworker and member.role == "lead" and member.assigned_by == cast.director
    note = Notification.objects.get(user=cast.caseworker)
    assert note.verb == "case.assigned" and case.number in note.message and note.case == case
    assert note.link


def test_reassignment_ends_the_previous_assignment_and_keeps_the_history(cast, open_case, caseworker2):
    case = open_case()
    services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
    services.case_assign(actor=cast.director, case=case, worker=caseworker2)
    case.refresh_from_db()
    assert case.assigned_to == caseworker2
    history = selectors.case_team(user=cast.director, case=case, history=True)
    leads = [(m.user, m.ended_at is None) for m in history if m.role == "lead"]
    assert leads == [(caseworker2, True), (cast.caseworker, False)]
    ended = CaseMember.objects.get(case=case, user=cast.caseworker)
    assert ended.ended_by == cast.director and ended.end_reason
    assert Notification.objects.filter(user=cast.caseworker, verb="case.unassigned").exists()
    event = CaseEvent.objects.filter(case=case, kind="assigned").first()
    assert event.data["user"] == caseworker2.pk and event.data["previous"] == cast.caseworker.pk
    team = selectors.case_team(user=cast.director, case=case)
    assert {m.user for m in team} == {caseworker2, cast.counsellor}


def test_a_team_can_have_co_workers_and_a_supervisor(cast, open_case, caseworker2):
    case = open_case()
    services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
    services.case_assign(actor=cast.director, case=case, worker=caseworker2, role="supervisor")
    services.case_assign(actor=cast.director, case=case, worker=cast.collaborator, role="collaborator")
    roles = {m.user: m.role for m in selectors.case_team(user=cast.director, case=case)}
    assert roles == {cast.caseworker: "lead", caseworker2: "supervisor", cast.collaborator: "collaborator",
                     cast.counsellor: "intake"}
    member = CaseMember.objects.get(case=case, user=caseworker2, ended_at__isnull=True)
    services.case_member_end(actor=cast.director, member=member, reason="Chuyển công tác")
    assert caseworker2 not in {m.user for m in selectors.case_team(user=cast.director, case=case)}


def test_only_a_director_assigns(cast, open_case, caseworker2):
    case = open_case()
    for user in (cast.caseworker, cast.counsellor, cast.collaborator, cast.statistician, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.case_assign(actor=user, case=case, worker=caseworker2)


def test_the_worker_must_work_cases_in_the_cases_area(cast, open_case):
    case = open_case()
    for worker in (cast.statistician, cast.counsellor, cast.outsider):
        with pytest.raises(ValidationError) as exc:
            services.case_assign(actor=cast.director, case=case, worker=worker)
        assert "worker" in exc.value.message_dict
    for worker in (cast.far_worker, cast.collaborator2):
        with pytest.raises(ValidationError) as exc:
            services.case_assign(actor=cast.director, case=case, worker=worker)
        assert "địa bàn" in exc.value.message_dict["worker"][0]


def test_assigning_the_same_role_twice_is_refused(cast, open_case):
    case = open_case()
    services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
    with pytest.raises(ValidationError):
        services.case_assign(actor=cast.director, case=case, worker=cast.caseworker)
