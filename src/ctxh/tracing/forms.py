"""Forms of the tracing pages and the public form. They parse and present; services decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ctxh.geo.models import Commune, Province
from ctxh.people.forms import DateInput, format_partial_date, parse_partial_date
from ctxh.people.models import Sex
from ctxh.tracing.models import (
    CLOSING_STATUSES,
    Relationship,
    ReunificationMethod,
    Source,
    Status,
    TracingRequest,
)
from ctxh.tracing.selectors import SORTS, assignable_staff

_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s*(?:-|–|—|đến|den)\s*(\d{4})$", re.IGNORECASE)
_TEXTAREA = {"rows": 3}


def parse_birth(text: str) -> tuple[int | None, int | None]:
    """'1990' → (1990, 1990); '1988-1992' → (1988, 1992); a full or month date → its year."""
    text = (text or "").strip()
    if not text:
        return None, None
    if m := _YEAR.match(text):
        return int(m[1]), int(m[1])
    if m := _RANGE.match(text):
        return int(m[1]), int(m[2])
    day, _precision = parse_partial_date(text)  # ValueError when it is none of these
    return day.year, day.year


def format_birth(req: TracingRequest) -> str:
    return req.birth_display.replace("–", "-")


class _RequestFields(forms.Form):
    """The fields the staff form and the public form share, with their limits."""

    seeker_name = forms.CharField(label=_l("Họ và tên người tìm"), max_length=150)
    seeker_phone = forms.CharField(
        label=_l("Số điện thoại"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    seeker_email = forms.EmailField(label=_l("Thư điện tử"), max_length=254, required=False)
    seeker_address = forms.CharField(label=_l("Địa chỉ liên lạc"), max_length=200, required=False)
    seeker_relationship = forms.ChoiceField(
        label=_l("Người tìm là … của người cần tìm"), choices=[("", "—"), *Relationship.choices],
    )
    sought_name = forms.CharField(label=_l("Họ và tên người cần tìm"), max_length=150)
    sought_aliases = forms.CharField(
        label=_l("Tên gọi khác, tên ở nhà"), max_length=300, required=False,
        help_text=_l("Nếu có nhiều tên, cách nhau bằng dấu phẩy."),
    )
    sought_sex = forms.ChoiceField(label=_l("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth = forms.CharField(
        label=_l("Năm sinh"), max_length=20, required=False,
        help_text=_l("Ví dụ 1990, hoặc khoảng 1988-1992 nếu không nhớ chính xác."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    last_province = forms.ModelChoiceField(
        label=_l("Tỉnh/thành phố nơi ở cuối cùng"), queryset=Province.objects.all(), required=False,
        empty_label=_l("— Không rõ —"),
    )
    last_place_text = forms.CharField(
        label=_l("Nơi ở, nơi gặp lần cuối"), max_length=300, required=False,
        help_text=_l("Thôn, xóm, địa danh; có thể ghi tên huyện cũ."),
    )
    last_seen = forms.CharField(
        label=_l("Thời điểm thất lạc"), max_length=20, required=False,
        help_text=_l("Năm (1998), tháng/năm (05/1998) hoặc ngày/tháng/năm."),
    )
    circumstances = forms.CharField(
        label=_l("Hoàn cảnh thất lạc"), max_length=1500, required=False, widget=forms.Textarea(attrs=_TEXTAREA),
    )
    description = forms.CharField(
        label=_l("Đặc điểm nhận dạng"), max_length=1500, required=False, widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_l("Nốt ruồi, vết sẹo, kỷ vật, giọng nói…"),
    )

    def clean_birth(self) -> tuple[int | None, int | None]:
        try:
            return parse_birth(self.cleaned_data.get("birth", ""))
        except ValueError:
            raise forms.ValidationError(_("Ghi năm sinh như 1990 hoặc một khoảng như 1988-1992.")) from None

    def clean_last_seen(self) -> tuple[dt.date, str] | None:
        text = (self.cleaned_data.get("last_seen") or "").strip()
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except ValueError:
            raise forms.ValidationError(_("Ghi năm (1998), tháng/năm (05/1998) hoặc ngày/tháng/năm.")) from None

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {k: d[k] for k in (
            "seeker_name", "seeker_phone", "seeker_email", "seeker_address", "seeker_relationship",
            "sought_name", "sought_aliases", "sought_sex", "last_province", "last_place_text",
            "circumstances", "description") if k in d}
        out["birth_year_from"], out["birth_year_to"] = d.get("birth") or (None, None)
        seen = d.get("last_seen")
        out["last_seen_date"], out["last_seen_precision"] = seen if seen else (None, "")
        return out


# Service argument → the field showing its error.
ERROR_FIELDS = {"birth_year_from": "birth", "birth_year_to": "birth", "last_seen_date": "last_seen",
                "last_seen_precision": "last_seen", "province": None}


class TracingRequestForm(_RequestFields):
    """Staff create and edit a request. ``request`` is the record being edited, if any."""

    source = forms.ChoiceField(
        label=_l("Nguồn tiếp nhận"), choices=[(Source.STAFF.value, Source.STAFF.label),
                                              (Source.HOTLINE.value, Source.HOTLINE.label)],
    )
    last_commune = forms.ModelChoiceField(
        label=_l("Xã/phường nơi ở cuối cùng"), queryset=Commune.objects.none(), required=False,
        empty_label=_l("— Không rõ —"),
    )
    assigned_to = forms.ModelChoiceField(
        label=_l("Cán bộ phụ trách"), queryset=assignable_staff(province_id=0), required=False,
        empty_label=_l("— Chưa phân công —"),
    )
    consent = forms.BooleanField(
        label=_l("Người yêu cầu đã được giải thích và đồng ý cho Trung tâm xử lý các thông tin trên để tìm người thân"),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["source", "seeker_name", "seeker_phone", "seeker_email", "seeker_address", "seeker_relationship",
                   "sought_name", "sought_aliases", "sought_sex", "birth", "last_province", "last_commune",
                   "last_place_text", "last_seen", "circumstances", "description", "assigned_to", "consent"]

    def __init__(self, *args: Any, province_id: int, request: TracingRequest | None = None, **kwargs: Any) -> None:
        unbound = (args[0] if args else kwargs.get("data")) is None
        if request is not None and unbound and "initial" not in kwargs:
            kwargs["initial"] = initial_for(request)
        super().__init__(*args, **kwargs)
        self.record = request
        assignee: Any = self.fields["assigned_to"]
        assignee.queryset = assignable_staff(province_id=province_id)
        assignee.label_from_instance = lambda u: u.full_name or u.username
        province = self.data.get("last_province") if self.is_bound else self.initial.get("last_province")
        try:
            code = int(getattr(province, "pk", province) or 0)
        except (TypeError, ValueError):
            code = 0
        commune: Any = self.fields["last_commune"]
        commune.queryset = Commune.objects.filter(province_id=code) if code else Commune.objects.none()
        if request is not None:
            del self.fields["consent"]
            if request.source == Source.PUBLIC:
                del self.fields["source"]
        else:
            del self.fields["version"]

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(_("Cần có sự đồng ý của người yêu cầu."))
        return True

    def service_data(self) -> dict[str, Any]:
        out = super().service_data()
        d = self.cleaned_data
        for key in ("source", "last_commune", "assigned_to", "consent"):
            if key in self.fields:
                out[key] = d.get(key)
        return out


def initial_for(req: TracingRequest) -> dict[str, Any]:
    out: dict[str, Any] = {f: getattr(req, f) for f in (
        "source", "seeker_name", "seeker_phone", "seeker_email", "seeker_address", "seeker_relationship",
        "sought_name", "sought_aliases", "sought_sex", "last_place_text", "circumstances", "description",
        "version")}
    out["last_province"] = req.last_province_id
    out["last_commune"] = req.last_commune_id
    out["assigned_to"] = req.assigned_to_id
    out["birth"] = format_birth(req)
    out["last_seen"] = format_partial_date(req.last_seen_date, req.last_seen_precision)
    return out


# The public form -------------------------------------------------------------------------

_TOKEN_SALT = "ctxh.tracing.public-form"
# A person cannot read and fill the form in less; a script posts at once. Not a rule of law.
MIN_FILL_SECONDS = 3
# An old page left open is still accepted; beyond this the form is shown again.
MAX_FORM_AGE = dt.timedelta(days=1)


def form_token() -> str:
    """A signed timestamp put in the form when it is shown."""
    return signing.dumps(int(timezone.now().timestamp()), salt=_TOKEN_SALT)


class PublicTracingForm(_RequestFields):
    """The public form: short, no login, no script. Two traps for robots.

    ``website`` is a honeypot hidden from people (a robot fills every box);
    ``started`` is a signed timestamp, so a post made within ``MIN_FILL_SECONDS``
    of showing the form, or without one, is not a person typing.
    """

    consent = forms.BooleanField(
        label=_l("Tôi đồng ý để Trung tâm Công tác xã hội dùng các thông tin trên, kể cả thông tin về người "
                 "cần tìm, chỉ để tìm người thân và liên lạc lại với tôi."),
        error_messages={"required": _l("Cần đánh dấu đồng ý thì Trung tâm mới được dùng thông tin để tìm giúp bạn.")},
    )
    website = forms.CharField(
        label=_l("Để trống ô này"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    field_order = ["seeker_name", "seeker_phone", "seeker_email", "seeker_address", "seeker_relationship",
                   "sought_name", "sought_aliases", "sought_sex", "birth", "last_province", "last_place_text",
                   "last_seen", "circumstances", "description", "consent"]

    def is_honeypot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def is_too_fast(self) -> bool:
        """No valid token, or one signed less than ``MIN_FILL_SECONDS`` ago."""
        try:
            shown = signing.loads(self.data.get("started") or "", salt=_TOKEN_SALT,
                                  max_age=MAX_FORM_AGE)
        except signing.BadSignature:
            return True
        return timezone.now().timestamp() - int(shown) < MIN_FILL_SECONDS

    def service_data(self) -> dict[str, Any]:
        return {**super().service_data(), "consent": self.cleaned_data.get("consent", False)}


# Lists and outcomes -------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_l("Tìm"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _l("Số tiếp nhận, tên, số điện thoại")}))
    status = forms.ChoiceField(label=_l("Tình trạng"), required=False, choices=[("", _l("Tất cả")), *Status.choices])
    source = forms.ChoiceField(label=_l("Nguồn"), required=False, choices=[("", _l("Tất cả")), *Source.choices])
    assigned = forms.ChoiceField(label=_l("Phụ trách"), required=False, choices=[
        ("", _l("Tất cả")), ("me", _l("Của tôi")), ("none", _l("Chưa phân công"))])
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)

    def filters(self) -> Any:
        from ctxh.tracing.selectors import RequestFilters

        if not self.is_valid():
            return RequestFilters()
        d = self.cleaned_data
        return RequestFilters(q=d["q"], status=d["status"], source=d["source"], assigned=d["assigned"],
                              sort=d["sort"] or "-created")


class ReunifyForm(forms.Form):
    reunified_on = forms.DateField(label=_l("Ngày đoàn tụ"), widget=DateInput())
    method = forms.ChoiceField(label=_l("Hình thức đoàn tụ"), choices=[("", "—"), *ReunificationMethod.choices])
    notes = forms.CharField(label=_l("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs=_TEXTAREA))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    status = forms.ChoiceField(label=_l("Cách đóng"), choices=[
        (s.value, s.label) for s in Status if s in CLOSING_STATUSES])
    note = forms.CharField(label=_l("Lý do, những việc đã làm"), max_length=2000, widget=forms.Textarea(attrs=_TEXTAREA))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    note = forms.CharField(label=_l("Ghi chú"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _l("Trang đã cũ: hãy tải lại trang rồi làm lại.")})
