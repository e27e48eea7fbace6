"""Forms of the entitlement and payment pages. They parse and present; services decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from ctxh.assistance.models import (
    Decision,
    Entitlement,
    PaymentList,
    PaymentMethod,
    Scheme,
    StopReason,
)
from ctxh.assistance.selectors import ENTITLEMENT_SORTS
from ctxh.core.money import MoneyField
from ctxh.core.templatetags.ctxh import vnd
from ctxh.people.forms import DateInput

BLANK = [("", "—")]
ALL = [("", _l("Tất cả"))]


def parse_month(value: str) -> dt.date | None:
    """"2024-07", "07/2024" or "7/2024" → 1 July 2024."""
    value = (value or "").strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", value) or None
    if m:
        year, month = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", value)
        if not m:
            raise ValueError(value)
        month, year = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise ValueError(value)
    return dt.date(year, month, 1)


class MonthField(forms.CharField):
    """A month typed as mm/yyyy (or picked: yyyy-mm); cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "mm/yyyy", "inputmode": "numeric",
                                                           "size": 8}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return f"{value:%m/%Y}"
        return value

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if isinstance(value, dt.date):
            return value.replace(day=1)
        try:
            return parse_month(str(value or ""))
        except ValueError:
            raise forms.ValidationError(_l("Tháng phải theo dạng mm/yyyy, ví dụ 07/2024.")) from None


def _communes(form: forms.Form, name: str, communes: Any, *, required: bool) -> None:
    field = form.fields[name]
    field.queryset = communes
    field.required = required


class EntitlementFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tên, CCCD"), required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None, required=False, empty_label=_l("Tất cả"))
    scheme = forms.ChoiceField(label=_l("Chế độ"), choices=ALL + list(Scheme.choices), required=False)
    status = forms.ChoiceField(label=_l("Trạng thái"), choices=ALL + list(Entitlement.Status.choices), required=False)
    sort = forms.ChoiceField(choices=[(k, k) for k in ENTITLEMENT_SORTS], required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=False)


class PaymentFields(forms.Form):
    payment_method = forms.ChoiceField(label=_l("Hình thức nhận"), choices=PaymentMethod.choices,
                                       initial=PaymentMethod.CASH)
    bank_account = forms.CharField(label=_l("Số tài khoản"), required=False, max_length=30,
                                   help_text=_l("Chỉ khi nhận qua ngân hàng."))
    bank_name = forms.CharField(label=_l("Ngân hàng"), required=False, max_length=100)

    def payment(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"payment_method": d["payment_method"], "bank_account": d.get("bank_account", ""),
                "bank_name": d.get("bank_name", "")}


class ProposeForm(PaymentFields):
    group = forms.ChoiceField(label=_l("Diện đề nghị hưởng"), widget=forms.RadioSelect)
    commune = forms.ModelChoiceField(label=_l("Xã/phường chi trả"), queryset=None)
    note = forms.CharField(label=_l("Ghi chú đề nghị"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["group", "commune", "payment_method", "bank_account", "bank_name", "note"]

    def __init__(self, *args: Any, lines: list[Any], communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            (ln.group, _l("%(label)s — %(amount)s/tháng") % {"label": ln.label, "amount": vnd(ln.amount)})
            for ln in lines]
        if len(lines) == 1:
            self.fields["group"].initial = lines[0].group
        _communes(self, "commune", communes, required=True)


class DecisionFields(forms.Form):
    """The decision as printed: number, signing date, who signed and their title, effective date, a scan."""

    number = forms.CharField(label=_l("Số quyết định"), max_length=60,
                             widget=forms.TextInput(attrs={"placeholder": "125/QĐ-UBND"}))
    signed_on = forms.DateField(label=_l("Ngày ký"), widget=DateInput())
    signer_name = forms.CharField(label=_l("Người ký"), max_length=150)
    signer_title = forms.CharField(label=_l("Chức vụ người ký"), max_length=150, required=False,
                                   help_text=_l("Để trống: chức vụ theo quy định tại ngày ký "
                                                "(từ 01/7/2025: Chủ tịch UBND xã/phường)."))
    document = forms.FileField(label=_l("Bản quét quyết định (PDF, ảnh)"), required=False)

    def decision(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("number", "signed_on", "signer_name", "signer_title", "effective_on",
                                      "summary", "document") if k in d}


class DecideForm(DecisionFields):
    approve = forms.TypedChoiceField(
        label=_l("Kết quả"), coerce=lambda v: v == "yes", widget=forms.RadioSelect, initial="yes",
        choices=[("yes", _l("Đồng ý cho hưởng")), ("no", _l("Không đồng ý"))])
    effective_on = forms.DateField(label=_l("Hưởng từ ngày"), widget=DateInput(), required=False,
                                   help_text=_l("Để trống: từ ngày ký. Trước tháng đã chi trả thì được truy lĩnh."))
    summary = forms.CharField(label=_l("Trích yếu"), required=False, max_length=500)
    reason = forms.CharField(label=_l("Lý do không đồng ý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["approve", "number", "signed_on", "signer_name", "signer_title", "effective_on", "summary",
                   "document", "reason", "version"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.data.get("approve") == "no":
            for name in ("number", "signed_on", "signer_name"):
                self.fields[name].required = False


class StopForm(DecisionFields):
    reason = forms.ChoiceField(label=_l("Lý do thôi hưởng"), choices=BLANK + list(StopReason.choices))
    stop_on = forms.DateField(label=_l("Ngày phát sinh (ngày mất, ngày chuyển đi…)"), widget=DateInput(),
                              help_text=_l("Vẫn chi trả tháng có ngày này; thôi hưởng từ tháng sau."))
    note = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["reason", "stop_on", "note", "number", "signed_on", "signer_name", "signer_title", "document",
                   "version"]


class PaymentMethodForm(PaymentFields):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_l("Số quyết định, người ký"), required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None, required=False, empty_label=_l("Tất cả"))
    kind = forms.ChoiceField(label=_l("Loại"), choices=ALL + list(Decision.Kind.choices), required=False)
    year = forms.IntegerField(label=_l("Năm ký"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=False)


class PaymentListFilterForm(forms.Form):
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None, required=False, empty_label=_l("Tất cả"))
    month = MonthField(label=_l("Tháng"), required=False)
    status = forms.ChoiceField(label=_l("Trạng thái"), choices=ALL + list(PaymentList.Status.choices), required=False)
    kind = forms.ChoiceField(label=_l("Loại"), choices=ALL + list(PaymentList.Kind.choices), required=False)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=False)


def _this_month() -> dt.date:
    today = timezone.localdate()
    return today.replace(day=1)


class GenerateForm(forms.Form):
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None)
    month = MonthField(label=_l("Tháng"), initial=_this_month)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=True)


def _next_month() -> dt.date:
    first = _this_month()
    return (first + dt.timedelta(days=32)).replace(day=1)


class ReviewForm(forms.Form):
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None)
    month = MonthField(label=_l("Xét cho tháng"), initial=_next_month,
                       help_text=_l("Xét theo quy định và hồ sơ vào ngày đầu tháng."))

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=True)


class ProvinceRunForm(forms.Form):
    month = MonthField(label=_l("Tháng"), initial=_this_month)


class LineFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tên"), required=False)
    group = forms.ChoiceField(label=_l("Diện hưởng"), required=False)
    paid = forms.ChoiceField(label=_l("Đã chi"), required=False, choices=[
        ("", _l("Tất cả")), ("yes", _l("Đã chi")), ("no", _l("Chưa chi"))])

    def __init__(self, *args: Any, groups: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = ALL + groups


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_l("Tôi đã kiểm tra danh sách; sau khi khóa không sửa được nữa."))


class CorrectionForm(forms.Form):
    line = forms.IntegerField(label=_l("STT dòng cần điều chỉnh"), min_value=1)
    amount_delta = MoneyField(label=_l("Điều chỉnh mức hưởng (đồng, âm để giảm)"), initial=0, allow_negative=True)
    arrears_delta = MoneyField(label=_l("Điều chỉnh truy lĩnh (đồng, âm để giảm)"), initial=0, required=False,
                               allow_negative=True)
    reason = forms.CharField(label=_l("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 2}))


class ArrearsFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tên"), required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None, required=False, empty_label=_l("Tất cả"))
    state = forms.ChoiceField(label=_l("Trạng thái"), required=False, initial="open", choices=[
        ("open", _l("Chưa chi trả")), ("settled", _l("Đã đưa vào danh sách")), ("all", _l("Tất cả"))])

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=False)


class ArrearsComputeForm(forms.Form):
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=None, required=False,
                                     empty_label=_l("Cả tỉnh"))
    since = MonthField(label=_l("Từ tháng"), required=False,
                       help_text=_l("Để trống: mọi tháng đã có danh sách khóa."))

    def __init__(self, *args: Any, communes: Any, province_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _communes(self, "commune", communes, required=not province_wide)
