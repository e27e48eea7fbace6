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
    if kind in (K.REFERRAL_SENT, K.REFERRAL_UPDATE):
        return _referral(kind, d)
    if kind == K.RESIDENCE:
        if d.get("action") == "admitted":
            return [_("Tiếp nhận vào %(f)s ngày %(d)s — %(k)s") % {
                "f": d.get("facility", ""), "d": d.get("date", ""), "k": d.get("kind_name", "")}]
        return [_("Rời %(f)s ngày %(d)s: %(r)s") % {
            "f": d.get("facility", ""), "d": d.get("date", ""), "r": d.get("reason_name", "")}]
    if kind == K.SUPPORT_GIVEN:
        return _support(d)
    return []


def _support(d: dict[str, Any]) -> list[str]:
    """A grant, scholarship or in-kind gift recorded for the case's person."""
    from ctxh.core.templatetags.ctxh import vnd

    parts = [vnd(d["amount"])] if d.get("amount") is not None else []
    if d.get("item"):
        parts.append(f"{d.get('quantity', '')} {d.get('unit', '')} {str(d['item']).lower()}")
    lines = [f"{d.get('kind_name', '')}: {', '.join(parts)}"]
    if d.get("funding"):
        lines.append(_("Nguồn kinh phí: %(f)s") % {"f": d["funding"]})
    return lines


def _referral(kind: str, d: dict[str, Any]) -> list[str]:
    """A referral sent, or the provider's answer (accepted, declined, started, completed, cancelled)."""
    from ctxh.referrals.models import Status

    head = f"{d.get('number', '')} → {d.get('provider', '')}"
    if kind == K.REFERRAL_SENT:
        lines = [head]
        if d.get("services"):
            lines.append(_("Dịch vụ: %(s)s") % {"s": ", ".join(d["services"])})
        if d.get("consent") == "emergency":
            lines.append(_("Chuyển gửi khẩn cấp khi chưa có sự đồng ý; lý do: %(r)s") % {
                "r": d.get("emergency_reason", "")})
        return lines
    lines = [head, f"{_label(Status, d.get('from'))} → {_label(Status, d.get('to'))}"]
    if d.get("text"):
        labels: dict[str, str] = {Status.DECLINED: _("Lý do từ chối"), Status.COMPLETED: _("Kết quả"),
                                  Status.CANCELLED: _("Lý do hủy")}
        label = labels.get(str(d.get("to")), _("Ghi chú"))
        lines.append(f"{label}: {d['text']}")
    return lines


def _by(event: CaseEvent) -> str:
    """Who made a referral move when no user did: the provider, through its one-time link."""
    d = event.data or {}
    if event.kind == K.REFERRAL_UPDATE and d.get("by") == "provider via link":
        return _("%(p)s (qua đường dẫn một lần)") % {"p": d.get("provider", "")}
    return ""


def annotate(events: list[CaseEvent]) -> list[CaseEvent]:
    for e in events:
        e.lines = describe(e)  # type: ignore[attr-defined]
        e.by_label = _by(e)  # type: ignore[attr-defined]
    return events
