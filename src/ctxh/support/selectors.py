"""Reads of support records, always scoped to what the user may see.

Who sees what — one rule per record type, used by every page and endpoint:

- **Grants, needs and allocations** follow their recipient: a user with
  ``support.view`` sees the record when they may see the person
  (``people.selectors.person_queryset``: the communes or the province their
  membership covers, and never the person of a sealed case they are not on) or
  the household (``household_queryset``). Anything else answers 404.
- **Donors and donations** belong to the province: ``support.view`` users of
  the province (province-wide, or covering one of its communes) see them; the
  allocations listed under a donation are only those whose recipient they see,
  with a count of the others. Writes need ``donation.manage``.
- **Needs surveys**: ``support.view`` users covering the province or one of the
  survey's communes. The report (counts by commune × need type) also opens to
  ``stats.view`` users of the province, with counts under the small-count
  threshold shown as "<5" (``CTXH_SMALL_COUNT_THRESHOLD``, 5 by default).
- Users without the capability (statistician for records, outsider) get 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from ctxh.accounts import access
from ctxh.audit.services import access_record
from ctxh.core.models import Term
from ctxh.geo.models import Commune
from ctxh.people.models import Household, HouseholdMember, Person
from ctxh.people.selectors import household_queryset, person_get, person_queryset, search_filter
from ctxh.support import files
from ctxh.support.models import Allocation, Donation, Donor, Grant, Need, NeedsSurvey


def small_count_threshold() -> int:
    return int(getattr(settings, "CTXH_SMALL_COUNT_THRESHOLD", 5))


def require_view(user: Any) -> None:
    access.require(user, "support.view")


def _recipient_q(user: Any) -> Q:
    """Records whose person or household the user may see."""
    return (Q(person_id__in=person_queryset(user=user).values("pk"))
            | Q(household_id__in=household_queryset(user=user).values("pk")))


def covered_communes(user: Any) -> QuerySet[Commune]:
    cov = access.coverage(user)
    return (Commune.objects.filter(province_id__in=cov.provinces) | Commune.objects.filter(pk__in=cov.communes)
            ).order_by("name")


def donation_provinces(user: Any) -> set[int]:
    """Provinces whose donations the user sees: the ones covered whole, and those of covered communes."""
    cov = access.coverage(user)
    provinces = set(cov.provinces)
    if cov.communes:
        provinces |= set(Commune.objects.filter(pk__in=cov.communes).values_list("province_id", flat=True))
    return provinces


def _recipient_search(qs: QuerySet[Any], user: Any, q: str) -> QuerySet[Any]:
    """Match the recipient's name (any member's, for a household), CCCD or phone, or the household code."""
    q = (q or "").strip()
    if not q:
        return qs
    people = search_filter(person_queryset(user=user), q).values("pk")
    households = HouseholdMember.objects.filter(person_id__in=people).values("household_id")
    return qs.filter(Q(person_id__in=people) | Q(household_id__in=households) | Q(household__code__iexact=q))


# Grants ---------------------------------------------------------------------------------------

@dataclass
class GrantFilters:
    q: str = ""
    kind: str = ""
    commune: int | None = None
    funding: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "-given_on"


GRANT_SORTS: dict[str, tuple[Any, ...]] = {
    "-given_on": ("-given_on", "-id"),
    "given_on": ("given_on", "id"),
    "-amount": (F("amount").desc(nulls_last=True), "-id"),
    "amount": (F("amount").asc(nulls_first=True), "id"),
}


def grant_queryset(*, user: Any) -> QuerySet[Grant]:
    require_view(user)
    return Grant.objects.filter(_recipient_q(user))


def grant_list(*, user: Any, filters: GrantFilters | None = None) -> QuerySet[Grant]:
    f = filters or GrantFilters()
    qs = _recipient_search(grant_queryset(user=user), user, f.q)
    if f.kind:
        qs = qs.filter(kind__code=f.kind)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.funding:
        qs = qs.filter(funding__code=f.funding)
    if f.date_from:
        qs = qs.filter(given_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(given_on__lte=f.date_to)
    return qs.select_related("person", "household", "kind", "item", "funding", "commune", "case",
                             "allocation__donation__donor").order_by(*GRANT_SORTS.get(f.sort, GRANT_SORTS["-given_on"]))


@dataclass
class GrantTotals:
    count: int
    amount: int
    items: list[dict[str, Any]] = field(default_factory=list)


def grant_totals(qs: QuerySet[Grant]) -> GrantTotals:
    """Count, money and goods (per item and unit) of the filtered grants."""
    plain = qs.order_by()
    agg = plain.aggregate(count=Count("pk"), amount=Sum("amount"))
    items = list(plain.filter(item__isnull=False).values("item__name", "unit").annotate(
        quantity=Sum("quantity")).order_by("item__name", "unit"))
    return GrantTotals(count=agg["count"] or 0, amount=int(agg["amount"] or 0),
                       items=[{"name": i["item__name"], "unit": i["unit"], "quantity": i["quantity"]} for i in items])


def grant_get(*, user: Any, pk: Any) -> Grant:
    """One grant whose recipient the user may see, or 404."""
    try:
        return grant_queryset(user=user).select_related(
            "person", "household", "kind", "item", "funding", "commune", "province", "case", "recorded_by",
            "allocation__donation__donor").get(pk=pk)
    except (Grant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def grant_open(*, user: Any, pk: Any) -> Grant:
    """Open a grant for reading; the read goes to the access log (support is sensitive: finance, health)."""
    grant = grant_get(user=user, pk=pk)
    access_record(actor=user, obj=grant, purpose="support", person_id=grant.person_id)
    return grant


# Needs ----------------------------------------------------------------------------------------

@dataclass
class NeedFilters:
    q: str = ""
    status: str = ""
    need_type: str = ""
    commune: int | None = None
    survey: int | None = None


def need_queryset(*, user: Any) -> QuerySet[Need]:
    require_view(user)
    return Need.objects.filter(_recipient_q(user))


def need_list(*, user: Any, filters: NeedFilters | None = None) -> QuerySet[Need]:
    f = filters or NeedFilters()
    qs = _recipient_search(need_queryset(user=user), user, f.q)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.need_type:
        qs = qs.filter(need_type__code=f.need_type)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.survey:
        qs = qs.filter(survey_id=f.survey)
    return qs.select_related("person", "household", "need_type", "commune", "survey",
                             "fulfilled_grant__kind", "fulfilled_allocation__donation__donor").order_by(
        "-identified_on", "-id")


def need_get(*, user: Any, pk: Any) -> Need:
    try:
        return need_queryset(user=user).select_related(
            "person", "household", "need_type", "commune", "survey", "fulfilled_grant", "fulfilled_allocation").get(pk=pk)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def need_open(*, user: Any, pk: Any) -> Need:
    """Open a need for reading (its person or household, and the support that could meet it): logged."""
    need = need_get(user=user, pk=pk)
    access_record(actor=user, obj=need, purpose="support", person_id=need.person_id)
    return need


def need_candidates(*, user: Any, need: Need) -> dict[str, list[Any]]:
    """Grants and active allocations of the need's recipient that could be what met it."""
    if need.person_id:
        who = Q(person_id=need.person_id) | Q(household_id__in=HouseholdMember.objects.filter(
            person_id=need.person_id).values("household_id"))
    else:
        who = Q(household_id=need.household_id) | Q(
            person_id__in=HouseholdMember.objects.filter(household=need.household).values("person_id"))
    grants = grant_queryset(user=user).filter(who).select_related("kind", "item").order_by("-given_on", "-id")[:50]
    allocations = allocation_queryset(user=user).filter(who, cancelled_at__isnull=True).select_related(
        "donation__donor", "donation__item").order_by("-allocated_on", "-id")[:50]
    return {"grants": list(grants), "allocations": list(allocations)}


# Surveys --------------------------------------------------------------------------------------

def _survey_scope_q(user: Any) -> Q:
    cov = access.coverage(user)
    q = Q(pk__in=[])
    if cov.provinces:
        q |= Q(province_id__in=sorted(cov.provinces))
    if cov.communes:
        q |= Q(pk__in=NeedsSurvey.communes.through.objects.filter(
            commune_id__in=sorted(cov.communes)).values("needssurvey_id"))
    return q


def _stats_provinces(user: Any) -> set[int]:
    if not access.can(user, "stats.view"):
        return set()
    return {m.organization.province_id for m in access.memberships(user)}


def survey_queryset(*, user: Any) -> QuerySet[NeedsSurvey]:
    """Surveys the user may open: support.view in its area; stats.view (report only) in the province."""
    if access.can(user, "support.view"):
        return NeedsSurvey.objects.filter(_survey_scope_q(user))
    if access.can(user, "stats.view"):
        return NeedsSurvey.objects.filter(province_id__in=sorted(_stats_provinces(user)))
    require_view(user)
    return NeedsSurvey.objects.none()


def survey_list(*, user: Any) -> QuerySet[NeedsSurvey]:
    return survey_queryset(user=user).annotate(need_count=Count("needs", distinct=True),
                                               commune_count=Count("communes", distinct=True)).order_by(
        "-starts_on", "-id")


def survey_get(*, user: Any, pk: Any) -> NeedsSurvey:
    """A survey for work (needs, import): support.view in its area, else 404."""
    require_view(user)
    try:
        return NeedsSurvey.objects.filter(_survey_scope_q(user)).select_related("province").get(pk=pk)
    except (NeedsSurvey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def survey_for_report(*, user: Any, pk: Any) -> tuple[NeedsSurvey, bool]:
    """The survey and whether its counts must be suppressed (statisticians: aggregates only)."""
    if access.can(user, "support.view"):
        return survey_get(user=user, pk=pk), False
    if not access.can(user, "stats.view"):
        require_view(user)
    try:
        survey = survey_queryset(user=user).select_related("province").get(pk=pk)
    except (NeedsSurvey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return survey, True


@dataclass
class ReportRow:
    commune: Commune
    cells: list[int]
    total: int
    shown: list[str] = field(default_factory=list)
    total_shown: str = ""


@dataclass
class SurveyReport:
    survey: NeedsSurvey
    need_types: list[Term]
    rows: list[ReportRow]
    column_totals: list[int]
    grand_total: int
    suppressed: bool
    column_shown: list[str] = field(default_factory=list)
    grand_shown: str = ""


HIDDEN = "x"  # a total hidden so that a suppressed small count cannot be worked out from it


def _suppress(report: SurveyReport) -> None:
    """Counts 1–4 show as "<5"; a total that would let one of them be worked out is hidden too.

    Primary suppression hides the small cells; a line total is then hidden
    when exactly one cell of its line is hidden (total − the others = it), and
    the grand total when exactly one line total is hidden, repeated until
    nothing changes. Zero stays 0: it singles out no one.
    """
    limit = small_count_threshold()
    small = f"<{limit}"

    def primary(n: int) -> str | None:
        return small if 0 < n < limit else None

    cells = [[primary(n) for n in row.cells] for row in report.rows]
    row_hidden = [primary(row.total) for row in report.rows]
    col_hidden = [primary(n) for n in report.column_totals]
    grand_hidden = primary(report.grand_total)
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(cells):
            if row_hidden[i] is None and sum(c is not None for c in row) == 1:
                row_hidden[i], changed = HIDDEN, True
        for j in range(len(report.column_totals)):
            column = [cells[i][j] for i in range(len(cells))]
            if col_hidden[j] is None and sum(c is not None for c in column) == 1:
                col_hidden[j], changed = HIDDEN, True
        if grand_hidden is None and (sum(h is not None for h in row_hidden) == 1
                                     or sum(h is not None for h in col_hidden) == 1):
            grand_hidden, changed = HIDDEN, True
    for i, line in enumerate(report.rows):
        line.shown = [cells[i][j] or str(n) for j, n in enumerate(line.cells)]
        line.total_shown = row_hidden[i] or str(line.total)
    report.column_shown = [col_hidden[j] or str(n) for j, n in enumerate(report.column_totals)]
    report.grand_shown = grand_hidden or str(report.grand_total)


def survey_report(*, user: Any, survey: NeedsSurvey, suppressed: bool) -> SurveyReport:
    """Needs of the survey counted by commune × need type.

    A worker counts the needs they may see, in the communes they cover; a
    statistician counts them all, suppressed.
    """
    needs = Need.objects.filter(survey=survey)
    communes = list(survey.communes.order_by("name"))
    if not suppressed:
        needs = needs.filter(_recipient_q(user))
        cov = access.coverage(user)
        communes = [c for c in communes if cov.covers(province_id=c.province_id, commune_id=c.pk)]
    counts: dict[tuple[int | None, int], int] = {
        (r["commune_id"], r["need_type_id"]): r["n"]
        for r in needs.order_by().values("commune_id", "need_type_id").annotate(n=Count("pk"))
    }
    types = list(survey.need_types.order_by("position", "code"))
    seen_types = {t for _c, t in counts}
    if not types or seen_types - {t.pk for t in types}:
        types = list(Term.objects.filter(Q(pk__in=[t.pk for t in types]) | Q(pk__in=seen_types)).order_by(
            "position", "code"))
    commune_ids = {c.pk for c in communes}
    extra = {c for c, _t in counts if c is not None and c not in commune_ids}
    if extra:
        communes += list(Commune.objects.filter(pk__in=extra).order_by("name"))
    rows = []
    for commune in communes:
        cells = [counts.get((commune.pk, t.pk), 0) for t in types]
        rows.append(ReportRow(commune=commune, cells=cells, total=sum(cells)))
    column_totals = [sum(r.cells[j] for r in rows) for j in range(len(types))]
    report = SurveyReport(survey=survey, need_types=types, rows=rows, column_totals=column_totals,
                          grand_total=sum(column_totals), suppressed=suppressed)
    if suppressed:
        _suppress(report)
    else:
        for row in rows:
            row.shown = [str(n) for n in row.cells]
            row.total_shown = str(row.total)
        report.column_shown = [str(n) for n in column_totals]
        report.grand_shown = str(report.grand_total)
    return report


# Donors, donations, allocations ------------------------------------------------------------------

def donor_queryset(*, user: Any) -> QuerySet[Donor]:
    require_view(user)
    return Donor.objects.filter(province_id__in=sorted(donation_provinces(user)))


def donor_get(*, user: Any, pk: Any) -> Donor:
    try:
        return donor_queryset(user=user).get(pk=pk)
    except (Donor.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def donor_list(*, user: Any, q: str = "") -> QuerySet[Donor]:
    from ctxh.core.text import fold

    qs = donor_queryset(user=user)
    for word in fold(q).split()[:6]:
        qs = qs.filter(name_folded__contains=word)
    return qs.annotate(donation_count=Count("donations")).order_by("name_folded", "id")


def donation_queryset(*, user: Any) -> QuerySet[Donation]:
    require_view(user)
    return Donation.objects.filter(province_id__in=sorted(donation_provinces(user)))


def donation_list(*, user: Any, q: str = "", donor: int | None = None, state: str = "") -> QuerySet[Donation]:
    from ctxh.core.text import fold

    qs = donation_queryset(user=user)
    for word in fold(q).split()[:6]:
        qs = qs.filter(Q(donor__name_folded__contains=word) | Q(purpose__icontains=word))
    if donor:
        qs = qs.filter(donor_id=donor)
    if state == "open":
        qs = qs.filter(remaining__gt=0)
    elif state == "used":
        qs = qs.filter(remaining=0)
    return qs.select_related("donor", "item").order_by("-received_on", "-id")


def donation_get(*, user: Any, pk: Any) -> Donation:
    try:
        return donation_queryset(user=user).select_related("donor", "item", "province").get(pk=pk)
    except (Donation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def donation_allocated(donation: Donation) -> int:
    """What the active allocations add up to (the ledger ``remaining`` is checked against)."""
    agg = donation.allocations.filter(cancelled_at__isnull=True).aggregate(a=Sum("amount"), q=Sum("quantity"))
    return int((agg["a"] or 0) + (agg["q"] or 0))


def donation_remaining(donation: Donation) -> int:
    """Remaining = total − sum of the active allocations."""
    return donation.total - donation_allocated(donation)


def allocation_queryset(*, user: Any) -> QuerySet[Allocation]:
    require_view(user)
    return Allocation.objects.filter(_recipient_q(user), donation__province_id__in=sorted(donation_provinces(user)))


def allocation_get(*, user: Any, pk: Any) -> Allocation:
    try:
        return allocation_queryset(user=user).select_related("donation__donor", "donation__item", "person",
                                                             "household").get(pk=pk)
    except (Allocation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class DonationAllocations:
    visible: list[Allocation]
    hidden_count: int


def donation_allocations(*, user: Any, donation: Donation, limit: int = 200) -> DonationAllocations:
    """The allocations of a donation whose recipient the user sees; only a count of the others."""
    donation = donation_get(user=user, pk=donation.pk)
    every = donation.allocations.all()
    visible = every.filter(_recipient_q(user))
    rows = list(visible.select_related("person", "household", "commune", "cancelled_by").prefetch_related(
        "fulfilled_needs__need_type").order_by("-allocated_on", "-id")[:limit])
    return DonationAllocations(visible=rows, hidden_count=every.count() - visible.count())


# A person's support, files, pickers ------------------------------------------------------------

@dataclass
class PersonSupport:
    person: Person
    household: Household | None
    grants: list[Grant]
    allocations: list[Allocation]
    needs: list[Need]
    total_amount: int


def person_support(*, user: Any, pk: Any) -> PersonSupport:
    """Everything given to a person (and to their household): grants, allocations, needs.

    Opening it is written to the access log.
    """
    require_view(user)
    person = person_get(user=user, pk=pk)
    access_record(actor=user, obj=person, purpose="support_history")
    household = household_queryset(user=user).filter(members__person=person).first()
    who = Q(person=person) | (Q(household=household) if household else Q(pk__in=[]))
    grants = list(Grant.objects.filter(who).select_related(
        "kind", "item", "funding", "household", "person", "case", "allocation__donation__donor").order_by(
        "-given_on", "-id"))
    allocations = list(Allocation.objects.filter(who, grant__isnull=True).select_related(
        "donation__donor", "donation__item", "household", "person").order_by("-allocated_on", "-id"))
    needs = list(Need.objects.filter(who).select_related("need_type", "survey", "household", "person").order_by(
        "-identified_on", "-id"))
    total = sum(g.amount or 0 for g in grants) + sum(a.amount or 0 for a in allocations if a.is_active)
    return PersonSupport(person=person, household=household, grants=grants, allocations=allocations, needs=needs,
                         total_amount=total)


def household_search(*, user: Any, q: str, limit: int = 20) -> list[Household]:
    """Households for the picker: by code or a member's name, each with its head."""
    from ctxh.people.selectors import household_list

    q = (q or "").strip()
    if not q:
        return []
    rows = list(household_list(user=user, q=q)[:limit])
    heads = {m.household_id: m.person for m in HouseholdMember.objects.filter(
        household__in=rows, relationship="head").select_related("person")}
    for h in rows:
        setattr(h, "head", heads.get(h.pk))  # noqa: B010  (shown by the picker)
    return rows


def proof_open(*, user: Any, obj: Grant | Allocation) -> tuple[str, str, IO[bytes]]:
    """The scanned receipt of a record the caller already got through a selector; logged."""
    if not obj.proof_stored:
        raise Http404
    path: Path = files.proof_path(obj)
    if not path.is_file():
        raise Http404
    access_record(actor=user, obj=obj, purpose="support_proof", person_id=obj.person_id)
    return obj.proof_name, obj.proof_content_type, path.open("rb")
