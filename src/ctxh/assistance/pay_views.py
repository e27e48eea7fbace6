"""Payment list and arrears pages: generate, view lines, mark paid (htmx), close, export, correct."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.assistance import exports, selectors, services
from ctxh.assistance.forms import (
    ArrearsComputeForm,
    ArrearsFilterForm,
    CloseForm,
    CorrectionForm,
    GenerateForm,
    LineFilterForm,
    PaymentListFilterForm,
    ProvinceRunForm,
)
from ctxh.assistance.models import PaymentLine, PaymentList, PaymentRun
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.core.htmx import partial_or_full
from ctxh.core.templatetags.ctxh import vnd

PAGE_SIZE = 25
LINES_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _province_of(user: Any) -> Any:
    from ctxh.geo.models import Province

    provinces = sorted(access.coverage(user).provinces)
    return Province.objects.filter(pk__in=provinces).order_by("pk").first()


def _list_context(request: HttpRequest, *, generate: GenerateForm | None = None,
                  run_form: ProvinceRunForm | None = None) -> dict[str, Any]:
    communes = selectors.covered_communes(request.user)
    form = PaymentListFilterForm(request.GET or None, communes=communes)
    filters = selectors.PaymentListFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.PaymentListFilters(commune=d["commune"].pk if d["commune"] else None, month=d["month"],
                                               status=d["status"], kind=d["kind"])
    page = Paginator(selectors.payment_list_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    can_manage = access.can(request.user, "payment.manage")
    province = _province_of(request.user) if can_manage else None
    return {
        "form": form, "page": page,
        "generate_form": generate or (GenerateForm(communes=communes) if can_manage else None),
        "run_form": run_form or (ProvinceRunForm() if province else None),
        "province": province,
        "runs": selectors.payment_runs(user=request.user, limit=5) if province else [],
    }


@login_required
@require_GET
def payment_lists(request: HttpRequest) -> HttpResponse:
    access.require(request.user, selectors.VIEW)
    template = partial_or_full(request, "assistance/payment_lists.html", "assistance/_payment_list_table.html")
    return render(request, template, _list_context(request))


@login_required
@require_POST
def payment_generate(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "payment.manage")
    form = GenerateForm(request.POST, communes=selectors.covered_communes(request.user))
    if form.is_valid():
        try:
            plist = services.payment_list_generate(actor=request.user, commune=form.cleaned_data["commune"],
                                                   month=form.cleaned_data["month"])
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lập danh sách %(l)s: %(n)s người.") % {"l": plist, "n": plist.line_count})
            return redirect("assistance:payment-detail", pk=plist.pk)
    return render(request, "assistance/payment_lists.html", _list_context(request, generate=form), status=422)


@login_required
@require_POST
def payment_run_start(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "payment.manage")
    province = _province_of(request.user)
    if province is None:
        raise PermissionDenied(_("Chỉ người phụ trách toàn tỉnh mới lập danh sách cả tỉnh."))
    form = ProvinceRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.payment_run_start(actor=request.user, province=province, month=form.cleaned_data["month"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("assistance:payment-run", pk=run.pk)
    return render(request, "assistance/payment_lists.html", _list_context(request, run_form=form), status=422)


@login_required
@require_GET
def payment_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's progress; htmx polls the status fragment every 2 s until it is done or failed."""
    run = selectors.payment_run_get(user=request.user, pk=pk)
    template = partial_or_full(request, "assistance/payment_run.html", "assistance/_payment_run_status.html")
    return render(request, template, {"run": run, "polling": run.status in (PaymentRun.Status.QUEUED,
                                                                          PaymentRun.Status.RUNNING)})


@login_required
@require_GET
def payment_run_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.payment_run_get(user=request.user, pk=pk)
    if not run.export_file or not default_storage.exists(run.export_file):
        raise Http404
    from ctxh.audit.services import access_record

    access_record(actor=request.user, obj=run, purpose="export")
    return FileResponse(default_storage.open(run.export_file, "rb"), as_attachment=True,
                        filename=run.export_file.rsplit("/", 1)[-1], content_type=XLSX)


def _lines_context(request: HttpRequest, plist: PaymentList) -> dict[str, Any]:
    groups = selectors.group_totals(payment_list=plist)
    form = LineFilterForm(request.GET or None, groups=[(g.group_code, g.group_label) for g in groups])
    filters = selectors.LineFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.LineFilters(q=d["q"], group=d["group"], paid=d["paid"])
    page = Paginator(selectors.payment_lines(user=request.user, payment_list=plist, filters=filters),
                     LINES_PAGE).get_page(request.GET.get("page"))
    return {
        "plist": plist, "page": page, "line_form": form, "groups": groups,
        "can_mark": access.can(request.user, "payment.manage") and not plist.is_closed,
        "can_close": access.can(request.user, "payment.close") and not plist.is_closed,
        "can_correct": access.can(request.user, "payment.manage") and plist.is_closed
        and plist.kind == PaymentList.Kind.REGULAR,
        "corrections": list(plist.corrections.select_related("commune").order_by("id")),
    }


@login_required
@require_GET
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        if request.GET.get("part") == "totals":  # group totals only: no one's name
            plist = selectors.payment_list_get(user=request.user, pk=pk)
            return render(request, "assistance/_payment_totals.html", {
                "plist": plist, "groups": selectors.group_totals(payment_list=plist)})
        # Another page or a search shows other people's names and amounts: logged like the page.
        plist = selectors.payment_list_open(user=request.user, pk=pk)
        return render(request, "assistance/_payment_lines.html", _lines_context(request, plist))
    plist = selectors.payment_list_open(user=request.user, pk=pk)
    context = _lines_context(request, plist)
    if not plist.is_closed:
        context["dead"] = selectors.payment_lines_of_the_dead(user=request.user, payment_list=plist)
        context["can_stop"] = access.can(request.user, "entitlement.decide")
    return render(request, "assistance/payment_detail.html", context)


@login_required
@require_POST
def payment_line_paid(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    """Mark one line paid (or undo); htmx gets the row back, a plain form post the page."""
    plist = selectors.payment_list_get(user=request.user, pk=pk)
    line = selectors.payment_line_get(user=request.user, payment_list=plist, pk=line_pk)
    paid = request.POST.get("paid", "1") == "1"
    error = ""
    try:
        line = services.payment_line_mark_paid(actor=request.user, line=line, paid=paid,
                                               signed=request.POST.get("signed", "1") == "1",
                                               note=request.POST.get("note", ""))
    except ConflictError as exc:
        error = exc.message
        line = PaymentLine.objects.select_related("paid_by").get(pk=line.pk)
    htmx = getattr(request, "htmx", None)
    if htmx:
        plist.refresh_from_db()
        response = render(request, "assistance/_payment_line_row.html", {
            "line": line, "plist": plist, "can_mark": not plist.is_closed, "error": error})
        response["HX-Trigger"] = "payment-totals"
        return response
    if error:
        messages.error(request, error)
    return redirect(reverse("assistance:payment-detail", args=[plist.pk]) + f"#line-{line.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def payment_close(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "payment.close")
    plist = selectors.payment_list_get(user=request.user, pk=pk)
    form = CloseForm(request.POST or None, initial={"version": plist.version})
    context: dict[str, Any] = {"plist": plist, "form": form, "groups": selectors.group_totals(payment_list=plist)}
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_list_close(actor=request.user, payment_list=plist,
                                        expected_version=form.cleaned_data["version"])
        except ConflictError as exc:
            context["conflict"] = exc
            plist.refresh_from_db()
            context["form"] = CloseForm(initial={"version": plist.version})
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã khóa danh sách %(l)s.") % {"l": plist})
            return redirect("assistance:payment-detail", pk=plist.pk)
    status = 409 if "conflict" in context else (422 if form.errors else 200)
    return render(request, "assistance/payment_close.html", context, status=status)


@login_required
@require_GET
def payment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plist = selectors.payment_list_open(user=request.user, pk=pk, purpose="export")
    data = exports.list_xlsx(plist)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(plist)}.xlsx"'
    return response


@login_required
@require_GET
def payment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plist = selectors.payment_list_open(user=request.user, pk=pk, purpose="print")
    data = exports.list_pdf(user=request.user, payment_list=plist)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(plist)}.pdf"'
    return response


def _file_name(plist: PaymentList) -> str:
    kind = "" if plist.kind == PaymentList.Kind.REGULAR else f"-dieu-chinh-{plist.pk}"
    return f"danh-sach-chi-tra-{plist.commune_id}-{plist.month:%Y-%m}{kind}"


@login_required
@require_http_methods(["GET", "POST"])
def payment_correction(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "payment.manage")
    plist = selectors.payment_list_get(user=request.user, pk=pk)
    initial: dict[str, Any] = {}
    if request.GET.get("line", "").isdigit():
        initial["line"] = int(request.GET["line"])
    form = CorrectionForm(request.POST or None, initial=initial)
    line = None
    if form.is_bound and form.is_valid():
        line = PaymentLine.objects.filter(payment_list=plist, position=form.cleaned_data["line"],
                                          correction_of__isnull=True).first()
        if line is None:
            form.add_error("line", _("Danh sách không có dòng số này."))
        else:
            try:
                new = services.payment_correction_add(
                    actor=request.user, payment_list=plist, line=line, amount_delta=form.cleaned_data["amount_delta"],
                    arrears_delta=form.cleaned_data["arrears_delta"] or 0, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc, rename={"reason": "reason"})
            else:
                messages.success(request, _("Đã lập dòng điều chỉnh cho %(n)s.") % {"n": new.full_name})
                return redirect("assistance:payment-detail", pk=new.payment_list_id)
    preview = None
    if initial.get("line"):
        preview = PaymentLine.objects.filter(payment_list=plist, position=initial["line"]).first()
    return render(request, "assistance/payment_correction.html",
                  {"plist": plist, "form": form, "line": line or preview},
                  status=422 if form.errors else 200)


# Arrears -------------------------------------------------------------------------


@login_required
@require_GET
def arrears_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, selectors.VIEW)
    communes = selectors.covered_communes(request.user)
    form = ArrearsFilterForm(request.GET or None, communes=communes)
    filters = selectors.ArrearsFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.ArrearsFilters(commune=d["commune"].pk if d["commune"] else None,
                                           state="" if d["state"] == "all" else (d["state"] or "open"), q=d["q"])
    qs = selectors.arrears_list(user=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    province = _province_of(request.user)
    compute = None
    if access.can(request.user, "payment.manage"):
        compute = ArrearsComputeForm(communes=communes, province_wide=province is not None)
    template = partial_or_full(request, "assistance/arrears_list.html", "assistance/_arrears_table.html")
    return render(request, template, {"form": form, "page": page, "summary": selectors.arrears_summary(qs),
                                      "compute_form": compute})


@login_required
@require_POST
def arrears_compute(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "payment.manage")
    province = _province_of(request.user)
    form = ArrearsComputeForm(request.POST, communes=selectors.covered_communes(request.user),
                              province_wide=province is not None)
    if form.is_valid():
        commune = form.cleaned_data["commune"]
        try:
            result = services.arrears_compute(
                actor=request.user, as_of=timezone.localdate(), since=form.cleaned_data["since"],
                commune_id=commune.pk if commune else None,
                province_id=None if commune else (province.pk if province else None))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if result.items:
                messages.success(request, _("Đã tính %(n)s khoản truy lĩnh, tổng %(t)s; sẽ chi ở danh sách tiếp theo.")
                                 % {"n": result.items, "t": vnd(result.total)})
            else:
                messages.info(request, _("Không có chênh lệch nào: các tháng đã chi đều đúng theo quy định hiện hành."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("assistance:arrears-list")
