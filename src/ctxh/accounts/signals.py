"""Count failed logins and lock the account after too many in a row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from ctxh.accounts.models import User


@receiver(user_login_failed)
def _count_failure(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username")
    if not username:
        return
    user = User.objects.filter(username=username).first()
    if user is None or user.is_locked:
        return
    user.failed_logins += 1
    fields = ["failed_logins"]
    if user.failed_logins >= settings.CTXH_LOCKOUT_ATTEMPTS:
        user.locked_until = timezone.now() + dt.timedelta(minutes=settings.CTXH_LOCKOUT_MINUTES)
        user.failed_logins = 0
        fields.append("locked_until")
        from ctxh.audit.services import audit_record

        audit_record(actor=None, action="user.locked", obj=user, changes={"locked_until": str(user.locked_until)})
    user.save(update_fields=fields)


@receiver(user_logged_in)
def _reset_failures(sender: Any, user: User, request: Any = None, **kwargs: Any) -> None:
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
