"""Case lists: the worker's caseload, the director's view, the searchable list; opening a case; notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from ctxh.accounts import access
from ctxh.cases import selectors, services
from ctxh.cases.forms import CaseFilterForm, CaseOpenForm, covered_communes
from ctxh.cases.views.common import PAGE_SIZE, apply_errors, case_url, next_url, require_case_role
from ctxh.core.htmx import partial_or_full
from ctxh.people import selectors as people_selectors

DEADLINE_ROWS = 20
DIRECTOR_ROWS = 50


def _list_context(request: HttpRequest) -> dict[str, Any]:
    """What the deadline badges compare with."""
    now = timezone.now()
    return {"now": now, "soon_limit": now + selectors.due_soon_window()}


@login_required
@require_GET
@vary_on_headers("HX-Request")
def my_cases(request: HttpRequest) -> HttpResponse:
    """The worker's caseload: open cases on their team, most urgent first, with their deadlines on top."""
    user = request.user
    require_case_role(user)
    form = CaseFilterForm(request.GET or None, default_sort="due", open_only=True)
    f = form.filters()
    # Refinements of the selector's own rows and annotations (``is_overdue``), so the
    # list stays one query however the user filters it.
    qs = selectors.my_cases(user)
    if f.get("case_type"):
        qs = qs.filter(case_type=f["case_type"])
    if f.get("status") == "awaiting_approval":
        qs = selectors.awaiting_approval_filter(qs)
    elif f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("overdue") is not None:
        qs = qs.filter(is_overdue=f["overdue"])  # type: ignore[misc]  # the selector's annotation
    if f.get("sort") == "recent":
        qs = qs.order_by("-reported_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "mine": True, **_list_context(request)}
    template = partial_or_full(request, "cases/my_cases.html", "cases/_case_table.html")
    if template == "cases/_case_table.html":
        return render(request, template, context)
    context["overdue"] = list(selectors.deadline_list(user=user, state="overdue", mine=True)[:DEADLINE_ROWS])
    context["due_soon"] = list(selectors.deadline_list(user=user, state="due_soon", mine=True)[:DEADLINE_ROWS])
    return render(request, template, context)


@login_required
@require_GET
def director(request: HttpRequest) -> HttpResponse:
    """The director's desk: workload per worker, overdue steps, approvals waiting, cases with no one in charge."""
    user = request.user
    access.require(user, "case.assign")
    workload = selectors.director_workload(user)
    return render(request, "cases/director.html", {
        "workload": workload,
        # The assign form of each unassigned case offers these workers, with their load.
        "workers": [row for row in workload if row.user_id is not None],
        "overdue": list(selectors.deadline_list(user=user, state="overdue")[:DIRECTOR_ROWS]),
        "due_soon": list(selectors.deadline_list(user=user, state="due_soon")[:DIRECTOR_ROWS]),
        "awaiting": list(selectors.awaiting_approval(user=user)[:DIRECTOR_ROWS]),
        "unassigned": list(selectors.case_list(user=user, status="open")
                           .filter(assigned_to__isnull=True)[:DIRECTOR_ROWS]),
        "limit": DIRECTOR_ROWS,
        **_list_context(request),
    })


@login_required
@require_GET
@vary_on_headers("HX-Request")
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the user may see: search by number or name, filters; htmx swaps only the table."""
    require_case_role(request.user)
    form = CaseFilterForm(request.GET or None)
    qs = selectors.case_list(user=request.user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = partial_or_full(request, "cases/case_list.html", "cases/_case_table.html")
    return render(request, template, {"form": form, "page": page, **_list_context(request)})


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    """Open a case directly: a walk-in, a referral from the police or a school, a collaborator's report."""
    user = request.user
    access.require(user, "case.open")
    person_id = request.POST.get("person") or request.GET.get("person") or ""
    form = CaseOpenForm(request.POST or None, communes=covered_communes(user), initial={"person": person_id})
    person = None
    if person_id.isdigit():
        try:
            person = people_selectors.person_get(user=user, pk=int(person_id))
        except Http404:
            person = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if person is None:
            form.add_error("person", _("Không tìm thấy đối tượng này trong địa bàn của bạn."))
        else:
            try:
                case = services.case_open(
                    actor=user, case_type=d["case_type"], person=person, summary=d["summary"], source=d["source"],
                    reported_at=d["reported_at"], serious_risk=d["serious_risk"], commune=d["commune"],
                    sealed=True if d["sealed"] else None,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã mở hồ sơ %(number)s.") % {"number": case.number})
                return redirect(case_url(case))
    return render(request, "cases/case_open.html", {"form": form, "person": person},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's in-app notifications; POST marks some (``ids``) or all (``all``) as read."""
    user = request.user
    if request.method == "POST":
        ids = None if request.POST.get("all") else [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
        count = services.notification_mark_read(actor=user, ids=ids)
        if not request.POST.get("next"):
            messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
        return redirect(next_url(request, reverse("cases:notifications")))
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notification_list(user=user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page, "unread_only": unread_only})
