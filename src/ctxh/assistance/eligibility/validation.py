"""Refusing facts the engine cannot judge (the API and the form share this)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.assistance.eligibility.base import PRECISIONS
from ctxh.assistance.eligibility.facts import ALLOWANCE_VOCABULARIES, CARE_VOCABULARY, Facts


def known_group_codes(on: dt.date | None = None) -> dict[str, str]:
    """Codes a ``Facts.groups`` may hold, with their labels."""
    from ctxh.core.models import Term

    qs = Term.objects.filter(vocabulary__in=[*ALLOWANCE_VOCABULARIES, CARE_VOCABULARY])
    return {t.code: t.label for t in qs}


def validate_facts(facts: Facts, *, today: dt.date | None = None) -> None:
    """Refuse facts the engine cannot judge, with Vietnamese messages per field (ValidationError)."""
    from ctxh.core.models import Term
    from ctxh.people.models import PovertyStatus, Sex

    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if facts.birth_date is not None:
        if facts.birth_date > today:
            err("birth_date", _("Ngày sinh không được ở tương lai."))
        elif facts.birth_date > facts.on:
            err("birth_date", _("Ngày sinh sau ngày xét."))
    if facts.birth_precision not in PRECISIONS:
        err("birth_precision", _("Độ chính xác ngày sinh phải là day, month hoặc year."))
    if facts.sex not in Sex.values:
        err("sex", _("Giới tính không hợp lệ."))
    unknown = sorted(set(facts.groups) - set(known_group_codes()))
    if unknown:
        err("groups", _("Mã diện đối tượng không tồn tại: %(codes)s.") % {"codes": ", ".join(unknown)})
    for field, vocabulary, value in (("disability_level", "disability_level", facts.disability_level),
                                     ("disability_type", "disability_type", facts.disability_type)):
        if value and not Term.objects.filter(vocabulary=vocabulary, code=value).exists():
            err(field, _("Mã “%(code)s” không có trong danh mục.") % {"code": value})
    if facts.household_poverty and facts.household_poverty not in PovertyStatus.values:
        err("household_poverty", _("Phân loại hộ phải là poor, near_poor hoặc none."))
    for field, count in (("pension_amount", facts.pension_amount), ("children_raised", facts.children_raised),
                         ("young_children", facts.young_children)):
        if count < 0:
            err(field, _("Không được là số âm."))
    if facts.commune_id is not None:
        from ctxh.geo.models import Commune

        if not Commune.objects.filter(pk=facts.commune_id).exists():
            err("commune", _("Không có xã/phường mã %(code)s.") % {"code": facts.commune_id})
    if errors:
        raise ValidationError(errors)
