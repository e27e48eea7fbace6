"""Forms of the registry pages. They parse and present; services decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.core.models import Term
from ctxh.geo.models import Commune, Province
from ctxh.people.models import (
    Consent,
    DatePrecision,
    LifeStatus,
    Person,
    PovertyStatus,
    Relationship,
    Sex,
)
from ctxh.people.selectors import SORTS

_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """'17/05/1990', '05/1990' or '1990' → (date, precision). Raises ValueError."""
    text = (text or "").strip()
    if m := _DAY.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1])), DatePrecision.DAY
    if m := _ISO.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3])), DatePrecision.DAY
    if m := _MONTH.match(text):
        return dt.date(int(m[2]), int(m[1]), 1), DatePrecision.MONTH
    if m := _YEAR.match(text):
        return dt.date(int(m[1]), 1, 1), DatePrecision.YEAR
    raise ValueError(text)


def format_partial_date(value: dt.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return f"{value:%m/%Y}"
    return f"{value:%d/%m/%Y}"


class DateInput(forms.DateInput):
    """A dd/mm/yyyy text box: native pickers differ too much on old browsers."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, **kwargs)


def _ethnicities() -> Any:
    return Term.objects.of("ethnicity").in_force()


class PlaceMixin:
    """Province → commune: the commune list follows the chosen province."""

    def _setup_place(self, province_code: Any) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields["province"].queryset = Province.objects.all()
        try:
            code = int(province_code or 0)
        except (TypeError, ValueError):
            code = 0
        fields["commune"].queryset = Commune.objects.filter(province_id=code) if code else Commune.objects.none()


class PersonForm(PlaceMixin, forms.Form):
    full_name = forms.CharField(label=_l("Họ và tên"), max_length=150)
    sex = forms.ChoiceField(label=_l("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth = forms.CharField(
        label=_l("Ngày sinh"), required=False, max_length=10,
        help_text=_l("dd/mm/yyyy, hoặc mm/yyyy, hoặc chỉ năm (yyyy) nếu không biết rõ."),
    )
    cccd = forms.CharField(label=_l("Số CCCD/định danh (12 số)"), required=False, max_length=20)
    old_id_number = forms.CharField(label=_l("Số CMND cũ (9 số)"), required=False, max_length=12)
    phone = forms.CharField(label=_l("Điện thoại"), required=False, max_length=20)
    phone_alt = forms.CharField(label=_l("Điện thoại khác"), required=False, max_length=20)
    ethnicity = forms.ModelChoiceField(label=_l("Dân tộc"), queryset=Term.objects.none(), required=False,
                                       empty_label=_l("— Chọn dân tộc —"))
    province = forms.ModelChoiceField(label=_l("Tỉnh/thành phố"), queryset=Province.objects.none(),
                                      empty_label=_l("— Chọn tỉnh —"))
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_l("— Chọn xã/phường —"))
    address_detail = forms.CharField(label=_l("Địa chỉ (thôn, tổ, số nhà)"), required=False, max_length=200)
    legacy_district = forms.CharField(label=_l("Huyện cũ (nếu hồ sơ cũ có ghi)"), required=False, max_length=100)
    status = forms.ChoiceField(label=_l("Tình trạng"), choices=LifeStatus.choices, initial=LifeStatus.LIVING)
    death_date = forms.DateField(label=_l("Ngày mất"), required=False, widget=DateInput())
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    duplicate_reason = forms.CharField(
        label=_l("Lý do vẫn đăng ký dù có hồ sơ nghi trùng"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_id_warning = forms.BooleanField(
        label=_l("Tôi đã kiểm tra: số CCCD đúng dù không khớp giới tính/năm sinh"), required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        initial = kwargs.pop("initial", {}) or {}
        if person is not None:
            initial = {
                "full_name": person.full_name, "sex": person.sex,
                "birth": format_partial_date(person.birth_date, person.birth_precision),
                "cccd": person.cccd, "old_id_number": person.old_id_number, "phone": person.phone,
                "phone_alt": person.phone_alt, "ethnicity": person.ethnicity_id,
                "province": person.province_id, "commune": person.commune_id,
                "address_detail": person.address_detail, "legacy_district": person.legacy_district,
                "status": person.status, "death_date": person.death_date, "notes": person.notes,
                "version": person.version, **initial,
            }
        initial.setdefault("province", settings.CTXH_PROVINCE_CODE)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["ethnicity"].queryset = _ethnicities()
        province = self.data.get("province") if self.is_bound else initial.get("province")
        self._setup_place(province)
        if person is not None:
            del self.fields["duplicate_reason"]

    def clean_birth(self) -> tuple[dt.date, str] | None:
        text = self.cleaned_data.get("birth", "")
        if not text.strip():
            return None
        try:
            return parse_partial_date(text)
        except ValueError:
            raise forms.ValidationError(
                _("Ngày sinh không đúng dạng. Nhập dd/mm/yyyy, mm/yyyy hoặc yyyy.")) from None

    def service_data(self) -> dict[str, Any]:
        """The cleaned values in the shape services take."""
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in ("birth", "duplicate_reason", "confirm_id_warning", "version")}
        birth = self.cleaned_data.get("birth")
        data["birth_date"], data["birth_precision"] = birth if birth else (None, DatePrecision.DAY)
        return data


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tìm"), required=False)
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_l("Tất cả"))
    sex = forms.ChoiceField(label=_l("Giới tính"), required=False, choices=[("", _l("Tất cả")), *Sex.choices])
    status = forms.ChoiceField(label=_l("Tình trạng"), required=False,
                               choices=[("", _l("Tất cả")), *LifeStatus.choices])
    group = forms.ChoiceField(label=_l("Diện đối tượng"), required=False)
    born_from = forms.IntegerField(label=_l("Sinh từ năm"), required=False, min_value=1880, max_value=2100)
    born_to = forms.IntegerField(label=_l("đến năm"), required=False, min_value=1880, max_value=2100)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes if communes is not None else Commune.objects.none()
        groups = Term.objects.filter(vocabulary__in=["allowance_group", "child_special"]).order_by("vocabulary", "position")
        self.fields["group"].choices = [("", _("Tất cả"))] + [(t.code, t.label) for t in groups]


class GroupMembershipForm(forms.Form):
    group = forms.ModelChoiceField(label=_l("Diện đối tượng"), queryset=Term.objects.none())
    start_date = forms.DateField(label=_l("Từ ngày"), widget=DateInput())
    end_date = forms.DateField(label=_l("Đến ngày (nếu đã biết)"), required=False, widget=DateInput())
    source = forms.CharField(label=_l("Căn cứ (số quyết định, văn bản)"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            Term.objects.filter(vocabulary__in=["allowance_group", "child_special"]).in_force()
            .order_by("vocabulary", "position")
        )


class EndDateForm(forms.Form):
    end_date = forms.DateField(label=_l("Ngày kết thúc"), widget=DateInput())


class DisabilityForm(forms.Form):
    type = forms.ModelChoiceField(label=_l("Dạng tật"), queryset=Term.objects.none())
    level = forms.ModelChoiceField(label=_l("Mức độ"), queryset=Term.objects.none())
    certificate_number = forms.CharField(label=_l("Số giấy xác nhận khuyết tật"), max_length=50, required=False)
    certificate_date = forms.DateField(label=_l("Ngày cấp"), required=False, widget=DateInput())
    issuing_commune = forms.ModelChoiceField(label=_l("Xã/phường cấp"), queryset=Commune.objects.none(),
                                             required=False)

    def __init__(self, *args: Any, province_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = Term.objects.of("disability_type").in_force()
        self.fields["level"].queryset = Term.objects.of("disability_level").in_force()
        self.fields["issuing_commune"].queryset = Commune.objects.filter(province_id=province_id)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "given_by", "representative_name", "representative_relation", "method",
                  "given_on", "document_ref"]
        widgets = {"given_on": DateInput()}


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_l("Ngày rút lại"), widget=DateInput())
    reason = forms.CharField(label=_l("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HouseholdForm(PlaceMixin, forms.Form):
    province = forms.ModelChoiceField(label=_l("Tỉnh/thành phố"), queryset=Province.objects.none())
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(),
                                     empty_label=_l("— Chọn xã/phường —"))
    address_detail = forms.CharField(label=_l("Địa chỉ (thôn, tổ, số nhà)"), required=False, max_length=200)
    notes = forms.CharField(label=_l("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        initial.setdefault("province", settings.CTXH_PROVINCE_CODE)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self._setup_place(self.data.get("province") if self.is_bound else initial.get("province"))


class MemberForm(forms.Form):
    person = forms.IntegerField(label=_l("Người"), widget=forms.HiddenInput,
                                error_messages={"required": _l("Hãy tìm và chọn một người.")})
    relationship = forms.ChoiceField(label=_l("Quan hệ với chủ hộ"), choices=Relationship.choices)
    joined_on = forms.DateField(label=_l("Ngày vào hộ"), required=False, widget=DateInput())


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(label=_l("Lý do chuyển khỏi hộ"), max_length=300)


class PovertyForm(forms.Form):
    year = forms.IntegerField(label=_l("Năm rà soát"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_l("Phân loại"), choices=PovertyStatus.choices)
    decision = forms.CharField(label=_l("Quyết định công nhận"), required=False, max_length=100)
