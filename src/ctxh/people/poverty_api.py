"""Poverty surveys and the classification check over JSON (issue 5).

One router, meant to be mounted without a prefix (``api.add_router("", router)``)
because its paths sit under two roots:

- ``GET/POST /households/{id}/poverty-surveys`` — a household's surveys;
- ``POST /poverty/surveys/{id}/apply`` — write a survey's result to the year;
- ``POST /poverty/classify`` — the pure check, nothing saved.

Same services and scoping as the pages (``poverty_services``, ``poverty_selectors``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.geo.models import Commune
from ctxh.people import poverty_selectors as selectors
from ctxh.people import poverty_services as services
from ctxh.people.api import ConflictOut, ErrorOut, PageQuery, StrictIn, TermOut, _actor, _page
from ctxh.people.models import HouseholdPoverty, PovertySurvey
from ctxh.people.poverty import Classification, area_for_commune, classify, per_person
from ctxh.people.selectors import household_get

router = Router(tags=["poverty"])


class StandardOut(Schema):
    code: str
    name: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None


class SurveyIn(StrictIn):
    surveyed_on: dt.date = Field(..., description="Ngày rà soát (không sau hôm nay).")
    year: int | None = Field(None, description="Năm áp dụng: năm rà soát hoặc năm sau; mặc định năm rà soát.")
    members_count: int = Field(..., description="Số nhân khẩu.")
    income_total: int | None = Field(None, description="Tổng thu nhập của hộ, đồng/tháng.")
    income_per_person: int | None = Field(
        None, description="Hoặc thu nhập bình quân, đồng/người/tháng (chỉ một trong hai).")
    deprived: list[str] = Field([], description="Mã các chỉ số thiếu hụt (danh mục poverty_indicator).")
    area: str | None = Field(None, description="rural | urban; bỏ trống để lấy theo xã/phường.")
    area_reason: str = Field("", description="Bắt buộc khi khu vực khác khu vực theo xã/phường.")
    notes: str = ""
    apply: bool = Field(False, description="Ghi luôn kết quả vào phân loại hộ của năm áp dụng.")
    decision: str = Field("", description="Quyết định công nhận (nếu có).")


class SurveyOut(Schema):
    id: int
    household_id: int
    surveyed_on: dt.date
    year: int
    members_count: int
    income_total: int | None
    income_per_person: int
    deprived: list[TermOut]
    area: str
    area_reason: str
    result: str
    result_label: str
    standard: StandardOut
    reasons: list[str]
    notes: str
    surveyed_by: str | None
    applied_at: dt.datetime | None
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_deprived(obj: PovertySurvey) -> list[dict[str, str]]:
        return [t.as_dict() for t in obj.deprivations.all()]

    @staticmethod
    def resolve_result_label(obj: PovertySurvey) -> str:
        return str(obj.get_result_display())

    @staticmethod
    def resolve_surveyed_by(obj: PovertySurvey) -> str | None:
        return str(obj.surveyed_by) if obj.surveyed_by_id else None


class SurveyPage(Schema):
    items: list[SurveyOut]
    count: int


class ApplyIn(StrictIn):
    version: int = Field(..., description="Phiên bản phiếu mà client đã đọc.")
    decision: str = ""


class HouseholdPovertyOut(Schema):
    household_id: int
    year: int
    status: str
    status_label: str
    standard: StandardOut
    decision: str

    @staticmethod
    def resolve_status_label(obj: HouseholdPoverty) -> str:
        return str(obj.get_status_display())


class ClassifyIn(StrictIn):
    income_per_person: int | None = Field(None, description="Đồng/người/tháng.")
    income_total: int | None = Field(None, description="Hoặc tổng thu nhập của hộ, đồng/tháng, cùng members_count.")
    members_count: int | None = None
    deprived: list[str] = Field([], description="Mã các chỉ số thiếu hụt.")
    area: str | None = Field(None, description="rural | urban; hoặc gửi commune để lấy theo xã/phường.")
    commune: int | None = Field(None, description="Mã xã/phường (5 chữ số).")
    on: dt.date | None = Field(None, description="Ngày xét chuẩn; mặc định hôm nay.")


class ClassifyOut(Schema):
    status: str = Field(..., description="poor | near_poor | none")
    status_label: str
    on: dt.date
    area: str
    threshold: int
    income_per_person: int
    deprived: list[str]
    deprivation_count: int
    min_deprivations_poor: int
    standard: StandardOut
    reasons: list[str]


def _classification_out(result: Classification) -> dict[str, Any]:
    return {
        "status": result.status, "status_label": result.status_label, "on": result.on, "area": result.area,
        "threshold": result.threshold, "income_per_person": result.income_per_person,
        "deprived": list(result.deprived), "deprivation_count": result.deprivation_count,
        "min_deprivations_poor": result.min_deprivations, "standard": result.standard,
        "reasons": result.reasons,
    }


@router.get("/households/{household_id}/poverty-surveys", response={
    200: SurveyPage, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
})
def poverty_surveys_list(request: HttpRequest, household_id: int, page: Query[PageQuery]) -> dict[str, Any]:
    """A household's poverty surveys, newest first (the read is logged: incomes are financial data)."""
    user = _actor(request)
    access.require(user, "person.view")
    household = household_get(user=user, pk=household_id)
    return _page(selectors.poverty_surveys_open(user=user, household=household), page)


@router.post("/households/{household_id}/poverty-surveys", response={
    201: SurveyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
})
def poverty_surveys_create(request: HttpRequest, household_id: int, payload: SurveyIn) -> tuple[int, PovertySurvey]:
    """Record a survey; the result is computed by the standard in force for its year."""
    user = _actor(request)
    access.require(user, "poverty.manage")
    household = household_get(user=user, pk=household_id)
    survey = services.poverty_survey_record(actor=user, household=household, **payload.model_dump())
    return 201, survey


@router.post("/poverty/surveys/{survey_id}/apply", response={
    200: HouseholdPovertyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut,
})
def poverty_survey_apply(request: HttpRequest, survey_id: int, payload: ApplyIn) -> HouseholdPoverty:
    """Make a survey's result the household's classification of its year; 409 if the survey changed."""
    user = _actor(request)
    access.require(user, "poverty.manage")
    survey = selectors.poverty_survey_get(user=user, pk=survey_id)
    return services.poverty_survey_apply(
        actor=user, survey=survey, expected_version=payload.version, decision=payload.decision)


@router.post("/poverty/classify", response={200: ClassifyOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def poverty_classify(request: HttpRequest, payload: ClassifyIn) -> dict[str, Any]:
    """Poor, near-poor or neither for the figures sent, with the reasons. Nothing is saved."""
    user = _actor(request)
    if not (access.can(user, "poverty.manage") or access.can(user, "person.view")):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    on = payload.on or timezone.localdate()
    income = payload.income_per_person
    if income is None:
        if payload.income_total is None or not payload.members_count or payload.members_count < 1:
            raise ValidationError({"income_per_person": [
                _("Cần gửi thu nhập bình quân, hoặc tổng thu nhập cùng số nhân khẩu (từ 1 trở lên).")]})
        if payload.income_total < 0:
            raise ValidationError({"income_total": [_("Thu nhập không được âm.")]})
        income = per_person(payload.income_total, payload.members_count)
    area = payload.area
    if area is None and payload.commune is not None:
        commune = Commune.objects.filter(pk=payload.commune).first()
        if commune is None:
            raise ValidationError({"commune": [_("Không có xã/phường mã %(code)s.") % {"code": payload.commune}]})
        area = area_for_commune(commune, on)
        if area is None:
            raise ValidationError({"area": [
                _("Loại đơn vị “%(kind)s” chưa có trong quy định khu vực: cần gửi area.")
                % {"kind": commune.division_type}]})
    if area is None:
        raise ValidationError({"area": [_("Cần gửi khu vực (rural/urban) hoặc mã xã/phường.")]})
    return _classification_out(classify(income_per_person=income, deprived=payload.deprived, area=area, on=on))
