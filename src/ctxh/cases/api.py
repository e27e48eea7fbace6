"""Cases over JSON (mounted at /api/v1/cases), on the same services and scoping as the pages.

Reads go through the selectors (scoped to the user: a case outside it is
404), writes through the services. Errors travel as exceptions to the handlers
in ``ctxh.api.root``: ``ValidationError`` → 422 ``{detail, errors: [{field,
message}]}``, ``ConflictError`` → 409 with what changed, ``PermissionDenied`` →
403, ``Http404`` → 404; no credentials → 401.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from ctxh.accounts import access
from ctxh.cases import selectors, services, workflow
from ctxh.cases.models import (
    Case,
    CaseDeadline,
    CaseType,
    MemberRole,
    Note,
    NoteVisibility,
)
from ctxh.geo.models import Commune
from ctxh.people.api import _actor, _enum
from ctxh.people.selectors import person_get

router = Router(tags=["cases"])

MAX_LIMIT = 200
STATUS_FILTERS = ["open", "closed", "awaiting_approval"]


# Shapes ----------------------------------------------------------------------------------


class StrictIn(Schema):
    """Request bodies refuse unknown fields: a misspelt key must not be dropped silently."""

    model_config = ConfigDict(extra="forbid")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []


class ConflictOut(Schema):
    detail: str
    changes: list[dict[str, str]] = Field(..., description="Những gì người khác đã đổi: [{field, from, to}].")


class CodeName(Schema):
    code: str
    name: str


class PersonRef(Schema):
    id: int
    full_name: str


class UserRef(Schema):
    id: int
    name: str


class DeadlineOut(Schema):
    step: str = Field(..., description="Mã bước được tính hạn.")
    name: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    cancelled: bool
    overdue: bool

    @staticmethod
    def resolve_step(obj: CaseDeadline) -> str:
        return obj.step.code

    @staticmethod
    def resolve_overdue(obj: CaseDeadline) -> bool:
        from django.utils import timezone

        return obj.done_at is None and obj.due_at < timezone.now()


class TransitionOut(Schema):
    code: str
    name: str
    to: str
    requires_reason: bool


def _user_ref(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


class CaseListItem(Schema):
    id: int
    number: str
    type: CodeName
    status: str = Field(..., description="Mã bước hiện tại.")
    status_name: str
    sealed: bool
    person: PersonRef
    commune: CodeName | None
    assigned_to: UserRef | None
    reported_at: dt.datetime
    serious_risk: bool
    next_due_at: dt.datetime | None
    overdue: bool
    closed_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_type(obj: Case) -> dict[str, str]:
        return {"code": obj.case_type.code, "name": obj.case_type.name}

    @staticmethod
    def resolve_status_name(obj: Case) -> str:
        return getattr(obj, "step_name", None) or obj.status

    @staticmethod
    def resolve_commune(obj: Case) -> dict[str, str] | None:
        return {"code": str(obj.commune.pk), "name": obj.commune.name} if obj.commune is not None else None

    @staticmethod
    def resolve_assigned_to(obj: Case) -> dict[str, Any] | None:
        return _user_ref(obj.assigned_to)

    @staticmethod
    def resolve_next_due_at(obj: Case) -> dt.datetime | None:
        return getattr(obj, "next_due_at", None)

    @staticmethod
    def resolve_overdue(obj: Case) -> bool:
        return bool(getattr(obj, "is_overdue", False))


class CasePage(Schema):
    items: list[CaseListItem]
    count: int


class CaseOut(Schema):
    id: int
    number: str
    type: CodeName
    status: str = Field(..., description="Mã bước hiện tại.")
    status_name: str
    sealed: bool
    person: PersonRef
    province: CodeName
    commune: CodeName | None
    summary: str
    source: str
    reported_at: dt.datetime
    serious_risk: bool
    risk_level: str
    assigned_to: UserRef | None
    opened_by: UserRef
    closed_at: dt.datetime | None
    version: int
    deadlines: list[DeadlineOut]
    transitions: list[TransitionOut] = Field(..., description="Các thao tác người gọi được làm ngay bây giờ.")

    @staticmethod
    def resolve_type(obj: Case) -> dict[str, str]:
        return {"code": obj.case_type.code, "name": obj.case_type.name}

    @staticmethod
    def resolve_status_name(obj: Case) -> str:
        return workflow.current_step(obj).name

    @staticmethod
    def resolve_province(obj: Case) -> dict[str, str]:
        return {"code": str(obj.province.pk), "name": obj.province.name}

    @staticmethod
    def resolve_commune(obj: Case) -> dict[str, str] | None:
        return {"code": str(obj.commune.pk), "name": obj.commune.name} if obj.commune is not None else None

    @staticmethod
    def resolve_assigned_to(obj: Case) -> dict[str, Any] | None:
        return _user_ref(obj.assigned_to)

    @staticmethod
    def resolve_opened_by(obj: Case) -> dict[str, Any] | None:
        return _user_ref(obj.opened_by)

    @staticmethod
    def resolve_deadlines(obj: Case, context: dict[str, Any]) -> list[CaseDeadline]:
        return selectors.case_deadlines(user=_actor(context["request"]), case=obj)

    @staticmethod
    def resolve_transitions(obj: Case, context: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"code": t.code, "name": t.name, "to": t.to_step.code, "requires_reason": t.requires_reason}
                for t in workflow.allowed_transitions(obj, _actor(context["request"]))]


class CaseQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Số dòng mỗi trang (tối đa 200).")
    offset: int = Field(0, ge=0, description="Bỏ qua bấy nhiêu dòng đầu.")
    q: str = Field("", description="Số hồ sơ hoặc họ tên đối tượng (có hoặc không dấu).")
    status: str = Field("", description="Mã bước, hoặc open, closed, awaiting_approval.")
    type: str = Field("", description="Mã loại trường hợp.")
    overdue: bool | None = Field(None, description="true: chỉ hồ sơ có bước quá hạn; false: không quá hạn.")
    mine: bool = Field(False, description="Chỉ hồ sơ đang mở mà người gọi thuộc nhóm phụ trách.")
    sort: str = Field("recent", json_schema_extra=_enum(["recent", "due"]))


class CaseIn(StrictIn):
    type: str = Field(..., description="Mã loại trường hợp, ví dụ child_protection.")
    person_id: int
    summary: str
    source: str = Field(..., json_schema_extra=_enum(Case.Source.values))
    reported_at: dt.datetime
    serious_risk: bool = False
    commune: int | None = Field(None, description="Mã xã/phường nơi xảy ra; mặc định theo nơi ở của đối tượng.")
    sealed: bool | None = Field(None, description="true để niêm phong; bỏ trống để hệ thống quyết định theo loại.")


class TransitionIn(StrictIn):
    code: str
    reason: str = ""
    version: int | None = Field(None, description="Phiên bản hồ sơ người gọi đã đọc; khác thì trả 409.")


class NoteOut(Schema):
    id: int
    text: str
    visibility: str
    author: UserRef
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj: Note) -> dict[str, Any] | None:
        return _user_ref(obj.author)


class NoteIn(StrictIn):
    text: str
    visibility: str = Field(NoteVisibility.CASE.value, json_schema_extra=_enum(NoteVisibility.values))


class AssignIn(StrictIn):
    worker_id: int
    role: str = Field(MemberRole.LEAD.value, json_schema_extra=_enum(
        [v for v in MemberRole.values if v != MemberRole.INTAKE]))
    version: int | None = None


class BreakGlassIn(StrictIn):
    reason: str


class BreakGlassOut(Schema):
    case_id: int
    expires_at: dt.datetime


# Helpers -----------------------------------------------------------------------------------


def _require_case_role(user: Any) -> None:
    if not any(access.can(user, c) for c in selectors.CASE_CAPABILITIES):
        raise PermissionDenied(_("Bạn không có quyền xem hồ sơ trường hợp."))


def _case_type(code: str) -> CaseType:
    case_type = CaseType.objects.filter(code=code).first()
    if case_type is None:
        raise ValidationError({"type": [_("Không có loại trường hợp mã “%(code)s”.") % {"code": code}]})
    return case_type


def _commune(code: int | None) -> Commune | None:
    if code is None:
        return None
    commune = Commune.objects.filter(pk=code).first()
    if commune is None:
        raise ValidationError({"commune": [_("Không có xã/phường mã %(code)s.") % {"code": code}]})
    return commune


def _worker(pk: int) -> Any:
    from ctxh.accounts.models import User

    worker = User.objects.filter(pk=pk, is_active=True).first()
    if worker is None:
        raise ValidationError({"worker_id": [_("Không tìm thấy người dùng mã %(id)s.") % {"id": pk}]})
    return worker


# Endpoints ------------------------------------------------------------------------------------


@router.get("", response={200: CasePage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def cases_list(request: HttpRequest, filters: Query[CaseQuery]) -> dict[str, Any]:
    """Cases the user may see (sealed ones only to their team and the directors), one page at a time."""
    user = _actor(request)
    _require_case_role(user)
    if filters.sort not in ("recent", "due"):
        raise ValidationError({"sort": [_("Chọn recent hoặc due.")]})
    qs = selectors.case_list(user=user, status=filters.status or None, case_type=filters.type or None,
                             overdue=filters.overdue, q=filters.q, sort=filters.sort)
    if filters.mine:
        qs = qs.filter(pk__in=selectors.my_cases(user).values("pk"))
    return {"items": list(qs[filters.offset: filters.offset + filters.limit]), "count": qs.count()}


@router.post("", response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def cases_create(request: HttpRequest, payload: CaseIn) -> tuple[int, Case]:
    """Open a case for a person the user covers (the same service as the page and the hotline)."""
    user = _actor(request)
    access.require(user, "case.open")
    errors: dict[str, list[str]] = {}
    try:
        person = person_get(user=user, pk=payload.person_id)
    except Http404:
        errors["person_id"] = [_("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách.")
                               % {"id": payload.person_id}]
    if errors:
        raise ValidationError(errors)
    case = services.case_open(
        actor=user, case_type=_case_type(payload.type), person=person, summary=payload.summary,
        source=payload.source, reported_at=payload.reported_at, serious_risk=payload.serious_risk,
        commune=_commune(payload.commune), sealed=payload.sealed,
    )
    return 201, selectors.case_get(user=user, pk=case.pk)


@router.get("/{case_id}", response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def cases_detail(request: HttpRequest, case_id: int) -> Case:
    """One case with its deadlines; the read is written to the access log."""
    user = _actor(request)
    _require_case_role(user)
    return selectors.case_open_for_read(user=user, pk=case_id)


@router.post("/{case_id}/transitions", response={
    200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def cases_transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> Case:
    """Move the case by a transition of its type's table; an illegal move is 422 with the reason."""
    user = _actor(request)
    _require_case_role(user)
    case = selectors.case_get(user=user, pk=case_id)
    services.case_transition(actor=user, case=case, code=payload.code, reason=payload.reason,
                             expected_version=payload.version)
    return selectors.case_get(user=user, pk=case_id)


@router.get("/{case_id}/notes", response={200: list[NoteOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def cases_notes(request: HttpRequest, case_id: int) -> list[Note]:
    """The case's notes, newest first (team notes only for the team and the directors)."""
    user = _actor(request)
    _require_case_role(user)
    return selectors.case_notes(user=user, case=selectors.case_get(user=user, pk=case_id))


@router.post("/{case_id}/notes", response={201: NoteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                           422: ErrorOut})
def cases_note_add(request: HttpRequest, case_id: int, payload: NoteIn) -> tuple[int, Note]:
    user = _actor(request)
    _require_case_role(user)
    case = selectors.case_get(user=user, pk=case_id)
    return 201, services.note_add(actor=user, case=case, text=payload.text, visibility=payload.visibility)


@router.post("/{case_id}/assign", response={
    200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def cases_assign(request: HttpRequest, case_id: int, payload: AssignIn) -> Case:
    """Put a worker on the case team (directors); a new lead replaces the previous one, history kept."""
    user = _actor(request)
    access.require(user, "case.assign")
    case = selectors.case_get(user=user, pk=case_id)
    services.case_assign(actor=user, case=case, worker=_worker(payload.worker_id), role=payload.role,
                         expected_version=payload.version)
    return selectors.case_get(user=user, pk=case_id)


@router.post("/{case_id}/break-glass", response={201: BreakGlassOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                 422: ErrorOut})
def cases_break_glass(request: HttpRequest, case_id: int, payload: BreakGlassIn) -> tuple[int, dict[str, Any]]:
    """Open a case one is not on, giving a reason: logged and told to the directors; time-limited."""
    user = _actor(request)
    _require_case_role(user)
    access.require(user, "case.work")
    # The service answers 404 for a case outside the user's area, whether or not it exists.
    grant = services.case_break_glass(actor=user, case=Case(pk=case_id), reason=payload.reason)
    return 201, {"case_id": case_id, "expires_at": grant.expires_at}
