"""calendar_day_add / calendar_day_remove: administrators only, validated, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ctxh.audit.models import AuditEntry
from ctxh.core.calendar import is_working_day
from ctxh.core.models import CalendarDay
from ctxh.core.services import calendar_day_add, calendar_day_remove

SOURCE = "Thông báo 1234/TB-BNV ngày 01/10/2026"


def _add(actor, date, kind, name="Nghỉ thêm", source=SOURCE):
    return calendar_day_add(actor=actor, date=date, kind=kind, name=name, source=source)


def _errors(exc_info):
    return exc_info.value.message_dict


def test_it_adds_a_day_off_and_records_who_did_it(cast):
    day = _add(cast.admin, dt.date(2027, 2, 11), "day_off", name="Nghỉ Tết Nguyên đán 2027")
    assert day.created_by == cast.admin
    assert not is_working_day(dt.date(2027, 2, 11))
    entry = AuditEntry.objects.get(action="calendar.day_added")
    assert entry.actor == cast.admin and entry.object_id == str(day.pk)
    assert entry.changes == {"date": "2027-02-11", "kind": "day_off", "name": "Nghỉ Tết Nguyên đán 2027",
                             "source": SOURCE}


def test_it_adds_a_swapped_working_saturday(cast):
    _add(cast.admin, dt.date(2027, 2, 20), "working_day", name="Làm bù")
    assert is_working_day(dt.date(2027, 2, 20))


def test_it_removes_a_day_and_audits_it(cast):
    day = _add(cast.admin, dt.date(2027, 3, 6), "working_day", name="Làm bù thử")
    assert is_working_day(dt.date(2027, 3, 6))
    calendar_day_remove(actor=cast.admin, day=day)
    assert not CalendarDay.objects.filter(date=dt.date(2027, 3, 6)).exists()
    assert not is_working_day(dt.date(2027, 3, 6))  # a plain Saturday again
    entry = AuditEntry.objects.get(action="calendar.day_removed")
    assert entry.actor == cast.admin and entry.changes["date"] == "2027-03-06"
    assert entry.changes["kind"] == "working_day" and entry.changes["name"] == "Làm bù thử"


@pytest.mark.parametrize("who", ["director", "caseworker", "collaborator", "statistician", "outsider"])
def test_it_refuses_everyone_but_administrators(cast, who):
    with pytest.raises(PermissionDenied):
        _add(cast[who], dt.date(2027, 3, 8), "day_off")
    with pytest.raises(PermissionDenied):
        calendar_day_remove(actor=cast[who], day=CalendarDay.objects.get(date=dt.date(2026, 8, 22)))
    assert CalendarDay.objects.count() == 2
    assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()


def test_it_refuses_a_date_already_in_the_calendar(cast):
    with pytest.raises(ValidationError) as exc:
        _add(cast.admin, dt.date(2026, 8, 31), "day_off")
    assert _errors(exc)["date"] == [
        "Ngày 31/08/2026 đã có trong lịch (Ngày nghỉ: Nghỉ Quốc khánh (hoán đổi với thứ Bảy 22/08/2026)). "
        "Xóa dòng đó trước nếu muốn sửa."]


def test_a_working_day_must_be_a_weekend_or_a_holiday(cast):
    with pytest.raises(ValidationError) as exc:
        _add(cast.admin, dt.date(2027, 3, 9), "working_day")
    assert _errors(exc)["kind"] == [
        "Thứ Ba 09/03/2027 vốn đã là ngày làm việc. Ngày làm bù phải là thứ Bảy, Chủ nhật hoặc ngày lễ."]
    # A holiday may be made a working day.
    _add(cast.admin, dt.date(2027, 9, 3), "working_day", name="Làm việc")
    assert is_working_day(dt.date(2027, 9, 3))


def test_a_day_off_must_not_already_be_one(cast):
    with pytest.raises(ValidationError) as exc:
        _add(cast.admin, dt.date(2027, 3, 7), "day_off")
    assert _errors(exc)["kind"] == ["Ngày 07/03/2027 đã là ngày nghỉ (Chủ nhật), không cần thêm."]
    with pytest.raises(ValidationError) as exc:
        _add(cast.admin, dt.date(2026, 2, 17), "day_off")
    assert _errors(exc)["kind"] == ["Ngày 17/02/2026 đã là ngày nghỉ (Tết Nguyên Đán), không cần thêm."]


def test_it_needs_a_name_a_source_and_a_sensible_year(cast):
    with pytest.raises(ValidationError) as exc:
        _add(cast.admin, dt.date(2027, 3, 8), "day_off", name="  ", source="")
    assert set(_errors(exc)) == {"name", "source"}
    with pytest.raises(ValidationError) as exc:
        _add(cast.admin, dt.date(1890, 3, 8), "day_off")
    assert "date" in _errors(exc)
    assert CalendarDay.objects.count() == 2
