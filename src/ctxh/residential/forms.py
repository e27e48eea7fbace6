"""Forms of the residential pages. They parse and present; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from ctxh.core.money import MoneyField
from ctxh.core.rules import RuleMissing, rule_value
from ctxh.geo.models import Commune
from ctxh.network.models import Provider
from ctxh.people.forms import DateInput
from ctxh.residential.models import Admission, AdmissionKind, DischargeReason, Situation
from ctxh.residential.reference import RULE_FOLLOW_UP_MONTHS
from ctxh.residential.selectors import RESIDENT_SORTS

BLANK = [("", "—")]


class TextArea(forms.Textarea):
    def __init__(self, rows: int = 3, **kwargs: Any) -> None:
        super().__init__(attrs={"rows": rows}, **kwargs)


def follow_up_months(on: Any = None) -> int | None:
    """The minimum follow-up after a return home, in months, from the rule row in force (None if missing)."""
    try:
        return int(rule_value(RULE_FOLLOW_UP_MONTHS, on or timezone.localdate()))
    except RuleMissing:
        return None


def _follow_up_help(field: forms.Field) -> None:
    months = follow_up_months()
    if months is not None:
        field.help_text = _l("Bỏ trống: theo quy định (ít nhất %(n)s tháng sau khi trở về).") % {"n": months}


class AdmissionFieldsMixin(forms.Form):
    kind = forms.ChoiceField(label=_l("Hình thức tiếp nhận"), choices=BLANK + list(AdmissionKind.choices))
    admitted_on = forms.DateField(label=_l("Ngày tiếp nhận"), widget=DateInput())
    reason = forms.CharField(label=_l("Lý do tiếp nhận (hoàn cảnh, diện đối tượng)"), widget=TextArea(4))
    decision_number = forms.CharField(label=_l("Số quyết định tiếp nhận"), required=False, max_length=60)
    decision_date = forms.DateField(label=_l("Ngày quyết định"), required=False, widget=DateInput())
    decided_by = forms.CharField(label=_l("Người ký quyết định"), required=False, max_length=150)
    monthly_fee = MoneyField(label=_l("Phí hằng tháng (đồng)"), required=False,
                             help_text=_l("Chỉ với hình thức tự nguyện có trả phí."))
    contract_number = forms.CharField(label=_l("Số hợp đồng"), required=False, max_length=60)
    payer_name = forms.CharField(label=_l("Người trả phí"), required=False, max_length=150)
    case_number = forms.CharField(label=_l("Số hồ sơ trường hợp (nếu có)"), required=False, max_length=30,
                                  help_text=_l("Việc tiếp nhận và rời cơ sở sẽ được ghi vào dòng thời gian của hồ sơ."))
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=TextArea(2))

    SERVICE_FIELDS = ("kind", "admitted_on", "reason", "decision_number", "decision_date", "decided_by",
                      "monthly_fee", "contract_number", "payer_name", "notes")


class AdmitForm(AdmissionFieldsMixin):
    person = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _l("Cần tìm và chọn người được tiếp nhận.")})
    over_capacity_reason = forms.CharField(
        label=_l("Lý do tiếp nhận vượt số chỗ"), required=False, widget=TextArea(2),
        help_text=_l("Chỉ lãnh đạo: khi cơ sở đã đủ chỗ mà vẫn phải tiếp nhận (trường hợp khẩn cấp)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("admitted_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class AdmissionEditForm(AdmissionFieldsMixin):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, admission: Admission, case_number: str | None) -> None:
        initial = {f: getattr(admission, f) for f in self.SERVICE_FIELDS}
        initial["case_number"] = case_number or ""
        initial["version"] = admission.version
        super().__init__(data, initial=initial)
        self.hidden_case = admission.case_id is not None and not case_number

    def changed_for_service(self) -> list[str]:
        """Only what the user changed, so an untouched field never trips the lock's diff."""
        return [f for f in (*self.SERVICE_FIELDS, "case_number") if f in self.changed_data]


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_l("Ngày rời cơ sở"), widget=DateInput())
    reason = forms.ChoiceField(label=_l("Lý do rời cơ sở"), choices=BLANK + list(DischargeReason.choices))
    decision = forms.CharField(label=_l("Số quyết định"), required=False, max_length=60)
    transferred_to = forms.ModelChoiceField(label=_l("Chuyển đến cơ sở"), queryset=Provider.objects.none(),
                                            required=False, empty_label=_l("— Không —"))
    note = forms.CharField(label=_l("Ghi chú"), required=False, widget=TextArea(2))
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Who takes the person back home (recorded at once when the reason is a return home).
    commune = forms.ModelChoiceField(label=_l("Xã/phường nơi trở về"), queryset=Commune.objects.none(),
                                     required=False, empty_label=_l("— Chọn xã/phường —"))
    address_detail = forms.CharField(label=_l("Địa chỉ"), required=False, max_length=250)
    receiver_name = forms.CharField(label=_l("Người tiếp nhận"), required=False, max_length=150)
    receiver_relationship = forms.CharField(label=_l("Quan hệ với đối tượng"), required=False, max_length=100,
                                            help_text=_l("Ví dụ: mẹ, con trai; cán bộ UBND xã nếu trở về cộng đồng."))
    receiver_phone = forms.CharField(label=_l("Điện thoại người tiếp nhận"), required=False, max_length=20)
    follow_up_until = forms.DateField(label=_l("Theo dõi đến ngày"), required=False, widget=DateInput(),
                                      help_text=_l("Bỏ trống: theo quy định."))
    reintegration_notes = forms.CharField(label=_l("Ghi chú tái hòa nhập"), required=False, widget=TextArea(2))

    def __init__(self, *args: Any, admission: Admission, communes: Any, facilities: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(discharged_on=timezone.localdate(), version=admission.version,
                                                commune=admission.person.commune_id,
                                                address_detail=admission.person.address_detail)
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        self.fields["transferred_to"].queryset = facilities  # type: ignore[attr-defined]
        _follow_up_help(self.fields["follow_up_until"])


class ReintegrationForm(forms.Form):
    commune = forms.ModelChoiceField(label=_l("Xã/phường nơi trở về"), queryset=Commune.objects.none(),
                                     empty_label=_l("— Chọn xã/phường —"))
    address_detail = forms.CharField(label=_l("Địa chỉ"), required=False, max_length=250)
    receiver_name = forms.CharField(label=_l("Người tiếp nhận"), max_length=150)
    receiver_relationship = forms.CharField(label=_l("Quan hệ với đối tượng"), required=False, max_length=100)
    receiver_phone = forms.CharField(label=_l("Điện thoại người tiếp nhận"), required=False, max_length=20)
    follow_up_until = forms.DateField(label=_l("Theo dõi đến ngày"), required=False, widget=DateInput(),
                                      help_text=_l("Bỏ trống: theo quy định."))
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=TextArea(2))

    def __init__(self, *args: Any, admission: Admission, communes: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(commune=admission.person.commune_id,
                                                address_detail=admission.person.address_detail)
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        _follow_up_help(self.fields["follow_up_until"])


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_l("Ngày theo dõi"), widget=DateInput())
    situation = forms.ChoiceField(label=_l("Tình hình"), choices=BLANK + list(Situation.choices))
    notes = forms.CharField(label=_l("Ghi chép"), required=False, widget=TextArea(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)


SORT_CHOICES = [(k, k) for k in RESIDENT_SORTS]


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tên, số quyết định"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_l("Hình thức"), required=False,
                             choices=[("", _l("Tất cả"))] + list(AdmissionKind.choices))
    sort = forms.ChoiceField(required=False, choices=[("", "")] + SORT_CHOICES)
    tab = forms.ChoiceField(required=False, choices=[("current", "current"), ("history", "history")])
