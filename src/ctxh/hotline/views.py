"""Hotline pages. Thin: forms parse, selectors read (scoped), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.geo.models import Commune
from ctxh.hotline import selectors, services
from ctxh.hotline.forms import (
    CallFilterForm,
    CallForm,
    FollowUpForm,
    LinkCaseForm,
    OpenCaseForm,
    QuickPersonForm,
    StartForm,
)
from ctxh.hotline.models import Call, Channel, SubjectRole
from ctxh.people import services as people_services

PAGE_SIZE = 25
ACTIONS = ("save", "end", "open_case", "link_case")


# Service argument → the field of the call screen that shows its error.
_ERROR_FIELDS = {"person": "case_person", "case": "case_number", "subjects": None}


def _apply_errors(form: Any, exc: ValidationError) -> None:
    apply_service_errors(form, exc, _ERROR_FIELDS)


def _case_url(case: Any) -> str | None:
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return None


# Values shown on the call screen ---------------------------------------------------


def _saved_values(call: Call) -> QueryDict:
    """The call as the screen's fields would post it."""
    qd = QueryDict(mutable=True)
    qd["version"] = str(call.version)
    qd["channel"] = call.channel
    qd["line"] = str(call.line_id or "")
    if call.caller_anonymous:
        qd["caller_anonymous"] = "on"
    qd["caller"] = str(call.caller_id or "")
    for f in ("caller_name", "caller_phone", "caller_relation", "urgency", "summary", "outcome",
              "referred_to", "follow_up_note"):
        qd[f] = getattr(call, f)
    qd["follow_up_at"] = (timezone.localtime(call.follow_up_at).strftime("%d/%m/%Y %H:%M")
                          if call.follow_up_at else "")
    qd.setlist("topics", [str(t.pk) for t in call.topics.all()])
    subjects = list(call.call_subjects.all())
    qd.setlist("subject", [str(s.person_id) for s in subjects])
    qd.setlist("subject_role", [s.role for s in subjects])
    return qd


def _screen_values(call: Call, user: Any) -> QueryDict:
    """What the counsellor last typed: the saved call with their draft laid over it.

    The screen posts every field at each autosave (marked ``_form``), so such a
    draft replaces the saved values whole (an unticked box is simply absent);
    a partial draft (a client posting a few fields) changes only those fields.
    """
    values = _saved_values(call)
    draft = call.draft if (call.is_open and call.counsellor_id == user.pk) else {}
    if not draft:
        return values
    if draft.get("_form") == ["call"]:
        values = QueryDict(mutable=True)
    for key, items in draft.items():
        values.setlist(key, list(items))
    values["version"] = str(call.version)  # only the counsellor writes an open call
    return values


def _initial(values: QueryDict) -> dict[str, Any]:
    return {k: (values.getlist(k) if k == "topics" else values.get(k)) for k in values}


def _people_rows(user: Any, values: QueryDict) -> dict[str, Any]:
    ids = values.getlist("subject")
    roles = values.getlist("subject_role")
    caller_id = values.get("caller") or ""
    people = selectors.persons_by_id(user=user, ids=[*ids, caller_id])
    rows = []
    seen: set[int] = set()
    for i, pid in enumerate(ids):
        if not str(pid).isdigit() or int(pid) not in people or int(pid) in seen:
            continue
        seen.add(int(pid))
        rows.append({"person": people[int(pid)], "role": roles[i] if i < len(roles) else SubjectRole.SUBJECT})
    caller = people.get(int(caller_id)) if str(caller_id).isdigit() else None
    return {"subject_rows": rows, "caller_person": caller}


def _screen(request: HttpRequest, call: Call, *, form: CallForm | None = None, values: QueryDict | None = None,
            status: int = 200, **extra: Any) -> HttpResponse:
    """The call screen: live (timer, draft, end) while open, an edit form afterwards."""
    user = request.user
    if values is None:
        values = _screen_values(call, user)
    if form is None:
        form = CallForm(initial=_initial(values), user=user, call=call)
    on = timezone.localdate(call.started_at)
    context = {
        "call": call, "form": form, "values": values, "live": call.is_open,
        "topic_tree": selectors.topic_tree(on=on), "checked_topics": set(values.getlist("topics")),
        "role_choices": SubjectRole.choices, "phone": Channel.PHONE,
        "communes": _communes(user), "sexes": QuickPersonForm.base_fields["sex"].choices,
        "can_open_case": access.can(user, "case.open"),
        "quick": {k[4:]: values.get(k) for k in values if k.startswith("new-")},
        **_people_rows(user, values), **extra,
    }
    return render(request, "hotline/call_screen.html", context, status=status)


def _editable_call(request: HttpRequest, pk: int) -> Call:
    """A call the user may see (else 404) and write to (else 403)."""
    access.require(request.user, "call.log")
    call = selectors.call_get(user=request.user, pk=pk)
    if not selectors.can_edit(user=request.user, call=call):
        raise PermissionDenied(_("Bạn không được sửa cuộc gọi này."))
    return call


def _communes(user: Any) -> Any:
    cov = access.coverage(user)
    return (Commune.objects.filter(province_id__in=cov.provinces) | Commune.objects.filter(pk__in=cov.communes)).order_by("name")


# Pages -----------------------------------------------------------------------------


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "call.view")
    form = CallFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    page = Paginator(selectors.call_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    hidden = selectors.hidden_content_ids(user=request.user, calls=page.object_list)
    template = partial_or_full(request, "hotline/call_list.html", "hotline/_call_table.html")
    return render(request, template, {
        "form": form, "page": page, "sort": filters.sort, "hidden": hidden,
        "open_call": selectors.open_call_of(user=request.user) if access.can(request.user, "call.log") else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    """"New call": start one (POST), or go back to the call still in progress."""
    access.require(request.user, "call.log")
    existing = selectors.open_call_of(user=request.user)
    if existing is not None:
        if request.method == "POST":
            messages.info(request, _("Bạn đang có cuộc gọi chưa kết thúc; tiếp tục cuộc gọi này."))
        return redirect("hotline:detail", pk=existing.pk)
    form = StartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_start(actor=request.user, channel=form.cleaned_data["channel"] or Channel.PHONE)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("hotline:detail", pk=call.pk)
    return render(request, "hotline/call_start.html", {"form": form})


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The counsellor's own open call resumes on its screen; anyone else sees the record."""
    access.require(request.user, "call.view")
    call = selectors.call_get(user=request.user, pk=pk)
    if call.is_open and selectors.can_edit(user=request.user, call=call):
        if call.call_subjects.exists():
            selectors.log_call_access(user=request.user, call=call, purpose="edit")
        return _screen(request, call)
    selectors.log_call_access(user=request.user, call=call)
    visible = selectors.content_visible(user=request.user, call=call)
    editable = selectors.can_edit(user=request.user, call=call)
    subjects = list(call.call_subjects.all())
    return render(request, "hotline/call_detail.html", {
        "call": call, "content_visible": visible, "editable": editable, "subjects": subjects,
        "follow_up_form": FollowUpForm(), "link_form": LinkCaseForm(),
        "open_case_form": OpenCaseForm(subjects=subjects) if access.can(request.user, "case.open") else None,
        "case_url": _case_url(call.case) if call.case_id and visible else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the screen; ``action`` says what else to do: end, open a case, link a case."""
    call = _editable_call(request, pk)
    if request.method == "GET":
        return _screen(request, call)
    action = request.POST.get("action", "save")
    action = action if action in ACTIONS else "save"
    form = CallForm(request.POST, user=request.user, call=call)
    extra: dict[str, Any] = {}
    case = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                call = services.call_save(actor=request.user, call=call, data=form.service_data(),
                                          expected_version=d["version"])
                if action == "end":
                    call = services.call_end(actor=request.user, call=call)
                elif action == "open_case":
                    person = selectors.persons_by_id(
                        user=request.user, ids=[d.get("case_person") or ""]).get(d.get("case_person") or 0)
                    case = services.call_open_case(
                        actor=request.user, call=call, case_type=d["case_type"], person=person,
                        serious_risk=d["serious_risk"])
                elif action == "link_case":
                    if not d["case_number"].strip():
                        raise ValidationError({"case": [_("Nhập số hồ sơ cần gắn.")]})
                    linked = selectors.case_for_link(user=request.user, number=d["case_number"])
                    call = services.call_link_case(actor=request.user, call=call, case=linked)
        except ConflictError as exc:
            extra["conflict"] = exc
            fresh = selectors.call_get(user=request.user, pk=pk)
            data = request.POST.copy()
            data["version"] = str(fresh.version)
            form = CallForm(data, user=request.user, call=fresh)
            form.is_valid()
            return _screen(request, fresh, form=form, values=data, status=409, **extra)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except Http404:  # a case number not found (or out of reach) reads as a field error
            form.add_error("case_number", _("Không tìm thấy hồ sơ số này trong phạm vi bạn được xem."))
        else:
            if action == "end":
                messages.success(request, _("Đã kết thúc và lưu cuộc gọi #%(id)s.") % {"id": call.pk})
                return redirect("hotline:detail", pk=call.pk)
            if action == "open_case" and case is not None:
                messages.success(request, _("Đã mở hồ sơ %(number)s từ cuộc gọi.") % {"number": case.number})
                return redirect(_case_url(case) or reverse("hotline:detail", args=[call.pk]))
            messages.success(request, _("Đã lưu."))
            return redirect("hotline:detail", pk=call.pk)
    current = selectors.call_get(user=request.user, pk=pk)
    return _screen(request, current, form=form, values=request.POST, status=422)


@login_required
@require_POST
def call_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave: keep what was typed, complete or not (htmx, or a beacon when the tab closes)."""
    access.require(request.user, "call.log")
    try:
        # The service finds the call in the user's scope itself (404 otherwise), with one light query.
        call = services.call_draft_save(actor=request.user, call=Call(pk=pk), data=dict(request.POST.lists()))
    except ValidationError as exc:
        return render(request, "hotline/_draft_status.html", {"error": " ".join(exc.messages)}, status=409)
    return render(request, "hotline/_draft_status.html", {"saved_at": call.draft_saved_at})


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    """People matching what the counsellor types, to add to the call (htmx fragment)."""
    access.require(request.user, "call.log")
    access.require(request.user, "person.view")
    q = request.GET.get("q", "").strip()
    results = selectors.person_candidates(user=request.user, q=q)
    return render(request, "hotline/_person_results.html", {"results": results, "q": q})


@login_required
@require_POST
def person_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a minimal record mid-call; likely duplicates come back to pick from."""
    call = _editable_call(request, pk)
    access.require(request.user, "person.change")
    form = QuickPersonForm(request.POST, communes=_communes(request.user))
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        try:
            person = people_services.person_register(
                actor=request.user, data=form.service_data(call.province),
                duplicate_reason=form.cleaned_data["duplicate_reason"],
            )
        except people_services.DuplicateSuspected as exc:
            context["duplicates"] = exc.visible
            context["hidden_count"] = exc.hidden_count
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            context["added"] = person
            context["role"] = form.cleaned_data.get("role") or "subject"
    return render(request, "hotline/_quick_register.html", context)


@login_required
@require_POST
def call_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    call = _editable_call(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.call_schedule_follow_up(actor=request.user, call=call, follow_up_at=form.cleaned_data["follow_up_at"],
                                             note=form.cleaned_data["follow_up_note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã hẹn gọi lại."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("hotline:detail", pk=pk)


@login_required
@require_POST
def call_follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    call = _editable_call(request, pk)
    try:
        services.call_follow_up_done(actor=request.user, call=call)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận việc gọi lại cho cuộc gọi #%(id)s.") % {"id": call.pk})
    back = request.POST.get("next") or ""
    if back == "follow-ups":
        return redirect("hotline:follow-ups")
    return redirect("hotline:detail", pk=pk)


@login_required
@require_POST
def call_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a case from an ended call (the live screen does it with Alt+K)."""
    call = _editable_call(request, pk)
    access.require(request.user, "case.open")
    form = OpenCaseForm(request.POST, subjects=list(call.call_subjects.all()))
    if form.is_valid():
        d = form.cleaned_data
        person = selectors.persons_by_id(user=request.user, ids=[d["person"]]).get(d["person"])
        try:
            case = services.call_open_case(actor=request.user, call=call, case_type=d["case_type"],
                                           person=person, serious_risk=d["serious_risk"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã mở hồ sơ %(number)s từ cuộc gọi.") % {"number": case.number})
            return redirect(_case_url(case) or reverse("hotline:detail", args=[pk]))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("hotline:detail", pk=pk)


@login_required
@require_POST
def call_link_case(request: HttpRequest, pk: int) -> HttpResponse:
    call = _editable_call(request, pk)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        try:
            case = selectors.case_for_link(user=request.user, number=form.cleaned_data["case_number"])
            services.call_link_case(actor=request.user, call=call, case=case)
        except Http404:
            messages.error(request, _("Không tìm thấy hồ sơ số này trong phạm vi bạn được xem."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã gắn cuộc gọi với hồ sơ %(number)s.") % {"number": case.number})
    else:
        messages.error(request, _("Nhập số hồ sơ cần gắn."))
    return redirect("hotline:detail", pk=pk)


@login_required
@require_GET
def follow_ups(request: HttpRequest) -> HttpResponse:
    """The counsellor's own queue of calls to make back, overdue first."""
    access.require(request.user, "call.log")
    calls = list(selectors.follow_up_queue(user=request.user)[:200])
    hidden = selectors.hidden_content_ids(user=request.user, calls=calls)
    return render(request, "hotline/follow_ups.html", {
        "calls": calls, "hidden": hidden, "now": timezone.now(),
        "open_call": selectors.open_call_of(user=request.user),
    })
