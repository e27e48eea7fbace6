"""Residents over JSON at /api/v1/residents, on the same services and scoping as the pages.

Reads go through the selectors (a resident outside the user's facilities is
404; no ``residence.view`` is 403), writes through the services. Errors travel
to the handlers in ``ctxh.api.root``: ``ValidationError`` → 422, ``ConflictError``
→ 409, ``PermissionDenied`` → 403, ``Http404`` → 404; no credentials → 401.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.geo.models import Commune
from ctxh.network.models import Provider
from ctxh.people.api import ConflictOut, ErrorOut, StrictIn, _actor, _enum
from ctxh.people.selectors import person_get
from ctxh.residential import selectors, services
from ctxh.residential.models import (
    Admission,
    AdmissionKind,
    DischargeReason,
    FollowUp,
    Reintegration,
    Situation,
)

router = Router(tags=["residents"])

MAX_LIMIT = 200


class Ref(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    full_name: str
    birth: str = Field(..., description="Ngày sinh như đã biết: dd/mm/yyyy, mm/yyyy hoặc yyyy.")


class FollowUpOut(Schema):
    id: int
    visited_on: dt.date
    visited_by: Ref
    situation: str = Field(..., json_schema_extra=_enum(Situation.values))
    notes: str

    @staticmethod
    def resolve_visited_by(obj: FollowUp) -> dict[str, Any]:
        return {"id": obj.visited_by_id, "name": str(obj.visited_by)}


class ReintegrationOut(Schema):
    id: int
    destination: str
    commune: Ref
    address_detail: str
    receiver_name: str
    receiver_relationship: str
    receiver_phone: str
    follow_up_until: dt.date
    next_follow_up: dt.date | None = Field(..., description="Hạn lần thăm tới; null khi hết thời gian theo dõi.")
    notes: str
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_commune(obj: Reintegration) -> dict[str, Any]:
        return {"id": obj.commune_id, "name": obj.commune.name}

    @staticmethod
    def resolve_next_follow_up(obj: Reintegration) -> dt.date | None:
        return selectors.next_follow_up(obj, on=timezone.localdate())

    @staticmethod
    def resolve_follow_ups(obj: Reintegration) -> list[FollowUp]:
        return selectors.follow_ups_of(obj)


class ResidentListItem(Schema):
    id: int
    person: PersonRef
    facility: Ref
    kind: str = Field(..., json_schema_extra=_enum(AdmissionKind.values))
    admitted_on: dt.date
    discharged_on: dt.date | None
    discharge_reason: str
    monthly_fee: int | None
    version: int

    @staticmethod
    def resolve_person(obj: Admission) -> dict[str, Any]:
        return {"id": obj.person_id, "full_name": obj.person.full_name, "birth": obj.person.birth_display}

    @staticmethod
    def resolve_facility(obj: Admission) -> dict[str, Any]:
        return {"id": obj.facility_id, "name": obj.facility.name}


class ResidentPage(Schema):
    items: list[ResidentListItem]
    count: int


class ResidentOut(ResidentListItem):
    reason: str
    decision_number: str
    decision_date: dt.date | None
    decided_by: str
    contract_number: str
    payer_name: str
    case_number: str | None = Field(..., description="Số hồ sơ trường hợp, nếu người gọi được xem hồ sơ đó.")
    over_capacity_reason: str
    discharge_decision: str
    discharge_note: str
    transferred_to: Ref | None
    notes: str
    reintegration: ReintegrationOut | None

    @staticmethod
    def resolve_case_number(obj: Admission, context: dict[str, Any]) -> str | None:
        return selectors.visible_case_number(user=context["request"].auth, admission=obj)

    @staticmethod
    def resolve_transferred_to(obj: Admission) -> dict[str, Any] | None:
        t = obj.transferred_to
        return {"id": t.pk, "name": t.name} if t is not None else None

    @staticmethod
    def resolve_reintegration(obj: Admission) -> Reintegration | None:
        return selectors.reintegration_of(obj)


class OccupancyOut(Schema):
    facility: Ref
    capacity: int | None
    occupied: int
    free: int | None
    state: int
    voluntary_paid: int
    temporary: int
    monthly_fees: int = Field(..., description="Tổng phí tự nguyện hằng tháng của người đang ở (đồng).")
    full: bool
    near_full: bool


class ResidentQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    facility: int | None = Field(None, description="Mã cơ sở (Provider).")
    current: bool | None = Field(None, description="true: đang ở; false: đã rời; bỏ trống: cả hai.")
    kind: str = Field("", json_schema_extra=_enum(["", *AdmissionKind.values]))
    q: str = Field("", description="Họ tên (có hoặc không dấu) hoặc số quyết định.")


class AdmitIn(StrictIn):
    person_id: int
    facility_id: int
    kind: str = Field(..., json_schema_extra=_enum(AdmissionKind.values))
    admitted_on: dt.date
    reason: str
    decision_number: str = ""
    decision_date: dt.date | None = None
    decided_by: str = ""
    monthly_fee: int | None = Field(None, ge=0, description="Đồng mỗi tháng; chỉ với voluntary_paid.")
    contract_number: str = ""
    payer_name: str = ""
    case_id: int | None = None
    notes: str = ""
    over_capacity_reason: str = Field("", description="Lãnh đạo: lý do tiếp nhận khi cơ sở đã đủ chỗ.")


class ReintegrationIn(StrictIn):
    commune: int = Field(..., description="Mã xã/phường nơi trở về (5 chữ số).")
    receiver_name: str
    receiver_relationship: str = ""
    receiver_phone: str = ""
    address_detail: str = ""
    follow_up_until: dt.date | None = Field(None, description="Bỏ trống: theo quy định residential.follow_up_months (số tháng tối thiểu).")
    notes: str = ""


class DischargeIn(StrictIn):
    discharged_on: dt.date
    reason: str = Field(..., json_schema_extra=_enum(DischargeReason.values))
    decision: str = ""
    note: str = ""
    transferred_to_id: int | None = None
    version: int | None = Field(None, description="Phiên bản người gọi đã đọc; khác thì trả 409.")
    reintegration: ReintegrationIn | None = Field(
        None, description="Người tiếp nhận khi trở về gia đình hoặc cộng đồng; ghi cùng lúc.")


class FollowUpIn(StrictIn):
    visited_on: dt.date
    situation: str = Field(..., json_schema_extra=_enum(Situation.values))
    notes: str = ""


def _commune(code: int, field: str = "commune") -> Commune:
    commune = Commune.objects.filter(pk=code).first()
    if commune is None:
        raise ValidationError({field: [_("Không có xã/phường mã %(code)s.") % {"code": code}]})
    return commune


def _reintegrate(user: Any, admission: Admission, payload: ReintegrationIn, prefix: str = "") -> Reintegration:
    try:
        commune = _commune(payload.commune)
        return services.reintegration_record(
            actor=user, admission=admission, commune=commune, receiver_name=payload.receiver_name,
            receiver_relationship=payload.receiver_relationship, receiver_phone=payload.receiver_phone,
            address_detail=payload.address_detail, follow_up_until=payload.follow_up_until, notes=payload.notes)
    except ValidationError as exc:
        if prefix and hasattr(exc, "error_dict"):
            raise ValidationError({f"{prefix}{k}": v for k, v in exc.error_dict.items()}) from None
        raise


@router.get("/occupancy", response={200: list[OccupancyOut], 401: ErrorOut, 403: ErrorOut})
def residents_occupancy(request: HttpRequest) -> list[dict[str, Any]]:
    """Places per facility the user sees: capacity, taken (by kind), free, voluntary fees per month."""
    rows = selectors.occupancy_list(user=_actor(request))
    return [{"facility": {"id": r.facility.pk, "name": r.facility.name}, "capacity": r.capacity,
             "occupied": r.occupied, "free": r.free, "state": r.state, "voluntary_paid": r.voluntary_paid,
             "temporary": r.temporary, "monthly_fees": r.monthly_fees, "full": r.full, "near_full": r.near_full}
            for r in rows]


@router.get("", response={200: ResidentPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def residents_list(request: HttpRequest, filters: Query[ResidentQuery]) -> dict[str, Any]:
    """Stays at the facilities the user works for, one page at a time (lists are not access-logged)."""
    if filters.kind and filters.kind not in AdmissionKind.values:
        raise ValidationError({"kind": [_("Hình thức tiếp nhận không hợp lệ.")]})
    qs = selectors.resident_list(user=_actor(request), filters=selectors.ResidentFilters(
        facility=filters.facility, current=filters.current, kind=filters.kind, q=filters.q,
        sort="name" if filters.current else "-admitted"))
    return {"items": list(qs[filters.offset: filters.offset + filters.limit]), "count": qs.count()}


@router.post("", response={201: ResidentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def residents_admit(request: HttpRequest, payload: AdmitIn) -> tuple[int, Admission]:
    """Take a person into a facility (the same service as the page); a full facility answers 422."""
    user = _actor(request)
    facility = selectors.facility_get(user=user, pk=payload.facility_id)
    errors: dict[str, list[str]] = {}
    person = None
    try:
        person = person_get(user=user, pk=payload.person_id)
    except Http404:
        errors["person_id"] = [_("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách.")
                               % {"id": payload.person_id}]
    case = None
    if payload.case_id is not None:
        from ctxh.cases.selectors import case_queryset

        case = case_queryset(user=user).filter(pk=payload.case_id).first()
        if case is None:
            errors["case_id"] = [_("Không tìm thấy hồ sơ này trong phạm vi bạn được xem.")]
    if errors:
        raise ValidationError(errors)
    assert person is not None
    admission = services.admission_create(
        actor=user, person=person, facility=facility, kind=payload.kind, admitted_on=payload.admitted_on,
        reason=payload.reason, decision_number=payload.decision_number, decision_date=payload.decision_date,
        decided_by=payload.decided_by, monthly_fee=payload.monthly_fee, contract_number=payload.contract_number,
        payer_name=payload.payer_name, case=case, notes=payload.notes,
        over_capacity_reason=payload.over_capacity_reason)
    return 201, selectors.admission_get(user=user, pk=admission.pk)


@router.get("/{resident_id}", response={200: ResidentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def residents_detail(request: HttpRequest, resident_id: int) -> Admission:
    """One stay with its return home and follow-ups; the read is written to the access log."""
    return selectors.resident_open_for_read(user=_actor(request), pk=resident_id)


@router.post("/{resident_id}/discharge", response={
    200: ResidentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut})
def residents_discharge(request: HttpRequest, resident_id: int, payload: DischargeIn) -> Admission:
    """The resident leaves; with ``reintegration`` the return home is recorded in the same transaction."""
    user = _actor(request)
    admission = selectors.admission_get(user=user, pk=resident_id)
    target = None
    if payload.transferred_to_id is not None:
        target = Provider.objects.filter(pk=payload.transferred_to_id).first()
        if target is None:
            raise ValidationError({"transferred_to_id": [_("Không có cơ sở mã %(id)s.")
                                                         % {"id": payload.transferred_to_id}]})
    with transaction.atomic():
        done = services.resident_discharge(
            actor=user, admission=admission, discharged_on=payload.discharged_on, reason=payload.reason,
            decision=payload.decision, note=payload.note, transferred_to=target, expected_version=payload.version)
        if payload.reintegration is not None:
            _reintegrate(user, done, payload.reintegration, prefix="reintegration.")
    return selectors.admission_get(user=user, pk=resident_id)


@router.post("/{resident_id}/reintegration", response={
    201: ReintegrationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def residents_reintegration(request: HttpRequest, resident_id: int, payload: ReintegrationIn) -> tuple[int, Any]:
    """Record who took a person who left back home, and until when they are followed up."""
    user = _actor(request)
    admission = selectors.admission_get(user=user, pk=resident_id)
    return 201, _reintegrate(user, admission, payload)


@router.post("/{resident_id}/follow-ups", response={
    201: FollowUpOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def residents_follow_up(request: HttpRequest, resident_id: int, payload: FollowUpIn) -> tuple[int, FollowUp]:
    """Record a follow-up visit to a person back home."""
    user = _actor(request)
    admission = selectors.admission_get(user=user, pk=resident_id)
    found = selectors.reintegration_of(admission)
    if found is None:
        raise ValidationError(_("Lượt ở này chưa có thông tin tái hòa nhập."))
    return 201, services.follow_up_record(actor=user, reintegration=found, visited_on=payload.visited_on,
                                          situation=payload.situation, notes=payload.notes)
