"""Writes of poverty surveys: record a survey, and apply its result to the household's year.

Each service checks the capability and the user's area, validates, writes and
audits in one transaction. The page and the API call the same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.services import audit_record
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Term
from ctxh.people.models import Household, HouseholdPoverty, PovertyArea, PovertySurvey
from ctxh.people.poverty import (
    INDICATOR_VOCABULARY,
    Classification,
    area_for_commune,
    classification_date,
    classify,
    per_person,
)
from ctxh.people.selectors import household_get
from ctxh.people.services import poverty_row_write

# Larger households exist on paper only by mistake; the form says so.
MAX_MEMBERS = 100


@dataclass(frozen=True)
class SurveyDraft:
    """A survey's inputs checked and classified, before anything is written (also the page's preview)."""

    surveyed_on: dt.date
    year: int
    members_count: int
    income_total: int | None
    income_per_person: int
    area: str
    area_auto: str | None
    area_reason: str
    classification: Classification


def _income(
    members_count: int | None, income_total: int | None, income_per_person: int | None,
    errors: dict[str, list[str]],
) -> int | None:
    if members_count is None or members_count < 1:
        errors["members_count"] = [_("Số nhân khẩu phải từ 1 trở lên.")]
    elif members_count > MAX_MEMBERS:
        errors["members_count"] = [_("Số nhân khẩu không quá %(n)s người.") % {"n": MAX_MEMBERS}]
    if income_total is None and income_per_person is None:
        errors["income_total"] = [_("Cần nhập tổng thu nhập của hộ hoặc thu nhập bình quân đầu người.")]
        return None
    if income_total is not None and income_per_person is not None:
        errors["income_per_person"] = [
            _("Chỉ nhập một trong hai: tổng thu nhập của hộ hoặc thu nhập bình quân đầu người.")]
        return None
    if (income_total is not None and income_total < 0) or (income_per_person is not None and income_per_person < 0):
        errors["income_total" if income_total is not None else "income_per_person"] = [
            _("Thu nhập không được âm.")]
        return None
    if income_per_person is not None:
        return int(income_per_person)
    if "members_count" in errors:
        return None
    return per_person(int(income_total or 0), int(members_count or 1))


def survey_draft(
    *, household: Household, surveyed_on: dt.date | None, year: int | None, members_count: int | None,
    income_total: int | None = None, income_per_person: int | None = None,
    deprived: Iterable[str] = (), area: str | None = None, area_reason: str = "",
) -> SurveyDraft:
    """Check a survey's figures and classify it; raises ValidationError with Vietnamese messages."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if surveyed_on is None:
        errors["surveyed_on"] = [_("Cần nhập ngày rà soát.")]
    elif surveyed_on > today:
        errors["surveyed_on"] = [_("Ngày rà soát không được sau hôm nay.")]
    if surveyed_on is not None and year is None:
        year = surveyed_on.year
    if surveyed_on is not None and year is not None and year not in (surveyed_on.year, surveyed_on.year + 1):
        errors["year"] = [_("Năm áp dụng phải là năm rà soát (%(a)s) hoặc năm sau đó (%(b)s).")
                          % {"a": surveyed_on.year, "b": surveyed_on.year + 1}]
    income = _income(members_count, income_total, income_per_person, errors)
    area_reason = (area_reason or "").strip()
    area = area or None
    if area is not None and area not in PovertyArea.values:
        errors["area"] = [_("Khu vực phải là nông thôn hoặc thành thị.")]
    if errors:
        raise ValidationError(errors)
    assert surveyed_on is not None and year is not None and income is not None
    on = classification_date(surveyed_on=surveyed_on, year=year)
    auto = area_for_commune(household.commune, on)
    commune = household.commune
    if area is None and auto is None:
        raise ValidationError({"area": [
            _("Loại đơn vị “%(kind)s” của %(commune)s chưa có trong quy định khu vực: cần chọn nông thôn "
              "hoặc thành thị và ghi lý do.") % {"kind": commune.division_type, "commune": commune.name}]})
    if area is None or area == auto:
        area, area_reason = str(auto), ""
    elif not area_reason:
        if auto is None:
            message = _("Cần ghi lý do chọn khu vực (loại đơn vị của %(commune)s chưa có trong quy định).") % {
                "commune": commune.name}
        else:
            message = _("Cần ghi lý do khi chọn khu vực khác với khu vực theo %(commune)s (%(auto)s).") % {
                "commune": commune.name, "auto": str(PovertyArea(auto).label).lower()}
        raise ValidationError({"area_reason": [message]})
    result = classify(income_per_person=income, deprived=deprived, area=area, on=on)
    return SurveyDraft(
        surveyed_on=surveyed_on, year=year, members_count=int(members_count or 0),
        income_total=None if income_total is None else int(income_total), income_per_person=income,
        area=area, area_auto=auto, area_reason=area_reason, classification=result,
    )


def _apply(*, actor: Any, survey: PovertySurvey, decision: str) -> HouseholdPoverty:
    """Write the survey's result as the household's classification of its year, and audit it."""
    existing = HouseholdPoverty.objects.filter(household_id=survey.household_id, year=survey.year).first()
    decision = (decision or "").strip()
    if not decision and existing is not None and existing.status == survey.result:
        decision = existing.decision  # the same status keeps the decision that recognised it
    row = poverty_row_write(actor=actor, household=survey.household, year=survey.year, status=survey.result,
                            standard=survey.standard, decision=decision, changes={"survey": survey.pk})
    survey.applied_at = timezone.now()
    survey.version += 1
    survey.save(update_fields=["applied_at", "version", "updated_at"])
    return row


@transaction.atomic
def poverty_survey_record(
    *, actor: Any, household: Household, surveyed_on: dt.date | None, members_count: int | None,
    year: int | None = None, income_total: int | None = None, income_per_person: int | None = None,
    deprived: Iterable[str] = (), area: str | None = None, area_reason: str = "", notes: str = "",
    apply: bool = False, decision: str = "",
) -> PovertySurvey:
    """Store a household's survey with its classification; with ``apply``, also set that year's status."""
    access.require(actor, "poverty.manage")
    household = household_get(user=actor, pk=household.pk)
    deprived = list(deprived)
    draft = survey_draft(
        household=household, surveyed_on=surveyed_on, year=year, members_count=members_count,
        income_total=income_total, income_per_person=income_per_person, deprived=deprived,
        area=area, area_reason=area_reason,
    )
    result = draft.classification
    survey = PovertySurvey(
        household=household, surveyed_on=draft.surveyed_on, year=draft.year,
        members_count=draft.members_count, income_total=draft.income_total,
        income_per_person=draft.income_per_person, area=draft.area, area_reason=draft.area_reason,
        result=result.status, standard=result.standard, reasons=result.reasons,
        notes=(notes or "").strip(), surveyed_by=actor if getattr(actor, "pk", None) else None,
    )
    survey.full_clean()
    survey.save()
    survey.deprivations.set(Term.objects.of(INDICATOR_VOCABULARY).filter(code__in=result.deprived))
    audit_record(actor=actor, action="poverty.survey_recorded", obj=survey, changes={
        "household": household.pk, "surveyed_on": draft.surveyed_on, "year": draft.year,
        "members_count": draft.members_count, "income_total": draft.income_total,
        "income_per_person": draft.income_per_person, "deprived": list(result.deprived),
        "area": draft.area, "area_reason": draft.area_reason, "result": result.status,
        "standard": result.standard.code,
    })
    if apply:
        _apply(actor=actor, survey=survey, decision=decision)
    return survey


@transaction.atomic
def poverty_survey_apply(
    *, actor: Any, survey: PovertySurvey, expected_version: int, decision: str = "",
) -> HouseholdPoverty:
    """Make a recorded survey's result the household's classification of its year."""
    access.require(actor, "poverty.manage")
    household_get(user=actor, pk=survey.household_id)
    current = PovertySurvey.objects.select_for_update().select_related("household", "standard").get(pk=survey.pk)
    if current.version != expected_version:
        raise ConflictError(
            _("Phiếu rà soát này vừa được người khác cập nhật. Hãy xem lại trước khi ghi kết quả."),
            changes=[(_("Ghi vào phân loại hộ lúc"), "",
                      f"{timezone.localtime(current.applied_at):%d/%m/%Y %H:%M}" if current.applied_at else "")],
        )
    return _apply(actor=actor, survey=current, decision=decision)
