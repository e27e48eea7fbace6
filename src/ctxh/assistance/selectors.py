"""Reads of entitlements, decisions, payment lists and arrears, scoped to the user's communes.

403 (``PermissionDenied``) when the role lacks the capability, 404 (``Http404``)
for a record outside the places the user covers: a commune collaborator sees
their commune, the centre the whole province. Opening a person's entitlement
and a payment list (both personal data) is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from ctxh.accounts import access
from ctxh.assistance.models import (
    ArrearsItem,
    Decision,
    Entitlement,
    PaymentLine,
    PaymentList,
    PaymentRun,
    month_start,
)
from ctxh.audit.services import access_record
from ctxh.core.text import fold
from ctxh.geo.models import Commune

VIEW = "entitlement.view"


def place_q(user: Any, *, prefix: str = "") -> Q:
    """Rows whose province or commune the user covers (nothing for an empty coverage)."""
    cov = access.coverage(user)
    q = Q(pk__in=[])
    if cov.provinces:
        q |= Q(**{f"{prefix}province_id__in": sorted(cov.provinces)})
    if cov.communes:
        q |= Q(**{f"{prefix}commune_id__in": sorted(cov.communes)})
    return q


def covers(user: Any, *, province_id: int | None, commune_id: int | None) -> bool:
    return access.coverage(user).covers(province_id=province_id, commune_id=commune_id)


def covered_communes(user: Any) -> QuerySet[Commune]:
    cov = access.coverage(user)
    return Commune.objects.filter(Q(province_id__in=cov.provinces) | Q(pk__in=cov.communes)).order_by("name")


def covers_province(user: Any, province_id: int) -> bool:
    return province_id in access.coverage(user).provinces


# Entitlements -------------------------------------------------------------------


def entitlement_queryset(*, user: Any) -> QuerySet[Entitlement]:
    access.require(user, VIEW)
    return Entitlement.objects.filter(place_q(user))


@dataclass
class EntitlementFilters:
    q: str = ""
    commune: int | None = None
    scheme: str = ""
    status: str = ""
    group: str = ""
    sort: str = "name"


ENTITLEMENT_SORTS = {
    "name": ("person__given_folded", "person__name_folded", "id"),
    "-name": ("-person__given_folded", "-person__name_folded", "-id"),
    "start": ("start_on", "id"),
    "-start": ("-start_on", "-id"),
    "coef": ("coefficient", "id"),
    "-coef": ("-coefficient", "-id"),
    "-created": ("-created_at", "-id"),
}
STATUS_CHOICES = [s.value for s in Entitlement.Status]


def entitlement_list(*, user: Any, filters: EntitlementFilters | None = None) -> QuerySet[Entitlement]:
    f = filters or EntitlementFilters()
    qs = entitlement_queryset(user=user)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.scheme:
        qs = qs.filter(scheme=f.scheme)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.group:
        qs = qs.filter(group_code__startswith=f.group)
    for word in fold(f.q).split()[:6]:
        if word.isdigit() and len(word) >= 6:
            qs = qs.filter(person__cccd__startswith=word)
        else:
            qs = qs.filter(Q(person__name_folded__startswith=word) | Q(person__name_folded__contains=" " + word))
    return (qs.select_related("person", "commune", "start_decision")
            .order_by(*ENTITLEMENT_SORTS.get(f.sort, ENTITLEMENT_SORTS["name"])))


def entitlement_get(*, user: Any, pk: Any) -> Entitlement:
    try:
        return entitlement_queryset(user=user).select_related(
            "person", "commune", "province", "start_decision", "stop_decision", "proposed_by").get(pk=pk)
    except (Entitlement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def entitlement_open(*, user: Any, pk: Any, purpose: str = "view") -> Entitlement:
    """One entitlement for reading in full; written to the access log."""
    ent = entitlement_get(user=user, pk=pk)
    access_record(actor=user, obj=ent, purpose=purpose, person_id=ent.person_id)
    return ent


def person_for_entitlements(*, user: Any, pk: Any) -> Any:
    """The person (scoped like the registry: sealed-case people stay hidden) for their entitlement page."""
    access.require(user, VIEW)
    from ctxh.people.selectors import person_get

    return person_get(user=user, pk=pk)


def person_entitlements(*, user: Any, person: Any) -> list[Entitlement]:
    """A person's entitlements in the user's places; the read is logged once for the person."""
    items = list(entitlement_queryset(user=user).filter(person=person)
                 .select_related("commune", "start_decision", "stop_decision").order_by("-id"))
    access_record(actor=user, obj=person, purpose="entitlements", person_id=person.pk)
    return items


def entitlement_payments(*, user: Any, entitlement: Entitlement, limit: int = 24) -> list[PaymentLine]:
    """The lines that paid this entitlement (newest month first)."""
    access.require(user, VIEW)
    return list(PaymentLine.objects.filter(entitlement=entitlement).select_related("payment_list")
                .order_by("-payment_list__month", "-id")[:limit])


def entitlement_arrears(*, user: Any, entitlement: Entitlement) -> list[ArrearsItem]:
    access.require(user, VIEW)
    return list(entitlement.arrears_items.select_related("settled_line__payment_list").order_by("month", "id"))


REVIEW_BATCH = 100


@dataclass
class ReviewRow:
    """An active entitlement the rules on the review date no longer give as it was decided."""

    entitlement: Entitlement
    verdict: str  # "changed": another group or coefficient of the same scheme; "ended": none; "unknown"
    now_label: str = ""
    now_coefficient: Decimal | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class Review:
    rows: list[ReviewRow]
    checked: int
    total: int
    next_offset: int | None


def entitlements_review(*, user: Any, commune_id: int, on: dt.date, offset: int = 0,
                        batch: int = REVIEW_BATCH) -> Review:
    """Active entitlements of a commune judged again by the engine on ``on`` (a birthday crossing an age limit,
    a group ended, a household no longer poor…), a batch at a time in name order.

    Rows come back only for those that differ from the decision: another group
    or coefficient of the same scheme, or no line of the scheme at all (with the
    engine's reasons). Each needs a decision; nothing is changed here.
    """
    from ctxh.assistance.eligibility import RuleBook, person_check
    from ctxh.core.rules import RuleMissing

    qs = (entitlement_queryset(user=user).filter(commune_id=commune_id, status=Entitlement.Status.ACTIVE,
                                                 start_on__lte=on)
          .select_related("person").order_by(*ENTITLEMENT_SORTS["name"]))
    total = qs.count()
    offset = max(offset, 0)
    ents = list(qs[offset:offset + batch])
    rows: list[ReviewRow] = []
    try:
        book = RuleBook.load(on)
    except RuleMissing as exc:
        return Review(rows=[ReviewRow(entitlement=e, verdict="unknown", reasons=[str(exc)]) for e in ents],
                      checked=len(ents), total=total, next_offset=None)
    for ent in ents:
        try:
            result = person_check(ent.person, on, book=book)
        except RuleMissing as exc:
            rows.append(ReviewRow(entitlement=ent, verdict="unknown", reasons=[str(exc)]))
            continue
        same = next((ln for ln in result.paid if ln.group == ent.group_code), None)
        if same is not None and (same.fixed_amount or Decimal(same.coefficient) == ent.coefficient):
            continue
        now = same or next((ln for ln in result.paid if ln.scheme == ent.scheme), None)
        if now is not None:
            rows.append(ReviewRow(entitlement=ent, verdict="changed", now_label=now.label,
                                  now_coefficient=None if now.fixed_amount else Decimal(now.coefficient),
                                  reasons=list(now.reasons)))
        else:
            why = [r for rej in result.rejected if rej.scheme == ent.scheme for r in rej.reasons]
            rows.append(ReviewRow(entitlement=ent, verdict="ended", reasons=why))
    after = offset + len(ents)
    return Review(rows=rows, checked=after, total=total, next_offset=after if after < total else None)


# Decisions -------------------------------------------------------------------


def decision_queryset(*, user: Any) -> QuerySet[Decision]:
    access.require(user, VIEW)
    return Decision.objects.filter(place_q(user))


@dataclass
class DecisionFilters:
    q: str = ""
    commune: int | None = None
    kind: str = ""
    year: int | None = None


def decision_list(*, user: Any, filters: DecisionFilters | None = None) -> QuerySet[Decision]:
    f = filters or DecisionFilters()
    qs = decision_queryset(user=user)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.year:
        qs = qs.filter(signed_on__year=f.year)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q.strip()) | Q(signer_name__icontains=f.q.strip()))
    return qs.select_related("commune").annotate(
        n_started=Count("started", distinct=True), n_stopped=Count("stopped", distinct=True),
    ).order_by("-signed_on", "-id")


def decision_get(*, user: Any, pk: Any) -> Decision:
    try:
        return decision_queryset(user=user).select_related("commune", "province", "created_by").get(pk=pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def decision_open(*, user: Any, pk: Any, purpose: str = "view") -> Decision:
    """A decision with the people it names (or its signed document): the read is logged."""
    decision = decision_get(user=user, pk=pk)
    access_record(actor=user, obj=decision, purpose=purpose)
    return decision


def decision_entitlements(*, user: Any, decision: Decision) -> list[Entitlement]:
    return list(entitlement_queryset(user=user).filter(Q(start_decision=decision) | Q(stop_decision=decision))
                .select_related("person").order_by("person__given_folded", "id"))


# Payment lists ------------------------------------------------------------------


def payment_list_queryset(*, user: Any) -> QuerySet[PaymentList]:
    access.require(user, VIEW)
    return PaymentList.objects.filter(place_q(user))


@dataclass
class PaymentListFilters:
    commune: int | None = None
    month: dt.date | None = None
    status: str = ""
    kind: str = ""


def payment_list_list(*, user: Any, filters: PaymentListFilters | None = None) -> QuerySet[PaymentList]:
    f = filters or PaymentListFilters()
    qs = payment_list_queryset(user=user)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.month:
        qs = qs.filter(month=f.month.replace(day=1))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs.select_related("commune", "corrects").order_by("-month", "commune__name", "id")


def payment_list_get(*, user: Any, pk: Any) -> PaymentList:
    try:
        return payment_list_queryset(user=user).select_related(
            "commune", "province", "closed_by", "generated_by", "corrects").get(pk=pk)
    except (PaymentList.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def payment_list_open(*, user: Any, pk: Any, purpose: str = "view") -> PaymentList:
    """A list with its people's names and amounts: the read is logged (once per list, not per line)."""
    plist = payment_list_get(user=user, pk=pk)
    access_record(actor=user, obj=plist, purpose=purpose)
    return plist


@dataclass
class LineFilters:
    q: str = ""
    group: str = ""
    paid: str = ""  # "" | "yes" | "no"


def payment_lines(*, user: Any, payment_list: PaymentList, filters: LineFilters | None = None) -> QuerySet[PaymentLine]:
    """The lines of a list the user may see (the list itself was read through a scoped getter)."""
    access.require(user, VIEW)
    f = filters or LineFilters()
    qs = PaymentLine.objects.filter(payment_list=payment_list)
    if f.group:
        qs = qs.filter(group_code=f.group)
    if f.paid == "yes":
        qs = qs.filter(paid_at__isnull=False)
    elif f.paid == "no":
        qs = qs.filter(paid_at__isnull=True)
    for word in fold(f.q).split()[:6]:
        qs = qs.filter(Q(person__name_folded__startswith=word) | Q(person__name_folded__contains=" " + word))
    return qs.select_related("paid_by", "correction_of").order_by("position", "id")


def payment_lines_of_the_dead(*, user: Any, payment_list: PaymentList, limit: int = 50) -> list[PaymentLine]:
    """Unpaid lines of people recorded as dead before the list's month ends: their allowance needs a stop decision."""
    access.require(user, VIEW)
    return list(PaymentLine.objects.filter(
        payment_list=payment_list, paid_at__isnull=True, correction_of__isnull=True, person__status="deceased",
    ).filter(Q(person__death_date__isnull=True) | Q(person__death_date__lt=month_start(payment_list.month)))
        .select_related("person").order_by("position")[:limit])


def payment_line_get(*, user: Any, payment_list: PaymentList, pk: Any) -> PaymentLine:
    try:
        return payment_lines(user=user, payment_list=payment_list).get(pk=pk)
    except (PaymentLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class GroupTotal:
    scheme: str
    group_code: str
    group_label: str
    count: int
    amount: int
    arrears: int
    total: int


def group_totals(*, payment_list: PaymentList) -> list[GroupTotal]:
    """Per scheme and group: number of lines and the sums, in the order of the list."""
    rows = (PaymentLine.objects.filter(payment_list=payment_list)
            .values("scheme", "group_code", "group_label")
            .annotate(n=Count("id"), a=Sum("amount"), r=Sum("arrears"), t=Sum("total"))
            .order_by("scheme", "group_code", "group_label"))
    return [GroupTotal(r["scheme"], r["group_code"], r["group_label"], r["n"], r["a"] or 0, r["r"] or 0, r["t"] or 0)
            for r in rows]


def line_totals(*, payment_list: PaymentList) -> dict[str, int]:
    """The sums of the lines as they are now (the stored totals must equal these)."""
    agg = PaymentLine.objects.filter(payment_list=payment_list).aggregate(
        n=Count("id"), a=Sum("amount"), r=Sum("arrears"), t=Sum("total"), p=Count("paid_at"))
    return {"line_count": agg["n"] or 0, "total_amount": agg["a"] or 0, "total_arrears": agg["r"] or 0,
            "total": agg["t"] or 0, "paid_count": agg["p"] or 0}


def payment_run_get(*, user: Any, pk: Any) -> PaymentRun:
    access.require(user, VIEW)
    cov = access.coverage(user)
    try:
        return PaymentRun.objects.select_related("province").get(pk=pk, province_id__in=sorted(cov.provinces))
    except (PaymentRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def payment_runs(*, user: Any, limit: int = 10) -> list[PaymentRun]:
    access.require(user, VIEW)
    cov = access.coverage(user)
    return list(PaymentRun.objects.filter(province_id__in=sorted(cov.provinces)).select_related("province")
                .order_by("-created_at", "-id")[:limit])


# Arrears -------------------------------------------------------------------------


@dataclass
class ArrearsFilters:
    commune: int | None = None
    state: str = "open"  # "open" | "settled" | ""
    q: str = ""


def arrears_list(*, user: Any, filters: ArrearsFilters | None = None) -> QuerySet[ArrearsItem]:
    f = filters or ArrearsFilters()
    qs = ArrearsItem.objects.filter(place_q(user, prefix="entitlement__"))
    access.require(user, VIEW)
    if f.commune:
        qs = qs.filter(entitlement__commune_id=f.commune)
    if f.state == "open":
        qs = qs.filter(settled_line__isnull=True)
    elif f.state == "settled":
        qs = qs.filter(settled_line__isnull=False)
    for word in fold(f.q).split()[:6]:
        qs = qs.filter(Q(entitlement__person__name_folded__startswith=word)
                       | Q(entitlement__person__name_folded__contains=" " + word))
    return qs.select_related("entitlement__person", "entitlement__commune", "settled_line__payment_list").order_by(
        "entitlement__commune__name", "entitlement__person__given_folded", "entitlement_id", "month", "id")


def arrears_summary(qs: QuerySet[ArrearsItem]) -> dict[str, int]:
    agg = qs.aggregate(n=Count("id"), people=Count("entitlement", distinct=True), s=Sum("difference"))
    return {"count": agg["n"] or 0, "entitlements": agg["people"] or 0, "total": agg["s"] or 0}
