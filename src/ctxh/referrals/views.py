"""The referral pages of logged-in users: the Centre's side (send, follow, cancel, links, letter) and the provider's inbox.

Thin: objects come through ``selectors`` (404 outside the user's scope) and
every change through ``services``. The pages first require ``referral.make``
or a membership of a provider with an account (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.referrals import pdf, selectors, services, workflow
from ctxh.referrals.forms import FilterForm, MoveForm, ProviderSearchForm, ReferralForm
from ctxh.referrals.models import ReferralLink

PAGE_SIZE = 25
SESSION_TOKEN = "referrals:issued_link"


def _gate(user: Any) -> None:
    if not selectors.may_use_referrals(user):
        raise PermissionDenied(_("Bạn không có quyền xem chuyển gửi."))


def _detail_url(pk: int) -> str:
    return reverse("referrals:detail", kwargs={"pk": pk})


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Lists ---------------------------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request")
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals the user may see; ``?state=overdue`` lists those still unanswered after their date."""
    _gate(request.user)
    form = FilterForm(request.GET or None)
    qs = selectors.referral_list(user=request.user, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = partial_or_full(request, "referrals/referral_list.html", "referrals/_referral_table.html")
    return render(request, template, {
        "form": form, "page": page, "inbox": False,
        "case_numbers": selectors.visible_case_numbers(user=request.user, referrals=page.object_list)})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def inbox(request: HttpRequest) -> HttpResponse:
    """The provider's inbox: referrals sent to the user's own provider organisation."""
    if not selectors.is_provider_staff(request.user):
        raise PermissionDenied(_("Hộp chuyển gửi dành cho cán bộ của đơn vị cung cấp dịch vụ có tài khoản CTXH."))
    form = FilterForm(request.GET or None)
    qs = selectors.referral_list(user=request.user, inbox=True, **form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = partial_or_full(request, "referrals/inbox.html", "referrals/_referral_table.html")
    return render(request, template, {"form": form, "page": page, "inbox": True})


@login_required
@require_GET
def overdue_panel(request: HttpRequest) -> HttpResponse:
    """The worker's panel of unanswered referrals past their date (made by them or of their cases)."""
    access.require(request.user, "referral.make")
    return render(request, "referrals/_overdue_panel.html", {
        "overdue_referrals": selectors.overdue_for_worker(user=request.user)})


# Sending ------------------------------------------------------------------------------------


def _source(request: HttpRequest) -> tuple[Any, Any, list[Any]]:
    """The case or the call named in the query (or the form), read through the user's scope; and its people."""
    from ctxh.cases.selectors import case_get
    from ctxh.hotline.selectors import call_get, content_visible

    user = request.user
    case_id = request.POST.get("case") or request.GET.get("case") or ""
    call_id = request.POST.get("call") or request.GET.get("call") or ""
    if call_id:
        access.require(user, "call.view")
        call = call_get(user=user, pk=call_id)
        if not content_visible(user=user, call=call):
            raise Http404
        people = [s.person for s in call.call_subjects.all()]
        if call.caller_id and call.caller is not None and call.caller_id not in {p.pk for p in people}:
            people.append(call.caller)
        return None, call, people
    if case_id:
        case = case_get(user=user, pk=case_id)
        return case, None, [case.person]
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    """Send a referral from a case (``?case=<id>``) or a call (``?call=<id>``): consent checked first."""
    user = request.user
    access.require(user, "referral.make")
    case, call, people = _source(request)
    form = ReferralForm(request.POST or None, people=people)
    provider = None
    provider_id = request.POST.get("provider") or request.GET.get("provider") or ""
    if provider_id:
        try:
            provider = selectors.provider_for_referral(user=user, pk=provider_id)
        except Http404:
            provider = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = next((p for p in people if p.pk == d["person"]), None)
        if provider is None:
            form.add_error("provider", _("Chọn đơn vị nhận chuyển gửi."))
        else:
            try:
                referral = services.referral_create(
                    actor=user, provider=provider, reason=d["reason"], case=case, call=call, person=person,
                    services=list(d["services"]), urgency=d["urgency"], emergency=d["emergency"],
                    emergency_reason=d["emergency_reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc, rename={"consent": None, "case": None})
            else:
                messages.success(request, _("Đã chuyển gửi %(number)s đến %(provider)s.") % {
                    "number": referral.number, "provider": provider.name})
                issued = getattr(referral, "issued_link", None)
                if issued is not None:
                    request.session[SESSION_TOKEN] = {"link": issued.link.pk, "token": issued.token}
                    return redirect("referrals:link-issued", pk=referral.pk)
                return redirect(_detail_url(referral.pk))
    consents = {p.pk: selectors.sharing_consent(p) for p in people}
    context = {
        "form": form, "case": case, "call": call, "people": people, "provider": provider,
        "chosen_providers": [provider] if provider else [],
        "consents": [(p, consents[p.pk]) for p in people],
        "search_form": ProviderSearchForm(), "communes": _communes(user),
    }
    return render(request, "referrals/referral_new.html", context, status=422 if form.errors else 200)


def _communes(user: Any) -> list[Any]:
    from django.db.models import Q

    from ctxh.geo.models import Commune

    cov = access.coverage(user)
    if cov.empty:
        return []
    return list(Commune.objects.filter(Q(province_id__in=sorted(cov.provinces)) | Q(pk__in=sorted(cov.communes)))
                .order_by("name"))


@login_required
@require_GET
def provider_search(request: HttpRequest) -> HttpResponse:
    """The provider chooser's results (htmx): by name, service and commune."""
    access.require(request.user, "referral.make")
    form = ProviderSearchForm(request.GET or None)
    rows: list[Any] = []
    searched = False
    if form.is_valid():
        d = form.cleaned_data
        searched = bool(d["q"] or d["service"] or d["commune"])
        rows = selectors.provider_search(user=request.user, q=d["q"], service=d["service"], commune=d["commune"])
    return render(request, "referrals/_provider_results.html", {
        "providers": rows, "searched": searched, "chosen": request.GET.get("chosen", "")})


# One referral ---------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, referral: Any, **overrides: Any) -> dict[str, Any]:
    user = request.user
    centre = selectors.is_centre_side(user, referral)
    provider_side = selectors.is_provider_side(user, referral)
    moves = []
    for move in workflow.moves_from(referral.status):
        if move.side == workflow.CENTRE and not centre:
            continue
        moves.append((move, move.code in workflow.CONFIRM))
    minimum = selectors.provider_view(referral) if provider_side and not centre else {}
    return {
        **minimum,
        "referral": referral, "centre": centre, "provider_side": provider_side and not centre,
        "moves": moves, "changes": selectors.referral_changes(referral),
        "links": selectors.referral_links(referral) if centre else [],
        "may_issue": centre and workflow.link_purpose_for(referral.status) is not None,
        "services": list(referral.services.all()),
        "move_form": overrides.pop("move_form", None) or MoveForm(initial={"version": referral.version}),
        "failed_action": overrides.pop("failed_action", ""),
        **overrides,
    }


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral, its history, its links and the moves the user may make; every opening is logged."""
    _gate(request.user)
    referral = selectors.referral_open_for_read(user=request.user, pk=pk)
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral))


@login_required
@require_POST
def referral_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One move (accept, decline, start, complete, cancel) of the transition table."""
    _gate(request.user)
    referral = selectors.referral_get(user=request.user, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        # The page again with what was typed and the reason, never a redirect that drops the text.
        return render(request, "referrals/referral_detail.html", _detail_context(
            request, referral, move_form=form, failed_action=request.POST.get("action", "")), status=422)
    d = form.cleaned_data
    try:
        referral = services.referral_act(actor=request.user, referral=referral, action=d["action"], text=d["text"],
                                         expected_version=d["version"])
    except ConflictError as exc:
        # Keep what the user typed, against the referral as it stands now.
        fresh = selectors.referral_get(user=request.user, pk=pk)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        form = MoveForm(data)
        form.is_valid()
        return render(request, "referrals/referral_detail.html", _detail_context(
            request, fresh, move_form=form, failed_action=d["action"], conflict=exc), status=409)
    except ValidationError as exc:
        fresh = selectors.referral_get(user=request.user, pk=pk)
        apply_service_errors(form, exc, rename={"reason": "text", "feedback": "text", "action": None})
        return render(request, "referrals/referral_detail.html", _detail_context(
            request, fresh, move_form=form, failed_action=d["action"]), status=422)
    messages.success(request, _("Đã cập nhật: %(status)s.") % {"status": referral.get_status_display()})
    return redirect(_detail_url(pk))


# Links -------------------------------------------------------------------------------------------


@login_required
@require_POST
def link_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """A new one-time link for the provider (the earlier ones are revoked)."""
    _gate(request.user)
    referral = selectors.referral_get(user=request.user, pk=pk)
    try:
        issued = services.referral_link_issue(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_detail_url(pk))
    request.session[SESSION_TOKEN] = {"link": issued.link.pk, "token": issued.token}
    return redirect("referrals:link-issued", pk=pk)


@login_required
@require_GET
def link_issued(request: HttpRequest, pk: int) -> HttpResponse:
    """The new link, shown once: only its hash is kept, so a reload cannot show it again."""
    _gate(request.user)
    referral = selectors.referral_get(user=request.user, pk=pk)
    if not selectors.is_centre_side(request.user, referral):
        raise PermissionDenied(_("Chỉ phía Trung tâm mới cấp đường dẫn cho đơn vị."))
    held = request.session.pop(SESSION_TOKEN, None) or {}
    link = None
    url = ""
    if held.get("link"):
        link = ReferralLink.objects.filter(pk=held["link"], referral=referral).first()
        if link is not None:
            url = request.build_absolute_uri(reverse("referrals:link", kwargs={"token": held["token"]}))
    response = render(request, "referrals/link_issued.html", {
        "referral": referral, "link": link, "url": url, "token": held.get("token", "") if link else ""})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    _gate(request.user)
    referral = selectors.referral_get(user=request.user, pk=pk)
    link = ReferralLink.objects.filter(pk=link_id, referral=referral).first()
    if link is None:
        raise Http404
    try:
        services.referral_link_revoke(actor=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã thu hồi đường dẫn; đơn vị không dùng được nữa."))
    return redirect(_detail_url(pk))


# The letter -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """Giấy chuyển gửi (PDF); a POST with the token just issued prints the link on it. Logged as a print."""
    _gate(request.user)
    token = request.POST.get("token", "") if request.method == "POST" else ""
    referral, data = pdf.letter_pdf(user=request.user, pk=pk, token=token,
                                    base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{referral.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
