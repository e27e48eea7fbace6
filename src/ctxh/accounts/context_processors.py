from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ctxh.accounts import access


def access_flags(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "can": {cap: access.can(user, cap) for cap in access.CAPABILITIES},
        "user_roles": access.roles(user),
    }

