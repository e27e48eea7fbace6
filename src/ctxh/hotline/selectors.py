"""Reads of the hotline, always scoped to what the user may see.

Calls are sensitive: only roles with ``call.view`` see them, and only in the
places their memberships cover. A call linked to a sealed case shows that it
exists, but its content (summary and people) only to the counsellor who took
it, the directors and whoever may see the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from ctxh.accounts import access
from ctxh.accounts.models import Role, User
from ctxh.audit.services import access_record
from ctxh.core.models import Term
from ctxh.hotline.models import TOPIC_VOCABULARY, URGENCY_RANK, Call, CallSubject, HotlineLine
from ctxh.people.models import Person
from ctxh.people.selectors import person_queryset, person_search

# Roles that see the content of every call in their area, sealed case or not.
CONTENT_ROLES = {Role.DIRECTOR}


def _scope_q(user: Any) -> Q | None:
    if not access.can(user, "call.view"):
        return None
    cov = access.coverage(user)
    if cov.empty:
        return None
    q = Q(pk__in=[])
    if cov.provinces:
        q |= Q(province_id__in=sorted(cov.provinces))
    if cov.communes:
        q |= Q(commune_id__in=sorted(cov.communes))
    return q


def call_queryset(*, user: Any) -> QuerySet[Call]:
    """Every call the user may know of; none without ``call.view``."""
    q = _scope_q(user)
    if q is None:
        return Call.objects.none()
    return Call.objects.filter(q)


@dataclass
class CallFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    counsellor: int | None = None
    topic: str = ""
    outcome: str = ""
    urgency: str = ""
    status: str = ""  # "open", "ended" or ""
    sort: str = "-started"


SORTS: dict[str, tuple[Any, ...]] = {
    "-started": ("-started_at", "-id"),
    "started": ("started_at", "id"),
    "-urgency": ("-urgency_rank", "-started_at", "-id"),
    "urgency": ("urgency_rank", "-started_at", "-id"),
    "counsellor": ("counsellor__username", "-started_at", "-id"),
    "-counsellor": ("-counsellor__username", "-started_at", "-id"),
}

STATUSES = ["open", "ended"]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _with_related(qs: QuerySet[Call]) -> QuerySet[Call]:
    return qs.select_related("counsellor", "line", "case", "commune", "caller").prefetch_related(
        Prefetch("topics", queryset=Term.objects.select_related("parent").order_by("position")),
        Prefetch("call_subjects", queryset=CallSubject.objects.select_related("person").order_by("position", "id")),
    )


def call_list(*, user: Any, filters: CallFilters | None = None) -> QuerySet[Call]:
    """Calls in the user's area, filtered; a parent topic also matches its sub-topics."""
    f = filters or CallFilters()
    qs = call_queryset(user=user)
    if f.date_from:
        qs = qs.filter(started_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(started_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.counsellor:
        qs = qs.filter(counsellor_id=f.counsellor)
    if f.topic:
        topic_ids = Term.objects.filter(vocabulary=TOPIC_VOCABULARY).filter(
            Q(code=f.topic) | Q(parent__code=f.topic)).values("pk")
        qs = qs.filter(pk__in=Call.topics.through.objects.filter(term_id__in=topic_ids).values("call_id"))
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.urgency:
        qs = qs.filter(urgency=f.urgency)
    if f.status == "open":
        qs = qs.filter(ended_at__isnull=True)
    elif f.status == "ended":
        qs = qs.filter(ended_at__isnull=False)
    qs = qs.annotate(urgency_rank=CaseWhen(
        *[When(urgency=k, then=Value(v)) for k, v in URGENCY_RANK.items()],
        default=Value(1), output_field=IntegerField(),
    ))
    return _with_related(qs).order_by(*SORTS.get(f.sort, SORTS["-started"]))


def call_get(*, user: Any, pk: Any) -> Call:
    """One call the user may know of, or 404 (never say whether it exists elsewhere)."""
    try:
        return _with_related(call_queryset(user=user)).select_related("province").get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def call_open(*, user: Any, pk: Any, purpose: str = "view") -> Call:
    """Open a call for reading and write one access-log row per person it is about."""
    call = call_get(user=user, pk=pk)
    log_call_access(user=user, call=call, purpose=purpose)
    return call


def log_call_access(*, user: Any, call: Call, purpose: str = "view") -> None:
    person_ids: list[int | None] = [s.person_id for s in call.call_subjects.all()] or [None]
    for person_id in person_ids:
        access_record(actor=user, obj=call, purpose=purpose, person_id=person_id)


def open_call_of(*, user: Any) -> Call | None:
    """The call this counsellor started and has not ended yet (at most one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Call.objects.filter(counsellor=user, ended_at__isnull=True).first()


def follow_up_queue(*, user: Any) -> QuerySet[Call]:
    """The user's own calls waiting for a follow-up, the most overdue first."""
    return _with_related(
        call_queryset(user=user).filter(
            counsellor=user, follow_up_at__isnull=False, follow_up_done_at__isnull=True)
    ).order_by("follow_up_at", "id")


# Content of calls linked to sealed cases -------------------------------------


def _visible_case_ids(user: Any, case_ids: set[int]) -> set[int]:
    """Which of these cases the user may see, asking the cases app when it can answer."""
    if not case_ids:
        return set()
    from ctxh.cases.models import Case
    from ctxh.cases.selectors import case_visible_q

    return set(Case.objects.filter(case_visible_q(user), pk__in=case_ids).values_list("pk", flat=True))


def hidden_content_ids(*, user: Any, calls: Iterable[Call]) -> set[int]:
    """Ids of calls whose summary and people this user must not see (one query at most)."""
    if access.roles(user) & CONTENT_ROLES:
        return set()
    sealed = {c.pk: c.case_id for c in calls
              if c.case_id and c.case is not None and c.case.sealed and c.counsellor_id != user.pk}
    if not sealed:
        return set()
    visible = _visible_case_ids(user, set(sealed.values()))
    return {call_id for call_id, case_id in sealed.items() if case_id not in visible}


def content_visible(*, user: Any, call: Call) -> bool:
    return call.pk not in hidden_content_ids(user=user, calls=[call])


# Editing rights ----------------------------------------------------------------


def can_edit(*, user: Any, call: Call) -> bool:
    """While a call is open only its counsellor writes to it; afterwards a director may too."""
    if not access.can(user, "call.log"):
        return False
    if call.counsellor_id == user.pk:
        return True
    return not call.is_open and bool(access.roles(user) & CONTENT_ROLES)


# Lists for the screens -----------------------------------------------------------


def topic_tree(*, on: dt.date | None = None) -> list[tuple[Term, list[Term]]]:
    """The topics in force, as (top level, its sub-topics) in list order."""
    terms = list(Term.objects.of(TOPIC_VOCABULARY).in_force(on).order_by("position", "code"))
    children: dict[int, list[Term]] = {}
    for t in terms:
        if t.parent_id:
            children.setdefault(t.parent_id, []).append(t)
    return [(t, children.get(t.pk, [])) for t in terms if not t.parent_id]


def topics_in_force(*, on: dt.date | None = None) -> QuerySet[Term]:
    return Term.objects.of(TOPIC_VOCABULARY).in_force(on).order_by("position", "code")


def lines_for(*, user: Any) -> QuerySet[HotlineLine]:
    """Active lines: the national ones and those of the provinces the user covers."""
    cov = access.coverage(user)
    return HotlineLine.objects.filter(is_active=True).filter(
        Q(province__isnull=True) | Q(province_id__in=sorted(cov.provinces))
    )


def counsellors_for(*, user: Any) -> QuerySet[User]:
    """People who took calls the user may see (for the list filter)."""
    return User.objects.filter(
        pk__in=call_queryset(user=user).values("counsellor_id")
    ).order_by("full_name", "username")


def person_candidates(*, user: Any, q: str, limit: int = 10) -> list[Person]:
    """People matching a search typed during a call.

    ``person_search`` already leaves out the people of sealed cases the user is outside of,
    and bounds the work for common names.
    """
    if not (q or "").strip():
        return []
    return person_search(user=user, q=q, limit=limit).people


def persons_by_id(*, user: Any, ids: Iterable[Any]) -> dict[int, Person]:
    """Visible people among ``ids`` (strings or ints), keyed by id."""
    wanted = {int(i) for i in ids if str(i).isdigit()}
    if not wanted:
        return {}
    return {p.pk: p for p in person_queryset(user=user).filter(pk__in=wanted).select_related("commune")}


def case_for_link(*, user: Any, number: str) -> Any:
    """The case a call may be linked to, by its number, or 404.

    A case the user may see; or, since a counsellor sees only the cases they
    opened, any case of their area that is not sealed: linking reveals nothing
    of it (the case page stays closed to them). A sealed case stays out of reach.
    """
    from ctxh.cases.models import Case
    from ctxh.cases.selectors import case_get

    row = Case.objects.filter(number=(number or "").strip()).first()
    if row is None:
        raise Http404
    try:
        return case_get(user=user, pk=row.pk)
    except Http404:
        if not row.sealed and access.coverage(user).covers(province_id=row.province_id, commune_id=row.commune_id):
            return row
        raise
