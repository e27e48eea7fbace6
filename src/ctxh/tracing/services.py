"""Every change to family tracing. Each service validates, writes and audits in one transaction.

Pages, the API and the public form call these. Edits carry the ``version``
the user read; a stale one raises ``ConflictError`` with what changed. Any
change to who or where is sought queues a matching run (``tasks.run_matching``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
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
from ctxh.core.text import fold, given_name, normalize_name, normalize_phone
from ctxh.people.models import DatePrecision, Sex
from ctxh.people.selectors import person_queryset
from ctxh.tracing import selectors
from ctxh.tracing.models import (
    CLOSING_STATUSES,
    TRANSITIONS,
    BirthPrecision,
    MatchStatus,
    PublicSubmission,
    ReceiptCounter,
    Relationship,
    ReunificationMethod,
    Source,
    Status,
    SubmissionOutcome,
    TracingMatch,
    TracingRequest,
)
from ctxh.tracing.tasks import enqueue_matching

# Fields a client may set, in form order.
FIELDS = [
    "source", "seeker_name", "seeker_phone", "seeker_email", "seeker_address", "seeker_relationship",
    "sought_name", "sought_aliases", "sought_sex", "birth_year_from", "birth_year_to",
    "last_province", "last_commune", "last_place_text", "last_seen_date", "last_seen_precision",
    "circumstances", "description", "assigned_to",
]
# A change to any of these can change the candidates.
MATCHING_FIELDS = {
    "seeker_name", "seeker_phone", "seeker_relationship", "sought_name", "sought_aliases", "sought_sex",
    "birth_year_from", "birth_year_to", "last_province", "last_commune", "last_place_text",
}
_TEXT_FIELDS = ("seeker_name", "seeker_email", "seeker_address", "sought_name", "sought_aliases",
                "last_place_text", "circumstances", "description")
# TextField max_length is not checked by full_clean: these are, with the same numbers.
TEXT_LIMITS = {"circumstances": 1500, "description": 1500}
# Oldest birth year accepted, and the widest "born between" range: beyond it the
# range says nothing a reviewer can use (a sanity bound, not a rule of law).
MIN_BIRTH_YEAR = 1900
MAX_BIRTH_RANGE = 30
_FOREIGN_KEYS = {"last_province", "last_commune", "assigned_to", "person"}
_ALIAS_SPLIT = re.compile(r"[,;\n]+")


# Helpers -------------------------------------------------------------------------


def _home_province(actor: Any) -> int:
    """The province of the Centre the staff member works at (a whole-province membership)."""
    roles = access.CAPABILITIES["tracing.manage"]
    for m in access.memberships(actor):
        if m.role in roles and m.whole_province:
            return m.organization.province_id
    raise PermissionDenied(_("Chỉ cán bộ Trung tâm phụ trách toàn tỉnh mới nhận yêu cầu tìm người thân."))


def _aliases(text: str) -> str:
    names = [normalize_name(a) for a in _ALIAS_SPLIT.split(text or "") if a.strip()]
    return ", ".join(dict.fromkeys(names))


def _values(base: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The record's values with ``data`` laid over, tidied (names, phone, aliases, spaces)."""
    values = {**base, **{k: v for k, v in data.items() if k in FIELDS}}
    for key in _TEXT_FIELDS:
        values[key] = (values.get(key) or "").strip()
    values["seeker_name"] = normalize_name(values["seeker_name"])
    values["sought_name"] = normalize_name(values["sought_name"])
    values["sought_aliases"] = _aliases(values["sought_aliases"])
    values["seeker_phone"] = normalize_phone(values.get("seeker_phone"))
    values["seeker_email"] = values["seeker_email"].lower()
    values["sought_sex"] = values.get("sought_sex") or Sex.UNKNOWN
    values["last_seen_precision"] = values.get("last_seen_precision") or DatePrecision.YEAR
    if values.get("birth_year_from") is None and values.get("birth_year_to") is not None:
        values["birth_year_from"] = values["birth_year_to"]
    if values.get("birth_year_to") is None and values.get("birth_year_from") is not None:
        values["birth_year_to"] = values["birth_year_from"]
    commune = values.get("last_commune")
    if commune is not None and values.get("last_province") is None:
        values["last_province"] = commune.province
    return values


def _validate(values: dict[str, Any], *, province_id: int, previous_assignee_id: int | None = None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not values["seeker_name"]:
        add("seeker_name", _("Cần ghi họ tên người tìm."))
    if not values["sought_name"]:
        add("sought_name", _("Cần ghi họ tên người cần tìm."))
    phone = values["seeker_phone"]
    if not phone:
        add("seeker_phone", _("Cần số điện thoại để Trung tâm gọi lại."))
    elif not (phone.startswith("0") and 10 <= len(phone) <= 11):
        add("seeker_phone", _("Số điện thoại không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0)."))
    if values.get("seeker_relationship") not in Relationship.values:
        add("seeker_relationship", _("Chọn quan hệ của người tìm với người cần tìm."))
    if values["sought_sex"] not in Sex.values:
        add("sought_sex", _("Giới tính không hợp lệ."))
    if values.get("source") not in Source.values:
        add("source", _("Nguồn tiếp nhận không hợp lệ."))
    this_year = timezone.localdate().year
    low, high = values.get("birth_year_from"), values.get("birth_year_to")
    if low is not None and high is not None:
        if not (MIN_BIRTH_YEAR <= low <= this_year) or not (MIN_BIRTH_YEAR <= high <= this_year):
            add("birth_year_from", _("Năm sinh phải từ %(low)s đến %(high)s.") % {"low": MIN_BIRTH_YEAR, "high": this_year})
        elif low > high:
            add("birth_year_from", _("Năm sinh “từ” phải không sau năm sinh “đến”."))
        elif high - low > MAX_BIRTH_RANGE:
            add("birth_year_from", _("Khoảng năm sinh quá rộng (tối đa %(n)s năm).") % {"n": MAX_BIRTH_RANGE})
    commune = values.get("last_commune")
    if commune is not None and values.get("last_province") is not None and commune.province_id != values["last_province"].pk:
        add("last_commune", _("Xã/phường không thuộc tỉnh/thành phố đã chọn."))
    for key in ("circumstances", "description"):
        limit = TEXT_LIMITS[key]
        if len(values[key]) > limit:  # a TextField's max_length is not checked by full_clean
            add(key, _("Tối đa %(n)s ký tự.") % {"n": limit})
    seen = values.get("last_seen_date")
    if seen is not None and seen > timezone.localdate():
        add("last_seen_date", _("Thời điểm thất lạc không được ở tương lai."))
    if values["last_seen_precision"] not in DatePrecision.values:
        add("last_seen_precision", _("Độ chính xác thời điểm không hợp lệ."))
    assignee = values.get("assigned_to")
    if assignee is not None and assignee.pk != previous_assignee_id and not selectors.assignable_staff(province_id=province_id).filter(pk=assignee.pk).exists():
        add("assigned_to", _("Người này không phải cán bộ Trung tâm làm công tác tìm người thân của tỉnh."))
    if errors:
        raise ValidationError(errors)


def _apply(req: TracingRequest, values: dict[str, Any]) -> None:
    for key in FIELDS:
        setattr(req, key, values.get(key))
    low = req.birth_year_from
    req.birth_precision = (BirthPrecision.UNKNOWN if low is None
                           else BirthPrecision.YEAR if low == req.birth_year_to else BirthPrecision.RANGE)
    req.seeker_name_folded = fold(req.seeker_name)
    req.seeker_given_folded = fold(given_name(req.seeker_name))
    req.name_folded = fold(req.sought_name)
    req.given_folded = fold(given_name(req.sought_name))
    givens = {req.given_folded} | {fold(given_name(a)) for a in req.aliases}
    req.given_keys = " " + " ".join(sorted(g for g in givens if g)) + " "


def _snapshot(req: TracingRequest) -> dict[str, Any]:
    names = [*FIELDS, "status", "person", "reunified_on", "reunification_method", "outcome_notes", "closed_on"]
    return {f: getattr(req, f"{f}_id" if f in _FOREIGN_KEYS else f) for f in names}


def _next_receipt(year: int) -> str:
    """The next number of the year. The UPDATE locks the counter row until commit."""
    if not ReceiptCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReceiptCounter.objects.create(year=year, last=1)
        except IntegrityError:  # another request created the year's row first
            ReceiptCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ReceiptCounter.objects.get(year=year).last
    return f"TN-{year}-{last:05d}"


def _bump(req: TracingRequest, expected_version: int) -> None:
    """Take the next version or fail if someone saved in between."""
    if not TracingRequest.objects.filter(pk=req.pk, version=expected_version).update(version=F("version") + 1):
        raise ConflictError(_("Yêu cầu vừa được người khác lưu. Hãy tải lại trang."))
    req.version = expected_version + 1


def _check_version(req: TracingRequest, expected_version: int | None) -> None:
    if expected_version is not None and req.version != expected_version:
        raise ConflictError(
            _("Yêu cầu đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi lưu lại."),
            changes_since_version(req, expected_version),
        )


def _writable(actor: Any, req: TracingRequest) -> TracingRequest:
    """The request fresh and locked, if the actor may change it (403 without the capability, 404 outside)."""
    access.require(actor, "tracing.manage")
    current = selectors.request_get(user=actor, pk=req.pk)
    return TracingRequest.objects.select_for_update().select_related("province").get(pk=current.pk)


def _move(req: TracingRequest, to: str) -> None:
    if to not in TRANSITIONS.get(req.status, set()):
        raise ValidationError({"status": [_("Không thể chuyển yêu cầu từ “%(a)s” sang “%(b)s”.") % {
            "a": req.get_status_display(), "b": Status(to).label}]})
    req.status = to


# Creating and editing ------------------------------------------------------------------


def _create(*, actor: Any, data: dict[str, Any], province_id: int, source: str) -> TracingRequest:
    if not data.get("consent"):
        raise ValidationError({"consent": [_(
            "Cần có sự đồng ý của người yêu cầu cho việc xử lý thông tin để tìm người thân.")]})
    values = _values({"source": source}, {**data, "source": source})
    _validate(values, province_id=province_id)
    now = timezone.now()
    req = TracingRequest(province_id=province_id, consent_at=now, created_by=actor if getattr(actor, "pk", None) else None)
    _apply(req, values)
    if req.assigned_to_id:
        req.status = Status.SEARCHING
    req.receipt_number = _next_receipt(timezone.localdate().year)
    req.full_clean()
    req.save()
    audit_record(actor=actor, action="tracing.created", obj=req, person_id=None, changes={
        **{k: v for k, v in _snapshot(req).items() if v not in (None, "")}, "_version": req.version})
    enqueue_matching(req.pk)
    return req


@transaction.atomic
def tracing_request_create(
    *, actor: Any, data: dict[str, Any], source: str = Source.STAFF, province_id: int | None = None,
) -> TracingRequest:
    """Record a request received by staff (in person or by the hotline)."""
    access.require(actor, "tracing.manage")
    if source == Source.PUBLIC:
        raise ValidationError({"source": [_("Yêu cầu từ biểu mẫu công khai chỉ đến qua trang công khai.")]})
    if province_id is None:
        province_id = _home_province(actor)
    elif province_id not in access.coverage(actor).provinces:
        raise ValidationError({"province": [_("Bạn không phụ trách tỉnh/thành phố này.")]})
    return _create(actor=actor, data=data, province_id=province_id, source=source)


@transaction.atomic
def tracing_request_submit_public(*, data: dict[str, Any], ip_hash: str) -> TracingRequest:
    """A request from the public form, received by this installation's Centre.

    The submitter chooses no staff, status or source; the rate-limit log counts
    the submission under the hash of the client address.
    """
    allowed = {k: v for k, v in data.items() if k in FIELDS and k not in ("source", "assigned_to", "last_commune")}
    req = _create(actor=None, data={**allowed, "consent": data.get("consent")},
                  province_id=settings.CTXH_PROVINCE_CODE, source=Source.PUBLIC)
    public_submission_record(ip_hash=ip_hash, outcome=SubmissionOutcome.ACCEPTED)
    return req


@transaction.atomic
def tracing_request_update(
    *, actor: Any, request: TracingRequest, data: dict[str, Any], expected_version: int,
) -> TracingRequest:
    """Change the fields in ``data`` unless someone saved the request since ``expected_version``."""
    req = _writable(actor, request)
    _check_version(req, expected_version)
    if "source" in data and data["source"] != req.source and Source.PUBLIC in (data["source"], req.source):
        raise ValidationError({"source": [_("Nguồn “biểu mẫu công khai” không đổi được.")]})
    before = _snapshot(req)
    base = {f: getattr(req, f) for f in FIELDS}
    values = _values(base, data)
    _validate(values, province_id=req.province_id, previous_assignee_id=req.assigned_to_id)
    _apply(req, values)
    if req.assigned_to_id and req.status == Status.NEW:
        req.status = Status.SEARCHING
    req.full_clean()
    changes = diff(before, _snapshot(req))
    if not changes:
        return req
    if not req.is_open and set(changes) - {"assigned_to"}:
        raise ValidationError(_("Yêu cầu đã kết thúc; chỉ còn đổi được cán bộ phụ trách."))
    _bump(req, expected_version)
    req.save()
    audit_record(actor=actor, action="tracing.updated", obj=req, person_id=req.person_id,
                 changes={**changes, "_version": req.version})
    if MATCHING_FIELDS & set(changes):
        enqueue_matching(req.pk)
    return req


@transaction.atomic
def tracing_request_rematch(*, actor: Any, request: TracingRequest) -> TracingRequest:
    """Run matching again now (new people may have been registered since)."""
    req = _writable(actor, request)
    if not req.is_open:
        raise ValidationError(_("Yêu cầu đã kết thúc nên không đối chiếu nữa."))
    audit_record(actor=actor, action="tracing.rematch_requested", obj=req, person_id=req.person_id)
    enqueue_matching(req.pk)
    return req


# Candidates ---------------------------------------------------------------------------


def _match_for(actor: Any, req: TracingRequest, match: TracingMatch) -> TracingMatch:
    if match.request_id != req.pk:
        raise Http404
    selectors.match_get(user=actor, req=req, pk=match.pk)  # 404 for a hidden person
    return TracingMatch.objects.select_for_update().get(pk=match.pk)


@transaction.atomic
def tracing_match_confirm(*, actor: Any, match: TracingMatch, expected_version: int, note: str = "") -> TracingMatch:
    """Staff are satisfied the candidate is the one sought (a person) or a related request.

    A registry person becomes the request's ``person``; an open request moves to
    "candidate found". Refused if the request changed since ``expected_version``.
    """
    req = _writable(actor, match.request)
    match = _match_for(actor, req, match)
    _check_version(req, expected_version)
    if not req.is_open:
        raise ValidationError(_("Yêu cầu đã kết thúc; không xác nhận thêm ứng viên."))
    if match.status == MatchStatus.CONFIRMED:
        return match
    before = _snapshot(req)
    if match.person_id:
        if req.matches.filter(status=MatchStatus.CONFIRMED, person__isnull=False).exists():
            raise ValidationError(_("Yêu cầu đã có một người được xác nhận; hãy bỏ xác nhận người đó trước."))
        if not person_queryset(user=actor).filter(pk=match.person_id).exists():
            raise Http404
        req.person_id = match.person_id
    match.status = MatchStatus.CONFIRMED
    match.reviewed_by, match.reviewed_at = actor, timezone.now()
    match.review_note = (note or "").strip()[:500]
    match.full_clean()
    match.save()
    if req.status in (Status.NEW, Status.SEARCHING):
        _move(req, Status.CANDIDATE_FOUND)
    _bump(req, expected_version)
    req.save()
    audit_record(actor=actor, action="tracing.match_confirmed", obj=req, person_id=match.person_id, changes={
        **diff(before, _snapshot(req)), "match": match.pk, "score": match.score, "_version": req.version})
    return match


@transaction.atomic
def tracing_match_reject(*, actor: Any, match: TracingMatch, expected_version: int, note: str = "") -> TracingMatch:
    """Staff found the candidate is not the one sought; a confirmed person is taken off the request.

    Refused if the request changed since ``expected_version``.
    """
    req = _writable(actor, match.request)
    match = _match_for(actor, req, match)
    _check_version(req, expected_version)
    if match.status == MatchStatus.REJECTED:
        return match
    before = _snapshot(req)
    was_confirmed = match.status == MatchStatus.CONFIRMED
    match.status = MatchStatus.REJECTED
    match.reviewed_by, match.reviewed_at = actor, timezone.now()
    match.review_note = (note or "").strip()[:500]
    match.save()
    if was_confirmed and match.person_id and req.person_id == match.person_id:
        req.person = None
    if was_confirmed and req.status == Status.CANDIDATE_FOUND and \
            not req.matches.filter(status=MatchStatus.CONFIRMED).exists():
        _move(req, Status.SEARCHING)
    changes = diff(before, _snapshot(req))
    if changes:
        _bump(req, expected_version)
        req.save()
    audit_record(actor=actor, action="tracing.match_rejected", obj=req, person_id=match.person_id, changes={
        **changes, "match": match.pk, "score": match.score, "_version": req.version})
    return match


# Outcomes -------------------------------------------------------------------------------


@transaction.atomic
def tracing_request_reunify(
    *, actor: Any, request: TracingRequest, reunified_on: dt.date, method: str, notes: str = "",
    expected_version: int,
) -> TracingRequest:
    """Record that the families found each other: the date, how, and notes."""
    req = _writable(actor, request)
    _check_version(req, expected_version)
    errors: dict[str, list[str]] = {}
    if reunified_on is None:
        errors["reunified_on"] = [_("Cần ghi ngày đoàn tụ.")]
    elif reunified_on > timezone.localdate():
        errors["reunified_on"] = [_("Ngày đoàn tụ không được ở tương lai.")]
    elif reunified_on < timezone.localtime(req.created_at).date():
        errors["reunified_on"] = [_("Ngày đoàn tụ không được trước ngày tiếp nhận yêu cầu.")]
    if method not in ReunificationMethod.values:
        errors["method"] = [_("Chọn hình thức đoàn tụ.")]
    if errors:
        raise ValidationError(errors)
    before = _snapshot(req)
    _move(req, Status.REUNIFIED)
    req.reunified_on, req.reunification_method = reunified_on, method
    req.outcome_notes = (notes or "").strip()[:2000]
    req.closed_on = reunified_on
    req.full_clean()
    _bump(req, expected_version)
    req.save()
    audit_record(actor=actor, action="tracing.reunified", obj=req, person_id=req.person_id,
                 changes={**diff(before, _snapshot(req)), "_version": req.version})
    return req


@transaction.atomic
def tracing_request_close(
    *, actor: Any, request: TracingRequest, status: str, note: str, expected_version: int,
) -> TracingRequest:
    """Close without reunification: not found after searching, or withdrawn by the seeker."""
    req = _writable(actor, request)
    _check_version(req, expected_version)
    if status not in CLOSING_STATUSES:
        raise ValidationError({"status": [_("Chọn cách đóng yêu cầu.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Cần ghi lý do đóng yêu cầu.")]})
    before = _snapshot(req)
    _move(req, status)
    req.outcome_notes = note.strip()[:2000]
    req.closed_on = timezone.localdate()
    req.full_clean()
    _bump(req, expected_version)
    req.save()
    audit_record(actor=actor, action="tracing.closed", obj=req, person_id=req.person_id,
                 changes={**diff(before, _snapshot(req)), "_version": req.version})
    return req


# The public form's log -----------------------------------------------------------------------


def public_submission_record(*, ip_hash: str, outcome: str) -> PublicSubmission:
    """Count one submission for the rate limit; rows older than a day are dropped (data minimisation)."""
    PublicSubmission.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    return PublicSubmission.objects.create(ip_hash=ip_hash, outcome=outcome)
