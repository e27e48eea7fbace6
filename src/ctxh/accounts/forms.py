"""Forms for signing in, the user's own page and the user administration screen.

Forms only check what a person typed; the services decide whether the change
is allowed and raise ``ValidationError`` keyed by these field names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ctxh.accounts.models import Organization, Role, User
from ctxh.geo.models import Commune


def _locked_until(username: str | None) -> dt.datetime | None:
    """When the account behind ``username`` unlocks, if it is locked now.

    A read, but it belongs to the sign-in form alone: the backend refuses a
    locked account exactly as it refuses a wrong password, so only here can the
    person be told which of the two happened.
    """
    if not username:
        return None
    until = User.objects.filter(username=username).values_list("locked_until", flat=True).first()
    return until if until is not None and until > timezone.now() else None


class LoginForm(AuthenticationForm):
    """Sign in, saying plainly when the account is locked after too many failures."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đã ngừng hoạt động. Hãy liên hệ quản trị hệ thống."),
        "locked": _(
            "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. "
            "Thử lại sau %(time)s hoặc liên hệ quản trị."
        ),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError as exc:
            # The failure signal has already counted this try, so a lock set
            # by this very attempt is visible here.
            if getattr(exc, "code", None) == "invalid_login":
                until = _locked_until(self.cleaned_data.get("username"))
                if until is not None:
                    raise ValidationError(
                        self.error_messages["locked"], code="locked",
                        params={"time": date_format(timezone.localtime(until), "H:i")},
                    ) from None
            raise


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's own password change, with our labels and messages."""

    error_messages = {
        "password_mismatch": _("Hai lần nhập mật khẩu mới không khớp nhau."),
        "password_incorrect": _("Mật khẩu hiện tại không đúng. Hãy nhập lại."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.fields["new_password2"].help_text = _("Nhập lại đúng mật khẩu mới để kiểm tra.")

    def save(self, commit: bool = True) -> Any:
        # Through the service, so the change lands in the audit log.
        from ctxh.accounts.services import user_change_own_password

        return user_change_own_password(actor=self.user, new_password=self.cleaned_data["new_password1"])


class ServiceErrorsMixin:
    """Show a service's ``ValidationError`` beside the field it names, else above the form.

    ``service_field_names`` maps a service's argument name to this form's field
    name where the two differ.
    """

    service_field_names: dict[str, str] = {}

    def add_service_error(self, exc: ValidationError) -> None:
        form: Any = self
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                name = self.service_field_names.get(field, field)
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)


class TokenCreateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"), max_length=100,
        help_text=_("Ví dụ: máy chủ báo cáo của Sở, bảng tính thống kê."),
    )


class _PasswordTwiceForm(ServiceErrorsMixin, forms.Form):
    """Two password boxes that must match; strength is checked by the service."""

    service_field_names = {"password": "password1"}

    password1 = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 10 ký tự, không quá phổ biến, không chỉ gồm chữ số."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp nhau."))
        return data


class UserCreateForm(_PasswordTwiceForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        help_text=_("Chữ, số và các ký tự @ . + - _; không dấu, không khoảng trắng."),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"}),
    )

    field_order = ["username", "full_name", "email", "phone", "password1", "password2"]


class UserPasswordForm(_PasswordTwiceForm):
    """An administrator sets a new password for someone who forgot theirs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Mật khẩu mới")
        self.fields["password2"].label = _("Nhập lại mật khẩu mới")


class UserEditForm(ServiceErrorsMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"}),
    )
    is_active = forms.BooleanField(
        label=_("Đang hoạt động"), required=False,
        help_text=_("Bỏ chọn để chặn đăng nhập mà vẫn giữ lịch sử của người dùng."),
    )


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} — {obj.province}"


class MembershipGrantForm(ServiceErrorsMixin, forms.Form):
    """Grant a role at an organisation; the communes offered are those of its province.

    The caller passes the organisations the actor may choose from (a selector)
    so the form never decides what is visible.
    """

    organization = OrganizationChoiceField(label=_("Đơn vị"), queryset=Organization.objects.none(),
                                           empty_label=_("— Chọn đơn vị —"))
    role = forms.ChoiceField(label=_("Vai trò"), choices=[("", _("— Chọn vai trò —")), *Role.choices])
    whole_province = forms.BooleanField(
        label=_("Phụ trách toàn tỉnh"), required=False,
        help_text=_("Dành cho cán bộ Trung tâm; cộng tác viên chỉ phụ trách các xã/phường được giao."),
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Xã/phường phụ trách"), queryset=Commune.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (hoặc ⌘) để chọn nhiều xã/phường. Danh sách theo tỉnh của đơn vị."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations
        cast(forms.ModelMultipleChoiceField, self.fields["communes"]).queryset = communes_for(
            organizations, self._organization_key())

    def _organization_key(self) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix("organization"))
        return self.initial.get("organization")


def communes_for(organizations: QuerySet[Organization], key: Any) -> QuerySet[Commune]:
    """The communes of the chosen organisation's province, or none before one is chosen."""
    try:
        org = organizations.filter(pk=int(key)).first() if key not in (None, "") else None
    except (TypeError, ValueError):
        org = None
    if org is None:
        return Commune.objects.none()
    return Commune.objects.filter(province_id=org.province_id).order_by("name")

