"""Entitlements, decisions and payment lists over JSON at /api/v1/entitlements and /api/v1/payment-lists.

The same selectors (scoped: 403 without ``entitlement.view``, 404 outside the
user's communes) and the same services as the pages. A closed list refuses
every change with 409 (``ListClosed``); corrections are made with
``POST /payment-lists/{id}/corrections``. (``/entitlements/check`` is the
eligibility engine's router, mounted apart.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.assistance import selectors, services
from ctxh.assistance.forms import parse_month
from ctxh.assistance.models import (
    Decision,
    Entitlement,
    PaymentLine,
    PaymentList,
    PaymentMethod,
    Scheme,
    StopReason,
)
from ctxh.core.rules import RuleMissing
from ctxh.geo.models import Commune
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

router = Router(tags=["entitlements"])
payments_router = Router(tags=["payment-lists"])

LINES_MAX = 1000


def _month(field: str, value: str | None) -> dt.date | None:
    try:
        return parse_month(value or "")
    except ValueError:
        raise ValidationError({field: [_("Tháng phải theo dạng YYYY-MM, ví dụ 2024-07.")]}) from None


def _commune(user: Any, code: int | None, field: str = "commune") -> Commune | None:
    if code is None:
        return None
    commune = Commune.objects.filter(pk=code).first()
    if commune is None or not selectors.covers(user, province_id=commune.province_id, commune_id=commune.pk):
        raise ValidationError({field: [_("Không có xã/phường mã %(code)s trong phạm vi bạn phụ trách.")
                                       % {"code": code}]})
    return commune


# Shapes ------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    full_name: str
    birth: str


class DecisionOut(Schema):
    id: int
    number: str
    kind: str
    signed_on: dt.date
    signer_name: str
    signer_title: str
    effective_on: dt.date
    commune: PlaceOut
    summary: str

    @staticmethod
    def resolve_commune(obj: Decision) -> dict[str, Any]:
        return {"code": obj.commune_id, "name": obj.commune.name}


class EntitlementOut(Schema):
    id: int
    person: PersonRef
    scheme: str
    group_code: str
    label: str
    coefficient: Decimal
    base_rule_key: str = Field(..., description="Mức hằng tháng = giá trị quy định này (ngày 1 của tháng) × hệ số.")
    commune: PlaceOut
    payment_method: str
    bank_account: str
    bank_name: str
    status: str
    proposed_on: dt.date | None
    start_on: dt.date | None
    stop_on: dt.date | None
    stop_reason: str
    start_decision: DecisionOut | None
    stop_decision: DecisionOut | None
    version: int

    @staticmethod
    def resolve_person(obj: Entitlement) -> dict[str, Any]:
        return {"id": obj.person_id, "full_name": obj.person.full_name, "birth": obj.person.birth_display}

    @staticmethod
    def resolve_commune(obj: Entitlement) -> dict[str, Any]:
        return {"code": obj.commune_id, "name": obj.commune.name}


class EntitlementDetailOut(EntitlementOut):
    monthly_amount: int | None = Field(None, description="Mức tháng này theo quy định đang có hiệu lực.")
    reasoning: list[str]
    proposal_note: str
    stop_note: str
    rejection_reason: str


class EntitlementPage(Schema):
    items: list[EntitlementOut]
    count: int


class DecisionPage(Schema):
    items: list[DecisionOut]
    count: int


class EntitlementQuery(PageQuery):
    q: str = Field("", description="Tên (có hoặc không dấu) hoặc đầu số CCCD.")
    commune: int | None = Field(None, description="Mã xã/phường (5 chữ số).")
    scheme: str = Field("", json_schema_extra=_enum(["", *Scheme.values]))
    status: str = Field("", json_schema_extra=_enum(["", *Entitlement.Status.values]))
    group: str = Field("", description="Mã diện hưởng (hoặc phần đầu của mã).")
    sort: str = Field("name", json_schema_extra=_enum(list(selectors.ENTITLEMENT_SORTS)))


class DecisionQuery(PageQuery):
    q: str = ""
    commune: int | None = None
    kind: str = Field("", json_schema_extra=_enum(["", *Decision.Kind.values]))
    year: int | None = None


class DecisionIn(StrictIn):
    number: str
    signed_on: dt.date
    signer_name: str
    signer_title: str = Field("", description="Để trống: chức vụ theo quy định tại ngày ký.")
    effective_on: dt.date | None = Field(None, description="Để trống: ngày ký.")
    summary: str = ""


class ProposeIn(StrictIn):
    person_id: int
    group: str = Field(..., description="Mã diện trong kết quả xét (paid) của /entitlements/check.")
    on: dt.date | None = Field(None, description="Ngày xét; mặc định hôm nay.")
    commune: int | None = Field(None, description="Xã/phường chi trả; mặc định nơi ở của người đó.")
    payment_method: str = Field(PaymentMethod.CASH.value, json_schema_extra=_enum(PaymentMethod.values))
    bank_account: str = ""
    bank_name: str = ""
    note: str = ""


class DecideIn(StrictIn):
    approve: bool
    decision: DecisionIn | None = None
    reason: str = Field("", description="Bắt buộc khi không đồng ý.")
    version: int | None = None


class StopIn(StrictIn):
    reason: str = Field(..., json_schema_extra=_enum(StopReason.values))
    stop_on: dt.date = Field(..., description="Ngày mất, ngày chuyển đi…: vẫn chi tháng này, thôi từ tháng sau.")
    note: str = ""
    decision: DecisionIn
    version: int | None = None


# Entitlements ------------------------------------------------------------------


def _detail(ent: Entitlement) -> Entitlement:
    try:
        ent.monthly_amount = services.monthly_amount(ent, timezone.localdate())  # type: ignore[attr-defined]
    except RuleMissing:  # no rule row in force: shown as null
        ent.monthly_amount = None  # type: ignore[attr-defined]
    return ent


@router.get("", response={200: EntitlementPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def entitlements_list(request: HttpRequest, filters: Query[EntitlementQuery]) -> dict[str, Any]:
    """Entitlements in the user's communes, filtered, one page at a time."""
    user = _actor(request)
    access.require(user, selectors.VIEW)
    _check_choice("scheme", filters.scheme, Scheme.values)
    _check_choice("status", filters.status, Entitlement.Status.values)
    _check_choice("sort", filters.sort, list(selectors.ENTITLEMENT_SORTS))
    qs = selectors.entitlement_list(user=user, filters=selectors.EntitlementFilters(
        q=filters.q, commune=filters.commune, scheme=filters.scheme, status=filters.status, group=filters.group,
        sort=filters.sort)).select_related("start_decision__commune", "stop_decision__commune")
    return {"items": list(qs[filters.offset:filters.offset + filters.limit]), "count": qs.count()}


@router.get("/decisions", response={200: DecisionPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def decisions_list(request: HttpRequest, filters: Query[DecisionQuery]) -> dict[str, Any]:
    """Decisions (start, change, stop) of the user's communes, newest first."""
    user = _actor(request)
    _check_choice("kind", filters.kind, Decision.Kind.values)
    qs = selectors.decision_list(user=user, filters=selectors.DecisionFilters(
        q=filters.q, commune=filters.commune, kind=filters.kind, year=filters.year))
    return {"items": list(qs[filters.offset:filters.offset + filters.limit]), "count": qs.count()}


@router.get("/{entitlement_id}", response={200: EntitlementDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def entitlements_detail(request: HttpRequest, entitlement_id: int) -> Entitlement:
    """One entitlement with this month's amount; the read is written to the access log."""
    return _detail(selectors.entitlement_open(user=_actor(request), pk=entitlement_id))


@router.post("", response={201: EntitlementDetailOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def entitlements_propose(request: HttpRequest, payload: ProposeIn) -> tuple[int, Entitlement]:
    """Propose an entitlement from the engine's result for the person (a decision starts it)."""
    user = _actor(request)
    access.require(user, "entitlement.propose")
    try:
        person = selectors.person_for_entitlements(user=user, pk=payload.person_id)
    except Http404:
        raise ValidationError({"person_id": [_("Không tìm thấy đối tượng mã %(id)s trong phạm vi bạn phụ trách.")
                                             % {"id": payload.person_id}]}) from None
    ent = services.entitlement_propose(
        actor=user, person=person, group=payload.group, on=payload.on, commune=_commune(user, payload.commune),
        payment={"payment_method": payload.payment_method, "bank_account": payload.bank_account,
                 "bank_name": payload.bank_name}, note=payload.note)
    return 201, _detail(selectors.entitlement_get(user=user, pk=ent.pk))


@router.post("/{entitlement_id}/decide", response={
    200: EntitlementDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def entitlements_decide(request: HttpRequest, entitlement_id: int, payload: DecideIn) -> Entitlement:
    """Record the commune chair's decision: approved (from ``effective_on``) or refused with a reason."""
    user = _actor(request)
    access.require(user, "entitlement.decide")
    ent = selectors.entitlement_get(user=user, pk=entitlement_id)
    if payload.approve and payload.decision is None:
        raise ValidationError({"decision": [_("Cần thông tin quyết định (số, ngày ký, người ký).")]})
    ent = services.entitlement_decide(
        actor=user, entitlement=ent, approve=payload.approve,
        decision=payload.decision.model_dump() if payload.decision else None, reason=payload.reason,
        expected_version=payload.version)
    return _detail(selectors.entitlement_get(user=user, pk=ent.pk))


@router.post("/{entitlement_id}/stop", response={
    200: EntitlementDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def entitlements_stop(request: HttpRequest, entitlement_id: int, payload: StopIn) -> Entitlement:
    """Stop an entitlement by a decision (death, moved away, no longer eligible, other with a note)."""
    user = _actor(request)
    access.require(user, "entitlement.decide")
    ent = selectors.entitlement_get(user=user, pk=entitlement_id)
    ent = services.entitlement_stop(actor=user, entitlement=ent, reason=payload.reason, stop_on=payload.stop_on,
                                    note=payload.note, decision=payload.decision.model_dump(),
                                    expected_version=payload.version)
    return _detail(selectors.entitlement_get(user=user, pk=ent.pk))


# Payment lists -----------------------------------------------------------------


class PaymentListOut(Schema):
    id: int
    commune: PlaceOut
    month: dt.date
    kind: str
    corrects_id: int | None
    status: str
    line_count: int
    paid_count: int
    total_amount: int
    total_arrears: int
    total: int
    closed_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_commune(obj: PaymentList | dict[str, Any]) -> dict[str, Any]:
        if isinstance(obj, dict):
            return obj["commune"]
        return {"code": obj.commune_id, "name": obj.commune.name}


class LineOut(Schema):
    id: int
    position: int
    entitlement_id: int
    person_id: int
    full_name: str
    birth_year: int | None
    address: str
    scheme: str
    group_code: str
    group_label: str
    coefficient: Decimal
    base_level: int
    amount: int
    arrears: int
    total: int
    method: str
    bank_account: str
    paid_at: dt.datetime | None
    signed: bool
    receipt_note: str
    correction_of_id: int | None
    correction_reason: str


class GroupTotalOut(Schema):
    scheme: str
    group_code: str
    group_label: str
    count: int
    amount: int
    arrears: int
    total: int


class PaymentListDetailOut(PaymentListOut):
    groups: list[GroupTotalOut]
    lines: list[LineOut]
    lines_count: int


class PaymentListPage(Schema):
    items: list[PaymentListOut]
    count: int


class PaymentListQuery(PageQuery):
    commune: int | None = None
    month: str = Field("", description="Tháng, dạng YYYY-MM.")
    status: str = Field("", json_schema_extra=_enum(["", *PaymentList.Status.values]))
    kind: str = Field("", json_schema_extra=_enum(["", *PaymentList.Kind.values]))


class LinesQuery(Schema):
    limit: int = Field(200, ge=1, le=LINES_MAX, description="Số dòng trả về (tối đa 1000).")
    offset: int = Field(0, ge=0)


class GenerateIn(StrictIn):
    commune: int
    month: str = Field(..., description="Tháng, dạng YYYY-MM.")


class PaidIn(StrictIn):
    paid: bool = True
    signed: bool = True
    note: str = ""


class CloseIn(StrictIn):
    version: int | None = None


class CorrectionIn(StrictIn):
    line_id: int
    amount_delta: int = Field(..., description="Chênh lệch mức hưởng (đồng, âm để giảm).")
    arrears_delta: int = 0
    reason: str


def _list_detail(user: Any, plist: PaymentList, q: LinesQuery) -> dict[str, Any]:
    lines = selectors.payment_lines(user=user, payment_list=plist)
    out = {f: getattr(plist, f) for f in ("id", "month", "kind", "corrects_id", "status", "line_count", "paid_count",
                                          "total_amount", "total_arrears", "total", "closed_at", "version")}
    out["commune"] = {"code": plist.commune_id, "name": plist.commune.name}
    out["groups"] = [g.__dict__ for g in selectors.group_totals(payment_list=plist)]
    out["lines"] = list(lines[q.offset:q.offset + q.limit])
    out["lines_count"] = lines.count()
    return out


@payments_router.get("", response={200: PaymentListPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def payment_lists_list(request: HttpRequest, filters: Query[PaymentListQuery]) -> dict[str, Any]:
    """Payment lists of the user's communes (newest month first)."""
    user = _actor(request)
    access.require(user, selectors.VIEW)
    _check_choice("status", filters.status, PaymentList.Status.values)
    _check_choice("kind", filters.kind, PaymentList.Kind.values)
    qs = selectors.payment_list_list(user=user, filters=selectors.PaymentListFilters(
        commune=filters.commune, month=_month("month", filters.month), status=filters.status, kind=filters.kind))
    return {"items": list(qs[filters.offset:filters.offset + filters.limit]), "count": qs.count()}


@payments_router.post("", response={201: PaymentListDetailOut, 401: ErrorOut, 403: ErrorOut, 409: ConflictOut,
                                    422: ErrorOut})
def payment_lists_generate(request: HttpRequest, payload: GenerateIn) -> tuple[int, dict[str, Any]]:
    """Generate (or refresh, while a draft) a commune's list for a month; 409 if that list is closed."""
    user = _actor(request)
    access.require(user, "payment.manage")
    month = _month("month", payload.month)
    plist = services.payment_list_generate(actor=user, commune=_commune(user, payload.commune), month=month)
    return 201, _list_detail(user, selectors.payment_list_open(user=user, pk=plist.pk, purpose="generate"),
                             LinesQuery())


@payments_router.get("/{list_id}", response={200: PaymentListDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def payment_lists_detail(request: HttpRequest, list_id: int, q: Query[LinesQuery]) -> dict[str, Any]:
    """A list with its group totals and lines (``limit``/``offset`` page the lines); the read is logged."""
    user = _actor(request)
    return _list_detail(user, selectors.payment_list_open(user=user, pk=list_id), q)


@payments_router.post("/{list_id}/lines/{line_id}/paid", response={
    200: LineOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def payment_lines_paid(request: HttpRequest, list_id: int, line_id: int, payload: PaidIn) -> PaymentLine:
    """Mark a line paid (and signed), or undo with ``paid: false``; 409 on a closed list."""
    user = _actor(request)
    plist = selectors.payment_list_get(user=user, pk=list_id)
    line = selectors.payment_line_get(user=user, payment_list=plist, pk=line_id)
    return services.payment_line_mark_paid(actor=user, line=line, paid=payload.paid, signed=payload.signed,
                                           note=payload.note)


@payments_router.post("/{list_id}/close", response={
    200: PaymentListOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def payment_lists_close(request: HttpRequest, list_id: int, payload: CloseIn | None = None) -> PaymentList:
    """Close the list: it never changes afterwards (409 if already closed or changed since ``version``)."""
    user = _actor(request)
    plist = selectors.payment_list_get(user=user, pk=list_id)
    plist = services.payment_list_close(actor=user, payment_list=plist,
                                        expected_version=payload.version if payload else None)
    return selectors.payment_list_get(user=user, pk=plist.pk)


@payments_router.post("/{list_id}/corrections", response={
    201: LineOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def payment_lists_correct(request: HttpRequest, list_id: int, payload: CorrectionIn) -> tuple[int, PaymentLine]:
    """A correction of a closed list's line: a new line (signed difference, reason) on its correction list."""
    user = _actor(request)
    plist = selectors.payment_list_get(user=user, pk=list_id)
    try:
        line = selectors.payment_line_get(user=user, payment_list=plist, pk=payload.line_id)
    except Http404:
        raise ValidationError({"line_id": [_("Danh sách không có dòng này.")]}) from None
    new = services.payment_correction_add(actor=user, payment_list=plist, line=line,
                                          amount_delta=payload.amount_delta, arrears_delta=payload.arrears_delta,
                                          reason=payload.reason)
    return 201, new
