"""Every change to the registry. Each service validates, writes and audits in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.selectors import changes_since_version
from ctxh.audit.services import audit_record, diff
from ctxh.core.cccd import cccd_check, cmnd_check
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Term
from ctxh.core.text import fold, given_name, normalize_name, normalize_phone
from ctxh.geo.models import Commune
from ctxh.people.duplicates import Candidate
from ctxh.people.models import (
    Consent,
    DatePrecision,
    Disability,
    GroupMembership,
    Household,
    HouseholdMember,
    HouseholdPoverty,
    LifeStatus,
    Person,
    PovertyStandard,
    PovertyStatus,
    Relationship,
)
from ctxh.people.selectors import duplicate_report, household_get, person_get

# Fields a person's register/update accepts, in form order.
PERSON_FIELDS = [
    "full_name", "sex", "birth_date", "birth_precision", "cccd", "old_id_number", "phone",
    "phone_alt", "ethnicity", "province", "commune", "address_detail", "legacy_district",
    "status", "death_date", "notes",
]


class DuplicateSuspected(ValidationError):
    """Likely duplicates exist and no reason to register anyway was given."""

    def __init__(self, visible: list[Candidate], hidden_count: int) -> None:
        super().__init__(
            {"duplicate_reason": [_("Có hồ sơ có thể trùng. Hãy mở hồ sơ đó, hoặc ghi lý do để vẫn đăng ký.")]}
        )
        self.visible = visible
        self.hidden_count = hidden_count


class IdWarning(ValidationError):
    """The CCCD disagrees with the sex or birth year; the user may confirm it."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__({"cccd": warnings})
        self.warnings = warnings


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    if "full_name" in clean:
        clean["full_name"] = normalize_name(clean["full_name"])
    for key in ("phone", "phone_alt"):
        if key in clean:
            clean[key] = normalize_phone(clean[key])
    for key in ("cccd", "old_id_number", "address_detail", "legacy_district", "notes"):
        if key in clean and clean[key] is None:
            clean[key] = ""
        if key in ("cccd", "old_id_number") and clean.get(key):
            clean[key] = str(clean[key]).replace(" ", "").replace(".", "")
    # A partly known birth date is stored as the first day of what is known.
    birth, precision = clean.get("birth_date"), clean.get("birth_precision")
    if birth and precision == DatePrecision.YEAR:
        clean["birth_date"] = birth.replace(month=1, day=1)
    elif birth and precision == DatePrecision.MONTH:
        clean["birth_date"] = birth.replace(day=1)
    if isinstance(clean.get("commune"), Commune) and not clean.get("province"):
        clean["province"] = clean["commune"].province
    return clean


def _validate_person(values: dict[str, Any], *, confirm_id_warning: bool) -> None:
    """Checks a form cannot make alone: dates, commune in province, ID numbers."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not (values.get("full_name") or "").strip():
        errors.setdefault("full_name", []).append(_("Cần nhập họ và tên."))
    birth = values.get("birth_date")
    if birth and birth > today:
        errors.setdefault("birth_date", []).append(_("Ngày sinh không được ở tương lai."))
    if birth and birth.year < 1880:
        errors.setdefault("birth_date", []).append(_("Năm sinh không hợp lý."))
    death = values.get("death_date")
    if death and death > today:
        errors.setdefault("death_date", []).append(_("Ngày mất không được ở tương lai."))
    if death and birth and death < birth:
        errors.setdefault("death_date", []).append(_("Ngày mất không được trước ngày sinh."))
    if values.get("status") == LifeStatus.DECEASED and not death:
        errors.setdefault("death_date", []).append(_("Cần nhập ngày mất."))
    if values.get("status") != LifeStatus.DECEASED and death:
        errors.setdefault("death_date", []).append(_("Chỉ ghi ngày mất khi tình trạng là đã mất."))
    province, commune = values.get("province"), values.get("commune")
    if province is None:
        errors.setdefault("province", []).append(_("Cần chọn tỉnh/thành phố."))
    elif commune is not None and commune.province_id != province.pk:
        errors.setdefault("commune", []).append(
            _("Xã/phường %(commune)s không thuộc %(province)s.") % {"commune": commune, "province": province}
        )
    ethnicity = values.get("ethnicity")
    if ethnicity is not None and ethnicity.vocabulary != "ethnicity":
        errors.setdefault("ethnicity", []).append(_("Dân tộc không hợp lệ."))
    warnings: list[str] = []
    if values.get("cccd"):
        check = cccd_check(values["cccd"], sex=values.get("sex"), birth_year=birth.year if birth else None)
        if check.errors:
            errors.setdefault("cccd", []).extend(check.errors)
        warnings = check.warnings
    if values.get("old_id_number"):
        check = cmnd_check(values["old_id_number"])
        if check.errors:
            errors.setdefault("old_id_number", []).extend(check.errors)
    for key in ("phone", "phone_alt"):
        number = values.get(key) or ""
        if number and not (9 <= len(number) <= 11):
            errors.setdefault(key, []).append(_("Số điện thoại phải có 9 đến 11 chữ số."))
    if values.get("birth_precision") not in DatePrecision.values:
        errors.setdefault("birth_precision", []).append(_("Độ chính xác ngày sinh không hợp lệ."))
    if errors:
        raise ValidationError(errors)
    if warnings and not confirm_id_warning:
        raise IdWarning(warnings)


def _require_covers(actor: Any, *, province_id: int | None, commune_id: int | None) -> None:
    cov = access.coverage(actor)
    if not cov.covers(province_id=province_id, commune_id=commune_id):
        raise ValidationError(
            {"commune": [_("Địa bàn này nằm ngoài phạm vi bạn được phân công.")]}
        )


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    out = {}
    for f in fields:
        field = obj._meta.get_field(f)
        out[f] = getattr(obj, field.attname)
    return out


@transaction.atomic
def person_register(
    *, actor: Any, data: dict[str, Any], duplicate_reason: str = "", confirm_id_warning: bool = False,
) -> Person:
    """Register a person after checking their ID, their place and likely duplicates."""
    access.require(actor, "person.change")
    values = _normalise({"birth_precision": DatePrecision.DAY, "status": LifeStatus.LIVING, **data})
    _validate_person(values, confirm_id_warning=confirm_id_warning)
    _require_covers(
        actor, province_id=values["province"].pk,
        commune_id=values["commune"].pk if values.get("commune") else None,
    )
    report = duplicate_report(
        user=actor, full_name=values["full_name"],
        birth_year=values["birth_date"].year if values.get("birth_date") else None,
        province_id=values["province"].pk, cccd=values.get("cccd", ""),
    )
    reason = (duplicate_reason or "").strip()
    if report.any and not reason:
        raise DuplicateSuspected(report.visible, report.hidden_count)
    person = Person(
        **{k: v for k, v in values.items() if k in PERSON_FIELDS},
        name_folded=fold(values["full_name"]),
        given_folded=fold(given_name(values["full_name"])),
        cccd_warning_confirmed=bool(confirm_id_warning and values.get("cccd")),
        duplicate_reason=reason if report.any else "",
        created_by=actor,
    )
    person.full_clean()
    person.save()
    audit_record(
        actor=actor, action="person.registered", obj=person,
        changes={**_snapshot(person, PERSON_FIELDS), **({"duplicate_reason": reason} if report.any else {})},
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, data: dict[str, Any], expected_version: int,
    confirm_id_warning: bool = False,
) -> Person:
    """Change a person's record unless someone saved it since ``expected_version``."""
    access.require(actor, "person.change")
    current = person_get(user=actor, pk=person.pk)
    if current.version != expected_version:
        raise ConflictError(
            _("Hồ sơ đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi lưu lại."),
            changes_since_version(current, expected_version),
        )
    before = _snapshot(current, PERSON_FIELDS)
    values = _normalise({**{f: getattr(current, f) for f in PERSON_FIELDS}, **data})
    if values.get("cccd") != current.cccd or values.get("sex") != current.sex or values.get("birth_date") != current.birth_date:
        confirm = confirm_id_warning
    else:
        confirm = confirm_id_warning or current.cccd_warning_confirmed
    _validate_person(values, confirm_id_warning=confirm)
    _require_covers(
        actor, province_id=values["province"].pk,
        commune_id=values["commune"].pk if values.get("commune") else None,
    )
    for key in PERSON_FIELDS:
        setattr(current, key, values[key])
    current.name_folded = fold(current.full_name)
    current.given_folded = fold(given_name(current.full_name))
    current.cccd_warning_confirmed = bool(confirm and current.cccd)
    current.full_clean()
    changes = diff(before, _snapshot(current, PERSON_FIELDS))
    if not changes:
        return current
    updated = Person.objects.filter(pk=current.pk, version=expected_version).update(version=F("version") + 1)
    if not updated:  # lost a race between the read above and this write
        raise ConflictError(_("Hồ sơ vừa được người khác lưu. Hãy tải lại trang."))
    current.version = expected_version + 1
    current.save()
    audit_record(actor=actor, action="person.updated", obj=current, changes={**changes, "_version": current.version})
    return current


@transaction.atomic
def person_record_death(*, actor: Any, person_id: int, died_on: dt.date, source: str) -> Person:
    """Record that a person has died, from an act another service has already authorised (a facility
    discharge "qua đời").

    The person becomes "đã mất" with the date; a death already recorded keeps
    its date. The version moves on so an open edit form cannot silently undo it.
    """
    current = Person.objects.select_for_update().get(pk=person_id)
    if current.status == LifeStatus.DECEASED and current.death_date:
        return current
    before = {"status": current.status, "death_date": current.death_date}
    # Only these two fields change: an older record failing today's checks elsewhere must not block the death.
    Person.objects.filter(pk=current.pk).update(status=LifeStatus.DECEASED, death_date=died_on,
                                                version=F("version") + 1, updated_at=timezone.now())
    current.refresh_from_db()
    audit_record(actor=actor, action="person.died", obj=current, changes={
        "status": [before["status"], current.status], "death_date": [before["death_date"], died_on],
        "source": source, "_version": current.version})
    return current


@transaction.atomic
def group_membership_add(
    *, actor: Any, person: Person, group: Term, start_date: dt.date, end_date: dt.date | None,
    source: str,
) -> GroupMembership:
    access.require(actor, "person.change")
    person = person_get(user=actor, pk=person.pk)
    if group.vocabulary not in ("allowance_group", "child_special"):
        raise ValidationError({"group": [_("Diện đối tượng không hợp lệ.")]})
    if group.valid_to and start_date > group.valid_to or start_date < group.valid_from:
        raise ValidationError({"start_date": [_("Diện này không còn hiệu lực vào ngày bắt đầu đã nhập.")]})
    if not (source or "").strip():
        raise ValidationError({"source": [_("Cần ghi căn cứ (số quyết định hoặc văn bản).")]})
    overlap = person.groups.filter(group=group, start_date__lte=end_date or dt.date.max).exclude(
        end_date__lt=start_date
    )
    if overlap.exists():
        raise ValidationError({"start_date": [_("Người này đã thuộc diện đó trong khoảng thời gian này.")]})
    gm = GroupMembership(person=person, group=group, start_date=start_date, end_date=end_date, source=source.strip())
    gm.full_clean()
    gm.save()
    audit_record(actor=actor, action="person.group_added", obj=gm, changes={
        "group": group.code, "start_date": start_date, "end_date": end_date, "source": gm.source})
    return gm


@transaction.atomic
def group_membership_end(*, actor: Any, membership: GroupMembership, end_date: dt.date) -> GroupMembership:
    access.require(actor, "person.change")
    person_get(user=actor, pk=membership.person_id)
    if end_date < membership.start_date:
        raise ValidationError({"end_date": [_("Ngày kết thúc không được trước ngày bắt đầu.")]})
    old = membership.end_date
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit_record(actor=actor, action="person.group_ended", obj=membership, changes={"end_date": [old, end_date]})
    return membership


@transaction.atomic
def disability_record(
    *, actor: Any, person: Person, type: Term, level: Term, certificate_number: str = "",
    certificate_date: dt.date | None = None, issuing_commune: Commune | None = None,
) -> Disability:
    access.require(actor, "person.change")
    person = person_get(user=actor, pk=person.pk)
    errors: dict[str, list[str]] = {}
    if type.vocabulary != "disability_type":
        errors["type"] = [_("Dạng tật không hợp lệ.")]
    if level.vocabulary != "disability_level":
        errors["level"] = [_("Mức độ khuyết tật không hợp lệ.")]
    if certificate_date and certificate_date > timezone.localdate():
        errors["certificate_date"] = [_("Ngày cấp không được ở tương lai.")]
    if errors:
        raise ValidationError(errors)
    d = Disability.objects.create(
        person=person, type=type, level=level, certificate_number=(certificate_number or "").strip(),
        certificate_date=certificate_date, issuing_commune=issuing_commune,
    )
    audit_record(actor=actor, action="person.disability_recorded", obj=d, changes={
        "type": type.code, "level": level.code, "certificate_number": d.certificate_number,
        "certificate_date": certificate_date})
    return d


@transaction.atomic
def consent_record(*, actor: Any, person: Person, data: dict[str, Any]) -> Consent:
    access.require(actor, "person.change")
    person = person_get(user=actor, pk=person.pk)
    consent = Consent(person=person, recorded_by=actor, **data)
    if consent.given_on and consent.given_on > timezone.localdate():
        raise ValidationError({"given_on": [_("Ngày đồng ý không được ở tương lai.")]})
    consent.full_clean()
    consent.save()
    audit_record(actor=actor, action="consent.given", obj=consent, changes={
        "purpose": consent.purpose, "given_by": consent.given_by, "given_on": consent.given_on,
        "method": consent.method})
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, withdrawn_on: dt.date, reason: str) -> Consent:
    access.require(actor, "person.change")
    person_get(user=actor, pk=consent.person_id)
    if consent.withdrawn_on:
        raise ValidationError(_("Sự đồng ý này đã được rút lại."))
    if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": [_("Ngày rút lại phải từ ngày đồng ý đến hôm nay.")]})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = (reason or "").strip()
    consent.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    audit_record(actor=actor, action="consent.withdrawn", obj=consent, changes={
        "withdrawn_on": withdrawn_on, "reason": consent.withdrawal_reason})
    return consent


# Households -----------------------------------------------------------------

HOUSEHOLD_FIELDS = ["province", "commune", "address_detail", "notes"]


def _validate_household(values: dict[str, Any]) -> None:
    province, commune = values.get("province"), values.get("commune")
    if commune is None:
        raise ValidationError({"commune": [_("Cần chọn xã/phường.")]})
    if province is not None and commune.province_id != province.pk:
        raise ValidationError({"commune": [
            _("Xã/phường %(commune)s không thuộc %(province)s.") % {"commune": commune, "province": province}]})


def _next_household_code(commune: Commune) -> str:
    count = Household.objects.filter(commune=commune).count() + 1
    while True:
        code = f"{commune.pk:05d}-{count:05d}"
        if not Household.objects.filter(code=code).exists():
            return code
        count += 1


@transaction.atomic
def household_create(*, actor: Any, data: dict[str, Any], head: Person | None = None) -> Household:
    access.require(actor, "household.change")
    values = dict(data)
    if values.get("commune") is not None and values.get("province") is None:
        values["province"] = values["commune"].province
    _validate_household(values)
    _require_covers(actor, province_id=values["province"].pk, commune_id=values["commune"].pk)
    household = Household(code=_next_household_code(values["commune"]),
                          **{k: values.get(k, "") for k in HOUSEHOLD_FIELDS})
    household.full_clean()
    household.save()
    audit_record(actor=actor, action="household.created", obj=household,
                 changes=_snapshot(household, HOUSEHOLD_FIELDS))
    if head is not None:
        household_member_add(actor=actor, household=household, person=head, relationship=Relationship.HEAD)
    return household


@transaction.atomic
def household_update(*, actor: Any, household: Household, data: dict[str, Any], expected_version: int) -> Household:
    access.require(actor, "household.change")
    current = household_get(user=actor, pk=household.pk)
    if current.version != expected_version:
        raise ConflictError(
            _("Hộ đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây rồi lưu lại."),
            changes_since_version(current, expected_version),
        )
    before = _snapshot(current, HOUSEHOLD_FIELDS)
    values = {**{f: getattr(current, f) for f in HOUSEHOLD_FIELDS}, **data}
    if "commune" in data and "province" not in data and values["commune"] is not None:
        values["province"] = values["commune"].province
    _validate_household(values)
    _require_covers(actor, province_id=values["province"].pk, commune_id=values["commune"].pk)
    for k in HOUSEHOLD_FIELDS:
        setattr(current, k, values[k])
    changes = diff(before, _snapshot(current, HOUSEHOLD_FIELDS))
    if not changes:
        return current
    if not Household.objects.filter(pk=current.pk, version=expected_version).update(version=F("version") + 1):
        raise ConflictError(_("Hộ vừa được người khác lưu. Hãy tải lại trang."))
    current.version = expected_version + 1
    current.save()
    audit_record(actor=actor, action="household.updated", obj=current, changes={**changes, "_version": current.version})
    return current


@transaction.atomic
def household_member_add(
    *, actor: Any, household: Household, person: Person, relationship: str, joined_on: dt.date | None = None,
) -> HouseholdMember:
    access.require(actor, "household.change")
    household = household_get(user=actor, pk=household.pk)
    person = person_get(user=actor, pk=person.pk)
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": [_("Quan hệ với chủ hộ không hợp lệ.")]})
    existing = HouseholdMember.objects.filter(person=person).select_related("household").first()
    if existing is not None:
        raise ValidationError({"person": [
            _("%(person)s đang là thành viên hộ %(code)s; hãy chuyển khỏi hộ đó trước.")
            % {"person": person, "code": existing.household.code}]})
    if relationship == Relationship.HEAD and household.members.filter(relationship=Relationship.HEAD).exists():
        raise ValidationError({"relationship": [_("Mỗi hộ chỉ có một chủ hộ.")]})
    try:
        with transaction.atomic():
            member = HouseholdMember.objects.create(
                household=household, person=person, relationship=relationship, joined_on=joined_on)
    except IntegrityError:
        raise ValidationError({"person": [_("Không thể thêm thành viên: dữ liệu vừa thay đổi, hãy thử lại.")]}) from None
    audit_record(actor=actor, action="household.member_added", obj=household, person_id=person.pk,
                 changes={"person": person.pk, "relationship": relationship})
    return member


@transaction.atomic
def household_member_remove(*, actor: Any, member: HouseholdMember, reason: str) -> None:
    access.require(actor, "household.change")
    household = household_get(user=actor, pk=member.household_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Cần ghi lý do chuyển khỏi hộ.")]})
    person_id = member.person_id
    member.delete()
    audit_record(actor=actor, action="household.member_removed", obj=household, person_id=person_id,
                 changes={"person": person_id, "reason": reason.strip()})


@transaction.atomic
def household_poverty_set(
    *, actor: Any, household: Household, year: int, status: str, decision: str = "",
) -> HouseholdPoverty:
    """Record a year's poverty classification under the standard in force that year."""
    access.require(actor, "household.change")
    household = household_get(user=actor, pk=household.pk)
    if status not in PovertyStatus.values:
        raise ValidationError({"status": [_("Phân loại hộ không hợp lệ.")]})
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": [_("Năm rà soát không hợp lệ.")]})
    on = dt.date(year, 12, 31)
    standard = PovertyStandard.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    if standard is None or (standard.valid_to and standard.valid_to < dt.date(year, 1, 1)):
        raise ValidationError({"year": [_("Chưa có chuẩn nghèo áp dụng cho năm %(year)s.") % {"year": year}]})
    return poverty_row_write(actor=actor, household=household, year=year, status=status, standard=standard,
                             decision=decision)


def poverty_row_write(
    *, actor: Any, household: Household, year: int, status: str, standard: PovertyStandard, decision: str,
    changes: dict[str, Any] | None = None,
) -> HouseholdPoverty:
    """Write a household's classification of a year (by hand or from a survey) and audit it, with what it was.

    Callers have checked access and the values; this is the one place the row changes.
    """
    existing = HouseholdPoverty.objects.select_for_update().filter(household=household, year=year).first()
    before = {"status": existing.status, "standard": existing.standard.code, "decision": existing.decision} \
        if existing else {}
    row = existing or HouseholdPoverty(household=household, year=year)
    row.status, row.standard, row.decision = status, standard, decision
    row.full_clean()
    row.save()
    audit_record(actor=actor, action="household.poverty_set", obj=household, changes={
        "year": year, "status": status, "standard": standard.code, "decision": decision, "before": before,
        **(changes or {})})
    return row
