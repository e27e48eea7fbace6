"""The referral forms: sending one, the moves, the filters of the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ctxh.referrals import selectors
from ctxh.referrals.models import Status, Urgency

SORT_CHOICES = [("recent", _("Mới gửi trước")), ("due", _("Hạn trả lời gần nhất")), ("provider", _("Theo đơn vị"))]
STATE_CHOICES = [("", _("Tất cả")), ("open", _("Đang thực hiện")), ("overdue", _("Quá hạn trả lời")),
                 ("closed", _("Đã kết thúc"))]


class ReferralForm(forms.Form):
    """Send a referral. ``people``: whom it may be about (the case's person, or the call's people)."""

    person = forms.TypedChoiceField(label=_("Người được chuyển gửi"), coerce=int)
    provider = forms.IntegerField(label=_("Đơn vị nhận"), widget=forms.HiddenInput, error_messages={
        "required": _("Chọn đơn vị nhận chuyển gửi."), "invalid": _("Chọn đơn vị nhận chuyển gửi.")})
    services = forms.ModelMultipleChoiceField(
        label=_("Dịch vụ đề nghị"), queryset=selectors.services_in_force(), required=False,
        widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(
        label=_("Nhu cầu, lý do chuyển gửi"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        help_text=_("Chỉ ghi những gì đơn vị nhận cần biết để hỗ trợ; không chép toàn bộ hồ sơ."),
        error_messages={"required": _("Cần ghi nhu cầu, lý do chuyển gửi (những gì đơn vị nhận cần biết).")})
    urgency = forms.ChoiceField(label=_("Mức độ khẩn"), choices=Urgency.choices, initial=Urgency.ROUTINE)
    emergency = forms.BooleanField(
        label=_("Khẩn cấp: tính mạng bị đe dọa, chuyển gửi khi chưa có sự đồng ý"), required=False,
        help_text=_("Ngoại lệ theo Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15; được ghi nhật ký và báo lãnh đạo."))
    emergency_reason = forms.CharField(label=_("Lý do khẩn cấp"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]  # type: ignore[attr-defined]
        if len(people) == 1:
            self.fields["person"].initial = people[0].pk
        self.fields["services"].queryset = selectors.services_in_force()  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    """One move, with the version the user read and the text the move asks for."""

    action = forms.ChoiceField(choices=[(c, c) for c in ("accept", "decline", "start", "complete", "cancel")])
    text = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LinkMoveForm(forms.Form):
    """An answer through a one-time link (no version: the link itself is the one-time guard)."""

    action = forms.ChoiceField(choices=[(c, c) for c in ("accept", "decline", "start", "complete")])
    text = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm (tên đối tượng, đơn vị, số CG)"), required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False,
                               choices=[("", _("Tất cả"))] + list(Status.choices))
    state = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=STATE_CHOICES)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORT_CHOICES)

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {"sort": "recent"}
        d = self.cleaned_data
        return {"q": d.get("q") or "", "status": d.get("status") or "", "state": d.get("state") or "",
                "sort": d.get("sort") or "recent"}


class ProviderSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên đơn vị"), required=False)
    service = forms.ChoiceField(label=_("Dịch vụ"), required=False)
    commune = forms.IntegerField(label=_("Mã xã/phường"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Mọi dịch vụ"))] + [  # type: ignore[attr-defined]
            (t.code, t.label) for t in selectors.services_in_force()]
