"""Reads of case files, always scoped to what the user may see.

Who sees a case (``case_visible_q``) — one rule, used by every list, page and
API endpoint:

1. Its **team** — the active ``CaseMember`` rows: the worker in charge, the
   co-workers and supervisors the director added, and the person who took the
   report (the counsellor or collaborator who opened it) — always, sealed or
   not, as long as the user still holds a case role (``case.work``,
   ``case.open`` or ``case.approve``).
2. **Directors** (role ``director``) of the place: every case of the province
   their membership covers (or of the communes it covers), sealed included.
3. **Commune collaborators and facility staff**: the cases of the communes
   they cover that are **not sealed** — they are the network's hands in the
   commune.
4. Anyone who **broke the glass** on that case (``case_break_glass``) until
   the grant expires (``CTXH_BREAK_GLASS_HOURS``, 8 hours by default).

Nobody else: a case worker of the Centre who is not on the team (an
"unassigned worker") does not see the case, sealed or not — the director puts
them on the team, or they break the glass with a reason the director sees.
Counsellors see the cases they opened; statisticians, administrators without
a case role and outsiders see none. A case outside the rule answers 404, never
403, so its existence is not revealed.

Sealed cases (gender-based violence, sexual abuse, trafficking) therefore
show only to their team, the directors and a break-the-glass grant, and
``sealed_person_ids_hidden_from`` lets person search hide their people from
everyone else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from ctxh.accounts import access
from ctxh.accounts.models import Notification, Role
from ctxh.audit.services import access_record
from ctxh.cases.models import (
    Attachment,
    BreakGlass,
    Case,
    CaseDeadline,
    CaseEvent,
    CaseMember,
    CaseStep,
    CaseType,
    Closure,
    Note,
    NoteVisibility,
    Plan,
)
from ctxh.core.text import fold

DIRECTOR_ROLES: set[str] = {Role.DIRECTOR}
FIELD_ROLES: set[str] = {Role.COLLABORATOR, Role.FACILITY_STAFF}
CASE_CAPABILITIES = ("case.work", "case.open", "case.approve")


def due_soon_window() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "CTXH_CASE_DUE_SOON_HOURS", 24))


@dataclass(frozen=True)
class _Places:
    provinces: frozenset[int]
    communes: frozenset[int]

    def covers(self, case: Case) -> bool:
        return case.province_id in self.provinces or (case.commune_id is not None and case.commune_id in self.communes)


def _places(user: Any, roles: set[str]) -> _Places:
    provinces: set[int] = set()
    communes: set[int] = set()
    for m in access.memberships(user):
        if m.role not in roles:
            continue
        if m.whole_province:
            provinces.add(m.organization.province_id)
        else:
            communes.update(c.pk for c in m.communes.all())
    return _Places(frozenset(provinces), frozenset(communes))


def _has_case_role(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and any(access.can(user, c) for c in CASE_CAPABILITIES)


def _place_q(p: str, places: _Places) -> Q:
    q = Q(**{f"{p}pk__in": []})
    if places.provinces:
        q |= Q(**{f"{p}province_id__in": sorted(places.provinces)})
    if places.communes:
        q |= Q(**{f"{p}commune_id__in": sorted(places.communes)})
    return q


def _team_case_ids(user: Any) -> QuerySet[CaseMember, Any]:
    return CaseMember.objects.filter(user=user, ended_at__isnull=True).values("case_id")


def _visible_q(user: Any, prefix: str = "") -> Q:
    p = prefix
    if not _has_case_role(user):
        return Q(**{f"{p}pk__in": []})
    # Correlated EXISTS rather than ``pk IN (…)``: with the IN form joined by OR,
    # PostgreSQL scans every case for a worker's caseload (bench/calls.py).
    q = Q(Exists(CaseMember.objects.filter(case_id=OuterRef(f"{p}pk"), user=user, ended_at__isnull=True)))
    directors = _places(user, DIRECTOR_ROLES)
    if directors.provinces or directors.communes:
        q |= _place_q(p, directors)
    field = _places(user, FIELD_ROLES)
    if field.provinces or field.communes:
        q |= Q(**{f"{p}sealed": False}) & _place_q(p, field)
    if access.can(user, "case.work"):
        q |= Q(Exists(BreakGlass.objects.filter(
            case_id=OuterRef(f"{p}pk"), user=user, expires_at__gt=timezone.now())))
    return q


def case_visible_q(user: Any) -> Q:
    """A ``Q`` over ``Case`` for the cases ``user`` may see (see the module docstring)."""
    return _visible_q(user)


def case_queryset(*, user: Any) -> QuerySet[Case]:
    return Case.objects.filter(case_visible_q(user))


def case_get(*, user: Any, pk: Any) -> Case:
    """One case the user may see, or 404 (never say whether it exists elsewhere)."""
    try:
        return case_queryset(user=user).select_related(
            "case_type", "person", "province", "commune", "assigned_to", "opened_by").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def case_access_reason(user: Any, case: Case) -> str | None:
    """Why the user sees the case: ``team``, ``director``, ``area``, ``break_glass`` or None."""
    if not _has_case_role(user):
        return None
    if CaseMember.objects.filter(case=case, user=user, ended_at__isnull=True).exists():
        return "team"
    if _places(user, DIRECTOR_ROLES).covers(case):
        return "director"
    if not case.sealed and _places(user, FIELD_ROLES).covers(case):
        return "area"
    if access.can(user, "case.work") and BreakGlass.objects.filter(
            case=case, user=user, expires_at__gt=timezone.now()).exists():
        return "break_glass"
    return None


def sees_team_only(user: Any, case: Case) -> bool:
    """Team notes and break-the-glass entries: the team and the directors."""
    return case_access_reason(user, case) in ("team", "director")


def active_break_glass(*, user: Any, case: Case) -> BreakGlass | None:
    return BreakGlass.objects.filter(case=case, user=user, expires_at__gt=timezone.now()).order_by(
        "-expires_at").first()


def case_open_for_read(*, user: Any, pk: Any, purpose: str = "view") -> Case:
    """Open a case for reading and write it to the access log (every time)."""
    case = case_get(user=user, pk=pk)
    glass = None
    if case_access_reason(user, case) == "break_glass":
        glass = active_break_glass(user=user, case=case)
    access_record(actor=user, obj=case, purpose=purpose, person_id=case.person_id,
                  break_glass=glass is not None, reason=glass.reason if glass else "")
    return case


def _open_deadlines() -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(case=OuterRef("pk"), done_at__isnull=True)


def _annotated(qs: QuerySet[Case]) -> QuerySet[Case]:
    now = timezone.now()
    return qs.select_related("case_type", "person", "commune", "assigned_to").annotate(
        step_name=Subquery(CaseStep.objects.filter(case_type=OuterRef("case_type"), code=OuterRef("status"))
                           .values("name")[:1]),
        next_due_at=Subquery(_open_deadlines().order_by("due_at").values("due_at")[:1]),
        is_overdue=Exists(_open_deadlines().filter(due_at__lt=now)),
    )


def case_list(
    *, user: Any, status: str | None = None, case_type: Any = None, assigned_to: Any = None,
    overdue: bool | None = None, q: str | None = None, sort: str = "recent",
) -> QuerySet[Case]:
    """Cases the user may see, newest report first (``sort="due"``: the nearest deadline first).

    ``status``: a step code, or ``open``, ``closed``, ``awaiting_approval``.
    ``case_type``: a ``CaseType`` or its code. ``assigned_to``: a user or pk.
    ``q``: part of the case number or words of the person's name (any order,
    with or without diacritics). Each row carries ``step_name``,
    ``next_due_at`` and ``is_overdue``. Sorting by deadline computes it for
    every row, so it is for short lists (a worker's cases); a director's
    province-wide list sorts by report time on an index.
    """
    qs = case_queryset(user=user)
    if status == "open":
        qs = qs.filter(closed_at__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_at__isnull=False)
    elif status == "awaiting_approval":
        qs = awaiting_approval_filter(qs)
    elif status:
        qs = qs.filter(status=status)
    if isinstance(case_type, CaseType):
        qs = qs.filter(case_type=case_type)
    elif case_type:
        qs = qs.filter(case_type__code=case_type)
    if assigned_to is not None:
        qs = qs.filter(assigned_to_id=getattr(assigned_to, "pk", assigned_to))
    if overdue is not None:
        flag = Exists(CaseDeadline.objects.filter(case=OuterRef("pk"), done_at__isnull=True,
                                                  due_at__lt=timezone.now()))
        qs = qs.filter(flag) if overdue else qs.exclude(flag)
    text = (q or "").strip()
    if text:
        words = fold(text).split()[:6]
        name_q = Q()
        for word in words:
            name_q &= Q(person__name_folded__startswith=word) | Q(person__name_folded__contains=" " + word)
        qs = qs.filter(Q(number__icontains=text) | name_q)
    qs = _annotated(qs)
    if sort == "due":
        return qs.order_by(F("next_due_at").asc(nulls_last=True), "-reported_at", "-id")
    return qs.order_by("-reported_at", "-id")


def my_cases(user: Any) -> QuerySet[Case]:
    """Open cases the user is on the team of, most urgent first."""
    return case_list(user=user, status="open", sort="due").filter(pk__in=_team_case_ids(user))


def awaiting_approval_filter(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(
        Exists(Plan.objects.filter(case=OuterRef("pk"), status=Plan.Status.SUBMITTED))
        | Exists(Closure.objects.filter(case=OuterRef("pk"), status=Closure.Status.REQUESTED))
    )


def awaiting_approval(*, user: Any) -> QuerySet[Case]:
    """Plans and closures waiting for this director's decision."""
    if not access.can(user, "case.approve"):
        return Case.objects.none()
    return case_list(user=user, status="awaiting_approval")


# Deadlines -------------------------------------------------------------------------

def deadline_list(*, user: Any, state: str = "open", mine: bool = False) -> QuerySet[CaseDeadline]:
    """Running deadlines of visible cases: ``overdue``, ``due_soon`` (within 24 h) or ``open``.

    ``mine``: only cases the user is on the team of (the worker's page); the
    director's page passes ``mine=False`` and sees every case they may see.
    """
    now = timezone.now()
    qs = CaseDeadline.objects.filter(_visible_q(user, "case__"), done_at__isnull=True)
    if mine:
        qs = qs.filter(case_id__in=_team_case_ids(user))
    if state == "overdue":
        qs = qs.filter(due_at__lt=now)
    elif state == "due_soon":
        qs = qs.filter(due_at__gte=now, due_at__lte=now + due_soon_window())
    return qs.select_related("case", "case__person", "case__assigned_to", "step").order_by("due_at", "id")


def overdue_deadlines(*, user: Any, mine: bool = False) -> QuerySet[CaseDeadline]:
    return deadline_list(user=user, state="overdue", mine=mine)


def due_soon_deadlines(*, user: Any, mine: bool = False) -> QuerySet[CaseDeadline]:
    return deadline_list(user=user, state="due_soon", mine=mine)


def case_deadlines(*, user: Any, case: Case) -> list[CaseDeadline]:
    case = case_get(user=user, pk=case.pk)
    return list(case.deadlines.select_related("step").order_by("due_at", "id"))


@dataclass
class WorkloadRow:
    user_id: int | None
    name: str
    open_cases: int
    overdue_cases: int
    due_soon_cases: int


def director_workload(user: Any) -> list[WorkloadRow]:
    """Open cases per worker in charge, with how many are overdue or due soon.

    Counted in SQL (one grouped query), plus one query for the workers' names
    and the Centre's workers with no case. ``user_id`` None is the unassigned
    row. Directors only; anyone else gets an empty list.
    """
    if not access.can(user, "case.assign"):
        return []
    now = timezone.now()
    overdue = CaseDeadline.objects.filter(case=OuterRef("pk"), done_at__isnull=True, due_at__lt=now)
    soon = CaseDeadline.objects.filter(case=OuterRef("pk"), done_at__isnull=True, due_at__gte=now,
                                       due_at__lte=now + due_soon_window())
    counts: dict[int | None, dict[str, Any]] = {
        row["assigned_to"]: dict(row) for row in
        case_queryset(user=user).filter(closed_at__isnull=True).values("assigned_to").annotate(
            open_cases=Count("pk"), overdue_cases=Count("pk", filter=Q(Exists(overdue))),
            due_soon_cases=Count("pk", filter=Q(Exists(soon))),
        ).order_by()
    }
    from ctxh.accounts.models import User

    orgs = [m.organization_id for m in access.memberships(user) if m.role in DIRECTOR_ROLES]
    workers = User.objects.filter(
        Q(pk__in=[k for k in counts if k is not None])
        | Q(memberships__organization_id__in=orgs, memberships__role=Role.CASE_WORKER,
            memberships__is_active=True, is_active=True)
    ).distinct().order_by("full_name", "username")
    rows = []
    for w in workers:
        c: dict[str, Any] = counts.get(w.pk, {})
        rows.append(WorkloadRow(w.pk, str(w), c.get("open_cases", 0), c.get("overdue_cases", 0),
                                c.get("due_soon_cases", 0)))
    if None in counts:
        u = counts[None]
        rows.append(WorkloadRow(None, "", u["open_cases"], u["overdue_cases"], u["due_soon_cases"]))
    rows.sort(key=lambda r: (r.user_id is not None, -r.overdue_cases, -r.open_cases, r.name))
    return rows


# People ------------------------------------------------------------------------------

def sealed_person_ids_hidden_from(user: Any) -> QuerySet[Case, int]:
    """Ids of people with a sealed case this user may not see (and no case they may see).

    A subquery for ``Person.objects.exclude(pk__in=...)``: search results and
    lists never reveal a sealed case's person to those outside it.
    """
    visible = Case.objects.filter(case_visible_q(user))
    return (
        Case.objects.filter(sealed=True)
        .exclude(pk__in=visible.values("pk"))
        .exclude(person_id__in=visible.values("person_id"))
        .values_list("person_id", flat=True)
        .distinct()
    )


def person_cases(*, user: Any, person: Any) -> QuerySet[Case]:
    """The cases of one person that the user may see (the person page's tab)."""
    return _annotated(case_queryset(user=user).filter(person_id=getattr(person, "pk", person))).order_by(
        "-reported_at", "-id")


# A case's parts ------------------------------------------------------------------------

def case_timeline(*, user: Any, case: Case) -> list[CaseEvent]:
    """Every event of the case, newest first; team-only ones for the team and directors."""
    case = case_get(user=user, pk=case.pk)
    qs = case.events.select_related("actor", "note", "attachment")
    if not sees_team_only(user, case):
        qs = qs.filter(team_only=False)
    return list(qs.order_by("-at", "-id"))


def case_notes(*, user: Any, case: Case) -> list[Note]:
    case = case_get(user=user, pk=case.pk)
    qs = case.notes.select_related("author")
    if not sees_team_only(user, case):
        qs = qs.filter(visibility=NoteVisibility.CASE)
    return list(qs)


def case_attachments(*, user: Any, case: Case) -> list[Attachment]:
    case = case_get(user=user, pk=case.pk)
    qs = case.attachments.select_related("uploaded_by")
    if not sees_team_only(user, case):
        qs = qs.filter(visibility=NoteVisibility.CASE)
    return list(qs)


def case_team(*, user: Any, case: Case, history: bool = False) -> list[CaseMember]:
    """The active team, or with ``history`` every assignment ever made."""
    case = case_get(user=user, pk=case.pk)
    qs = case.members.select_related("user", "assigned_by", "ended_by")
    if not history:
        qs = qs.filter(ended_at__isnull=True)
    return list(qs.order_by("-assigned_at", "-id"))


def case_plans(*, user: Any, case: Case) -> list[Plan]:
    """Every version, newest first, each with its items."""
    case = case_get(user=user, pk=case.pk)
    return list(case.plans.select_related("approved_by", "created_by", "submitted_by").prefetch_related(
        "items__domain", "items__responsible").order_by("-number"))


def current_plan(case: Case) -> Plan | None:
    """The plan in force (approved), if any."""
    return case.plans.filter(status=Plan.Status.APPROVED).first()


def open_plan(case: Case) -> Plan | None:
    """The version being drafted or awaiting approval, if any."""
    return case.plans.filter(status__in=[Plan.Status.DRAFT, Plan.Status.SUBMITTED]).first()


def pending_closure(case: Case) -> Closure | None:
    return case.closures.filter(status=Closure.Status.REQUESTED).select_related("reason", "requested_by").first()


def attachment_path(attachment: Attachment) -> Path:
    return Path(settings.MEDIA_ROOT) / "cases" / attachment.stored_name


def attachment_get(*, user: Any, pk: Any) -> Attachment:
    """An attachment of a case the user may see (team-only ones for the team and directors), or 404."""
    try:
        att = Attachment.objects.select_related("case").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    case = case_get(user=user, pk=att.case_id)
    if att.visibility == NoteVisibility.TEAM and not sees_team_only(user, case):
        raise Http404
    return att


def attachment_open(*, user: Any, pk: Any) -> tuple[Attachment, IO[bytes]]:
    """The attachment and its open file, logged in the access log; the caller closes the file."""
    att = attachment_get(user=user, pk=pk)
    path = attachment_path(att)
    if not path.is_file():
        raise Http404
    access_record(actor=user, obj=att, purpose="attachment", person_id=att.case.person_id)
    return att, path.open("rb")


# Notifications ------------------------------------------------------------------------

def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("case").order_by("-created_at", "-id")


def break_glass_target(*, user: Any, pk: Any) -> Case | None:
    """A case the user cannot see but may open by breaking the glass, or None (then: 404).

    The same rule as ``services.case_break_glass``: ``case.work`` and the case
    in the user's area. Only the flags the refusal page needs are read; the
    case's contents stay closed until the reason is given.
    """
    if not access.can(user, "case.work"):
        return None
    try:
        case = Case.objects.only("pk", "sealed", "province_id", "commune_id").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        return None
    if not access.coverage(user).covers(province_id=case.province_id, commune_id=case.commune_id):
        return None
    return case
