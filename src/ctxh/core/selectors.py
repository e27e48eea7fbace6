from __future__ import annotations

from typing import Any

from django.db.models import Count

from ctxh.accounts import access
from ctxh.accounts.models import Role
from ctxh.people.selectors import household_queryset, person_queryset

# Figures shown to those who may not see people are suppressed below this count,
# so that no one can be singled out (architecture.md, "Access").
SMALL_COUNT = 5
STATS_ROLES = {Role.ADMINISTRATOR, Role.DIRECTOR, Role.STATISTICIAN}


def suppress(n: int) -> int | str:
    return n if n >= SMALL_COUNT else f"<{SMALL_COUNT}"


def home_summary(*, user: Any) -> dict[str, Any]:
    """Counts for the start page, only from what the user may see."""
    out: dict[str, Any] = {}
    if access.can(user, "person.view"):
        out["people"] = person_queryset(user=user).count()
        out["households"] = household_queryset(user=user).count()
    if access.can(user, "stats.view"):
        out["aggregates"] = registry_aggregates(user=user)
    return out


def registry_aggregates(*, user: Any) -> dict[str, Any]:
    """People by commune and sex in the provinces of the user's statistics roles.

    Aggregates only, never a person; counts under SMALL_COUNT are shown as "<5".
    """
    from ctxh.people.models import Person

    access.require(user, "stats.view")
    provinces = sorted({m.organization.province_id for m in access.memberships(user) if m.role in STATS_ROLES})
    rows = (
        Person.objects.filter(province_id__in=provinces, status="living")
        .values("commune__name", "sex").annotate(n=Count("id")).order_by("commune__name")
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        commune = row["commune__name"] or "—"
        table.setdefault(commune, {"male": 0, "female": 0, "unknown": 0})[row["sex"]] += row["n"]
    return {
        "rows": [
            {"commune": c, "male": suppress(v["male"]), "female": suppress(v["female"]),
             "total": suppress(sum(v.values()))}
            for c, v in table.items()
        ],
        "total": suppress(sum(sum(v.values()) for v in table.values())),
    }
