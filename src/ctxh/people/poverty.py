"""Poverty classification (phân loại hộ nghèo, cận nghèo) by the multidimensional standard.

The standard in force on a date (``PovertyStandard``: Decree 07/2021 to
2026-12-31, Decree 351/2025 from 2027) gives the monthly income threshold per
person, rural or urban, and the number of deprivations that makes a household
poor. The rule (``domain.md``, "Poverty"):

- poor: income per person ≤ threshold and deprived in ≥ the standard's minimum;
- near-poor: income per person ≤ threshold and fewer deprivations;
- otherwise neither.

Nothing here writes: ``classify`` reads the standard and the indicator list
and returns the result with its reasons, line by line, in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ctxh.core.models import Term
from ctxh.core.rules import RuleMissing, rule_value
from ctxh.core.templatetags.ctxh import vnd as money
from ctxh.people.models import PovertyArea, PovertyStandard, PovertyStatus
from ctxh.people.reference import RULE_POVERTY_AREA

INDICATOR_VOCABULARY = "poverty_indicator"
DIMENSION_VOCABULARY = "poverty_dimension"


def per_person(total: int, members: int) -> int:
    """Monthly income per person, rounded up to the whole đồng.

    Rounding up keeps the comparison exact: for a whole-đồng threshold T,
    total / members ≤ T exactly when ceil(total / members) ≤ T. Rounding down
    would make 4,500,001 đ for 3 people look like 1,500,000 đ and poor.
    """
    return -(-int(total) // int(members))


def standard_on(on: dt.date) -> PovertyStandard:
    """The standard in force on ``on``; a Vietnamese ValidationError when there is none."""
    standard = (
        PovertyStandard.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from").first()
    )
    if standard is None:
        raise ValidationError(
            {"on": [_("Chưa có chuẩn nghèo áp dụng cho ngày %(date)s.") % {"date": f"{on:%d/%m/%Y}"}]}
        )
    return standard


def classification_date(*, surveyed_on: dt.date, year: int) -> dt.date:
    """The date whose standard applies to a survey for the list of ``year``.

    A survey late in 2026 for the 2027 list is judged by the 2027 standard (as
    the end-2021 review used Decree 07/2021 for 2022); one entered late for a
    past year by that year's standard.
    """
    if year == surveyed_on.year:
        return surveyed_on
    if year > surveyed_on.year:
        return dt.date(year, 1, 1)
    return dt.date(year, 12, 31)


def area_by_division(division_type: str, on: dt.date) -> str | None:
    """Rural or urban for a kind of commune (``xã``, ``phường``, ``đặc khu``) by the rule row; None if unknown."""
    try:
        mapping = rule_value(RULE_POVERTY_AREA, on)
    except RuleMissing:
        return None
    area = (mapping or {}).get((division_type or "").strip().lower())
    return area if area in PovertyArea.values else None


def area_for_commune(commune: Any, on: dt.date) -> str | None:
    return area_by_division(getattr(commune, "division_type", ""), on)


def indicators_in_force(on: dt.date) -> list[Term]:
    """The twelve indicators in force on ``on``, with their dimension, in the decree's order."""
    return list(
        Term.objects.of(INDICATOR_VOCABULARY).in_force(on).select_related("parent")
        .order_by("parent__position", "position", "code")
    )


@dataclass(frozen=True)
class IndicatorGroup:
    dimension: Term | None
    indicators: list[Term] = field(default_factory=list)


def indicators_by_dimension(on: dt.date) -> list[IndicatorGroup]:
    """Indicators grouped under their dimension, for the survey form's checkboxes."""
    groups: list[IndicatorGroup] = []
    for term in indicators_in_force(on):
        if not groups or groups[-1].dimension != term.parent:
            groups.append(IndicatorGroup(dimension=term.parent))
        groups[-1].indicators.append(term)
    return groups


@dataclass(frozen=True)
class Classification:
    """The result of ``classify``: the status and every figure it was decided on."""

    status: str
    standard: PovertyStandard
    area: str
    threshold: int
    income_per_person: int
    deprived: tuple[str, ...]
    reasons: list[str]
    on: dt.date

    @property
    def deprivation_count(self) -> int:
        return len(self.deprived)

    @property
    def min_deprivations(self) -> int:
        return self.standard.min_deprivations_poor

    @property
    def status_label(self) -> str:
        return str(PovertyStatus(self.status).label)

    @property
    def area_label(self) -> str:
        return str(PovertyArea(self.area).label)


def _check_deprived(deprived: Iterable[str], on: dt.date) -> tuple[str, ...]:
    codes = {str(c).strip() for c in deprived if str(c).strip()}
    known = set(Term.objects.of(INDICATOR_VOCABULARY).in_force(on).values_list("code", flat=True))
    unknown = sorted(codes - known)
    if unknown:
        raise ValidationError({"deprived": [
            _("Chỉ số thiếu hụt không có trong danh mục hiệu lực ngày %(date)s: %(codes)s.")
            % {"date": f"{on:%d/%m/%Y}", "codes": ", ".join(unknown)}
        ]})
    return tuple(sorted(codes))


def classify(
    *, income_per_person: int, deprived: Iterable[str], area: str, on: dt.date,
) -> Classification:
    """Poor, near-poor or neither under the standard in force on ``on``, with the reasons.

    ``income_per_person`` is whole đồng per person per month (round a share up,
    see ``per_person``); ``deprived`` the codes of the indicators the household
    lacks; ``area`` ``rural`` or ``urban``.
    """
    errors: dict[str, list[str]] = {}
    if area not in PovertyArea.values:
        errors["area"] = [_("Cần chọn khu vực: nông thôn hoặc thành thị.")]
    if income_per_person is None or int(income_per_person) < 0:
        errors["income_per_person"] = [_("Thu nhập bình quân phải là số đồng không âm.")]
    if errors:
        raise ValidationError(errors)
    income = int(income_per_person)
    standard = standard_on(on)
    codes = _check_deprived(deprived, on)
    threshold = standard.income_urban if area == PovertyArea.URBAN else standard.income_rural
    minimum = standard.min_deprivations_poor
    count = len(codes)

    valid_to = f"{standard.valid_to:%d/%m/%Y}" if standard.valid_to else "…"
    reasons = [
        _("Chuẩn áp dụng: %(name)s, hiệu lực %(start)s–%(end)s, theo %(source)s.") % {
            "name": standard.name, "start": f"{standard.valid_from:%d/%m/%Y}", "end": valid_to,
            "source": standard.source},
        _("Khu vực %(area)s: ngưỡng thu nhập %(threshold)s/người/tháng.") % {
            "area": str(PovertyArea(area).label).lower(), "threshold": money(threshold)},
    ]
    if income <= threshold:
        reasons.append(_("Thu nhập bình quân %(income)s/người/tháng, không vượt ngưỡng %(threshold)s.")
                       % {"income": money(income), "threshold": money(threshold)})
        if count >= minimum:
            status = PovertyStatus.POOR
            reasons.append(_("Thiếu hụt %(count)s chỉ số, từ %(minimum)s chỉ số trở lên.")
                           % {"count": count, "minimum": minimum})
        else:
            status = PovertyStatus.NEAR_POOR
            reasons.append(_("Thiếu hụt %(count)s chỉ số, dưới %(minimum)s chỉ số.")
                           % {"count": count, "minimum": minimum})
    else:
        status = PovertyStatus.NONE
        reasons.append(_("Thu nhập bình quân %(income)s/người/tháng, cao hơn ngưỡng %(threshold)s.")
                       % {"income": money(income), "threshold": money(threshold)})
        reasons.append(_("Thiếu hụt %(count)s chỉ số (không xét khi thu nhập cao hơn ngưỡng).")
                       % {"count": count})
    reasons.append(_("Kết luận: %(status)s.") % {"status": PovertyStatus(status).label})
    return Classification(
        status=str(status), standard=standard, area=area, threshold=threshold, income_per_person=income,
        deprived=codes, reasons=reasons, on=on,
    )
