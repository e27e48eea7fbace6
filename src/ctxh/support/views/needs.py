"""Needs (nhu cầu): the list, recording one, and the status moves with confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.htmx import partial_or_full
from ctxh.support import selectors, services
from ctxh.support.forms import NeedFilterForm, NeedForm, NeedMoveForm
from ctxh.support.models import Allocation, Grant
from ctxh.support.views.common import (
    PAGE_SIZE,
    apply_errors,
    chosen,
    next_url,
    picked,
    prefill_recipient,
)

MOVES = ("request", "decline", "fulfil")


@login_required
@require_GET
@vary_on_headers("HX-Request")
def need_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    selectors.require_view(user)
    form = NeedFilterForm(request.GET or None, communes=selectors.covered_communes(user),
                          surveys=selectors.survey_queryset(user=user).order_by("-starts_on"))
    filters = selectors.NeedFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.NeedFilters(
            q=d["q"], status=d["status"], need_type=d["need_type"].code if d["need_type"] else "",
            commune=d["commune"].pk if d["commune"] else None, survey=d["survey"].pk if d["survey"] else None)
    page = Paginator(selectors.need_list(user=user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for need in page.object_list:
        setattr(need, "moves", services.need_allowed_moves(need))  # noqa: B010  (read by the template)
    context = {"form": form, "page": page, "can_manage": access.can(user, "support.manage")}
    return render(request, partial_or_full(request, "support/need_list.html", "support/_need_table.html"), context)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "support.manage")
    if request.method == "GET":
        extra = prefill_recipient(user, request)
        initial = {k: v.pk for k, v in extra.items()}
        return render(request, "support/need_form.html", {"form": NeedForm(initial=initial), **extra})
    form = NeedForm(request.POST)
    extra = chosen(user, request.POST)
    if form.is_valid():
        person, household = picked(user, form)
        if not form.errors:
            d = form.cleaned_data
            try:
                need = services.need_identify(actor=user, person=person, household=household,
                                              need_type=d["need_type"], detail=d["detail"],
                                              identified_on=d["identified_on"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã ghi nhu cầu “%(type)s”.") % {"type": need.need_type.label})
                return redirect(f"{reverse('support:need-list')}?status=identified")
    return render(request, "support/need_form.html", {"form": form, **extra}, status=422)


def _support_choice(user: Any, value: str) -> tuple[Grant | None, Allocation | None]:
    """``grant:12`` or ``allocation:7`` from the fulfil form, read through the user's scope."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit() or kind not in ("grant", "allocation"):
        raise ValidationError({"support": [_("Chọn khoản hỗ trợ hoặc phân bổ đã đáp ứng nhu cầu.")]})
    try:
        if kind == "grant":
            return selectors.grant_get(user=user, pk=int(pk)), None
        return None, selectors.allocation_get(user=user, pk=int(pk))
    except Http404:
        raise ValidationError({"support": [_("Không tìm thấy khoản này.")]}) from None


@login_required
@require_http_methods(["GET", "POST"])
def need_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm and make one move of the need: request, decline (with a reason), fulfil (with what met it)."""
    user = request.user
    if action not in MOVES:
        raise Http404
    access.require(user, "support.manage")
    need = selectors.need_open(user=user, pk=pk)
    back = next_url(request, reverse("support:need-list"))
    context: dict[str, Any] = {"need": need, "action": action, "label": services.need_move_label(action),
                               "back": back}
    if action == "fulfil":
        context.update(selectors.need_candidates(user=user, need=need))
    status = 200
    if request.method == "GET":
        form = NeedMoveForm(initial={"version": need.version})
    else:
        form = NeedMoveForm(request.POST)
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "request":
                    services.need_request(actor=user, need=need, on=d["on"], expected_version=d["version"])
                elif action == "decline":
                    services.need_decline(actor=user, need=need, reason=d["reason"], on=d["on"],
                                          expected_version=d["version"])
                else:
                    grant, allocation = _support_choice(user, d["support"])
                    services.need_fulfil(actor=user, need=need, grant=grant, allocation=allocation, on=d["on"],
                                         expected_version=d["version"])
            except ConflictError as exc:
                context["conflict"] = exc
                need = selectors.need_get(user=user, pk=pk)
                data = request.POST.copy()
                data["version"] = str(need.version)
                form = NeedMoveForm(data)
                form.is_valid()
                status = 409
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                done = {"request": _("Đã ghi đề nghị hỗ trợ cho nhu cầu “%(type)s”."),
                        "fulfil": _("Đã ghi nhu cầu “%(type)s” là đã đáp ứng."),
                        "decline": _("Đã ghi nhu cầu “%(type)s” là không đáp ứng.")}[action]
                messages.success(request, done % {"type": need.need_type.label})
                return redirect(back)
    context.update(form=form, need=need)
    return render(request, "support/need_move.html", context, status=status)
