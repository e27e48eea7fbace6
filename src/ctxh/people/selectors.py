"""Reads of the registry, always scoped to what the user's memberships cover."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ctxh.accounts import access
from ctxh.audit.models import AccessEntry, AuditEntry
from ctxh.audit.services import access_record
from ctxh.core.text import digits, fold
from ctxh.people.duplicates import Candidate, find_duplicates
from ctxh.people.models import Household, HouseholdMember, Person


def _scope_q(user: Any) -> Q | None:
    cov = access.coverage(user)
    if cov.empty or not access.can(user, "person.view"):
        return None
    q = Q(pk__in=[])
    if cov.provinces:
        q |= Q(province_id__in=sorted(cov.provinces))
    if cov.communes:
        q |= Q(commune_id__in=sorted(cov.communes))
    return q


def person_queryset(*, user: Any) -> QuerySet[Person]:
    """Every person the user may see; none for a statistician or an outsider.

    The person of a sealed case (violence, sexual abuse, trafficking) is left
    out for everyone outside that case, in lists and search alike.
    """
    from ctxh.cases.selectors import sealed_person_ids_hidden_from

    q = _scope_q(user)
    if q is None:
        return Person.objects.none()
    return Person.objects.filter(q).exclude(pk__in=sealed_person_ids_hidden_from(user))


def search_filter(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Words of the name in any order, with or without marks; or an ID or phone number."""
    query = (query or "").strip()
    if not query:
        return qs
    number = digits(query)
    if number and len(number) >= 6 and len(number) >= len(query.replace(" ", "")) - 1:
        return qs.filter(
            Q(cccd__startswith=number) | Q(old_id_number__startswith=number)
            | Q(phone__startswith=number) | Q(phone_alt__startswith=number)
        )
    postgres = connections[qs.db].vendor == "postgresql"
    for word in fold(query).split()[:6]:
        # A word matches the start of any word of the folded name.
        if postgres:
            # One condition per word that the trigram index serves in a single
            # scan; two LIKEs joined by OR cost a scan each (bench/search.py).
            qs = qs.filter(name_folded__regex=r"(^| )" + re.escape(word))
        else:
            qs = qs.filter(Q(name_folded__startswith=word) | Q(name_folded__contains=" " + word))
    return qs


@dataclass
class PersonFilters:
    q: str = ""
    commune: int | None = None
    sex: str = ""
    status: str = ""
    group: str = ""
    born_from: int | None = None
    born_to: int | None = None
    sort: str = "name"


SORTS = {
    "name": ("given_folded", "name_folded", "id"),
    "-name": ("-given_folded", "-name_folded", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
}


def person_list(*, user: Any, filters: PersonFilters | None = None) -> QuerySet[Person]:
    f = filters or PersonFilters()
    qs = search_filter(person_queryset(user=user), f.q)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.group:
        today = timezone.localdate()
        qs = qs.filter(
            groups__group__code=f.group, groups__start_date__lte=today
        ).filter(Q(groups__end_date__isnull=True) | Q(groups__end_date__gte=today)).distinct()
    if f.born_from:
        qs = qs.filter(birth_date__gte=dt.date(f.born_from, 1, 1))
    if f.born_to:
        qs = qs.filter(birth_date__lte=dt.date(f.born_to, 12, 31))
    return qs.select_related("commune").order_by(*SORTS.get(f.sort, SORTS["name"]))


# Search-as-you-type sorts at most this many matches.
SEARCH_CANDIDATES = 200


@dataclass
class SearchResult:
    people: list[Person]
    truncated: bool  # more than SEARCH_CANDIDATES matched: the user should type more


def person_search(*, user: Any, q: str, limit: int = 20) -> SearchResult:
    """People for search-as-you-type: ``limit`` by given name among the first matches.

    Sorting every match costs either a sort of all of them (380,000 for
    "nguyen" at 1,000,000 people) or a walk down the given-name index that reads
    the whole table when the word is a given name late in the alphabet (1.5–2.5 s
    on PostgreSQL). Taking the first SEARCH_CANDIDATES matches in any order
    bounds both; with fewer matches the result is exactly the sorted one, with
    more the page asks the user to type more.
    """
    matches = list(
        search_filter(person_queryset(user=user), q).order_by().values_list("pk", flat=True)[:SEARCH_CANDIDATES + 1]
    )
    people = list(
        Person.objects.filter(pk__in=matches[:SEARCH_CANDIDATES]).select_related("commune")
        .order_by(*SORTS["name"])[:limit]
    )
    return SearchResult(people=people, truncated=len(matches) > SEARCH_CANDIDATES)


# A search through the API counts and sorts at most this many matches.
API_SEARCH_CAP = 1000


@dataclass
class PersonPage:
    items: list[Person]
    count: int
    count_capped: bool  # more matched than API_SEARCH_CAP: refine the search


def person_page(*, user: Any, filters: PersonFilters, offset: int, limit: int) -> PersonPage:
    """One page of people for the API, with the total.

    Without a search this is the sorted list and its exact count. With one,
    counting and sorting every match of a common word ("nguyen": 380,000 at a
    million people) costs seconds, so the first API_SEARCH_CAP matches are
    taken in any order, then counted and sorted; ``count_capped`` says so.
    """
    qs = person_list(user=user, filters=filters)
    if not filters.q.strip():
        return PersonPage(items=list(qs[offset:offset + limit]), count=qs.count(), count_capped=False)
    ids = list(qs.order_by().values_list("pk", flat=True)[:API_SEARCH_CAP + 1])
    capped = len(ids) > API_SEARCH_CAP
    ids = ids[:API_SEARCH_CAP]
    page = (
        Person.objects.filter(pk__in=ids).select_related("commune")
        .order_by(*SORTS.get(filters.sort, SORTS["name"]))[offset:offset + limit]
    )
    return PersonPage(items=list(page), count=len(ids), count_capped=capped)


def person_get(*, user: Any, pk: int) -> Person:
    """One person the user may see, or 404 (never say whether it exists elsewhere)."""
    try:
        return person_queryset(user=user).select_related("commune", "province", "ethnicity").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def person_open(*, user: Any, pk: int, purpose: str = "view") -> Person:
    """Open a person's record for reading, and write it to the access log."""
    person = person_get(user=user, pk=pk)
    access_record(actor=user, obj=person, purpose=purpose)
    return person


def person_history(*, user: Any, person: Person, limit: int = 50) -> dict[str, list[Any]]:
    """Who changed and who opened the record (the person must be visible)."""
    person_get(user=user, pk=person.pk)
    return {
        "changes": list(
            AuditEntry.objects.filter(person_id=person.pk).select_related("actor")[:limit]
        ),
        "reads": list(
            AccessEntry.objects.filter(person_id=person.pk).select_related("actor")[:limit]
        ),
    }


@dataclass
class DuplicateReport:
    visible: list[Candidate]
    hidden_count: int

    @property
    def any(self) -> bool:
        return bool(self.visible) or self.hidden_count > 0


def duplicate_report(
    *, user: Any, full_name: str, birth_year: int | None, province_id: int | None,
    cccd: str = "", exclude_id: int | None = None,
) -> DuplicateReport:
    """Candidates the user may open, and only a count of those outside their area."""
    found = find_duplicates(
        full_name=full_name, birth_year=birth_year, province_id=province_id, cccd=cccd,
        exclude_id=exclude_id,
    )
    cov = access.coverage(user)
    visible = [c for c in found if cov.covers(province_id=c.person.province_id, commune_id=c.person.commune_id)]
    return DuplicateReport(visible=visible, hidden_count=len(found) - len(visible))


def household_queryset(*, user: Any) -> QuerySet[Household]:
    q = _scope_q(user)
    if q is None:
        return Household.objects.none()
    return Household.objects.filter(q)


def household_list(*, user: Any, q: str = "", commune: int | None = None) -> QuerySet[Household]:
    qs = household_queryset(user=user).select_related("commune")
    if commune:
        qs = qs.filter(commune_id=commune)
    if q:
        # Only members the user may see can lead to a household by name.
        heads = search_filter(person_queryset(user=user), q).values("household_member__household_id")
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(pk__in=heads))
    return qs.order_by("commune__name", "code")


def household_get(*, user: Any, pk: int) -> Household:
    try:
        return household_queryset(user=user).select_related("commune", "province").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def household_member_get(*, user: Any, pk: int) -> HouseholdMember:
    """A membership row whose household the user may see, or 404."""
    member = HouseholdMember.objects.filter(pk=pk).first()
    if member is None:
        raise Http404
    household_get(user=user, pk=member.household_id)
    return member


def household_members(*, user: Any, household: Household) -> list[Any]:
    """Members, head first; a member outside the user's area shows without details."""
    visible = set(person_queryset(user=user).filter(household_member__household=household).values_list("pk", flat=True))
    members = list(household.members.select_related("person").order_by("relationship", "person__given_folded"))
    members.sort(key=lambda m: (m.relationship != "head", m.person.given_folded))
    for m in members:
        m.visible = m.person_id in visible
    return members
