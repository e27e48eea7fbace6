"""The 2026 days the government moved, as the administrator would enter them.

Tết 2026 ran Saturday 14 – Sunday 22 February. Its weekdays (Monday 16 – Friday
20) are all in the ``holidays`` package's Vietnamese calendar (giao thừa to
mùng 4), so no row is needed for them; ``tests/core/test_calendar.py`` checks
that the package still says so. National Day 2026 ran 29 August – 2 September:
Monday 31 August was made a day off in exchange for working Saturday 22 August.
Both halves of that swap are rows, so the calendar does not depend on the
package knowing about it. The proposed 24 November holiday is not entered here.
"""

import datetime as dt

from django.db import migrations

SOURCE = "Thông báo của Bộ Nội vụ về lịch nghỉ Tết Âm lịch và Quốc khánh năm 2026"

DAYS = [
    (dt.date(2026, 8, 22), "working_day", "Làm bù cho ngày nghỉ Quốc khánh 31/08/2026"),
    (dt.date(2026, 8, 31), "day_off", "Nghỉ Quốc khánh (hoán đổi với thứ Bảy 22/08/2026)"),
]


def forward(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    for date, kind, name in DAYS:
        CalendarDay.objects.get_or_create(date=date, defaults={"kind": kind, "name": name, "source": SOURCE})


def backward(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.filter(date__in=[d for d, _, _ in DAYS], source=SOURCE, created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_calendar_day")]
    operations = [migrations.RunPython(forward, backward)]
