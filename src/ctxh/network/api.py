"""Providers over JSON at /api/v1/providers, on the same selectors and services as the pages.

Reading is open to anyone: without credentials (or with an account lacking
``provider.view``) the caller sees what the public portal shows — public,
active providers and their public fields; staff with ``provider.view`` see
every provider and the fields only staff see (contact person, flags,
version). A request that sends an ``Authorization`` header with a bad token
gets 401 rather than silently the public view. Writing needs
``provider.manage``; ``PATCH`` carries the ``version`` the client read (409
if someone saved since). Errors travel to the handlers in ``ctxh.api.root``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ctxh.accounts import access
from ctxh.accounts.models import Organization
from ctxh.accounts.services import token_authenticate
from ctxh.core.models import Term
from ctxh.geo.models import Commune, Province
from ctxh.network import selectors, services
from ctxh.network.models import Provider
from ctxh.people.api import (
    ConflictOut,
    ErrorOut,
    PageQuery,
    PlaceOut,
    StrictIn,
    TermOut,
    _actor,
    _check_choice,
)

router = Router(tags=["providers"])


def reader_auth(request: HttpRequest) -> Any:
    """Bearer token, else the browser session, else the public (an ``AnonymousUser``)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        user = token_authenticate(token.strip())
        if user is not None:
            request.user = user
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return AnonymousUser()


def _staff(obj: Provider) -> bool:
    return bool(getattr(obj, "staff_view", False))


# Shapes ---------------------------------------------------------------------------

STAFF_ONLY = "Chỉ trả về cho cán bộ có quyền xem danh bạ (provider.view); null với người dùng công khai."


class ProviderOut(Schema):
    id: int
    name: str
    type: TermOut
    sector: TermOut
    services: list[TermOut]
    target_groups: list[TermOut]
    description: str
    hours: str
    province: PlaceOut
    commune: PlaceOut | None
    serves_province: bool = Field(..., description="Nhận người ở mọi xã trong tỉnh.")
    address_detail: str
    address: str = Field(..., description="Địa chỉ đầy đủ để in: số nhà/đường, xã/phường, tỉnh.")
    phone: str
    phone_alt: str
    hotline: str
    email: str
    website: str
    is_residential: bool
    capacity: int | None = Field(..., description="Số chỗ nuôi dưỡng (cơ sở nuôi dưỡng tập trung).")
    contact_person: str | None = Field(..., description=STAFF_ONLY)
    is_public: bool | None = Field(..., description=STAFF_ONLY)
    is_active: bool | None = Field(..., description=STAFF_ONLY)
    organization_id: int | None = Field(..., description=STAFF_ONLY)
    version: int | None = Field(..., description=STAFF_ONLY + " Gửi lại khi PATCH.")
    updated_at: dt.datetime | None = Field(..., description=STAFF_ONLY)

    @staticmethod
    def resolve_type(obj: Provider) -> dict[str, str]:
        return obj.type.as_dict()

    @staticmethod
    def resolve_sector(obj: Provider) -> dict[str, str]:
        return obj.sector.as_dict()

    @staticmethod
    def resolve_services(obj: Provider) -> list[dict[str, str]]:
        return [t.as_dict() for t in obj.services.all()]

    @staticmethod
    def resolve_target_groups(obj: Provider) -> list[dict[str, str]]:
        return [t.as_dict() for t in obj.target_groups.all()]

    @staticmethod
    def resolve_province(obj: Provider) -> dict[str, Any]:
        return {"code": obj.province_id, "name": obj.province.name}

    @staticmethod
    def resolve_commune(obj: Provider) -> dict[str, Any] | None:
        return {"code": obj.commune.pk, "name": obj.commune.name} if obj.commune is not None else None

    @staticmethod
    def resolve_contact_person(obj: Provider) -> str | None:
        return obj.contact_person if _staff(obj) else None

    @staticmethod
    def resolve_is_public(obj: Provider) -> bool | None:
        return obj.is_public if _staff(obj) else None

    @staticmethod
    def resolve_is_active(obj: Provider) -> bool | None:
        return obj.is_active if _staff(obj) else None

    @staticmethod
    def resolve_organization_id(obj: Provider) -> int | None:
        return obj.organization_id if _staff(obj) else None

    @staticmethod
    def resolve_version(obj: Provider) -> int | None:
        return obj.version if _staff(obj) else None

    @staticmethod
    def resolve_updated_at(obj: Provider) -> dt.datetime | None:
        return obj.updated_at if _staff(obj) else None


class ProviderPage(Schema):
    items: list[ProviderOut]
    count: int


class ProviderQuery(PageQuery):
    q: str = Field("", description="Tên, địa chỉ, xã (có dấu hoặc không) hoặc số điện thoại.")
    service: str = Field("", description="Mã dịch vụ (danh mục provider_service); mã nhóm gồm mọi dịch vụ con.")
    commune: int | None = Field(None, description="Mã xã: đơn vị ở xã đó và đơn vị phục vụ toàn tỉnh.")
    province: int | None = Field(None, description="Mã tỉnh.")
    type: str = Field("", description="Mã loại đơn vị (provider_type).")
    sector: str = Field("", description="Mã lĩnh vực (provider_sector).")
    target: str = Field("", description="Mã đối tượng phục vụ (provider_target).")
    residential: bool | None = None
    public: bool | None = Field(None, description="Chỉ cán bộ: lọc theo công khai/không công khai.")
    status: str = Field("active", description="Chỉ cán bộ: active, inactive, all.",
                        json_schema_extra={"enum": list(selectors.STATUSES)})
    sort: str = Field("name", json_schema_extra={"enum": list(selectors.SORTS)})


class ProviderFields(StrictIn):
    """Codes for the category lists, numeric codes for places."""

    name: str = ""
    type: str = Field("", description="Mã loại đơn vị (provider_type).")
    sector: str = Field("", description="Mã lĩnh vực; trống thì lấy lĩnh vực thường gặp của loại đơn vị.")
    services: list[str] = Field([], description="Mã dịch vụ (provider_service).")
    target_groups: list[str] = Field([], description="Mã đối tượng (provider_target).")
    description: str = ""
    hours: str = ""
    province: int | None = Field(None, description="Mã tỉnh (2 số).")
    commune: int | None = Field(None, description="Mã xã (5 số).")
    serves_province: bool = False
    address_detail: str = ""
    phone: str = ""
    phone_alt: str = ""
    hotline: str = ""
    email: str = ""
    website: str = ""
    contact_person: str = ""
    is_residential: bool = False
    capacity: int | None = None
    is_public: bool = True
    organization_id: int | None = None


class ProviderIn(ProviderFields):
    name: str
    type: str
    province: int


class ProviderPatch(ProviderFields):
    """Only the fields sent change; ``version`` is the one the client read."""

    version: int
    is_active: bool | None = Field(None, description="false: ngừng hiển thị; true: mở lại.")


# Codes in, rows out -----------------------------------------------------------------

_PLAIN = ["name", "description", "hours", "serves_province", "address_detail", "phone", "phone_alt", "hotline",
          "email", "website", "contact_person", "is_residential", "capacity", "is_public"]


def _service_data(payload: ProviderFields, *, only_set: bool) -> dict[str, Any]:
    """The payload in the shape the services take; unknown codes are reported together."""
    raw = payload.model_dump(exclude_unset=only_set)
    data: dict[str, Any] = {k: raw[k] for k in _PLAIN if k in raw}
    errors: dict[str, list[str]] = {}
    for key, vocabulary in (("type", "provider_type"), ("sector", "provider_sector")):
        if key in raw:
            data[key] = None
            if raw[key]:
                data[key] = Term.objects.of(vocabulary).filter(code=raw[key]).first()
                if data[key] is None:
                    errors[key] = [_("Không có mã “%(code)s” trong danh mục.") % {"code": raw[key]}]
    for key, vocabulary in (("services", "provider_service"), ("target_groups", "provider_target")):
        if key in raw:
            codes = list(dict.fromkeys(raw[key]))
            found = {t.code: t for t in Term.objects.of(vocabulary).filter(code__in=codes)}
            missing = [c for c in codes if c not in found]
            if missing:
                errors[key] = [_("Không có mã “%(code)s” trong danh mục.") % {"code": c} for c in missing]
            data[key] = [found[c] for c in codes if c in found]
    if "province" in raw:
        data["province"] = Province.objects.filter(pk=raw["province"]).first() if raw["province"] else None
        if raw["province"] and data["province"] is None:
            errors["province"] = [_("Không có tỉnh mã %(code)s.") % {"code": raw["province"]}]
    if "commune" in raw:
        data["commune"] = Commune.objects.filter(pk=raw["commune"]).first() if raw["commune"] else None
        if raw["commune"] and data["commune"] is None:
            errors["commune"] = [_("Không có xã mã %(code)s.") % {"code": raw["commune"]}]
    if "organization_id" in raw:
        data["organization"] = None
        if raw["organization_id"]:
            data["organization"] = Organization.objects.filter(pk=raw["organization_id"]).first()
            if data["organization"] is None:
                errors["organization_id"] = [_("Không có đơn vị mã %(code)s.") % {"code": raw["organization_id"]}]
    if errors:
        raise ValidationError(errors)
    return data


def _check_code(field: str, value: str, vocabulary: str) -> None:
    if value and not Term.objects.of(vocabulary).filter(code=value).exists():
        raise ValidationError({field: [_("Không có mã “%(code)s” trong danh mục.") % {"code": value}]})


def _shown(user: Any, provider: Provider) -> Provider:
    provider.staff_view = selectors.is_staff_reader(user)  # type: ignore[attr-defined]
    return provider


def _reload(user: Any, provider: Provider) -> Provider:
    return _shown(user, selectors.provider_get(user=user, pk=provider.pk))


# Endpoints --------------------------------------------------------------------------


@router.get("", auth=reader_auth, response={200: ProviderPage, 401: ErrorOut, 422: ErrorOut})
def providers_list(request: HttpRequest, filters: Query[ProviderQuery]) -> dict[str, Any]:
    """Providers matching the filters, one page at a time; the public sees public, active ones only."""
    user = _actor(request)
    _check_code("service", filters.service, "provider_service")
    _check_code("type", filters.type, "provider_type")
    _check_code("sector", filters.sector, "provider_sector")
    _check_code("target", filters.target, "provider_target")
    _check_choice("status", filters.status, list(selectors.STATUSES))
    _check_choice("sort", filters.sort, list(selectors.SORTS))
    qs = selectors.provider_list(user=user, filters=selectors.ProviderFilters(
        q=filters.q, service=filters.service, commune=filters.commune, province=filters.province,
        type=filters.type, sector=filters.sector, target=filters.target, residential=filters.residential,
        public=filters.public, status=filters.status or "active", sort=filters.sort or "name",
    ))
    items = [_shown(user, p) for p in qs[filters.offset : filters.offset + filters.limit]]
    return {"items": items, "count": qs.count()}


@router.get("/{provider_id}", auth=reader_auth, response={200: ProviderOut, 401: ErrorOut, 404: ErrorOut})
def providers_detail(request: HttpRequest, provider_id: int) -> Provider:
    """One provider; 404 for a provider the caller may not see (the public: not public or not active)."""
    user = _actor(request)
    return _shown(user, selectors.provider_get(user=user, pk=provider_id))


@router.post("", response={201: ProviderOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def providers_create(request: HttpRequest, payload: ProviderIn) -> tuple[int, Provider]:
    """Add a provider (``provider.manage``, in a province the caller covers)."""
    user = _actor(request)
    access.require(user, "provider.manage")
    provider = services.provider_create(actor=user, data=_service_data(payload, only_set=False))
    return 201, _reload(user, provider)


@router.patch("/{provider_id}", response={
    200: ProviderOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut,
})
def providers_update(request: HttpRequest, provider_id: int, payload: ProviderPatch) -> Provider:
    """Change the fields sent (and ``is_active``); 409 with what changed if someone saved after ``version``."""
    user = _actor(request)
    provider = selectors.provider_for_edit(user=user, pk=provider_id)
    data = _service_data(payload, only_set=True)
    with transaction.atomic():
        if data:
            provider = services.provider_update(actor=user, provider=provider, data=data,
                                                expected_version=payload.version)
            version = provider.version
        else:
            version = payload.version
        if payload.is_active is not None:
            provider = services.provider_set_active(actor=user, provider=provider, active=payload.is_active,
                                                    confirmed=True, expected_version=version)
    return _reload(user, provider)
