"""Changes to rule rows (quy định): add, change, remove — by an administrator, audited.

Every amount, coefficient and threshold is a ``Rule`` row with the date it
takes effect and its source document. These services are the only way the
pages change them. ``Rule`` carries no version column, so an edit is guarded
by a fingerprint of the row as the editor read it (``rule_fingerprint``): if
another administrator saved in between, the edit is refused with what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.services import audit_record
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Rule

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_\-]+)*$")
EDITABLE = ("valid_from", "value", "unit", "source", "note")

@dataclass
class ArrearsRun:
    """What a rule change means for allowances already paid on closed lists."""

    status: str = "none"  # none | unavailable | queued
    as_of: dt.date | None = None


def _arrears_function() -> Any:
    """``ctxh.assistance.services.amount_rule_changed`` if that app provides it, else None."""
    try:
        module = importlib.import_module("ctxh.assistance.services")
    except ImportError:
        return None
    return getattr(module, "amount_rule_changed", None)


def _mark_arrears(rule: Rule, *, actor: Any, dates: list[dt.date]) -> ArrearsRun:
    """Before saving: tell the arrears hook the earliest date the change touches; say what will happen.

    The recomputation itself is queued once, after the commit, by the
    assistance app's ``post_save`` receiver (``ctxh.assistance.tasks.rule_saved``),
    which also serves rows written outside this editor. A row moved to a later
    date still touches the months from its old date, hence ``arrears_since``.
    """
    past = [d for d in dates if d <= timezone.localdate()]
    if not past:
        return ArrearsRun()
    since = min(past)
    rule.arrears_since = since  # type: ignore[attr-defined]
    rule.arrears_actor_id = getattr(actor, "pk", None)  # type: ignore[attr-defined]
    changed = _arrears_function()
    if changed is None:
        return ArrearsRun(status="unavailable", as_of=since)
    return ArrearsRun(status="queued", as_of=since) if changed(rule, since=since) else ArrearsRun()


def rule_fingerprint(rule: Rule) -> str:
    """A short digest of the row's editable fields, sent with the edit form."""
    data = [rule.key, rule.valid_from.isoformat(), rule.value, rule.unit, rule.source, rule.note]
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def _check(
    *, key: str, valid_from: dt.date | None, value: Any, source: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not KEY_PATTERN.match(key):
        errors["key"] = [_("Mã quy định gồm chữ thường không dấu, số, dấu gạch dưới, ngăn nhóm bằng dấu chấm "
                           "(ví dụ assistance.base_level).")]
    if valid_from is None:
        errors["valid_from"] = [_("Cần nhập ngày hiệu lực.")]
    if value is None or (isinstance(value, str) and not value.strip()):
        errors["value"] = [_("Cần nhập giá trị.")]
    else:
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            errors["value"] = [_("Giá trị phải là số, chữ hoặc JSON hợp lệ.")]
    if not source:
        errors["source"] = [_("Cần ghi văn bản quy định (số, ngày, cơ quan ban hành).")]
    return errors


def _duplicate(key: str, valid_from: dt.date) -> ValidationError:
    return ValidationError({"valid_from": [
        _("Quy định %(key)s đã có một dòng hiệu lực từ %(date)s. Sửa dòng đó, hoặc chọn ngày khác.")
        % {"key": key, "date": f"{valid_from:%d/%m/%Y}"}]})


def _snapshot(rule: Rule) -> dict[str, Any]:
    # "key" is masked in the audit log (API keys), so the rule's key travels as "rule".
    return {"rule": rule.key, "valid_from": rule.valid_from, "value": rule.value, "unit": rule.unit,
            "source": rule.source, "note": rule.note}


@transaction.atomic
def rule_add(
    *, actor: Any, key: str, valid_from: dt.date | None, value: Any, source: str, unit: str = "",
    note: str = "",
) -> Rule:
    """A new row of a rule: the value from ``valid_from`` on, with the document that set it."""
    access.require(actor, "rules.manage")
    key, unit, source, note = (key or "").strip(), (unit or "").strip(), (source or "").strip(), (note or "").strip()
    errors = _check(key=key, valid_from=valid_from, value=value, source=source)
    if errors:
        raise ValidationError(errors)
    assert valid_from is not None
    if Rule.objects.filter(key=key, valid_from=valid_from).exists():
        raise _duplicate(key, valid_from)
    rule = Rule(key=key, valid_from=valid_from, value=value, unit=unit, source=source, note=note)
    rule.full_clean(validate_unique=False, validate_constraints=False)
    arrears = _mark_arrears(rule, actor=actor, dates=[valid_from])
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise _duplicate(key, valid_from) from None
    audit_record(actor=actor, action="rule.added", obj=rule, changes=_snapshot(rule))
    rule.arrears = arrears  # type: ignore[attr-defined]
    return rule


@transaction.atomic
def rule_change(
    *, actor: Any, rule: Rule, expected: str, valid_from: dt.date | None, value: Any, source: str,
    unit: str = "", note: str = "",
) -> Rule:
    """Correct a row. ``expected`` is the fingerprint the editor read; the audit keeps the diff."""
    access.require(actor, "rules.manage")
    current = Rule.objects.select_for_update().filter(pk=rule.pk).first()
    if current is None:
        raise ConflictError(_("Dòng quy định này vừa bị người khác xóa."))
    if rule_fingerprint(current) != expected:
        # Only the digest of what the editor read travels with the form: the
        # page shows the row as it is now, with a fresh digest, to decide again.
        raise ConflictError(
            _("Dòng quy định này vừa được người khác sửa. Xem giá trị hiện tại rồi quyết định lại."))
    unit, source, note = (unit or "").strip(), (source or "").strip(), (note or "").strip()
    errors = _check(key=current.key, valid_from=valid_from, value=value, source=source)
    if errors:
        raise ValidationError(errors)
    assert valid_from is not None
    if valid_from != current.valid_from and Rule.objects.filter(
            key=current.key, valid_from=valid_from).exclude(pk=current.pk).exists():
        raise _duplicate(current.key, valid_from)
    before = _snapshot(current)
    old_from = current.valid_from
    current.valid_from, current.value, current.unit, current.source, current.note = (
        valid_from, value, unit, source, note)
    after = _snapshot(current)
    diff = {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]}
    if not diff:
        current.arrears = ArrearsRun()  # type: ignore[attr-defined]
        return current
    current.full_clean(validate_unique=False, validate_constraints=False)
    touches_amount = "value" in diff or "valid_from" in diff
    arrears = _mark_arrears(current, actor=actor, dates=[old_from, valid_from]) if touches_amount else ArrearsRun()
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise _duplicate(current.key, valid_from) from None
    audit_record(actor=actor, action="rule.changed", obj=current, changes={"rule": current.key, **diff})
    current.arrears = arrears  # type: ignore[attr-defined]
    return current


@transaction.atomic
def rule_remove(*, actor: Any, rule: Rule, expected: str) -> None:
    """Delete a row not yet in force, as the administrator saw it (``expected`` fingerprint).

    A row in force is history: replace it with a newer row. A row changed
    since the confirmation page was read is not deleted: the page shows it again.
    """
    access.require(actor, "rules.manage")
    current = Rule.objects.select_for_update().filter(pk=rule.pk).first()
    if current is None:
        return
    if rule_fingerprint(current) != expected:
        raise ConflictError(_("Dòng quy định này vừa được người khác sửa. Xem giá trị hiện tại rồi quyết định lại."))
    if current.valid_from <= timezone.localdate():
        raise ValidationError({"valid_from": [
            _("Chỉ xóa được dòng có hiệu lực từ một ngày trong tương lai. Dòng này có hiệu lực từ %(date)s; "
              "nếu quy định đã thay đổi, hãy thêm một dòng mới.") % {"date": f"{current.valid_from:%d/%m/%Y}"}]})
    audit_record(actor=actor, action="rule.removed", obj=current, changes=_snapshot(current))
    current.delete()
