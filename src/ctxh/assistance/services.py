"""Writes of social assistance: propose, decide and stop entitlements; payment lists; arrears.

Every function takes the acting user first (keyword-only), checks the
capability and the place, validates, writes and records the audit entry in one
transaction. The pages and the API call these same functions.

Amounts are never literals: the monthly amount of an entitlement for a month
is ``round(value of its base rule on the 1st of the month × coefficient)``
(``AmountBook``), read from ``core.Rule`` rows when a list is generated or
arrears are computed.

Payment lists are generated set-based: one ``INSERT … SELECT`` per chunk of
communes writes every line (the amount is a ``CASE`` over the few distinct
(rule, coefficient) pairs, computed in Python with ``Decimal``), then one
``UPDATE`` settles the arrears the lines carry and one pass refreshes the
totals. A province of 300,000 entitlements takes seconds, not the minutes
that one ORM call per person would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.assistance import selectors
from ctxh.assistance.models import (
    BASE_LEVEL_KEY,
    ArrearsItem,
    Decision,
    Entitlement,
    ListClosed,
    PaymentLine,
    PaymentList,
    PaymentMethod,
    PaymentRun,
    StopReason,
    month_end,
    month_start,
    next_month,
)
from ctxh.assistance.pay_reference import SIGNER_TITLE_KEY
from ctxh.audit.services import audit_record
from ctxh.core.exceptions import ConflictError
from ctxh.core.models import Rule
from ctxh.core.rules import RuleMissing
from ctxh.core.templatetags.ctxh import vnd

SOCIAL_PENSION_KEY = "assistance.social_pension.amount"
# Rule keys whose rows set a monthly amount (× coefficient): a change of one of
# these from a month already paid calls for arrears.
AMOUNT_RULE_PREFIXES = (BASE_LEVEL_KEY, SOCIAL_PENSION_KEY)
INSERT_CHUNK_COMMUNES = 8


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def round_vnd(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# Amounts ------------------------------------------------------------------------


class AmountBook:
    """Rule rows of the amount keys, read once: the value in force on a date and the monthly amount."""

    def __init__(self, keys: Iterable[str]) -> None:
        keys = set(keys) | {BASE_LEVEL_KEY}
        self.rows: dict[str, list[Rule]] = {}
        for row in Rule.objects.filter(key__in=keys).order_by("key", "-valid_from"):
            self.rows.setdefault(row.key, []).append(row)

    def row(self, key: str, on: dt.date) -> Rule | None:
        for row in self.rows.get(key, ()):
            if row.valid_from <= on:
                return row
        return None

    def base(self, key: str, month: dt.date) -> int:
        """The value of ``key`` on the 1st of ``month`` (a province's own base level falls back to the national one)."""
        first = month_start(month)
        row = self.row(key, first)
        if key.startswith(BASE_LEVEL_KEY + ".") and key != BASE_LEVEL_KEY:
            national = self.row(BASE_LEVEL_KEY, first)
            if national is not None and (row is None or int(national.value) > int(row.value)):
                row = national
        if row is None:
            raise RuleMissing(_("Chưa có quy định “%(key)s” hiệu lực ngày %(on)s.") % {"key": key, "on": _d(first)})
        return int(row.value)

    def amount(self, key: str, coefficient: Decimal, month: dt.date) -> int:
        return round_vnd(Decimal(self.base(key, month)) * Decimal(coefficient))


def monthly_amount(entitlement: Entitlement, month: dt.date, *, book: AmountBook | None = None) -> int:
    """What the entitlement pays for ``month`` under the rule rows in force on its 1st day."""
    book = book or AmountBook([entitlement.base_rule_key])
    return book.amount(entitlement.base_rule_key, entitlement.coefficient, month)


def _combos(qs: Any) -> list[tuple[str, Decimal]]:
    return sorted({(k, Decimal(c)) for k, c in qs.order_by().values_list("base_rule_key", "coefficient").distinct()})


class _Sql:
    """A SQL text with its parameters in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list[Any] = []

    def add(self, text: str, *params: Any) -> _Sql:
        self.parts.append(text)
        self.params.extend(params)
        return self

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _amount_case(sql: _Sql, alias: str, combos: Sequence[tuple[str, Decimal]], book: AmountBook,
                 month: dt.date, *, base_only: bool = False, missing_null: bool = False) -> None:
    """``CASE`` giving the amount (or the base value) of each (rule key, coefficient) pair for ``month``.

    A key without a row in force that month raises ``RuleMissing``, or with
    ``missing_null`` gives NULL (arrears: such an entitlement was not payable then).
    """

    def value(get: Callable[[], int]) -> str:
        try:
            return str(int(get()))
        except RuleMissing:
            if missing_null:
                return "NULL"
            raise

    sql.add("CASE")
    if base_only:
        for key in sorted({k for k, _c in combos}):
            sql.add(f"WHEN {alias}.base_rule_key = %s THEN {value(lambda k=key: book.base(k, month))}", key)
    else:
        for key, coef in combos:
            sql.add(f"WHEN {alias}.base_rule_key = %s AND {alias}.coefficient = %s THEN "
                    f"{value(lambda k=key, c=coef: book.amount(k, c, month))}", key, coef)
    sql.add("END")


def _active_sql(alias: str) -> str:
    return (f"{alias}.status IN ('active', 'stopped') AND {alias}.start_on <= %s "
            f"AND ({alias}.stop_on IS NULL OR {alias}.stop_on >= %s)")


def _birth_year_sql(alias: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {alias}.birth_date) AS integer)"
    return f"CAST(strftime('%%Y', {alias}.birth_date) AS integer)"


# Decisions ---------------------------------------------------------------------


def signer_title_on(on: dt.date) -> str:
    """The title of who signs on ``on`` (rule ``assistance.decision.signer_title``), or "" if none."""
    row = Rule.objects.filter(key=SIGNER_TITLE_KEY, valid_from__lte=on).order_by("-valid_from").first()
    return str(row.value) if row else ""


DECISION_FIELDS = ("number", "signed_on", "signer_name", "signer_title", "effective_on", "summary", "document")


def _decision_make(*, actor: Any, kind: str, commune: Any, data: dict[str, Any]) -> Decision:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    number = (data.get("number") or "").strip()
    signed_on = data.get("signed_on")
    effective_on = data.get("effective_on") or signed_on
    if not number:
        errors["number"] = [_("Cần nhập số quyết định.")]
    if not signed_on:
        errors["signed_on"] = [_("Cần nhập ngày ký.")]
    elif signed_on > today:
        errors["signed_on"] = [_("Ngày ký không được ở tương lai.")]
    if not (data.get("signer_name") or "").strip():
        errors["signer_name"] = [_("Cần nhập họ tên người ký.")]
    if errors:
        raise ValidationError(errors)
    title = (data.get("signer_title") or "").strip() or signer_title_on(signed_on)
    decision = Decision(
        number=number, kind=kind, signed_on=signed_on, signer_name=data["signer_name"].strip(),
        signer_title=title, effective_on=effective_on, province_id=commune.province_id, commune=commune,
        summary=(data.get("summary") or "").strip(), created_by=actor if getattr(actor, "pk", None) else None,
    )
    if data.get("document"):
        decision.document = data["document"]
    decision.full_clean()
    decision.save()
    audit_record(actor=actor, action="decision.recorded", obj=decision, changes={
        "number": number, "kind": kind, "signed_on": signed_on, "signer_name": decision.signer_name,
        "signer_title": title, "effective_on": effective_on, "commune": commune.pk})
    return decision


# Entitlements ------------------------------------------------------------------


def _require_place(actor: Any, *, province_id: int, commune_id: int | None, field: str = "commune") -> None:
    if not selectors.covers(actor, province_id=province_id, commune_id=commune_id):
        raise ValidationError({field: [_("Địa bàn này nằm ngoài phạm vi bạn được phân công.")]})


def _current(actor: Any, entitlement: Entitlement, expected_version: int | None) -> Entitlement:
    current = selectors.entitlement_get(user=actor, pk=entitlement.pk)
    current = Entitlement.objects.select_for_update().select_related("person", "commune").get(pk=current.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Hồ sơ hưởng trợ cấp đã được người khác cập nhật sau khi bạn mở. "
                              "Hãy tải lại trang và xem trạng thái mới."))
    return current


def _bump(ent: Entitlement) -> None:
    ent.version += 1


def _payment_fields(data: dict[str, Any]) -> dict[str, Any]:
    method = data.get("payment_method") or PaymentMethod.CASH
    if method not in PaymentMethod.values:
        raise ValidationError({"payment_method": [_("Hình thức nhận không hợp lệ.")]})
    account = (data.get("bank_account") or "").replace(" ", "").strip()
    if method == PaymentMethod.BANK and not account:
        raise ValidationError({"bank_account": [_("Nhận qua ngân hàng cần số tài khoản.")]})
    if account and not account.isdigit():
        raise ValidationError({"bank_account": [_("Số tài khoản chỉ gồm chữ số.")]})
    return {"payment_method": method, "bank_account": account if method == PaymentMethod.BANK else "",
            "bank_name": (data.get("bank_name") or "").strip() if method == PaymentMethod.BANK else ""}


def engine_result(*, person: Any, on: dt.date) -> Any:
    """The eligibility engine's answer for a registered person on a date."""
    from ctxh.assistance.eligibility import person_check

    return person_check(person, on)


def _line_rule_key(line: Any, result: Any) -> tuple[str, Decimal]:
    """(rule key, coefficient) that reproduce the line's amount each month."""
    if getattr(line, "fixed_amount", False):
        ref = line.rules[0] if line.rules else None
        if ref is None or int(ref.value) != int(line.amount):
            raise ValidationError({"group": [_(
                "Mức hưởng này không bằng mức quy định (hưởng phần chênh lệch với lương hưu): "
                "chưa lập được hồ sơ tự động, hãy xử lý thủ công.")]})
        return ref.key, Decimal(1)
    return result.base_rule.key, Decimal(line.coefficient)


@transaction.atomic
def entitlement_propose(
    *, actor: Any, person: Any, group: str, on: dt.date | None = None, commune: Any = None,
    payment: dict[str, Any] | None = None, note: str = "",
) -> Entitlement:
    """Propose that ``person`` be paid under ``group``, one of the lines the engine says is paid on ``on``.

    The coefficient, label and the reasoning of the engine are copied onto the
    proposal; the decision (by the commune chair) starts it.
    """
    access.require(actor, "entitlement.propose")
    person = selectors.person_for_entitlements(user=actor, pk=person.pk)
    on = on or timezone.localdate()
    if person.status == "deceased":
        raise ValidationError({"person": [_("Người này đã mất: không đề nghị hưởng trợ cấp.")]})
    commune = commune or person.commune
    if commune is None:
        raise ValidationError({"commune": [_("Cần chọn xã/phường chi trả (hồ sơ chưa ghi xã/phường).")]})
    _require_place(actor, province_id=commune.province_id, commune_id=commune.pk)
    result = engine_result(person=person, on=on)
    line = next((ln for ln in result.paid if ln.group == group), None)
    if line is None:
        offered = ", ".join(f"{ln.group} ({ln.label})" for ln in result.paid) or _("không có")
        raise ValidationError({"group": [_(
            "Theo quy định hiện hành ngày %(on)s, người này không được hưởng diện “%(group)s”. "
            "Các diện được hưởng: %(offered)s.") % {"on": _d(on), "group": group, "offered": offered}]})
    key, coefficient = _line_rule_key(line, result)
    ent = Entitlement(
        person=person, scheme=line.scheme, group_code=line.group, label=line.label[:300], coefficient=coefficient,
        base_rule_key=key, province_id=commune.province_id, commune=commune,
        **_payment_fields(payment or {}),
        status=Entitlement.Status.PROPOSED, proposed_by=actor, proposed_on=on, proposal_note=(note or "").strip(),
        reasoning=[*line.reasons, *result.reasoning],
    )
    try:
        ent.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"group": exc.error_dict["__all__"]}) from None
        raise
    ent.save()
    audit_record(actor=actor, action="entitlement.proposed", obj=ent, changes={
        "scheme": ent.scheme, "group_code": ent.group_code, "coefficient": ent.coefficient,
        "base_rule_key": key, "commune": commune.pk, "payment_method": ent.payment_method, "on": on})
    return ent


@transaction.atomic
def entitlement_decide(
    *, actor: Any, entitlement: Entitlement, approve: bool, decision: dict[str, Any] | None = None,
    reason: str = "", expected_version: int | None = None,
) -> Entitlement:
    """Record the decision on a proposal: approved from the decision's effective date, or refused with a reason.

    Approved from a month whose list is already closed, the months missed
    become arrears paid on the next list.
    """
    access.require(actor, "entitlement.decide")
    ent = _current(actor, entitlement, expected_version)
    if ent.status != Entitlement.Status.PROPOSED:
        raise ValidationError(_("Chỉ quyết định được hồ sơ đang chờ quyết định (hiện: %(status)s).")
                              % {"status": ent.get_status_display()})
    if not approve:
        if not (reason or "").strip():
            raise ValidationError({"reason": [_("Cần ghi lý do không duyệt.")]})
        ent.status = Entitlement.Status.REJECTED
        ent.rejection_reason = reason.strip()
        _bump(ent)
        ent.save()
        audit_record(actor=actor, action="entitlement.rejected", obj=ent, changes={"reason": ent.rejection_reason})
        return ent
    d = _decision_make(actor=actor, kind=Decision.Kind.START, commune=ent.commune, data=decision or {})
    ent.status = Entitlement.Status.ACTIVE
    ent.start_decision = d
    ent.start_on = d.effective_on
    _bump(ent)
    ent.full_clean()
    ent.save()
    audit_record(actor=actor, action="entitlement.decided", obj=ent, changes={
        "decision": d.number, "start_on": ent.start_on, "coefficient": ent.coefficient})
    last_closed = PaymentList.objects.filter(
        commune_id=ent.commune_id, kind=PaymentList.Kind.REGULAR, status=PaymentList.Status.CLOSED,
        month__gte=month_start(ent.start_on)).aggregate(m=Max("month"))["m"]
    if last_closed is not None:
        # Months whose list closed before the decision (the current one included) are paid as arrears.
        arrears_compute(actor=actor, as_of=last_closed, entitlement_ids=[ent.pk], _checked=True)
    return ent


@transaction.atomic
def entitlement_stop(
    *, actor: Any, entitlement: Entitlement, reason: str, stop_on: dt.date, decision: dict[str, Any] | None = None,
    note: str = "", expected_version: int | None = None,
) -> Entitlement:
    """Stop an entitlement (death, moving away, no longer eligible…) by a decision, with the reason.

    The month containing ``stop_on`` is still paid; from the next month the
    person is no longer on the lists: their unpaid lines on later draft lists
    are taken off. If closed lists already paid later months, the overpayment
    shows as negative arrears (to be recovered).
    """
    access.require(actor, "entitlement.decide")
    ent = _current(actor, entitlement, expected_version)
    if ent.status != Entitlement.Status.ACTIVE:
        raise ValidationError(_("Chỉ thôi hưởng được hồ sơ đang hưởng."))
    errors: dict[str, list[str]] = {}
    if reason not in StopReason.values:
        errors["reason"] = [_("Chọn lý do thôi hưởng.")]
    if stop_on is None:
        errors["stop_on"] = [_("Cần nhập ngày thôi hưởng.")]
    elif ent.start_on and stop_on < ent.start_on:
        errors["stop_on"] = [_("Ngày thôi hưởng không được trước ngày bắt đầu hưởng (%(d)s).") % {"d": _d(ent.start_on)}]
    if reason == StopReason.OTHER and not (note or "").strip():
        errors["note"] = [_("Với lý do khác, cần ghi rõ lý do.")]
    if errors:
        raise ValidationError(errors)
    d = _decision_make(actor=actor, kind=Decision.Kind.STOP, commune=ent.commune,
                       data={"effective_on": stop_on, **(decision or {})})
    ent.status = Entitlement.Status.STOPPED
    ent.stop_decision = d
    ent.stop_on = stop_on
    ent.stop_reason = reason
    ent.stop_note = (note or "").strip()
    _bump(ent)
    ent.full_clean()
    ent.save()
    removed = _drop_from_drafts(ent, after=month_end(stop_on))
    audit_record(actor=actor, action="entitlement.stopped", obj=ent, changes={
        "decision": d.number, "stop_on": stop_on, "reason": reason, "note": ent.stop_note,
        "draft_lines_removed": removed})
    closed_after = PaymentLine.objects.filter(
        entitlement=ent, payment_list__status=PaymentList.Status.CLOSED,
        payment_list__month__gt=month_end(stop_on)).exists()
    if closed_after:
        arrears_compute(actor=actor, as_of=timezone.localdate(), entitlement_ids=[ent.pk], _checked=True)
    return ent


@transaction.atomic
def entitlement_change_payment(
    *, actor: Any, entitlement: Entitlement, payment: dict[str, Any], expected_version: int | None = None,
) -> Entitlement:
    """Change how the person is paid (cash at the commune, post office, bank account); from the next list on."""
    access.require(actor, "entitlement.propose")
    ent = _current(actor, entitlement, expected_version)
    if not ent.is_open:
        raise ValidationError(_("Hồ sơ đã kết thúc: không đổi được hình thức nhận."))
    before = {"payment_method": ent.payment_method, "bank_account": ent.bank_account, "bank_name": ent.bank_name}
    values = _payment_fields(payment)
    for k, v in values.items():
        setattr(ent, k, v)
    _bump(ent)
    ent.full_clean()
    ent.save()
    audit_record(actor=actor, action="entitlement.payment_changed", obj=ent,
                 changes={k: [before[k], v] for k, v in values.items() if before[k] != v})
    return ent


def _drop_from_drafts(ent: Entitlement, *, after: dt.date) -> int:
    """Take the entitlement's unpaid lines off draft regular lists of months after ``after``."""
    lines = PaymentLine.objects.filter(
        entitlement=ent, paid_at__isnull=True, correction_of__isnull=True,
        payment_list__status=PaymentList.Status.DRAFT, payment_list__kind=PaymentList.Kind.REGULAR,
        payment_list__month__gt=after)
    ids = list(lines.values_list("pk", flat=True))
    if not ids:
        return 0
    list_ids = set(lines.values_list("payment_list_id", flat=True))
    ArrearsItem.objects.filter(settled_line_id__in=ids).update(settled_line=None)
    PaymentLine.objects.filter(pk__in=ids).delete()
    _refresh_totals(list_ids)
    return len(ids)


# Payment lists -------------------------------------------------------------------


def _refresh_totals(list_ids: Iterable[int]) -> None:
    ids = sorted(set(list_ids))
    if not ids:
        return
    sums = {r["payment_list_id"]: r for r in PaymentLine.objects.filter(payment_list_id__in=ids)
            .values("payment_list_id").annotate(n=Count("id"), a=Sum("amount"), r=Sum("arrears"), t=Sum("total"),
                                                p=Count("paid_at")).order_by()}
    for pk in ids:
        r = sums.get(pk, {})
        PaymentList.objects.filter(pk=pk, status=PaymentList.Status.DRAFT).update(
            line_count=r.get("n") or 0, total_amount=r.get("a") or 0, total_arrears=r.get("r") or 0,
            total=r.get("t") or 0, paid_count=r.get("p") or 0, version=F("version") + 1,
            updated_at=timezone.now())


def _parse_month(month: dt.date) -> dt.date:
    if month is None:
        raise ValidationError({"month": [_("Cần chọn tháng.")]})
    return month_start(month)


def _not_beyond_next_month(month: dt.date) -> None:
    """Lists are made for months up to the next one, never further ahead."""
    if month > next_month(month_start(timezone.localdate())):
        raise ValidationError({"month": [_("Chỉ lập danh sách đến tháng sau.")]})


def _insert_lines(*, province_id: int, month: dt.date, list_ids: Sequence[int], book: AmountBook,
                  combos: Sequence[tuple[str, Decimal]], arrears_upto: int, refresh: bool) -> int:
    """The set-based insert of every line of ``list_ids`` (regular draft lists of ``month``)."""
    first, last = month_start(month), month_end(month)
    line_t = PaymentLine._meta.db_table
    marks = ", ".join(["%s"] * len(list_ids))
    sql = _Sql()
    sql.add(f"INSERT INTO {line_t} (payment_list_id, position, entitlement_id, person_id, full_name, birth_year, "
            "address, scheme, group_code, group_label, coefficient, base_level, amount, arrears, total, method, "
            "bank_account, paid_at, paid_by_id, signed, receipt_note, correction_of_id, correction_reason) "
            "SELECT x.list_id, x.rn + x.offset_pos, x.entitlement_id, x.person_id, x.full_name, x.birth_year, "
            "x.address, x.scheme, x.group_code, x.label, x.coefficient, x.base_level, x.amount, x.arrears, "
            "x.amount + x.arrears, x.payment_method, x.bank_account, NULL, NULL, %s, '', NULL, '' FROM (SELECT "
            "l.id AS list_id, e.id AS entitlement_id, e.person_id, p.full_name, ", False)
    sql.add(f"{_birth_year_sql('p')} AS birth_year, ")
    sql.add("SUBSTR(COALESCE(p.address_detail, '') || CASE WHEN COALESCE(p.address_detail, '') <> '' "
            "AND pc.name IS NOT NULL THEN ', ' ELSE '' END || COALESCE(pc.name, ''), 1, 300) AS address, "
            "e.scheme, e.group_code, e.label, e.coefficient, e.payment_method, e.bank_account, ")
    _amount_case(sql, "e", combos, book, month, base_only=True)
    sql.add("AS base_level, ")
    _amount_case(sql, "e", combos, book, month)
    sql.add("AS amount, COALESCE(a.s, 0) AS arrears, ")
    if refresh:
        sql.add(f"(SELECT COALESCE(MAX(z.position), 0) FROM {line_t} z WHERE z.payment_list_id = l.id) AS offset_pos, ")
    else:
        sql.add("0 AS offset_pos, ")
    sql.add("ROW_NUMBER() OVER (PARTITION BY l.id ORDER BY e.scheme, e.group_code, p.given_folded, p.name_folded, e.id) "
            "AS rn "
            f"FROM {Entitlement._meta.db_table} e "
            f"JOIN {PaymentList._meta.db_table} l ON l.commune_id = e.commune_id AND l.month = %s AND l.kind = 'regular' "
            f"AND l.id IN ({marks}) "
            "JOIN people_person p ON p.id = e.person_id "
            "LEFT JOIN geo_commune pc ON pc.code = p.commune_id "
            f"LEFT JOIN (SELECT entitlement_id, SUM(difference) AS s FROM {ArrearsItem._meta.db_table} "
            "WHERE settled_line_id IS NULL AND id <= %s GROUP BY entitlement_id) a ON a.entitlement_id = e.id "
            f"WHERE e.province_id = %s AND {_active_sql('e')}", first, *list_ids, arrears_upto, province_id, last, first)
    if refresh:
        # Lines kept (paid) are skipped; NOT IN over the lists' lines is one hashed lookup,
        # where a correlated NOT EXISTS made PostgreSQL walk the index once per entitlement.
        sql.add(f"AND e.id NOT IN (SELECT y.entitlement_id FROM {line_t} y WHERE y.payment_list_id IN ({marks}) "
                "AND y.correction_of_id IS NULL)", *list_ids)
    sql.add(") x")
    with connection.cursor() as cursor:
        cursor.execute(sql.text, sql.params)
        return max(cursor.rowcount, 0)


def _settle_arrears(*, list_ids: Sequence[int], arrears_upto: int, lines_after: int) -> int:
    """Mark the outstanding arrears the new lines carry as settled by them."""
    if not ArrearsItem.objects.filter(settled_line__isnull=True, pk__lte=arrears_upto).exists():
        return 0
    item_t, line_t = ArrearsItem._meta.db_table, PaymentLine._meta.db_table
    marks = ", ".join(["%s"] * len(list_ids))
    lines = (f"SELECT x.id FROM {line_t} x WHERE x.entitlement_id = {item_t}.entitlement_id "
             f"AND x.payment_list_id IN ({marks}) AND x.correction_of_id IS NULL AND x.id > %s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {item_t} SET settled_line_id = ({lines}) WHERE settled_line_id IS NULL AND id <= %s "
            f"AND EXISTS ({lines})", [*list_ids, lines_after, arrears_upto, *list_ids, lines_after])
        return max(cursor.rowcount, 0)


def _cap_recoveries(*, list_ids: Sequence[int], lines_after: int, month: dt.date) -> int:
    """A line never pays less than nothing: a recovery larger than the month's amount is taken up to it.

    The arrears items the line settled are walked from the latest month back;
    what the line could not take is left unsettled (an item split in two when
    needed, the pair summing to the difference first computed), so the next
    list recovers it. Rare, so done row by row over the new lines only.
    """
    lines = list(PaymentLine.objects.filter(pk__gt=lines_after, payment_list_id__in=list(list_ids),
                                            correction_of__isnull=True, total__lt=0))
    for line in lines:
        excess = -line.total
        items = ArrearsItem.objects.select_for_update().filter(settled_line=line, difference__lt=0)
        for item in items.order_by("-month", "-pk"):
            if excess <= 0:
                break
            take = min(excess, -item.difference)
            if take == -item.difference:
                item.settled_line = None
                item.save(update_fields=["settled_line"])
            else:
                item.difference += take
                item.paid = item.due - item.difference
                item.save(update_fields=["difference", "paid"])
                ArrearsItem.objects.create(
                    entitlement_id=item.entitlement_id, month=item.month, paid=take, due=0, difference=-take,
                    computed_by=item.computed_by, reason=_("Phần thu hồi vượt mức hưởng tháng %(m)s, chuyển sang "
                                                           "danh sách sau") % {"m": f"{month:%m/%Y}"})
            excess -= take
        line.arrears = -line.amount
        line.total = 0
        line.save(update_fields=["arrears", "total"])
    return len(lines)


def _renumber(list_id: int) -> None:
    line_t = PaymentLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {line_t} SET position = r.rn FROM (SELECT x.id AS id, ROW_NUMBER() OVER (ORDER BY "
            "x.correction_of_id IS NOT NULL, x.scheme, x.group_code, p.given_folded, p.name_folded, x.entitlement_id, "
            f"x.id) AS rn FROM {line_t} x JOIN people_person p ON p.id = x.person_id WHERE x.payment_list_id = %s) r "
            f"WHERE {line_t}.id = r.id", [list_id])


@dataclass
class Generated:
    lists: list[PaymentList]
    created: int  # lists made new
    lines: int    # lines written
    arrears_settled: int


def _generate(*, actor: Any, province_id: int, month: dt.date, commune_ids: Sequence[int], strict: bool) -> Generated:
    """Make (or refresh) the regular lists of ``month`` for these communes, set-based. Inside a transaction.

    ``strict``: a closed list among them is an error (one commune asked);
    otherwise closed lists are left as they are (the whole province).
    """
    month = month_start(month)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Sorting a chunk's lines by group and name fits in memory instead of spilling to disk.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            if not strict:
                # The province run: a crash may lose the last chunks committed (drafts, made again by
                # running it again), never corrupt them; not waiting for each WAL flush saves seconds.
                cursor.execute("SET LOCAL synchronous_commit = off")
    scope = Entitlement.objects.filter(province_id=province_id, commune_id__in=list(commune_ids)).active_in(month)
    existing = {pl.commune_id: pl for pl in PaymentList.objects.select_for_update().filter(
        commune_id__in=list(commune_ids), month=month, kind=PaymentList.Kind.REGULAR)}
    closed = [pl for pl in existing.values() if pl.is_closed]
    if strict and closed:
        raise ListClosed(_("Danh sách tháng %(m)s của %(c)s đã khóa: không lập lại được; hãy lập dòng điều chỉnh.")
                         % {"m": f"{month:%m/%Y}", "c": closed[0].commune})
    refresh = [pl for pl in existing.values() if not pl.is_closed]
    now = timezone.now()
    generated_by = actor if getattr(actor, "pk", None) else None
    to_make = [c for c in commune_ids if c not in existing]
    if to_make:
        PaymentList.objects.bulk_create([PaymentList(province_id=province_id, commune_id=c, month=month,
                                                     generated_by=generated_by) for c in to_make])
    new = list(PaymentList.objects.filter(commune_id__in=to_make, month=month, kind=PaymentList.Kind.REGULAR))
    combos = _combos(scope)
    book = AmountBook({k for k, _c in combos})
    arrears_upto = ArrearsItem.objects.aggregate(m=Max("pk"))["m"] or 0
    lines_after = PaymentLine.objects.aggregate(m=Max("pk"))["m"] or 0
    total_lines = 0
    try:
        if refresh:
            line_ids = list(PaymentLine.objects.filter(payment_list__in=refresh, paid_at__isnull=True,
                                                       correction_of__isnull=True).values_list("pk", flat=True))
            if line_ids:
                ArrearsItem.objects.filter(settled_line_id__in=line_ids).update(settled_line=None)
                PaymentLine.objects.filter(pk__in=line_ids).delete()
            if combos:
                total_lines += _insert_lines(province_id=province_id, month=month, list_ids=[pl.pk for pl in refresh],
                                             book=book, combos=combos, arrears_upto=arrears_upto, refresh=True)
            for pl in refresh:
                _renumber(pl.pk)
        if new and combos:
            total_lines += _insert_lines(province_id=province_id, month=month, list_ids=[pl.pk for pl in new],
                                         book=book, combos=combos, arrears_upto=arrears_upto, refresh=False)
    except RuleMissing as exc:
        raise ValidationError({"month": [str(exc)]}) from None
    all_ids = [pl.pk for pl in refresh] + [pl.pk for pl in new]
    settled = _settle_arrears(list_ids=all_ids, arrears_upto=arrears_upto, lines_after=lines_after) if all_ids else 0
    if settled:
        _cap_recoveries(list_ids=all_ids, lines_after=lines_after, month=month)
    _refresh_totals(all_ids)
    lists = list(PaymentList.objects.filter(pk__in=all_ids).select_related("commune").order_by("commune__name"))
    refreshed = {r.pk for r in refresh}
    for pl in lists:
        audit_record(actor=actor, action="payment_list.generated", obj=pl, changes={
            "month": month, "commune": pl.commune_id, "lines": pl.line_count, "total": pl.total,
            "refreshed": pl.pk in refreshed, "at": now})
    return Generated(lists=lists, created=len(new), lines=total_lines, arrears_settled=settled)


@transaction.atomic
def payment_list_generate(*, actor: Any, commune: Any, month: dt.date) -> PaymentList:
    """A commune's list for a month: every entitlement active in the month, with its amount and outstanding arrears.

    Run again on a draft it refreshes the list: unpaid lines are rebuilt from
    the entitlements and rules as they are now, lines already marked paid stay.
    A closed list is never regenerated.
    """
    access.require(actor, "payment.manage")
    month = _parse_month(month)
    _require_place(actor, province_id=commune.province_id, commune_id=commune.pk)
    _not_beyond_next_month(month)
    made = _generate(actor=actor, province_id=commune.province_id, month=month, commune_ids=[commune.pk], strict=True)
    return made.lists[0]


def payment_lists_generate_province(
    *, actor: Any, province: Any, month: dt.date, progress: Callable[[int, int, int], None] | None = None,
    chunk: int = INSERT_CHUNK_COMMUNES,
) -> Generated:
    """Every commune's list of the province for a month; communes whose list is closed are left as they are.

    Communes go in chunks, each in its own transaction, so the progress shows
    on the page while the run goes on; a run stopped half-way is resumed by
    running it again (drafts are refreshed, nothing is doubled).
    """
    access.require(actor, "payment.manage")
    if not selectors.covers_province(actor, province.pk):
        raise PermissionDenied(_("Chỉ người phụ trách toàn tỉnh mới lập danh sách cả tỉnh."))
    month = _parse_month(month)
    _not_beyond_next_month(month)
    communes = sorted(Entitlement.objects.filter(province_id=province.pk).active_in(month)
                      .order_by().values_list("commune_id", flat=True).distinct())
    lists: list[PaymentList] = []
    created = lines = settled = 0
    for i in range(0, len(communes), chunk):
        with transaction.atomic():
            made = _generate(actor=actor, province_id=province.pk, month=month, commune_ids=communes[i:i + chunk],
                             strict=False)
        lists += made.lists
        created += made.created
        lines += made.lines
        settled += made.arrears_settled
        if progress:
            progress(min(i + chunk, len(communes)), len(communes), lines)
    return Generated(lists=lists, created=created, lines=lines, arrears_settled=settled)


def _draft_list(actor: Any, payment_list: PaymentList, *, cap: str) -> PaymentList:
    access.require(actor, cap)
    plist = selectors.payment_list_get(user=actor, pk=payment_list.pk)
    plist = PaymentList.objects.select_for_update().select_related("commune").get(pk=plist.pk)
    if plist.is_closed:
        raise ListClosed(_("Danh sách chi trả đã khóa: không được sửa; hãy lập dòng điều chỉnh."))
    return plist


@transaction.atomic
def payment_line_mark_paid(
    *, actor: Any, line: PaymentLine, paid: bool = True, signed: bool = True, note: str = "",
    paid_at: dt.datetime | None = None,
) -> PaymentLine:
    """Record that the person received (and signed for) the money — or undo it while the list is a draft."""
    plist = _draft_list(actor, line.payment_list, cap="payment.manage")
    current = selectors.payment_line_get(user=actor, payment_list=plist, pk=line.pk)
    if paid and current.is_paid:
        raise ConflictError(_("Dòng này đã được ghi nhận chi lúc %(at)s bởi %(who)s.")
                            % {"at": timezone.localtime(current.paid_at).strftime("%d/%m/%Y %H:%M"),
                               "who": current.paid_by or "—"})
    if paid:
        current.paid_at = paid_at or timezone.now()
        current.paid_by = actor
        current.signed = bool(signed)
        current.receipt_note = (note or "").strip()[:200]
    else:
        current.paid_at = None
        current.paid_by = None
        current.signed = False
        current.receipt_note = (note or "").strip()[:200]
    current.save(update_fields=["paid_at", "paid_by", "signed", "receipt_note"])
    _refresh_totals([plist.pk])
    audit_record(actor=actor, action="payment_line.paid" if paid else "payment_line.unpaid", obj=current,
                 person_id=current.person_id, changes={"list": plist.pk, "total": current.total,
                                                       "signed": current.signed, "note": current.receipt_note})
    return current


@transaction.atomic
def payment_list_close(*, actor: Any, payment_list: PaymentList, expected_version: int | None = None) -> PaymentList:
    """Close (khóa) a list: from now on it never changes; corrections go on a correction list."""
    plist = _draft_list(actor, payment_list, cap="payment.close")
    if expected_version is not None and plist.version != expected_version:
        raise ConflictError(_("Danh sách đã thay đổi sau khi bạn mở (có dòng mới được ghi nhận). "
                              "Hãy xem lại rồi khóa."))
    if plist.kind == PaymentList.Kind.CORRECTION and not plist.corrects.is_closed:
        raise ValidationError(_("Danh sách được điều chỉnh chưa khóa."))
    _refresh_totals([plist.pk])
    plist.refresh_from_db()
    if not plist.line_count:
        raise ValidationError(_("Danh sách không có dòng nào: không khóa."))
    plist.status = PaymentList.Status.CLOSED
    plist.closed_at = timezone.now()
    plist.closed_by = actor
    plist.version += 1
    plist.full_clean()
    plist.save()
    audit_record(actor=actor, action="payment_list.closed", obj=plist, changes={
        "lines": plist.line_count, "paid": plist.paid_count, "total": plist.total})
    return plist


@transaction.atomic
def payment_correction_add(
    *, actor: Any, payment_list: PaymentList, line: PaymentLine, amount_delta: int, arrears_delta: int = 0,
    reason: str,
) -> PaymentLine:
    """Correct a line of a closed list: a new line on the correction list of that list (made when needed).

    ``amount_delta`` and ``arrears_delta`` are the signed differences (−amount
    to take a line back entirely); the closed list is left exactly as it was.
    """
    access.require(actor, "payment.manage")
    plist = selectors.payment_list_get(user=actor, pk=payment_list.pk)
    if not plist.is_closed or plist.kind != PaymentList.Kind.REGULAR:
        raise ValidationError(_("Chỉ điều chỉnh danh sách tháng đã khóa; danh sách đang lập thì sửa trực tiếp."))
    original = selectors.payment_line_get(user=actor, payment_list=plist, pk=line.pk)
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Cần ghi lý do điều chỉnh.")]
    if not amount_delta and not arrears_delta:
        errors["amount_delta"] = [_("Số tiền điều chỉnh phải khác 0.")]
    already = PaymentLine.objects.filter(correction_of=original, payment_list__kind=PaymentList.Kind.CORRECTION)
    net = original.total + (already.aggregate(s=Sum("total"))["s"] or 0)
    if net + int(amount_delta or 0) + int(arrears_delta or 0) < 0:
        errors["amount_delta"] = [_("Sau điều chỉnh, số tiền của dòng này không được âm (hiện còn %(net)s).")
                                  % {"net": vnd(net)}]
    if errors:
        raise ValidationError(errors)
    corr = (PaymentList.objects.select_for_update()
            .filter(corrects=plist, kind=PaymentList.Kind.CORRECTION, status=PaymentList.Status.DRAFT).first())
    if corr is None:
        corr = PaymentList(province_id=plist.province_id, commune_id=plist.commune_id, month=plist.month,
                           kind=PaymentList.Kind.CORRECTION, corrects=plist, generated_by=actor,
                           note=_("Điều chỉnh cho danh sách tháng %(m)s") % {"m": f"{plist.month:%m/%Y}"})
        corr.full_clean()
        corr.save()
        audit_record(actor=actor, action="payment_list.correction_opened", obj=corr, changes={"corrects": plist.pk})
    position = (corr.lines.aggregate(m=Max("position"))["m"] or 0) + 1
    new = PaymentLine(
        payment_list=corr, position=position, entitlement_id=original.entitlement_id, person_id=original.person_id,
        full_name=original.full_name, birth_year=original.birth_year, address=original.address,
        scheme=original.scheme, group_code=original.group_code, group_label=original.group_label,
        coefficient=original.coefficient, base_level=original.base_level, amount=int(amount_delta or 0),
        arrears=int(arrears_delta or 0), total=int(amount_delta or 0) + int(arrears_delta or 0),
        method=original.method, bank_account=original.bank_account, correction_of=original,
        correction_reason=reason.strip(),
    )
    new.full_clean()
    new.save()
    _refresh_totals([corr.pk])
    audit_record(actor=actor, action="payment_line.corrected", obj=new, person_id=new.person_id, changes={
        "corrects_line": original.pk, "list": plist.pk, "amount_delta": new.amount, "arrears_delta": new.arrears,
        "reason": new.correction_reason})
    return new


# Province run (progress polled by the page) ----------------------------------------


@transaction.atomic
def payment_run_start(*, actor: Any, province: Any, month: dt.date, export: bool = True) -> PaymentRun:
    """Queue the generation of every commune's list of the province for ``month`` (a task does the work)."""
    access.require(actor, "payment.manage")
    if not selectors.covers_province(actor, province.pk):
        raise PermissionDenied(_("Chỉ người phụ trách toàn tỉnh mới lập danh sách cả tỉnh."))
    month = _parse_month(month)
    _not_beyond_next_month(month)
    busy = PaymentRun.objects.filter(province=province, month=month,
                                     status__in=[PaymentRun.Status.QUEUED, PaymentRun.Status.RUNNING]).first()
    if busy is not None:
        return busy
    run = PaymentRun.objects.create(province=province, month=month, created_by=actor,
                                    step=_("Đang chờ xử lý"))
    audit_record(actor=actor, action="payment_run.queued", obj=run, changes={"month": month})
    from ctxh.assistance.tasks import run_province_payments

    transaction.on_commit(lambda: run_province_payments.enqueue(run.pk, export))
    return run


def payment_run_execute(*, run_id: int, export: bool = True) -> PaymentRun:
    """The task's body: generate, then export the province workbook, updating the run row as it goes."""
    from ctxh.accounts.models import User

    run = PaymentRun.objects.select_related("province").get(pk=run_id)
    actor = User.objects.get(pk=run.created_by_id) if run.created_by_id else None
    PaymentRun.objects.filter(pk=run.pk).update(status=PaymentRun.Status.RUNNING, started_at=timezone.now(),
                                                step=_("Đang lập danh sách các xã"))

    def progress(done: int, todo: int, lines: int) -> None:
        # Called between chunks, outside their transactions: the polling page sees it at once.
        PaymentRun.objects.filter(pk=run.pk).update(communes_done=done, communes_total=todo, lines_made=lines)

    try:
        made = payment_lists_generate_province(actor=actor, province=run.province, month=run.month, progress=progress)
        PaymentRun.objects.filter(pk=run.pk).update(
            lists_made=made.created, lines_made=made.lines, communes_total=len(made.lists),
            communes_done=len(made.lists), step=_("Đang xuất tệp Excel") if export else "")
        name = ""
        if export:
            from ctxh.assistance.exports import province_xlsx_store

            name = province_xlsx_store(province_id=run.province_id, month=run.month, run_id=run.pk)
        PaymentRun.objects.filter(pk=run.pk).update(status=PaymentRun.Status.DONE, finished_at=timezone.now(),
                                                    export_file=name, step=_("Hoàn tất"))
    except Exception as exc:  # the page must show the failure, not spin forever
        PaymentRun.objects.filter(pk=run.pk).update(status=PaymentRun.Status.FAILED, finished_at=timezone.now(),
                                                    error=str(exc)[:2000], step=_("Lỗi"))
        raise
    run.refresh_from_db()
    return run


# Arrears ------------------------------------------------------------------------


@dataclass
class ArrearsResult:
    items: int
    total: int
    months: list[dt.date]


def arrears_compute(
    *, actor: Any, as_of: dt.date, since: dt.date | None = None, province_id: int | None = None,
    commune_id: int | None = None, entitlement_ids: Sequence[int] | None = None, _checked: bool = False,
) -> ArrearsResult:
    """Compare, month by month, what closed lists paid each entitlement with what the rules now say was due.

    For every month up to ``as_of`` with a closed list in scope: due is the
    monthly amount (rule rows in force on the month's 1st × coefficient) if
    the entitlement was active that month and its commune's list was closed
    (or it had a line on one), else 0; paid is the sum of its lines on closed
    lists of that month (corrections included) plus arrears already recorded
    for it. A difference makes one ``ArrearsItem``; running it again adds
    nothing. One set-based ``INSERT … SELECT`` per month.
    """
    if not _checked:
        access.require(actor, "payment.manage")
        if province_id is None and commune_id is None and entitlement_ids is None:
            raise ValidationError(_("Chọn tỉnh hoặc xã để tính truy lĩnh."))
        if commune_id is not None:
            from ctxh.geo.models import Commune

            commune = Commune.objects.get(pk=commune_id)
            _require_place(actor, province_id=commune.province_id, commune_id=commune_id)
        elif province_id is not None and not selectors.covers_province(actor, province_id):
            raise PermissionDenied(_("Chỉ người phụ trách toàn tỉnh mới tính truy lĩnh cả tỉnh."))
    with transaction.atomic():
        return _arrears_compute(actor=actor, as_of=as_of, since=since, province_id=province_id,
                                commune_id=commune_id, entitlement_ids=entitlement_ids)


def _arrears_compute(*, actor: Any, as_of: dt.date, since: dt.date | None, province_id: int | None,
                     commune_id: int | None, entitlement_ids: Sequence[int] | None) -> ArrearsResult:
    ents = Entitlement.objects.filter(status__in=[Entitlement.Status.ACTIVE, Entitlement.Status.STOPPED])
    lists = PaymentList.objects.filter(status=PaymentList.Status.CLOSED, month__lte=month_start(as_of))
    if province_id is not None:
        ents = ents.filter(province_id=province_id)
        lists = lists.filter(province_id=province_id)
    if commune_id is not None:
        ents = ents.filter(commune_id=commune_id)
    if entitlement_ids is not None:
        ents = ents.filter(pk__in=list(entitlement_ids))
        lists = lists.filter(Q(lines__entitlement_id__in=list(entitlement_ids))
                             | Q(commune_id__in=ents.values("commune_id")))
    elif commune_id is not None:
        lists = lists.filter(Q(commune_id=commune_id) | Q(lines__entitlement__commune_id=commune_id))
    if since is not None:
        lists = lists.filter(month__gte=month_start(since))
    months = sorted(set(lists.order_by().values_list("month", flat=True).distinct()))
    combos = _combos(ents)
    if not months or not combos:
        return ArrearsResult(items=0, total=0, months=[])
    book = AmountBook({k for k, _c in combos})
    item_t, line_t, list_t = ArrearsItem._meta.db_table, PaymentLine._meta.db_table, PaymentList._meta.db_table
    ent_t = Entitlement._meta.db_table
    before = ArrearsItem.objects.aggregate(m=Max("pk"))["m"] or 0
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    for month in months:
        first, last = month_start(month), month_end(month)
        base_row = book.row(BASE_LEVEL_KEY, first)
        reason = (_("Tháng %(m)s: mức chuẩn %(base)s (%(source)s)")
                  % {"m": f"{first:%m/%Y}", "base": vnd(int(base_row.value)) if base_row else "—",
                     "source": base_row.source if base_row else "—"})[:300]
        sql = _Sql()
        sql.add(f"INSERT INTO {item_t} (entitlement_id, month, paid, due, difference, reason, computed_at, "
                "computed_by_id, settled_line_id) SELECT x.id, %s, x.paid, x.due, x.due - x.paid, %s, %s, %s, NULL "
                "FROM (SELECT e.id AS id, COALESCE(pd.s, 0) + COALESCE(ai.s, 0) AS paid, "
                f"CASE WHEN {_active_sql('e')} AND (pd.entitlement_id IS NOT NULL OR cl.commune_id IS NOT NULL) THEN ",
                first, reason, now, actor_id, last, first)
        _amount_case(sql, "e", combos, book, first, missing_null=True)
        sql.add("ELSE 0 END AS due "
                f"FROM {ent_t} e "
                f"LEFT JOIN (SELECT x.entitlement_id, SUM(x.amount) AS s FROM {line_t} x JOIN {list_t} l ON "
                "l.id = x.payment_list_id WHERE l.month = %s AND l.status = 'closed' GROUP BY x.entitlement_id) pd "
                "ON pd.entitlement_id = e.id "
                f"LEFT JOIN (SELECT entitlement_id, SUM(difference) AS s FROM {item_t} WHERE month = %s "
                "GROUP BY entitlement_id) ai ON ai.entitlement_id = e.id "
                f"LEFT JOIN (SELECT DISTINCT commune_id FROM {list_t} WHERE month = %s AND kind = 'regular' "
                "AND status = 'closed') cl ON cl.commune_id = e.commune_id "
                "WHERE e.status IN ('active', 'stopped') "
                f"AND (pd.entitlement_id IS NOT NULL OR (cl.commune_id IS NOT NULL AND {_active_sql('e')})) ",
                first, first, first, last, first)
        if province_id is not None:
            sql.add("AND e.province_id = %s ", province_id)
        if commune_id is not None:
            sql.add("AND e.commune_id = %s ", commune_id)
        if entitlement_ids is not None:
            ids = [int(i) for i in entitlement_ids] or [0]
            sql.add(f"AND e.id IN ({', '.join(['%s'] * len(ids))}) ", *ids)
        sql.add(") x WHERE x.due <> x.paid")
        with connection.cursor() as cursor:
            cursor.execute(sql.text, sql.params)
    made = ArrearsItem.objects.filter(pk__gt=before)
    agg = made.aggregate(n=Count("id"), s=Sum("difference"))
    result = ArrearsResult(items=agg["n"] or 0, total=agg["s"] or 0, months=months)
    if result.items:
        from ctxh.audit.models import AuditEntry
        from ctxh.core.context import current_request_id

        per_ent = made.values("entitlement_id", "entitlement__person_id").annotate(s=Sum("difference"), n=Count("id"))
        AuditEntry.objects.bulk_create([AuditEntry(
            actor=actor if actor_id else None, action="arrears.computed", object_type="assistance.entitlement",
            object_id=str(r["entitlement_id"]), object_repr=_("Truy lĩnh %(n)s tháng") % {"n": r["n"]},
            person_id=r["entitlement__person_id"], changes={"months": r["n"], "total": r["s"], "as_of": str(as_of)},
            request_id=current_request_id()) for r in per_ent.order_by()], batch_size=2000)
    return result


def amount_rule_changed(rule: Rule, *, since: dt.date | None = None) -> bool:
    """Whether a saved/deleted rule row may change amounts already paid on closed lists (from ``since``)."""
    if not any(rule.key == p or rule.key.startswith(p + ".") for p in AMOUNT_RULE_PREFIXES):
        return False
    return PaymentList.objects.filter(status=PaymentList.Status.CLOSED,
                                      month__gte=month_start(since or rule.valid_from)).exists()
