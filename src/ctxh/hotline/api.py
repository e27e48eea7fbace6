"""Calls over JSON at /api/v1/calls, on the same services and scoping as the pages.

Reads go through the selectors (scoped: 403 without ``call.view``, 404 for a
call outside the user's area); writes through the services. A call linked to a
sealed case the user is outside of comes back with ``content_hidden: true`` and
no summary, caller or people. Errors travel to the handlers in ``ctxh.api.root``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.core.models import Term
from ctxh.hotline import selectors, services
from ctxh.hotline.models import (
    TOPIC_VOCABULARY,
    Call,
    CallerRelation,
    Channel,
    HotlineLine,
    Outcome,
    SubjectRole,
    Urgency,
)
from ctxh.people.api import (
    ConflictOut,
    ErrorOut,
    PageQuery,
    PlaceOut,
    StrictIn,
    TermOut,
    _actor,
    _check_choice,
    _enum,
)
from ctxh.people.models import Person

router = Router(tags=["hotline"])


# Shapes ------------------------------------------------------------------------


class UserOut(Schema):
    id: int
    name: str


class SubjectOut(Schema):
    person_id: int
    full_name: str
    role: str


class CaseRef(Schema):
    id: int
    number: str


class CallListItem(Schema):
    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    channel: str
    line: str | None = Field(..., description="Số tổng đài (với kênh điện thoại).")
    counsellor: UserOut
    urgency: str
    outcome: str
    topics: list[TermOut]
    content_hidden: bool = Field(..., description="Gắn với hồ sơ niêm phong mà bạn không thuộc nhóm phụ trách.")
    subjects: list[SubjectOut] | None
    summary: str | None
    case: CaseRef | None
    follow_up_at: dt.datetime | None
    follow_up_done_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_line(obj: Call) -> str | None:
        return obj.line.number if obj.line_id and obj.line is not None else None

    @staticmethod
    def resolve_counsellor(obj: Call) -> dict[str, Any]:
        return {"id": obj.counsellor_id, "name": obj.counsellor.full_name or obj.counsellor.username}

    @staticmethod
    def resolve_topics(obj: Call) -> list[dict[str, str]]:
        return [t.as_dict() for t in obj.topics.all()]

    @staticmethod
    def resolve_content_hidden(obj: Call) -> bool:
        return bool(getattr(obj, "content_hidden", False))

    @staticmethod
    def resolve_subjects(obj: Call) -> list[dict[str, Any]] | None:
        if getattr(obj, "content_hidden", False):
            return None
        return [{"person_id": s.person_id, "full_name": s.person.full_name, "role": s.role}
                for s in obj.call_subjects.all()]

    @staticmethod
    def resolve_summary(obj: Call) -> str | None:
        return None if getattr(obj, "content_hidden", False) else obj.summary

    @staticmethod
    def resolve_case(obj: Call) -> dict[str, Any] | None:
        if obj.case is None or getattr(obj, "content_hidden", False):
            return None
        return {"id": obj.case.pk, "number": obj.case.number}


class CallOut(CallListItem):
    caller_anonymous: bool
    caller_id: int | None
    caller_name: str | None
    caller_phone: str | None
    caller_relation: str
    referred_to: str
    follow_up_note: str
    province: PlaceOut
    commune: PlaceOut | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_caller_id(obj: Call) -> int | None:
        return None if getattr(obj, "content_hidden", False) else obj.caller_id

    @staticmethod
    def resolve_caller_name(obj: Call) -> str | None:
        return None if getattr(obj, "content_hidden", False) else obj.caller_name

    @staticmethod
    def resolve_caller_phone(obj: Call) -> str | None:
        return None if getattr(obj, "content_hidden", False) else obj.caller_phone

    @staticmethod
    def resolve_province(obj: Call) -> dict[str, Any]:
        return {"code": obj.province_id, "name": obj.province.name}

    @staticmethod
    def resolve_commune(obj: Call) -> dict[str, Any] | None:
        return {"code": obj.commune.pk, "name": obj.commune.name} if obj.commune is not None else None


class CallPage(Schema):
    items: list[CallListItem]
    count: int


class CallQuery(PageQuery):
    date_from: dt.date | None = Field(None, description="Bắt đầu từ ngày (giờ Việt Nam).")
    date_to: dt.date | None = Field(None, description="Đến hết ngày.")
    counsellor: int | None = Field(None, description="Mã người dùng của tư vấn viên.")
    topic: str = Field("", description="Mã chủ đề (danh mục call_topic); chủ đề cấp 1 gồm cả chủ đề con.")
    outcome: str = Field("", json_schema_extra=_enum(["", *Outcome.values]))
    urgency: str = Field("", json_schema_extra=_enum(["", *Urgency.values]))
    status: str = Field("", json_schema_extra=_enum(["", *selectors.STATUSES]))
    sort: str = Field("-started", json_schema_extra=_enum(list(selectors.SORTS)))


class SubjectIn(StrictIn):
    person_id: int
    role: str = Field(SubjectRole.SUBJECT.value, json_schema_extra=_enum(SubjectRole.values))


class CallFields(StrictIn):
    """Fields a client may set; codes for the line (its number) and topics."""

    channel: str = Field(Channel.PHONE.value, json_schema_extra=_enum(Channel.values))
    line: str | None = Field(None, description="Số tổng đài, ví dụ “111” hoặc “1800 1769”.")
    caller_anonymous: bool = False
    caller_id: int | None = Field(None, description="Mã đối tượng của người gọi (nếu đã có hồ sơ).")
    caller_name: str = ""
    caller_phone: str = ""
    caller_relation: str = Field("", json_schema_extra=_enum(["", *CallerRelation.values]))
    subjects: list[SubjectIn] = []
    topics: list[str] = Field([], description="Mã chủ đề (danh mục call_topic).")
    urgency: str = Field(Urgency.NORMAL.value, json_schema_extra=_enum(Urgency.values))
    summary: str = ""
    outcome: str = Field("", json_schema_extra=_enum(["", *Outcome.values]))
    referred_to: str = ""
    follow_up_at: dt.datetime | None = None
    follow_up_note: str = ""


class CallIn(CallFields):
    started_at: dt.datetime | None = Field(None, description="Mặc định là lúc gửi.")
    ended_at: dt.datetime | None = Field(None, description="Có giá trị thì cuộc gọi được kết thúc luôn.")
    end: bool = Field(False, description="Kết thúc cuộc gọi ngay (lúc gửi) sau khi ghi.")


class CallPatch(CallFields):
    """Only the fields sent change; ``version`` is the one the client read."""

    version: int


class EndIn(StrictIn):
    version: int | None = None
    ended_at: dt.datetime | None = None


class OpenCaseIn(StrictIn):
    case_type: str = Field(..., description="Mã loại trường hợp.")
    person_id: int = Field(..., description="Một người được nói đến trong cuộc gọi.")
    serious_risk: bool = False
    sealed: bool | None = None


class LinkCaseIn(StrictIn):
    case_number: str


class FollowUpIn(StrictIn):
    follow_up_at: dt.datetime
    note: str = ""


# Codes in, rows out -----------------------------------------------------------


def _service_data(user: Any, payload: CallFields, *, only_set: bool) -> dict[str, Any]:
    """The payload in the shape ``call_save`` takes; unknown codes reported together."""
    raw = payload.model_dump(exclude_unset=only_set)
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key in ("channel", "caller_anonymous", "caller_name", "caller_phone", "caller_relation", "urgency",
                "summary", "outcome", "referred_to", "follow_up_at", "follow_up_note"):
        if key in raw:
            out[key] = raw[key]
    if "line" in raw:
        out["line"] = None
        if raw["line"]:
            line = HotlineLine.objects.filter(number=raw["line"].strip()).first()
            if line is None:
                errors["line"] = [_("Không có đầu số “%(code)s”.") % {"code": raw["line"]}]
            out["line"] = line
    if "caller_id" in raw:
        out["caller"] = None
        if raw["caller_id"]:
            person = selectors.persons_by_id(user=user, ids=[raw["caller_id"]]).get(raw["caller_id"])
            if person is None:
                errors["caller_id"] = [_("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách.")
                                       % {"id": raw["caller_id"]}]
            out["caller"] = person
    if "subjects" in raw:
        out["subjects"] = [(s["person_id"], s["role"]) for s in raw["subjects"]]
    if "topics" in raw:
        codes = list(dict.fromkeys(raw["topics"]))
        terms = {t.code: t for t in Term.objects.of(TOPIC_VOCABULARY).filter(code__in=codes)}
        missing = [c for c in codes if c not in terms]
        if missing:
            errors["topics"] = [_("Không có chủ đề mã “%(code)s”.") % {"code": c} for c in missing]
        out["topics"] = [terms[c] for c in codes if c in terms]
    if errors:
        raise ValidationError(errors)
    return out


def _shown(user: Any, call: Call) -> Call:
    call.content_hidden = not selectors.content_visible(user=user, call=call)  # type: ignore[attr-defined]
    return call


def _reload(user: Any, call: Call) -> Call:
    return _shown(user, selectors.call_get(user=user, pk=call.pk))


def _writable(request: HttpRequest, call_id: int) -> tuple[Any, Call]:
    user = _actor(request)
    access.require(user, "call.view")
    call = selectors.call_get(user=user, pk=call_id)
    access.require(user, "call.log")
    if not selectors.can_edit(user=user, call=call):
        raise PermissionDenied(_("Chỉ tư vấn viên đã nhận cuộc gọi (hoặc lãnh đạo, khi cuộc gọi đã kết thúc) mới được sửa."))
    return user, call


# Endpoints ------------------------------------------------------------------------


@router.get("", response={200: CallPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def calls_list(request: HttpRequest, filters: Query[CallQuery]) -> dict[str, Any]:
    """Calls in the user's area, filtered, one page at a time (newest first by default)."""
    user = _actor(request)
    access.require(user, "call.view")
    _check_choice("outcome", filters.outcome, Outcome.values)
    _check_choice("urgency", filters.urgency, Urgency.values)
    _check_choice("status", filters.status, selectors.STATUSES)
    _check_choice("sort", filters.sort, list(selectors.SORTS))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"date_to": [_("“Đến ngày” phải sau “Từ ngày”.")]})
    qs = selectors.call_list(user=user, filters=selectors.CallFilters(
        date_from=filters.date_from, date_to=filters.date_to, counsellor=filters.counsellor,
        topic=filters.topic, outcome=filters.outcome, urgency=filters.urgency, status=filters.status,
        sort=filters.sort,
    ))
    items = list(qs[filters.offset : filters.offset + filters.limit])
    hidden = selectors.hidden_content_ids(user=user, calls=items)
    for call in items:
        call.content_hidden = call.pk in hidden  # type: ignore[attr-defined]
    return {"items": items, "count": qs.count()}


@router.post("", response={201: CallOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def calls_create(request: HttpRequest, payload: CallIn) -> tuple[int, Call]:
    """Record a call (started now or at ``started_at``); with ``end`` or ``ended_at`` it is ended too."""
    user = _actor(request)
    access.require(user, "call.log")
    data = _service_data(user, payload, only_set=False)
    with transaction.atomic():
        call = services.call_start(actor=user, channel=data.get("channel", Channel.PHONE),
                                   line=data.get("line"), started_at=payload.started_at, resume=False)
        call = services.call_save(actor=user, call=call, data=data, expected_version=call.version)
        if payload.end or payload.ended_at:
            call = services.call_end(actor=user, call=call, ended_at=payload.ended_at)
    return 201, _reload(user, call)


@router.get("/{call_id}", response={200: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def calls_detail(request: HttpRequest, call_id: int) -> Call:
    """One call; opening it is written to the access log (one row per person it is about)."""
    user = _actor(request)
    access.require(user, "call.view")
    return _shown(user, selectors.call_open(user=user, pk=call_id))


@router.patch("/{call_id}", response={
    200: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut,
})
def calls_update(request: HttpRequest, call_id: int, payload: CallPatch) -> Call:
    """Change the fields sent; 409 with what changed if someone saved after ``version``."""
    user, call = _writable(request, call_id)
    data = _service_data(user, payload, only_set=True)
    call = services.call_save(actor=user, call=call, data=data, expected_version=payload.version)
    return _reload(user, call)


@router.post("/{call_id}/end", response={
    200: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut,
})
def calls_end(request: HttpRequest, call_id: int, payload: Body[EndIn | None] = None) -> Call:
    """End an open call (it needs an outcome, and a summary and topics unless nothing was said)."""
    user, call = _writable(request, call_id)
    call = services.call_end(actor=user, call=call, expected_version=payload.version if payload else None,
                             ended_at=payload.ended_at if payload else None)
    return _reload(user, call)


@router.post("/{call_id}/open-case", response={
    201: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
})
def calls_open_case(request: HttpRequest, call_id: int, payload: OpenCaseIn) -> tuple[int, Call]:
    """Open a case from the call: the person and the summary carry over; the call points to it."""
    user, call = _writable(request, call_id)
    access.require(user, "case.open")
    from ctxh.hotline.forms import case_types_in_force

    case_type = case_types_in_force().filter(code=payload.case_type).first()
    if case_type is None:
        raise ValidationError({"case_type": [_("Không có loại trường hợp mã “%(code)s”.") % {"code": payload.case_type}]})
    person = selectors.persons_by_id(user=user, ids=[payload.person_id]).get(payload.person_id)
    if person is None:
        person = Person(pk=payload.person_id)  # the service names the error (not among the call's people)
    services.call_open_case(actor=user, call=call, case_type=case_type, person=person,
                            serious_risk=payload.serious_risk, sealed=payload.sealed)
    return 201, _reload(user, call)


@router.post("/{call_id}/link-case", response={200: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def calls_link_case(request: HttpRequest, call_id: int, payload: LinkCaseIn) -> Call:
    """Link the call to a case already open (by its number)."""
    user, call = _writable(request, call_id)
    try:
        case = selectors.case_for_link(user=user, number=payload.case_number)
    except Http404:
        raise ValidationError({"case_number": [_("Không tìm thấy hồ sơ số này trong phạm vi bạn được xem.")]}) from None
    call = services.call_link_case(actor=user, call=call, case=case)
    return _reload(user, call)


@router.post("/{call_id}/follow-up", response={200: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def calls_follow_up(request: HttpRequest, call_id: int, payload: FollowUpIn) -> Call:
    """Plan a call back."""
    user, call = _writable(request, call_id)
    call = services.call_schedule_follow_up(actor=user, call=call, follow_up_at=payload.follow_up_at,
                                            note=payload.note)
    return _reload(user, call)


@router.post("/{call_id}/follow-up/done", response={200: CallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def calls_follow_up_done(request: HttpRequest, call_id: int) -> Call:
    """Record that the planned call back was made."""
    user, call = _writable(request, call_id)
    call = services.call_follow_up_done(actor=user, call=call)
    return _reload(user, call)
