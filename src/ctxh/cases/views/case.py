"""The case page and what hangs off it directly: breaking the glass, editing, moves, sealing, files, the PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.audit import selectors as audit_selectors
from ctxh.cases import pdf, selectors, services, workflow
from ctxh.cases.forms import (
    AssignForm,
    AttachmentForm,
    BreakGlassForm,
    CaseEditForm,
    ClosureDecisionForm,
    ItemStatusForm,
    NoteForm,
    ReasonForm,
    SealForm,
    TransitionForm,
    covered_communes,
)
from ctxh.cases.models import Case, CaseStep, Plan, StepKind, TransitionKind
from ctxh.cases.views import timeline
from ctxh.cases.views.common import apply_errors, case_url, error_text, require_case_role
from ctxh.core.exceptions import ConflictError

TABS: list[tuple[str, Any]] = [
    ("timeline", _l("Dòng thời gian")),
    ("assessment", _l("Đánh giá")),
    ("plan", _l("Kế hoạch")),
    ("notes", _l("Ghi chép, tài liệu")),
    ("team", _l("Nhóm phụ trách")),
    ("reviews", _l("Rà soát")),
    ("closure", _l("Đóng hồ sơ")),
    ("access", _l("Nhật ký truy cập")),
]
# Moves that end or undo a stage of the case: the button asks before sending.
CONFIRM_KINDS = {TransitionKind.APPROVE_CLOSURE, TransitionKind.REJECT_CLOSURE, TransitionKind.REOPEN}
ACCESS_ROWS = 100


# Who may break the glass ---------------------------------------------------------------



# The case page --------------------------------------------------------------------------

def _deadline_rows(deadlines: list[Any]) -> list[Any]:
    """Each deadline with ``state``: overdue, soon, open, done, late (done after the due time) or cancelled."""
    now = timezone.now()
    soon = now + selectors.due_soon_window()
    for d in deadlines:
        if d.cancelled:
            d.state = "cancelled"
        elif d.done_at is not None:
            d.state = "late" if d.done_at > d.due_at else "done"
        elif d.due_at < now:
            d.state = "overdue"
        elif d.due_at <= soon:
            d.state = "soon"
        else:
            d.state = "open"
    return deadlines


def _worker_ids(user: Any, case: Case) -> list[int]:
    """Whom a director can put on the team: the workers of the workload list and the team itself."""
    ids = [row.user_id for row in selectors.director_workload(user) if row.user_id is not None]
    ids += [m.user_id for m in selectors.case_team(user=user, case=case)]
    return sorted(set(ids))


def _tab_context(request: HttpRequest, case: Case, tab: str, ctx: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    step: CaseStep | None = ctx["step"]
    if tab == "timeline":
        return {"events": timeline.annotate(selectors.case_timeline(user=user, case=case))}
    if tab == "assessment":
        # Related rows of a case the selector already opened for this user.
        return {"assessments": list(case.assessments.select_related("recorded_by").prefetch_related("needs__domain"))}
    if tab == "plan":
        plans = selectors.case_plans(user=user, case=case)
        draft = next((p for p in plans if p.status in (Plan.Status.DRAFT, Plan.Status.SUBMITTED)), None)
        in_force = next((p for p in plans if p.status == Plan.Status.APPROVED), None)
        return {
            "plans": plans, "draft": draft, "in_force": in_force,
            "older": [p for p in plans if p not in (draft, in_force)],
            "may_edit_plan": ctx["may_work"] and not case.is_closed and step is not None
            and step.kind in services.PLAN_STEP_KINDS and not (draft and draft.status == Plan.Status.SUBMITTED),
            "item_status_form": ItemStatusForm(), "return_form": ctx.get("return_form") or ReasonForm(),
        }
    if tab == "notes":
        return {
            "notes": selectors.case_notes(user=user, case=case),
            "attachments": selectors.case_attachments(user=user, case=case),
            "note_form": ctx.get("note_form") or NoteForm(),
            "attachment_form": ctx.get("attachment_form") or AttachmentForm(),
            "max_mb": services.attachment_max_bytes() // (1024 * 1024),
            "extensions": ", ".join(services.attachment_extensions()),
            "may_write": access.can(user, "case.work") or ctx["access_reason"] == "team",
        }
    if tab == "team":
        members = selectors.case_team(user=user, case=case, history=True)
        can_assign = access.can(user, "case.assign")
        return {
            "active": [m for m in members if m.ended_at is None],
            "ended": [m for m in members if m.ended_at is not None],
            "can_assign": can_assign,
            "assign_form": ctx.get("assign_form") or (
                AssignForm(worker_ids=_worker_ids(user, case), initial={"version": case.version})
                if can_assign else None),
            "seal_form": SealForm(initial={"sealed": not case.sealed}),
        }
    if tab == "reviews":
        return {"reviews": list(case.reviews.select_related("recorded_by")),
                "at_review": step is not None and step.kind == StepKind.REVIEW and ctx["may_work"]
                and not case.is_closed}
    if tab == "closure":
        moves = ctx["transitions"]
        return {
            "closures": list(case.closures.select_related("reason", "requested_by", "approved_by")),
            "pending": selectors.pending_closure(case),
            "may_request": any(t.kind == TransitionKind.REQUEST_CLOSURE for t, _c in moves),
            "approve_moves": [t for t, _c in moves if t.kind == TransitionKind.APPROVE_CLOSURE],
            "reject_moves": [t for t, _c in moves if t.kind == TransitionKind.REJECT_CLOSURE],
            "decision_form": ctx.get("decision_form") or ClosureDecisionForm(),
        }
    if tab == "access":
        entries = audit_selectors.access_entry_list(user=user, filters={"person_id": case.person_id}).filter(
            object_type=Case._meta.label_lower, object_id=str(case.pk))[:ACCESS_ROWS]
        return {"access_entries": list(entries)}
    return {}


def case_context(request: HttpRequest, case: Case, tab: str, **overrides: Any) -> dict[str, Any]:
    """Everything the case page shows; ``overrides`` put back a form the user just sent with errors."""
    user = request.user
    reason = selectors.case_access_reason(user, case)
    steps = workflow.steps(case.case_type)
    step = next((s for s in steps if s.code == case.status), None)
    moves = [(t, t.kind in CONFIRM_KINDS) for t in workflow.allowed_transitions(case, user)]
    tabs = [(code, label) for code, label in TABS
            if code != "access" or (access.can(user, "audit.view") and reason in ("team", "director"))]
    if tab not in {code for code, _label in tabs}:
        tab = "timeline"
    ctx: dict[str, Any] = {
        "case": case, "steps": steps, "step": step, "tab": tab, "tabs": tabs,
        "deadlines": _deadline_rows(selectors.case_deadlines(user=user, case=case)),
        "transitions": moves, "access_reason": reason,
        "glass": selectors.active_break_glass(user=user, case=case) if reason == "break_glass" else None,
        "may_work": workflow.may_work(user, case),
        "is_approver": access.can(user, "case.approve"),
        **overrides,
    }
    ctx.update(_tab_context(request, case, tab, ctx))
    ctx.update(overrides)
    return ctx


def render_case(request: HttpRequest, case: Case, tab: str, *, status: int = 200, **overrides: Any) -> HttpResponse:
    """The case page again (after a refused small form), without another access-log entry."""
    case = selectors.case_get(user=request.user, pk=case.pk)
    return render(request, "cases/case_detail.html", case_context(request, case, tab, **overrides), status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page; every opening is written to the access log.

    A case the user cannot see is 404 — unless they may break the glass, who
    get the sealed-case page asking for a reason instead.
    """
    user = request.user
    require_case_role(user)
    try:
        case = selectors.case_open_for_read(user=user, pk=pk)
    except Http404:
        target = selectors.break_glass_target(user=user, pk=pk)
        if target is None:
            raise
        return render(request, "cases/break_glass.html", {"target": target, "form": BreakGlassForm()}, status=403)
    return render(request, "cases/case_detail.html", case_context(request, case, request.GET.get("tab", "")))


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require_case_role(user)
    try:
        selectors.case_get(user=user, pk=pk)
    except Http404:
        pass
    else:
        return redirect(case_url(pk))  # already sees it: nothing to break
    target = selectors.break_glass_target(user=user, pk=pk)
    if target is None:
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_break_glass(actor=user, case=target, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.warning(request, _("Bạn đang truy cập khẩn cấp; việc này được ghi lại và báo cho lãnh đạo."))
            return redirect(case_url(pk))
    return render(request, "cases/break_glass.html", {"target": target, "form": form},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's facts, guarded by its version: a save after someone else's is shown what changed."""
    user = request.user
    require_case_role(user)
    case = selectors.case_get(user=user, pk=pk)
    workflow.require_worker(user, case)
    communes = covered_communes(user)
    form = CaseEditForm(request.POST or None, case=case, communes=communes)
    context: dict[str, Any] = {"form": form, "case": case}
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=user, case=case, data=form.changed_data_for_service(),
                                 expected_version=form.cleaned_data["version"])
        except ConflictError as exc:
            # Keep what the user typed, against the values saved now; saving again is a deliberate overwrite.
            fresh = selectors.case_get(user=user, pk=pk)
            data = request.POST.copy()
            data["version"] = str(fresh.version)
            form = CaseEditForm(data, case=fresh, communes=communes)
            form.is_valid()
            context.update(conflict=exc, form=form, case=fresh)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(case_url(pk))
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "cases/case_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Make one move of the case's transition table (the buttons of the case page post here)."""
    user = request.user
    require_case_role(user)
    case = selectors.case_get(user=user, pk=pk)
    code = request.POST.get("code") or request.GET.get("code") or ""
    move = next((t for t in workflow.transitions_from(case) if t.code == code), None)
    if move is not None and move.kind == TransitionKind.REQUEST_CLOSURE:
        return redirect("cases:closure-request", pk=pk)
    if request.method == "GET" and (move is None or move not in workflow.allowed_transitions(case, user)):
        raise PermissionDenied(_("Bạn không thể thực hiện thao tác này ở bước hiện tại."))
    form = TransitionForm(request.POST or None, initial={"code": code, "version": case.version})
    context: dict[str, Any] = {"form": form, "case": case, "move": move}
    if request.method == "POST" and form.is_valid():
        try:
            services.case_transition(actor=user, case=case, code=code, reason=form.cleaned_data["reason"],
                                     expected_version=form.cleaned_data["version"])
        except ConflictError as exc:
            fresh = selectors.case_get(user=user, pk=pk)
            data = request.POST.copy()
            data["version"] = str(fresh.version)
            form = TransitionForm(data)
            form.is_valid()
            context.update(conflict=exc, form=form, case=fresh)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thực hiện: %(move)s.") % {"move": move.name if move else code})
            return redirect(case_url(pk))
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "cases/transition_form.html", context, status=status)


@login_required
@require_POST
def case_seal(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require_case_role(user)
    case = selectors.case_get(user=user, pk=pk)
    form = SealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do."))
        return redirect(case_url(pk, "team"))
    sealed = form.cleaned_data["sealed"]
    try:
        services.case_set_sealed(actor=user, case=case, sealed=sealed, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã niêm phong hồ sơ.") if sealed else _("Đã bỏ niêm phong hồ sơ."))
    return redirect(case_url(pk, "team"))


@login_required
@require_GET
def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable case file; the print is written to the access log (purpose ``print``)."""
    require_case_role(request.user)
    case, data = pdf.case_file_pdf(user=request.user, pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Hand out a case file to those who may see it; the files are never under a public URL."""
    require_case_role(request.user)
    att, handle = selectors.attachment_open(user=request.user, pk=pk)
    response = FileResponse(handle, as_attachment=True, filename=att.original_name, content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

