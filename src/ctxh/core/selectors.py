from __future__ import annotations

from typing import Any

from ctxh.accounts import access
from ctxh.people.selectors import household_queryset, person_queryset


def home_summary(*, user: Any) -> dict[str, Any]:
    """Counts for the start page, only from what the user may see."""
    out: dict[str, Any] = {}
    if access.can(user, "person.view"):
        out["people"] = person_queryset(user=user).count()
        out["households"] = household_queryset(user=user).count()
    return out
