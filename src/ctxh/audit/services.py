"""Writing the two logs. Callers are services already inside a transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from ctxh.audit.models import AccessEntry, AuditEntry
from ctxh.core.context import current_request_id

# Values never copied into a log, whatever the caller passes.
MASKED_FIELDS = {"password", "key_hash", "key", "token"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def _person_id(obj: models.Model) -> int | None:
    if obj._meta.label_lower == "people.person":
        return obj.pk
    return getattr(obj, "person_id", None)


def audit_record(
    *, actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None,
    person_id: int | None = None,
) -> AuditEntry:
    """Record a write. ``action`` is namespaced: ``person.registered``, ``user.locked``."""
    clean = {
        k: ("***" if k in MASKED_FIELDS else _plain(v)) for k, v in (changes or {}).items()
    }
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        person_id=person_id if person_id is not None else _person_id(obj),
        changes=clean,
        request_id=current_request_id(),
    )


def access_record(
    *, actor: Any, obj: models.Model, purpose: str = "view", break_glass: bool = False,
    reason: str = "", person_id: int | None = None,
) -> AccessEntry:
    """Record that ``actor`` opened a sensitive record."""
    return AccessEntry.objects.create(
        actor=actor,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        person_id=person_id if person_id is not None else _person_id(obj),
        purpose=purpose,
        break_glass=break_glass,
        reason=reason,
        request_id=current_request_id(),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as ``{field: [old, new]}``."""
    return {
        k: [_plain(before.get(k)), _plain(v)] for k, v in after.items() if before.get(k) != v
    }
