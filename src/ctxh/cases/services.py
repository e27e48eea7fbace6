"""Every change to a case file. Each service validates, writes, audits and adds to the timeline in one transaction.

Moves between steps go through ``workflow.transition`` (directly, or through
the services here that also record what the move needs: a plan, a review, a
closure request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.accounts.models import Notification
from ctxh.audit.services import access_record, audit_record, diff
from ctxh.cases import workflow
from ctxh.cases.models import (
    Assessment,
    AssessmentNeed,
    Attachment,
    BreakGlass,
    Case,
    CaseCounter,
    CaseEvent,
    CaseMember,
    CaseType,
    ClockEvent,
    Closure,
    MemberRole,
    Note,
    NoteVisibility,
    Plan,
    PlanItem,
    Priority,
    Review,
    RiskLevel,
    StepKind,
    TransitionKind,
)
from ctxh.cases.reference import RULE_SEALED_GROUPS
from ctxh.cases.selectors import case_access_reason, case_get
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Term
from ctxh.core.rules import RuleMissing, rule_value
from ctxh.geo.models import Commune
from ctxh.people.models import Person
from ctxh.people.selectors import person_get

# Limits of the system, not legal rules: settings, with these defaults.
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", [b"%PDF-"]),
    "jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", [b"PK\x03\x04"]),
}


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def attachment_max_bytes() -> int:
    return int(_setting("CTXH_CASE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_extensions() -> list[str]:
    return list(_setting("CTXH_CASE_ATTACHMENT_EXTENSIONS", ["pdf", "jpg", "jpeg", "png", "docx"]))


def break_glass_hours() -> int:
    return int(_setting("CTXH_BREAK_GLASS_HOURS", 8))


def break_glass_min_reason() -> int:
    return int(_setting("CTXH_BREAK_GLASS_MIN_REASON", 20))


# Opening --------------------------------------------------------------------------

def _next_number(year: int) -> str:
    """HS-<year>-<6 digits>, from a counter row updated inside the opening transaction.

    The UPDATE locks the year's row until the transaction ends, so two openings
    at the same moment get consecutive numbers (PostgreSQL row lock; SQLite
    takes the database write lock at BEGIN IMMEDIATE).
    """
    if not CaseCounter.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                CaseCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another opening created it first
    CaseCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = CaseCounter.objects.get(year=year).last
    return f"HS-{year}-{last:06d}"


def _sealed_groups(on: dt.date) -> list[str]:
    try:
        return list(rule_value(RULE_SEALED_GROUPS, on).get("groups", []))
    except RuleMissing:
        return []


def must_seal(*, case_type: CaseType, person: Person, on: dt.date) -> bool:
    """Sealed by the type (GBV) or because the person is in a sealed group (sexual abuse, trafficking)."""
    if case_type.sealed_by_default:
        return True
    groups = _sealed_groups(on)
    if not groups:
        return False
    from django.db.models import Q

    return person.groups.filter(group__code__in=groups, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)).exists()


def _member_add(*, case: Case, user: Any, role: str, by: Any, at: dt.datetime) -> CaseMember:
    return CaseMember.objects.create(case=case, user=user, role=role, assigned_at=at,
                                     assigned_by=by if getattr(by, "pk", None) else None)


@transaction.atomic
def case_open(
    *, actor: Any, case_type: CaseType, person: Person, summary: str, source: str, reported_at: dt.datetime,
    serious_risk: bool = False, commune: Commune | None = None, sealed: bool | None = None,
) -> Case:
    """Open a case file for ``person`` — the one way to open one (the hotline calls it too).

    The case starts at its type's first step; the person who opens it joins
    the team as the one who took the report; a child at serious risk starts
    the 12-hour clock from ``reported_at``. ``sealed``: None decides from the
    type and the person's groups; True seals; False cannot unseal a case the
    type or the groups seal.
    """
    access.require(actor, "case.open")
    person = person_get(user=actor, pk=person.pk)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("Cần ghi tóm tắt thông tin tiếp nhận.")]
    if source not in Case.Source.values:
        errors["source"] = [_("Nguồn tiếp nhận không hợp lệ.")]
    if reported_at is None or timezone.is_naive(reported_at):
        errors["reported_at"] = [_("Cần ghi thời điểm nhận thông tin.")]
    elif reported_at > now + dt.timedelta(minutes=5):
        errors["reported_at"] = [_("Thời điểm nhận thông tin không được ở tương lai.")]
    today = timezone.localdate()
    if case_type.valid_from > today or (case_type.valid_to and case_type.valid_to < today):
        errors["case_type"] = [_("Loại trường hợp này không còn áp dụng.")]
    commune = commune or person.commune
    province_id = commune.province_id if commune else person.province_id
    if not access.coverage(actor).covers(province_id=province_id, commune_id=commune.pk if commune else None):
        errors["commune"] = [_("Địa bàn này nằm ngoài phạm vi bạn được phân công.")]
    if errors:
        raise ValidationError(errors)
    step = workflow.first_step(case_type)
    seal = bool(sealed) or must_seal(case_type=case_type, person=person, on=today)
    case = Case(
        number=_next_number(today.year), case_type=case_type, status=step.code, sealed=seal, person=person,
        province_id=province_id, commune=commune, summary=summary, source=source, reported_at=reported_at,
        serious_risk=bool(serious_risk), opened_by=actor,
    )
    case.full_clean()
    case.save()
    _member_add(case=case, user=actor, role=MemberRole.INTAKE, by=actor, at=now)
    workflow.start_clocks(case, ClockEvent.OPENED, at=now)
    workflow.start_clocks(case, ClockEvent.STEP_ENTERED, step=step, at=now)
    workflow.record_event(case, CaseEvent.Kind.OPENED, actor, at=now, data={
        "number": case.number, "type": case_type.code, "step": step.code, "step_name": step.name,
        "source": source, "serious_risk": case.serious_risk, "sealed": seal})
    audit_record(actor=actor, action="case.opened", obj=case, changes={
        "number": case.number, "case_type": case_type.code, "status": case.status, "sealed": seal,
        "serious_risk": case.serious_risk, "source": source, "reported_at": reported_at,
        "commune": commune.pk if commune else None})
    workflow.notify(workflow.directors_of(case), verb="case.opened", case=case, exclude=actor, message=(
        _("Hồ sơ mới %(number)s (%(type)s)%(risk)s.") % {
            "number": case.number, "type": case_type.name,
            "risk": _(": trẻ có nguy cơ bị tổn hại nghiêm trọng") if case.serious_risk else ""}))
    return case


# Editing ------------------------------------------------------------------------------

CASE_FIELDS = ["summary", "source", "reported_at", "serious_risk", "risk_level", "commune"]


def _snapshot(case: Case) -> dict[str, Any]:
    return {f: getattr(case, Case._meta.get_field(f).attname) for f in CASE_FIELDS}  # type: ignore[union-attr]


def _lock(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().select_related("case_type").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("Hồ sơ đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi lưu lại."),
            workflow.conflict_changes(locked, expected_version),
        )
    return locked


def _bump(case: Case, expected_version: int | None) -> None:
    """Raise the version, refusing if someone saved in between (the optimistic lock)."""
    base = case.version if expected_version is None else expected_version
    if not Case.objects.filter(pk=case.pk, version=base).update(version=F("version") + 1):
        raise ConflictError(_("Hồ sơ vừa được người khác lưu. Hãy tải lại trang."))
    case.version = base + 1


def _require_open(case: Case) -> None:
    if case.closed_at is not None:
        raise ValidationError(_("Hồ sơ đã đóng; hãy mở lại hồ sơ trước khi cập nhật."))


@transaction.atomic
def case_update(*, actor: Any, case: Case, data: dict[str, Any], expected_version: int) -> Case:
    """Change the case's facts unless someone saved it since ``expected_version``.

    ``data`` may hold: summary, source, reported_at, serious_risk, risk_level,
    commune. Marking a child at serious risk starts the 12-hour clock (from
    the report); moving the report time moves the clocks counted from it.
    """
    case_get(user=actor, pk=case.pk)
    current = _lock(case, expected_version)
    workflow.require_worker(actor, current)
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được các trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    before = _snapshot(current)
    for key, value in data.items():
        setattr(current, key, value.strip() if isinstance(value, str) and key == "summary" else value)
    errors: dict[str, list[str]] = {}
    if not current.summary:
        errors["summary"] = [_("Cần ghi tóm tắt thông tin tiếp nhận.")]
    if current.reported_at and current.reported_at > timezone.now() + dt.timedelta(minutes=5):
        errors["reported_at"] = [_("Thời điểm nhận thông tin không được ở tương lai.")]
    if "commune" in data:
        commune = data["commune"]
        if commune is None:
            errors["commune"] = [_("Cần chọn xã/phường.")]
        elif not access.coverage(actor).covers(province_id=commune.province_id, commune_id=commune.pk):
            errors["commune"] = [_("Địa bàn này nằm ngoài phạm vi bạn được phân công.")]
        else:
            current.province_id = commune.province_id
    if errors:
        raise ValidationError(errors)
    current.full_clean()
    changes = diff(before, _snapshot(current))
    if not changes:
        return current
    _bump(current, expected_version)
    current.save()
    if "reported_at" in changes:
        workflow.recompute_opened_clocks(current)
    if "serious_risk" in changes and current.serious_risk:
        workflow.start_clocks(current, ClockEvent.OPENED, at=timezone.now())
    workflow.record_event(current, CaseEvent.Kind.UPDATED, actor, data={"fields": sorted(changes)})
    audit_record(actor=actor, action="case.updated", obj=current, changes={**changes, "_version": current.version})
    return current


@transaction.atomic
def case_set_sealed(*, actor: Any, case: Case, sealed: bool, reason: str) -> Case:
    """Seal a case (its team or a director), or unseal it (a director, never one the law seals)."""
    case_get(user=actor, pk=case.pk)
    current = _lock(case, None)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Cần ghi lý do.")]})
    if sealed == current.sealed:
        return current
    if sealed:
        workflow.require_worker(actor, current)
    else:
        access.require(actor, "case.approve")
        if must_seal(case_type=current.case_type, person=current.person, on=timezone.localdate()):
            raise ValidationError(_("Hồ sơ loại này hoặc của người thuộc diện này luôn được niêm phong."))
    current.sealed = sealed
    _bump(current, None)
    current.save(update_fields=["sealed", "version", "updated_at"])
    workflow.record_event(current, CaseEvent.Kind.SEALED, actor, data={"sealed": sealed, "reason": reason})
    audit_record(actor=actor, action="case.sealed" if sealed else "case.unsealed", obj=current,
                 changes={"sealed": [not sealed, sealed], "reason": reason, "_version": current.version})
    return current


def case_transition(
    *, actor: Any, case: Case, code: str, reason: str = "", expected_version: int | None = None,
) -> Case:
    """Move the case by a transition of its table (the page's buttons and the API)."""
    return workflow.transition(case, code, actor, reason=reason, expected_version=expected_version)


# Team ------------------------------------------------------------------------------

@transaction.atomic
def case_assign(
    *, actor: Any, case: Case, worker: Any, role: str = MemberRole.LEAD, expected_version: int | None = None,
) -> CaseMember:
    """Put ``worker`` on the case team (director only). A new lead ends the previous lead's assignment.

    The history stays: every ``CaseMember`` row keeps who assigned whom and
    when it ended. The worker is notified.
    """
    access.require(actor, "case.assign")
    case_get(user=actor, pk=case.pk)
    current = _lock(case, expected_version)
    if role not in MemberRole.values or role == MemberRole.INTAKE:
        raise ValidationError({"role": [_("Vai trò trong nhóm không hợp lệ.")]})
    if not worker.is_active or not access.can(worker, "case.work"):
        raise ValidationError({"worker": [_("Người này không có vai trò quản lý trường hợp.")]})
    if not access.coverage(worker).covers(province_id=current.province_id, commune_id=current.commune_id):
        raise ValidationError({"worker": [_("Người này không phụ trách địa bàn của hồ sơ.")]})
    now = timezone.now()
    existing = CaseMember.objects.filter(case=current, user=worker, ended_at__isnull=True).first()
    if existing is not None and existing.role == role:
        raise ValidationError({"worker": [_("Người này đã có vai trò đó trong nhóm phụ trách.")]})
    if existing is not None:
        existing.ended_at, existing.ended_by, existing.end_reason = now, actor, _("Đổi vai trò")
        existing.save(update_fields=["ended_at", "ended_by", "end_reason"])
    previous_lead = None
    if role == MemberRole.LEAD:
        previous = CaseMember.objects.filter(case=current, role=MemberRole.LEAD, ended_at__isnull=True).first()
        if previous is not None:
            previous_lead = previous.user
            previous.ended_at, previous.ended_by, previous.end_reason = now, actor, _("Phân công người khác")
            previous.save(update_fields=["ended_at", "ended_by", "end_reason"])
    member = _member_add(case=current, user=worker, role=role, by=actor, at=now)
    changes: dict[str, Any] = {"worker": worker.pk, "role": role}
    if role == MemberRole.LEAD:
        changes["assigned_to"] = [current.assigned_to_id, worker.pk]
        current.assigned_to = worker
    elif existing is not None and existing.role == MemberRole.LEAD:
        changes["assigned_to"] = [current.assigned_to_id, None]
        current.assigned_to = None
    _bump(current, expected_version)
    current.save(update_fields=["assigned_to", "version", "updated_at"])
    workflow.record_event(current, CaseEvent.Kind.ASSIGNED, actor, at=now, data={
        "user": worker.pk, "user_name": str(worker), "role": role,
        **({"previous": previous_lead.pk, "previous_name": str(previous_lead)} if previous_lead else {})})
    audit_record(actor=actor, action="case.assigned", obj=current, changes={**changes, "_version": current.version})
    workflow.notify([worker], verb="case.assigned", case=current, exclude=actor, message=(
        _("Bạn được phân công %(role)s hồ sơ %(number)s.") % {
            "role": MemberRole(role).label.lower(), "number": current.number}))
    if previous_lead is not None and previous_lead.pk != worker.pk:
        workflow.notify([previous_lead], verb="case.unassigned", case=current, exclude=actor, message=(
            _("Hồ sơ %(number)s đã được giao cho người khác phụ trách.") % {"number": current.number}))
    return member


# Short name used in the brief.
assign = case_assign


@transaction.atomic
def case_member_end(*, actor: Any, member: CaseMember, reason: str = "") -> CaseMember:
    """Take someone off the team (director only); ending the lead leaves the case unassigned."""
    access.require(actor, "case.assign")
    case_get(user=actor, pk=member.case_id)
    current = _lock(member.case, None)
    member = CaseMember.objects.select_for_update().get(pk=member.pk)
    if member.ended_at is not None:
        raise ValidationError(_("Phân công này đã kết thúc."))
    now = timezone.now()
    member.ended_at, member.ended_by, member.end_reason = now, actor, (reason or "").strip()[:300]
    member.save(update_fields=["ended_at", "ended_by", "end_reason"])
    changes: dict[str, Any] = {"worker": member.user_id, "role": member.role}
    if member.role == MemberRole.LEAD:
        changes["assigned_to"] = [current.assigned_to_id, None]
        current.assigned_to = None
    _bump(current, None)
    current.save(update_fields=["assigned_to", "version", "updated_at"])
    workflow.record_event(current, CaseEvent.Kind.UNASSIGNED, actor, at=now, data={
        "user": member.user_id, "user_name": str(member.user), "role": member.role, "reason": member.end_reason})
    audit_record(actor=actor, action="case.unassigned", obj=current, changes={**changes, "_version": current.version})
    return member


# Break the glass ------------------------------------------------------------------------

@transaction.atomic
def case_break_glass(*, actor: Any, case: Case, reason: str) -> BreakGlass:
    """Open a case one cannot otherwise see, giving a reason: logged, on the timeline, told to the directors.

    For users with ``case.work`` whose area covers the case; anyone else gets
    404 (the case's existence stays hidden). The grant lasts
    ``CTXH_BREAK_GLASS_HOURS``.
    """
    access.require(actor, "case.work")
    try:
        current = Case.objects.select_related("case_type").get(pk=case.pk)
    except Case.DoesNotExist:
        raise Http404 from None
    if not access.coverage(actor).covers(province_id=current.province_id, commune_id=current.commune_id):
        raise Http404
    if case_access_reason(actor, current) not in (None, "break_glass"):
        raise ValidationError(_("Bạn đã có quyền xem hồ sơ này."))
    reason = (reason or "").strip()
    minimum = break_glass_min_reason()
    if len(reason) < minimum:
        raise ValidationError({"reason": [
            _("Cần ghi rõ lý do cần xem hồ sơ (ít nhất %(n)s ký tự).") % {"n": minimum}]})
    now = timezone.now()
    grant = BreakGlass.objects.create(case=current, user=actor, reason=reason,
                                      expires_at=now + dt.timedelta(hours=break_glass_hours()))
    access_record(actor=actor, obj=current, purpose="break_glass", break_glass=True, reason=reason,
                  person_id=current.person_id)
    workflow.record_event(current, CaseEvent.Kind.BREAK_GLASS, actor, at=now, team_only=True, data={
        "reason": reason, "expires_at": grant.expires_at, "user_name": str(actor)})
    audit_record(actor=actor, action="case.break_glass", obj=current,
                 changes={"reason": reason, "expires_at": grant.expires_at})
    workflow.notify(workflow.directors_of(current), verb="case.break_glass", case=current, exclude=actor, message=(
        _("%(user)s đã truy cập khẩn cấp hồ sơ %(number)s. Lý do: %(reason)s") % {
            "user": actor, "number": current.number, "reason": reason}))
    return grant


# Assessment --------------------------------------------------------------------------------

def _need_domain(term: Any, field: str, errors: dict[str, list[str]]) -> Term | None:
    if term is None:
        return None
    if not isinstance(term, Term) or term.vocabulary != "need_domain":
        errors.setdefault(field, []).append(_("Lĩnh vực nhu cầu không hợp lệ."))
        return None
    return term


@transaction.atomic
def assessment_record(
    *, actor: Any, case: Case, kind: str, summary: str, risk_level: str, needs: list[dict[str, Any]],
    assessed_on: dt.date | None = None, expected_version: int | None = None,
) -> Assessment:
    """Record a risk or needs assessment: needs by domain with priority, and the risk level of the case.

    ``needs``: ``[{"domain": Term(need_domain), "description": str, "priority": 1|2|3}]``.
    """
    case_get(user=actor, pk=case.pk)
    current = _lock(case, expected_version)
    workflow.require_worker(actor, current)
    _require_open(current)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if kind not in Assessment.Kind.values:
        errors["kind"] = [_("Loại đánh giá không hợp lệ.")]
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("Cần chọn mức độ nguy cơ: cao, trung bình hoặc thấp.")]
    if not (summary or "").strip():
        errors["summary"] = [_("Cần ghi nhận định chung.")]
    if assessed_on > today or assessed_on < timezone.localtime(current.reported_at).date():
        errors["assessed_on"] = [_("Ngày đánh giá phải từ ngày nhận thông tin đến hôm nay.")]
    seen: set[int] = set()
    clean: list[tuple[Term, str, int]] = []
    for i, need in enumerate(needs or []):
        domain = _need_domain(need.get("domain"), f"needs-{i}-domain", errors)
        description = (need.get("description") or "").strip()
        priority = need.get("priority")
        if domain is None and f"needs-{i}-domain" not in errors:
            errors[f"needs-{i}-domain"] = [_("Cần chọn lĩnh vực.")]
        if domain is not None and domain.pk in seen:
            errors[f"needs-{i}-domain"] = [_("Mỗi lĩnh vực chỉ ghi một lần trong một đánh giá.")]
        if not description:
            errors[f"needs-{i}-description"] = [_("Cần mô tả nhu cầu.")]
        try:
            priority = int(priority)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            priority = None
        if priority not in Priority.values:
            errors[f"needs-{i}-priority"] = [_("Cần chọn mức ưu tiên.")]
        if domain is not None:
            seen.add(domain.pk)
            clean.append((domain, description, priority or 0))
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(case=current, kind=kind, assessed_on=assessed_on,
                                           summary=summary.strip(), risk_level=risk_level, recorded_by=actor)
    AssessmentNeed.objects.bulk_create([
        AssessmentNeed(assessment=assessment, domain=d, description=text, priority=p) for d, text, p in clean])
    old_risk = current.risk_level
    current.risk_level = risk_level
    _bump(current, expected_version)
    current.save(update_fields=["risk_level", "version", "updated_at"])
    workflow.record_event(current, CaseEvent.Kind.ASSESSMENT, actor, data={
        "assessment": assessment.pk, "kind": kind, "risk_level": risk_level,
        "domains": [d.code for d, _t, _p in clean]})
    audit_record(actor=actor, action="case.assessed", obj=current, changes={
        "assessment": assessment.pk, "kind": kind, "risk_level": [old_risk, risk_level],
        "_version": current.version})
    return assessment


# Plans -------------------------------------------------------------------------------------

PLAN_STEP_KINDS = (StepKind.PLAN, StepKind.IMPLEMENTATION, StepKind.REVIEW)


def _clean_items(items: list[dict[str, Any]], case: Case) -> list[dict[str, Any]]:
    errors: dict[str, list[str]] = {}
    out = []
    earliest = timezone.localtime(case.reported_at).date()
    for i, item in enumerate(items or []):
        action = (item.get("action") or "").strip()
        provider = (item.get("provider") or "").strip()
        responsible = item.get("responsible")
        due = item.get("due_date")
        status = item.get("status") or PlanItem.Status.TODO
        domain = _need_domain(item.get("domain"), f"items-{i}-domain", errors)
        if not action:
            errors[f"items-{i}-action"] = [_("Cần ghi dịch vụ hoặc hoạt động.")]
        if responsible is None and not provider:
            errors[f"items-{i}-responsible"] = [_("Cần ghi người thực hiện hoặc đơn vị cung cấp.")]
        if responsible is not None and not getattr(responsible, "is_active", False):
            errors[f"items-{i}-responsible"] = [_("Người thực hiện không còn hoạt động.")]
        if due is not None and due < earliest:
            errors[f"items-{i}-due_date"] = [_("Thời hạn không được trước ngày nhận thông tin.")]
        if status not in PlanItem.Status.values:
            errors[f"items-{i}-status"] = [_("Tiến độ không hợp lệ.")]
        out.append({"domain": domain, "action": action, "provider": provider[:200], "responsible": responsible,
                    "due_date": due, "status": status, "position": i})
    if not out:
        errors["items"] = [_("Kế hoạch cần ít nhất một hoạt động.")]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def plan_save(
    *, actor: Any, case: Case, goals: str, items: list[dict[str, Any]], expected_revision: int | None = None,
) -> Plan:
    """Save the draft plan, or start the next version when the current one is approved.

    ``items``: ``[{"domain": Term|None, "action": str, "responsible": User|None,
    "provider": str, "due_date": date|None, "status": "todo"}]``. An approved
    plan is never changed: the change becomes a new draft version that needs
    approval again. ``expected_revision`` guards the draft against a lost update.
    """
    case_get(user=actor, pk=case.pk)
    current = _lock(case, None)
    workflow.require_worker(actor, current)
    _require_open(current)
    step = workflow.current_step(current)
    if step.kind not in PLAN_STEP_KINDS:
        raise ValidationError(_("Chưa thể lập kế hoạch ở bước “%(step)s”.") % {"step": step.name})
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError({"goals": [_("Cần ghi mục tiêu của kế hoạch.")]})
    clean = _clean_items(items, current)
    plan = Plan.objects.select_for_update().filter(
        case=current, status__in=[Plan.Status.DRAFT, Plan.Status.SUBMITTED]).first()
    if plan is not None and plan.status == Plan.Status.SUBMITTED:
        raise ValidationError(_("Kế hoạch phiên bản %(n)s đang chờ phê duyệt; chưa sửa được.") % {"n": plan.number})
    if plan is not None:
        if expected_revision is not None and plan.revision != expected_revision:
            raise ConflictError(_("Kế hoạch đã được người khác sửa sau khi bạn mở. Hãy tải lại trang."),
                                workflow.conflict_changes(plan, expected_revision))
        old_goals = plan.goals
        plan.goals = goals
        plan.revision += 1
        plan.save(update_fields=["goals", "revision"])
        plan.items.all().delete()
        created = False
    else:
        old_goals = ""
        number = (current.plans.aggregate(n=Max("number"))["n"] or 0) + 1
        plan = Plan.objects.create(case=current, number=number, goals=goals, created_by=actor)
        created = True
    PlanItem.objects.bulk_create([PlanItem(plan=plan, **c) for c in clean])
    workflow.record_event(current, CaseEvent.Kind.PLAN_SAVED, actor, data={
        "plan": plan.pk, "number": plan.number, "items": len(clean), "new_version": created})
    audit_record(actor=actor, action="plan.saved", obj=plan, person_id=current.person_id, changes={
        "number": plan.number, "goals": [old_goals, goals], "items": len(clean), "_version": plan.revision})
    return plan


def _plan_locked(actor: Any, plan: Plan) -> tuple[Case, Plan]:
    case_get(user=actor, pk=plan.case_id)
    current = _lock(plan.case, None)
    return current, Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def plan_submit(*, actor: Any, plan: Plan) -> Plan:
    """Send the draft for the director's approval; the approval clock starts."""
    case, plan = _plan_locked(actor, plan)
    workflow.require_worker(actor, case)
    _require_open(case)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Chỉ trình được kế hoạch đang dự thảo."))
    if not plan.items.exists():
        raise ValidationError({"items": [_("Kế hoạch cần ít nhất một hoạt động.")]})
    now = timezone.now()
    plan.status, plan.submitted_by, plan.submitted_at = Plan.Status.SUBMITTED, actor, now
    plan.save(update_fields=["status", "submitted_by", "submitted_at"])
    workflow.stop_clocks(case, ClockEvent.PLAN_SUBMITTED, at=now)
    workflow.start_clocks(case, ClockEvent.PLAN_SUBMITTED, at=now)
    workflow.record_event(case, CaseEvent.Kind.PLAN_SUBMITTED, actor, at=now,
                          data={"plan": plan.pk, "number": plan.number})
    audit_record(actor=actor, action="plan.submitted", obj=plan, person_id=case.person_id,
                 changes={"number": plan.number, "status": [Plan.Status.DRAFT, Plan.Status.SUBMITTED]})
    workflow.notify(workflow.directors_of(case), verb="plan.submitted", case=case, exclude=actor, message=(
        _("Hồ sơ %(number)s: kế hoạch phiên bản %(n)s chờ phê duyệt.") % {"number": case.number, "n": plan.number}))
    return plan


@transaction.atomic
def plan_approve(*, actor: Any, plan: Plan) -> Plan:
    """The director approves the submitted plan; at the plan step the case moves on to carrying it out."""
    access.require(actor, "case.approve")
    case, plan = _plan_locked(actor, plan)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("Chỉ phê duyệt được kế hoạch đang chờ phê duyệt."))
    step = workflow.current_step(case)
    if step.transitions_out.filter(kind=TransitionKind.APPROVE_PLAN).exists():
        workflow.transition_by_kind(case, TransitionKind.APPROVE_PLAN, actor)
    else:
        _require_open(case)
        now = timezone.now()
        workflow.approve_submitted_plan(case, actor, now)
        _bump(case, None)
        case.save(update_fields=["version", "updated_at"])
        workflow.record_event(case, CaseEvent.Kind.PLAN_APPROVED, actor, at=now,
                              data={"plan": plan.pk, "number": plan.number})
        workflow.notify(workflow.team_of(case), verb="case.approve_plan", case=case, exclude=actor, message=(
            _("Hồ sơ %(number)s: kế hoạch phiên bản %(n)s đã được phê duyệt.") % {
                "number": case.number, "n": plan.number}))
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_return(*, actor: Any, plan: Plan, reason: str) -> Plan:
    """The director sends the submitted plan back to draft, saying why."""
    access.require(actor, "case.approve")
    case, plan = _plan_locked(actor, plan)
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được kế hoạch đang chờ phê duyệt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Cần ghi lý do trả lại kế hoạch.")]})
    now = timezone.now()
    plan.status, plan.returned_reason = Plan.Status.DRAFT, reason
    plan.save(update_fields=["status", "returned_reason"])
    # The director has decided within the time: the approval clock stops.
    workflow.stop_clocks(case, ClockEvent.PLAN_APPROVED, at=now)
    workflow.record_event(case, CaseEvent.Kind.PLAN_RETURNED, actor, at=now,
                          data={"plan": plan.pk, "number": plan.number, "reason": reason})
    audit_record(actor=actor, action="plan.returned", obj=plan, person_id=case.person_id,
                 changes={"status": [Plan.Status.SUBMITTED, Plan.Status.DRAFT], "reason": reason})
    workflow.notify([plan.submitted_by, *workflow.team_of(case)], verb="plan.returned", case=case, exclude=actor,
                    message=_("Hồ sơ %(number)s: kế hoạch phiên bản %(n)s bị trả lại. Lý do: %(reason)s") % {
                        "number": case.number, "n": plan.number, "reason": reason})
    return plan


@transaction.atomic
def plan_item_set_status(*, actor: Any, item: PlanItem, status: str) -> PlanItem:
    """Progress of an item of the plan in force (not a change of plan: no new version)."""
    case_get(user=actor, pk=item.plan.case_id)
    case = _lock(item.plan.case, None)
    workflow.require_worker(actor, case)
    _require_open(case)
    item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    if item.plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Chỉ cập nhật tiến độ của kế hoạch đang có hiệu lực."))
    if status not in PlanItem.Status.values:
        raise ValidationError({"status": [_("Tiến độ không hợp lệ.")]})
    old = item.status
    if old == status:
        return item
    item.status = status
    item.done_at = timezone.now() if status == PlanItem.Status.DONE else None
    item.save(update_fields=["status", "done_at"])
    workflow.record_event(case, CaseEvent.Kind.PLAN_ITEM, actor, data={
        "plan": item.plan_id, "item": item.pk, "action": item.action[:120], "from": old, "to": status})
    audit_record(actor=actor, action="plan.item_status", obj=item.plan, person_id=case.person_id,
                 changes={"item": item.pk, "status": [old, status]})
    return item


# Notes and attachments ----------------------------------------------------------------------

def _require_may_write_notes(actor: Any, case: Case) -> None:
    if not (access.can(actor, "case.work") or workflow.is_team_member(actor, case)):
        raise PermissionDenied(_("Bạn không có quyền ghi vào hồ sơ này."))


@transaction.atomic
def note_add(*, actor: Any, case: Case, text: str, visibility: str = NoteVisibility.CASE) -> Note:
    """A case note on the timeline; ``team`` notes are for the team and the directors only."""
    case = case_get(user=actor, pk=case.pk)
    _require_may_write_notes(actor, case)
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Cần nhập nội dung ghi chép.")]
    if visibility not in NoteVisibility.values:
        errors["visibility"] = [_("Phạm vi xem không hợp lệ.")]
    if errors:
        raise ValidationError(errors)
    note = Note.objects.create(case=case, author=actor, text=text, visibility=visibility)
    workflow.record_event(case, CaseEvent.Kind.NOTE, actor, at=note.created_at, note=note,
                          team_only=visibility == NoteVisibility.TEAM, data={"visibility": visibility})
    audit_record(actor=actor, action="case.note_added", obj=case, changes={"note": note.pk, "visibility": visibility})
    return note


def _sniff(head: bytes, ext: str) -> bool:
    return any(head.startswith(sig) for sig in ATTACHMENT_TYPES[ext][1])


@transaction.atomic
def attachment_add(
    *, actor: Any, case: Case, file: Any, description: str = "", visibility: str = NoteVisibility.CASE,
    note: Note | None = None,
) -> Attachment:
    """Keep an uploaded file with the case: type and size checked, stored with a random name.

    ``file`` is an ``UploadedFile`` (or anything with ``name``, ``size`` and
    ``chunks()``). Files go to ``MEDIA_ROOT/cases``, which the web server never
    serves; ``selectors.attachment_open`` hands them out.
    """
    case = case_get(user=actor, pk=case.pk)
    _require_may_write_notes(actor, case)
    name = Path(getattr(file, "name", "") or "").name[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [e for e in attachment_extensions() if e in ATTACHMENT_TYPES]
    if ext not in allowed:
        raise ValidationError({"file": [_("Chỉ nhận tệp %(types)s.") % {"types": ", ".join(sorted(set(allowed)))}]})
    size = getattr(file, "size", None)
    limit = attachment_max_bytes()
    if size is not None and size > limit:
        raise ValidationError({"file": [_("Tệp lớn hơn %(mb)s MB.") % {"mb": limit // (1024 * 1024)}]})
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": [_("Phạm vi xem không hợp lệ.")]})
    if note is not None and note.case_id != case.pk:
        raise ValidationError({"note": [_("Ghi chép không thuộc hồ sơ này.")]})
    folder = Path(settings.MEDIA_ROOT) / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(20)
    path = folder / stored
    digest = hashlib.sha256()
    written = 0
    try:
        with path.open("xb") as out:
            head = b""
            chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(64 * 1024), b"")
            for chunk in chunks:
                if len(head) < 16:
                    head += chunk[:16]
                written += len(chunk)
                if written > limit:
                    raise ValidationError({"file": [_("Tệp lớn hơn %(mb)s MB.") % {"mb": limit // (1024 * 1024)}]})
                digest.update(chunk)
                out.write(chunk)
        if written == 0:
            raise ValidationError({"file": [_("Tệp rỗng.")]})
        if not _sniff(head, ext):
            raise ValidationError({"file": [_("Nội dung tệp không đúng với loại %(ext)s.") % {"ext": ext}]})
        att = Attachment.objects.create(
            case=case, note=note, uploaded_by=actor, original_name=name, stored_name=stored,
            content_type=ATTACHMENT_TYPES[ext][0], size=written, sha256=digest.hexdigest(),
            description=(description or "").strip()[:300], visibility=visibility)
        workflow.record_event(case, CaseEvent.Kind.ATTACHMENT, actor, at=att.created_at, attachment=att,
                              team_only=visibility == NoteVisibility.TEAM,
                              data={"name": name, "size": written, "visibility": visibility})
        audit_record(actor=actor, action="case.attachment_added", obj=case,
                     changes={"attachment": att.pk, "name": name, "size": written, "sha256": att.sha256})
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return att


# Reviews and closure ------------------------------------------------------------------------

@transaction.atomic
def review_record(
    *, actor: Any, case: Case, reviewed_on: dt.date, summary: str, risk_level: str, decision: str,
    closure_reason: Term | None = None, closure_outcome: str = "", expected_version: int | None = None,
) -> Review:
    """Record a review at the review step, re-rate the risk, and act on the decision.

    ``continue`` goes back to carrying out the plan, ``new_plan`` to planning,
    ``close`` requests the closure (``closure_reason`` and ``closure_outcome``
    needed) for the director's approval.
    """
    case_get(user=actor, pk=case.pk)
    current = _lock(case, expected_version)
    workflow.require_worker(actor, current)
    step = workflow.current_step(current)
    if step.kind != StepKind.REVIEW:
        raise ValidationError(_("Chỉ ghi kết quả rà soát khi hồ sơ ở bước rà soát (đang ở bước “%(step)s”).")
                              % {"step": step.name})
    errors: dict[str, list[str]] = {}
    if decision not in Review.Decision.values:
        errors["decision"] = [_("Cần chọn quyết định sau rà soát.")]
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = [_("Cần chọn mức độ nguy cơ: cao, trung bình hoặc thấp.")]
    if not (summary or "").strip():
        errors["summary"] = [_("Cần ghi kết quả rà soát.")]
    today = timezone.localdate()
    if reviewed_on is None or reviewed_on > today:
        errors["reviewed_on"] = [_("Ngày rà soát không được ở tương lai.")]
    if decision == Review.Decision.CLOSE:
        if closure_reason is None:
            errors["closure_reason"] = [_("Cần chọn lý do đóng hồ sơ.")]
        if not (closure_outcome or "").strip():
            errors["closure_outcome"] = [_("Cần ghi kết quả, tình trạng khi đóng hồ sơ.")]
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(case=current, reviewed_on=reviewed_on, summary=summary.strip(),
                                   risk_level=risk_level, decision=decision, recorded_by=actor)
    old_risk = current.risk_level
    current.risk_level = risk_level
    _bump(current, expected_version)
    current.save(update_fields=["risk_level", "version", "updated_at"])
    workflow.record_event(current, CaseEvent.Kind.REVIEW, actor, data={
        "review": review.pk, "decision": decision, "risk_level": risk_level})
    audit_record(actor=actor, action="case.reviewed", obj=current, changes={
        "review": review.pk, "decision": decision, "risk_level": [old_risk, risk_level],
        "_version": current.version})
    if decision == Review.Decision.CONTINUE:
        workflow.transition_by_kind(current, TransitionKind.MOVE, actor, to_kind=StepKind.IMPLEMENTATION)
    elif decision == Review.Decision.NEW_PLAN:
        workflow.transition_by_kind(current, TransitionKind.MOVE, actor, to_kind=StepKind.PLAN)
    else:
        assert closure_reason is not None  # checked above
        closure_request(actor=actor, case=current, reason=closure_reason, outcome=closure_outcome)
    return review


@transaction.atomic
def closure_request(*, actor: Any, case: Case, reason: Term, outcome: str) -> Closure:
    """Ask the director to close the case, with a reason from the list and the outcome."""
    case_get(user=actor, pk=case.pk)
    current = _lock(case, None)
    workflow.require_worker(actor, current)
    errors: dict[str, list[str]] = {}
    if not isinstance(reason, Term) or reason.vocabulary != "case_closure_reason":
        errors["reason"] = [_("Cần chọn lý do đóng hồ sơ.")]
    if not (outcome or "").strip():
        errors["outcome"] = [_("Cần ghi kết quả, tình trạng khi đóng hồ sơ.")]
    if errors:
        raise ValidationError(errors)
    if current.closures.filter(status=Closure.Status.REQUESTED).exists():
        raise ValidationError(_("Hồ sơ đã có một đề nghị đóng đang chờ phê duyệt."))
    closure = Closure.objects.create(case=current, reason=reason, outcome=outcome.strip(), requested_by=actor,
                                     requested_at=timezone.now())
    workflow.transition_by_kind(current, TransitionKind.REQUEST_CLOSURE, actor,
                                data={"closure": closure.pk, "closure_reason": reason.code})
    return closure


@transaction.atomic
def closure_approve(*, actor: Any, closure: Closure, note: str = "") -> Closure:
    """The director approves the closure: the case is closed and its running deadlines stop."""
    access.require(actor, "case.approve")
    case_get(user=actor, pk=closure.case_id)
    if closure.status != Closure.Status.REQUESTED:
        raise ValidationError(_("Đề nghị này đã được quyết định."))
    workflow.transition_by_kind(closure.case, TransitionKind.APPROVE_CLOSURE, actor, reason=note,
                                data={"closure": closure.pk})
    closure.refresh_from_db()
    return closure


@transaction.atomic
def closure_reject(*, actor: Any, closure: Closure, reason: str, code: str | None = None) -> Closure:
    """The director refuses the closure, saying why; ``code`` picks where the case goes back to."""
    access.require(actor, "case.approve")
    case_get(user=actor, pk=closure.case_id)
    if closure.status != Closure.Status.REQUESTED:
        raise ValidationError(_("Đề nghị này đã được quyết định."))
    workflow.transition_by_kind(closure.case, TransitionKind.REJECT_CLOSURE, actor, code=code, reason=reason,
                                data={"closure": closure.pk})
    closure.refresh_from_db()
    return closure


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """Reopen a closed case (a director or the worker in charge), with a reason; recorded on the timeline."""
    return workflow.transition_by_kind(case, TransitionKind.REOPEN, actor, reason=reason,
                                       expected_version=expected_version)


# Notifications ---------------------------------------------------------------------------

@transaction.atomic
def notification_mark_read(*, actor: Any, ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when ``ids`` is None)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
