from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ctxh.accounts import access
from ctxh.accounts.models import ApiToken, Membership, Organization, User


def user_list(*, actor: Any, q: str = "") -> QuerySet[User]:
    access.require(actor, "accounts.manage")
    qs = User.objects.all().prefetch_related("memberships__organization")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    return qs.order_by("username")


def user_get(*, actor: Any, pk: int) -> User:
    access.require(actor, "accounts.manage")
    return User.objects.get(pk=pk)


def membership_list(*, actor: Any, user: User) -> QuerySet[Membership]:
    access.require(actor, "accounts.manage")
    return user.memberships.select_related("organization").prefetch_related("communes").order_by("-is_active", "id")


def organization_list(*, actor: Any) -> QuerySet[Organization]:
    access.require(actor, "accounts.manage")
    return Organization.objects.filter(is_active=True).select_related("province")


def token_list(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
