"""The unread-notification count in the page header.

Lazy: the count query runs only when a template prints it, and never for
anonymous visitors.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from ctxh.cases.selectors import notification_list

        return notification_list(user=user, unread_only=True).count()

    return {"unread_notifications": SimpleLazyObject(count)}
