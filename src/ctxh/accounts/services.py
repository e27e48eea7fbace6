"""Changes to users, memberships and API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.accounts.models import ApiToken, Membership, Organization, Role, User
from ctxh.audit.services import audit_record
from ctxh.geo.models import Commune

TOKEN_PREFIX = "ctxh_"


@transaction.atomic
def user_create(
    *, actor: Any, username: str, full_name: str, password: str, email: str = "", phone: str = "",
) -> User:
    if actor is not None:
        access.require(actor, "accounts.manage")
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": [_("Cần nhập tên đăng nhập.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("Tên đăng nhập này đã có người dùng.")]})
    user = User(username=username, full_name=(full_name or "").strip(), email=email or "", phone=phone or "")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.created", obj=user,
                 changes={"username": username, "full_name": user.full_name, "email": user.email})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, full_name: str, email: str, phone: str, is_active: bool) -> User:
    access.require(actor, "accounts.manage")
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": [_("Bạn không thể tự khóa tài khoản của mình.")]})
    before = {"full_name": user.full_name, "email": user.email, "phone": user.phone, "is_active": user.is_active}
    user.full_name, user.email, user.phone, user.is_active = full_name.strip(), email.strip(), phone.strip(), is_active
    user.full_clean(exclude=["password"])
    user.save()
    after = {"full_name": user.full_name, "email": user.email, "phone": user.phone, "is_active": user.is_active}
    audit_record(actor=actor, action="user.updated", obj=user,
                 changes={k: [before[k], v] for k, v in after.items() if before[k] != v})
    return user


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> User:
    access.require(actor, "accounts.manage")
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=actor, action="user.unlocked", obj=user)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """An administrator resets a password (the user changes their own on their page)."""
    access.require(actor, "accounts.manage")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.password_reset", obj=user, changes={"password": "changed"})
    return user


@transaction.atomic
def user_change_own_password(*, actor: User, new_password: str) -> User:
    """A user changes their own password (the old one was checked by the form)."""
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, action="user.password_changed", obj=actor, changes={"password": "changed"})
    return actor


@transaction.atomic
def membership_grant(
    *, actor: Any, user: User, organization: Organization, role: str, whole_province: bool = False,
    communes: list[Commune] | None = None,
) -> Membership:
    if actor is not None:
        access.require(actor, "accounts.manage")
    if role not in Role.values:
        raise ValidationError({"role": [_("Vai trò không hợp lệ.")]})
    communes = list(communes or [])
    wrong = [c for c in communes if c.province_id != organization.province_id]
    if wrong:
        raise ValidationError({"communes": [
            _("%(commune)s không thuộc tỉnh của đơn vị.") % {"commune": wrong[0]}]})
    if role == Role.COLLABORATOR and whole_province:
        raise ValidationError({"whole_province": [_("Cộng tác viên chỉ phụ trách các xã/phường được giao.")]})
    m = Membership.objects.filter(user=user, organization=organization, role=role).first()
    if m is not None and m.is_active:
        raise ValidationError({"role": [_("Người dùng đã có vai trò này ở đơn vị này.")]})
    if m is None:
        m = Membership.objects.create(user=user, organization=organization, role=role, whole_province=whole_province)
    else:  # a revoked role given back: the same row, switched on again
        m.is_active, m.whole_province = True, whole_province
        m.save(update_fields=["is_active", "whole_province", "updated_at"])
    m.communes.set(communes)
    access.forget(user)
    audit_record(actor=actor, action="membership.granted", obj=m, changes={
        "user": user.pk, "organization": organization.pk, "role": role, "whole_province": whole_province,
        "communes": sorted(c.pk for c in communes)})
    return m


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    access.require(actor, "accounts.manage")
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    access.forget(membership.user)
    audit_record(actor=actor, action="membership.revoked", obj=membership)


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the key is shown once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Cần đặt tên gợi nhớ cho khóa.")]})
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= 10:
        raise ValidationError({"name": [_("Mỗi người dùng có tối đa 10 khóa đang dùng.")]})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[:12], key_hash=ApiToken.hash(key))
    audit_record(actor=actor, action="token.created", obj=token, changes={"name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise ValidationError(_("Bạn chỉ thu hồi được khóa của chính mình."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoked", obj=token, changes={"prefix": token.prefix})
    return token


def token_authenticate(key: str) -> User | None:
    """The active user behind a bearer key, or None."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(
        key_hash=ApiToken.hash(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
