"""The rule row form: a friendly value box (number, text or JSON) that becomes a JSON value."""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.core.calendar_forms import DayInput
from ctxh.core.rule_selectors import value_display

KIND_NUMBER, KIND_TEXT, KIND_JSON = "number", "text", "json"
KINDS = [
    (KIND_NUMBER, _l("Số (số tiền, hệ số, số ngày…)")),
    (KIND_TEXT, _l("Chữ")),
    (KIND_JSON, _l("JSON (danh sách, bảng giá trị)")),
]

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.500.000
_THOUSANDS_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$")  # 1.500.000,5
_INT = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+[.,]\d+$")  # 1,5 or 1.5


def parse_number(text: str) -> int | float:
    """Vietnamese habits: a dot groups thousands (500.000), a comma marks decimals (1,5).

    A single dot before other than three digits is a decimal point too (1.5),
    so coefficients typed either way work. Raises ValueError.
    """
    t = re.sub(r"[\s\u00a0]", "", text or "")
    t = re.sub(r"(₫|đ|đồng|vnd)$", "", t, flags=re.IGNORECASE)
    if _INT.match(t):
        return int(t)
    if _THOUSANDS.match(t):
        return int(t.replace(".", ""))
    if _THOUSANDS_DECIMAL.match(t):
        return float(t.replace(".", "").replace(",", "."))
    if _DECIMAL.match(t):
        return float(t.replace(",", "."))
    raise ValueError(text)


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return KIND_JSON
    if isinstance(value, int | float):
        return KIND_NUMBER
    if isinstance(value, str):
        return KIND_TEXT
    return KIND_JSON


def value_as_text(value: Any) -> str:
    """What the value box shows for a stored value."""
    kind = kind_of(value)
    if kind == KIND_NUMBER:
        return value_display(value)
    if kind == KIND_TEXT:
        return value
    return json.dumps(value, ensure_ascii=False, indent=2)


class RuleForm(forms.Form):
    key = forms.CharField(
        label=_l("Mã quy định"), max_length=100,
        help_text=_l("Chữ thường không dấu, nhóm ngăn bằng dấu chấm, ví dụ assistance.base_level."),
        error_messages={"required": _l("Cần nhập mã quy định.")},
    )
    valid_from = forms.DateField(
        label=_l("Hiệu lực từ ngày"), widget=DayInput(), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _l("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2026."),
                        "required": _l("Cần nhập ngày hiệu lực.")},
    )
    value_kind = forms.ChoiceField(label=_l("Loại giá trị"), choices=KINDS, initial=KIND_NUMBER)
    value = forms.CharField(
        label=_l("Giá trị"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("Số: dấu chấm ngăn hàng nghìn (500.000), dấu phẩy cho phần lẻ (1,5). "
                     "JSON: ví dụ {\"hours\": 12} hoặc [\"tedb_11\", \"tedb_12\"]."),
        error_messages={"required": _l("Cần nhập giá trị.")},
    )
    unit = forms.CharField(label=_l("Đơn vị"), max_length=40, required=False,
                           help_text=_l("Ví dụ: VND/tháng, hệ số, ngày làm việc."))
    source = forms.CharField(
        label=_l("Văn bản"), max_length=300,
        help_text=_l("Số, ngày và cơ quan ban hành văn bản quy định giá trị này; ghi rõ điều, khoản."),
        error_messages={"required": _l("Cần ghi văn bản quy định (số, ngày, cơ quan ban hành).")},
    )
    note = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            # The key names the rule; a row moved to another key would rewrite two histories.
            self.fields["key"].disabled = True
            self.fields["key"].required = False

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        text, kind = data.get("value"), data.get("value_kind")
        if text is None or not kind:
            return data
        if kind == KIND_NUMBER:
            try:
                data["parsed_value"] = parse_number(text)
            except ValueError:
                self.add_error("value", _("Giá trị số không hợp lệ. Ví dụ: 500.000 hoặc 1,5."))
        elif kind == KIND_TEXT:
            data["parsed_value"] = text.strip()
        else:
            try:
                data["parsed_value"] = json.loads(text)
            except json.JSONDecodeError as exc:
                self.add_error("value", _(
                    "Giá trị JSON không hợp lệ ở dòng %(line)s, cột %(col)s. Kiểm tra dấu ngoặc, dấu phẩy "
                    "và dấu nháy kép (chuỗi phải đặt trong \"…\").") % {"line": exc.lineno, "col": exc.colno})
        return data

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"valid_from": d["valid_from"], "value": d["parsed_value"], "unit": d["unit"],
                "source": d["source"], "note": d["note"]}

    @classmethod
    def initial_for(cls, rule: Any) -> dict[str, Any]:
        return {"key": rule.key, "valid_from": rule.valid_from, "value_kind": kind_of(rule.value),
                "value": value_as_text(rule.value), "unit": rule.unit, "source": rule.source, "note": rule.note}


class SearchForm(forms.Form):
    q = forms.CharField(label=_l("Tìm"), required=False)
    group = forms.ChoiceField(label=_l("Nhóm"), required=False)

    def __init__(self, *args: Any, prefixes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            ("", _("Tất cả nhóm")), *[(p, p) for p in prefixes]]
