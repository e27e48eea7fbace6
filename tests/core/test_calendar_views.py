"""The calendar pages: administrators list, add and delete days; everyone else is refused."""

import datetime as dt

import pytest
from django.urls import reverse

from ctxh.audit.models import AuditEntry
from ctxh.core.models import CalendarDay

NON_ADMINS = ["director", "caseworker", "counsellor", "collaborator", "collaborator2", "facility",
              "statistician", "far_worker", "outsider"]


def _urls():
    pk = CalendarDay.objects.get(date=dt.date(2026, 8, 22)).pk
    return [
        ("get", reverse("core:calendar")),
        ("get", reverse("core:calendar-day-create")),
        ("post", reverse("core:calendar-day-create")),
        ("post", reverse("core:calendar-day-delete", args=[pk])),
    ]


@pytest.mark.parametrize("who", NON_ADMINS)
def test_it_refuses_everyone_but_administrators(login, cast, who):
    client = login(cast[who])
    for method, url in _urls():
        response = getattr(client, method)(url, {"date": "08/03/2027", "kind": "day_off", "name": "x",
                                                 "source": "y"} if method == "post" else None)
        assert response.status_code == 403, (who, method, url)
    assert CalendarDay.objects.count() == 2


def test_it_sends_an_anonymous_visitor_to_login(client, cast):
    for method, url in _urls():
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("accounts:login"))


def test_the_administrator_sees_the_rows_and_the_effective_calendar(login, cast, django_assert_max_num_queries):
    client = login(cast.admin)
    for day in range(2, 7):  # more rows must not mean more queries
        CalendarDay.objects.create(date=dt.date(2026, 11, day), kind="day_off", name=f"Nghỉ {day}",
                                   source="Văn bản thử", created_by=cast.admin)
    with django_assert_max_num_queries(10):  # session, user, memberships ×2, notifications, rows ×2, messages
        response = client.get(reverse("core:calendar"), {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lịch làm việc năm 2026" in page
    assert "22/08/2026" in page and "Làm bù cho ngày nghỉ Quốc khánh 31/08/2026" in page
    assert "Thông báo của Bộ Nội vụ về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2026" in page
    effective = page.split('id="effective"')[1]
    for shown in ["16/02/2026", "20/02/2026", "31/08/2026", "01/09/2026", "02/09/2026", "22/08/2026"]:
        assert shown in effective, shown
    assert "Mùng bốn Tết Nguyên Đán" in effective
    assert "data-confirm=" in page


def test_another_year_shows_its_own_rows(login, cast):
    client = login(cast.admin)
    page = client.get(reverse("core:calendar"), {"year": 2027}).content.decode()
    assert "Lịch làm việc năm 2027" in page and "Chưa nhập ngày nào cho năm 2027." in page
    assert "22/08/2026" not in page
    assert client.get(reverse("core:calendar"), {"year": "abc"}).status_code == 200


def test_it_adds_a_day_from_the_form(login, cast):
    client = login(cast.admin)
    assert client.get(reverse("core:calendar-day-create")).status_code == 200
    response = client.post(reverse("core:calendar-day-create"), {
        "date": "08/03/2027", "kind": "day_off", "name": "Nghỉ thêm", "source": "Thông báo 1/TB"})
    assert response.status_code == 302
    assert response.url == reverse("core:calendar") + "?year=2027"
    day = CalendarDay.objects.get(date=dt.date(2027, 3, 8))
    assert day.created_by == cast.admin
    assert AuditEntry.objects.filter(action="calendar.day_added", object_id=str(day.pk), actor=cast.admin).exists()
    page = client.get(response.url).content.decode()
    assert "Đã thêm ngày nghỉ 08/03/2027: Nghỉ thêm." in page and "Nghỉ thêm" in page.split('id="effective"')[1]


@pytest.mark.parametrize(("data", "message"), [
    ({"date": "22/08/2026", "kind": "working_day"}, "Ngày 22/08/2026 đã có trong lịch"),
    ({"date": "09/03/2027", "kind": "working_day"}, "Thứ Ba 09/03/2027 vốn đã là ngày làm việc."),
    ({"date": "02/09/2026", "kind": "day_off"}, "Ngày 02/09/2026 đã là ngày nghỉ (Quốc khánh), không cần thêm."),
    ({"date": "2027/03/08", "kind": "day_off"}, "Nhập ngày theo dạng dd/mm/yyyy"),
])
def test_it_explains_a_refused_day_and_keeps_what_was_typed(login, cast, data, message):
    client = login(cast.admin)
    response = client.post(reverse("core:calendar-day-create"),
                           {"name": "Tên đã gõ", "source": "Văn bản đã gõ", **data})
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'value="Tên đã gõ"' in page and 'value="Văn bản đã gõ"' in page
    assert CalendarDay.objects.count() == 2


def test_it_deletes_a_day_by_post_only(login, cast):
    client = login(cast.admin)
    day = CalendarDay.objects.get(date=dt.date(2026, 8, 31))
    url = reverse("core:calendar-day-delete", args=[day.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("core:calendar") + "?year=2026"
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert AuditEntry.objects.filter(action="calendar.day_removed", object_id=str(day.pk), actor=cast.admin).exists()
    assert client.post(url).status_code == 404
