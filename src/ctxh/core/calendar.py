"""Working days (ngày làm việc) and the deadlines counted in them.

A day is a working day unless it is a weekend or a public holiday. Two sources
decide, in this order:

1. ``CalendarDay`` rows an administrator enters for each year's official
   schedule: a ``working_day`` row (a Saturday made a working day) or a
   ``day_off`` row (an extra Tết or National Day day, a swapped day off).
2. The ``holidays`` package's Vietnamese calendar: Saturday and Sunday, the
   fixed and lunar public holidays (Tết included), and the swaps it knows.

Rows are read from the database for each ``WorkingCalendar`` (one query per
calendar year it touches) and never kept across requests, so a row an
administrator adds or removes is seen by the next computation in every
process. The package's days never change while a process runs and are cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.core.models import CalendarDay, CalendarDayKind
from ctxh.core.rules import rule_value

COUNTRY = "VN"
# A government never closes offices for a whole year; a longer run of days off
# means the rows are wrong, and failing beats looping for ever.
MAX_DAYS_OFF_IN_A_ROW = 60


@dataclass(frozen=True)
class PackageYear:
    """What the ``holidays`` package knows about one year."""

    holidays: frozenset[dt.date]
    # Saturdays the package itself lists as swapped working days (e.g. 26/04/2025).
    weekend_workdays: frozenset[dt.date]


@lru_cache(maxsize=32)
def _package_year(year: int) -> PackageYear:
    cal = holidays.country_holidays(COUNTRY, years=year)
    return PackageYear(
        holidays=frozenset(cal),
        weekend_workdays=frozenset(d for d in cal.weekend_workdays if d.year == year),
    )


@lru_cache(maxsize=32)
def _package_names(year: int, language: str) -> tuple[tuple[dt.date, str], ...]:
    lang = "vi" if language.startswith("vi") else "en_US"
    return tuple(sorted(holidays.country_holidays(COUNTRY, years=year, language=lang).items()))


def public_holidays(year: int) -> dict[dt.date, str]:
    """The package's public holidays of a year, named in the active language."""
    return dict(_package_names(year, translation.get_language() or "vi"))


def package_says_working(d: dt.date) -> bool:
    """The package's answer alone, without any ``CalendarDay`` row."""
    year = _package_year(d.year)
    if d in year.holidays:
        return False
    if d.weekday() >= 5:
        return d in year.weekend_workdays
    return True


def local_zone() -> dt.tzinfo:
    """Deadlines count in the Centre's time zone (Asia/Ho_Chi_Minh), whoever is looking."""
    return timezone.get_default_timezone()


class WorkingCalendar:
    """Answers "is this a working day" for many dates with one query per year touched.

    Make one for a unit of work (a request, a batch of deadlines) and drop it:
    it keeps the rows it read, so it does not see rows changed after that.
    """

    def __init__(self) -> None:
        self._rows: dict[int, dict[dt.date, tuple[str, str]]] = {}

    def rows(self, year: int) -> dict[dt.date, tuple[str, str]]:
        """``{date: (kind, name)}`` of the year's ``CalendarDay`` rows."""
        if year not in self._rows:
            self._rows[year] = {
                d: (kind, name)
                for d, kind, name in CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name")
            }
        return self._rows[year]

    def is_working_day(self, d: dt.date) -> bool:
        kind = self.rows(d.year).get(d, ("", ""))[0]
        if kind == CalendarDayKind.WORKING_DAY:
            return True
        if kind == CalendarDayKind.DAY_OFF:
            return False
        return package_says_working(d)

    def next_working_day(self, d: dt.date) -> dt.date:
        """``d`` itself if it is a working day, else the first working day after it."""
        for _step in range(MAX_DAYS_OFF_IN_A_ROW + 1):
            if self.is_working_day(d):
                return d
            d += dt.timedelta(days=1)
        raise RuntimeError(f"Hơn {MAX_DAYS_OFF_IN_A_ROW} ngày nghỉ liên tiếp trước {d:%d/%m/%Y}: lịch sai?")

    def add_working_days(self, start: dt.datetime, n: int) -> dt.datetime:
        """See the module function ``add_working_days``."""
        if timezone.is_naive(start):
            raise ValueError("add_working_days needs a timezone-aware datetime.")
        if n < 0:
            raise ValueError("add_working_days counts forward only (n >= 0).")
        zone = local_zone()
        local = start.astimezone(zone)
        day = self.next_working_day(local.date())
        for _step in range(n):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)), zone)

    def deadline_due(self, *, rule_key: str, start: dt.datetime) -> dt.datetime:
        """See the module function ``deadline_due``."""
        if timezone.is_naive(start):
            raise ValueError("deadline_due needs a timezone-aware datetime.")
        local = start.astimezone(local_zone())
        value = rule_value(rule_key, local.date())
        unit, amount = _deadline_value(rule_key, value)
        if unit == "hours":
            return local + dt.timedelta(hours=amount)
        return self.add_working_days(local, amount)


def _deadline_value(rule_key: str, value: object) -> tuple[str, int]:
    if isinstance(value, dict) and len(value) == 1:
        ((unit, amount),) = value.items()
        if unit in ("hours", "working_days") and isinstance(amount, int) and not isinstance(amount, bool) \
                and amount >= 0:
            return unit, amount
    raise ValueError(
        f"Quy định '{rule_key}' phải có dạng {{\"hours\": N}} hoặc {{\"working_days\": N}}, không phải {value!r}."
    )


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` is a working day.

    A ``working_day`` row → True; a ``day_off`` row → False; otherwise a public
    holiday of the ``holidays`` package → False; otherwise Saturday and Sunday
    → False, except a Saturday the package itself lists as a swapped working
    day (so its swaps stay whole, like its substituted days off); otherwise True.
    """
    return WorkingCalendar().is_working_day(d)


def add_working_days(start: dt.datetime, n: int) -> dt.datetime:
    """The same local time of day, ``n`` working days after ``start``.

    The rule, counted on local (Asia/Ho_Chi_Minh) dates:
    - the starting day is ``start``'s date if that is a working day; if it is
      not (a report on a Saturday, a Tết day), it is the next working day — the
      report counts as received that day at the same time;
    - the result is the ``n``-th working day after the starting day, at
      ``start``'s local time of day; ``n = 0`` gives the starting day itself.

    So Friday 10:00 + 1 → Monday 10:00; Saturday 10:00 + 1 → Tuesday 10:00
    (received Monday 10:00). ``start`` must be timezone-aware; the answer is
    in the local time zone.
    """
    return WorkingCalendar().add_working_days(start, n)


def deadline_due(*, rule_key: str, start: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When something started at ``start`` is due under the rule ``rule_key``.

    The rule row in force on ``start``'s local date gives ``{"hours": N}``
    (clock hours: every hour counts, nights, weekends and holidays included)
    or ``{"working_days": N}`` (``add_working_days``). Pass a shared
    ``calendar`` when computing many deadlines at once. Raises
    ``ctxh.core.rules.RuleMissing`` when no row is in force and ``ValueError``
    when the value has another shape.
    """
    return (calendar or WorkingCalendar()).deadline_due(rule_key=rule_key, start=start)


# The administrator's view of a year -------------------------------------------------

WEEKDAY_NAMES = [_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"),
                 _l("Thứ Bảy"), _l("Chủ nhật")]


def weekday_name(d: dt.date) -> str:
    return str(WEEKDAY_NAMES[d.weekday()])


@dataclass(frozen=True)
class EffectiveDay:
    """A day whose status differs from the plain Monday–Friday week, and why."""

    date: dt.date
    working: bool
    name: str
    from_row: bool

    @property
    def weekday(self) -> str:
        return weekday_name(self.date)


def year_exceptions(year: int, *, calendar: WorkingCalendar | None = None) -> list[EffectiveDay]:
    """The year's weekdays off and weekend days worked, after rows and package are combined.

    What an administrator checks against the government's announcement.
    """
    calendar = calendar or WorkingCalendar()
    names = public_holidays(year)
    rows = calendar.rows(year)
    candidates = set(names) | set(rows) | _package_year(year).weekend_workdays
    out = []
    for d in sorted(candidates):
        working = calendar.is_working_day(d)
        if working == (d.weekday() < 5):
            continue  # an ordinary day after all (a holiday on a weekend, say)
        name = rows[d][1] if d in rows else names.get(d) or _("Ngày làm bù")
        out.append(EffectiveDay(d, working, name, d in rows))
    return out


def calendar_day_list(*, user: object, year: int) -> list[CalendarDay]:
    """The year's rows, for administrators only."""
    from ctxh.accounts import access

    access.require(user, "calendar.manage")
    return list(CalendarDay.objects.filter(date__year=year).select_related("created_by"))


def calendar_day_get(*, user: object, pk: int) -> CalendarDay:
    from django.shortcuts import get_object_or_404

    from ctxh.accounts import access

    access.require(user, "calendar.manage")
    return get_object_or_404(CalendarDay, pk=pk)
