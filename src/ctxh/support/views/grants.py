"""Grants (hỗ trợ): the list with totals, the form with the rule-based suggestion, the record, the receipt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from ctxh.accounts import access
from ctxh.cases.selectors import case_get, case_queryset
from ctxh.core.exceptions import ConflictError
from ctxh.core.htmx import partial_or_full
from ctxh.core.models import Term
from ctxh.core.rules import RuleMissing
from ctxh.people.forms import DateInput
from ctxh.support import amounts, selectors, services
from ctxh.support.forms import GrantFilterForm, GrantForm, ReceiptForm
from ctxh.support.models import Need
from ctxh.support.views.common import PAGE_SIZE, apply_errors, chosen, picked, prefill_recipient


@login_required
@require_GET
@vary_on_headers("HX-Request")
def grant_list(request: HttpRequest) -> HttpResponse:
    """Grants the user may see, filtered, with the count and the money and goods they add up to."""
    user = request.user
    selectors.require_view(user)
    form = GrantFilterForm(request.GET or None, communes=selectors.covered_communes(user))
    filters = selectors.GrantFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.GrantFilters(
            q=d["q"], kind=d["kind"].code if d["kind"] else "", commune=d["commune"].pk if d["commune"] else None,
            funding=d["funding"].code if d["funding"] else "", date_from=d["date_from"], date_to=d["date_to"],
            sort=d["sort"] or "-given_on")
    qs = selectors.grant_list(user=user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "totals": selectors.grant_totals(qs), "sort": filters.sort,
               "can_manage": access.can(user, "support.manage")}
    return render(request, partial_or_full(request, "support/grant_list.html", "support/_grant_table.html"), context)


def _case_by_number(user: Any, number: str) -> Any:
    number = (number or "").strip().upper()
    if not number:
        return None
    case = case_queryset(user=user).filter(number=number).first()
    if case is None:
        raise ValidationError({"case_number": [_("Không tìm thấy hồ sơ số %(n)s trong phạm vi bạn được xem.")
                                               % {"n": number}]})
    return case


def _need(user: Any, pk: Any) -> Need | None:
    if not pk:
        return None
    try:
        return selectors.need_get(user=user, pk=pk)
    except Http404:
        return None


def _initial(request: HttpRequest, user: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Initial values from the link that opened the form: ?person, ?household, ?case, ?need."""
    initial: dict[str, Any] = {"given_on": timezone.localdate()}
    extra = prefill_recipient(user, request)
    case_pk = request.GET.get("case", "")
    if case_pk.isdigit():
        try:
            case = case_get(user=user, pk=int(case_pk))
        except Http404:
            case = None
        if case is not None:
            initial["case_number"] = case.number
            extra.setdefault("person", case.person)
    need = _need(user, request.GET.get("need"))
    if need is not None:
        extra["need"] = need
        initial["need"] = need.pk
        extra.pop("person", None)
        extra.pop("household", None)
        extra["person" if need.person_id else "household"] = need.person or need.household
        hint = need.need_type.extra or {}
        if hint.get("kind"):
            initial["kind"] = hint["kind"]
        if hint.get("item"):
            initial["item"] = hint["item"]
        initial["reason"] = need.detail
    if "person" in extra:
        initial["person"] = extra["person"].pk
    if "household" in extra:
        initial["household"] = extra["household"].pk
    return initial, extra


def _grant_form(request: HttpRequest, form: GrantForm, extra: dict[str, Any], status: int = 200) -> HttpResponse:
    values = form.data if form.is_bound else form.initial
    context = {"form": form, **extra, "suggestion": _suggestion(values)}
    return render(request, "support/grant_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "support.manage")
    donations = selectors.donation_list(user=user, state="open")
    if request.method == "GET":
        initial, extra = _initial(request, user)
        return _grant_form(request, GrantForm(initial=initial, donations=donations), extra)
    form = GrantForm(request.POST, request.FILES, donations=donations)
    extra = chosen(user, request.POST)
    need = _need(user, request.POST.get("need"))
    if need is not None:
        extra["need"] = need
    if form.is_valid():
        d = form.cleaned_data
        person, household = picked(user, form)
        try:
            case = _case_by_number(user, d["case_number"])
            if not form.errors:
                grant = services.grant_record(
                    actor=user, person=person, household=household, kind=d["kind"], given_on=d["given_on"],
                    event_date=d["event_date"], amount=d["amount"], item=d["item"], quantity=d["quantity"],
                    unit=d["unit"], persons_count=d["persons_count"], months=d["months"], funding=d["funding"],
                    donation=d["donation"], project_name=d["project_name"], case=case, need=need,
                    reason=d["reason"], received_by=d["received_by"], received_on=d["received_on"],
                    receipt_number=d["receipt_number"], proof_file=d["proof_file"])
                messages.success(request, _("Đã ghi khoản hỗ trợ."))
                return redirect("support:grant-detail", pk=grant.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
    return _grant_form(request, form, extra, status=422)


@login_required
@require_GET
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One grant; opening it is written to the access log."""
    user = request.user
    grant = selectors.grant_open(user=user, pk=pk)
    return render(request, "support/grant_detail.html", {
        "grant": grant, "needs": list(grant.fulfilled_needs.select_related("need_type")),
        "can_manage": access.can(user, "support.manage"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def grant_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the proof of receipt; a conflicting edit keeps what the user typed and shows the conflict."""
    user = request.user
    access.require(user, "support.manage")
    grant = selectors.grant_get(user=user, pk=pk)
    context: dict[str, Any] = {"grant": grant}
    if request.method == "GET":
        form = ReceiptForm(initial={"version": grant.version, "received_by": grant.received_by,
                                    "received_on": grant.received_on or timezone.localdate(),
                                    "receipt_number": grant.receipt_number})
        return render(request, "support/receipt_form.html", {**context, "form": form})
    form = ReceiptForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.grant_receipt_record(
                actor=user, grant=grant, received_by=d["received_by"], received_on=d["received_on"],
                receipt_number=d["receipt_number"], proof_file=d["proof_file"], expected_version=d["version"])
        except ConflictError as exc:
            context["conflict"] = exc
            data = request.POST.copy()
            data["version"] = str(selectors.grant_get(user=user, pk=pk).version)
            form = ReceiptForm(data)
            form.is_valid()
            status = 409
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi biên nhận."))
            return redirect("support:grant-detail", pk=grant.pk)
    return render(request, "support/receipt_form.html", {**context, "form": form}, status=status)


@login_required
@require_GET
def grant_proof(request: HttpRequest, pk: int) -> FileResponse:
    user = request.user
    grant = selectors.grant_get(user=user, pk=pk)
    name, content_type, handle = selectors.proof_open(user=user, obj=grant)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


class SuggestForm(forms.Form):
    kind = forms.CharField(required=False)
    given_on = forms.DateField(required=False, widget=DateInput())
    event_date = forms.DateField(required=False, widget=DateInput())
    persons_count = forms.IntegerField(required=False, min_value=1, max_value=1000)
    months = forms.IntegerField(required=False, min_value=1, max_value=120)


def _suggestion(values: Any) -> dict[str, Any] | None:
    """The rule-based amount for the values of the form, or why there is none."""
    form = SuggestForm({k: values.get(k) or "" for k in SuggestForm.base_fields})
    if not form.is_valid():
        return None
    d = form.cleaned_data
    kind_value = values.get("kind")
    code = kind_value.code if isinstance(kind_value, Term) else (d["kind"] or "")
    kind = Term.objects.of("support_kind").filter(code=code).first() if code else None
    if kind is None:
        return None
    on: dt.date = d["event_date"] or d["given_on"] or timezone.localdate()
    try:
        calc = amounts.calculate(kind, on=on, persons=d["persons_count"], months=d["months"])
    except RuleMissing as exc:
        return {"error": str(exc), "kind": kind}
    if calc is None:
        return None
    return {"calc": calc, "kind": kind, "uses_event_date": bool(d["event_date"])}


@login_required
@require_GET
def grant_suggest(request: HttpRequest) -> HttpResponse:
    """The amount the rules give for the kind and the event date (htmx, as the form is filled in)."""
    selectors.require_view(request.user)
    return render(request, "support/_suggestion.html", {"suggestion": _suggestion(request.GET)})


@login_required
@require_GET
def household_search(request: HttpRequest) -> HttpResponse:
    """Households for the picker (htmx): radio buttons named ``household`` inside the form."""
    selectors.require_view(request.user)
    q = request.GET.get("hq", "").strip()
    return render(request, "support/_household_results.html", {
        "results": selectors.household_search(user=request.user, q=q), "q": q})
