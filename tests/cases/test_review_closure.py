"""Assessment, review and closure: closure waits for a director; reopening is a recorded move."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ctxh.accounts.models import Notification
from ctxh.audit.models import AuditEntry
from ctxh.cases import services, workflow
from ctxh.cases.models import CaseEvent, Closure
from tests.cases.conftest import put_at


def test_an_assessment_records_needs_by_domain_and_the_risk(cast, assigned_case, need):
    case = put_at(assigned_case(), "detailed_assessment")
    a = services.assessment_record(
        actor=cast.caseworker, case=case, kind="detailed", summary="Gia đình thiếu khả năng bảo vệ",
        risk_level="high", expected_version=case.version, needs=[
            {"domain": need("psychological"), "description": "Sợ hãi, mất ngủ", "priority": 1},
            {"domain": need("education"), "description": "Nghỉ học 2 tuần", "priority": 2},
        ])
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert [n.domain.code for n in a.needs.all()] == ["psychological", "education"]
    assert CaseEvent.objects.filter(case=case, kind="assessment").exists()


def test_an_assessment_refuses_a_domain_twice_and_a_missing_priority(cast, assigned_case, need):
    case = assigned_case()
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(actor=cast.caseworker, case=case, kind="initial_risk", summary="x",
                                   risk_level="extreme", needs=[
                                       {"domain": need("health"), "description": "a", "priority": 1},
                                       {"domain": need("health"), "description": "b", "priority": None}])
    assert {"risk_level", "needs-1-domain", "needs-1-priority"} <= set(exc.value.message_dict)


def test_the_need_domains_are_the_eight_of_circular_01_2015(db):
    from ctxh.core.models import Term

    rows = Term.objects.filter(vocabulary="need_domain").order_by("position")
    assert [t.code for t in rows] == ["livelihood", "health", "education", "family", "life_skills", "community",
                                      "psychological", "other"]
    assert all("01/2015" in t.source for t in rows)


@pytest.mark.parametrize(("decision", "step"), [("continue", "implementation"), ("new_plan", "plan"),
                                                ("close", "closure")])
def test_a_review_decides_what_comes_next(cast, assigned_case, closure_reason, decision, step):
    case = put_at(assigned_case(), "review")
    services.review_record(actor=cast.caseworker, case=case, reviewed_on=timezone.localdate(),
                           summary="Trẻ đã đi học lại", risk_level="low", decision=decision,
                           closure_reason=closure_reason(), closure_outcome="An toàn, ổn định")
    case.refresh_from_db()
    assert case.status == step and case.risk_level == "low"
    assert case.reviews.get().decision == decision


def test_a_review_needs_the_review_step(cast, assigned_case):
    case = put_at(assigned_case(), "implementation")
    with pytest.raises(ValidationError) as exc:
        services.review_record(actor=cast.caseworker, case=case, reviewed_on=timezone.localdate(), summary="x",
                               risk_level="low", decision="continue")
    assert "Tổ chức thực hiện kế hoạch" in exc.value.messages[0]


def test_closure_is_requested_then_approved_by_a_director(cast, assigned_case, closure_reason):
    case = put_at(assigned_case(), "review")
    closure = services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(),
                                       outcome="Trẻ an toàn, gia đình ổn định")
    case.refresh_from_db()
    assert case.status == "closure" and case.closed_at is None
    assert Notification.objects.filter(user=cast.director, verb="case.closure_requested").exists()
    for user in (cast.caseworker, cast.collaborator, cast.counsellor):
        with pytest.raises(PermissionDenied):
            services.closure_approve(actor=user, closure=closure)
    with pytest.raises(PermissionDenied):
        workflow.transition(case, "approve_closure", cast.caseworker)
    closure = services.closure_approve(actor=cast.director, closure=closure)
    case.refresh_from_db()
    assert closure.status == "approved" and closure.approved_by == cast.director and closure.decided_at
    assert case.status == "closed" and case.closed_at is not None
    assert CaseEvent.objects.filter(case=case, kind="closure_approved").exists()


def test_a_refused_closure_goes_back_with_the_directors_reason(cast, assigned_case, closure_reason):
    case = put_at(assigned_case(), "review")
    closure = services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(), outcome="Ổn")
    with pytest.raises(ValidationError):
        services.closure_reject(actor=cast.director, closure=closure, reason="")
    services.closure_reject(actor=cast.director, closure=closure, reason="Chưa đủ 6 tháng theo dõi",
                            code="reject_closure_reassess")
    closure.refresh_from_db()
    case.refresh_from_db()
    assert closure.status == "rejected" and "6 tháng" in closure.decision_note
    assert case.status == "initial_assessment"


def test_only_one_closure_request_at_a_time(cast, assigned_case, closure_reason):
    case = put_at(assigned_case(), "review")
    services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(), outcome="Ổn")
    with pytest.raises(ValidationError):
        services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(), outcome="Ổn")
    assert Closure.objects.filter(case=case).count() == 1


def _closed(assigned_case, cast, closure_reason):
    case = put_at(assigned_case(), "review")
    closure = services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason(), outcome="Ổn")
    services.closure_approve(actor=cast.director, closure=closure)
    case.refresh_from_db()
    return case


def test_reopening_is_a_recorded_move_with_a_reason(cast, assigned_case, closure_reason):
    case = _closed(assigned_case, cast, closure_reason)
    with pytest.raises(ValidationError) as exc:
        services.case_reopen(actor=cast.director, case=case, reason="")
    assert "reason" in exc.value.message_dict
    reopened = services.case_reopen(actor=cast.director, case=case, reason="Trẻ lại bị bạo lực")
    assert reopened.status == "initial_assessment" and reopened.closed_at is None
    event = CaseEvent.objects.get(case=case, kind="reopened")
    assert event.actor == cast.director and event.data["reason"] == "Trẻ lại bị bạo lực"
    assert event.data["from"] == "closed"
    assert AuditEntry.objects.filter(action="case.reopen", object_id=str(case.pk)).exists()


def test_the_assigned_worker_may_reopen_but_not_another_member(cast, assigned_case, closure_reason):
    case = _closed(assigned_case, cast, closure_reason)
    services.case_assign(actor=cast.director, case=case, worker=cast.collaborator, role="co_worker")
    with pytest.raises(PermissionDenied):
        services.case_reopen(actor=cast.collaborator, case=case, reason="Gia đình báo tin mới")
    services.case_reopen(actor=cast.caseworker, case=case, reason="Gia đình báo tin mới")


def test_an_outsider_cannot_reopen(cast, assigned_case, closure_reason, caseworker2):
    case = _closed(assigned_case, cast, closure_reason)
    for user in (caseworker2, cast.collaborator2, cast.statistician, cast.outsider):
        with pytest.raises(Http404):
            services.case_reopen(actor=user, case=case, reason="lý do")


def test_a_closed_case_takes_no_new_assessment(cast, assigned_case, closure_reason):
    case = _closed(assigned_case, cast, closure_reason)
    with pytest.raises(ValidationError):
        services.assessment_record(actor=cast.caseworker, case=case, kind="reassessment", summary="x",
                                   risk_level="low", needs=[], assessed_on=timezone.localdate() - dt.timedelta(0))
