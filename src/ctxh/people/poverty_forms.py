"""Forms of the poverty survey pages. They parse and present; ``poverty_services`` decides."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from ctxh.core.money import MoneyField
from ctxh.people.forms import DateInput
from ctxh.people.models import PovertyArea
from ctxh.people.poverty import IndicatorGroup


class PovertySurveyForm(forms.Form):
    surveyed_on = forms.DateField(
        label=_l("Ngày rà soát"), widget=DateInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _l("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 15/10/2026."),
                        "required": _l("Cần nhập ngày rà soát.")},
    )
    year = forms.IntegerField(
        label=_l("Năm áp dụng"), min_value=2000, max_value=2100,
        help_text=_l("Năm của danh sách hộ nghèo mà phiếu này dùng để xét (rà soát cuối năm thường cho năm sau)."),
        error_messages={"required": _l("Cần nhập năm áp dụng."), "invalid": _l("Năm phải là số, ví dụ 2027.")},
    )
    members_count = forms.IntegerField(
        label=_l("Số nhân khẩu"), min_value=1, max_value=100,
        error_messages={"required": _l("Cần nhập số nhân khẩu."),
                        "min_value": _l("Số nhân khẩu phải từ 1 trở lên."),
                        "max_value": _l("Số nhân khẩu không quá 100 người."),
                        "invalid": _l("Số nhân khẩu phải là số nguyên.")},
    )
    income_total = MoneyField(
        label=_l("Tổng thu nhập của hộ (đồng/tháng)"), required=False,
        help_text=_l("Nhập tổng thu nhập của cả hộ, hoặc thu nhập bình quân đầu người ở ô dưới — một trong hai."),
    )
    income_per_person = MoneyField(label=_l("Thu nhập bình quân (đồng/người/tháng)"), required=False)
    deprived = forms.MultipleChoiceField(
        label=_l("Chỉ số thiếu hụt"), required=False, widget=forms.CheckboxSelectMultiple,
    )
    area = forms.ChoiceField(label=_l("Khu vực"), required=False)
    area_reason = forms.CharField(
        label=_l("Lý do chọn khu vực khác"), required=False, max_length=300,
        help_text=_l("Bắt buộc khi khu vực khác với khu vực theo loại xã/phường."),
    )
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    apply = forms.BooleanField(
        label=_l("Ghi kết quả này vào phân loại hộ nghèo của năm áp dụng"), required=False,
    )
    decision = forms.CharField(
        label=_l("Quyết định công nhận (nếu có)"), required=False, max_length=100,
    )

    def __init__(self, *args: Any, groups: list[IndicatorGroup], auto_area_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = groups
        cast(forms.ChoiceField, self.fields["deprived"]).choices = [
            (t.code, t.label) for g in groups for t in g.indicators]
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", auto_area_label), *PovertyArea.choices]
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("surveyed_on", today)
            self.initial.setdefault("year", today.year)

    def checked(self) -> set[str]:
        """Indicator codes ticked, also when the form is invalid (to keep the boxes as typed)."""
        if self.is_bound:
            return set(self.data.getlist("deprived")) if hasattr(self.data, "getlist") else set()
        return set(self.initial.get("deprived") or [])

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "surveyed_on": d["surveyed_on"], "year": d["year"], "members_count": d["members_count"],
            "income_total": d["income_total"], "income_per_person": d["income_per_person"],
            "deprived": d["deprived"], "area": d["area"] or None, "area_reason": d["area_reason"],
            "notes": d["notes"], "apply": d["apply"], "decision": d["decision"],
        }


class SurveyApplyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.CharField(label=_l("Quyết định công nhận (nếu có)"), required=False, max_length=100)
