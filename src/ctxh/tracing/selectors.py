"""Reads of family tracing, scoped to the user.

A tracing request is seen by the Centre staff (roles with ``tracing.view``)
whose whole-province membership covers the province that received it; anyone
else gets 404 for a request and an empty list. Roles without the capability
get 403 (``PermissionDenied``). A candidate from the registry is shown only if
the reader may see that person; a candidate request of another province shows
its receipt number and province, not its people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ctxh.accounts import access
from ctxh.accounts.models import Membership, User
from ctxh.audit.services import access_record
from ctxh.core.rules import rule_value
from ctxh.core.text import digits, fold
from ctxh.people.models import Person
from ctxh.people.selectors import person_queryset
from ctxh.tracing.models import MatchStatus, PublicSubmission, TracingMatch, TracingRequest
from ctxh.tracing.reference import RULE_PUBLIC_PER_HOUR


def _provinces(user: Any) -> list[int]:
    access.require(user, "tracing.view")
    return sorted(access.coverage(user).provinces)


def request_queryset(*, user: Any) -> QuerySet[TracingRequest]:
    """Requests received in the provinces the user covers whole; 403 without ``tracing.view``."""
    return TracingRequest.objects.filter(province_id__in=_provinces(user))


def can_see_request(user: Any, req: TracingRequest) -> bool:
    return access.can(user, "tracing.view") and req.province_id in access.coverage(user).provinces


@dataclass
class RequestFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    assigned: str = ""  # "me", "none" or ""
    sort: str = "-created"


SORTS: dict[str, tuple[str, ...]] = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "name": ("given_folded", "name_folded", "id"),
    "-name": ("-given_folded", "-name_folded", "-id"),
    "-candidates": ("-pending_matches", "-created_at", "-id"),
}


def request_list(*, user: Any, filters: RequestFilters | None = None) -> QuerySet[TracingRequest]:
    f = filters or RequestFilters()
    qs = request_queryset(user=user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.assigned == "me":
        qs = qs.filter(assigned_to=user)
    elif f.assigned == "none":
        qs = qs.filter(assigned_to__isnull=True)
    q = (f.q or "").strip()
    if q:
        number = digits(q)
        cond = Q(receipt_number__iexact=q) | Q(receipt_number__endswith=q.upper())
        if number and len(number) >= 6 and len(number) >= len(q.replace(" ", "")) - 1:
            cond |= Q(seeker_phone__startswith=number)
        words = fold(q).split()[:6]
        if words:
            name_q = Q()
            for word in words:
                # A word matches the start of a word of either name (or of another name sought).
                name_q &= (Q(name_folded__startswith=word) | Q(name_folded__contains=f" {word}")
                           | Q(seeker_name_folded__startswith=word) | Q(seeker_name_folded__contains=f" {word}")
                           | Q(given_keys__contains=f" {word}"))
            cond |= name_q
        qs = qs.filter(cond)
    # Count only candidates the reader could open: other requests, and registry
    # people they may see (not those out of their area or behind a sealed case).
    visible = person_queryset(user=user).values("pk")
    qs = qs.annotate(pending_matches=Count("matches", filter=Q(matches__status=MatchStatus.PENDING) & (
        Q(matches__person__isnull=True) | Q(matches__person_id__in=visible))))
    return qs.select_related("assigned_to", "last_province").order_by(*SORTS.get(f.sort, SORTS["-created"]))


def request_get(*, user: Any, pk: Any) -> TracingRequest:
    """One request the user may see, or 404 (never say whether it exists elsewhere)."""
    try:
        return request_queryset(user=user).select_related(
            "province", "last_province", "last_commune", "person", "assigned_to", "created_by").get(pk=pk)
    except (TracingRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def request_open(*, user: Any, pk: Any, purpose: str = "view") -> TracingRequest:
    """Open a request for reading; the read is written to the access log."""
    req = request_get(user=user, pk=pk)
    access_record(actor=user, obj=req, purpose=f"tracing.{purpose}", person_id=req.person_id)
    return req


@dataclass
class MatchRow:
    """A candidate as this reader may see it."""

    match: TracingMatch
    person: Person | None = None  # set when the reader may see the registry person
    other: TracingRequest | None = None  # set when the reader may see the other request
    other_receipt: str = ""
    other_province: str = ""

    @property
    def hidden(self) -> bool:
        return self.person is None and self.other is None


def match_rows(*, user: Any, req: TracingRequest) -> list[MatchRow]:
    """The request's candidates, best first, with what this reader may see of each.

    Registry people the reader may not see are left out altogether: even their
    existence is not for this reader. Each registry person shown is logged as read.
    """
    matches = list(req.matches.select_related("other_request__province", "reviewed_by").order_by("-score", "id"))
    person_ids = [m.person_id for m in matches if m.person_id]
    visible = {p.pk: p for p in person_queryset(user=user).filter(pk__in=person_ids).select_related(
        "commune", "province")} if person_ids else {}
    provinces = set(access.coverage(user).provinces)
    rows: list[MatchRow] = []
    for m in matches:
        if m.person_id:
            person = visible.get(m.person_id)
            if person is None:
                continue
            rows.append(MatchRow(match=m, person=person))
            access_record(actor=user, obj=req, purpose="tracing.match", person_id=person.pk)
        else:
            other = m.other_request
            assert other is not None  # the constraint: a match is a person or another request
            rows.append(MatchRow(
                match=m, other=other if other.province_id in provinces else None,
                other_receipt=other.receipt_number, other_province=other.province.name))
    return rows


def match_get(*, user: Any, req: TracingRequest, pk: Any) -> TracingMatch:
    """A candidate of a request the user already may see; a hidden registry person is 404 too."""
    try:
        match = req.matches.select_related("person", "other_request").get(pk=pk)
    except (TracingMatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if match.person_id and not person_queryset(user=user).filter(pk=match.person_id).exists():
        raise Http404
    return match


def assignable_staff(*, province_id: int) -> QuerySet[User]:
    """Centre staff of the province who may work on tracing requests."""
    roles = access.CAPABILITIES["tracing.manage"]
    ids = Membership.objects.filter(
        is_active=True, organization__is_active=True, whole_province=True,
        organization__province_id=province_id, role__in=roles,
    ).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


# The public form's rate limit -----------------------------------------------------


def public_per_hour(on: dt.date | None = None) -> int:
    return int(rule_value(RULE_PUBLIC_PER_HOUR, on or timezone.localdate())["count"])


def public_submissions_last_hour(*, ip_hash: str) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return PublicSubmission.objects.filter(ip_hash=ip_hash, created_at__gte=since).count()
