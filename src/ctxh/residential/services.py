"""Every change to residential care. Each service validates, writes and audits in one transaction.

Admissions and discharges of a stay linked to a case also land on the case
timeline (``CaseEvent`` kind RESIDENCE).

Capacity: the facility's row is locked (``select_for_update``) before its open
stays are counted, so two admissions racing for the last place are served one
after the other (on SQLite the IMMEDIATE transactions already serialise
writers). A full facility refuses the admission unless a director covering the
facility takes the person in anyway and writes why (``over_capacity_reason``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.services import audit_record, diff
from ctxh.core.exceptions import ConflictError
from ctxh.core.rules import RuleMissing, rule_value
from ctxh.core.text import normalize_phone
from ctxh.geo.models import Commune
from ctxh.network.models import Provider
from ctxh.people.models import LifeStatus, Person
from ctxh.residential import selectors
from ctxh.residential.models import (
    REINTEGRATION_REASONS,
    Admission,
    AdmissionKind,
    Destination,
    DischargeReason,
    FollowUp,
    Reintegration,
    Situation,
)
from ctxh.residential.reference import RULE_FOLLOW_UP_MONTHS, RULE_VOLUNTARY_MIN_AGE

# Fields ``admission_update`` may change (the facility and the person never change:
# a move is a discharge "transferred" and a new admission).
ADMISSION_FIELDS = (
    "kind", "admitted_on", "reason", "decision_number", "decision_date", "decided_by", "monthly_fee",
    "contract_number", "payer_name", "case", "notes",
)
_TEXT_FIELDS = {"reason", "decision_number", "decided_by", "contract_number", "payer_name", "notes"}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month when that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today() -> dt.date:
    return timezone.localdate()


def _require_manage(actor: Any, facility: Provider) -> None:
    """404 when the facility is outside what the actor sees, 403 when they may only look."""
    access.require(actor, "residence.manage")
    if not Provider.objects.filter(selectors.facility_scope_q(actor), pk=facility.pk).exists():
        raise Http404
    if not selectors.can_manage(actor, facility):
        raise PermissionDenied(_("Bạn chỉ được xem, không được cập nhật thông tin của cơ sở này."))


def _snapshot(a: Admission) -> dict[str, Any]:
    return {f: getattr(a, Admission._meta.get_field(f).attname) for f in ADMISSION_FIELDS}  # type: ignore[union-attr]


def _lock(admission: Admission, expected_version: int | None) -> Admission:
    locked = Admission.objects.select_for_update().select_related("facility", "person").get(pk=admission.pk)
    if expected_version is not None and locked.version != expected_version:
        from ctxh.audit.selectors import changes_since_version

        raise ConflictError(
            _("Thông tin tiếp nhận đã được người khác sửa sau khi bạn mở. Hãy xem các thay đổi dưới đây "
              "rồi lưu lại."),
            changes_since_version(locked, expected_version),
        )
    return locked


def _bump(admission: Admission, expected_version: int | None) -> None:
    base = admission.version if expected_version is None else expected_version
    if not Admission.objects.filter(pk=admission.pk, version=base).update(version=F("version") + 1):
        raise ConflictError(_("Thông tin tiếp nhận vừa được người khác lưu. Hãy tải lại trang."))
    admission.version = base + 1


def _case_event(admission: Admission, actor: Any, action: str) -> None:
    if admission.case_id is None:
        return
    from ctxh.cases import workflow
    from ctxh.cases.models import CaseEvent

    data: dict[str, Any] = {
        "action": action, "admission": admission.pk, "facility": admission.facility.name,
        "facility_id": admission.facility_id, "kind": admission.kind, "kind_name": admission.get_kind_display(),
    }
    if action == "admitted":
        data.update(date=admission.admitted_on, reason=admission.reason, decision=admission.decision_number)
    else:
        data.update(date=admission.discharged_on, reason=admission.discharge_reason,
                    reason_name=admission.get_discharge_reason_display(), decision=admission.discharge_decision)
    workflow.record_event(admission.case, CaseEvent.Kind.RESIDENCE, actor, data=data)  # type: ignore[arg-type]


def _validate(a: Admission, *, errors: dict[str, list[str]]) -> None:
    """The rules of a stay that hold whether it is new or edited."""
    today = _today()
    if a.kind not in AdmissionKind.values:
        errors["kind"] = [_("Hình thức tiếp nhận không hợp lệ.")]
    if not a.reason:
        errors["reason"] = [_("Cần ghi lý do tiếp nhận.")]
    if a.admitted_on and a.admitted_on > today:
        errors["admitted_on"] = [_("Ngày tiếp nhận không được ở tương lai.")]
    if a.decision_date and a.decision_date > today:
        errors["decision_date"] = [_("Ngày quyết định không được ở tương lai.")]
    if a.kind == AdmissionKind.VOLUNTARY_PAID:
        if not a.monthly_fee:
            errors["monthly_fee"] = [_("Chăm sóc tự nguyện có trả phí cần ghi mức phí hằng tháng.")]
        if not a.payer_name:
            errors["payer_name"] = [_("Cần ghi người trả phí (người thân hoặc chính người cao tuổi).")]
        age = a.person.age_on(a.admitted_on) if a.admitted_on else None
        if age is not None:
            try:
                min_age: int | None = int(rule_value(RULE_VOLUNTARY_MIN_AGE, a.admitted_on))
            except RuleMissing:
                min_age = None
                errors["kind"] = [_("Chưa có quy định tuổi tối thiểu cho chăm sóc tự nguyện có trả phí hiệu lực ngày "
                                    "%(d)s (%(key)s): chưa tiếp nhận được. Hãy báo quản trị viên nhập quy định.")
                                  % {"d": f"{a.admitted_on:%d/%m/%Y}", "key": RULE_VOLUNTARY_MIN_AGE}]
            if min_age is not None and age < min_age:
                errors["kind"] = [_("Chăm sóc tự nguyện có trả phí dành cho người cao tuổi (từ đủ %(age)s tuổi); "
                                    "người này %(now)s tuổi.") % {"age": min_age, "now": age}]
    else:
        if a.monthly_fee:
            errors["monthly_fee"] = [_("Chỉ ghi phí với hình thức tự nguyện có trả phí.")]
        if a.contract_number:
            errors["contract_number"] = [_("Chỉ ghi hợp đồng với hình thức tự nguyện có trả phí.")]
        if a.payer_name:
            errors["payer_name"] = [_("Chỉ ghi người trả phí với hình thức tự nguyện có trả phí.")]
        a.monthly_fee = None
    if a.case_id is not None and a.case is not None and a.case.person_id != a.person_id:
        errors["case"] = [_("Hồ sơ này là của người khác.")]
    if a.admitted_on and a.pk is not None and a.discharged_on and a.discharged_on < a.admitted_on:
        errors["admitted_on"] = [_("Ngày tiếp nhận không được sau ngày rời cơ sở (%(d)s).")
                                 % {"d": f"{a.discharged_on:%d/%m/%Y}"}]
    if a.admitted_on and "admitted_on" not in errors:
        # Stays of one person never overlap; a transfer may leave and arrive on the same day.
        clash = Admission.objects.filter(person_id=a.person_id).exclude(pk=a.pk).filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gt=a.admitted_on))
        if a.discharged_on is not None:
            clash = clash.filter(admitted_on__lt=a.discharged_on)
        other = clash.select_related("facility").order_by("-admitted_on").first()
        if other is not None and other.discharged_on is None:
            errors["person"] = [_("Người này đang ở tại %(f)s từ ngày %(d)s; cần làm thủ tục rời cơ sở trước.")
                                % {"f": other.facility.name, "d": f"{other.admitted_on:%d/%m/%Y}"}]
        elif other is not None:
            errors["admitted_on"] = [_("Người này đã ở tại %(f)s từ %(a)s đến %(d)s; ngày tiếp nhận không được "
                                       "trước ngày rời cơ sở đó.") % {
                "f": other.facility.name, "a": f"{other.admitted_on:%d/%m/%Y}",
                "d": f"{other.discharged_on:%d/%m/%Y}"}]


def _check_case(actor: Any, case: Any) -> None:
    if case is None:
        return
    from ctxh.cases.selectors import case_queryset

    if not case_queryset(user=actor).filter(pk=case.pk).exists():
        raise ValidationError({"case": [_("Không tìm thấy hồ sơ này trong phạm vi bạn được xem.")]})


def _save(a: Admission) -> None:
    try:
        with transaction.atomic():
            a.save()
    except IntegrityError:
        # Two admissions of the same person at once: the partial unique index decided.
        raise ValidationError({"person": [
            _("Người này đang ở tại một cơ sở; cần làm thủ tục rời cơ sở trước.")]}) from None


@transaction.atomic
def admission_create(
    *, actor: Any, person: Person, facility: Provider, kind: str, admitted_on: dt.date, reason: str,
    decision_number: str = "", decision_date: dt.date | None = None, decided_by: str = "",
    monthly_fee: int | None = None, contract_number: str = "", payer_name: str = "", case: Any = None,
    notes: str = "", over_capacity_reason: str = "",
) -> Admission:
    """Take a person into a residential facility (tiếp nhận vào cơ sở)."""
    _require_manage(actor, facility)
    # The facility row is the lock every admission to it queues on.
    facility = Provider.objects.select_for_update().get(pk=facility.pk)
    errors: dict[str, list[str]] = {}
    if not facility.is_residential:
        errors["facility"] = [_("%(f)s không phải cơ sở có nuôi dưỡng tập trung.") % {"f": facility.name}]
    elif not facility.is_active:
        errors["facility"] = [_("%(f)s đã ngừng hoạt động.") % {"f": facility.name}]
    if person.status == LifeStatus.DECEASED:
        errors["person"] = [_("Người này đã được ghi là đã mất.")]
    _check_case(actor, case)
    admission = Admission(
        person=person, facility=facility, kind=kind, admitted_on=admitted_on, reason=(reason or "").strip(),
        decision_number=(decision_number or "").strip(), decision_date=decision_date,
        decided_by=(decided_by or "").strip(), monthly_fee=monthly_fee or None,
        contract_number=(contract_number or "").strip(), payer_name=(payer_name or "").strip(), case=case,
        notes=(notes or "").strip(), created_by=actor,
    )
    _validate(admission, errors=errors)
    override = (over_capacity_reason or "").strip()
    if not errors and facility.capacity is not None:
        taken = selectors.open_count(facility)
        if taken >= facility.capacity:
            if not override:
                errors["facility"] = [_(
                    "%(f)s đã đủ chỗ: %(n)s người đang ở trên %(c)s chỗ. Không thể tiếp nhận thêm; lãnh đạo có "
                    "thể quyết định tiếp nhận vượt số chỗ và ghi rõ lý do.") % {
                    "f": facility.name, "n": taken, "c": facility.capacity}]
            elif not selectors.may_override_capacity(actor, facility):
                errors["over_capacity_reason"] = [_("Chỉ lãnh đạo mới được quyết định tiếp nhận vượt số chỗ.")]
            else:
                admission.over_capacity_reason = override
    if errors:
        raise ValidationError(errors)
    admission.full_clean(exclude=["case", "created_by"])
    _save(admission)
    audit_record(actor=actor, action="residence.admitted", obj=admission, changes={
        "facility": facility.pk, "kind": kind, "admitted_on": admitted_on, "decision_number": admission.decision_number,
        "monthly_fee": admission.monthly_fee, "case": admission.case_id,
        **({"over_capacity_reason": admission.over_capacity_reason} if admission.over_capacity_reason else {}),
    })
    _case_event(admission, actor, "admitted")
    return admission


@transaction.atomic
def admission_update(*, actor: Any, admission: Admission, data: dict[str, Any], expected_version: int) -> Admission:
    """Correct a stay's admission facts unless someone saved it since ``expected_version``."""
    selectors.admission_get(user=actor, pk=admission.pk)
    _require_manage(actor, admission.facility)
    current = _lock(admission, expected_version)
    unknown = set(data) - set(ADMISSION_FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được các trường: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    before = _snapshot(current)
    for key, value in data.items():
        if key in _TEXT_FIELDS:
            value = (value or "").strip()
        if key == "monthly_fee":
            value = value or None
        setattr(current, key, value)
    if "case" in data and data["case"] is not None and data["case"].pk != before["case"]:
        _check_case(actor, data["case"])
    errors: dict[str, list[str]] = {}
    _validate(current, errors=errors)
    if errors:
        raise ValidationError(errors)
    current.full_clean(exclude=["case", "created_by"])
    changes = diff(before, _snapshot(current))
    if not changes:
        return current
    _bump(current, expected_version)
    current.save()
    audit_record(actor=actor, action="residence.updated", obj=current, changes={**changes, "_version": current.version})
    return current


@transaction.atomic
def resident_discharge(
    *, actor: Any, admission: Admission, discharged_on: dt.date, reason: str, decision: str = "",
    note: str = "", transferred_to: Provider | None = None, expected_version: int | None = None,
) -> Admission:
    """A resident leaves the facility (rời cơ sở): home, elsewhere, or died."""
    selectors.admission_get(user=actor, pk=admission.pk)
    _require_manage(actor, admission.facility)
    current = _lock(admission, expected_version)
    errors: dict[str, list[str]] = {}
    if current.discharged_on is not None:
        raise ValidationError(_("%(p)s đã rời cơ sở ngày %(d)s.") % {
            "p": current.person.full_name, "d": f"{current.discharged_on:%d/%m/%Y}"})
    if reason not in DischargeReason.values:
        errors["reason"] = [_("Chọn lý do rời cơ sở.")]
    if discharged_on is None:
        errors["discharged_on"] = [_("Cần ghi ngày rời cơ sở.")]
    elif discharged_on > _today():
        errors["discharged_on"] = [_("Ngày rời cơ sở không được ở tương lai.")]
    elif discharged_on < current.admitted_on:
        errors["discharged_on"] = [_("Ngày rời cơ sở không được trước ngày tiếp nhận (%(d)s).")
                                   % {"d": f"{current.admitted_on:%d/%m/%Y}"}]
    if transferred_to is not None:
        if reason != DischargeReason.TRANSFERRED:
            errors["transferred_to"] = [_("Chỉ ghi cơ sở nhận khi chuyển đến cơ sở khác.")]
        elif transferred_to.pk == current.facility_id:
            errors["transferred_to"] = [_("Cơ sở nhận phải khác cơ sở hiện tại.")]
        elif not transferred_to.is_residential:
            errors["transferred_to"] = [_("%(f)s không phải cơ sở có nuôi dưỡng tập trung.")
                                        % {"f": transferred_to.name}]
    if errors:
        raise ValidationError(errors)
    current.discharged_on = discharged_on
    current.discharge_reason = reason
    current.discharge_decision = (decision or "").strip()
    current.discharge_note = (note or "").strip()
    current.transferred_to = transferred_to
    current.full_clean(exclude=["case", "created_by"])
    _bump(current, expected_version)
    current.save()
    audit_record(actor=actor, action="residence.discharged", obj=current, changes={
        "discharged_on": [None, discharged_on], "discharge_reason": [None, reason],
        "discharge_decision": [None, current.discharge_decision],
        "transferred_to": [None, transferred_to.pk if transferred_to else None], "_version": current.version,
    })
    _case_event(current, actor, "discharged")
    if reason == DischargeReason.DIED:
        from ctxh.people.services import person_record_death

        person_record_death(actor=actor, person_id=current.person_id, died_on=discharged_on,
                            source=_("Rời cơ sở %(f)s: qua đời") % {"f": current.facility.name})
    return current


def follow_up_minimum(discharged_on: dt.date) -> dt.date:
    """The earliest end of the follow-up: the discharge plus the rule's months in force that day."""
    return add_months(discharged_on, int(rule_value(RULE_FOLLOW_UP_MONTHS, discharged_on)))


@transaction.atomic
def reintegration_record(
    *, actor: Any, admission: Admission, commune: Commune | None, receiver_name: str,
    receiver_relationship: str = "", receiver_phone: str = "", address_detail: str = "",
    follow_up_until: dt.date | None = None, notes: str = "",
) -> Reintegration:
    """Record who took a person back home and until when they are followed up (tái hòa nhập)."""
    selectors.admission_get(user=actor, pk=admission.pk)
    _require_manage(actor, admission.facility)
    current = _lock(admission, None)
    if current.discharged_on is None or current.discharge_reason not in REINTEGRATION_REASONS:
        raise ValidationError(_("Chỉ ghi tái hòa nhập khi đối tượng đã rời cơ sở để trở về gia đình hoặc cộng đồng."))
    if Reintegration.objects.filter(admission=current).exists():
        raise ValidationError(_("Lượt rời cơ sở này đã có thông tin tái hòa nhập."))
    destination = (Destination.FAMILY if current.discharge_reason == DischargeReason.RETURNED_FAMILY
                   else Destination.COMMUNE)
    errors: dict[str, list[str]] = {}
    if commune is None:
        errors["commune"] = [_("Chọn xã/phường nơi đối tượng trở về.")]
    if not (receiver_name or "").strip():
        errors["receiver_name"] = [_("Cần ghi họ tên người tiếp nhận.")]
    if destination == Destination.FAMILY and not (receiver_relationship or "").strip():
        errors["receiver_relationship"] = [_("Cần ghi quan hệ của người tiếp nhận với đối tượng.")]
    try:
        minimum = follow_up_minimum(current.discharged_on)
    except RuleMissing as exc:
        raise ValidationError(str(exc)) from None
    until = follow_up_until or minimum
    if until < minimum:
        months = rule_value(RULE_FOLLOW_UP_MONTHS, current.discharged_on)
        errors["follow_up_until"] = [_("Phải theo dõi ít nhất %(m)s tháng sau khi trở về, tức đến ngày %(d)s trở đi "
                                       "(Thông tư 02/2020/TT-BLĐTBXH, Điều 10.2).") % {
            "m": months, "d": f"{minimum:%d/%m/%Y}"}]
    if errors:
        raise ValidationError(errors)
    phone = (receiver_phone or "").strip()
    r = Reintegration(
        admission=current, destination=destination, commune=commune, address_detail=(address_detail or "").strip(),
        receiver_name=receiver_name.strip(), receiver_relationship=(receiver_relationship or "").strip(),
        receiver_phone=normalize_phone(phone) if phone else "", follow_up_until=until, notes=(notes or "").strip(),
        created_by=actor,
    )
    r.full_clean(exclude=["created_by"])
    r.save()
    audit_record(actor=actor, action="residence.reintegration_recorded", obj=r, person_id=current.person_id, changes={
        "admission": current.pk, "destination": destination, "commune": commune.pk if commune else None,
        "receiver_name": r.receiver_name, "receiver_relationship": r.receiver_relationship,
        "follow_up_until": until,
    })
    return r


@transaction.atomic
def follow_up_record(
    *, actor: Any, reintegration: Reintegration, visited_on: dt.date, situation: str, notes: str = "",
) -> FollowUp:
    """Record a follow-up visit to a person back home."""
    admission = reintegration.admission
    selectors.admission_get(user=actor, pk=admission.pk)
    _require_manage(actor, admission.facility)
    errors: dict[str, list[str]] = {}
    if situation not in Situation.values:
        errors["situation"] = [_("Chọn tình hình của đối tượng.")]
    if visited_on is None:
        errors["visited_on"] = [_("Cần ghi ngày theo dõi.")]
    elif visited_on > _today():
        errors["visited_on"] = [_("Ngày theo dõi không được ở tương lai.")]
    elif admission.discharged_on and visited_on < admission.discharged_on:
        errors["visited_on"] = [_("Ngày theo dõi không được trước ngày rời cơ sở (%(d)s).")
                                % {"d": f"{admission.discharged_on:%d/%m/%Y}"}]
    if situation != Situation.STABLE and not (notes or "").strip():
        errors["notes"] = [_("Ghi rõ nguy cơ hoặc hỗ trợ cần thêm.")]
    if errors:
        raise ValidationError(errors)
    f = FollowUp(reintegration=reintegration, visited_on=visited_on, visited_by=actor, situation=situation,
                 notes=(notes or "").strip())
    f.full_clean()
    f.save()
    audit_record(actor=actor, action="residence.follow_up_recorded", obj=f, person_id=admission.person_id, changes={
        "reintegration": reintegration.pk, "visited_on": visited_on, "situation": situation})
    return f
