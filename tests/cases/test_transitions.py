"""The transition table: every legal move is made, every other move from every step is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ctxh.audit.models import AuditEntry
from ctxh.cases import services, workflow
from ctxh.cases.models import CaseEvent, CaseStep, CaseTransition, Closure
from ctxh.cases.reference import CASE_TYPES, step_codes, transition_table
from ctxh.core.models import Term
from tests.cases.conftest import plan_items, put_at

LEGAL = transition_table()
LEGAL_SET = {(t, frm, code) for t, frm, code, _to, _k in LEGAL}
CODES = {spec["code"]: sorted({row[2] for row in spec["transitions"]}) for spec in CASE_TYPES}
STEPS = [(spec["code"], step) for spec in CASE_TYPES for step in step_codes(spec["code"])]


def test_the_table_in_the_database_is_the_reference_table(types):
    rows = set(CaseTransition.objects.values_list("case_type__code", "from_step__code", "code", "to_step__code",
                                                  "kind"))
    assert rows == set(LEGAL)


def _prepare(case, kind, cast):
    """Meet what a move of this kind needs; return who makes it and with what reason."""
    if kind == "approve_plan":
        plan = services.plan_save(actor=cast.caseworker, case=case, goals="An toàn tại nhà",
                                  items=plan_items(cast.caseworker))
        services.plan_submit(actor=cast.caseworker, plan=plan)
        return cast.director, ""
    if kind in ("approve_closure", "reject_closure"):
        Closure.objects.create(case=case, reason=Term.objects.get(vocabulary="case_closure_reason", code="goals_met"),
                               outcome="Ổn định", requested_by=cast.caseworker, requested_at=timezone.now())
        return cast.director, "Cần theo dõi thêm một tháng"
    if kind == "reopen":
        return cast.director, "Trẻ lại bị bạo lực, hàng xóm báo tin"
    return cast.caseworker, ""


@pytest.mark.parametrize(("type_code", "frm", "code", "to", "kind"), LEGAL,
                         ids=[f"{t}:{f}-{c}" for t, f, c, _to, _k in LEGAL])
def test_it_makes_every_legal_move(cast, assigned_case, type_code, frm, code, to, kind):
    case = put_at(assigned_case(type_code), frm)
    version = case.version
    if kind == "request_closure":
        reason = Term.objects.get(vocabulary="case_closure_reason", code="no_contact")
        services.closure_request(actor=cast.caseworker, case=case, reason=reason, outcome="Không liên lạc được")
    else:
        actor, reason = _prepare(case, kind, cast)
        workflow.transition(case, code, actor, reason=reason)
    case.refresh_from_db()
    assert case.status == to
    assert case.version == version + 1
    assert (case.closed_at is not None) == (to == "closed")
    event = CaseEvent.objects.filter(case=case, data__transition=code).get()
    assert event.data["from"] == frm and event.data["to"] == to
    assert AuditEntry.objects.filter(object_id=str(case.pk), changes__transition=code).exists()


@pytest.mark.parametrize(("type_code", "step"), STEPS, ids=[f"{t}:{s}" for t, s in STEPS])
def test_it_refuses_every_other_move_from_every_step(cast, assigned_case, type_code, step):
    case = put_at(assigned_case(type_code), step)
    step_name = CaseStep.objects.get(case_type=case.case_type, code=step).name
    allowed = [t.name for t in workflow.transitions_from(case)]
    illegal = [code for code in CODES[type_code] + ["fly_to_the_moon"] if (type_code, step, code) not in LEGAL_SET]
    assert illegal
    for code in illegal:
        # The director may do everything the table allows, so the refusal is the table's.
        with pytest.raises(ValidationError) as exc:
            workflow.transition(case, code, cast.director, reason="lý do đủ dài để không bị từ chối")
        message = exc.value.messages[0]
        assert exc.value.code == "illegal_transition"
        assert f"“{step_name}”" in message
        assert all(f"“{name}”" in message for name in allowed)
        case.refresh_from_db()
        assert case.status == step


def test_it_names_the_step_and_the_allowed_moves_in_vietnamese(cast, assigned_case):
    case = assigned_case()
    with pytest.raises(ValidationError) as exc:
        workflow.transition(case, "approve_closure", cast.director)
    assert exc.value.messages[0] == (
        "Không thể “Phê duyệt đóng hồ sơ” khi hồ sơ đang ở bước “Tiếp nhận thông tin, thông báo”. "
        "Các thao tác được phép ở bước này: “Bắt đầu đánh giá nguy cơ ban đầu”, “Đề nghị đóng hồ sơ”.")


def test_it_refuses_a_closure_request_without_its_reason_and_outcome(cast, assigned_case):
    case = assigned_case()
    with pytest.raises(ValidationError) as exc:
        workflow.transition(case, "request_closure", cast.caseworker)
    assert "lý do và kết quả" in exc.value.messages[0]


def test_it_refuses_to_approve_a_plan_that_was_not_submitted(cast, assigned_case):
    case = put_at(assigned_case(), "plan")
    with pytest.raises(ValidationError) as exc:
        workflow.transition(case, "approve_plan", cast.director)
    assert "Chưa có kế hoạch" in exc.value.messages[0]


def test_only_the_team_or_a_director_moves_a_case(cast, assigned_case, caseworker2):
    from django.http import Http404

    case = assigned_case()
    with pytest.raises(Http404):
        workflow.transition(case, "start_initial_assessment", caseworker2)
    with pytest.raises(PermissionDenied):  # on the team (took the call) but does not work cases
        workflow.transition(case, "start_initial_assessment", cast.counsellor)
    with pytest.raises(PermissionDenied):  # sees the commune's cases but is not on this team
        workflow.transition(case, "start_initial_assessment", cast.collaborator)
    workflow.transition(case, "start_initial_assessment", cast.director)


def test_allowed_transitions_lists_what_this_user_may_do_now(cast, assigned_case):
    case = put_at(assigned_case(), "plan")
    assert [t.code for t in workflow.allowed_transitions(case, cast.caseworker)] == ["request_closure"]
    assert [t.code for t in workflow.allowed_transitions(case, cast.director)] == ["request_closure"]
    plan = services.plan_save(actor=cast.caseworker, case=case, goals="An toàn", items=plan_items(cast.caseworker))
    services.plan_submit(actor=cast.caseworker, plan=plan)
    assert [t.code for t in workflow.allowed_transitions(case, cast.director)] == ["approve_plan", "request_closure"]
    assert "approve_plan" not in [t.code for t in workflow.allowed_transitions(case, cast.caseworker)]
