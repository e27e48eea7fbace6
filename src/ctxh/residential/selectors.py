"""Reads of residential care, always scoped to the facilities the user works for.

Who sees which facility (``facility_scope_q``):

1. **Staff of the facility** — any role with ``residence.view`` held at the
   organisation the provider is linked to (``Provider.organization``): the
   residents of that organisation's facilities, and no other.
2. **Centre roles with province coverage** — administrators, directors and
   case workers whose membership covers the whole province: every facility
   of that province.

Nobody else: a user without ``residence.view`` gets 403, one with it but
outside the facility gets 404 (the record's existence is not revealed).
Writing (``residence.manage``) follows the same two rules with the roles that
hold that capability (directors and facility staff). Taking a person in over
a facility's capacity is a director's decision (``may_override_capacity``).

Reading one resident's record is written to the access log
(``resident_open_for_read``); lists are not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from ctxh.accounts import access
from ctxh.accounts.models import Role
from ctxh.audit.services import access_record
from ctxh.core.rules import rule_value
from ctxh.core.text import fold
from ctxh.network.models import Provider
from ctxh.residential.models import Admission, AdmissionKind, FollowUp, Reintegration
from ctxh.residential.reference import RULE_FOLLOW_UP_INTERVAL

# Staff of a facility see only its own residents, even with a province-wide membership.
FACILITY_ROLES = {Role.FACILITY_STAFF}


def _scope_q(user: Any, capability: str, *, roles: set[str] | None = None, prefix: str = "") -> Q | None:
    """A ``Q`` over ``Provider`` (``prefix`` for a relation) for the facilities the user may reach, or None."""
    if not access.can(user, capability):
        return None
    allowed = access.CAPABILITIES[capability] if roles is None else access.CAPABILITIES[capability] & roles
    orgs: set[int] = set()
    provinces: set[int] = set()
    for m in access.memberships(user):
        if m.role not in allowed:
            continue
        orgs.add(m.organization_id)
        if m.whole_province and m.role not in FACILITY_ROLES:
            provinces.add(m.organization.province_id)
    if not orgs and not provinces:
        return None
    q = Q(**{f"{prefix}pk__in": []})
    if orgs:
        q |= Q(**{f"{prefix}organization_id__in": sorted(orgs)})
    if provinces:
        q |= Q(**{f"{prefix}province_id__in": sorted(provinces)})
    return q


def facility_scope_q(user: Any, capability: str = "residence.view", prefix: str = "") -> Q:
    q = _scope_q(user, capability, prefix=prefix)
    return q if q is not None else Q(**{f"{prefix}pk__in": []})


def require_view(user: Any) -> None:
    if not access.can(user, "residence.view"):
        raise PermissionDenied(_("Bạn không có quyền xem thông tin nuôi dưỡng tại cơ sở."))


# Facilities --------------------------------------------------------------------------------


def facility_queryset(*, user: Any) -> QuerySet[Provider]:
    """Residential facilities the user may see (none without ``residence.view``)."""
    return Provider.objects.filter(is_residential=True).filter(facility_scope_q(user))


def facility_get(*, user: Any, pk: Any) -> Provider:
    """One facility the user may see: 403 without the capability, 404 outside their facilities."""
    require_view(user)
    try:
        return facility_queryset(user=user).select_related("province", "commune", "organization").get(pk=pk)
    except (Provider.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage(user: Any, facility: Provider) -> bool:
    """Admit, discharge and follow up at this facility (directors of the place, its own staff)."""
    q = _scope_q(user, "residence.manage")
    return q is not None and Provider.objects.filter(q, pk=facility.pk).exists()


def may_override_capacity(user: Any, facility: Provider) -> bool:
    """A director covering the facility may take a person in over its capacity, giving a reason."""
    q = _scope_q(user, "residence.manage", roles={Role.DIRECTOR})
    return q is not None and Provider.objects.filter(q, pk=facility.pk).exists()


def manageable_facilities(*, user: Any) -> QuerySet[Provider]:
    q = _scope_q(user, "residence.manage")
    if q is None:
        return Provider.objects.none()
    return Provider.objects.filter(q, is_residential=True, is_active=True).order_by("name")


def near_full_percent() -> int:
    """From this share of places taken a facility is shown as nearly full (a display setting, not law)."""
    return int(getattr(settings, "CTXH_RESIDENTIAL_NEAR_FULL_PERCENT", 90))


@dataclass
class Occupancy:
    facility: Provider
    capacity: int | None
    occupied: int
    state: int
    voluntary_paid: int
    temporary: int
    monthly_fees: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.occupied

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.occupied > self.capacity

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.occupied >= self.capacity

    @property
    def near_full(self) -> bool:
        if self.capacity is None or self.full:
            return False
        return self.occupied * 100 >= self.capacity * near_full_percent()

    @property
    def percent(self) -> int | None:
        if not self.capacity:
            return None
        return round(self.occupied * 100 / self.capacity)


_OPEN = Q(admissions__discharged_on__isnull=True)


def _with_counts(qs: QuerySet[Provider]) -> QuerySet[Provider]:
    # One join to the admissions; every figure is a filtered aggregate over it.
    return qs.annotate(
        n_occupied=Count("admissions", filter=_OPEN),
        n_state=Count("admissions", filter=_OPEN & Q(admissions__kind=AdmissionKind.STATE)),
        n_voluntary=Count("admissions", filter=_OPEN & Q(admissions__kind=AdmissionKind.VOLUNTARY_PAID)),
        n_temporary=Count("admissions", filter=_OPEN & Q(admissions__kind=AdmissionKind.TEMPORARY)),
        fees=Sum("admissions__monthly_fee", filter=_OPEN & Q(admissions__kind=AdmissionKind.VOLUNTARY_PAID)),
    )


def _occupancy(p: Provider) -> Occupancy:
    return Occupancy(facility=p, capacity=p.capacity, occupied=p.n_occupied,  # type: ignore[attr-defined]
                     state=p.n_state, voluntary_paid=p.n_voluntary,  # type: ignore[attr-defined]
                     temporary=p.n_temporary, monthly_fees=p.fees or 0)  # type: ignore[attr-defined]


def occupancy_list(*, user: Any, q: str = "") -> list[Occupancy]:
    """Each facility the user sees with its places: capacity, taken by kind, free, voluntary fees (one query)."""
    require_view(user)
    qs = facility_queryset(user=user).select_related("commune")
    for word in fold(q).split()[:6]:
        qs = qs.filter(name_folded__contains=word)
    # A facility closed down still shows while people are recorded as living there.
    qs = _with_counts(qs).filter(Q(is_active=True) | Q(n_occupied__gt=0)).order_by("name", "pk")
    return [_occupancy(p) for p in qs]


def occupancy_of(facility: Provider) -> Occupancy:
    """The places of one facility the caller already may see."""
    p = _with_counts(Provider.objects.filter(pk=facility.pk)).get()
    return _occupancy(p)


def open_count(facility: Provider) -> int:
    return Admission.objects.filter(facility=facility, discharged_on__isnull=True).count()


# Residents ------------------------------------------------------------------------------------


def admission_queryset(*, user: Any, capability: str = "residence.view") -> QuerySet[Admission]:
    return Admission.objects.filter(facility_scope_q(user, capability, prefix="facility__"))


RESIDENT_SORTS = {
    "name": ("person__given_folded", "person__name_folded", "id"),
    "-name": ("-person__given_folded", "-person__name_folded", "-id"),
    "admitted": ("admitted_on", "id"),
    "-admitted": ("-admitted_on", "-id"),
    "discharged": ("discharged_on", "id"),
    "-discharged": ("-discharged_on", "-id"),
    "kind": ("kind", "person__given_folded", "id"),
}


@dataclass
class ResidentFilters:
    facility: int | None = None
    current: bool | None = True
    q: str = ""
    kind: str = ""
    sort: str = ""


def resident_list(*, user: Any, filters: ResidentFilters | None = None) -> QuerySet[Admission]:
    """Stays the user may see: current residents (``current``), past ones, or both (None)."""
    require_view(user)
    f = filters or ResidentFilters()
    qs = admission_queryset(user=user)
    if f.facility:
        qs = qs.filter(facility_id=f.facility)
    if f.current is True:
        qs = qs.filter(discharged_on__isnull=True)
    elif f.current is False:
        qs = qs.filter(discharged_on__isnull=False)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    query = (f.q or "").strip()
    if query:
        for raw in query.split()[:6]:
            # A word matches the start of any word of the folded name, or part of the decision
            # number as typed or in capitals ("77/qđ" → 77/QĐ: SQLite folds case for ASCII only).
            word = fold(raw)
            qs = qs.filter(Q(person__name_folded__startswith=word) | Q(person__name_folded__contains=" " + word)
                           | Q(decision_number__contains=raw) | Q(decision_number__contains=raw.upper()))
    default = "name" if f.current is not False else "-discharged"
    sort = RESIDENT_SORTS.get(f.sort or default, RESIDENT_SORTS[default])
    return qs.select_related("person", "person__commune", "facility").order_by(*sort)


def admission_get(*, user: Any, pk: Any, capability: str = "residence.view") -> Admission:
    """One stay the user may see (403 without the capability, 404 outside their facilities); not logged."""
    require_view(user)
    try:
        return admission_queryset(user=user).select_related(
            "person", "person__commune", "person__province", "facility", "facility__province", "case",
            "transferred_to", "created_by").get(pk=pk)
    except (Admission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def resident_open_for_read(*, user: Any, pk: Any, purpose: str = "view") -> Admission:
    """Open a resident's record for reading and write it to the access log (every time)."""
    admission = admission_get(user=user, pk=pk)
    access_record(actor=user, obj=admission, purpose=purpose, person_id=admission.person_id)
    return admission


def visible_case_number(*, user: Any, admission: Admission) -> str | None:
    """The linked case's number when the user may see that case (a sealed case stays hidden)."""
    if admission.case_id is None:
        return None
    from ctxh.cases.selectors import case_queryset

    case = case_queryset(user=user).filter(pk=admission.case_id).values_list("number", flat=True).first()
    return case


def person_stays(*, user: Any, person_id: int) -> QuerySet[Admission]:
    """A person's stays at the facilities the user sees, newest first (for a person's page)."""
    if not access.can(user, "residence.view"):
        return Admission.objects.none()
    return admission_queryset(user=user).filter(person_id=person_id).select_related("facility").order_by(
        "-admitted_on", "-id")


def reintegration_of(admission: Admission) -> Reintegration | None:
    try:
        return Reintegration.objects.select_related("commune").get(admission=admission)
    except Reintegration.DoesNotExist:
        return None


def follow_ups_of(reintegration: Reintegration) -> list[FollowUp]:
    return list(reintegration.follow_ups.select_related("visited_by").order_by("-visited_on", "-id"))


# Follow-ups after a return home -----------------------------------------------------------------


def due_soon_days() -> int:
    """A visit due within this many days shows as coming up (a display setting, not law)."""
    return int(getattr(settings, "CTXH_RESIDENTIAL_DUE_SOON_DAYS", 7))


@dataclass
class DueFollowUp:
    reintegration: Reintegration
    last_visit: dt.date | None
    next_due: dt.date
    overdue: bool


def follow_ups_due(*, user: Any, on: dt.date, include_soon: bool = True) -> list[DueFollowUp]:
    """People back home whose next visit is due (or overdue) on ``on``, most overdue first.

    A person is followed up from the discharge to ``follow_up_until``; a visit
    is expected every ``residential.follow_up_interval_days`` days after the
    last one (or after the discharge). The cut-off is computed here, so the
    database compares plain dates the same way on SQLite and PostgreSQL.
    """
    require_view(user)
    interval = int(rule_value(RULE_FOLLOW_UP_INTERVAL, on))
    horizon = on + dt.timedelta(days=due_soon_days() if include_soon else 0)
    cutoff = horizon - dt.timedelta(days=interval)
    qs = (
        Reintegration.objects.filter(facility_scope_q(user, prefix="admission__facility__"))
        .filter(follow_up_until__gte=on)
        .annotate(last_visit=Max("follow_ups__visited_on"))
        .annotate(base=Coalesce("last_visit", "admission__discharged_on"))
        .filter(base__lte=cutoff)
        .select_related("admission__person", "admission__facility", "commune")
        .order_by("base", "id")
    )
    rows = []
    for r in qs:
        base = r.base  # type: ignore[attr-defined]
        next_due = base + dt.timedelta(days=interval)
        rows.append(DueFollowUp(reintegration=r, last_visit=r.last_visit,  # type: ignore[attr-defined]
                                next_due=next_due, overdue=next_due < on))
    return rows


def next_follow_up(reintegration: Reintegration, *, on: dt.date) -> dt.date | None:
    """When the next visit is expected, or None once the follow-up period is over."""
    if reintegration.follow_up_until < on:
        return None
    interval = int(rule_value(RULE_FOLLOW_UP_INTERVAL, on))
    last = reintegration.follow_ups.aggregate(last=Max("visited_on"))["last"]
    base = last or reintegration.admission.discharged_on
    return base + dt.timedelta(days=interval) if base else None


# For other apps -----------------------------------------------------------------------------------


def is_resident(*, person_id: int, on: dt.date, kinds: tuple[str, ...] = (AdmissionKind.STATE,)) -> bool:
    """Whether the person lived at a facility on ``on`` under one of ``kinds`` (both end days count).

    Not scoped to a user: services of other apps ask it to apply the law
    (a state-funded resident gets no community allowance, Decree 20/2021 art. 25).
    """
    return Admission.objects.filter(person_id=person_id, kind__in=list(kinds), admitted_on__lte=on).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=on)).exists()
