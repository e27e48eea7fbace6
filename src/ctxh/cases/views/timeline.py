"""Timeline entries in words: each event's stored codes turned into the lines the page shows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from ctxh.cases.models import (
    Assessment,
    Case,
    CaseEvent,
    MemberRole,
    PlanItem,
    Review,
    RiskLevel,
)

K = CaseEvent.Kind


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _field_name(name: str) -> str:
    try:
        return str(getattr(Case._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _move(data: dict[str, Any]) -> list[str]:
    lines = []
    if data.get("from_name") or data.get("to_name"):
        lines.append(f"{data.get('from_name', '')} → {data.get('to_name', '')}")
    if data.get("reason"):
        lines.append(_("Lý do: %(r)s") % {"r": data["reason"]})
    return lines


def describe(event: CaseEvent) -> list[str]:
    """The lines under an event's title (its kind); the note text and file link are shown by the template."""
    d = event.data or {}
    kind = event.kind
    if kind == K.OPENED:
        lines = [_("Số hồ sơ %(n)s, bước đầu: %(s)s") % {"n": d.get("number", ""), "s": d.get("step_name", "")}]
        if d.get("serious_risk"):
            lines.append(_("Trẻ em có nguy cơ bị tổn hại nghiêm trọng"))
        if d.get("sealed"):
            lines.append(_("Hồ sơ được niêm phong"))
        return lines
    if kind in (K.TRANSITION, K.PLAN_APPROVED, K.CLOSURE_REQUESTED, K.CLOSURE_APPROVED, K.CLOSURE_REJECTED,
                K.REOPENED):
        lines = [d["name"]] if d.get("name") and kind == K.TRANSITION else []
        if kind == K.PLAN_APPROVED and d.get("number"):
            lines.append(_("Kế hoạch phiên bản %(n)s") % {"n": d["number"]})
        return lines + _move(d)
    if kind == K.ASSIGNED:
        line = f"{d.get('user_name', '')} — {_label(MemberRole, d.get('role'))}"
        if d.get("previous_name"):
            line += " " + _("(thay %(p)s)") % {"p": d["previous_name"]}
        return [line]
    if kind == K.UNASSIGNED:
        lines = [f"{d.get('user_name', '')} — {_label(MemberRole, d.get('role'))}"]
        if d.get("reason"):
            lines.append(_("Lý do: %(r)s") % {"r": d["reason"]})
        return lines
    if kind == K.ASSESSMENT:
        return [f"{_label(Assessment.Kind, d.get('kind'))} — {_('mức độ nguy cơ')}: "
                f"{_label(RiskLevel, d.get('risk_level')).lower()}"]
    if kind in (K.PLAN_SAVED, K.PLAN_SUBMITTED, K.PLAN_RETURNED):
        lines = [_("Kế hoạch phiên bản %(n)s") % {"n": d.get("number", "")}]
        if d.get("items"):
            lines.append(_("%(n)s hoạt động") % {"n": d["items"]})
        if d.get("reason"):
            lines.append(_("Lý do: %(r)s") % {"r": d["reason"]})
        return lines
    if kind == K.PLAN_ITEM:
        return [d.get("action", ""),
                f"{_label(PlanItem.Status, d.get('from'))} → {_label(PlanItem.Status, d.get('to'))}"]
    if kind == K.REVIEW:
        return [f"{_label(Review.Decision, d.get('decision'))} — {_('mức độ nguy cơ')}: "
                f"{_label(RiskLevel, d.get('risk_level')).lower()}"]
    if kind == K.BREAK_GLASS:
        return [_("%(u)s đã truy cập khẩn cấp.") % {"u": d.get("user_name") or event.actor or ""},
                _("Lý do: %(r)s") % {"r": d.get("reason", "")}]
    if kind == K.SEALED:
        state = _("Niêm phong hồ sơ") if d.get("sealed") else _("Bỏ niêm phong hồ sơ")
        return [state, _("Lý do: %(r)s") % {"r": d.get("reason", "")}]
    if kind == K.UPDATED:
        return [_("Đã sửa: %(f)s") % {"f": ", ".join(_field_name(f) for f in d.get("fields", []))}]
    return []


def annotate(events: list[CaseEvent]) -> list[CaseEvent]:
    for e in events:
        e.lines = describe(e)  # type: ignore[attr-defined]
    return events
