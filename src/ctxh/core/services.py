"""Changes to the working-day calendar. Each validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.services import audit_record
from ctxh.core.calendar import package_says_working, public_holidays, weekday_name
from ctxh.core.models import CalendarDay, CalendarDayKind

# The years the holidays package and the pages are meant for.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _why_not_working(d: dt.date) -> str:
    """'Chủ nhật' or the holiday's name: why the package already makes ``d`` a day off."""
    return public_holidays(d.year).get(d) or weekday_name(d)


def _duplicate_error(existing: CalendarDay) -> ValidationError:
    return ValidationError({"date": [
        _("Ngày %(date)s đã có trong lịch (%(kind)s: %(name)s). Xóa dòng đó trước nếu muốn sửa.")
        % {"date": f"{existing.date:%d/%m/%Y}", "kind": existing.get_kind_display(), "name": existing.name}
    ]})


@transaction.atomic
def calendar_day_add(
    *, actor: Any, date: dt.date, kind: str, name: str, source: str,
) -> CalendarDay:
    """Enter one day of the government's yearly schedule: a day off or a swapped working day."""
    access.require(actor, "calendar.manage")
    name, source = (name or "").strip(), (source or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Cần nhập tên ngày (ví dụ: Nghỉ Tết Nguyên đán).")]
    if not source:
        errors["source"] = [_("Cần ghi văn bản quy định ngày này (số, ngày, cơ quan ban hành).")]
    if kind not in CalendarDayKind.values:
        errors["kind"] = [_("Loại ngày không hợp lệ.")]
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        errors["date"] = [_("Chỉ nhập ngày từ năm %(a)s đến năm %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}]
        raise ValidationError(errors)
    existing = CalendarDay.objects.filter(date=date).first()
    if existing is not None:
        raise _duplicate_error(existing)
    shown = f"{date:%d/%m/%Y}"
    if kind == CalendarDayKind.WORKING_DAY and package_says_working(date):
        if date.weekday() < 5:
            message = _("%(day)s %(date)s vốn đã là ngày làm việc. Ngày làm bù phải là thứ Bảy, "
                        "Chủ nhật hoặc ngày lễ.")
        else:
            message = _("%(day)s %(date)s đã là ngày làm bù theo lịch nhà nước, không cần thêm.")
        errors.setdefault("kind", []).append(message % {"day": weekday_name(date), "date": shown})
    if kind == CalendarDayKind.DAY_OFF and not package_says_working(date):
        errors.setdefault("kind", []).append(
            _("Ngày %(date)s đã là ngày nghỉ (%(why)s), không cần thêm.")
            % {"date": shown, "why": _why_not_working(date)}
        )
    if errors:
        raise ValidationError(errors)
    day = CalendarDay(date=date, kind=kind, name=name, source=source, created_by=actor)
    day.full_clean(exclude=["date"])
    try:
        with transaction.atomic():
            day.save()
    except IntegrityError:
        # Another administrator entered the same date a moment ago.
        raise _duplicate_error(CalendarDay.objects.get(date=date)) from None
    audit_record(actor=actor, action="calendar.day_added", obj=day,
                 changes={"date": date, "kind": kind, "name": name, "source": source})
    return day


@transaction.atomic
def calendar_day_remove(*, actor: Any, day: CalendarDay) -> None:
    """Take a day out of the calendar; deadlines computed afterwards no longer see it."""
    access.require(actor, "calendar.manage")
    audit_record(actor=actor, action="calendar.day_removed", obj=day,
                 changes={"date": day.date, "kind": day.kind, "name": day.name, "source": day.source})
    day.delete()
