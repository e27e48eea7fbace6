"""Every change to a call. Each service validates, writes and audits in one transaction.

A call is created when the counsellor presses "New call" (``call_start``) and is
*open* until ``call_end``. While it is open only that counsellor writes to it;
the screen's fields are kept as typed by ``call_draft_save`` and applied by
``call_save``, which refuses a stale ``expected_version``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.selectors import changes_since_version
from ctxh.audit.services import audit_record, diff
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Term
from ctxh.core.text import normalize_phone
from ctxh.hotline.models import (
    TOPIC_VOCABULARY,
    Call,
    CallerRelation,
    CallSubject,
    Channel,
    HotlineLine,
    Outcome,
    SubjectRole,
    Urgency,
)
from ctxh.hotline.selectors import call_get, call_queryset, can_edit, case_for_link
from ctxh.people.models import Person
from ctxh.people.selectors import person_queryset

# Scalar fields ``call_save`` accepts, in screen order.
CALL_FIELDS = [
    "channel", "line", "caller_anonymous", "caller", "caller_name", "caller_phone", "caller_relation",
    "urgency", "summary", "outcome", "referred_to", "follow_up_at", "follow_up_note",
]
# Outcomes set only by the case services, never typed.
CASE_OUTCOMES = {Outcome.CASE_OPENED, Outcome.CASE_LINKED}
# The draft is what a counsellor types in one call; anything bigger is not typing.
DRAFT_MAX_BYTES = 64 * 1024
SUMMARY_MAX = 20000


# Helpers -----------------------------------------------------------------------


def _home_place(actor: Any) -> tuple[int, int | None]:
    """Where a call is scoped before anyone is named: the counsellor's organisation."""
    log_roles = access.CAPABILITIES["call.log"]
    members = [m for m in access.memberships(actor) if m.role in log_roles]
    for m in members:
        if m.whole_province:
            return m.organization.province_id, None
    for m in members:
        communes = list(m.communes.all())
        if communes:
            return communes[0].province_id, communes[0].pk
    raise ValidationError(_("Tài khoản của bạn chưa được phân công địa bàn để nhận cuộc gọi."))


def _editable(actor: Any, call: Call) -> Call:
    """The call fresh from the database, if the actor may write to it."""
    access.require(actor, "call.log")
    current = call_get(user=actor, pk=call.pk)
    if not can_edit(user=actor, call=current):
        if current.is_open:
            raise PermissionDenied(_("Cuộc gọi đang diễn ra: chỉ tư vấn viên nhận cuộc gọi mới được ghi."))
        raise PermissionDenied(_("Chỉ tư vấn viên đã nhận cuộc gọi hoặc lãnh đạo mới được sửa cuộc gọi."))
    return current


def _snapshot(call: Call) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in CALL_FIELDS:
        out[f] = getattr(call, call._meta.get_field(f).attname)
    out["subjects"] = [[s.person_id, s.role] for s in call.call_subjects.all().order_by("position", "id")]
    out["topics"] = sorted(call.topics.values_list("code", flat=True))
    return out


def _bump(call: Call, expected_version: int) -> None:
    """Take the next version or fail if someone saved in between (a race after the check)."""
    if not Call.objects.filter(pk=call.pk, version=expected_version).update(version=F("version") + 1):
        raise ConflictError(_("Cuộc gọi vừa được người khác lưu. Hãy tải lại trang."))
    call.version = expected_version + 1


def _conflict_changes(call: Call, since_version: int) -> list[tuple[str, str, str]]:
    """What others changed after ``since_version``, with labels for the relations."""
    labels = {"subjects": _("Người được nói đến"), "topics": _("Chủ đề"), "case": _("Hồ sơ trường hợp")}
    return changes_since_version(call, since_version, labels)


def _place_from_subjects(call: Call, subjects: list[tuple[Person, str]]) -> None:
    """A call is scoped by the first person it is about (the one needing help if named)."""
    if not subjects:
        return
    main = next((p for p, role in subjects if role == SubjectRole.SUBJECT), subjects[0][0])
    call.province_id = main.province_id
    call.commune_id = main.commune_id


def _check_end_requirements(values: dict[str, Any], topics: list[Term], errors: dict[str, list[str]]) -> None:
    """What an ended call must have: an outcome, and unless nothing was said, a summary and topics."""
    outcome = values.get("outcome")
    if not outcome:
        errors.setdefault("outcome", []).append(_("Cần chọn kết quả cuộc gọi."))
        return
    if outcome == Outcome.NO_CONTENT:
        return
    if not (values.get("summary") or "").strip():
        errors.setdefault("summary", []).append(_("Cần tóm tắt nội dung cuộc gọi."))
    if not topics:
        errors.setdefault("topics", []).append(_("Cần chọn ít nhất một chủ đề."))


# Services ------------------------------------------------------------------------


@transaction.atomic
def call_start(
    *, actor: Any, channel: str = Channel.PHONE, line: HotlineLine | None = None,
    started_at: dt.datetime | None = None, resume: bool = True,
) -> Call:
    """Open a call now, or give back the counsellor's call still in progress.

    A counsellor has at most one open call; pressing "New call" again resumes it
    (``resume=False`` refuses instead, for clients that record calls afterwards).
    """
    access.require(actor, "call.log")
    existing = Call.objects.select_for_update().filter(counsellor=actor, ended_at__isnull=True).first()
    if existing is not None:
        if resume:
            return existing
        raise ValidationError({"__all__": [
            _("Bạn đang có cuộc gọi #%(id)s chưa kết thúc; hãy kết thúc cuộc gọi đó trước.") % {"id": existing.pk}]})
    now = timezone.now()
    started = started_at or now
    if started > now + dt.timedelta(minutes=1):
        raise ValidationError({"started_at": [_("Thời điểm bắt đầu không được ở tương lai.")]})
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Kênh tiếp nhận không hợp lệ.")]})
    if line is not None and (channel != Channel.PHONE or not line.is_active):
        raise ValidationError({"line": [_("Đầu số chỉ chọn khi kênh là điện thoại, và phải đang hoạt động.")]})
    province_id, commune_id = _home_place(actor)
    if line is None and channel == Channel.PHONE:
        # The province's own free line takes most calls; the counsellor can change it.
        line = HotlineLine.objects.filter(is_active=True, province_id=province_id).first()
    call = Call(started_at=started, channel=channel, line=line, counsellor=actor,
                province_id=province_id, commune_id=commune_id)
    call.full_clean(exclude=["province", "commune", "counsellor"])
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:  # two "New call" presses at once: the other one won
        existing = Call.objects.filter(counsellor=actor, ended_at__isnull=True).first()
        if existing is not None and resume:
            return existing
        raise ValidationError(_("Bạn đang có một cuộc gọi chưa kết thúc.")) from None
    audit_record(actor=actor, action="call.started", obj=call, changes={
        "started_at": call.started_at, "channel": call.channel, "line": call.line_id, "_version": call.version})
    return call


def _clean_draft(data: dict[str, Any]) -> dict[str, list[str]]:
    """Keep the typed fields only: names to lists of strings, nothing secret."""
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        if not isinstance(key, str) or key in ("csrfmiddlewaretoken", "action") or len(key) > 60:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        out[key] = ["" if v is None else str(v)[:SUMMARY_MAX] for v in values][:50]
    return out


@transaction.atomic
def call_draft_save(*, actor: Any, call: Call, data: dict[str, Any]) -> Call:
    """Keep what the counsellor has typed so far, complete or not.

    Not audited: the draft is a scratch pad written every few seconds while the
    counsellor types; what counts is audited when ``call_save`` applies it.
    """
    access.require(actor, "call.log")
    # Written every few seconds: read only what the checks need.
    current = call_queryset(user=actor).filter(pk=call.pk).only(
        "pk", "counsellor_id", "ended_at", "version", "draft", "draft_saved_at").first()
    if current is None:
        raise Http404
    if not can_edit(user=actor, call=current):
        raise PermissionDenied(_("Chỉ tư vấn viên nhận cuộc gọi mới được ghi bản nháp."))
    if not current.is_open:
        raise ValidationError(_("Cuộc gọi đã kết thúc; bản nháp không còn được lưu."))
    draft = _clean_draft(data)
    # An autosave sent before a save (or "open a case") that lands after it must
    # not bring the old values back over the saved call.
    try:
        sent_version = int((draft.get("version") or ["0"])[0] or 0)
    except ValueError:
        sent_version = 0
    if sent_version and sent_version < current.version:
        return current
    if len(json.dumps(draft, ensure_ascii=False).encode()) > DRAFT_MAX_BYTES:
        raise ValidationError(_("Bản nháp quá lớn."))
    now = timezone.now()
    Call.objects.filter(pk=current.pk).update(draft=draft, draft_saved_at=now, updated_at=now)
    current.draft, current.draft_saved_at = draft, now
    return current


def _resolve_subjects(actor: Any, subjects: list[tuple[Any, str]]) -> list[tuple[Person, str]]:
    errors: list[str] = []
    seen: set[int] = set()
    out: list[tuple[Person, str]] = []
    ids = [p.pk if isinstance(p, Person) else p for p, _role in subjects]
    visible = {p.pk: p for p in person_queryset(user=actor).filter(pk__in=[i for i in ids if i])}
    for pid, (_p, role) in zip(ids, subjects, strict=True):
        person = visible.get(pid)
        if person is None:
            errors.append(_("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách.") % {"id": pid})
            continue
        if role not in SubjectRole.values:
            errors.append(_("Vai trò của %(name)s không hợp lệ.") % {"name": person.full_name})
            continue
        if person.pk in seen:
            continue  # the same person picked twice: keep the first
        seen.add(person.pk)
        out.append((person, role))
    if errors:
        raise ValidationError({"subjects": errors})
    return out


@transaction.atomic
def call_save(*, actor: Any, call: Call, data: dict[str, Any], expected_version: int) -> Call:
    """Apply the fields given (only those) unless someone saved after ``expected_version``.

    ``data`` holds model values: ``line`` a HotlineLine, ``caller`` a Person,
    ``subjects`` a list of ``(Person, role)``, ``topics`` a list of Terms,
    ``follow_up_at`` an aware datetime. The draft is cleared: it is now saved.
    """
    current = _editable(actor, call)
    if current.version != expected_version:
        raise ConflictError(
            _("Cuộc gọi đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi lưu lại."),
            _conflict_changes(current, expected_version),
        )
    before = _snapshot(current)
    values = {**{f: getattr(current, f) for f in CALL_FIELDS}, **{k: v for k, v in data.items() if k in CALL_FIELDS}}
    errors: dict[str, list[str]] = {}

    if values["channel"] not in Channel.values:
        errors.setdefault("channel", []).append(_("Kênh tiếp nhận không hợp lệ."))
    if values["channel"] != Channel.PHONE:
        values["line"] = None  # a line means nothing for Zalo or a visit; drop it rather than nag mid-call
    line = values.get("line")
    if line is not None and line.pk != current.line_id and not line.is_active:
        errors.setdefault("line", []).append(_("Đầu số này không còn hoạt động."))

    values["caller_anonymous"] = bool(values.get("caller_anonymous"))
    caller = values.get("caller")
    if values["caller_anonymous"] and caller is not None:
        errors.setdefault("caller", []).append(_("Người gọi giấu tên thì không chọn hồ sơ người gọi."))
    if caller is not None and caller.pk != current.caller_id:
        if not person_queryset(user=actor).filter(pk=caller.pk).exists():
            errors.setdefault("caller", []).append(_("Không tìm thấy người gọi trong địa bàn bạn phụ trách."))
    values["caller_name"] = (values.get("caller_name") or "").strip()[:150]
    values["caller_phone"] = normalize_phone(values.get("caller_phone") or "")
    if values["caller_phone"] and not (3 <= len(values["caller_phone"]) <= 15):
        errors.setdefault("caller_phone", []).append(_("Số điện thoại người gọi không hợp lệ."))
    if values.get("caller_relation") and values["caller_relation"] not in CallerRelation.values:
        errors.setdefault("caller_relation", []).append(_("Quan hệ của người gọi không hợp lệ."))
    values["caller_relation"] = values.get("caller_relation") or ""

    if values["urgency"] not in Urgency.values:
        errors.setdefault("urgency", []).append(_("Mức độ khẩn cấp không hợp lệ."))
    values["summary"] = (values.get("summary") or "").strip()
    if len(values["summary"]) > SUMMARY_MAX:
        errors.setdefault("summary", []).append(_("Tóm tắt quá dài."))

    outcome = values.get("outcome") or ""
    values["outcome"] = outcome
    if outcome and outcome not in Outcome.values:
        errors.setdefault("outcome", []).append(_("Kết quả không hợp lệ."))
    elif current.case_id and outcome not in CASE_OUTCOMES:
        errors.setdefault("outcome", []).append(
            _("Cuộc gọi đã gắn với hồ sơ trường hợp; kết quả giữ là mở hoặc gắn hồ sơ."))
    elif outcome in CASE_OUTCOMES and not current.case_id:
        errors.setdefault("outcome", []).append(
            _("Dùng nút “Mở hồ sơ” hoặc “Gắn hồ sơ” để ghi kết quả này."))
    values["referred_to"] = (values.get("referred_to") or "").strip()[:300]
    if outcome == Outcome.REFERRED and not values["referred_to"]:
        errors.setdefault("referred_to", []).append(_("Cần ghi nơi chuyển gửi."))

    follow_up = values.get("follow_up_at")
    if follow_up is not None and follow_up != current.follow_up_at:
        if follow_up <= max(current.started_at, timezone.now() - dt.timedelta(minutes=5)):
            errors.setdefault("follow_up_at", []).append(_("Lịch gọi lại phải ở tương lai."))
    values["follow_up_note"] = (values.get("follow_up_note") or "").strip()[:300]

    subjects: list[tuple[Person, str]] | None = None
    if "subjects" in data:
        try:
            subjects = _resolve_subjects(actor, list(data["subjects"]))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    topics: list[Term] | None = None
    if "topics" in data:
        topics = list(data["topics"])
        on = timezone.localdate(current.started_at)
        allowed = set(Term.objects.of(TOPIC_VOCABULARY).in_force(on).values_list("pk", flat=True))
        if any(t.pk not in allowed for t in topics):
            errors.setdefault("topics", []).append(_("Có chủ đề không thuộc danh mục đang áp dụng."))
    if not current.is_open:
        _check_end_requirements(values, topics if topics is not None else list(current.topics.all()), errors)
    if errors:
        raise ValidationError(errors)

    for key in CALL_FIELDS:
        setattr(current, key, values[key])
    if current.follow_up_at != before["follow_up_at"]:
        current.follow_up_reminded_at = None
    if subjects is not None:
        _place_from_subjects(current, subjects)
    current.full_clean(exclude=["counsellor", "province", "commune"])
    if subjects is not None:
        CallSubject.objects.filter(call=current).delete()
        CallSubject.objects.bulk_create([
            CallSubject(call=current, person=p, role=role, position=i) for i, (p, role) in enumerate(subjects)])
    if topics is not None:
        current.topics.set(topics)
    # The rows read before the write are stale now; let the next access query again.
    current._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    changes = diff(before, _snapshot(current))
    current.draft, current.draft_saved_at = {}, None
    if not changes:
        current.save()
        return current
    _bump(current, expected_version)
    current.save()
    audit_record(actor=actor, action="call.updated", obj=current, changes={**changes, "_version": current.version})
    return current


@transaction.atomic
def call_end(
    *, actor: Any, call: Call, expected_version: int | None = None, ended_at: dt.datetime | None = None,
) -> Call:
    """End an open call: it must have an outcome, and a summary and topics unless nothing was said."""
    current = _editable(actor, call)
    if not current.is_open:
        raise ValidationError(_("Cuộc gọi đã kết thúc."))
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            _("Cuộc gọi đã được sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây."),
            _conflict_changes(current, expected_version),
        )
    now = timezone.now()
    end = ended_at or now
    errors: dict[str, list[str]] = {}
    if end < current.started_at or end > now + dt.timedelta(minutes=1):
        errors["ended_at"] = [_("Thời điểm kết thúc phải sau lúc bắt đầu và không ở tương lai.")]
    _check_end_requirements(
        {"outcome": current.outcome, "summary": current.summary}, list(current.topics.all()), errors)
    if errors:
        raise ValidationError(errors)
    version = current.version
    current.ended_at = end
    current.draft, current.draft_saved_at = {}, None
    _bump(current, version)
    current.save()
    audit_record(actor=actor, action="call.ended", obj=current, changes={
        "ended_at": end, "duration_seconds": int((end - current.started_at).total_seconds()),
        "outcome": current.outcome, "_version": current.version})
    return current


@transaction.atomic
def call_open_case(
    *, actor: Any, call: Call, case_type: Any, person: Person | None, serious_risk: bool = False,
    sealed: bool | None = None,
) -> Any:
    """Open a case from the call in one step: the person and the summary carry over.

    ``ctxh.cases.services.case_open`` opens the case (source "call", reported at
    the call's start, which starts the legal clock); the call then points to it.
    """
    access.require(actor, "case.open")
    current = _editable(actor, call)
    errors: dict[str, list[str]] = {}
    if current.case_id:
        errors["case"] = [_("Cuộc gọi đã gắn với hồ sơ %(number)s.") % {"number": current.case}]
    subject_ids = set(current.call_subjects.values_list("person_id", flat=True))
    if person is None or person.pk not in subject_ids:
        errors["person"] = [_("Chọn một người được nói đến trong cuộc gọi (thêm người đó vào cuộc gọi trước).")]
    if not current.summary.strip():
        errors["summary"] = [_("Cần tóm tắt nội dung cuộc gọi trước khi mở hồ sơ (bấm Lưu).")]
    if case_type is None:
        errors["case_type"] = [_("Cần chọn loại trường hợp.")]
    visible = person_queryset(user=actor).filter(pk=person.pk).first() if person is not None else None
    if person is not None and visible is None and "person" not in errors:
        errors["person"] = [_("Bạn không được mở hồ sơ cho người này.")]
    if errors or visible is None:
        raise ValidationError(errors)
    from ctxh.cases.services import case_open

    person = visible
    case = case_open(
        actor=actor, case_type=case_type, person=person, summary=current.summary, source="call",
        reported_at=current.started_at, serious_risk=serious_risk, commune=person.commune, sealed=sealed,
    )
    old_outcome = current.outcome
    version = current.version
    current.case = case
    current.outcome = Outcome.CASE_OPENED
    _bump(current, version)
    current.save()
    audit_record(actor=actor, action="call.case_opened", obj=current, person_id=person.pk, changes={
        "case": [None, case.pk], "outcome": [old_outcome, current.outcome], "_version": current.version})
    return case


@transaction.atomic
def call_link_case(*, actor: Any, call: Call, case: Any) -> Call:
    """Record that the call is about a case already open (the case must be visible to the actor)."""
    current = _editable(actor, call)
    case = case_for_link(user=actor, number=case.number)
    if current.case_id == case.pk:
        return current
    if current.case_id:
        raise ValidationError({"case": [_("Cuộc gọi đã gắn với hồ sơ %(number)s.") % {"number": current.case}]})
    old_outcome = current.outcome
    version = current.version
    current.case = case
    current.outcome = Outcome.CASE_LINKED
    _bump(current, version)
    current.save()
    audit_record(actor=actor, action="call.case_linked", obj=current, person_id=case.person_id, changes={
        "case": [None, case.pk], "outcome": [old_outcome, current.outcome], "_version": current.version})
    return current


@transaction.atomic
def call_schedule_follow_up(*, actor: Any, call: Call, follow_up_at: dt.datetime, note: str = "") -> Call:
    """Plan a call back (at a future moment), replacing any earlier plan."""
    current = _editable(actor, call)
    if follow_up_at is None or follow_up_at <= timezone.now():
        raise ValidationError({"follow_up_at": [_("Lịch gọi lại phải ở tương lai.")]})
    old = current.follow_up_at
    version = current.version
    current.follow_up_at = follow_up_at
    current.follow_up_note = (note or "").strip()[:300]
    current.follow_up_done_at = None
    current.follow_up_reminded_at = None  # a new time gets its own reminder
    _bump(current, version)
    current.save()
    audit_record(actor=actor, action="call.follow_up_scheduled", obj=current, changes={
        "follow_up_at": [old, follow_up_at], "follow_up_note": current.follow_up_note,
        "_version": current.version})
    return current


@transaction.atomic
def call_follow_up_done(*, actor: Any, call: Call) -> Call:
    """Record that the planned call back was made."""
    current = _editable(actor, call)
    if not current.follow_up_pending:
        raise ValidationError({"follow_up_at": [_("Cuộc gọi này không có lịch gọi lại đang chờ.")]})
    version = current.version
    current.follow_up_done_at = timezone.now()
    _bump(current, version)
    current.save()
    audit_record(actor=actor, action="call.follow_up_done", obj=current, changes={
        "follow_up_done_at": current.follow_up_done_at, "_version": current.version})
    return current
