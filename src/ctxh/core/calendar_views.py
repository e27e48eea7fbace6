"""The administrator's pages for the working-day calendar (lịch làm việc)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctxh.accounts import access
from ctxh.core import calendar, services
from ctxh.core.calendar_forms import CalendarDayForm
from ctxh.core.forms import apply_service_errors
from ctxh.core.models import CalendarDayKind


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return min(max(year, services.FIRST_YEAR), services.LAST_YEAR)


def _year_url(year: int) -> str:
    return f"{reverse('core:calendar')}?year={year}"


@login_required
@require_GET
def calendar_year(request: HttpRequest) -> HttpResponse:
    """One year: the rows entered, and the days off and worked that result."""
    year = _year(request)
    rows = calendar.calendar_day_list(user=request.user, year=year)
    for row in rows:
        row.weekday = calendar.weekday_name(row.date)  # type: ignore[attr-defined]
    effective = calendar.year_exceptions(year)
    return render(request, "core/calendar.html", {
        "year": year, "rows": rows, "effective": effective,
        "weekdays_off": sum(1 for d in effective if not d.working),
        "years": range(year - 2, year + 3), "kinds": CalendarDayKind,
        "first_year": services.FIRST_YEAR, "last_year": services.LAST_YEAR,
    })


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "calendar.manage")
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(kind)s %(date)s: %(name)s.") % {
                "kind": day.get_kind_display().lower(), "date": f"{day.date:%d/%m/%Y}", "name": day.name})
            return redirect(_year_url(day.date.year))
    back = _year_url(_year(request))
    return render(request, "core/calendar_day_form.html", {"form": form, "back": back},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    day = calendar.calendar_day_get(user=request.user, pk=pk)
    year = day.date.year
    services.calendar_day_remove(actor=request.user, day=day)
    messages.success(request, _("Đã xóa ngày %(date)s khỏi lịch.") % {"date": f"{day.date:%d/%m/%Y}"})
    return redirect(_year_url(year))
