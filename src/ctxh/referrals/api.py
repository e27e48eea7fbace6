"""Referrals over JSON at /api/v1/referrals, on the same services and scoping as the pages.

Reads go through the selectors (403 without ``referral.make`` or a provider
membership; 404 for a referral outside the user's scope); moves through the
same services as the pages, with the version the caller read (409 when it
changed). A provider's staff get only the minimum a provider sees: no case,
call or consent details. A link's token is returned once, when it is issued.
Errors travel to the handlers in ``ctxh.api.root``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.people.api import ConflictOut, ErrorOut, StrictIn, _actor, _enum
from ctxh.referrals import selectors, services
from ctxh.referrals.models import Referral, ReferralLink, Status, Urgency

router = Router(tags=["referrals"])

MAX_LIMIT = 200


def _gate(user: Any) -> None:
    if not selectors.may_use_referrals(user):
        raise PermissionDenied(_("Bạn không có quyền xem chuyển gửi."))


# Shapes --------------------------------------------------------------------------------------


class PersonMin(Schema):
    id: int | None = Field(..., description="Mã đối tượng; trống với cán bộ của đơn vị nhận.")
    full_name: str
    sex: str
    age: int | None


class Ref(Schema):
    id: int
    name: str


class LinkOut(Schema):
    id: int
    purpose: str
    created_at: dt.datetime
    expires_at: dt.datetime
    state: str = Field(..., description="active, used, revoked hoặc expired.")
    used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class IssuedLinkOut(LinkOut):
    url: str = Field(..., description="Đường dẫn kèm mã; chỉ trả về một lần, hệ thống không lưu mã.")


class ReferralOut(Schema):
    id: int
    number: str
    status: str
    status_name: str
    urgency: str
    person: PersonMin
    provider: Ref
    services: list[str]
    reason: str
    case_id: int | None
    call_id: int | None
    referred_by: Ref
    sent_at: dt.datetime
    due_on: dt.date
    overdue: bool
    accepted_at: dt.datetime | None
    declined_at: dt.datetime | None
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    decline_reason: str
    provider_note: str
    provider_feedback: str
    cancel_reason: str
    consent_basis: str | None = Field(..., description="consent hoặc emergency; trống với cán bộ đơn vị nhận.")
    emergency_reason: str
    version: int
    links: list[LinkOut] = Field(..., description="Các đường dẫn một lần đã cấp (chỉ phía Trung tâm).")
    issued_link: IssuedLinkOut | None = Field(None, description="Đường dẫn vừa cấp khi tạo (chỉ một lần).")


class ReferralPage(Schema):
    items: list[ReferralOut]
    count: int


class ReferralQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Số dòng mỗi trang (tối đa 200).")
    offset: int = Field(0, ge=0)
    status: str = Field("", json_schema_extra=_enum(Status.values))
    overdue: bool | None = Field(None, description="true: chỉ chuyển gửi quá hạn chưa được trả lời.")
    state: str = Field("", json_schema_extra=_enum(selectors.STATES))
    q: str = Field("", description="Tên đối tượng, tên đơn vị hoặc số CG (có hoặc không dấu).")
    inbox: bool = Field(False, description="Chỉ chuyển gửi đến đơn vị của người gọi.")
    sort: str = Field("recent", json_schema_extra=_enum(list(selectors.SORTS)))


class ReferralIn(StrictIn):
    case_id: int | None = None
    call_id: int | None = None
    person_id: int | None = Field(None, description="Bắt buộc với cuộc gọi có nhiều người; với hồ sơ là đối tượng.")
    provider_id: int
    services: list[str] = Field(default_factory=list, description="Mã dịch vụ (danh mục provider_service).")
    reason: str
    urgency: str = Field(Urgency.ROUTINE.value, json_schema_extra=_enum(Urgency.values))
    emergency: bool = Field(False, description="Khẩn cấp đe dọa tính mạng: chuyển gửi khi chưa có sự đồng ý.")
    emergency_reason: str = ""


class MoveIn(StrictIn):
    version: int | None = Field(None, description="Phiên bản người gọi đã đọc; khác thì trả 409.")
    text: str = Field("", description="Ghi chú; bắt buộc: lý do (decline, cancel), kết quả (complete).")


# Helpers ---------------------------------------------------------------------------------------


def _link(link: ReferralLink) -> dict[str, Any]:
    return {"id": link.pk, "purpose": link.purpose, "created_at": link.created_at, "expires_at": link.expires_at,
            "state": link.state, "used_at": link.used_at, "revoked_at": link.revoked_at}


def _out(r: Referral, centre: bool, issued: Any = None, request: HttpRequest | None = None) -> dict[str, Any]:
    person = r.person
    out: dict[str, Any] = {
        "id": r.pk, "number": r.number, "status": r.status, "status_name": r.get_status_display(),
        "urgency": r.urgency,
        "person": {"id": person.pk if centre else None, "full_name": person.full_name,
                   "sex": person.sex, "age": person.age_on(timezone.localdate())},
        "provider": {"id": r.provider_id, "name": r.provider.name},
        "services": [t.code for t in r.services.all()], "reason": r.reason,
        "case_id": r.case_id if centre else None, "call_id": r.call_id if centre else None,
        "referred_by": {"id": r.referred_by_id, "name": str(r.referred_by)},
        "sent_at": r.sent_at, "due_on": r.due_on, "overdue": r.is_overdue,
        "accepted_at": r.accepted_at, "declined_at": r.declined_at, "started_at": r.started_at,
        "completed_at": r.completed_at, "cancelled_at": r.cancelled_at,
        "decline_reason": r.decline_reason, "provider_note": r.provider_note,
        "provider_feedback": r.provider_feedback, "cancel_reason": r.cancel_reason,
        "consent_basis": r.consent_basis if centre else None,
        "emergency_reason": r.emergency_reason if centre else "",
        "version": r.version,
        "links": [_link(link) for link in r.links.all()] if centre else [],
        "issued_link": None,
    }
    if issued is not None and request is not None:
        out["issued_link"] = {**_link(issued.link), "url": request.build_absolute_uri(issued.path)}
    return out


def _one(request: HttpRequest, pk: int, issued: Any = None) -> dict[str, Any]:
    user = _actor(request)
    referral = selectors.referral_get(user=user, pk=pk)
    return _out(referral, selectors.is_centre_side(user, referral), issued, request)


def _referral(user: Any, pk: int) -> Referral:
    return selectors.referral_get(user=user, pk=pk)


# Endpoints --------------------------------------------------------------------------------------


@router.get("", response={200: ReferralPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def referrals_list(request: HttpRequest, filters: Query[ReferralQuery]) -> dict[str, Any]:
    """Referrals the user may see, newest first; ``overdue=true`` for those still unanswered after their date."""
    user = _actor(request)
    _gate(user)
    errors: dict[str, list[str]] = {}
    if filters.status and filters.status not in Status.values:
        errors["status"] = [_("Trạng thái không hợp lệ.")]
    if filters.state and filters.state not in selectors.STATES:
        errors["state"] = [_("Tình trạng không hợp lệ.")]
    if filters.sort not in selectors.SORTS:
        errors["sort"] = [_("Cách sắp xếp không hợp lệ.")]
    if errors:
        raise ValidationError(errors)
    state = "overdue" if filters.overdue else filters.state
    qs = selectors.referral_list(user=user, status=filters.status, state=state, q=filters.q, inbox=filters.inbox,
                                 sort=filters.sort)
    if filters.overdue is False:
        qs = qs.exclude(pk__in=selectors.referral_list(user=user, state="overdue").values("pk"))
    rows = list(qs.prefetch_related("services", "links")[filters.offset: filters.offset + filters.limit])
    centre = set(Referral.objects.filter(selectors.centre_visible_q(user), pk__in=[r.pk for r in rows])
                 .values_list("pk", flat=True)) if access.can(user, "referral.make") else set()
    return {"items": [_out(r, r.pk in centre) for r in rows], "count": qs.count()}


@router.post("", response={201: ReferralOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def referrals_create(request: HttpRequest, payload: ReferralIn) -> tuple[int, dict[str, Any]]:
    """Send a referral from a case or a call; refused (422, field ``consent``) without the person's consent.

    A provider without a CTXH account gets a one-time link: ``issued_link.url``, returned only now.
    """
    from ctxh.cases.models import Case
    from ctxh.hotline.models import Call
    from ctxh.people.models import Person

    user = _actor(request)
    access.require(user, "referral.make")
    errors: dict[str, list[str]] = {}
    try:
        provider = selectors.provider_for_referral(user=user, pk=payload.provider_id)
    except Http404:
        provider = None
        errors["provider_id"] = [_("Không có đơn vị cung cấp dịch vụ đang hoạt động mã %(id)s.")
                                 % {"id": payload.provider_id}]
    terms = list(selectors.services_in_force().filter(code__in=payload.services))
    missing = sorted(set(payload.services) - {t.code for t in terms})
    if missing:
        errors["services"] = [_("Không có dịch vụ mã: %(codes)s.") % {"codes": ", ".join(missing)}]
    if payload.case_id is None and payload.call_id is None:
        errors["case_id"] = [_("Cần case_id hoặc call_id.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = services.referral_create(
            actor=user, provider=provider, reason=payload.reason,
            case=Case(pk=payload.case_id) if payload.case_id is not None else None,
            call=Call(pk=payload.call_id) if payload.call_id is not None else None,
            person=Person(pk=payload.person_id) if payload.person_id is not None else None,
            services=terms, urgency=payload.urgency,
            emergency=payload.emergency, emergency_reason=payload.emergency_reason)
    return 201, _one(request, referral.pk, getattr(referral, "issued_link", None))


@router.get("/{referral_id}", response={200: ReferralOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def referrals_detail(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    """One referral; the read is written to the access log."""
    user = _actor(request)
    _gate(user)
    referral = selectors.referral_open_for_read(user=user, pk=referral_id)
    return _out(referral, selectors.is_centre_side(user, referral))


def _move(request: HttpRequest, referral_id: int, action: str, payload: MoveIn) -> dict[str, Any]:
    user = _actor(request)
    _gate(user)
    referral = _referral(user, referral_id)
    services.referral_act(actor=user, referral=referral, action=action, text=payload.text,
                          expected_version=payload.version)
    return _one(request, referral_id)


MOVE_RESPONSES = {200: ReferralOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut}


@router.post("/{referral_id}/accept", response=MOVE_RESPONSES)
def referrals_accept(request: HttpRequest, referral_id: int, payload: MoveIn) -> dict[str, Any]:
    """The provider takes the person on (its staff, or the Centre recording a phoned answer)."""
    return _move(request, referral_id, "accept", payload)


@router.post("/{referral_id}/decline", response=MOVE_RESPONSES)
def referrals_decline(request: HttpRequest, referral_id: int, payload: MoveIn) -> dict[str, Any]:
    """The provider cannot take the person; ``text`` is the reason (required)."""
    return _move(request, referral_id, "decline", payload)


@router.post("/{referral_id}/start", response=MOVE_RESPONSES)
def referrals_start(request: HttpRequest, referral_id: int, payload: MoveIn) -> dict[str, Any]:
    return _move(request, referral_id, "start", payload)


@router.post("/{referral_id}/complete", response=MOVE_RESPONSES)
def referrals_complete(request: HttpRequest, referral_id: int, payload: MoveIn) -> dict[str, Any]:
    """The service is done; ``text`` is the outcome (required), shown on the case timeline."""
    return _move(request, referral_id, "complete", payload)


@router.post("/{referral_id}/cancel", response=MOVE_RESPONSES)
def referrals_cancel(request: HttpRequest, referral_id: int, payload: MoveIn) -> dict[str, Any]:
    """The Centre withdraws the referral; ``text`` is the reason (required)."""
    return _move(request, referral_id, "cancel", payload)


@router.post("/{referral_id}/links", response={201: IssuedLinkOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                               422: ErrorOut})
def referrals_link_issue(request: HttpRequest, referral_id: int) -> tuple[int, dict[str, Any]]:
    """A new one-time link (earlier ones still out are revoked); the URL with its token is returned only now."""
    user = _actor(request)
    _gate(user)
    issued = services.referral_link_issue(actor=user, referral=_referral(user, referral_id))
    return 201, {**_link(issued.link), "url": request.build_absolute_uri(issued.path)}


@router.post("/{referral_id}/links/{link_id}/revoke", response={200: LinkOut, 401: ErrorOut, 403: ErrorOut,
                                                                404: ErrorOut, 422: ErrorOut})
def referrals_link_revoke(request: HttpRequest, referral_id: int, link_id: int) -> dict[str, Any]:
    user = _actor(request)
    _gate(user)
    referral = _referral(user, referral_id)
    link = ReferralLink.objects.filter(pk=link_id, referral=referral).first()
    if link is None:
        raise Http404
    return _link(services.referral_link_revoke(actor=user, link=link))
