"""Staff pages of family tracing. Thin: forms parse, selectors read (scoped), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.tracing import selectors, services
from ctxh.tracing.forms import (
    ERROR_FIELDS,
    CloseForm,
    RequestFilterForm,
    ReunifyForm,
    ReviewForm,
    TracingRequestForm,
)
from ctxh.tracing.models import TracingRequest

PAGE_SIZE = 25


def _home_province(user: Any) -> int:
    return services._home_province(user)


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "tracing.view")
    form = RequestFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.request_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = partial_or_full(request, "tracing/request_list.html", "tracing/_request_table.html")
    return render(request, template, {
        "form": form, "page": page, "sort": filters.sort,
        "can_manage": access.can(request.user, "tracing.manage"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "tracing.manage")
    province_id = _home_province(request.user)
    form = TracingRequestForm(request.POST or None, province_id=province_id)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.tracing_request_create(
                actor=request.user, data=form.service_data(), source=form.cleaned_data["source"],
                province_id=province_id)
        except ValidationError as exc:
            apply_service_errors(form, exc, ERROR_FIELDS)
        else:
            messages.success(request, _("Đã ghi yêu cầu %(number)s.") % {"number": req.receipt_number})
            return redirect("tracing:detail", pk=req.pk)
    status = 422 if form.errors else 200
    return render(request, "tracing/request_form.html", {"form": form}, status=status)


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "tracing.view")
    req = selectors.request_open(user=request.user, pk=pk)
    rows = selectors.match_rows(user=request.user, req=req)
    can_manage = access.can(request.user, "tracing.manage")
    return render(request, "tracing/request_detail.html", {
        "req": req, "rows": rows, "can_manage": can_manage,
        "reunify_form": ReunifyForm(initial={"version": req.version}, auto_id="reunify_%s")
        if can_manage and req.is_open else None,
        "close_form": CloseForm(initial={"version": req.version}, auto_id="close_%s")
        if can_manage and req.is_open else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "tracing.manage")
    req = selectors.request_open(user=request.user, pk=pk, purpose="edit")
    form = TracingRequestForm(request.POST or None, province_id=req.province_id, request=req)
    context: dict[str, Any] = {"form": form, "req": req}
    if request.method == "POST" and form.is_valid():
        try:
            services.tracing_request_update(actor=request.user, request=req, data=form.service_data(),
                                            expected_version=form.cleaned_data.get("version") or 0)
        except ConflictError as exc:
            context["conflict"] = exc
            # Keep what the user typed; a second save is then a deliberate overwrite.
            data = request.POST.copy()
            data["version"] = str(selectors.request_get(user=request.user, pk=pk).version)
            form = TracingRequestForm(data, province_id=req.province_id, request=req)
            form.is_valid()
            context["form"] = form
        except ValidationError as exc:
            apply_service_errors(form, exc, ERROR_FIELDS)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("tracing:detail", pk=req.pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "tracing/request_form.html", context, status=status)


@login_required
@require_POST
def request_rematch(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "tracing.manage")
    req = selectors.request_get(user=request.user, pk=pk)
    try:
        services.tracing_request_rematch(actor=request.user, request=req)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đối chiếu lại với sổ đăng ký và các yêu cầu khác."))
    return redirect("tracing:detail", pk=req.pk)


def _review(request: HttpRequest, pk: int, mid: int, *, confirm: bool) -> HttpResponse:
    access.require(request.user, "tracing.manage")
    req = selectors.request_get(user=request.user, pk=pk)
    match = selectors.match_get(user=request.user, req=req, pk=mid)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("tracing:detail", pk=req.pk)
    note, version = form.cleaned_data["note"], form.cleaned_data["version"]
    try:
        if confirm:
            services.tracing_match_confirm(actor=request.user, match=match, note=note, expected_version=version)
        else:
            services.tracing_match_reject(actor=request.user, match=match, note=note, expected_version=version)
    except ConflictError:
        text = _("Yêu cầu đã được người khác sửa sau khi bạn mở. Trang đã hiện dữ liệu mới nhất; hãy xem lại rồi "
                 "xác nhận lại.")
        if note:
            text += " " + _("Ghi chú bạn đã nhập: “%(note)s”.") % {"note": note}
        messages.error(request, text)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xác nhận ứng viên.") if confirm else _("Đã ghi: không phải người cần tìm."))
    return redirect("tracing:detail", pk=req.pk)


@login_required
@require_POST
def match_confirm(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    return _review(request, pk, mid, confirm=True)


@login_required
@require_POST
def match_reject(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    return _review(request, pk, mid, confirm=False)


def _outcome(request: HttpRequest, pk: int, *, form_class: type, template_title: str, run: Any,
             done: str) -> HttpResponse:
    """GET shows the outcome form; POST runs the service and returns to the request."""
    access.require(request.user, "tracing.manage")
    req = selectors.request_get(user=request.user, pk=pk)
    form = form_class(request.POST or None, initial={"version": req.version})
    context: dict[str, Any] = {"form": form, "req": req, "title": template_title}
    if request.method == "POST" and form.is_valid():
        try:
            run(req, form.cleaned_data)
        except ConflictError as exc:
            context["conflict"] = exc
            data = request.POST.copy()
            data["version"] = str(selectors.request_get(user=request.user, pk=pk).version)
            context["form"] = form = form_class(data)
            form.is_valid()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("tracing:detail", pk=req.pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "tracing/outcome_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_reunify(request: HttpRequest, pk: int) -> HttpResponse:
    def run(req: TracingRequest, d: dict[str, Any]) -> None:
        services.tracing_request_reunify(actor=request.user, request=req, reunified_on=d["reunified_on"],
                                         method=d["method"], notes=d["notes"], expected_version=d["version"])

    return _outcome(request, pk, form_class=ReunifyForm, template_title=_("Ghi nhận đoàn tụ"), run=run,
                    done=_("Đã ghi nhận đoàn tụ."))


@login_required
@require_http_methods(["GET", "POST"])
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    def run(req: TracingRequest, d: dict[str, Any]) -> None:
        services.tracing_request_close(actor=request.user, request=req, status=d["status"], note=d["note"],
                                       expected_version=d["version"])

    return _outcome(request, pk, form_class=CloseForm, template_title=_("Đóng yêu cầu"), run=run,
                    done=_("Đã đóng yêu cầu."))
