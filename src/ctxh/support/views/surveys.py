"""Needs surveys (đợt khảo sát): create, import needs all-or-nothing, the report and its Excel file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core.text import fold
from ctxh.support import exports, imports, selectors, services
from ctxh.support.forms import SurveyForm, SurveyImportForm, SurveyQuickForm
from ctxh.support.models import NeedsSurvey
from ctxh.support.views.common import apply_errors


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """Surveys of the user's area (workers) or province (statisticians, who open only the report)."""
    user = request.user
    return render(request, "support/survey_list.html", {
        "surveys": list(selectors.survey_list(user=user)[:200]),
        "can_manage": access.can(user, "support.manage"),
        "can_work": access.can(user, "support.view"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(user, "support.manage")
    form = SurveyForm(request.POST or None, communes=selectors.covered_communes(user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(actor=user, name=d["name"], purpose=d["purpose"],
                                            starts_on=d["starts_on"], ends_on=d["ends_on"],
                                            communes=list(d["communes"]), need_types=list(d["need_types"]))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đợt khảo sát “%(name)s”.") % {"name": survey.name})
            return redirect("support:survey-detail", pk=survey.pk)
    return render(request, "support/survey_form.html", {"form": form}, status=422 if form.errors else 200)


def _detail(request: HttpRequest, survey: NeedsSurvey, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    context = {
        "survey": survey,
        "communes": list(survey.communes.order_by("name")),
        "need_types": list(survey.need_types.order_by("position")),
        "report": selectors.survey_report(user=user, survey=survey, suppressed=False),
        "import_form": extra.pop("import_form", None) or SurveyImportForm(),
        "quick_form": extra.pop("quick_form", None) or SurveyQuickForm(),
        "can_manage": access.can(user, "support.manage"),
        **extra,
    }
    return render(request, "support/survey_detail.html", context, status=status)


@login_required
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.survey_get(user=request.user, pk=pk))


def _import(request: HttpRequest, survey: NeedsSurvey, read: Any, source: str, **forms: Any) -> HttpResponse:
    try:
        rows = read()
        created = services.survey_import(actor=request.user, survey=survey, rows=rows, source=source)
    except imports.ImportRejected as exc:
        return _detail(request, survey, status=422, import_errors=exc.row_errors, import_source=source, **forms)
    messages.success(request, _("Đã nhập %(n)s nhu cầu vào đợt khảo sát.") % {"n": len(created)})
    return redirect("support:survey-detail", pk=survey.pk)


@login_required
@require_POST
def survey_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A CSV or XLSX file of needs: all rows saved, or none with a row-by-row report."""
    user = request.user
    access.require(user, "support.manage")
    survey = selectors.survey_get(user=user, pk=pk)
    form = SurveyImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, survey, status=422, import_form=form)
    file = form.cleaned_data["file"]
    return _import(request, survey, lambda: imports.read_upload(file), file.name, import_form=form)


@login_required
@require_POST
def survey_quick(request: HttpRequest, pk: int) -> HttpResponse:
    """Pasted lines (CCCD or id; need code; detail), checked and saved like a file."""
    user = request.user
    access.require(user, "support.manage")
    survey = selectors.survey_get(user=user, pk=pk)
    form = SurveyQuickForm(request.POST)
    if not form.is_valid():
        return _detail(request, survey, status=422, quick_form=form)
    d = form.cleaned_data
    default = d["default_need_type"].code if d["default_need_type"] else ""
    return _import(request, survey, lambda: imports.read_lines(d["lines"], default), _("nhập nhanh"),
                   quick_form=form)


@login_required
@require_GET
def survey_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Counts by commune × need type; for a statistician, counts under 5 show as "<5"."""
    survey, suppressed = selectors.survey_for_report(user=request.user, pk=pk)
    report = selectors.survey_report(user=request.user, survey=survey, suppressed=suppressed)
    return render(request, "support/survey_report.html", {"survey": survey, "report": report})


@login_required
@require_GET
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey, suppressed = selectors.survey_for_report(user=request.user, pk=pk)
    report = selectors.survey_report(user=request.user, survey=survey, suppressed=suppressed)
    response = HttpResponse(exports.survey_report_xlsx(report),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = slugify(fold(survey.name))[:60] or "khao-sat"
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{name}.xlsx"'
    return response


@login_required
@require_GET
def survey_template(request: HttpRequest) -> HttpResponse:
    """A sample CSV with the expected header (UTF-8 with BOM, so Excel shows the marks)."""
    selectors.require_view(request.user)
    header = ",".join(str(imports.COLUMN_LABELS[c]) for c in imports.TEMPLATE_COLUMNS)
    example = _("Liệt hai chân")
    body = f"\ufeff{header}\r\n022190004321,,wheelchair,{example}\r\n,1234,job,\r\n"
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-nhu-cau.csv"'
    return response
