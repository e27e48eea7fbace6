"""Forms of the directory pages and the public portal. They parse and present; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _l

from ctxh.accounts.models import Organization
from ctxh.core.models import Term
from ctxh.geo.models import Commune, Province
from ctxh.network import selectors
from ctxh.network.models import Provider
from ctxh.network.services import FLAG_FIELDS, TEXT_FIELDS

YES_NO = [("", _l("Tất cả")), ("yes", _l("Có")), ("no", _l("Không"))]
STATUS_CHOICES = [("active", _l("Đang hoạt động")), ("inactive", _l("Đã ngừng")), ("all", _l("Tất cả"))]
SORT_CHOICES = [
    ("name", _l("Tên A→Z")), ("-name", _l("Tên Z→A")), ("commune", _l("Xã/phường")),
    ("type", _l("Loại đơn vị")), ("-updated", _l("Mới cập nhật")),
]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def service_choices(*, empty: str) -> list[tuple[str, Any]]:
    """Grouped <select> choices: each group is itself selectable (it finds all its services)."""
    out: list[tuple[str, Any]] = [("", empty)]
    for group, children in selectors.service_tree():
        out.append((group.code, group.label))
        out.extend((c.code, "\u2003" + c.label) for c in children)
    return out


def term_choices(vocabulary: str, *, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((t.code, t.label) for t in selectors.terms(vocabulary))]


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ProviderFilterForm(forms.Form):
    """The staff list's search, filters and sort (GET)."""

    q = forms.CharField(label=_l("Tên, địa chỉ, số điện thoại"), required=False, max_length=100)
    service = forms.ChoiceField(label=_l("Dịch vụ"), required=False)
    commune = forms.ModelChoiceField(label=_l("Phục vụ xã/phường"), required=False, queryset=Commune.objects.none(),
                                     empty_label=_l("Tất cả"))
    type = forms.ChoiceField(label=_l("Loại đơn vị"), required=False)
    sector = forms.ChoiceField(label=_l("Lĩnh vực"), required=False)
    target = forms.ChoiceField(label=_l("Đối tượng phục vụ"), required=False)
    residential = forms.ChoiceField(label=_l("Nuôi dưỡng tập trung"), required=False, choices=YES_NO)
    public = forms.ChoiceField(label=_l("Công khai"), required=False, choices=YES_NO)
    status = forms.ChoiceField(label=_l("Trạng thái"), required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label=_l("Sắp xếp"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, provinces: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        all_ = str(_l("Tất cả"))
        fields: dict[str, Any] = self.fields  # concrete field types, not the base Field
        fields["service"].choices = service_choices(empty=all_)
        fields["type"].choices = term_choices("provider_type", empty=all_)
        fields["sector"].choices = term_choices("provider_sector", empty=all_)
        fields["target"].choices = term_choices("provider_target", empty=all_)
        fields["commune"].queryset = Commune.objects.filter(province_id__in=provinces).order_by("name")
        # Sort keys the list's column headers use are accepted too.
        fields["sort"].choices = [*SORT_CHOICES, *((k, k) for k in selectors.SORTS if k not in dict(SORT_CHOICES))]

    def filters(self) -> selectors.ProviderFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.ProviderFilters()
        d = self.cleaned_data
        return selectors.ProviderFilters(
            q=d["q"], service=d["service"], commune=d["commune"].pk if d["commune"] else None, type=d["type"],
            sector=d["sector"], target=d["target"], residential=_yes_no(d["residential"]),
            public=_yes_no(d["public"]), status=d["status"] or "active", sort=d["sort"] or "name",
        )


class ProviderForm(forms.Form):
    """Add or edit a provider. Service errors come back onto these fields by name."""

    name = forms.CharField(label=_l("Tên đơn vị"), max_length=200)
    type = forms.ModelChoiceField(label=_l("Loại đơn vị"), queryset=Term.objects.none(),
                                  empty_label=_l("— Chọn loại —"))
    sector = forms.ModelChoiceField(label=_l("Lĩnh vực"), queryset=Term.objects.none(), required=False,
                                    empty_label=_l("— Theo loại đơn vị —"),
                                    help_text=_l("Để trống: lấy lĩnh vực thường gặp của loại đơn vị đã chọn."))
    services = forms.ModelMultipleChoiceField(label=_l("Dịch vụ cung cấp"), queryset=Term.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple)
    target_groups = forms.ModelMultipleChoiceField(label=_l("Đối tượng phục vụ"), queryset=Term.objects.none(),
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(
        label=_l("Giới thiệu"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("Hiện trên cổng thông tin nếu đơn vị được công khai: không ghi tên hay thông tin của người được hỗ trợ."),
    )
    hours = forms.CharField(label=_l("Giờ làm việc"), required=False, max_length=200,
                            help_text=_l("Ví dụ: Thứ Hai – Thứ Sáu, 7h30 – 17h00; trực 24/7."))
    province = forms.ModelChoiceField(label=_l("Tỉnh/thành phố"), queryset=Province.objects.none(),
                                      empty_label=_l("— Chọn tỉnh —"))
    commune = forms.ModelChoiceField(label=_l("Xã/phường"), queryset=Commune.objects.none(), required=False,
                                     empty_label=_l("— Chọn xã/phường —"))
    serves_province = forms.BooleanField(label=_l("Phục vụ người dân mọi xã trong tỉnh"), required=False)
    address_detail = forms.CharField(label=_l("Địa chỉ (số nhà, đường, thôn/tổ)"), required=False, max_length=250)
    phone = forms.CharField(label=_l("Điện thoại"), required=False, max_length=20)
    phone_alt = forms.CharField(label=_l("Điện thoại khác"), required=False, max_length=20)
    hotline = forms.CharField(label=_l("Đường dây nóng"), required=False, max_length=20)
    email = forms.CharField(label=_l("Thư điện tử"), required=False, max_length=254)
    website = forms.CharField(label=_l("Trang web"), required=False, max_length=200)
    contact_person = forms.CharField(label=_l("Người liên hệ (chỉ cán bộ thấy)"), required=False, max_length=150)
    is_residential = forms.BooleanField(label=_l("Có nuôi dưỡng tập trung"), required=False)
    capacity = forms.IntegerField(label=_l("Số chỗ nuôi dưỡng"), required=False, min_value=0,
                                  error_messages={"invalid": _l("Số chỗ phải là số nguyên."),
                                                  "min_value": _l("Số chỗ không được âm.")})
    is_public = forms.BooleanField(
        label=_l("Công khai trên cổng thông tin và sổ tay địa chỉ"), required=False, initial=True,
        help_text=_l("Bỏ chọn với nơi tạm lánh hoặc địa chỉ cần giữ kín."),
    )
    organization = forms.ModelChoiceField(label=_l("Đơn vị có tài khoản CTXH"), queryset=Organization.objects.none(),
                                          required=False, empty_label=_l("— Không có —"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, provinces: list[int], provider: Provider | None = None, **kwargs: Any) -> None:
        initial = kwargs.pop("initial", None) or {}
        if provider is not None:
            initial = {
                **{k: getattr(provider, k) for k in [*TEXT_FIELDS, *FLAG_FIELDS, "capacity"]},
                "type": provider.type_id, "sector": provider.sector_id, "province": provider.province_id,
                "commune": provider.commune_id, "organization": provider.organization_id,
                "services": [t.pk for t in provider.services.all()],
                "target_groups": [t.pk for t in provider.target_groups.all()],
                "version": provider.version, **initial,
            }
        elif "province" not in initial and provinces:
            default = settings.CTXH_PROVINCE_CODE if settings.CTXH_PROVINCE_CODE in provinces else provinces[0]
            initial["province"] = default
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        keep = [provider.type_id, provider.sector_id] if provider else []
        f: dict[str, Any] = self.fields
        # Terms in force, plus a retired one the provider still carries.
        f["type"].queryset = _in_force_or("provider_type", keep)
        f["sector"].queryset = _in_force_or("provider_sector", keep)
        f["services"].queryset = _in_force_or("provider_service", [t.pk for t in provider.services.all()] if provider else [])
        f["target_groups"].queryset = _in_force_or("provider_target", [t.pk for t in provider.target_groups.all()] if provider else [])
        allowed = set(provinces) | ({provider.province_id} if provider else set())
        f["province"].queryset = Province.objects.filter(pk__in=allowed)
        province = _int_or_none(self.data.get("province") if self.is_bound else initial.get("province"))
        f["commune"].queryset = Commune.objects.filter(province_id=province).order_by("name") if province \
            else Commune.objects.none()
        f["organization"].queryset = Organization.objects.filter(province_id__in=allowed, is_active=True)
        self.type_sectors = {t.pk: (t.extra or {}).get("sector", "") for t in f["type"].queryset}

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data = {k: d.get(k) for k in [*TEXT_FIELDS, *FLAG_FIELDS, "type", "sector", "province", "commune",
                                      "organization", "capacity"]}
        data["services"] = list(d.get("services") or [])
        data["target_groups"] = list(d.get("target_groups") or [])
        return data

    def checked(self, name: str) -> set[str]:
        """The ids ticked in a checkbox list, as the page shows them (typed values kept on errors)."""
        value = self[name].value() or []
        return {str(v.pk if hasattr(v, "pk") else v) for v in value}


def _in_force_or(vocabulary: str, keep: list[int]) -> Any:
    from django.db.models import Q

    in_force = Term.objects.of(vocabulary).in_force().values("pk")
    return Term.objects.of(vocabulary).filter(Q(pk__in=in_force) | Q(pk__in=keep)).order_by("position", "code")


class ActiveForm(forms.Form):
    """Confirm taking a provider out of the directory, or bringing it back."""

    confirmed = forms.BooleanField(label=_l("Tôi xác nhận"), required=False)
    reason = forms.CharField(label=_l("Lý do"), required=False, max_length=300,
                             widget=forms.TextInput(attrs={"placeholder": _l("Ví dụ: đơn vị đã sáp nhập, đổi địa chỉ")}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublicSearchForm(forms.Form):
    """The portal's GET search: place, service, words. Invalid choices are ignored, never an error page."""

    q = forms.CharField(label=_l("Tên hoặc địa chỉ"), required=False, max_length=100)
    province = forms.TypedChoiceField(label=_l("Tỉnh/thành phố"), required=False, coerce=int, empty_value=None)
    commune = forms.TypedChoiceField(label=_l("Xã/phường nơi bạn ở"), required=False, coerce=int, empty_value=None)
    service = forms.ChoiceField(label=_l("Bạn cần"), required=False)

    def __init__(self, data: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        default_province = settings.CTXH_PROVINCE_CODE
        if not data.get("province"):
            data["province"] = str(default_province)
        super().__init__(data, **kwargs)
        fields: dict[str, Any] = self.fields
        provinces = list(Province.objects.order_by("name").only("code", "name"))
        fields["province"].choices = [(p.pk, p.name) for p in provinces]
        province = _int_or_none(data.get("province"))
        if province not in {p.pk for p in provinces}:
            province = default_province
        self.communes = list(Commune.objects.filter(province_id=province).order_by("name").only("code", "name"))
        fields["commune"].choices = [("", str(_l("Tất cả xã/phường"))), *((c.pk, c.name) for c in self.communes)]
        fields["service"].choices = service_choices(empty=str(_l("Mọi dịch vụ")))

    def clean_commune(self) -> int | None:
        return self.cleaned_data.get("commune")

    def values(self) -> dict[str, Any]:
        """The search as the selector takes it; a bad value falls back to 'all' rather than failing."""
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        province = d.get("province") or settings.CTXH_PROVINCE_CODE
        commune = d.get("commune") if "commune" not in self.errors else None
        return {"q": (d.get("q") or "").strip(), "province": province, "commune": commune,
                "service": d.get("service") or "" if "service" not in self.errors else ""}
