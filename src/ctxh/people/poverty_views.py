"""Poverty survey pages of a household: the form with a live result, and the history.

Thin: forms parse, ``poverty_selectors`` read (scoped), ``poverty_services`` write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core.exceptions import ConflictError
from ctxh.core.forms import apply_service_errors
from ctxh.people import poverty_selectors as selectors
from ctxh.people import poverty_services as services
from ctxh.people.models import Household, PovertyArea
from ctxh.people.poverty import area_for_commune, indicators_by_dimension
from ctxh.people.poverty_forms import PovertySurveyForm, SurveyApplyForm
from ctxh.people.selectors import household_get, household_members

PAGE_SIZE = 25


def _auto_area_label(household: Household) -> str:
    area = area_for_commune(household.commune, timezone.localdate())
    if area is None:
        return _("Theo xã/phường (chưa xác định — hãy chọn)")
    return _("Theo xã/phường: %(area)s (%(commune)s)") % {
        "area": str(PovertyArea(area).label).lower(), "commune": household.commune.name}


def _survey_form(request: HttpRequest, household: Household) -> PovertySurveyForm:
    initial: dict[str, Any] = {}
    members = household.members.count()
    if members:
        initial["members_count"] = members
    return PovertySurveyForm(
        request.POST or None, initial=initial,
        groups=indicators_by_dimension(timezone.localdate()), auto_area_label=_auto_area_label(household),
    )


@login_required
@require_http_methods(["GET", "POST"])
def poverty_survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "poverty.manage")
    household = household_get(user=request.user, pk=pk)
    form = _survey_form(request, household)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.poverty_survey_record(actor=request.user, household=household, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc, rename={"on": "year"})
        else:
            messages.success(request, _("Đã ghi phiếu rà soát: %(result)s (%(standard)s).") % {
                "result": survey.get_result_display(), "standard": survey.standard.name})
            if survey.applied_at:
                messages.success(request, _("Đã cập nhật phân loại hộ năm %(year)s: %(result)s.") % {
                    "year": survey.year, "result": survey.get_result_display()})
            return redirect("people:poverty-survey-list", pk=household.pk)
    return render(request, "people/poverty_survey_form.html", {
        "form": form, "household": household, "checked": form.checked(),
        "members": household_members(user=request.user, household=household),
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def poverty_survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The result as the form is filled in (htmx): nothing is saved."""
    access.require(request.user, "poverty.manage")
    household = household_get(user=request.user, pk=pk)
    form = _survey_form(request, household)
    context: dict[str, Any] = {"household": household}
    if form.is_valid():
        data = form.service_data()
        try:
            draft = services.survey_draft(
                household=household, **{k: v for k, v in data.items() if k not in ("notes", "apply", "decision")})
        except ValidationError as exc:
            context["problems"] = exc.messages
        else:
            context["draft"] = draft
            context["result"] = draft.classification
            context["existing"] = selectors.household_poverty_of_year(household=household, year=draft.year)
    else:
        context["problems"] = [e for errs in form.errors.values() for e in errs]
    return render(request, "people/poverty_preview.html", context)


@login_required
@require_GET
def poverty_survey_list(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, "person.view")
    household = household_get(user=request.user, pk=pk)
    page = Paginator(selectors.poverty_surveys_open(user=request.user, household=household), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "people/poverty_survey_list.html", {
        "household": household, "page": page,
        "poverty": household.poverty.select_related("standard"),
        "can_manage": access.can(request.user, "poverty.manage"),
    })


@login_required
@require_POST
def poverty_survey_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a recorded survey's result to the household's classification of its year."""
    access.require(request.user, "poverty.manage")
    survey = selectors.poverty_survey_get(user=request.user, pk=pk)
    form = SurveyApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ, hãy tải lại trang."))
        return redirect("people:poverty-survey-list", pk=survey.household_id)
    try:
        row = services.poverty_survey_apply(
            actor=request.user, survey=survey, expected_version=form.cleaned_data["version"],
            decision=form.cleaned_data["decision"])
    except ConflictError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã cập nhật phân loại hộ năm %(year)s: %(result)s.") % {
            "year": row.year, "result": row.get_status_display()})
    return redirect("people:poverty-survey-list", pk=survey.household_id)
