"""Forms of the support pages: they parse what the user typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _l

from ctxh.core.models import Term
from ctxh.core.money import MoneyField
from ctxh.people.forms import DateInput
from ctxh.support.models import DonorKind, NeedStatus

SORTS = [("-given_on", _l("Mới nhất trước")), ("given_on", _l("Cũ nhất trước")),
         ("-amount", _l("Số tiền lớn trước")), ("amount", _l("Số tiền nhỏ trước"))]


def _terms(vocabulary: str) -> Any:
    return Term.objects.of(vocabulary).in_force().order_by("position", "code")


def _term_field(vocabulary: str, label: Any, *, required: bool = True, empty: Any = None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, required=required, queryset=_terms(vocabulary), to_field_name="code",
                                  empty_label=empty if empty is not None else "—")


class RecipientMixin(forms.Form):
    """The person picker (people search, ``person`` id) or the household picker (``household`` id)."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    household = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GrantFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tên, CCCD, mã hộ"), required=False, max_length=100)
    kind = _term_field("support_kind", _l("Loại hỗ trợ"), required=False, empty=_l("Tất cả"))
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), required=False, queryset=Term.objects.none(),
                                     empty_label=_l("Tất cả"))
    funding = _term_field("funding_source_kind", _l("Nguồn kinh phí"), required=False, empty=_l("Tất cả"))
    date_from = forms.DateField(label=_l("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_l("Đến ngày"), required=False, widget=DateInput())
    sort = forms.ChoiceField(label=_l("Sắp xếp"), required=False, choices=SORTS)

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = _terms("support_kind")  # type: ignore[attr-defined]
        self.fields["funding"].queryset = _terms("funding_source_kind")  # type: ignore[attr-defined]
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _l("“Đến ngày” không được trước “Từ ngày”."))
        return data


class GrantForm(RecipientMixin):
    kind = _term_field("support_kind", _l("Loại hỗ trợ"))
    given_on = forms.DateField(label=_l("Ngày hỗ trợ"), widget=DateInput())
    event_date = forms.DateField(label=_l("Ngày xảy ra sự việc"), required=False, widget=DateInput(),
                                 help_text=_l("Ngày mất, ngày thiên tai, ngày bị thương…: mức hỗ trợ tính theo quy "
                                              "định có hiệu lực vào ngày này."))
    amount = MoneyField(label=_l("Số tiền (đồng)"), required=False)
    item = _term_field("support_item", _l("Hiện vật"), required=False)
    quantity = forms.IntegerField(label=_l("Số lượng"), required=False, min_value=1)
    unit = forms.CharField(label=_l("Đơn vị tính"), required=False, max_length=20,
                           help_text=_l("Bỏ trống để dùng đơn vị của hiện vật."))
    persons_count = forms.IntegerField(label=_l("Số nhân khẩu (hỗ trợ gạo)"), required=False, min_value=1)
    months = forms.IntegerField(label=_l("Số tháng (hỗ trợ gạo)"), required=False, min_value=1)
    funding = _term_field("funding_source_kind", _l("Nguồn kinh phí"))
    donation = forms.ModelChoiceField(label=_l("Khoản tài trợ"), required=False, queryset=Term.objects.none(),
                                      help_text=_l("Khi nguồn kinh phí là nhà tài trợ: số lượng được trừ vào khoản này."))
    project_name = forms.CharField(label=_l("Tên dự án, chương trình"), required=False, max_length=200)
    case_number = forms.CharField(label=_l("Số hồ sơ trường hợp (nếu có)"), required=False, max_length=30,
                                  widget=forms.TextInput(attrs={"placeholder": "HS-2026-000123"}))
    need = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_l("Lý do, hoàn cảnh"), widget=forms.Textarea(attrs={"rows": 3}))
    received_by = forms.CharField(label=_l("Người ký nhận"), required=False, max_length=150)
    received_on = forms.DateField(label=_l("Ngày nhận"), required=False, widget=DateInput())
    receipt_number = forms.CharField(label=_l("Số biên nhận"), required=False, max_length=50)
    proof_file = forms.FileField(label=_l("Bản chụp biên nhận (PDF, ảnh)"), required=False)

    def __init__(self, *args: Any, donations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, vocabulary in (("kind", "support_kind"), ("item", "support_item"),
                                 ("funding", "funding_source_kind")):
            self.fields[name].queryset = _terms(vocabulary)  # type: ignore[attr-defined]
        self.fields["donation"].queryset = donations  # type: ignore[attr-defined]


class ReceiptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    received_by = forms.CharField(label=_l("Người ký nhận"), max_length=150)
    received_on = forms.DateField(label=_l("Ngày nhận"), widget=DateInput())
    receipt_number = forms.CharField(label=_l("Số biên nhận"), required=False, max_length=50)
    proof_file = forms.FileField(label=_l("Bản chụp biên nhận (PDF, ảnh)"), required=False)


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tên, CCCD, mã hộ"), required=False, max_length=100)
    status = forms.ChoiceField(label=_l("Trạng thái"), required=False,
                               choices=[("", _l("Tất cả")), *NeedStatus.choices])
    need_type = _term_field("need_type", _l("Loại nhu cầu"), required=False, empty=_l("Tất cả"))
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), required=False, queryset=Term.objects.none(),
                                     empty_label=_l("Tất cả"))
    survey = forms.ModelChoiceField(label=_l("Đợt khảo sát"), required=False, queryset=Term.objects.none(),
                                    empty_label=_l("Tất cả"))

    def __init__(self, *args: Any, communes: Any, surveys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need_type"].queryset = _terms("need_type")  # type: ignore[attr-defined]
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["survey"].queryset = surveys  # type: ignore[attr-defined]


class NeedForm(RecipientMixin):
    need_type = _term_field("need_type", _l("Loại nhu cầu"))
    detail = forms.CharField(label=_l("Chi tiết"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    identified_on = forms.DateField(label=_l("Ngày xác định"), required=False, widget=DateInput(),
                                    help_text=_l("Bỏ trống: hôm nay."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need_type"].queryset = _terms("need_type")  # type: ignore[attr-defined]


class NeedMoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_l("Ngày"), required=False, widget=DateInput(), help_text=_l("Bỏ trống: hôm nay."))
    reason = forms.CharField(label=_l("Lý do không đáp ứng"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    support = forms.CharField(label=_l("Đã đáp ứng bằng"), required=False)


class SurveyForm(forms.Form):
    name = forms.CharField(label=_l("Tên đợt khảo sát"), max_length=200)
    purpose = forms.CharField(label=_l("Mục đích"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_l("Từ ngày"), widget=DateInput())
    ends_on = forms.DateField(label=_l("Đến ngày"), required=False, widget=DateInput())
    communes = forms.ModelMultipleChoiceField(label=_l("Xã/phường khảo sát"), queryset=Term.objects.none(),
                                              widget=forms.SelectMultiple(attrs={"size": 10}),
                                              help_text=_l("Giữ Ctrl (hoặc Cmd) để chọn nhiều xã/phường."))
    need_types = forms.ModelMultipleChoiceField(label=_l("Loại nhu cầu khảo sát"), required=False,
                                                queryset=Term.objects.none(), widget=forms.CheckboxSelectMultiple,
                                                to_field_name="code",
                                                help_text=_l("Không chọn: mọi loại nhu cầu."))

    def __init__(self, *args: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes  # type: ignore[attr-defined]
        self.fields["need_types"].queryset = _terms("need_type")  # type: ignore[attr-defined]


class SurveyImportForm(forms.Form):
    file = forms.FileField(label=_l("Tệp CSV hoặc Excel (.xlsx)"))


class SurveyQuickForm(forms.Form):
    lines = forms.CharField(
        label=_l("Mỗi dòng một người: CCCD hoặc mã đối tượng; mã nhu cầu; chi tiết"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _l("022190004321; wheelchair; Liệt hai chân\n1234; job")}))
    default_need_type = _term_field("need_type", _l("Nhu cầu mặc định (cho dòng chỉ có CCCD/mã)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_need_type"].queryset = _terms("need_type")  # type: ignore[attr-defined]


class DonorForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_l("Tên nhà tài trợ"), max_length=200)
    kind = forms.ChoiceField(label=_l("Loại"), choices=DonorKind.choices)
    contact_name = forms.CharField(label=_l("Người liên hệ"), required=False, max_length=150)
    phone = forms.CharField(label=_l("Điện thoại"), required=False, max_length=20)
    email = forms.EmailField(label=_l("Thư điện tử"), required=False)
    address = forms.CharField(label=_l("Địa chỉ"), required=False, max_length=300)
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DonationForm(forms.Form):
    FORMS = [("goods", _l("Hiện vật")), ("cash", _l("Tiền"))]

    donor = forms.ModelChoiceField(label=_l("Nhà tài trợ"), queryset=Term.objects.none())
    received_on = forms.DateField(label=_l("Ngày tiếp nhận"), widget=DateInput())
    form = forms.ChoiceField(label=_l("Hình thức"), choices=FORMS, widget=forms.RadioSelect, initial="goods")
    amount = MoneyField(label=_l("Số tiền (đồng)"), required=False)
    item = _term_field("support_item", _l("Hiện vật"), required=False)
    quantity = forms.IntegerField(label=_l("Số lượng"), required=False, min_value=1)
    unit = forms.CharField(label=_l("Đơn vị tính"), required=False, max_length=20,
                           help_text=_l("Bỏ trống để dùng đơn vị của hiện vật."))
    purpose = forms.CharField(label=_l("Mục đích"), widget=forms.Textarea(attrs={"rows": 2}))
    restrictions = forms.CharField(label=_l("Điều kiện, giới hạn của nhà tài trợ"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    communes = forms.ModelMultipleChoiceField(label=_l("Chỉ dành cho các xã/phường"), required=False,
                                              queryset=Term.objects.none(),
                                              widget=forms.SelectMultiple(attrs={"size": 8}),
                                              help_text=_l("Không chọn: cả tỉnh."))
    reference = forms.CharField(label=_l("Số biên bản tiếp nhận"), required=False, max_length=100)

    def __init__(self, *args: Any, donors: Any, communes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors  # type: ignore[attr-defined]
        self.fields["communes"].queryset = communes  # type: ignore[attr-defined]
        self.fields["item"].queryset = _terms("support_item")  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        cash = d["form"] == "cash"
        return {
            "donor": d["donor"], "received_on": d["received_on"], "purpose": d["purpose"],
            "amount": d["amount"] if cash else None, "item": None if cash else d["item"],
            "quantity": None if cash else d["quantity"], "unit": "" if cash else d["unit"],
            "restrictions": d["restrictions"], "communes": list(d["communes"]), "reference": d["reference"],
        }


class AllocationForm(RecipientMixin):
    amount = MoneyField(label=_l("Số tiền (đồng)"), required=False)
    quantity = forms.IntegerField(label=_l("Số lượng"), required=False, min_value=1)
    allocated_on = forms.DateField(label=_l("Ngày phân bổ"), widget=DateInput())
    note = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    need = forms.IntegerField(required=False, widget=forms.HiddenInput)
    received_by = forms.CharField(label=_l("Người ký nhận"), required=False, max_length=150)
    received_on = forms.DateField(label=_l("Ngày nhận"), required=False, widget=DateInput())
    receipt_number = forms.CharField(label=_l("Số biên nhận"), required=False, max_length=50)
    proof_file = forms.FileField(label=_l("Bản chụp biên nhận (PDF, ảnh)"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_l("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3}))
