"""Grants, needs and donations over JSON at /api/v1/support, on the same services and scoping as the pages.

Reads go through the selectors (a record whose recipient the caller may not
see is 404), writes through the services. Errors travel as exceptions to the
handlers in ``ctxh.api.root``: ``ValidationError`` → 422 ``{detail, errors:
[{field, message}]}``, ``ConflictError`` → 409, ``PermissionDenied`` → 403,
``Http404`` → 404; no credentials → 401. Terms are given by ``code``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.core.models import Term
from ctxh.people.api import ErrorOut, StrictIn, _actor, _enum
from ctxh.people.models import Household, Person
from ctxh.people.selectors import household_get, person_get
from ctxh.support import selectors, services
from ctxh.support.models import Allocation, Donation, Grant, Need, NeedStatus

router = Router(tags=["support"])

MAX_LIMIT = 200


class CodeName(Schema):
    code: str
    name: str


class PersonRef(Schema):
    id: int
    full_name: str


class HouseholdRef(Schema):
    id: int
    code: str


def _term(t: Term | None) -> dict[str, str] | None:
    return {"code": t.code, "name": t.label} if t is not None else None


def _person(p: Person | None) -> dict[str, Any] | None:
    return {"id": p.pk, "full_name": p.full_name} if p is not None else None


def _household(h: Household | None) -> dict[str, Any] | None:
    return {"id": h.pk, "code": h.code} if h is not None else None


def _commune(obj: Any) -> dict[str, str] | None:
    return {"code": str(obj.commune.pk), "name": obj.commune.name} if obj.commune_id else None


# Shapes -------------------------------------------------------------------------------------------


class GrantOut(Schema):
    id: int
    person: PersonRef | None
    household: HouseholdRef | None
    commune: CodeName | None
    kind: CodeName
    case_id: int | None
    amount: int | None = Field(..., description="Số tiền (đồng).")
    item: CodeName | None
    quantity: int | None
    unit: str
    persons_count: int | None
    months: int | None
    calculation: dict[str, Any] = Field(..., description="Mức theo quy định ngày xảy ra sự việc: mức, công thức, căn cứ.")
    funding: CodeName
    donation_id: int | None
    allocation_id: int | None
    project_name: str
    given_on: dt.date
    event_date: dt.date | None
    reason: str
    received_by: str
    received_on: dt.date | None
    receipt_number: str
    has_proof_file: bool
    version: int

    @staticmethod
    def resolve_person(obj: Grant) -> dict[str, Any] | None:
        return _person(obj.person)

    @staticmethod
    def resolve_household(obj: Grant) -> dict[str, Any] | None:
        return _household(obj.household)

    @staticmethod
    def resolve_commune(obj: Grant) -> dict[str, str] | None:
        return _commune(obj)

    @staticmethod
    def resolve_kind(obj: Grant) -> dict[str, str] | None:
        return _term(obj.kind)

    @staticmethod
    def resolve_item(obj: Grant) -> dict[str, str] | None:
        return _term(obj.item)

    @staticmethod
    def resolve_funding(obj: Grant) -> dict[str, str] | None:
        return _term(obj.funding)

    @staticmethod
    def resolve_donation_id(obj: Grant) -> int | None:
        allocation = obj.allocation
        return allocation.donation_id if allocation is not None else None


class GrantPage(Schema):
    items: list[GrantOut]
    count: int
    total_amount: int = Field(..., description="Tổng tiền của mọi khoản khớp bộ lọc (đồng).")


class GrantQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    q: str = Field("", description="Tên, CCCD, điện thoại người nhận, hoặc mã hộ.")
    kind: str = Field("", description="Mã loại hỗ trợ (support_kind).")
    commune: int | None = None
    funding: str = Field("", description="Mã nguồn kinh phí (funding_source_kind).")
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class GrantIn(StrictIn):
    person_id: int | None = Field(None, description="Người nhận; hoặc household_id, không cả hai.")
    household_id: int | None = None
    kind: str = Field(..., description="Mã loại hỗ trợ, ví dụ emergency_funeral, scholarship, goods.")
    given_on: dt.date
    event_date: dt.date | None = Field(None, description="Ngày xảy ra sự việc (bắt buộc với hỗ trợ khẩn cấp).")
    amount: int | None = None
    item: str | None = Field(None, description="Mã hiện vật (support_item).")
    quantity: int | None = None
    unit: str = ""
    persons_count: int | None = None
    months: int | None = None
    funding: str = Field(..., description="Mã nguồn kinh phí: state_budget, donation, project, other.")
    donation_id: int | None = None
    project_name: str = ""
    case_id: int | None = None
    need_id: int | None = None
    reason: str
    received_by: str = ""
    received_on: dt.date | None = None
    receipt_number: str = ""


class NeedOut(Schema):
    id: int
    person: PersonRef | None
    household: HouseholdRef | None
    commune: CodeName | None
    need_type: CodeName
    detail: str
    status: str = Field(..., json_schema_extra=_enum(NeedStatus.values))
    status_name: str
    survey_id: int | None
    identified_on: dt.date
    requested_on: dt.date | None
    closed_on: dt.date | None
    decline_reason: str
    fulfilled_grant_id: int | None
    fulfilled_allocation_id: int | None
    allowed_moves: list[str]
    version: int

    @staticmethod
    def resolve_person(obj: Need) -> dict[str, Any] | None:
        return _person(obj.person)

    @staticmethod
    def resolve_household(obj: Need) -> dict[str, Any] | None:
        return _household(obj.household)

    @staticmethod
    def resolve_commune(obj: Need) -> dict[str, str] | None:
        return _commune(obj)

    @staticmethod
    def resolve_need_type(obj: Need) -> dict[str, str] | None:
        return _term(obj.need_type)

    @staticmethod
    def resolve_status_name(obj: Need) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_allowed_moves(obj: Need) -> list[str]:
        return services.need_allowed_moves(obj)


class NeedPage(Schema):
    items: list[NeedOut]
    count: int


class NeedQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    q: str = ""
    status: str = Field("", json_schema_extra=_enum(["", *NeedStatus.values]))
    need_type: str = ""
    commune: int | None = None
    survey: int | None = None


class NeedIn(StrictIn):
    person_id: int | None = None
    household_id: int | None = None
    need_type: str = Field(..., description="Mã loại nhu cầu (need_type), ví dụ wheelchair, job.")
    detail: str = ""
    identified_on: dt.date | None = None
    survey_id: int | None = None


class NeedMoveIn(StrictIn):
    on: dt.date | None = Field(None, description="Ngày; mặc định hôm nay.")
    version: int = Field(..., description="Phiên bản đã đọc (bắt buộc); khác thì trả 409.")


class NeedDeclineIn(NeedMoveIn):
    reason: str


class NeedFulfilIn(NeedMoveIn):
    grant_id: int | None = Field(None, description="Khoản hỗ trợ đã đáp ứng; hoặc allocation_id.")
    allocation_id: int | None = None


class DonationOut(Schema):
    id: int
    donor: dict[str, Any]
    received_on: dt.date
    amount: int | None
    item: CodeName | None
    quantity: int | None
    unit: str
    total: int
    allocated: int
    remaining: int = Field(..., description="Còn lại để phân bổ = tổng − các phân bổ còn hiệu lực.")
    purpose: str
    restrictions: str
    communes: list[int]
    reference: str
    version: int

    @staticmethod
    def resolve_donor(obj: Donation) -> dict[str, Any]:
        return {"id": obj.donor_id, "name": obj.donor.name, "kind": obj.donor.kind}

    @staticmethod
    def resolve_item(obj: Donation) -> dict[str, str] | None:
        return _term(obj.item)

    @staticmethod
    def resolve_communes(obj: Donation) -> list[int]:
        return [c.pk for c in obj.communes.all()]


class DonationPage(Schema):
    items: list[DonationOut]
    count: int


class DonationQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    q: str = ""
    donor: int | None = None
    state: str = Field("", json_schema_extra=_enum(["", "open", "used"]))


class DonationIn(StrictIn):
    donor_id: int
    received_on: dt.date
    amount: int | None = Field(None, description="Tài trợ bằng tiền (đồng); hoặc item + quantity.")
    item: str | None = None
    quantity: int | None = None
    unit: str = ""
    purpose: str
    restrictions: str = ""
    communes: list[int] = Field([], description="Chỉ dành cho các xã/phường này; trống: cả tỉnh.")
    reference: str = ""


class AllocationIn(StrictIn):
    person_id: int | None = None
    household_id: int | None = None
    amount: int | None = Field(None, description="Với khoản tài trợ bằng tiền.")
    quantity: int | None = Field(None, description="Với khoản tài trợ hiện vật.")
    allocated_on: dt.date
    note: str = ""
    received_by: str = ""
    received_on: dt.date | None = None
    receipt_number: str = ""
    need_id: int | None = None


class AllocationOut(Schema):
    id: int
    donation_id: int
    person: PersonRef | None
    household: HouseholdRef | None
    amount: int | None
    quantity: int | None
    allocated_on: dt.date
    received_by: str
    received_on: dt.date | None
    receipt_number: str
    remaining: int = Field(..., description="Số còn lại của khoản tài trợ sau phân bổ này.")

    @staticmethod
    def resolve_person(obj: Allocation) -> dict[str, Any] | None:
        return _person(obj.person)

    @staticmethod
    def resolve_household(obj: Allocation) -> dict[str, Any] | None:
        return _household(obj.household)

    @staticmethod
    def resolve_remaining(obj: Allocation) -> int:
        return int(Donation.objects.values_list("remaining", flat=True).get(pk=obj.donation_id))


# Lookups: a reference the caller may not see is a field error (422), as in the cases API ------------


def _lookup(errors: dict[str, list[str]], field: str, fn: Any, pk: int | None, message: str) -> Any:
    if pk is None:
        return None
    try:
        return fn(pk)
    except Http404:
        errors[field] = [message % {"id": pk}]
        return None


def _code(errors: dict[str, list[str]], field: str, vocabulary: str, code: str | None) -> Term | None:
    if not code:
        return None
    term = Term.objects.of(vocabulary).filter(code=code).first()
    if term is None:
        errors[field] = [_("Không có mã “%(code)s” trong danh mục.") % {"code": code}]
    return term


def _recipient(user: Any, errors: dict[str, list[str]], person_id: int | None, household_id: int | None) -> tuple[
        Any, Any]:
    person = _lookup(errors, "person_id", lambda pk: person_get(user=user, pk=pk), person_id,
                     _("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách."))
    household = _lookup(errors, "household_id", lambda pk: household_get(user=user, pk=pk), household_id,
                        _("Không tìm thấy hộ mã %(id)s trong địa bàn bạn phụ trách."))
    return person, household


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# Service error keys → API field names.
_RENAME = {"person": "person_id", "household": "household_id", "case": "case_id", "need": "need_id",
           "donation": "donation_id", "grant": "grant_id", "allocation": "allocation_id"}


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({_RENAME.get(k, k): v for k, v in exc.error_dict.items()}) from None
        raise


# Grants -------------------------------------------------------------------------------------------


@router.get("/grants", response={200: GrantPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def grants_list(request: HttpRequest, filters: Query[GrantQuery]) -> dict[str, Any]:
    """Grants whose recipient the caller may see, newest first, with the total money of all that match."""
    user = _actor(request)
    qs = selectors.grant_list(user=user, filters=selectors.GrantFilters(
        q=filters.q, kind=filters.kind, commune=filters.commune, funding=filters.funding,
        date_from=filters.date_from, date_to=filters.date_to))
    totals = selectors.grant_totals(qs)
    return {"items": list(qs[filters.offset: filters.offset + filters.limit]), "count": totals.count,
            "total_amount": totals.amount}


@router.post("/grants", response={201: GrantOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def grants_create(request: HttpRequest, payload: GrantIn) -> tuple[int, Grant]:
    """Record a grant (the same service as the page): emergency amounts are checked against the rules."""
    from ctxh.cases.selectors import case_get

    user = _actor(request)
    access.require(user, "support.manage")
    errors: dict[str, list[str]] = {}
    person, household = _recipient(user, errors, payload.person_id, payload.household_id)
    kind = _code(errors, "kind", "support_kind", payload.kind)
    item = _code(errors, "item", "support_item", payload.item)
    funding = _code(errors, "funding", "funding_source_kind", payload.funding)
    donation = _lookup(errors, "donation_id", lambda pk: selectors.donation_get(user=user, pk=pk),
                       payload.donation_id, _("Không tìm thấy khoản tài trợ mã %(id)s."))
    case = _lookup(errors, "case_id", lambda pk: case_get(user=user, pk=pk), payload.case_id,
                   _("Không tìm thấy hồ sơ mã %(id)s trong phạm vi bạn được xem."))
    need = _lookup(errors, "need_id", lambda pk: selectors.need_get(user=user, pk=pk), payload.need_id,
                   _("Không tìm thấy nhu cầu mã %(id)s."))
    _raise(errors)
    grant = _call(
        services.grant_record, actor=user, person=person, household=household, kind=kind, given_on=payload.given_on,
        event_date=payload.event_date, amount=payload.amount, item=item, quantity=payload.quantity,
        unit=payload.unit, persons_count=payload.persons_count, months=payload.months, funding=funding,
        donation=donation, project_name=payload.project_name, case=case, need=need, reason=payload.reason,
        received_by=payload.received_by, received_on=payload.received_on, receipt_number=payload.receipt_number)
    return 201, selectors.grant_get(user=user, pk=grant.pk)


@router.get("/grants/{grant_id}", response={200: GrantOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def grants_detail(request: HttpRequest, grant_id: int) -> Grant:
    """One grant; the read is written to the access log."""
    return selectors.grant_open(user=_actor(request), pk=grant_id)


# Needs --------------------------------------------------------------------------------------------


@router.get("/needs", response={200: NeedPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def needs_list(request: HttpRequest, filters: Query[NeedQuery]) -> dict[str, Any]:
    user = _actor(request)
    qs = selectors.need_list(user=user, filters=selectors.NeedFilters(
        q=filters.q, status=filters.status, need_type=filters.need_type, commune=filters.commune,
        survey=filters.survey))
    return {"items": list(qs[filters.offset: filters.offset + filters.limit]), "count": qs.count()}


@router.post("/needs", response={201: NeedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def needs_create(request: HttpRequest, payload: NeedIn) -> tuple[int, Need]:
    user = _actor(request)
    access.require(user, "support.manage")
    errors: dict[str, list[str]] = {}
    person, household = _recipient(user, errors, payload.person_id, payload.household_id)
    need_type = _code(errors, "need_type", "need_type", payload.need_type)
    survey = _lookup(errors, "survey_id", lambda pk: selectors.survey_get(user=user, pk=pk), payload.survey_id,
                     _("Không tìm thấy đợt khảo sát mã %(id)s."))
    _raise(errors)
    need = _call(services.need_identify, actor=user, person=person, household=household, need_type=need_type,
                 detail=payload.detail, identified_on=payload.identified_on, survey=survey)
    return 201, selectors.need_get(user=user, pk=need.pk)


def _need(user: Any, need_id: int) -> Need:
    access.require(user, "support.manage")
    return selectors.need_get(user=user, pk=need_id)


@router.post("/needs/{need_id}/request", response={200: NeedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                   409: ErrorOut, 422: ErrorOut})
def needs_request(request: HttpRequest, need_id: int, payload: NeedMoveIn) -> Need:
    """identified → requested."""
    user = _actor(request)
    services.need_request(actor=user, need=_need(user, need_id), on=payload.on, expected_version=payload.version)
    return selectors.need_get(user=user, pk=need_id)


@router.post("/needs/{need_id}/fulfil", response={200: NeedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                  409: ErrorOut, 422: ErrorOut})
def needs_fulfil(request: HttpRequest, need_id: int, payload: NeedFulfilIn) -> Need:
    """requested → fulfilled, with the grant or the allocation that met the need."""
    user = _actor(request)
    need = _need(user, need_id)
    errors: dict[str, list[str]] = {}
    grant = _lookup(errors, "grant_id", lambda pk: selectors.grant_get(user=user, pk=pk), payload.grant_id,
                    _("Không tìm thấy khoản hỗ trợ mã %(id)s."))
    allocation = _lookup(errors, "allocation_id", lambda pk: selectors.allocation_get(user=user, pk=pk),
                         payload.allocation_id, _("Không tìm thấy phân bổ mã %(id)s."))
    _raise(errors)
    _call(services.need_fulfil, actor=user, need=need, grant=grant, allocation=allocation, on=payload.on,
          expected_version=payload.version)
    return selectors.need_get(user=user, pk=need_id)


@router.post("/needs/{need_id}/decline", response={200: NeedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                   409: ErrorOut, 422: ErrorOut})
def needs_decline(request: HttpRequest, need_id: int, payload: NeedDeclineIn) -> Need:
    """identified or requested → declined, with the reason."""
    user = _actor(request)
    services.need_decline(actor=user, need=_need(user, need_id), reason=payload.reason, on=payload.on,
                          expected_version=payload.version)
    return selectors.need_get(user=user, pk=need_id)


# Donations ------------------------------------------------------------------------------------------


@router.get("/donations", response={200: DonationPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def donations_list(request: HttpRequest, filters: Query[DonationQuery]) -> dict[str, Any]:
    """Donations of the caller's province, with what remains of each."""
    user = _actor(request)
    qs = selectors.donation_list(user=user, q=filters.q, donor=filters.donor, state=filters.state).prefetch_related(
        "communes")
    return {"items": list(qs[filters.offset: filters.offset + filters.limit]), "count": qs.count()}


@router.post("/donations", response={201: DonationOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def donations_create(request: HttpRequest, payload: DonationIn) -> tuple[int, Donation]:
    from ctxh.geo.models import Commune

    user = _actor(request)
    access.require(user, "donation.manage")
    errors: dict[str, list[str]] = {}
    donor = _lookup(errors, "donor_id", lambda pk: selectors.donor_get(user=user, pk=pk), payload.donor_id,
                    _("Không tìm thấy nhà tài trợ mã %(id)s."))
    item = _code(errors, "item", "support_item", payload.item)
    communes = list(Commune.objects.filter(pk__in=payload.communes))
    if len(communes) != len(set(payload.communes)):
        errors["communes"] = [_("Có mã xã/phường không tồn tại.")]
    _raise(errors)
    donation = _call(services.donation_record, actor=user, donor=donor, received_on=payload.received_on,
                     amount=payload.amount, item=item, quantity=payload.quantity, unit=payload.unit,
                     purpose=payload.purpose, restrictions=payload.restrictions, communes=communes,
                     reference=payload.reference)
    return 201, selectors.donation_get(user=user, pk=donation.pk)


@router.get("/donations/{donation_id}", response={200: DonationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def donations_detail(request: HttpRequest, donation_id: int) -> Donation:
    """One donation with its total, what was allocated and what remains."""
    return selectors.donation_get(user=_actor(request), pk=donation_id)


@router.post("/donations/{donation_id}/allocations", response={
    201: AllocationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def donations_allocate(request: HttpRequest, donation_id: int, payload: AllocationIn) -> tuple[int, Allocation]:
    """Allocate part of the donation; more than remains is 422 with what remains."""
    user = _actor(request)
    access.require(user, "donation.manage")
    donation = selectors.donation_get(user=user, pk=donation_id)
    errors: dict[str, list[str]] = {}
    person, household = _recipient(user, errors, payload.person_id, payload.household_id)
    need = _lookup(errors, "need_id", lambda pk: selectors.need_get(user=user, pk=pk), payload.need_id,
                   _("Không tìm thấy nhu cầu mã %(id)s."))
    _raise(errors)
    allocation = _call(
        services.allocation_create, actor=user, donation=donation, person=person, household=household,
        amount=payload.amount, quantity=payload.quantity, allocated_on=payload.allocated_on, note=payload.note,
        received_by=payload.received_by, received_on=payload.received_on, receipt_number=payload.receipt_number,
        need=need)
    return 201, allocation
