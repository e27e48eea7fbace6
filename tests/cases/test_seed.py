"""The synthetic cases and calls (``ctxh manage seed --cases --calls``) look like work the engine did."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from ctxh.cases.models import (
    Case,
    CaseCounter,
    CaseDeadline,
    CaseEvent,
    CaseMember,
    CaseStep,
    CaseTransition,
    Closure,
    Plan,
    StepKind,
)
from ctxh.cases.seed import seed_cases
from ctxh.people.seed import seed_people

PROVINCE = 22
TODAY = dt.date(2026, 6, 15)
CASES = 400


@pytest.fixture
def people(geo):
    return seed_people(province_code=PROVINCE, persons=800, random_seed=5, today=TODAY)


@pytest.fixture
def seeded(people):
    return seed_cases(province_code=PROVINCE, cases=CASES, random_seed=3, today=TODAY, worker_open_cases=20)


def test_it_makes_the_cases_asked_each_with_one_worker_in_charge(seeded):
    assert Case.objects.count() == CASES == seeded.cases
    assert 0 < seeded.open_cases == Case.objects.filter(closed_at__isnull=True).count() < CASES / 2
    leads = CaseMember.objects.filter(role="lead", ended_at__isnull=True)
    assert leads.count() == CASES
    assert not Case.objects.annotate(n=Count("members", filter=Q(members__role="lead", members__ended_at=None))) \
        .exclude(n=1).exists()
    for case_id, user_id in leads.values_list("case_id", "user_id"):
        assert Case.objects.get(pk=case_id).assigned_to_id == user_id
    numbers = list(Case.objects.values_list("number", flat=True))
    assert all(re.fullmatch(r"HS-20\d\d-\d{6}", n) for n in numbers)
    assert len(set(numbers)) == CASES
    # The services continue the numbering after the seeded cases.
    year = TODAY.year
    assert CaseCounter.objects.get(year=year).last == Case.objects.filter(number__startswith=f"HS-{year}-").count()


def test_it_mixes_types_and_seals_violence_and_some_abuse_cases(seeded):
    by_type = dict(Case.objects.values_list("case_type__code").annotate(n=Count("id")))
    assert set(by_type) == {"child_protection", "facility_commune", "gbv", "elderly", "mental_health", "general"}
    assert max(by_type, key=by_type.get) == "child_protection"
    assert not Case.objects.filter(case_type__code="gbv", sealed=False).exists()
    assert Case.objects.filter(case_type__code="child_protection", sealed=True).exists()
    assert 0.10 < Case.objects.filter(sealed=True).count() / CASES < 0.30


def test_it_leaves_each_case_at_a_step_of_its_type_reached_by_legal_moves(seeded):
    steps = {(s.case_type_id, s.code): s for s in CaseStep.objects.all()}
    moves = set(CaseTransition.objects.values_list("case_type_id", "from_step__code", "code", "to_step__code"))
    for case in Case.objects.all():
        step = steps[(case.case_type_id, case.status)]
        assert (step.kind == StepKind.CLOSED) == (case.closed_at is not None)
        assert case.reported_at <= case.created_at
        trail = case.events.filter(data__has_key="transition").order_by("at", "id")
        here = CaseStep.objects.filter(case_type_id=case.case_type_id).order_by("position").first().code
        for event in trail:
            assert (case.case_type_id, event.data["from"], event.data["transition"], event.data["to"]) in moves
            assert event.data["from"] == here
            here = event.data["to"]
        assert here == case.status
    assert CaseEvent.objects.filter(kind="opened").count() == CASES
    # A plan for every case that reached the plan step; a closure request for every closed case.
    assert not Case.objects.filter(closed_at__isnull=False).exclude(
        pk__in=Closure.objects.filter(status="approved").values("case_id")).exists()
    assert not Case.objects.filter(status="implementation").exclude(
        pk__in=Plan.objects.filter(status="approved").values("case_id")).exists()


def test_it_runs_the_clocks_the_engine_would(seeded):
    from ctxh.core.calendar import deadline_due

    deadlines = list(CaseDeadline.objects.select_related("case", "case__case_type"))
    assert deadlines
    assert {d.case.case_type.code for d in deadlines} == {"child_protection"}  # Circular 02 sets none
    assert any(d.done_at and d.done_at > d.due_at for d in deadlines)  # some done late
    for d in deadlines:
        assert d.due_at == deadline_due(rule_key=d.rule_key, start=d.started_at)
        assert d.due_at > d.started_at
        if d.rule_key == "case.cp.emergency_action":
            assert d.case.serious_risk
            assert d.started_at == d.case.reported_at
            assert d.due_at - d.started_at == dt.timedelta(hours=12)
        if d.done_at is None:
            assert d.case.closed_at is None
            assert d.case.status == d.step.code or d.rule_key == "case.cp.emergency_action"
        else:
            assert d.done_at >= d.started_at
        if d.cancelled:
            assert d.done_at == d.case.closed_at
    assert not CaseDeadline.objects.filter(done_at__isnull=True, case__closed_at__isnull=False).exists()
    # A child protection case at the plan step has its plan clock running (drafting, then approval).
    for case in Case.objects.filter(case_type__code="child_protection", status="plan"):
        assert case.deadlines.filter(done_at__isnull=True, step__code="plan").count() == 1


def test_it_gives_the_first_worker_exactly_the_open_caseload_asked(seeded):
    from ctxh.accounts.models import User
    from ctxh.cases.selectors import my_cases

    worker = User.objects.get(username=seeded.bench_worker)
    assert seeded.bench_worker_open == 20
    assert my_cases(worker).count() == 20
    assert CaseMember.objects.filter(user=worker, ended_at__isnull=True, case__closed_at__isnull=True,
                                     role="lead").count() == 20
    assert CaseMember.objects.filter(user=worker, case__closed_at__isnull=False).exists()
    # A second run adds cases but none to a worker who already has the load.
    again = seed_cases(province_code=PROVINCE, cases=100, random_seed=3, today=TODAY, worker_open_cases=20)
    assert again.bench_worker_open == 20
    assert Case.objects.count() == CASES + 100


def test_it_is_reproducible_from_the_random_seed(people):
    def snapshot():
        return list(Case.objects.order_by("number").values_list(
            "number", "case_type__code", "status", "sealed", "person_id", "reported_at", "assigned_to__username"))

    seed_cases(province_code=PROVINCE, cases=60, random_seed=9, today=TODAY)
    first = snapshot()
    members = CaseMember.objects.count()
    Case.objects.all().delete()
    CaseCounter.objects.all().delete()
    seed_cases(province_code=PROVINCE, cases=60, random_seed=9, today=TODAY)
    assert snapshot() == first
    assert CaseMember.objects.count() == members


def test_the_services_accept_the_seeded_cases(seeded):
    from django.http import Http404

    from ctxh.accounts.models import User
    from ctxh.cases import workflow
    from ctxh.cases.selectors import case_get

    director = User.objects.get(username="s3-lanhdao")
    case = Case.objects.filter(closed_at__isnull=True, status="implementation").first()
    lead = case.assigned_to
    moves = [t.code for t in workflow.allowed_transitions(case, lead)]
    assert "start_review" in moves
    moved = workflow.transition(case, "start_review", lead, expected_version=case.version)
    assert moved.status in ("review", "monitoring_review")
    sealed = Case.objects.filter(sealed=True).exclude(members__user__username="s3-tuvan01").first()
    assert case_get(user=director, pk=sealed.pk) == sealed
    with pytest.raises(Http404):
        case_get(user=User.objects.get(username="s3-tuvan01"), pk=sealed.pk)


def test_it_seeds_ended_calls_some_of_which_opened_the_cases(seeded):
    from ctxh.hotline.models import Call
    from ctxh.hotline.seed import seed_calls

    assert seed_calls(province_code=PROVINCE, calls=120, random_seed=3, today=TODAY) == 120
    assert Call.objects.count() == 120
    assert not Call.objects.filter(ended_at__isnull=True).exists()
    assert not Call.objects.filter(caller_anonymous=True, caller__isnull=False).exists()
    opened = Call.objects.filter(outcome="case_opened").select_related("case")
    assert opened.exists()
    for call in opened:
        assert call.case.source == "call"
        assert call.counsellor_id == call.case.opened_by_id
        assert call.started_at == call.case.reported_at
        assert list(call.call_subjects.values_list("person_id", flat=True)) == [call.case.person_id]
    assert Call.objects.filter(topics__isnull=False).distinct().count() > 100


def test_the_seed_command_makes_people_cases_and_calls(geo):
    out = io.StringIO()
    call_command("seed", province=PROVINCE, persons=300, cases=30, calls=10, random_seed=4, stdout=out)
    text = out.getvalue()
    assert "300 người" in text and "30 hồ sơ" in text and "10 cuộc gọi" in text
    assert Case.objects.count() == 30
    with pytest.raises(CommandError):
        call_command("seed", province=PROVINCE, stdout=out)
