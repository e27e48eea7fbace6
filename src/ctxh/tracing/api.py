"""Tracing requests over JSON at /api/v1/tracing, on the same services and scoping as the pages.

Staff only: 403 without ``tracing.view`` (``tracing.manage`` to write), 404 for
a request received in a province the user does not cover. Opening a request is
written to the access log, with each registry candidate shown. A candidate
request of another province comes with its receipt number and province only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.accounts.models import User
from ctxh.geo.models import Commune, Province
from ctxh.people.api import (
    ConflictOut,
    ErrorOut,
    PageQuery,
    PlaceOut,
    StrictIn,
    _actor,
    _check_choice,
    _enum,
)
from ctxh.people.models import DatePrecision, Sex
from ctxh.tracing import selectors, services
from ctxh.tracing.models import (
    CLOSING_STATUSES,
    Relationship,
    ReunificationMethod,
    Source,
    Status,
    TracingRequest,
)

router = Router(tags=["tracing"])


# Shapes ---------------------------------------------------------------------------


class UserOut(Schema):
    id: int
    name: str


class ExplanationOut(Schema):
    code: str
    label: str
    points: int


class PersonRef(Schema):
    id: int
    full_name: str
    birth_year: int | None
    sex: str
    status: str
    province: PlaceOut
    commune: PlaceOut | None


class RequestRef(Schema):
    id: int | None = Field(..., description="Trống nếu yêu cầu thuộc tỉnh bạn không phụ trách.")
    receipt_number: str
    province: str
    sought_name: str | None
    seeker_name: str | None


class MatchOut(Schema):
    id: int
    kind: str
    score: int
    explanation: list[ExplanationOut]
    status: str
    person: PersonRef | None
    other_request: RequestRef | None
    reviewed_by: UserOut | None
    reviewed_at: dt.datetime | None
    review_note: str


class TracingListItem(Schema):
    id: int
    receipt_number: str
    source: str
    status: str
    sought_name: str
    birth_year_from: int | None
    birth_year_to: int | None
    seeker_name: str
    seeker_relationship: str
    last_province: PlaceOut | None
    assigned_to: UserOut | None
    pending_matches: int
    created_at: dt.datetime
    version: int


class TracingOut(TracingListItem):
    province: PlaceOut
    seeker_phone: str
    seeker_email: str
    seeker_address: str
    sought_aliases: str
    sought_sex: str
    birth_precision: str
    last_commune: PlaceOut | None
    last_place_text: str
    last_seen_date: dt.date | None
    last_seen_precision: str
    circumstances: str
    description: str
    person_id: int | None
    consent_at: dt.datetime
    reunified_on: dt.date | None
    reunification_method: str
    outcome_notes: str
    closed_on: dt.date | None
    updated_at: dt.datetime
    matches: list[MatchOut]


class TracingPage(Schema):
    items: list[TracingListItem]
    count: int


class TracingQuery(PageQuery):
    q: str = Field("", description="Số tiếp nhận, tên (có hoặc không dấu) hoặc số điện thoại người tìm.")
    status: str = Field("", json_schema_extra=_enum(["", *Status.values]))
    source: str = Field("", json_schema_extra=_enum(["", *Source.values]))
    assigned: str = Field("", json_schema_extra=_enum(["", "me", "none"]))
    sort: str = Field("-created", json_schema_extra=_enum(list(selectors.SORTS)))


class TracingFields(StrictIn):
    source: str = Field(Source.STAFF.value, json_schema_extra=_enum([Source.STAFF.value, Source.HOTLINE.value]))
    seeker_name: str = Field("", max_length=150)
    seeker_phone: str = Field("", max_length=20)
    seeker_email: str = Field("", max_length=254)
    seeker_address: str = Field("", max_length=200)
    seeker_relationship: str = Field("", json_schema_extra=_enum(Relationship.values))
    sought_name: str = Field("", max_length=150)
    sought_aliases: str = Field("", max_length=300, description="Tên gọi khác, cách nhau bằng dấu phẩy.")
    sought_sex: str = Field(Sex.UNKNOWN.value, json_schema_extra=_enum(Sex.values))
    birth_year_from: int | None = Field(None, description="Năm sinh, hoặc đầu khoảng năm sinh.")
    birth_year_to: int | None = Field(None, description="Cuối khoảng năm sinh (trống: bằng năm đầu).")
    last_province: int | None = Field(None, description="Mã tỉnh/thành phố nơi ở cuối cùng.")
    last_commune: int | None = Field(None, description="Mã xã/phường nơi ở cuối cùng.")
    last_place_text: str = Field("", max_length=300)
    last_seen_date: dt.date | None = Field(None, description="Ngày đầu của kỳ đã biết (năm: 1/1).")
    last_seen_precision: str = Field(DatePrecision.YEAR.value, json_schema_extra=_enum(DatePrecision.values))
    circumstances: str = Field("", max_length=1500)
    description: str = Field("", max_length=1500)
    assigned_to: int | None = Field(None, description="Mã người dùng của cán bộ phụ trách.")


class TracingIn(TracingFields):
    consent: bool = Field(..., description="Người yêu cầu đã đồng ý cho xử lý dữ liệu (bắt buộc true).")


class TracingPatch(TracingFields):
    """Only the fields sent change; ``version`` is the one the client read."""

    version: int


class ReviewIn(StrictIn):
    note: str = Field("", max_length=500)
    version: int = Field(..., description="the request's version as read; 409 if it changed since")


class ReunifyIn(StrictIn):
    reunified_on: dt.date
    method: str = Field(..., json_schema_extra=_enum(ReunificationMethod.values))
    notes: str = Field("", max_length=2000)
    version: int


class CloseIn(StrictIn):
    status: str = Field(..., json_schema_extra=_enum([s.value for s in Status if s in CLOSING_STATUSES]))
    note: str = Field(..., max_length=2000)
    version: int


# Rows out -------------------------------------------------------------------------------


def _place(obj: Any) -> dict[str, Any] | None:
    return {"code": obj.pk, "name": obj.name} if obj is not None else None


def _user(u: Any) -> dict[str, Any] | None:
    return {"id": u.pk, "name": u.full_name or u.username} if u is not None else None


def _item(req: TracingRequest) -> dict[str, Any]:
    return {
        "id": req.pk, "receipt_number": req.receipt_number, "source": req.source, "status": req.status,
        "sought_name": req.sought_name, "birth_year_from": req.birth_year_from, "birth_year_to": req.birth_year_to,
        "seeker_name": req.seeker_name, "seeker_relationship": req.seeker_relationship,
        "last_province": _place(req.last_province), "assigned_to": _user(req.assigned_to),
        "pending_matches": getattr(req, "pending_matches", 0), "created_at": req.created_at, "version": req.version,
    }


def _match(row: selectors.MatchRow) -> dict[str, Any]:
    m = row.match
    person = None
    if row.person is not None:
        p = row.person
        person = {"id": p.pk, "full_name": p.full_name, "birth_year": p.birth_year, "sex": p.sex,
                  "status": p.status, "province": _place(p.province), "commune": _place(p.commune)}
    other = None
    if m.other_request_id:
        o = row.other
        other = {"id": o.pk if o else None, "receipt_number": row.other_receipt, "province": row.other_province,
                 "sought_name": o.sought_name if o else None, "seeker_name": o.seeker_name if o else None}
    return {
        "id": m.pk, "kind": m.kind, "score": m.score, "status": m.status, "person": person, "other_request": other,
        "explanation": [{"code": i.get("code", ""), "label": label, "points": points}
                        for i, (label, points, _head) in zip(m.explanation or [], m.lines, strict=False)],
        "reviewed_by": _user(m.reviewed_by), "reviewed_at": m.reviewed_at, "review_note": m.review_note,
    }


def _detail(user: Any, pk: int, *, purpose: str = "view") -> dict[str, Any]:
    """The request with its candidates; every answer that carries them is a read, written to the access log."""
    req = selectors.request_open(user=user, pk=pk, purpose=purpose)
    rows = selectors.match_rows(user=user, req=req)
    out = _item(req)
    out["pending_matches"] = sum(1 for r in rows if r.match.status == "pending")
    out.update({f: getattr(req, f) for f in (
        "seeker_phone", "seeker_email", "seeker_address", "sought_aliases", "sought_sex", "birth_precision",
        "last_place_text", "last_seen_date", "last_seen_precision", "circumstances", "description", "person_id",
        "consent_at", "reunified_on", "reunification_method", "outcome_notes", "closed_on", "updated_at")})
    out["province"] = _place(req.province)
    out["last_commune"] = _place(req.last_commune)
    out["matches"] = [_match(r) for r in rows]
    return out


def _service_data(payload: TracingFields, *, only_set: bool) -> dict[str, Any]:
    """The payload in the shape the services take; unknown codes reported together."""
    raw = payload.model_dump(exclude_unset=only_set)
    raw.pop("version", None)
    errors: dict[str, list[str]] = {}
    _check_choice("source", raw.get("source", ""), [Source.STAFF.value, Source.HOTLINE.value])
    if "last_province" in raw:
        code = raw["last_province"]
        raw["last_province"] = Province.objects.filter(pk=code).first() if code else None
        if code and raw["last_province"] is None:
            errors["last_province"] = [_("Không có tỉnh/thành phố mã %(code)s.") % {"code": code}]
    if "last_commune" in raw:
        code = raw["last_commune"]
        raw["last_commune"] = Commune.objects.filter(pk=code).first() if code else None
        if code and raw["last_commune"] is None:
            errors["last_commune"] = [_("Không có xã/phường mã %(code)s.") % {"code": code}]
    if "assigned_to" in raw:
        uid = raw["assigned_to"]
        raw["assigned_to"] = User.objects.filter(pk=uid).first() if uid else None
        if uid and raw["assigned_to"] is None:
            errors["assigned_to"] = [_("Không có người dùng mã %(id)s.") % {"id": uid}]
    if errors:
        raise ValidationError(errors)
    return raw


def _manage(request: HttpRequest, tracing_id: int) -> tuple[Any, TracingRequest]:
    user = _actor(request)
    access.require(user, "tracing.view")
    req = selectors.request_get(user=user, pk=tracing_id)
    access.require(user, "tracing.manage")
    return user, req


# Endpoints --------------------------------------------------------------------------------

_READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
_WRITE = {**_READ, 409: ConflictOut, 422: ErrorOut}


@router.get("", response={200: TracingPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def tracing_list(request: HttpRequest, filters: Query[TracingQuery]) -> dict[str, Any]:
    """Requests received in the user's province(s), filtered, newest first by default."""
    user = _actor(request)
    access.require(user, "tracing.view")
    _check_choice("status", filters.status, Status.values)
    _check_choice("source", filters.source, Source.values)
    _check_choice("assigned", filters.assigned, ["me", "none"])
    _check_choice("sort", filters.sort, list(selectors.SORTS))
    qs = selectors.request_list(user=user, filters=selectors.RequestFilters(
        q=filters.q, status=filters.status, source=filters.source, assigned=filters.assigned, sort=filters.sort))
    items = [_item(r) for r in qs[filters.offset: filters.offset + filters.limit]]
    return {"items": items, "count": qs.count()}


@router.post("", response={201: TracingOut, **_WRITE})
def tracing_create(request: HttpRequest, payload: TracingIn) -> tuple[int, dict[str, Any]]:
    """Record a request received by staff or the hotline; matching runs at once."""
    user = _actor(request)
    access.require(user, "tracing.manage")
    data = _service_data(payload, only_set=False)
    req = services.tracing_request_create(actor=user, data=data, source=data.pop("source"))
    return 201, _detail(user, req.pk, purpose="create")


@router.get("/{tracing_id}", response={200: TracingOut, **_READ})
def tracing_detail(request: HttpRequest, tracing_id: int) -> dict[str, Any]:
    """One request with its candidates; the read is written to the access log."""
    user = _actor(request)
    access.require(user, "tracing.view")
    return _detail(user, tracing_id)


@router.patch("/{tracing_id}", response={200: TracingOut, **_WRITE})
def tracing_update(request: HttpRequest, tracing_id: int, payload: TracingPatch) -> dict[str, Any]:
    """Change the fields sent; 409 with what changed if someone saved after ``version``."""
    user, req = _manage(request, tracing_id)
    services.tracing_request_update(actor=user, request=req, data=_service_data(payload, only_set=True),
                                    expected_version=payload.version)
    return _detail(user, tracing_id, purpose="update")


@router.post("/{tracing_id}/rematch", response={200: TracingOut, **_WRITE})
def tracing_rematch(request: HttpRequest, tracing_id: int) -> dict[str, Any]:
    """Run matching again (the registry may have new people)."""
    user, req = _manage(request, tracing_id)
    services.tracing_request_rematch(actor=user, request=req)
    return _detail(user, tracing_id, purpose="rematch")


def _review(request: HttpRequest, tracing_id: int, match_id: int, payload: ReviewIn, *,
            confirm: bool) -> dict[str, Any]:
    user, req = _manage(request, tracing_id)
    match = selectors.match_get(user=user, req=req, pk=match_id)
    review = services.tracing_match_confirm if confirm else services.tracing_match_reject
    review(actor=user, match=match, note=payload.note, expected_version=payload.version)
    return _detail(user, tracing_id, purpose="review")


@router.post("/{tracing_id}/matches/{match_id}/confirm", response={200: TracingOut, **_WRITE})
def tracing_match_confirm(request: HttpRequest, tracing_id: int, match_id: int,
                          payload: ReviewIn) -> dict[str, Any]:
    """The candidate is the one sought (a registry person becomes the request's person); 409 if stale."""
    return _review(request, tracing_id, match_id, payload, confirm=True)


@router.post("/{tracing_id}/matches/{match_id}/reject", response={200: TracingOut, **_WRITE})
def tracing_match_reject(request: HttpRequest, tracing_id: int, match_id: int,
                         payload: ReviewIn) -> dict[str, Any]:
    """The candidate is not the one sought; 409 if the request changed since ``version``."""
    return _review(request, tracing_id, match_id, payload, confirm=False)


@router.post("/{tracing_id}/reunify", response={200: TracingOut, **_WRITE})
def tracing_reunify(request: HttpRequest, tracing_id: int, payload: ReunifyIn) -> dict[str, Any]:
    """Record the reunification (date, how, notes); the request ends as reunified."""
    user, req = _manage(request, tracing_id)
    services.tracing_request_reunify(actor=user, request=req, reunified_on=payload.reunified_on,
                                     method=payload.method, notes=payload.notes, expected_version=payload.version)
    return _detail(user, tracing_id, purpose="reunify")


@router.post("/{tracing_id}/close", response={200: TracingOut, **_WRITE})
def tracing_close(request: HttpRequest, tracing_id: int, payload: CloseIn) -> dict[str, Any]:
    """Close without reunification: not found, or withdrawn by the seeker."""
    user, req = _manage(request, tracing_id)
    services.tracing_request_close(actor=user, request=req, status=payload.status, note=payload.note,
                                   expected_version=payload.version)
    return _detail(user, tracing_id, purpose="close")
