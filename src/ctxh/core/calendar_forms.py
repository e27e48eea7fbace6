"""Forms of the working-day calendar pages. They parse and present; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _l

from ctxh.core.models import CalendarDayKind


class DayInput(forms.DateInput):
    """A dd/mm/yyyy text box, like every other date in CTXH."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, **kwargs)


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=_l("Ngày"), widget=DayInput(),
        error_messages={"invalid": _l("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 22/08/2026.")},
    )
    kind = forms.ChoiceField(
        label=_l("Loại ngày"), choices=CalendarDayKind.choices,
        help_text=_l("Ngày nghỉ: ngày thường được nghỉ thêm. Ngày làm việc: thứ Bảy, Chủ nhật "
                     "hoặc ngày lễ phải đi làm bù."),
    )
    name = forms.CharField(label=_l("Tên"), max_length=200,
                           help_text=_l("Ví dụ: Nghỉ Tết Nguyên đán, Làm bù cho ngày 31/08."))
    source = forms.CharField(label=_l("Văn bản"), max_length=300,
                             help_text=_l("Số, ngày và cơ quan ban hành thông báo lịch nghỉ."))
