"""Every write of one-off support, needs, surveys and donations.

Each service checks the capability, re-reads what it touches through the
scoped selectors (a record outside the actor's area is 404), validates,
writes, and records the audit entry in one transaction. The HTML pages and
the JSON API call these same functions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.audit.services import audit_record
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Term
from ctxh.core.text import digits, fold
from ctxh.geo.models import Commune
from ctxh.people.models import Household, HouseholdMember, LifeStatus, Person
from ctxh.people.selectors import household_get, person_get, person_queryset
from ctxh.support import amounts, files, selectors
from ctxh.support.imports import COLUMN_LABELS, ImportRejected, RowError, SourceRow
from ctxh.support.models import (
    Allocation,
    Donation,
    Donor,
    DonorKind,
    Grant,
    Need,
    NeedsSurvey,
    NeedStatus,
)

# Helpers ------------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _recipient(actor: Any, person: Person | None, household: Household | None) -> tuple[
        Person | None, Household | None]:
    """The recipient re-read through the actor's scope (404 outside it); exactly one of the two."""
    if (person is None) == (household is None):
        raise ValidationError({"person": [_("Chọn một người hoặc một hộ gia đình nhận (chỉ một trong hai).")]})
    if person is not None:
        return person_get(user=actor, pk=person.pk), None
    assert household is not None
    return None, household_get(user=actor, pk=household.pk)


def _place(person: Person | None, household: Household | None) -> dict[str, Any]:
    who: Any = person if person is not None else household
    return {"person": person, "household": household, "province_id": who.province_id, "commune_id": who.commune_id}


def _check_term(term: Term | None, vocabulary: str, on: dt.date, field: str, errors: dict[str, list[str]],
                *, required: bool = True) -> None:
    if term is None:
        if required:
            errors[field] = [_("Cần chọn mục này.")]
        return
    if term.vocabulary != vocabulary:
        errors[field] = [_("“%(name)s” không thuộc danh mục này.") % {"name": term.label}]
    elif term.valid_from > on or (term.valid_to is not None and term.valid_to < on):
        errors[field] = [_("“%(name)s” không có hiệu lực vào ngày %(on)s.") % {"name": term.label,
                                                                               "on": f"{on:%d/%m/%Y}"}]


def _not_future(value: dt.date | None, field: str, errors: dict[str, list[str]]) -> None:
    if value is not None and value > _today():
        errors.setdefault(field, []).append(_("Ngày này chưa đến."))


def _check_version(current: Any, expected: int | None, what: str) -> None:
    if expected is not None and current.version != expected:
        raise ConflictError(_("%(what)s vừa được người khác cập nhật. Hãy xem lại trước khi lưu.") % {"what": what})


def _same_recipient(a_person: int | None, a_household: int | None, b_person: int | None,
                    b_household: int | None) -> bool:
    """Same person, same household, or a person and the household they belong to."""
    if a_person and a_person == b_person:
        return True
    if a_household and a_household == b_household:
        return True
    if a_person and b_household:
        return HouseholdMember.objects.filter(person_id=a_person, household_id=b_household).exists()
    if a_household and b_person:
        return HouseholdMember.objects.filter(person_id=b_person, household_id=a_household).exists()
    return False


def _keep_file(grant_or_allocation: Any, proof_file: Any, written: list[Path]) -> None:
    if proof_file is not None:
        written.append(files.store_proof(grant_or_allocation, proof_file))


def _cleanup(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)


def _receipt_errors(*, given_on: dt.date | None, received_by: str, received_on: dt.date | None,
                    errors: dict[str, list[str]]) -> None:
    if received_on is not None and not received_by.strip():
        errors["received_by"] = [_("Cần ghi họ tên người ký nhận.")]
    if received_by.strip() and received_on is None:
        errors["received_on"] = [_("Cần ghi ngày nhận.")]
    _not_future(received_on, "received_on", errors)
    if received_on and given_on and received_on < given_on:
        errors.setdefault("received_on", []).append(_("Ngày nhận không được trước ngày hỗ trợ."))


# Grants ---------------------------------------------------------------------------------------------


def grant_record(
    *, actor: Any, kind: Term, given_on: dt.date, reason: str, funding: Term,
    person: Person | None = None, household: Household | None = None,
    amount: int | None = None, item: Term | None = None, quantity: int | None = None, unit: str = "",
    persons_count: int | None = None, months: int | None = None, event_date: dt.date | None = None,
    donation: Donation | None = None, project_name: str = "", case: Any = None, need: Need | None = None,
    received_by: str = "", received_on: dt.date | None = None, receipt_number: str = "", proof_file: Any = None,
) -> Grant:
    """Record support given once to a person or a household.

    Emergency kinds are checked against the rule rows in force on the
    ``event_date``: less than the legal minimum is refused with the minimum and
    its formula; more is accepted. Funded by a donation, the grant draws an
    allocation from it (``donation.manage``, never more than remains). Linked
    to a case, it lands on the case timeline; given for a need, the need is
    marked fulfilled by it.
    """
    written: list[Path] = []
    try:
        with transaction.atomic():
            return _grant_record(
                actor=actor, kind=kind, given_on=given_on, reason=reason, funding=funding, person=person,
                household=household, amount=amount, item=item, quantity=quantity, unit=unit,
                persons_count=persons_count, months=months, event_date=event_date, donation=donation,
                project_name=project_name, case=case, need=need, received_by=received_by, received_on=received_on,
                receipt_number=receipt_number, proof_file=proof_file, written=written)
    except BaseException:
        _cleanup(written)
        raise


def _grant_record(*, actor: Any, kind: Term, given_on: dt.date, reason: str, funding: Term,
                  person: Person | None, household: Household | None, amount: int | None, item: Term | None,
                  quantity: int | None, unit: str, persons_count: int | None, months: int | None,
                  event_date: dt.date | None, donation: Donation | None, project_name: str, case: Any,
                  need: Need | None, received_by: str, received_on: dt.date | None, receipt_number: str,
                  proof_file: Any, written: list[Path]) -> Grant:
    from ctxh.cases import workflow
    from ctxh.cases.models import CaseEvent
    from ctxh.cases.selectors import case_get

    access.require(actor, "support.manage")
    person, household = _recipient(actor, person, household)
    errors: dict[str, list[str]] = {}
    if given_on is None:
        raise ValidationError({"given_on": [_("Cần ghi ngày hỗ trợ.")]})
    _not_future(given_on, "given_on", errors)
    _check_term(kind, "support_kind", given_on, "kind", errors)
    _check_term(funding, "funding_source_kind", given_on, "funding", errors)
    _check_term(item, "support_item", given_on, "item", errors, required=False)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Cần ghi lý do, hoàn cảnh được hỗ trợ.")]
    extra = (kind.extra or {}) if "kind" not in errors else {}
    if extra.get("event") and event_date is None:
        errors["event_date"] = [_("Cần ghi ngày xảy ra sự việc: mức hỗ trợ tính theo quy định có hiệu lực ngày đó.")]
    if event_date is not None and event_date > given_on:
        errors["event_date"] = [_("Ngày xảy ra sự việc không được sau ngày hỗ trợ.")]
    requires = (funding.extra or {}).get("requires") if "funding" not in errors else None
    project_name = (project_name or "").strip()
    if requires == "project" and not project_name:
        errors["project_name"] = [_("Cần ghi tên dự án, chương trình tài trợ.")]
    if requires == "donation":
        if donation is None:
            errors["donation"] = [_("Chọn khoản tài trợ dùng cho hỗ trợ này.")]
        else:
            access.require(actor, "donation.manage")
            donation = selectors.donation_get(user=actor, pk=donation.pk)
            if donation.is_cash and amount is None:
                errors["amount"] = [_("Khoản tài trợ bằng tiền: cần ghi số tiền trích ra.")]
            elif not donation.is_cash and item is None:
                item = donation.item
            elif not donation.is_cash and item is not None and item.pk != donation.item_id:
                errors["item"] = [_("Khoản tài trợ này là %(item)s, không phải %(other)s.")
                                  % {"item": donation.item, "other": item.label}]
    elif donation is not None:
        errors["donation"] = [_("Chỉ chọn khoản tài trợ khi nguồn kinh phí là nhà tài trợ.")]
    if extra.get("item") and item is None:
        item = Term.objects.of("support_item").filter(code=extra["item"]).first()
    if extra.get("goods") and item is None:
        errors["item"] = [_("Cần chọn hiện vật trao tặng.")]
    if amount is not None and amount < 0:
        errors["amount"] = [_("Số tiền không được âm.")]
    if item is not None and (quantity is None or quantity <= 0):
        errors["quantity"] = [_("Cần ghi số lượng hiện vật (lớn hơn 0).")]
    if quantity is not None and item is None and "item" not in errors:
        errors["item"] = [_("Cần chọn hiện vật cho số lượng đã ghi.")]
    if amount is None and item is None and not errors.get("item") and not errors.get("amount"):
        errors["amount"] = [_("Cần ghi số tiền hoặc hiện vật hỗ trợ.")]
    if item is not None and not unit:
        unit = (item.extra or {}).get("unit", "")
    calc = None
    if "kind" not in errors and "event_date" not in errors:
        calc, rule_errors = amounts.check(kind, on=event_date or given_on, amount=amount, quantity=quantity,
                                          persons=persons_count, months=months)
        for key, messages in rule_errors.items():
            errors.setdefault(key, []).extend(messages)
    if case is not None:
        try:
            case = case_get(user=actor, pk=case.pk)
        except Http404:
            errors["case"] = [_("Không tìm thấy hồ sơ trong phạm vi bạn được xem.")]
        else:
            if not _same_recipient(case.person_id, None, person.pk if person else None,
                                   household.pk if household else None):
                errors["case"] = [_("Hồ sơ %(number)s là của người khác, không phải người (hộ) nhận hỗ trợ.")
                                  % {"number": case.number}]
    if need is not None:
        need = _need_for_support(actor, need, person, household, errors, on=given_on)
    _receipt_errors(given_on=given_on, received_by=received_by, received_on=received_on, errors=errors)
    if errors:
        raise ValidationError(errors)

    allocation = None
    if donation is not None:
        allocation = _allocate(
            actor=actor, donation=donation, person=person, household=household,
            value=(amount if donation.is_cash else quantity) or 0, allocated_on=given_on,
            note=reason, received_by=received_by, received_on=received_on, receipt_number=receipt_number,
            field="amount" if donation.is_cash else "quantity")
    grant = Grant(
        **_place(person, household), kind=kind, case=case, amount=amount, item=item, quantity=quantity,
        unit=unit[:20], persons_count=persons_count, months=months,
        calculation=calc.as_dict() if calc else {}, funding=funding, allocation=allocation,
        project_name=project_name[:200], given_on=given_on, event_date=event_date, reason=reason,
        received_by=received_by.strip(), received_on=received_on, receipt_number=receipt_number.strip(),
        recorded_by=actor)
    _keep_file(grant, proof_file, written)
    grant.full_clean()
    grant.save()
    if case is not None:
        workflow.record_event(case, CaseEvent.Kind.SUPPORT_GIVEN, actor, data={
            "grant": grant.pk, "kind": kind.code, "kind_name": kind.name, "amount": amount,
            "item": item.name if item else "", "quantity": quantity, "unit": grant.unit,
            "given_on": given_on, "funding": funding.name,
        })
    audit_record(actor=actor, action="support.grant_recorded", obj=grant, person_id=grant.person_id, changes={
        "kind": kind.code, "amount": amount, "item": item.code if item else None, "quantity": quantity,
        "funding": funding.code, "donation": donation.pk if donation else None, "case": case.pk if case else None,
        "given_on": given_on, "event_date": event_date, "household": grant.household_id,
        "minimum": (calc.amount if calc and calc.basis != "rice" else (calc.quantity if calc else None)),
    })
    if need is not None:
        _fulfil_by(actor, need, grant=grant, on=given_on)
    return grant


def grant_receipt_record(
    *, actor: Any, grant: Grant, received_by: str, received_on: dt.date | None, receipt_number: str = "",
    proof_file: Any = None, expected_version: int | None = None,
) -> Grant:
    """Record (or correct) the proof of receipt: who signed, when, the receipt number, a scan."""
    written: list[Path] = []
    try:
        with transaction.atomic():
            access.require(actor, "support.manage")
            visible = selectors.grant_get(user=actor, pk=grant.pk)
            current = Grant.objects.select_for_update().get(pk=visible.pk)
            _check_version(current, expected_version, _("Khoản hỗ trợ"))
            errors: dict[str, list[str]] = {}
            received_by = (received_by or "").strip()
            if not received_by:
                errors["received_by"] = [_("Cần ghi họ tên người ký nhận.")]
            if received_on is None:
                errors["received_on"] = [_("Cần ghi ngày nhận.")]
            _receipt_errors(given_on=current.given_on, received_by=received_by, received_on=received_on,
                            errors=errors)
            if errors:
                raise ValidationError(errors)
            before = {"received_by": current.received_by, "received_on": current.received_on,
                      "receipt_number": current.receipt_number, "proof_name": current.proof_name}
            current.received_by = received_by
            current.received_on = received_on
            current.receipt_number = (receipt_number or "").strip()[:50]
            _keep_file(current, proof_file, written)
            current.version += 1
            current.full_clean()
            current.save()
            if current.allocation_id:
                Allocation.objects.filter(pk=current.allocation_id).update(
                    received_by=current.received_by, received_on=current.received_on,
                    receipt_number=current.receipt_number)
            audit_record(actor=actor, action="support.grant_receipt_recorded", obj=current,
                         person_id=current.person_id, changes={
                             "before": before, "received_by": received_by, "received_on": received_on,
                             "receipt_number": current.receipt_number, "proof_name": current.proof_name,
                             "proof_sha256": current.proof_sha256})
            return current
    except BaseException:
        _cleanup(written)
        raise


# Needs ---------------------------------------------------------------------------------------------

# The one transition table: action → (statuses it may start from, status it leads to).
NEED_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "request": (frozenset({NeedStatus.IDENTIFIED}), NeedStatus.REQUESTED),
    "fulfil": (frozenset({NeedStatus.REQUESTED}), NeedStatus.FULFILLED),
    "decline": (frozenset({NeedStatus.IDENTIFIED, NeedStatus.REQUESTED}), NeedStatus.DECLINED),
}


def need_move_label(action: str) -> str:
    return {"request": _("đề nghị hỗ trợ"), "fulfil": _("ghi đã đáp ứng"), "decline": _("ghi không đáp ứng")}[action]


def need_allowed_moves(need: Need) -> list[str]:
    return [a for a, (sources, _target) in NEED_MOVES.items() if need.status in sources]


def need_identify(
    *, actor: Any, need_type: Term, detail: str = "", identified_on: dt.date | None = None,
    person: Person | None = None, household: Household | None = None, survey: NeedsSurvey | None = None,
) -> Need:
    """Record a need of a person or household (status identified)."""
    with transaction.atomic():
        access.require(actor, "support.manage")
        person, household = _recipient(actor, person, household)
        identified_on = identified_on or _today()
        errors: dict[str, list[str]] = {}
        _not_future(identified_on, "identified_on", errors)
        _check_term(need_type, "need_type", identified_on, "need_type", errors)
        if survey is not None:
            survey = selectors.survey_get(user=actor, pk=survey.pk)
            who: Any = person if person is not None else household
            _check_in_survey(survey, need_type, who.commune_id, errors)
        if errors:
            raise ValidationError(errors)
        need = Need(**_place(person, household), need_type=need_type, detail=(detail or "").strip(),
                    identified_on=identified_on, survey=survey, recorded_by=actor)
        need.full_clean()
        need.save()
        audit_record(actor=actor, action="support.need_identified", obj=need, person_id=need.person_id, changes={
            "need_type": need_type.code, "household": need.household_id, "survey": survey.pk if survey else None})
        return need


def _check_in_survey(survey: NeedsSurvey, need_type: Term, commune_id: int | None,
                     errors: dict[str, list[str]]) -> None:
    types = set(survey.need_types.values_list("pk", flat=True))
    if types and need_type.pk not in types:
        errors["need_type"] = [_("Đợt khảo sát này không khảo sát nhu cầu “%(name)s”.") % {"name": need_type.label}]
    if commune_id not in set(survey.communes.values_list("pk", flat=True)):
        errors["person"] = [_("Người (hộ) này không ở xã/phường nào của đợt khảo sát.")]


def _locked_need(actor: Any, need: Need, expected_version: int | None) -> Need:
    visible = selectors.need_get(user=actor, pk=need.pk)
    current = Need.objects.select_for_update().get(pk=visible.pk)
    _check_version(current, expected_version, _("Nhu cầu"))
    return current


def _check_move(need: Need, action: str) -> str:
    sources, target = NEED_MOVES[action]
    if need.status not in sources:
        raise ValidationError({"status": [_("Không thể %(action)s: nhu cầu đang ở trạng thái “%(status)s”.")
                                          % {"action": need_move_label(action), "status": need.get_status_display()}]})
    return target


@transaction.atomic
def need_request(*, actor: Any, need: Need, expected_version: int, on: dt.date | None = None) -> Need:
    """identified → requested: support has been asked for (from the Centre, a donor, a programme)."""
    access.require(actor, "support.manage")
    current = _locked_need(actor, need, expected_version)
    target = _check_move(current, "request")
    on = on or _today()
    errors: dict[str, list[str]] = {}
    _not_future(on, "on", errors)
    if on < current.identified_on:
        errors["on"] = [_("Ngày đề nghị không được trước ngày xác định nhu cầu.")]
    if errors:
        raise ValidationError(errors)
    current.status, current.requested_on = target, on
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(actor=actor, action="support.need_requested", obj=current, person_id=current.person_id,
                 changes={"status": [NeedStatus.IDENTIFIED, target], "requested_on": on})
    return current


@transaction.atomic
def need_decline(
    *, actor: Any, need: Need, reason: str, expected_version: int, on: dt.date | None = None,
) -> Need:
    """identified or requested → declined, with the reason (not eligible, no resources, moved away…)."""
    access.require(actor, "support.manage")
    current = _locked_need(actor, need, expected_version)
    before = current.status
    target = _check_move(current, "decline")
    reason = (reason or "").strip()
    on = on or _today()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Cần ghi lý do không đáp ứng.")]
    _not_future(on, "on", errors)
    if errors:
        raise ValidationError(errors)
    current.status, current.closed_on, current.decline_reason = target, on, reason
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(actor=actor, action="support.need_declined", obj=current, person_id=current.person_id,
                 changes={"status": [before, target], "reason": reason})
    return current


@transaction.atomic
def need_fulfil(
    *, actor: Any, need: Need, grant: Grant | None = None, allocation: Allocation | None = None,
    expected_version: int, on: dt.date | None = None,
) -> Need:
    """requested → fulfilled, linked to the grant or the donation allocation that met the need."""
    access.require(actor, "support.manage")
    current = _locked_need(actor, need, expected_version)
    _check_move(current, "fulfil")
    if (grant is None) == (allocation is None):
        raise ValidationError({"grant": [_("Chọn khoản hỗ trợ hoặc phân bổ tài trợ đã đáp ứng nhu cầu (một trong hai).")]})
    if grant is not None:
        support: Any = selectors.grant_get(user=actor, pk=grant.pk)
        field = "grant"
    else:
        support = selectors.allocation_get(user=actor, pk=allocation.pk)  # type: ignore[union-attr]
        field = "allocation"
        if not support.is_active:
            raise ValidationError({field: [_("Phân bổ này đã bị hủy.")]})
    if not _same_recipient(current.person_id, current.household_id, support.person_id, support.household_id):
        raise ValidationError({field: [_("Khoản này được trao cho người (hộ) khác, không phải người có nhu cầu.")]})
    return _fulfil_by(actor, current, grant=support if field == "grant" else None,
                      allocation=support if field == "allocation" else None, on=on)


def _fulfil_by(actor: Any, need: Need, *, grant: Grant | None = None, allocation: Allocation | None = None,
               on: dt.date | None = None) -> Need:
    target = _check_move(need, "fulfil")
    on = on or _today()
    need.status, need.closed_on = target, on
    need.fulfilled_grant, need.fulfilled_allocation = grant, allocation
    need.version += 1
    need.full_clean()
    need.save()
    audit_record(actor=actor, action="support.need_fulfilled", obj=need, person_id=need.person_id, changes={
        "status": [NeedStatus.REQUESTED, target], "grant": grant.pk if grant else None,
        "allocation": allocation.pk if allocation else None})
    return need


def _need_for_support(actor: Any, need: Need, person: Person | None, household: Household | None,
                      errors: dict[str, list[str]], *, on: dt.date | None) -> Need:
    """A need that new support will meet: visible, the same recipient, still open (requested first if new)."""
    current = _locked_need(actor, need, None)
    if not _same_recipient(current.person_id, current.household_id, person.pk if person else None,
                           household.pk if household else None):
        errors["need"] = [_("Nhu cầu này là của người (hộ) khác.")]
    elif current.status == NeedStatus.IDENTIFIED:
        # Giving support for a need recorded as identified asks for it and meets it at once.
        when = max(current.identified_on, min(on or _today(), _today()))
        current = need_request(actor=actor, need=current, on=when, expected_version=current.version)
    elif current.status != NeedStatus.REQUESTED:
        errors["need"] = [_("Nhu cầu này đã ở trạng thái “%(status)s”.") % {"status": current.get_status_display()}]
    return current


# Surveys ---------------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, actor: Any, name: str, starts_on: dt.date, communes: list[Commune], purpose: str = "",
    ends_on: dt.date | None = None, need_types: list[Term] | None = None,
) -> NeedsSurvey:
    """A needs-survey campaign over communes the actor covers (all in one province)."""
    access.require(actor, "support.manage")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Cần đặt tên đợt khảo sát.")]
    if starts_on is None:
        errors["starts_on"] = [_("Cần ghi ngày bắt đầu.")]
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
    communes = list(communes or [])
    cov = access.coverage(actor)
    if not communes:
        errors["communes"] = [_("Chọn ít nhất một xã/phường khảo sát.")]
    elif any(not cov.covers(province_id=c.province_id, commune_id=c.pk) for c in communes):
        errors["communes"] = [_("Có xã/phường ngoài địa bàn bạn phụ trách.")]
    elif len({c.province_id for c in communes}) > 1:
        errors["communes"] = [_("Các xã/phường của một đợt khảo sát phải cùng một tỉnh.")]
    for t in need_types or []:
        _check_term(t, "need_type", starts_on or _today(), "need_types", errors)
    if errors:
        raise ValidationError(errors)
    survey = NeedsSurvey(name=name[:200], purpose=(purpose or "").strip(), province_id=communes[0].province_id,
                         starts_on=starts_on, ends_on=ends_on, created_by=actor)
    survey.full_clean()
    survey.save()
    survey.communes.set(communes)
    survey.need_types.set(need_types or [])
    audit_record(actor=actor, action="support.survey_created", obj=survey, changes={
        "name": survey.name, "communes": [c.pk for c in communes], "need_types": [t.code for t in need_types or []]})
    return survey


def _need_type_index(survey: NeedsSurvey, on: dt.date) -> tuple[dict[str, Term], set[int]]:
    index: dict[str, Term] = {}
    for t in Term.objects.of("need_type").in_force(on):
        index[t.code.lower()] = t
        index[fold(t.name)] = t
        if t.name_en:
            index.setdefault(fold(t.name_en), t)
    return index, set(survey.need_types.values_list("pk", flat=True))


def _import_people(actor: Any, rows: list[SourceRow]) -> tuple[dict[str, list[Person]], dict[int, Person]]:
    cccds: set[str] = set()
    ids: set[int] = set()
    for _n, row in rows:
        for key in ("cccd", "ident"):
            value = digits(row.get(key, ""))
            if len(value) == 12:
                cccds.add(value)
        for key in ("person_id", "ident"):
            value = (row.get(key) or "").strip()
            if value.isdigit() and len(value) < 12:
                ids.add(int(value))
    visible = person_queryset(user=actor).select_related("commune")  # the error report names the commune
    by_cccd: dict[str, list[Person]] = {}
    for p in visible.filter(cccd__in=cccds):
        by_cccd.setdefault(p.cccd, []).append(p)
    by_id = {p.pk: p for p in visible.filter(pk__in=ids)}
    return by_cccd, by_id


def _import_person(row: dict[str, str], by_cccd: dict[str, list[Person]], by_id: dict[int, Person]) -> tuple[
        Person | None, str, str]:
    """(person, column, error) for one row."""
    cccd = digits(row.get("cccd", ""))
    pid = (row.get("person_id") or "").strip()
    ident = (row.get("ident") or "").strip()
    if not cccd and not pid and ident:
        if len(digits(ident)) == 12:
            cccd = digits(ident)
        else:
            pid = ident
    column = "cccd" if cccd else ("person_id" if pid else ("ident" if "ident" in row else "cccd"))
    if not cccd and not pid:
        return None, column, _("Thiếu CCCD hoặc mã đối tượng.")
    if cccd:
        if len(cccd) != 12:
            return None, "cccd", _("CCCD “%(v)s” không đủ 12 chữ số.") % {"v": row.get("cccd") or ident}
        found = by_cccd.get(cccd, [])
        if len(found) > 1:
            return None, "cccd", _("Có %(n)s người cùng CCCD %(v)s; hãy dùng mã đối tượng.") % {"n": len(found), "v": cccd}
        if not found:
            return None, "cccd", _("Không tìm thấy người có CCCD %(v)s trong địa bàn bạn phụ trách.") % {"v": cccd}
        person = found[0]
        if pid and pid != str(person.pk):
            return None, "person_id", _("CCCD và mã đối tượng là của hai người khác nhau.")
        return person, "cccd", ""
    if not pid.isdigit():
        return None, column, _("Mã đối tượng “%(v)s” phải là số.") % {"v": pid}
    by_pk = by_id.get(int(pid))
    if by_pk is None:
        return None, column, _("Không tìm thấy đối tượng mã %(v)s trong địa bàn bạn phụ trách.") % {"v": pid}
    return by_pk, column, ""


def survey_import(*, actor: Any, survey: NeedsSurvey, rows: list[SourceRow], source: str = "") -> list[Need]:
    """Record the needs of a file or of pasted lines — all of them, or none.

    Every row is checked first (the person found by CCCD or id among those the
    actor may see, living, in a commune of the survey; the need type known and
    in the survey's scope; no repeat in the file or the survey). One bad row
    and nothing is saved: ``ImportRejected`` lists each bad row's number and
    the reason, in Vietnamese.
    """
    with transaction.atomic():
        access.require(actor, "support.manage")
        survey = selectors.survey_get(user=actor, pk=survey.pk)
        today = _today()
        types, in_scope = _need_type_index(survey, today)
        survey_communes = set(survey.communes.values_list("pk", flat=True))
        by_cccd, by_id = _import_people(actor, rows)
        existing = set(survey.needs.filter(person__isnull=False).values_list("person_id", "need_type_id"))
        seen: dict[tuple[int, int], int] = {}
        errors: list[RowError] = []
        needs: list[Need] = []
        for number, row in rows:
            person, column, message = _import_person(row, by_cccd, by_id)
            if person is None:
                errors.append(RowError(number, str(COLUMN_LABELS.get(column, column)), message))
                continue
            code = (row.get("need_type") or "").strip()
            need_type = types.get(code.lower()) or types.get(fold(code))
            label = str(COLUMN_LABELS["need_type"])
            if not code:
                errors.append(RowError(number, label, _("Thiếu mã nhu cầu.")))
                continue
            if need_type is None:
                errors.append(RowError(number, label, _("Không có loại nhu cầu “%(v)s”.") % {"v": code}))
                continue
            if in_scope and need_type.pk not in in_scope:
                errors.append(RowError(number, label, _("Đợt khảo sát này không khảo sát nhu cầu “%(v)s”.")
                                       % {"v": need_type.label}))
                continue
            who = str(COLUMN_LABELS.get(column, column))
            if person.status != LifeStatus.LIVING:
                errors.append(RowError(number, who, _("%(name)s có tình trạng “%(status)s”.")
                                       % {"name": person.full_name, "status": person.get_status_display()}))
                continue
            if person.commune_id not in survey_communes:
                where = person.commune.name if person.commune_id and person.commune else _("chưa rõ xã/phường")
                errors.append(RowError(number, who, _("%(name)s ở %(where)s, ngoài các xã/phường của đợt khảo sát.")
                                       % {"name": person.full_name, "where": where}))
                continue
            key = (person.pk, need_type.pk)
            if key in existing:
                errors.append(RowError(number, label, _("%(name)s đã có nhu cầu “%(type)s” trong đợt khảo sát này.")
                                       % {"name": person.full_name, "type": need_type.label}))
                continue
            if key in seen:
                errors.append(RowError(number, label, _("Trùng với dòng %(row)s (cùng người, cùng nhu cầu).")
                                       % {"row": seen[key]}))
                continue
            seen[key] = number
            detail = (row.get("detail") or "").strip()
            needs.append(Need(person=person, province_id=person.province_id, commune_id=person.commune_id,
                              need_type=need_type, detail=detail, identified_on=today, survey=survey,
                              recorded_by=actor))
        if errors:
            raise ImportRejected(errors)
        created = Need.objects.bulk_create(needs)
        for need in created:
            audit_record(actor=actor, action="support.need_identified", obj=need, person_id=need.person_id,
                         changes={"need_type": need.need_type.code, "survey": survey.pk, "import": source[:100]})
        audit_record(actor=actor, action="support.survey_imported", obj=survey,
                     changes={"rows": len(created), "source": source[:200]})
        return created


# Donors and donations ---------------------------------------------------------------------------------


def _donor_values(name: str, kind: str, email: str, errors: dict[str, list[str]]) -> str:
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = [_("Cần ghi tên nhà tài trợ.")]
    if kind not in DonorKind.values:
        errors["kind"] = [_("Chọn loại nhà tài trợ.")]
    return name


@transaction.atomic
def donor_create(
    *, actor: Any, name: str, kind: str, province_id: int, contact_name: str = "", phone: str = "",
    email: str = "", address: str = "", notes: str = "",
) -> Donor:
    access.require(actor, "donation.manage")
    errors: dict[str, list[str]] = {}
    name = _donor_values(name, kind, email, errors)
    if province_id not in selectors.donation_provinces(actor):
        errors["name"] = [_("Bạn chỉ ghi nhà tài trợ của tỉnh mình.")]
    if name and Donor.objects.filter(province_id=province_id, name_folded=fold(name)).exists():
        errors["name"] = [_("Đã có nhà tài trợ “%(name)s”.") % {"name": name}]
    if errors:
        raise ValidationError(errors)
    donor = Donor(name=name[:200], name_folded=fold(name)[:200], kind=kind, contact_name=contact_name.strip(),
                  phone=phone.strip(), email=email.strip(), address=address.strip(), notes=notes.strip(),
                  province_id=province_id, recorded_by=actor)
    donor.full_clean()
    donor.save()
    audit_record(actor=actor, action="support.donor_created", obj=donor, changes={"name": donor.name, "kind": kind})
    return donor


@transaction.atomic
def donor_update(
    *, actor: Any, donor: Donor, data: dict[str, str], expected_version: int | None = None,
) -> Donor:
    """Change a donor's name, kind or contact details."""
    access.require(actor, "donation.manage")
    visible = selectors.donor_get(user=actor, pk=donor.pk)
    current = Donor.objects.select_for_update().get(pk=visible.pk)
    _check_version(current, expected_version, _("Nhà tài trợ"))
    errors: dict[str, list[str]] = {}
    name = _donor_values(data.get("name", current.name), data.get("kind", current.kind), "", errors)
    if name and Donor.objects.filter(province_id=current.province_id, name_folded=fold(name)).exclude(
            pk=current.pk).exists():
        errors["name"] = [_("Đã có nhà tài trợ “%(name)s”.") % {"name": name}]
    if errors:
        raise ValidationError(errors)
    fields = ["name", "kind", "contact_name", "phone", "email", "address", "notes"]
    before = {f: getattr(current, f) for f in fields}
    current.name, current.name_folded = name, fold(name)
    for f in fields[1:]:
        if f in data:
            setattr(current, f, (data[f] or "").strip())
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(actor=actor, action="support.donor_updated", obj=current, changes={
        f: [before[f], getattr(current, f)] for f in fields if before[f] != getattr(current, f)})
    return current


@transaction.atomic
def donation_record(
    *, actor: Any, donor: Donor, received_on: dt.date, purpose: str, amount: int | None = None,
    item: Term | None = None, quantity: int | None = None, unit: str = "", restrictions: str = "",
    communes: list[Commune] | None = None, reference: str = "",
) -> Donation:
    """A donation in cash (VND) or in kind (item × quantity); all of it remains to allocate."""
    access.require(actor, "donation.manage")
    donor = selectors.donor_get(user=actor, pk=donor.pk)
    errors: dict[str, list[str]] = {}
    if received_on is None:
        raise ValidationError({"received_on": [_("Cần ghi ngày tiếp nhận.")]})
    _not_future(received_on, "received_on", errors)
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = [_("Cần ghi mục đích của khoản tài trợ.")]
    if (amount is None) == (item is None):
        errors["amount"] = [_("Ghi số tiền (tài trợ bằng tiền) hoặc chọn hiện vật và số lượng, một trong hai.")]
    if amount is not None and amount <= 0:
        errors["amount"] = [_("Số tiền phải lớn hơn 0.")]
    _check_term(item, "support_item", received_on, "item", errors, required=False)
    if item is not None and (quantity is None or quantity <= 0):
        errors["quantity"] = [_("Cần ghi số lượng (lớn hơn 0).")]
    if item is None and quantity is not None and "amount" not in errors:
        errors["item"] = [_("Cần chọn hiện vật cho số lượng đã ghi.")]
    communes = list(communes or [])
    if any(c.province_id != donor.province_id for c in communes):
        errors["communes"] = [_("Các xã/phường được hỗ trợ phải thuộc tỉnh của nhà tài trợ.")]
    if errors:
        raise ValidationError(errors)
    if item is not None and not unit:
        unit = (item.extra or {}).get("unit", "")
    donation = Donation(
        donor=donor, province_id=donor.province_id, received_on=received_on, amount=amount, item=item,
        quantity=quantity if item is not None else None, unit=(unit or "")[:20], purpose=purpose,
        restrictions=(restrictions or "").strip(), reference=(reference or "").strip()[:100], recorded_by=actor,
        remaining=amount if amount is not None else (quantity or 0))
    donation.full_clean()
    donation.save()
    donation.communes.set(communes)
    audit_record(actor=actor, action="support.donation_recorded", obj=donation, changes={
        "donor": donor.pk, "amount": amount, "item": item.code if item else None, "quantity": quantity,
        "communes": [c.pk for c in communes]})
    return donation


def _quantity_text(donation: Donation, value: int) -> str:
    if donation.is_cash:
        return amounts.money(value)
    return f"{value:,}".replace(",", ".") + (f" {donation.unit}" if donation.unit else "")


def _allocate(
    *, actor: Any, donation: Donation, person: Person | None, household: Household | None, value: int,
    allocated_on: dt.date, note: str = "", received_by: str = "", received_on: dt.date | None = None,
    receipt_number: str = "", field: str = "quantity",
) -> Allocation:
    """Draw ``value`` from the donation under a row lock; refuse what would exceed what remains.

    ``select_for_update`` makes concurrent allocations wait for each other on
    PostgreSQL (SQLite serialises writers at BEGIN IMMEDIATE); the UPDATE
    decrements the stored ``remaining`` whose CHECK (≥ 0) is the last guard.
    """
    locked = Donation.objects.select_for_update().get(pk=donation.pk)
    errors: dict[str, list[str]] = {}
    if value <= 0:
        errors[field] = [_("Cần ghi số lượng (số tiền) phân bổ, lớn hơn 0.")]
    elif value > locked.remaining:
        errors[field] = [_(
            "Vượt quá số còn lại của khoản tài trợ: chỉ còn %(remaining)s (đã phân bổ %(used)s trên tổng %(total)s).")
            % {"remaining": _quantity_text(locked, locked.remaining), "used": _quantity_text(locked, locked.allocated),
               "total": _quantity_text(locked, locked.total)}]
    if allocated_on < locked.received_on:
        errors["allocated_on"] = [_("Ngày phân bổ không được trước ngày tiếp nhận tài trợ (%(on)s).")
                                  % {"on": f"{locked.received_on:%d/%m/%Y}"}]
    targets = set(locked.communes.values_list("pk", flat=True))
    commune_id = (person or household).commune_id  # type: ignore[union-attr]
    if targets and commune_id not in targets:
        errors["person"] = [_("Khoản tài trợ này chỉ dành cho các xã/phường: %(names)s.") % {
            "names": ", ".join(locked.communes.order_by("name").values_list("name", flat=True))}]
    if errors:
        raise ValidationError(errors)
    allocation = Allocation(
        **_place(person, household), donation=locked, amount=value if locked.is_cash else None,
        quantity=None if locked.is_cash else value, allocated_on=allocated_on, note=(note or "").strip(),
        received_by=(received_by or "").strip(), received_on=received_on,
        receipt_number=(receipt_number or "").strip()[:50], recorded_by=actor)
    allocation.full_clean()
    allocation.save()
    Donation.objects.filter(pk=locked.pk).update(remaining=F("remaining") - value)
    audit_record(actor=actor, action="support.allocation_created", obj=allocation, person_id=allocation.person_id,
                 changes={"donation": locked.pk, "value": value, "remaining_before": locked.remaining,
                          "household": allocation.household_id})
    return allocation


def allocation_create(
    *, actor: Any, donation: Donation, allocated_on: dt.date, person: Person | None = None,
    household: Household | None = None, amount: int | None = None, quantity: int | None = None, note: str = "",
    received_by: str = "", received_on: dt.date | None = None, receipt_number: str = "", proof_file: Any = None,
    need: Need | None = None,
) -> Allocation:
    """Give part of a donation to a person or household; never more than remains.

    With ``need``, the need is marked fulfilled by this allocation.
    """
    written: list[Path] = []
    try:
        with transaction.atomic():
            access.require(actor, "donation.manage")
            donation = selectors.donation_get(user=actor, pk=donation.pk)
            person, household = _recipient(actor, person, household)
            errors: dict[str, list[str]] = {}
            if allocated_on is None:
                raise ValidationError({"allocated_on": [_("Cần ghi ngày phân bổ.")]})
            _not_future(allocated_on, "allocated_on", errors)
            if donation.is_cash:
                field, value = "amount", amount
                if quantity is not None:
                    errors["quantity"] = [_("Khoản tài trợ bằng tiền: ghi số tiền, không ghi số lượng.")]
            else:
                field, value = "quantity", quantity
                if amount is not None:
                    errors["amount"] = [_("Khoản tài trợ hiện vật: ghi số lượng, không ghi số tiền.")]
            if value is None:
                errors[field] = [_("Cần ghi số lượng (số tiền) phân bổ, lớn hơn 0.")]
            _receipt_errors(given_on=allocated_on, received_by=received_by, received_on=received_on, errors=errors)
            if need is not None:
                need = _need_for_support(actor, need, person, household, errors, on=allocated_on)
            if errors:
                raise ValidationError(errors)
            allocation = _allocate(actor=actor, donation=donation, person=person, household=household,
                                   value=value or 0, allocated_on=allocated_on, note=note, received_by=received_by,
                                   received_on=received_on, receipt_number=receipt_number, field=field)
            if proof_file is not None:
                _keep_file(allocation, proof_file, written)
                allocation.save(update_fields=["proof_name", "proof_stored", "proof_content_type", "proof_size",
                                               "proof_sha256"])
            if need is not None:
                _fulfil_by(actor, need, allocation=allocation, on=allocated_on)
            return allocation
    except BaseException:
        _cleanup(written)
        raise


@transaction.atomic
def allocation_cancel(*, actor: Any, allocation: Allocation, reason: str) -> Allocation:
    """Undo an allocation entered by mistake: its share goes back to the donation."""
    access.require(actor, "donation.manage")
    visible = selectors.allocation_get(user=actor, pk=allocation.pk)
    locked_donation = Donation.objects.select_for_update().get(pk=visible.donation_id)
    current = Allocation.objects.select_for_update().get(pk=visible.pk)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Cần ghi lý do hủy phân bổ.")]
    if not current.is_active:
        errors["reason"] = [_("Phân bổ này đã bị hủy trước đó.")]
    if Grant.objects.filter(allocation=current).exists():
        errors["reason"] = [_("Phân bổ này là nguồn của một khoản hỗ trợ đã ghi; không hủy riêng được.")]
    if current.fulfilled_needs.exists():
        errors["reason"] = [_("Phân bổ này đã đáp ứng một nhu cầu; không hủy được.")]
    if errors:
        raise ValidationError(errors)
    current.cancelled_at, current.cancelled_by, current.cancel_reason = timezone.now(), actor, reason
    current.version += 1
    current.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason", "version", "updated_at"])
    Donation.objects.filter(pk=locked_donation.pk).update(remaining=F("remaining") + current.value)
    audit_record(actor=actor, action="support.allocation_cancelled", obj=current, person_id=current.person_id,
                 changes={"donation": locked_donation.pk, "value": current.value, "reason": reason})
    return current
