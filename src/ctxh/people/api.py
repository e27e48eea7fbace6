"""People and households over JSON, on the same services and scoping as the pages.

Endpoints stay thin: reads go through the selectors (already scoped to the
user), writes through the services (which validate, write and audit in one
transaction). This module only turns codes into rows and rows into JSON.
Errors travel as exceptions to the handlers in ``ctxh.api.root``: a Django
``ValidationError`` becomes 422 with ``errors: [{field, message}]``,
``ConflictError`` 409, ``PermissionDenied`` 403, ``Http404`` 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Body, Field, Query, Router, Schema
from pydantic import ConfigDict

from ctxh.accounts import access
from ctxh.core.models import Term
from ctxh.geo.models import Commune, Province
from ctxh.people.duplicates import Candidate
from ctxh.people.models import (
    DatePrecision,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    LifeStatus,
    Person,
    Sex,
)
from ctxh.people.selectors import (
    SORTS,
    PersonFilters,
    household_get,
    household_list,
    household_member_get,
    household_members,
    person_get,
    person_open,
    person_page,
)
from ctxh.people.services import (
    DuplicateSuspected,
    IdWarning,
    household_create,
    household_member_add,
    household_member_remove,
    household_poverty_set,
    household_update,
    person_register,
    person_update,
)

people_router = Router(tags=["people"])
households_router = Router(tags=["households"])

MAX_LIMIT = 200

_DUPLICATE_REASONS = {
    "cccd": gettext_lazy("Trùng số CCCD"),
    "same_name_year": gettext_lazy("Trùng họ tên và năm sinh"),
    "close_name": gettext_lazy("Họ tên gần giống, cùng năm sinh"),
}


# Shared shapes ---------------------------------------------------------------


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
    changes: list[dict[str, str]] = Field(
        ..., description="Những gì người khác đã đổi: [{field, from, to}]."
    )


class PlaceOut(Schema):
    code: int
    name: str


class TermOut(Schema):
    code: str
    name: str


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Số dòng mỗi trang (tối đa 200).")
    offset: int = Field(0, ge=0, description="Bỏ qua bấy nhiêu dòng đầu.")


def _enum(values: list[str]) -> dict[str, Any]:
    """Document the accepted values in OpenAPI while the service keeps the Vietnamese message."""
    return {"enum": values}


def _actor(request: HttpRequest) -> Any:
    """The user either auth class in ``ctxh.api.root`` returned."""
    return request.auth  # type: ignore[attr-defined]


def _page(qs: Any, page: PageQuery) -> dict[str, Any]:
    """One page of a queryset as ``{items, count}``: two queries, whatever the size."""
    return {"items": list(qs[page.offset : page.offset + page.limit]), "count": qs.count()}


def _with_extra(exc: ValidationError, extra: dict[str, Any]) -> ValidationError:
    """Attach data the root 422 handler merges into the body (``api_extra``)."""
    exc.api_extra = lambda: extra  # type: ignore[attr-defined]
    return exc


def _check_choice(field: str, value: str, allowed: list[str]) -> None:
    """Refuse an unknown filter value rather than answer with a silently empty list."""
    if value and value not in allowed:
        raise ValidationError({field: [
            _("Giá trị “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(allowed)}]})


# Codes in, rows out ----------------------------------------------------------


def _resolve_codes(data: dict[str, Any]) -> dict[str, Any]:
    """Swap the codes a client sends (province, commune, ethnicity) for the rows services expect.

    All unknown codes are reported together so the client can fix them in one go.
    """
    out = dict(data)
    errors: dict[str, list[str]] = {}
    lookups: list[tuple[str, Callable[[Any], Any], str]] = [
        ("province", lambda c: Province.objects.filter(pk=c).first(),
         _("Không có tỉnh/thành phố mã %(code)s.")),
        ("commune", lambda c: Commune.objects.filter(pk=c).first(),
         _("Không có xã/phường mã %(code)s.")),
        ("ethnicity", lambda c: Term.objects.of("ethnicity").filter(code=c).first(),
         _("Không có dân tộc mã “%(code)s”.")),
    ]
    for field, find, message in lookups:
        code = out.get(field)
        if code is None or code == "":
            if field in out:
                out[field] = None
            continue
        row = find(code)
        if row is None:
            errors[field] = [message % {"code": code}]
        out[field] = row
    if errors:
        raise ValidationError(errors)
    return out


def _visible_person(user: Any, pk: int, field: str) -> Person:
    """A person named in a body; out of reach reads as a field error, not a 404 of the URL."""
    try:
        return person_get(user=user, pk=pk)
    except Http404:
        raise ValidationError({field: [
            _("Không tìm thấy đối tượng mã %(id)s trong địa bàn bạn phụ trách.") % {"id": pk}]}) from None


# People ----------------------------------------------------------------------


class PersonListItem(Schema):
    id: int
    full_name: str
    sex: str
    birth_date: dt.date | None
    birth_precision: str
    birth_display: str
    cccd: str
    phone: str
    commune: PlaceOut | None
    status: str
    version: int


class PersonOut(Schema):
    id: int
    full_name: str
    sex: str
    birth_date: dt.date | None
    birth_precision: str
    birth_display: str
    cccd: str
    old_id_number: str
    phone: str
    phone_alt: str
    ethnicity: TermOut | None
    province: PlaceOut
    commune: PlaceOut | None
    address_detail: str
    legacy_district: str
    status: str
    death_date: dt.date | None
    notes: str
    household_id: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_ethnicity(obj: Person) -> dict[str, str] | None:
        return obj.ethnicity.as_dict() if obj.ethnicity is not None else None

    @staticmethod
    def resolve_household_id(obj: Person) -> int | None:
        try:
            return obj.household_member.household_id
        except HouseholdMember.DoesNotExist:
            return None


class PersonPage(Schema):
    items: list[PersonListItem]
    count: int
    count_capped: bool = Field(False, description="Có hơn 1.000 người khớp từ khóa: chỉ 1.000 người đầu được đếm và sắp xếp; hãy tìm cụ thể hơn.")


class PersonQuery(PageQuery):
    q: str = Field("", description="Họ tên (có hoặc không dấu, từ theo thứ tự bất kỳ), số CCCD/CMND hoặc điện thoại.")
    commune: int | None = Field(None, description="Mã xã/phường.")
    sex: str = Field("", json_schema_extra=_enum(["", *Sex.values]))
    status: str = Field("", json_schema_extra=_enum(["", *LifeStatus.values]))
    group: str = Field("", description="Mã diện đối tượng (danh mục), đang hiệu lực hôm nay.")
    born_from: int | None = Field(None, ge=1, le=9999, description="Sinh từ năm.")
    born_to: int | None = Field(None, ge=1, le=9999, description="Sinh đến năm.")
    sort: str = Field("name", json_schema_extra=_enum(list(SORTS)))


class PersonFields(StrictIn):
    """Fields a client may set; codes for places and ethnicity."""

    full_name: str = ""
    sex: str = Field(Sex.UNKNOWN.value, json_schema_extra=_enum(Sex.values))
    birth_date: dt.date | None = None
    birth_precision: str = Field(DatePrecision.DAY.value, json_schema_extra=_enum(DatePrecision.values))
    cccd: str = ""
    old_id_number: str = ""
    phone: str = ""
    phone_alt: str = ""
    ethnicity: str | None = Field(None, description="Mã dân tộc (danh mục ethnicity), ví dụ “01”.")
    province: int | None = Field(None, description="Mã tỉnh/thành phố; có thể bỏ nếu đã có xã/phường.")
    commune: int | None = Field(None, description="Mã xã/phường.")
    address_detail: str = ""
    legacy_district: str = ""
    status: str = Field(LifeStatus.LIVING.value, json_schema_extra=_enum(LifeStatus.values))
    death_date: dt.date | None = None
    notes: str = ""
    confirm_id_warning: bool = Field(False, description="Xác nhận giữ số CCCD dù lệch giới tính hoặc năm sinh.")


class PersonIn(PersonFields):
    full_name: str
    duplicate_reason: str = Field("", description="Lý do vẫn đăng ký khi hệ thống báo có thể trùng.")


class PersonPatch(PersonFields):
    """Only the fields sent change; ``version`` is the one the client read."""

    version: int


class DuplicateOut(Schema):
    id: int
    full_name: str
    birth_display: str
    commune: PlaceOut | None
    reason: str
    reason_label: str


class RegisterErrorOut(ErrorOut):
    duplicates: list[DuplicateOut] = []
    hidden_duplicates: int = 0
    warnings: list[str] = []
    hint: str = ""


def _duplicate_row(c: Candidate) -> dict[str, Any]:
    p = c.person
    return {
        "id": p.pk, "full_name": p.full_name, "birth_display": p.birth_display,
        "commune": {"code": p.commune.pk, "name": p.commune.name} if p.commune is not None else None,
        "reason": c.reason, "reason_label": str(_DUPLICATE_REASONS.get(c.reason, c.reason)),
    }


def _duplicates_error(exc: DuplicateSuspected) -> ValidationError:
    """Show the candidates the user may open, and only a count of the others."""
    return _with_extra(exc, {
        "duplicates": [_duplicate_row(c) for c in exc.visible],
        "hidden_duplicates": exc.hidden_count,
        "hint": _("Mở hồ sơ đã có, hoặc gửi lại kèm duplicate_reason để vẫn đăng ký."),
    })


def _id_warning_error(exc: IdWarning) -> ValidationError:
    return _with_extra(exc, {
        "warnings": exc.warnings,
        "hint": _("Nếu số CCCD đúng, hãy gửi lại kèm confirm_id_warning=true."),
    })


@people_router.get("", response={200: PersonPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def people_list(request: HttpRequest, filters: Query[PersonQuery]) -> dict[str, Any]:
    """People the user's memberships cover, searched and filtered, one page at a time."""
    user = _actor(request)
    access.require(user, "person.view")  # a statistician gets 403, not an empty list
    _check_choice("sex", filters.sex, Sex.values)
    _check_choice("status", filters.status, LifeStatus.values)
    _check_choice("sort", filters.sort, list(SORTS))
    page = person_page(user=user, filters=PersonFilters(
        q=filters.q, commune=filters.commune, sex=filters.sex, status=filters.status,
        group=filters.group, born_from=filters.born_from, born_to=filters.born_to, sort=filters.sort,
    ), offset=filters.offset, limit=filters.limit)
    return {"items": page.items, "count": page.count, "count_capped": page.count_capped}


@people_router.post("", response={201: PersonOut, 401: ErrorOut, 403: ErrorOut, 422: RegisterErrorOut})
def people_register(request: HttpRequest, payload: PersonIn) -> tuple[int, Person]:
    """Register a person; likely duplicates and doubtful CCCDs come back as 422 to confirm."""
    user = _actor(request)
    access.require(user, "person.change")
    data = _resolve_codes(payload.model_dump(exclude={"duplicate_reason", "confirm_id_warning"}))
    try:
        person = person_register(
            actor=user, data=data, duplicate_reason=payload.duplicate_reason,
            confirm_id_warning=payload.confirm_id_warning,
        )
    except DuplicateSuspected as exc:
        raise _duplicates_error(exc) from None
    except IdWarning as exc:
        raise _id_warning_error(exc) from None
    return 201, person


@people_router.get("/{person_id}", response={200: PersonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def people_detail(request: HttpRequest, person_id: int) -> Person:
    """One person's record; opening it is written to the access log."""
    user = _actor(request)
    access.require(user, "person.view")
    return person_open(user=user, pk=person_id)


@people_router.patch("/{person_id}", response={
    200: PersonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: RegisterErrorOut,
})
def people_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    """Change the fields sent; 409 with what changed if someone saved after ``version``."""
    user = _actor(request)
    access.require(user, "person.change")
    person = person_get(user=user, pk=person_id)
    data = _resolve_codes(payload.model_dump(exclude_unset=True, exclude={"version", "confirm_id_warning"}))
    try:
        return person_update(
            actor=user, person=person, data=data, expected_version=payload.version,
            confirm_id_warning=payload.confirm_id_warning,
        )
    except IdWarning as exc:
        raise _id_warning_error(exc) from None


# Households ------------------------------------------------------------------


class HouseholdListItem(Schema):
    id: int
    code: str
    commune: PlaceOut
    address_detail: str
    version: int


class HouseholdPage(Schema):
    items: list[HouseholdListItem]
    count: int


class HouseholdQuery(PageQuery):
    q: str = Field("", description="Mã hộ, hoặc họ tên/CCCD/điện thoại của một thành viên.")
    commune: int | None = Field(None, description="Mã xã/phường.")


class MemberOut(Schema):
    id: int
    person_id: int
    full_name: str | None = Field(..., description="Chỉ có khi người này thuộc địa bàn bạn phụ trách.")
    relationship: str
    relationship_label: str
    joined_on: dt.date | None

    @staticmethod
    def resolve_full_name(obj: HouseholdMember) -> str | None:
        return obj.person.full_name if getattr(obj, "visible", False) else None

    @staticmethod
    def resolve_relationship_label(obj: HouseholdMember) -> str:
        return str(obj.get_relationship_display())


class StandardOut(Schema):
    code: str
    name: str


class PovertyOut(Schema):
    year: int
    status: str
    status_label: str
    standard: StandardOut
    decision: str

    @staticmethod
    def resolve_status_label(obj: HouseholdPoverty) -> str:
        return str(obj.get_status_display())


class HouseholdOut(Schema):
    id: int
    code: str
    province: PlaceOut
    commune: PlaceOut
    address_detail: str
    notes: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    members: list[MemberOut]
    poverty: list[PovertyOut]

    @staticmethod
    def resolve_members(obj: Household, context: dict[str, Any]) -> list[HouseholdMember]:
        # Scoped per member: one outside the user's area shows without a name.
        return household_members(user=_actor(context["request"]), household=obj)

    @staticmethod
    def resolve_poverty(obj: Household) -> list[HouseholdPoverty]:
        return list(obj.poverty.select_related("standard"))


class HouseholdIn(StrictIn):
    commune: int = Field(..., description="Mã xã/phường.")
    address_detail: str = ""
    notes: str = ""
    head_person_id: int | None = Field(None, description="Mã đối tượng làm chủ hộ (không bắt buộc).")


class HouseholdPatch(StrictIn):
    """Only the fields sent change; ``version`` is the one the client read."""

    version: int
    commune: int | None = None
    address_detail: str = ""
    notes: str = ""


class MemberIn(StrictIn):
    person_id: int
    relationship: str
    joined_on: dt.date | None = None


class MemberRemoveIn(StrictIn):
    reason: str = ""


class PovertyIn(StrictIn):
    year: int
    status: str
    decision: str = ""


@households_router.get("", response={200: HouseholdPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def households_list(request: HttpRequest, filters: Query[HouseholdQuery]) -> dict[str, Any]:
    """Households in the user's area, one page at a time."""
    user = _actor(request)
    access.require(user, "person.view")
    return _page(household_list(user=user, q=filters.q, commune=filters.commune), filters)


@households_router.post("", response={201: HouseholdOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def households_create(request: HttpRequest, payload: HouseholdIn) -> tuple[int, Household]:
    """Create a household, with its head if one is named."""
    user = _actor(request)
    access.require(user, "household.change")
    data = _resolve_codes({"commune": payload.commune})
    head = _visible_person(user, payload.head_person_id, "head_person_id") if payload.head_person_id else None
    household = household_create(
        actor=user, head=head,
        data={**data, "address_detail": payload.address_detail, "notes": payload.notes},
    )
    return 201, household


@households_router.get("/{household_id}", response={200: HouseholdOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def households_detail(request: HttpRequest, household_id: int) -> Household:
    """A household with its members and poverty classifications."""
    user = _actor(request)
    access.require(user, "person.view")
    return household_get(user=user, pk=household_id)


@households_router.patch("/{household_id}", response={
    200: HouseholdOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut,
})
def households_update(request: HttpRequest, household_id: int, payload: HouseholdPatch) -> Household:
    """Change the fields sent; 409 with what changed if someone saved after ``version``."""
    user = _actor(request)
    access.require(user, "household.change")
    household = household_get(user=user, pk=household_id)
    data = _resolve_codes(payload.model_dump(exclude_unset=True, exclude={"version"}))
    return household_update(actor=user, household=household, data=data, expected_version=payload.version)


@households_router.post("/{household_id}/members", response={
    201: MemberOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
})
def households_member_add(request: HttpRequest, household_id: int, payload: MemberIn) -> tuple[int, HouseholdMember]:
    """Add a person to a household; a person belongs to one household at a time."""
    user = _actor(request)
    access.require(user, "household.change")
    household = household_get(user=user, pk=household_id)
    person = _visible_person(user, payload.person_id, "person_id")
    member = household_member_add(
        actor=user, household=household, person=person, relationship=payload.relationship,
        joined_on=payload.joined_on,
    )
    member.visible = True  # type: ignore[attr-defined]  # the service checked the person is visible
    return 201, member


@households_router.delete("/members/{member_id}", response={
    204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
})
def households_member_remove(
    request: HttpRequest, member_id: int, payload: Body[MemberRemoveIn | None] = None,
    reason: Query[str] = "",
) -> tuple[int, None]:
    """Take a person out of a household; the reason may come in the body or the query."""
    user = _actor(request)
    access.require(user, "household.change")
    member = household_member_get(user=user, pk=member_id)
    household_member_remove(actor=user, member=member, reason=(payload.reason if payload else "") or reason)
    return 204, None


@households_router.post("/{household_id}/poverty", response={
    200: PovertyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut,
})
def households_poverty_set(request: HttpRequest, household_id: int, payload: PovertyIn) -> HouseholdPoverty:
    """Record a year's poverty classification (replaces that year's earlier result)."""
    user = _actor(request)
    access.require(user, "household.change")
    household = household_get(user=user, pk=household_id)
    return household_poverty_set(
        actor=user, household=household, year=payload.year, status=payload.status,
        decision=payload.decision,
    )
