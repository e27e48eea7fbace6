"""Writes to the provider directory: create, update, activate/deactivate.

Every write checks ``provider.manage`` and that the actor covers the
provider's province, validates, saves and writes the audit entry in one
transaction. Edits carry the version the user read (optimistic locking).
The staff pages and the JSON API call these same functions.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.selectors import changes_since_version
from ctxh.audit.services import audit_record, diff
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Term
from ctxh.core.text import digits, fold
from ctxh.network.models import Provider
from ctxh.network.selectors import can_manage, provider_for_edit

TEXT_FIELDS = [
    "name", "description", "hours", "address_detail", "phone", "phone_alt", "hotline", "email", "website",
    "contact_person",
]
FLAG_FIELDS = ["serves_province", "is_residential", "is_public"]
FK_FIELDS = ["type", "sector", "province", "commune", "organization"]
M2M_FIELDS = ["services", "target_groups"]
FIELDS = [*TEXT_FIELDS, *FLAG_FIELDS, *FK_FIELDS, "capacity", *M2M_FIELDS]

_PHONE = re.compile(r"^[0-9 .()+\-]+$")
_VOCABULARY = {
    "type": "provider_type", "sector": "provider_sector", "services": "provider_service",
    "target_groups": "provider_target",
}


def _clean_text(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _label(value: Any) -> Any:
    """How a value reads in the audit log and in a conflict message."""
    if value is None:
        return None
    if isinstance(value, Term):
        return value.name
    if hasattr(value, "_meta"):
        return str(value)
    return value


def _snapshot(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key in FIELDS:
        value = values.get(key)
        if key in M2M_FIELDS:
            out[key] = "; ".join(sorted(t.name for t in value or []))
        else:
            out[key] = _label(value)
    return out


def _current_values(provider: Provider) -> dict[str, Any]:
    values = {k: getattr(provider, k) for k in [*TEXT_FIELDS, *FLAG_FIELDS, *FK_FIELDS, "capacity"]}
    values["services"] = list(provider.services.all())
    values["target_groups"] = list(provider.target_groups.all())
    return values


def _validate(values: dict[str, Any], *, exclude_pk: int | None) -> None:
    """Every rule of a directory entry; all errors at once, each on its field, in Vietnamese."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if len(values["name"]) < 3:
        add("name", _("Cần nhập tên đơn vị (ít nhất 3 ký tự)."))
    for key in ("type", "sector"):
        term = values.get(key)
        if term is None:
            add(key, _("Cần chọn loại đơn vị.") if key == "type" else _("Cần chọn lĩnh vực."))
        elif term.vocabulary != _VOCABULARY[key]:
            add(key, _("Giá trị không thuộc danh mục."))
    for key in M2M_FIELDS:
        if any(t.vocabulary != _VOCABULARY[key] for t in values.get(key) or []):
            add(key, _("Có mục không thuộc danh mục."))
    province = values.get("province")
    commune = values.get("commune")
    if province is None:
        add("province", _("Cần chọn tỉnh/thành phố."))
    elif commune is not None and commune.province_id != province.pk:
        add("commune", _("Xã/phường này không thuộc tỉnh đã chọn."))
    for key in ("phone", "phone_alt", "hotline"):
        value = values.get(key) or ""
        if value and (not _PHONE.match(value) or not 3 <= len(digits(value)) <= 15):
            add(key, _("Số điện thoại chỉ gồm chữ số (3 đến 15 số), có thể có dấu cách, dấu chấm hoặc gạch ngang."))
    if not (values.get("phone") or values.get("hotline") or values.get("email")):
        add("phone", _("Cần ít nhất một cách liên hệ: điện thoại, đường dây nóng hoặc thư điện tử."))
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            add("email", _("Địa chỉ thư điện tử không hợp lệ (ví dụ: ctxh@quangninh.gov.vn)."))
    if values.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(values["website"])
        except ValidationError:
            add("website", _("Địa chỉ trang web không hợp lệ (ví dụ: https://ctxh.quangninh.gov.vn)."))
    capacity = values.get("capacity")
    if values.get("is_residential"):
        if not capacity:
            add("capacity", _("Cơ sở có nuôi dưỡng tập trung cần ghi số chỗ (lớn hơn 0)."))
    elif capacity is not None:
        add("capacity", _("Chỉ cơ sở có nuôi dưỡng tập trung mới có số chỗ. Bỏ trống ô này hoặc đánh dấu “có nuôi dưỡng tập trung”."))
    organization = values.get("organization")
    if organization is not None and province is not None and organization.province_id != province.pk:
        add("organization", _("Đơn vị có tài khoản CTXH phải ở cùng tỉnh với đơn vị cung cấp dịch vụ."))
    if province is not None and "name" not in errors:
        same = Provider.objects.filter(name_folded=fold(values["name"]), province=province, commune=commune)
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            add("name", _("Đã có đơn vị cùng tên tại địa bàn này. Kiểm tra lại trước khi thêm."))
    if errors:
        raise ValidationError(errors)


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in TEXT_FIELDS:
        out[key] = _clean_text(out.get(key))
    for key in FLAG_FIELDS:
        out[key] = bool(out.get(key))
    if out["website"] and "://" not in out["website"]:
        out["website"] = "https://" + out["website"]
    if out.get("capacity") in ("", 0):
        out["capacity"] = None if not out.get("is_residential") else out.get("capacity")
    for key in M2M_FIELDS:
        out[key] = list(dict.fromkeys(out.get(key) or []))
    kind = out.get("type")
    if out.get("sector") is None and kind is not None and (kind.extra or {}).get("sector"):
        # The usual sector of the type ("police" → police and justice).
        out["sector"] = Term.objects.of("provider_sector").filter(code=kind.extra["sector"]).first()
    return out


def _apply(provider: Provider, values: dict[str, Any]) -> None:
    for key in [*TEXT_FIELDS, *FLAG_FIELDS, *FK_FIELDS, "capacity"]:
        setattr(provider, key, values.get(key))


def _full_clean(provider: Provider) -> None:
    # Model validation (e-mail, URL, lengths, the capacity constraint); the
    # M2M fields and version are handled here, not by the model.
    provider.name_folded = fold(provider.name)
    provider.search_folded = provider.folded_for_search()
    provider.full_clean(exclude=["created_by"])


@transaction.atomic
def provider_create(*, actor: Any, data: dict[str, Any]) -> Provider:
    """Add a provider to the directory (``provider.manage``, in a province the actor covers)."""
    access.require(actor, "provider.manage")
    values = _normalise({"is_public": True, **data})
    _validate(values, exclude_pk=None)
    if not can_manage(user=actor, province_id=values["province"].pk):
        raise ValidationError({"province": [_("Bạn chỉ được thêm đơn vị thuộc tỉnh mình phụ trách.")]})
    provider = Provider(created_by=actor if getattr(actor, "pk", None) else None)
    _apply(provider, values)
    _full_clean(provider)
    provider.save()
    provider.services.set(values["services"])
    provider.target_groups.set(values["target_groups"])
    audit_record(actor=actor, action="provider.created", obj=provider,
                 changes={k: v for k, v in _snapshot(values).items() if v not in (None, "", False)})
    return provider


@transaction.atomic
def provider_update(*, actor: Any, provider: Provider, data: dict[str, Any], expected_version: int) -> Provider:
    """Change the fields in ``data`` unless someone saved the provider after ``expected_version``."""
    current = provider_for_edit(user=actor, pk=provider.pk)
    if current.version != expected_version:
        raise ConflictError(
            _("Thông tin đơn vị đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi lưu lại."),
            changes_since_version(current, expected_version),
        )
    before_values = _current_values(current)
    values = _normalise({**before_values, **{k: v for k, v in data.items() if k in FIELDS}})
    _validate(values, exclude_pk=current.pk)
    if not can_manage(user=actor, province_id=values["province"].pk):
        raise ValidationError({"province": [_("Bạn chỉ được chuyển đơn vị sang tỉnh mình phụ trách.")]})
    changes = diff(_snapshot(before_values), _snapshot(values))
    if not changes:
        return current
    _apply(current, values)
    _full_clean(current)
    updated = Provider.objects.filter(pk=current.pk, version=expected_version).update(version=F("version") + 1)
    if not updated:  # lost a race between the read above and this write
        raise ConflictError(_("Thông tin đơn vị vừa được người khác lưu. Hãy tải lại trang."))
    current.version = expected_version + 1
    current.save()
    if "services" in changes:
        current.services.set(values["services"])
    if "target_groups" in changes:
        current.target_groups.set(values["target_groups"])
    audit_record(actor=actor, action="provider.updated", obj=current, changes={**changes, "_version": current.version})
    return current


@transaction.atomic
def provider_set_active(
    *, actor: Any, provider: Provider, active: bool, confirmed: bool, expected_version: int | None = None,
    reason: str = "",
) -> Provider:
    """Take a provider out of the directory (it stays on old referrals) or bring it back.

    The user must confirm: a deactivated provider disappears at once from the
    public portal, the printed handbook and the referral pickers.
    """
    current = provider_for_edit(user=actor, pk=provider.pk)
    if current.is_active == active:
        return current
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            _("Thông tin đơn vị đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi làm lại."),
            changes_since_version(current, expected_version),
        )
    if not confirmed:
        raise ValidationError({"confirmed": [
            _("Hãy xác nhận: đơn vị sẽ không còn hiện trong danh bạ, cổng thông tin và sổ tay.") if not active
            else _("Hãy xác nhận: đơn vị sẽ hiện lại trong danh bạ.")]})
    version = current.version
    updated = Provider.objects.filter(pk=current.pk, version=version).update(version=F("version") + 1)
    if not updated:
        raise ConflictError(_("Thông tin đơn vị vừa được người khác lưu. Hãy tải lại trang."))
    current.version = version + 1
    current.is_active = active
    current.save(update_fields=["is_active", "version", "updated_at"])
    audit_record(actor=actor, action="provider.activated" if active else "provider.deactivated", obj=current,
                 changes={"is_active": [not active, active], "reason": _clean_text(reason),
                          "_version": current.version})
    return current
