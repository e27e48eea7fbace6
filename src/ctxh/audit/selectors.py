"""Reading the two logs, for the people allowed to supervise (capability ``audit.view``).

Filters arrive as a plain mapping (the filter form's ``cleaned_data``, or the
API's query) so both callers narrow the logs the same way; empty values mean
"no filter".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.models import AccessEntry, AuditEntry


def audit_entry_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """Who changed what, newest first.

    Filters: ``actor`` (part of a username or full name), ``action`` (a prefix
    such as ``person.``), ``object_type`` (``people.person``), ``person_id``,
    ``date_from`` / ``date_to`` (local dates, both inclusive).
    """
    access.require(user, "audit.view")
    filters = filters or {}
    qs = AuditEntry.objects.select_related("actor")
    qs = _by_actor(qs, filters.get("actor"))
    if action := (filters.get("action") or "").strip():
        qs = qs.filter(action__startswith=action)
    if object_type := (filters.get("object_type") or "").strip():
        qs = qs.filter(object_type=object_type)
    if filters.get("person_id") is not None:
        qs = qs.filter(person_id=filters["person_id"])
    qs = _by_dates(qs, filters.get("date_from"), filters.get("date_to"))
    return qs.order_by("-created_at", "-id")


def access_entry_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[AccessEntry]:
    """Who read which sensitive record, newest first; ``break_glass`` keeps only emergency reads.

    Filters: ``actor``, ``person_id``, ``break_glass``, ``date_from`` / ``date_to``.
    """
    access.require(user, "audit.view")
    filters = filters or {}
    qs = AccessEntry.objects.select_related("actor")
    qs = _by_actor(qs, filters.get("actor"))
    if filters.get("person_id") is not None:
        qs = qs.filter(person_id=filters["person_id"])
    if filters.get("break_glass"):
        qs = qs.filter(break_glass=True)
    qs = _by_dates(qs, filters.get("date_from"), filters.get("date_to"))
    return qs.order_by("-created_at", "-id")


def _by_actor(qs: QuerySet, actor: str | None) -> QuerySet:
    actor = (actor or "").strip()
    if not actor:
        return qs
    return qs.filter(Q(actor__username__icontains=actor) | Q(actor__full_name__icontains=actor))


def _by_dates(qs: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    # Bounds are local midnights turned into instants, so a day means the
    # Vietnamese calendar day and the created_at index still applies (a
    # ``__date`` lookup would convert every row first).
    if date_from:
        qs = qs.filter(created_at__gte=_local_midnight(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    return qs


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def changes_since_version(
    obj: Any, since_version: int, labels: Mapping[str, str] | None = None,
) -> list[tuple[str, str, str]]:
    """What others changed after ``since_version``, from the audit log.

    Services that refuse a stale save (optimistic locking) show this list, so
    the user sees who changed which field to what. Update audit rows carry
    ``_version`` and ``{field: [old, new]}``.
    """
    rows = AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor").order_by("created_at", "id")
    out: list[tuple[str, str, str]] = []
    for row in rows:
        if int(row.changes.get("_version", 0) or 0) <= since_version:
            continue
        who = str(row.actor) if row.actor else _("hệ thống")
        for field, change in row.changes.items():
            if field.startswith("_") or not isinstance(change, list) or len(change) != 2:
                continue
            try:
                label = str((labels or {}).get(field) or obj._meta.get_field(field).verbose_name)
            except Exception:
                label = field
            label = label[:1].upper() + label[1:]
            out.append((f"{label} ({who}, {timezone.localtime(row.created_at):%d/%m/%Y %H:%M})",
                        str(change[0] if change[0] is not None else ""),
                        str(change[1] if change[1] is not None else "")))
    return out
