"""Working days and deadlines: weekends, Tết 2026, the National Day swap, rows an administrator adds."""

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest

from ctxh.core.calendar import (
    WorkingCalendar,
    add_working_days,
    deadline_due,
    is_working_day,
)
from ctxh.core.models import CalendarDay, Rule
from ctxh.core.rules import RuleMissing

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def test_it_counts_an_ordinary_weekday_as_working_and_a_weekend_as_not():
    assert is_working_day(dt.date(2026, 3, 10))  # Tuesday
    assert not is_working_day(dt.date(2026, 3, 7))  # Saturday
    assert not is_working_day(dt.date(2026, 3, 8))  # Sunday


def test_it_knows_national_day_and_new_year():
    assert not is_working_day(dt.date(2026, 9, 2))
    assert not is_working_day(dt.date(2026, 9, 1))
    assert not is_working_day(dt.date(2027, 1, 1))


def test_tet_2026_is_off_from_the_14th_to_the_22nd_of_february():
    assert is_working_day(dt.date(2026, 2, 13))
    for day in range(14, 23):
        assert not is_working_day(dt.date(2026, 2, day)), day
    assert is_working_day(dt.date(2026, 2, 23))


def test_the_holidays_package_still_gives_every_weekday_of_tet_2026():
    # Migration core 0003 adds no Tết rows because the package has these days.
    # If an upgrade of the package drops one, this fails: add the row then.
    vn = holidays.country_holidays("VN", years=2026)
    assert {dt.date(2026, 2, d) for d in range(16, 21)} <= set(vn)


def test_the_national_day_swap_of_2026_comes_from_the_rows():
    assert is_working_day(dt.date(2026, 8, 22))  # Saturday made a working day
    assert not is_working_day(dt.date(2026, 8, 31))  # Monday made a day off
    rows = {d.date: d for d in CalendarDay.objects.filter(date__year=2026)}
    assert rows[dt.date(2026, 8, 22)].kind == "working_day"
    assert rows[dt.date(2026, 8, 31)].kind == "day_off"
    assert rows[dt.date(2026, 8, 22)].source == (
        "Thông báo của Bộ Nội vụ về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2026")


def test_it_keeps_the_swaps_the_package_knows_whole():
    # 2025: Saturday 26/04 worked in exchange for Friday 02/05; the package has both halves.
    assert is_working_day(dt.date(2025, 4, 26))
    assert not is_working_day(dt.date(2025, 5, 2))


def test_a_row_wins_over_the_package_and_the_weekend():
    CalendarDay.objects.create(date=dt.date(2027, 3, 8), kind="day_off", name="Nghỉ thử", source="QĐ thử")
    CalendarDay.objects.create(date=dt.date(2027, 9, 2), kind="working_day", name="Làm thử", source="QĐ thử")
    assert not is_working_day(dt.date(2027, 3, 8))  # a Monday
    assert is_working_day(dt.date(2027, 9, 2))  # National Day


def test_it_adds_one_working_day_across_a_weekend_at_the_same_time_of_day():
    assert add_working_days(at(2026, 3, 6, 10), 1) == at(2026, 3, 9, 10)  # Fri → Mon


def test_it_adds_five_working_days_across_tet_2026():
    # Thu 12/02 09:00: Fri 13 is 1; 14–22 are Tết; Mon 23, Tue 24, Wed 25, Thu 26 are 2–5.
    assert add_working_days(at(2026, 2, 12, 9), 5) == at(2026, 2, 26, 9)


def test_it_counts_from_the_next_working_day_when_the_start_is_a_day_off():
    # Saturday 10:00 counts as received Monday 10:00.
    assert add_working_days(at(2026, 3, 7, 10), 0) == at(2026, 3, 9, 10)
    assert add_working_days(at(2026, 3, 7, 10), 1) == at(2026, 3, 10, 10)
    # A call on Tết's eve counts from Monday 23/02.
    assert add_working_days(at(2026, 2, 16, 22, 15), 1) == at(2026, 2, 24, 22, 15)


def test_it_counts_local_dates_whatever_the_zone_of_the_start():
    # 18:00 UTC on Friday 06/03 is already Saturday 01:00 in Việt Nam.
    start = dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.UTC)
    assert add_working_days(start, 1) == at(2026, 3, 10, 1)


def test_it_crosses_into_the_next_year_with_one_query_per_year(django_assert_num_queries):
    with django_assert_num_queries(2):
        # Thu 31/12 is 1; Fri 01/01 New Year; the weekend; Mon 04/01 is 2.
        assert add_working_days(at(2026, 12, 30, 8), 2) == at(2027, 1, 4, 8)
    with django_assert_num_queries(1):
        add_working_days(at(2026, 2, 12, 9), 5)


def test_it_refuses_a_naive_start_or_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(dt.datetime(2026, 3, 6, 10), 1)
    with pytest.raises(ValueError):
        add_working_days(at(2026, 3, 6, 10), -1)


def test_a_new_row_changes_the_result_at_once():
    start = at(2027, 3, 5, 10)  # Friday
    assert add_working_days(start, 1) == at(2027, 3, 8, 10)
    day = CalendarDay.objects.create(date=dt.date(2027, 3, 8), kind="day_off", name="Nghỉ thử", source="QĐ thử")
    assert add_working_days(start, 1) == at(2027, 3, 9, 10)
    day.delete()
    assert add_working_days(start, 1) == at(2027, 3, 8, 10)


@pytest.fixture
def rules():
    Rule.objects.create(key="test.emergency", valid_from=dt.date(2020, 1, 1), value={"hours": 12},
                        unit="hours", source="Nghị định 56/2017/NĐ-CP")
    Rule.objects.create(key="test.plan", valid_from=dt.date(2020, 1, 1), value={"working_days": 5},
                        unit="working_days", source="Nghị định 56/2017/NĐ-CP")


def test_twelve_hours_count_every_clock_hour_across_midnight_and_the_weekend(rules):
    # Friday 20:00 + 12 hours = Saturday 08:00: the weekend does not stop the clock.
    assert deadline_due(rule_key="test.emergency", start=at(2026, 3, 6, 20)) == at(2026, 3, 7, 8)
    # Saturday 21:30 → Sunday 09:30.
    assert deadline_due(rule_key="test.emergency", start=at(2026, 3, 7, 21, 30)) == at(2026, 3, 8, 9, 30)


def test_five_working_days_skip_the_weekend_and_national_day(rules):
    # Mon 24/08 14:30: Tue–Fri are 1–4; 29/08–02/09 are off; Thu 03/09 is 5.
    assert deadline_due(rule_key="test.plan", start=at(2026, 8, 24, 14, 30)) == at(2026, 9, 3, 14, 30)
    # Across Tết 2026.
    assert deadline_due(rule_key="test.plan", start=at(2026, 2, 12, 9)) == at(2026, 2, 26, 9)


def test_it_reads_the_rule_in_force_on_the_local_date_of_the_start(rules):
    Rule.objects.create(key="test.emergency", valid_from=dt.date(2026, 4, 1), value={"hours": 6},
                        source="Văn bản thử")
    # 31/03 18:30 UTC is 01:30 on 01/04 in Việt Nam: the new value applies.
    start = dt.datetime(2026, 3, 31, 18, 30, tzinfo=dt.UTC)
    assert deadline_due(rule_key="test.emergency", start=start) == at(2026, 4, 1, 7, 30)
    assert deadline_due(rule_key="test.emergency", start=at(2026, 3, 31, 23)) == at(2026, 4, 1, 11)


def test_a_shared_calendar_computes_many_deadlines_with_one_query(rules, django_assert_num_queries):
    cal = WorkingCalendar()
    starts = [at(2026, 5, d, 9) for d in range(1, 29)]
    with django_assert_num_queries(len(starts) + 1):  # one rule lookup each, the rows once
        for start in starts:
            deadline_due(rule_key="test.plan", start=start, calendar=cal)


def test_it_says_clearly_when_the_rule_is_missing_or_malformed(rules):
    with pytest.raises(RuleMissing):
        deadline_due(rule_key="test.nothing", start=at(2026, 3, 6, 10))
    Rule.objects.create(key="test.bad", valid_from=dt.date(2020, 1, 1), value={"days": 3}, source="x")
    with pytest.raises(ValueError, match="working_days"):
        deadline_due(rule_key="test.bad", start=at(2026, 3, 6, 10))
