"""Deadlines from rule rows and the working-day calendar; overdue and due-soon lists."""

import datetime as dt

import pytest
from django.utils import timezone

from ctxh.cases import selectors, services, workflow
from ctxh.cases.models import CaseDeadline
from ctxh.core.models import Rule
from tests.cases.conftest import frozen, local, plan_items, put_at


def test_the_deadline_rules_are_rows_with_their_source(db):
    rows = {r.key: r for r in Rule.objects.filter(key__startswith="case.cp.")}
    assert rows["case.cp.emergency_action"].value == {"hours": 12}
    assert rows["case.cp.plan_draft"].value == {"working_days": 5}
    assert rows["case.cp.plan_approval"].value == {"working_days": 2}
    assert all("56/2017" in r.source for r in rows.values())
    assert "28 khoản 1" in rows["case.cp.plan_draft"].source


def test_a_child_at_serious_risk_starts_the_12_hour_clock_from_the_report(cast, open_case):
    with frozen(local(2026, 3, 6, 20, 30)):
        case = open_case(serious_risk=True, reported_at=local(2026, 3, 6, 20, 0))  # a Friday evening
    d = CaseDeadline.objects.get(case=case)
    assert d.step.code == "initial_assessment" and d.rule_key == "case.cp.emergency_action"
    assert d.started_at == local(2026, 3, 6, 20, 0)
    assert d.due_at == local(2026, 3, 7, 8, 0)  # clock hours: the night and the Saturday count
    assert d.done_at is None


def test_no_clock_without_serious_risk_or_for_types_without_deadlines(cast, open_case):
    open_case()
    open_case("facility_commune", serious_risk=True)
    open_case("gbv", serious_risk=True)
    assert not CaseDeadline.objects.exists()


def test_the_emergency_deadline_is_done_when_the_initial_assessment_is(cast, assigned_case):
    with frozen(local(2026, 3, 6, 20, 30)):
        case = assigned_case(serious_risk=True, reported_at=local(2026, 3, 6, 20, 0))
    with frozen(local(2026, 3, 7, 6, 0)):
        workflow.transition(case, "start_initial_assessment", cast.caseworker)
        assert CaseDeadline.objects.get(case=case).done_at is None
        workflow.transition(case, "start_detailed_assessment", cast.caseworker)
    d = CaseDeadline.objects.get(case=case)
    assert d.done_at == local(2026, 3, 7, 6, 0) and d.done_at < d.due_at


def test_marking_serious_risk_later_starts_the_clock_from_the_report(cast, assigned_case):
    with frozen(local(2026, 3, 10, 9, 0)):
        case = assigned_case(reported_at=local(2026, 3, 10, 8, 0))
        services.case_update(actor=cast.caseworker, case=case, data={"serious_risk": True},
                             expected_version=case.version)
    assert CaseDeadline.objects.get(case=case).due_at == local(2026, 3, 10, 20, 0)


def _to_plan_at(case, cast, when):
    put_at(case, "detailed_assessment")
    with frozen(when):
        workflow.transition(case, "start_plan", cast.caseworker)
    return CaseDeadline.objects.get(case=case, rule_key="case.cp.plan_draft")


def test_the_plan_is_due_5_working_days_after_the_detailed_assessment_across_a_weekend(cast, assigned_case):
    with frozen(local(2026, 3, 12, 9, 0)):
        case = assigned_case()
    d = _to_plan_at(case, cast, local(2026, 3, 12, 10, 0))  # Thursday
    assert d.step.code == "plan"
    assert d.due_at == local(2026, 3, 19, 10, 0)  # Fri, Mon, Tue, Wed, Thu


def test_the_plan_deadline_skips_tet(cast, assigned_case):
    with frozen(local(2026, 2, 12, 9, 0)):
        case = assigned_case()
    d = _to_plan_at(case, cast, local(2026, 2, 12, 10, 0))  # Thursday before Tết (14–22 February 2026)
    assert d.due_at == local(2026, 2, 26, 10, 0)  # Fri 13, Mon 23, Tue 24, Wed 25, Thu 26


def test_submitting_ends_the_drafting_clock_and_starts_the_2_day_approval_clock(cast, assigned_case):
    with frozen(local(2026, 3, 12, 9, 0)):
        case = assigned_case()
    _to_plan_at(case, cast, local(2026, 3, 12, 10, 0))
    with frozen(local(2026, 3, 13, 16, 0)):  # Friday afternoon
        plan = services.plan_save(actor=cast.caseworker, case=case, goals="An toàn",
                                  items=plan_items(cast.caseworker))
        services.plan_submit(actor=cast.caseworker, plan=plan)
    draft = CaseDeadline.objects.get(case=case, rule_key="case.cp.plan_draft")
    approval = CaseDeadline.objects.get(case=case, rule_key="case.cp.plan_approval")
    assert draft.done_at == local(2026, 3, 13, 16, 0)
    assert approval.due_at == local(2026, 3, 17, 16, 0) and approval.done_at is None  # Mon, Tue
    with frozen(local(2026, 3, 16, 8, 0)):
        services.plan_approve(actor=cast.director, plan=plan)
    approval.refresh_from_db()
    assert approval.done_at == local(2026, 3, 16, 8, 0)


def test_closing_the_case_stops_the_clocks_that_still_run(cast, assigned_case, closure_reason):
    case = assigned_case(serious_risk=True)
    services.closure_request(actor=cast.caseworker, case=case, reason=closure_reason("no_risk"),
                             outcome="Xác minh không có nguy cơ")
    closure = case.closures.get()
    services.closure_approve(actor=cast.director, closure=closure)
    d = CaseDeadline.objects.get(case=case)
    assert d.done_at is not None and d.cancelled


@pytest.fixture
def timed_cases(cast, assigned_case, open_case, geo):
    """One overdue, one due in 3 hours, one due in 3 days (assigned); one overdue and unassigned."""
    now = timezone.now()
    overdue = assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=13))
    soon = assigned_case(serious_risk=True, reported_at=now - dt.timedelta(hours=9))
    later = assigned_case(serious_risk=True)
    CaseDeadline.objects.filter(case=later).update(due_at=now + dt.timedelta(days=3))
    lone = open_case(serious_risk=True, reported_at=now - dt.timedelta(hours=20))
    return {"overdue": overdue, "soon": soon, "later": later, "lone": lone}


def test_overdue_and_due_soon_for_the_worker(cast, timed_cases):
    overdue = selectors.overdue_deadlines(user=cast.caseworker, mine=True)
    soon = selectors.due_soon_deadlines(user=cast.caseworker, mine=True)
    assert [d.case for d in overdue] == [timed_cases["overdue"]]
    assert [d.case for d in soon] == [timed_cases["soon"]]


def test_overdue_for_the_director_includes_unassigned_cases(cast, timed_cases):
    overdue = {d.case for d in selectors.overdue_deadlines(user=cast.director)}
    assert overdue == {timed_cases["overdue"], timed_cases["lone"]}


def test_others_see_no_deadline_of_cases_they_cannot_see(cast, timed_cases, caseworker2):
    for user in (caseworker2, cast.collaborator2, cast.statistician, cast.outsider, cast.far_worker):
        assert not selectors.deadline_list(user=user, state="open").exists()


def test_case_list_flags_overdue_cases(cast, timed_cases):
    rows = list(selectors.case_list(user=cast.director, overdue=True))
    assert set(rows) == {timed_cases["overdue"], timed_cases["lone"]}
    assert all(r.is_overdue for r in rows)
    first = selectors.case_list(user=cast.caseworker, sort="due")[0]
    assert first == timed_cases["overdue"] and first.next_due_at is not None
