"""Entitlement and decision pages. Thin: forms parse, selectors read (scoped), services write.

The payment lists and arrears pages are in ``pay_views``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ctxh.accounts import access
from ctxh.assistance import selectors, services
from ctxh.assistance.forms import (
    DecideForm,
    DecisionFilterForm,
    EntitlementFilterForm,
    PaymentMethodForm,
    ProposeForm,
    ReviewForm,
    StopForm,
)
from ctxh.assistance.models import Entitlement
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.core.rules import RuleMissing

PAGE_SIZE = 25


def reasoning_include() -> str | None:
    """The calculator's reasoning block if it exists, else ours."""
    try:
        get_template("assistance/_reasoning.html")
        return "assistance/_reasoning.html"
    except TemplateDoesNotExist:
        return None


# Entitlements ------------------------------------------------------------------


@login_required
@require_GET
def entitlement_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, selectors.VIEW)
    form = EntitlementFilterForm(request.GET or None, communes=selectors.covered_communes(request.user))
    filters = selectors.EntitlementFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.EntitlementFilters(q=d["q"], commune=d["commune"].pk if d["commune"] else None,
                                               scheme=d["scheme"], status=d["status"], sort=d["sort"] or "name")
    page = Paginator(selectors.entitlement_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = partial_or_full(request, "assistance/entitlement_list.html", "assistance/_entitlement_table.html")
    return render(request, template, {"form": form, "page": page, "sort": filters.sort})


@login_required
@require_GET
def entitlement_review(request: HttpRequest) -> HttpResponse:
    """Active entitlements of a commune judged again for a month: what changed and needs a decision."""
    access.require(request.user, selectors.VIEW)
    communes = selectors.covered_communes(request.user)
    form = ReviewForm(request.GET or None, communes=communes)
    review = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            offset = int(request.GET.get("offset") or 0)
        except ValueError:
            offset = 0
        review = selectors.entitlements_review(user=request.user, commune_id=d["commune"].pk, on=d["month"],
                                               offset=offset)
    return render(request, "assistance/entitlement_review.html", {
        "form": form, "review": review, "can_decide": access.can(request.user, "entitlement.decide"),
        "can_propose": access.can(request.user, "entitlement.propose")})


@login_required
@require_GET
def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ent = selectors.entitlement_open(user=request.user, pk=pk)
    return render(request, "assistance/entitlement_detail.html", {
        "ent": ent, "person": ent.person,
        "payments": selectors.entitlement_payments(user=request.user, entitlement=ent),
        "arrears": selectors.entitlement_arrears(user=request.user, entitlement=ent),
        "monthly": _monthly(ent),
    })


def _monthly(ent: Entitlement) -> int | None:
    """This month's amount under the rules in force (None when not decided or no rule row)."""
    try:
        return services.monthly_amount(ent, timezone.localdate())
    except RuleMissing:
        return None


def _check(person: Any) -> tuple[Any, str]:
    try:
        return services.engine_result(person=person, on=timezone.localdate()), ""
    except RuleMissing as exc:
        return None, str(exc)


@login_required
@require_GET
def person_entitlements(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A person's entitlements and what the engine says today, with its reasoning; the proposal form."""
    person = selectors.person_for_entitlements(user=request.user, pk=person_pk)
    items = selectors.person_entitlements(user=request.user, person=person)
    result, error = _check(person)
    form = None
    open_groups = {e.group_code for e in items if e.is_open}
    offer = [ln for ln in (result.paid if result else ()) if ln.group not in open_groups]
    if offer and access.can(request.user, "entitlement.propose"):
        form = ProposeForm(lines=offer, communes=selectors.covered_communes(request.user),
                           initial={"commune": person.commune_id})
    return render(request, "assistance/person_entitlements.html", {
        "person": person, "items": items, "result": result, "engine_error": error, "form": form,
        "reasoning_include": reasoning_include(), "today": timezone.localdate()})


@login_required
@require_http_methods(["POST"])
def entitlement_propose(request: HttpRequest, person_pk: int) -> HttpResponse:
    access.require(request.user, "entitlement.propose")
    person = selectors.person_for_entitlements(user=request.user, pk=person_pk)
    result, error = _check(person)
    lines = list(result.paid) if result else []
    form = ProposeForm(request.POST, lines=lines, communes=selectors.covered_communes(request.user))
    if form.is_valid():
        d = form.cleaned_data
        try:
            ent = services.entitlement_propose(actor=request.user, person=person, group=d["group"],
                                               commune=d["commune"], payment=form.payment(), note=d["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi đề nghị hưởng “%(label)s”; chờ quyết định.") % {"label": ent.label})
            return redirect("assistance:entitlement-detail", pk=ent.pk)
    items = selectors.person_entitlements(user=request.user, person=person)
    return render(request, "assistance/person_entitlements.html", {
        "person": person, "items": items, "result": result, "engine_error": error, "form": form,
        "reasoning_include": reasoning_include(), "today": timezone.localdate()}, status=422)


def _entitlement_form(request: HttpRequest, *, ent: Entitlement, form: Any, title: str, save: Any,
                      success: str, template: str = "assistance/entitlement_form.html",
                      extra: dict[str, Any] | None = None) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "ent": ent, "person": ent.person, "title": title, **(extra or {})}
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ConflictError as exc:
            context["conflict"] = exc
            data = request.POST.copy()
            data["version"] = str(selectors.entitlement_get(user=request.user, pk=ent.pk).version)
            form = type(form)(data, request.FILES)
            form.is_valid()
            context["form"] = form
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("assistance:entitlement-detail", pk=ent.pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entitlement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "entitlement.decide")
    ent = selectors.entitlement_get(user=request.user, pk=pk)
    today = timezone.localdate()
    form = DecideForm(request.POST or None, request.FILES or None, initial={
        "version": ent.version, "signed_on": today, "signer_title": services.signer_title_on(today)})

    def save(d: dict[str, Any]) -> None:
        services.entitlement_decide(actor=request.user, entitlement=ent, approve=d["approve"],
                                    decision=form.decision(), reason=d.get("reason", ""),
                                    expected_version=d["version"])

    return _entitlement_form(request, ent=ent, form=form, title=_("Quyết định hưởng trợ cấp"), save=save,
                             success=_("Đã ghi quyết định."), extra={"monthly": _monthly(ent)})


@login_required
@require_http_methods(["GET", "POST"])
def entitlement_stop(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "entitlement.decide")
    ent = selectors.entitlement_get(user=request.user, pk=pk)
    today = timezone.localdate()
    initial: dict[str, Any] = {"version": ent.version, "signed_on": today,
                               "signer_title": services.signer_title_on(today)}
    if ent.person.status == "deceased" and ent.person.death_date:
        initial.update({"reason": "death", "stop_on": ent.person.death_date})
    form = StopForm(request.POST or None, request.FILES or None, initial=initial)

    def save(d: dict[str, Any]) -> None:
        services.entitlement_stop(actor=request.user, entitlement=ent, reason=d["reason"], stop_on=d["stop_on"],
                                  note=d["note"], decision=form.decision(), expected_version=d["version"])

    return _entitlement_form(request, ent=ent, form=form, title=_("Thôi hưởng trợ cấp"), save=save,
                             success=_("Đã ghi quyết định thôi hưởng."))


@login_required
@require_http_methods(["GET", "POST"])
def entitlement_payment(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "entitlement.propose")
    ent = selectors.entitlement_get(user=request.user, pk=pk)
    form = PaymentMethodForm(request.POST or None, initial={
        "version": ent.version, "payment_method": ent.payment_method, "bank_account": ent.bank_account,
        "bank_name": ent.bank_name})

    def save(d: dict[str, Any]) -> None:
        services.entitlement_change_payment(actor=request.user, entitlement=ent, payment=form.payment(),
                                            expected_version=d["version"])

    return _entitlement_form(request, ent=ent, form=form, title=_("Đổi hình thức nhận trợ cấp"), save=save,
                             success=_("Đã đổi hình thức nhận; áp dụng từ danh sách chi trả tiếp theo."))


# Decisions -------------------------------------------------------------------


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, selectors.VIEW)
    form = DecisionFilterForm(request.GET or None, communes=selectors.covered_communes(request.user))
    filters = selectors.DecisionFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.DecisionFilters(q=d["q"], commune=d["commune"].pk if d["commune"] else None,
                                            kind=d["kind"], year=d["year"])
    page = Paginator(selectors.decision_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = partial_or_full(request, "assistance/decision_list.html", "assistance/_decision_table.html")
    return render(request, template, {"form": form, "page": page})


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_open(user=request.user, pk=pk)
    return render(request, "assistance/decision_detail.html", {
        "decision": decision, "entitlements": selectors.decision_entitlements(user=request.user, decision=decision)})


@login_required
@require_GET
def decision_document(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if not decision.document:
        raise Http404
    selectors.decision_open(user=request.user, pk=pk, purpose="document")
    return FileResponse(decision.document.open("rb"), as_attachment=False,
                        filename=decision.document.name.rsplit("/", 1)[-1])
