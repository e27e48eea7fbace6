"""The one engine that moves a case along its type's transition table.

Steps and transitions are rows (``CaseStep``, ``CaseTransition``) loaded from
``reference.py``; this module never names a step. What a move does besides
changing the step depends on the transition's ``kind`` (approve the submitted
plan, request/approve/refuse a closure, reopen), and which deadlines start
and stop depends on ``DeadlineTrigger`` rows.

Who may make a move:
- a transition with ``requires_capability`` (``case.approve``): a user with that
  capability who can see the case; if ``assignee_may``, also the worker in
  charge (reopening);
- any other transition: a user with ``case.work`` who is on the case team, or
  a director (``case.approve``) who can see the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.accounts.models import Membership, Notification, Role
from ctxh.audit.services import audit_record
from ctxh.cases.models import (
    Case,
    CaseDeadline,
    CaseEvent,
    CaseMember,
    CaseStep,
    CaseTransition,
    ClockEvent,
    Closure,
    DeadlineTrigger,
    Plan,
    StepKind,
    TransitionKind,
)
from ctxh.core.exceptions import ConflictError

EVENT_OF_KIND: dict[str, str] = {
    TransitionKind.MOVE: CaseEvent.Kind.TRANSITION,
    TransitionKind.APPROVE_PLAN: CaseEvent.Kind.PLAN_APPROVED,
    TransitionKind.REQUEST_CLOSURE: CaseEvent.Kind.CLOSURE_REQUESTED,
    TransitionKind.APPROVE_CLOSURE: CaseEvent.Kind.CLOSURE_APPROVED,
    TransitionKind.REJECT_CLOSURE: CaseEvent.Kind.CLOSURE_REJECTED,
    TransitionKind.REOPEN: CaseEvent.Kind.REOPENED,
}


# Steps -----------------------------------------------------------------------

def steps(case_type: Any) -> list[CaseStep]:
    """The type's steps in order (for a progress bar)."""
    return list(CaseStep.objects.filter(case_type=case_type).order_by("position"))


def first_step(case_type: Any) -> CaseStep:
    step = CaseStep.objects.filter(case_type=case_type).order_by("position").first()
    if step is None:
        raise ValidationError({"case_type": [_("Loại trường hợp này chưa có quy trình.")]})
    return step


def current_step(case: Case) -> CaseStep:
    return CaseStep.objects.get(case_type_id=case.case_type_id, code=case.status)


def is_team_member(user: Any, case: Case) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CaseMember.objects.filter(case=case, user=user, ended_at__isnull=True).exists()


def may_work(user: Any, case: Case) -> bool:
    """May change the case: ``case.work`` and on the team, or a director who sees it."""
    if access.can(user, "case.approve") and _sees(user, case):
        return True
    return access.can(user, "case.work") and is_team_member(user, case)


def require_worker(user: Any, case: Case) -> None:
    if not may_work(user, case):
        raise PermissionDenied(_("Chỉ nhóm phụ trách hồ sơ hoặc lãnh đạo mới được thực hiện thao tác này."))


def _sees(user: Any, case: Case) -> bool:
    from ctxh.cases.selectors import case_visible_q

    return Case.objects.filter(case_visible_q(user), pk=case.pk).exists()


def _may_perform(user: Any, case: Case, t: CaseTransition) -> bool:
    if t.requires_capability:
        if access.can(user, t.requires_capability) and _sees(user, case):
            return True
        return bool(t.assignee_may and case.assigned_to_id == user.pk and access.can(user, "case.work"))
    return may_work(user, case)


def _guard(case: Case, t: CaseTransition) -> str | None:
    """Why this move cannot be made now, or None."""
    if t.kind == TransitionKind.APPROVE_PLAN and not case.plans.filter(status=Plan.Status.SUBMITTED).exists():
        return _("Chưa có kế hoạch nào được trình để phê duyệt.")
    if t.kind in (TransitionKind.APPROVE_CLOSURE, TransitionKind.REJECT_CLOSURE) and not \
            case.closures.filter(status=Closure.Status.REQUESTED).exists():
        return _("Không có đề nghị đóng hồ sơ nào đang chờ phê duyệt.")
    if t.kind == TransitionKind.REQUEST_CLOSURE and not \
            case.closures.filter(status=Closure.Status.REQUESTED).exists():
        return _("Cần ghi lý do và kết quả khi đề nghị đóng hồ sơ.")
    return None


def transitions_from(case: Case) -> list[CaseTransition]:
    """Every move the table allows from the case's current step, whoever asks."""
    return list(
        CaseTransition.objects.filter(case_type_id=case.case_type_id, from_step__code=case.status)
        .select_related("from_step", "to_step").order_by("position", "code")
    )


def allowed_transitions(case: Case, user: Any) -> list[CaseTransition]:
    """The moves this user may make now (for the buttons of the case page).

    A closure request is listed although it needs its reason and outcome: the
    button leads to the form that gives them (``services.closure_request``);
    a move with ``requires_reason`` likewise asks for the reason.
    """
    return [
        t for t in transitions_from(case)
        if _may_perform(user, case, t) and (t.kind == TransitionKind.REQUEST_CLOSURE or _guard(case, t) is None)
    ]


def _refusal(case: Case, step: CaseStep, code: str) -> ValidationError:
    names = ", ".join(f"“{t.name}”" for t in transitions_from(case)) or _("không có")
    other = CaseTransition.objects.filter(case_type_id=case.case_type_id, code=code).first()
    return ValidationError(
        _("Không thể “%(move)s” khi hồ sơ đang ở bước “%(step)s”. Các thao tác được phép ở bước này: %(allowed)s.")
        % {"move": other.name if other else code, "step": step.name, "allowed": names},
        code="illegal_transition",
    )


# The engine --------------------------------------------------------------------

@transaction.atomic
def transition(
    case: Case, code: str, actor: Any, *, reason: str = "", expected_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> Case:
    """Move ``case`` by the transition ``code`` of its current step, or refuse with the reason.

    Raises ``ValidationError`` for a move the table does not allow from the
    current step (naming the step and the allowed moves) or whose conditions
    are not met, ``PermissionDenied`` when the actor may not make it,
    ``ConflictError`` when ``expected_version`` is stale, ``Http404`` when the
    actor cannot see the case.
    """
    from ctxh.cases.selectors import case_get

    case_get(user=actor, pk=case.pk)
    locked = Case.objects.select_for_update().select_related("case_type").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("Hồ sơ đã được người khác cập nhật sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi thử lại."),
            conflict_changes(locked, expected_version),
        )
    step = current_step(locked)
    t = (CaseTransition.objects.filter(case_type_id=locked.case_type_id, from_step=step, code=code)
         .select_related("from_step", "to_step").first())
    if t is None:
        raise _refusal(locked, step, code)
    if not _may_perform(actor, locked, t):
        if t.requires_capability == "case.approve":
            raise PermissionDenied(_("Chỉ lãnh đạo có quyền phê duyệt mới được “%(move)s”.") % {"move": t.name})
        raise PermissionDenied(
            _("Chỉ nhóm phụ trách hồ sơ hoặc lãnh đạo mới được “%(move)s”.") % {"move": t.name})
    reason = (reason or "").strip()
    if t.requires_reason and not reason:
        raise ValidationError({"reason": [_("Cần ghi lý do để “%(move)s”.") % {"move": t.name}]})
    blocked = _guard(locked, t)
    if blocked:
        raise ValidationError(
            _("Không thể “%(move)s”: %(why)s") % {"move": t.name, "why": blocked}, code="transition_blocked")
    return _apply(locked, t, actor, reason=reason, data=data or {})


def transition_by_kind(
    case: Case, kind: str, actor: Any, *, code: str | None = None, to_kind: str | None = None, **kwargs: Any,
) -> Case:
    """Make the move of ``kind`` (and target step kind) from the current step; services use this."""
    from ctxh.cases.selectors import case_get

    case = case_get(user=actor, pk=case.pk)  # fresh from the database, and 404 outside the user's cases
    qs = CaseTransition.objects.filter(case_type_id=case.case_type_id, from_step__code=case.status, kind=kind)
    if code:
        qs = qs.filter(code=code)
    if to_kind:
        qs = qs.filter(to_step__kind=to_kind)
    t = qs.order_by("position").first()
    if t is None:
        fallback = code or CaseTransition.objects.filter(case_type_id=case.case_type_id, kind=kind).values_list(
            "code", flat=True).first() or kind
        raise _refusal(case, current_step(case), fallback)
    return transition(case, t.code, actor, **kwargs)


def _apply(case: Case, t: CaseTransition, actor: Any, *, reason: str, data: dict[str, Any]) -> Case:
    now = timezone.now()
    old = case.status
    case.status = t.to_step.code
    case.version += 1
    if t.to_step.kind == StepKind.CLOSED:
        case.closed_at = now
    elif t.kind == TransitionKind.REOPEN:
        case.closed_at = None
    case.save(update_fields=["status", "version", "closed_at", "updated_at"])

    if t.kind == TransitionKind.APPROVE_PLAN:
        approve_submitted_plan(case, actor, now)
    elif t.kind == TransitionKind.APPROVE_CLOSURE:
        Closure.objects.filter(case=case, status=Closure.Status.REQUESTED).update(
            status=Closure.Status.APPROVED, approved_by=actor, decided_at=now, decision_note=reason)
    elif t.kind == TransitionKind.REJECT_CLOSURE:
        Closure.objects.filter(case=case, status=Closure.Status.REQUESTED).update(
            status=Closure.Status.REJECTED, approved_by=actor, decided_at=now, decision_note=reason)

    stop_clocks(case, ClockEvent.STEP_LEFT, step=t.from_step, at=now)
    start_clocks(case, ClockEvent.STEP_LEFT, step=t.from_step, at=now)
    stop_clocks(case, ClockEvent.STEP_ENTERED, step=t.to_step, at=now)
    start_clocks(case, ClockEvent.STEP_ENTERED, step=t.to_step, at=now)
    if t.to_step.kind == StepKind.CLOSED:
        stop_clocks(case, ClockEvent.CLOSED, at=now)
        CaseDeadline.objects.filter(case=case, done_at__isnull=True).update(done_at=now, cancelled=True)

    record_event(case, EVENT_OF_KIND[t.kind], actor, at=now, data={
        "transition": t.code, "name": t.name, "from": old, "from_name": t.from_step.name,
        "to": t.to_step.code, "to_name": t.to_step.name, **({"reason": reason} if reason else {}), **data,
    })
    audit_record(actor=actor, action=f"case.{t.kind}" if t.kind != TransitionKind.MOVE else "case.transition",
                 obj=case, changes={"status": [old, case.status], "transition": t.code,
                                    **({"reason": reason} if reason else {}), "_version": case.version})
    _notify_after(case, t, actor)
    return case


def _notify_after(case: Case, t: CaseTransition, actor: Any) -> None:
    if t.kind == TransitionKind.REQUEST_CLOSURE:
        notify(directors_of(case), verb="case.closure_requested", case=case,
               message=_("Hồ sơ %(number)s: đề nghị đóng hồ sơ, chờ phê duyệt.") % {"number": case.number},
               exclude=actor)
    elif t.kind in (TransitionKind.APPROVE_CLOSURE, TransitionKind.REJECT_CLOSURE, TransitionKind.APPROVE_PLAN):
        notify(team_of(case), verb=f"case.{t.kind}", case=case,
               message=_("Hồ sơ %(number)s: %(move)s.") % {"number": case.number, "move": t.name}, exclude=actor)
    elif t.kind == TransitionKind.REOPEN:
        notify([*directors_of(case), *team_of(case)], verb="case.reopened", case=case,
               message=_("Hồ sơ %(number)s đã được mở lại.") % {"number": case.number}, exclude=actor)


def approve_submitted_plan(case: Case, actor: Any, at: dt.datetime) -> Plan:
    """The submitted plan is in force from now; the one it replaces is kept, superseded."""
    plan = Plan.objects.select_for_update().get(case=case, status=Plan.Status.SUBMITTED)
    Plan.objects.filter(case=case, status=Plan.Status.APPROVED).update(status=Plan.Status.SUPERSEDED)
    plan.status = Plan.Status.APPROVED
    plan.approved_by = actor
    plan.approved_at = at
    plan.returned_reason = ""
    plan.save(update_fields=["status", "approved_by", "approved_at", "returned_reason"])
    stop_clocks(case, ClockEvent.PLAN_APPROVED, at=at)
    start_clocks(case, ClockEvent.PLAN_APPROVED, at=at)
    audit_record(actor=actor, action="plan.approved", obj=plan, person_id=case.person_id,
                 changes={"number": plan.number, "status": [Plan.Status.SUBMITTED, Plan.Status.APPROVED]})
    return plan


# Deadlines ---------------------------------------------------------------------

def start_clocks(case: Case, event: str, *, step: CaseStep | None = None, at: dt.datetime) -> list[CaseDeadline]:
    """Start the deadlines whose trigger starts on this event (once per trigger while it runs)."""
    from ctxh.core.calendar import WorkingCalendar, deadline_due

    triggers = DeadlineTrigger.objects.filter(case_type_id=case.case_type_id, start_event=event)
    triggers = triggers.filter(start_step=step) if step is not None else triggers.filter(start_step__isnull=True)
    created = []
    calendar = WorkingCalendar()
    for trig in triggers.select_related("step"):
        if trig.serious_risk_only and not case.serious_risk:
            continue
        if CaseDeadline.objects.filter(case=case, trigger=trig, done_at__isnull=True).exists():
            continue
        start = case.reported_at if event == ClockEvent.OPENED else at
        due = deadline_due(rule_key=trig.rule_key, start=start, calendar=calendar)
        created.append(CaseDeadline.objects.create(
            case=case, step=trig.step, trigger=trig, rule_key=trig.rule_key, name=trig.name,
            started_at=start, due_at=due))
    return created


def stop_clocks(case: Case, event: str, *, step: CaseStep | None = None, at: dt.datetime) -> int:
    """Mark done the running deadlines whose trigger stops on this event."""
    qs = CaseDeadline.objects.filter(case=case, done_at__isnull=True, trigger__stop_event=event)
    qs = qs.filter(trigger__stop_step=step) if step is not None else qs.filter(trigger__stop_step__isnull=True)
    return qs.update(done_at=at)


def recompute_opened_clocks(case: Case) -> None:
    """The report time changed: running deadlines counted from it move with it."""
    from ctxh.core.calendar import WorkingCalendar, deadline_due

    calendar = WorkingCalendar()
    for d in CaseDeadline.objects.filter(case=case, done_at__isnull=True, trigger__start_event=ClockEvent.OPENED):
        d.started_at = case.reported_at
        d.due_at = deadline_due(rule_key=d.rule_key, start=case.reported_at, calendar=calendar)
        d.reminded_at = d.overdue_reminded_at = None
        d.save(update_fields=["started_at", "due_at", "reminded_at", "overdue_reminded_at"])


# Timeline, notifications, conflicts ---------------------------------------------

def record_event(
    case: Case, kind: str, actor: Any, *, at: dt.datetime | None = None, data: dict[str, Any] | None = None,
    team_only: bool = False, note: Any = None, attachment: Any = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if getattr(actor, "pk", None) else None, at=at or timezone.now(),
        data=_jsonable(data or {}), team_only=team_only, note=note, attachment=attachment)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, dt.date | dt.datetime):
            out[k] = v.isoformat()
        elif hasattr(v, "pk"):
            out[k] = v.pk
        else:
            out[k] = v
    return out


def case_link(case: Case) -> str:
    try:
        return reverse("cases:detail", kwargs={"pk": case.pk})
    except NoReverseMatch:
        return f"/cases/{case.pk}/"


def directors_of(case: Case) -> list[Any]:
    """Directors whose memberships cover the case's place (they see every case there, sealed too)."""
    return directors_covering(province_id=case.province_id, commune_id=case.commune_id)


def directors_covering(*, province_id: int, commune_id: int | None) -> list[Any]:
    """Active directors whose memberships cover a place (a case's, a call's)."""
    from ctxh.accounts.models import User

    place = Q(whole_province=True, organization__province_id=province_id)
    if commune_id:
        place |= Q(whole_province=False, communes=commune_id)
    covering = Membership.objects.filter(place, role=Role.DIRECTOR, is_active=True, organization__is_active=True)
    return list(User.objects.filter(is_active=True, pk__in=covering.values("user_id")).order_by("pk"))


def team_of(case: Case) -> list[Any]:
    from ctxh.accounts.models import User

    members = CaseMember.objects.filter(case=case, ended_at__isnull=True).values("user_id")
    return list(User.objects.filter(is_active=True, pk__in=members).order_by("pk"))


def notify(
    users: Iterable[Any], *, verb: str, message: str, case: Case | None = None, link: str = "",
    exclude: Any = None,
) -> list[Notification]:
    """In-app notifications, written in the same transaction as the change they announce.

    A rolled-back change leaves no notification behind; e-mail (a side effect
    outside the database) is sent only by the reminder task.
    """
    seen: set[int] = set()
    rows = []
    skip = getattr(exclude, "pk", None)
    for user in users:
        if user is None or user.pk in seen or user.pk == skip:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, verb=verb, message=message[:500], case=case,
                                 link=link or (case_link(case) if case else "")))
    return Notification.objects.bulk_create(rows)


def conflict_changes(obj: Any, since_version: int) -> list[tuple[str, str, str]]:
    from ctxh.audit.selectors import changes_since_version

    return changes_since_version(obj, since_version)
