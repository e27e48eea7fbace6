"""The work on a case: assessment, plan, notes and files, team, reviews, closure. Each POST is one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.cases import selectors, services, workflow
from ctxh.cases.forms import (
    AssessmentForm,
    AssignForm,
    AttachmentForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    EndMemberForm,
    ItemStatusForm,
    NoteForm,
    PlanForm,
    PlanItemFormSet,
    ReasonForm,
    ReviewForm,
    need_formset,
)
from ctxh.cases.models import Case, Plan, PlanItem
from ctxh.cases.views.case import _worker_ids, render_case
from ctxh.cases.views.common import (
    apply_errors,
    case_url,
    error_text,
    next_url,
    require_case_role,
    rows_index,
)
from ctxh.core.exceptions import ConflictError


def _case(request: HttpRequest, pk: int, *, worker: bool = False) -> Case:
    """The case (404 outside the user's cases); ``worker``: only its team or a director may go on (403)."""
    require_case_role(request.user)
    case = selectors.case_get(user=request.user, pk=pk)
    if worker:
        workflow.require_worker(request.user, case)
    return case


def _status(context: dict[str, Any], *forms: Any) -> int:
    if "conflict" in context:
        return 409
    return 422 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def _rename(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's field names, as the form calls them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


# Assessment ---------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an assessment: kind, risk level, and the needs found in each domain with their priority."""
    user = request.user
    case = _case(request, pk, worker=True)
    form = AssessmentForm(request.POST or None, initial={"version": case.version})
    needs = need_formset(request.POST or None)
    context: dict[str, Any] = {"case": case, "form": form, "needs": needs}
    if request.method == "POST" and all([form.is_valid(), needs.is_valid()]):
        sent = [(i, f) for i, f in enumerate(needs.forms)
                if (f.cleaned_data.get("description") or "").strip() or f.cleaned_data.get("priority")]
        d = form.cleaned_data
        try:
            services.assessment_record(
                actor=user, case=case, kind=d["kind"], summary=d["summary"], risk_level=d["risk_level"],
                assessed_on=d["assessed_on"], expected_version=d["version"],
                needs=[{k: f.cleaned_data.get(k) for k in ("domain", "description", "priority")} for _i, f in sent],
            )
        except ConflictError as exc:
            data = request.POST.copy()
            data["version"] = str(selectors.case_get(user=user, pk=pk).version)
            context.update(conflict=exc, form=AssessmentForm(data), needs=need_formset(data))
        except ValidationError as exc:
            apply_errors(form, exc, rows_index("needs", sent, ["domain", "description", "priority"]))
        else:
            messages.success(request, _("Đã ghi kết quả đánh giá."))
            return redirect(case_url(pk, "assessment"))
    status = _status(context, context["form"])
    if status == 200 and request.method == "POST" and any(f.errors for f in context["needs"].forms):
        status = 422
    return render(request, "cases/assessment_form.html", context, status=status)


# Plan ---------------------------------------------------------------------------------------

def _plan_initial(plan: Plan | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if plan is None:
        return {}, []
    items = [{"action": i.action, "domain": i.domain_id, "responsible": i.responsible_id, "provider": i.provider,
              "due_date": i.due_date, "status": i.status} for i in plan.items.all()]
    return {"goals": plan.goals}, items


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the plan (or the next version of an approved one): goals and items, who does what by when."""
    user = request.user
    case = _case(request, pk, worker=True)
    plans = selectors.case_plans(user=user, case=case)
    draft = next((p for p in plans if p.status in (Plan.Status.DRAFT, Plan.Status.SUBMITTED)), None)
    if draft is not None and draft.status == Plan.Status.SUBMITTED:
        messages.error(request, _("Kế hoạch phiên bản %(n)s đang chờ phê duyệt; chưa sửa được.") % {"n": draft.number})
        return redirect(case_url(pk, "plan"))
    base = draft or next((p for p in plans if p.status == Plan.Status.APPROVED), None)
    initial, item_rows = _plan_initial(base)
    initial["revision"] = draft.revision if draft else None
    people = [m.user_id for m in selectors.case_team(user=user, case=case)]
    form = PlanForm(request.POST or None, initial=initial)
    items = PlanItemFormSet(request.POST or None, prefix="items", initial=item_rows,
                            form_kwargs={"people_ids": people})
    context: dict[str, Any] = {"case": case, "form": form, "items": items, "draft": draft, "base": base}
    if request.method == "POST" and all([form.is_valid(), items.is_valid()]):
        sent = [(i, f) for i, f in enumerate(items.forms) if not f.is_blank()]
        fields = ["action", "domain", "responsible", "provider", "due_date", "status"]
        try:
            services.plan_save(actor=user, case=case, goals=form.cleaned_data["goals"],
                               items=[{k: f.cleaned_data.get(k) for k in fields} for _i, f in sent],
                               expected_revision=form.cleaned_data["revision"])
        except ConflictError as exc:
            fresh = next((p for p in selectors.case_plans(user=user, case=case) if p.status == Plan.Status.DRAFT), None)
            data = request.POST.copy()
            data["revision"] = str(fresh.revision) if fresh else ""
            context.update(conflict=exc, form=PlanForm(data),
                           items=PlanItemFormSet(data, prefix="items", form_kwargs={"people_ids": people}))
        except ValidationError as exc:
            apply_errors(form, exc, rows_index("items", sent, fields))
        else:
            messages.success(request, _("Đã lưu kế hoạch (dự thảo). Trình lãnh đạo phê duyệt khi hoàn tất."))
            return redirect(case_url(pk, "plan"))
    status = _status(context, context["form"])
    if status == 200 and request.method == "POST" and any(f.errors for f in context["items"].forms):
        status = 422
    return render(request, "cases/plan_form.html", context, status=status)


def _plan(request: HttpRequest, case: Case, plan_pk: int) -> Plan:
    plan = next((p for p in selectors.case_plans(user=request.user, case=case) if p.pk == plan_pk), None)
    if plan is None:
        raise Http404
    return plan


def _plan_action(request: HttpRequest, pk: int, plan_pk: int, action: Any, success: str) -> HttpResponse:
    case = _case(request, pk)
    plan = _plan(request, case, plan_pk)
    try:
        action(plan)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(case_url(pk, "plan"))


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    return _plan_action(request, pk, plan_pk, lambda p: services.plan_submit(actor=request.user, plan=p),
                        _("Đã trình kế hoạch để lãnh đạo phê duyệt."))


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    access.require(request.user, "case.approve")
    return _plan_action(request, pk, plan_pk, lambda p: services.plan_approve(actor=request.user, plan=p),
                        _("Đã phê duyệt kế hoạch."))


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    access.require(request.user, "case.approve")
    case = _case(request, pk)
    plan = _plan(request, case, plan_pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.plan_return(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã trả lại kế hoạch."))
            return redirect(case_url(pk, "plan"))
    return render_case(request, case, "plan", status=422, return_form=form)


@login_required
@require_POST
def plan_item_status(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    case = _case(request, pk)
    item: PlanItem | None = next((i for p in selectors.case_plans(user=request.user, case=case)
                                  for i in p.items.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404
    form = ItemStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tiến độ không hợp lệ."))
    else:
        try:
            services.plan_item_set_status(actor=request.user, item=item, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Đã cập nhật tiến độ."))
    return redirect(case_url(pk, "plan"))


# Notes and attachments -------------------------------------------------------------------------

@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ghi chép."))
            return redirect(case_url(pk, "notes"))
    return render_case(request, case, "notes", status=422, note_form=form)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tải tệp lên."))
            return redirect(case_url(pk, "notes"))
    return render_case(request, case, "notes", status=422, attachment_form=form)


# Team -------------------------------------------------------------------------------------------

@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a worker on the team (the director); from the director's page, back there."""
    access.require(request.user, "case.assign")
    case = _case(request, pk)
    form = AssignForm(request.POST, worker_ids=_worker_ids(request.user, case))
    back = next_url(request, case_url(pk, "team"))
    if form.is_valid():
        try:
            services.case_assign(actor=request.user, case=case, worker=form.cleaned_data["worker"],
                                 role=form.cleaned_data["role"], expected_version=form.cleaned_data["version"])
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã phân công %(who)s cho hồ sơ %(number)s.") % {
                "who": form.cleaned_data["worker"], "number": case.number})
            return redirect(back)
    if request.POST.get("next"):
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    return render_case(request, case, "team", status=422, assign_form=form)


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    access.require(request.user, "case.assign")
    case = _case(request, pk)
    member = next((m for m in selectors.case_team(user=request.user, case=case) if m.pk == member_pk), None)
    if member is None:
        raise Http404
    form = EndMemberForm(request.POST)
    form.is_valid()
    try:
        services.case_member_end(actor=request.user, member=member, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã kết thúc phân công của %(who)s.") % {"who": member.user})
    return redirect(case_url(pk, "team"))


# Reviews and closure ------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a review (mẫu 06): risk re-rated, and the decision — go on, plan again, or ask to close."""
    user = request.user
    case = _case(request, pk, worker=True)
    form = ReviewForm(request.POST or None, initial={"version": case.version})
    context: dict[str, Any] = {"case": case, "form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.review_record(
                actor=user, case=case, reviewed_on=d["reviewed_on"], summary=d["summary"],
                risk_level=d["risk_level"], decision=d["decision"], closure_reason=d["closure_reason"],
                closure_outcome=d["closure_outcome"], expected_version=d["version"])
        except ConflictError as exc:
            data = request.POST.copy()
            data["version"] = str(selectors.case_get(user=user, pk=pk).version)
            context.update(conflict=exc, form=ReviewForm(data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi kết quả rà soát."))
            return redirect(case_url(pk, "reviews"))
    return render(request, "cases/review_form.html", context, status=_status(context, context["form"]))


@login_required
@require_http_methods(["GET", "POST"])
def closure_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the director to close the case, with a reason from the list and the outcome."""
    case = _case(request, pk, worker=True)
    form = ClosureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_request(actor=request.user, case=case, reason=form.cleaned_data["reason"],
                                     outcome=form.cleaned_data["outcome"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi đề nghị đóng hồ sơ; chờ lãnh đạo phê duyệt."))
            return redirect(case_url(pk, "closure"))
    return render(request, "cases/closure_form.html", {"case": case, "form": form},
                  status=422 if form.errors else 200)


def _pending(request: HttpRequest, case: Case, closure_pk: int) -> Any:
    pending = selectors.pending_closure(case)
    if pending is None or pending.pk != closure_pk:
        return None
    return pending


@login_required
@require_POST
def closure_approve(request: HttpRequest, pk: int, closure_pk: int) -> HttpResponse:
    access.require(request.user, "case.approve")
    case = _case(request, pk)
    form = ClosureDecisionForm(request.POST)
    form.is_valid()
    pending = _pending(request, case, closure_pk)
    if pending is None:
        messages.error(request, _("Đề nghị này đã được quyết định."))
        return redirect(case_url(pk, "closure"))
    try:
        services.closure_approve(actor=request.user, closure=pending, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã phê duyệt đóng hồ sơ."))
    return redirect(case_url(pk, "closure"))


@login_required
@require_POST
def closure_reject(request: HttpRequest, pk: int, closure_pk: int) -> HttpResponse:
    access.require(request.user, "case.approve")
    case = _case(request, pk)
    form = ClosureDecisionForm(request.POST)
    form.is_valid()
    pending = _pending(request, case, closure_pk)
    if pending is None:
        messages.error(request, _("Đề nghị này đã được quyết định."))
        return redirect(case_url(pk, "closure"))
    try:
        services.closure_reject(actor=request.user, closure=pending, reason=form.cleaned_data.get("note", ""),
                                code=form.cleaned_data.get("code") or None)
    except ValidationError as exc:
        apply_errors(form, _rename(exc, {"reason": "note"}))
        return render_case(request, case, "closure", status=422, decision_form=form)
    messages.success(request, _("Đã không duyệt đề nghị đóng hồ sơ."))
    return redirect(case_url(pk, "closure"))
