"""Reads of referrals, always scoped to what the user may see.

Who sees a referral (``referral_visible_q``):

1. whoever sees its **case** (``cases.selectors.case_queryset``: the team, the
   directors of the place, the commune's collaborators for unsealed cases, a
   break-the-glass grant);
2. whoever sees the **content of its call** (``hotline.selectors``: ``call.view``
   in the call's area, and for a call tied to a sealed case only its
   counsellor, the directors and those who see the case);
3. the **provider's own staff**: members of the organisation the provider is
   linked to (its CTXH account) — they see the referrals sent to them and
   only the minimum a provider needs (the same as the one-time link shows).

Nobody else; a referral outside the rule answers 404. The pages and the API
first require ``referral.make`` or a provider membership (403 otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ctxh.accounts import access
from ctxh.accounts.models import Role
from ctxh.audit.services import access_record
from ctxh.core.models import Term
from ctxh.core.text import fold
from ctxh.people.models import Consent, Person
from ctxh.referrals.models import Referral, ReferralLink, Status

SERVICE_VOCABULARY = "provider_service"
# Roles that see the content of every call of their area (hotline.selectors.CONTENT_ROLES).
CALL_CONTENT_ROLES = {Role.DIRECTOR}
SORTS = {
    "recent": ("-sent_at", "-id"),
    "due": ("due_on", "-sent_at", "-id"),
    "provider": ("provider__name", "-sent_at", "-id"),
}
STATES = ["open", "overdue", "closed"]


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


# Who is who ---------------------------------------------------------------------------


def provider_org_ids(user: Any) -> set[int]:
    """The organisations the user works for (a provider with a CTXH account is one)."""
    return {m.organization_id for m in access.memberships(user)}


def may_use_referrals(user: Any) -> bool:
    """The pages' gate: those who refer, and the staff of providers with an account."""
    if not getattr(user, "is_authenticated", False):
        return False
    if access.can(user, "referral.make"):
        return True
    return is_provider_staff(user)


def is_provider_staff(user: Any) -> bool:
    from ctxh.network.models import Provider

    ids = provider_org_ids(user)
    return bool(ids) and Provider.objects.filter(organization_id__in=ids).exists()


# Visibility -----------------------------------------------------------------------------


def _case_q(user: Any) -> Q:
    from ctxh.cases.selectors import case_queryset

    return Q(case_id__in=case_queryset(user=user).values("pk"))


def _call_q(user: Any) -> Q:
    from ctxh.cases.selectors import case_queryset
    from ctxh.hotline.selectors import call_queryset

    calls = call_queryset(user=user)
    if not access.roles(user) & CALL_CONTENT_ROLES:
        calls = calls.filter(Q(case__isnull=True) | Q(case__sealed=False) | Q(counsellor=user)
                             | Q(case_id__in=case_queryset(user=user).values("pk")))
    return Q(call_id__in=calls.values("pk"))


def centre_visible_q(user: Any) -> Q:
    """Referrals the user sees from the Centre's side (through their case or call)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return _case_q(user) | _call_q(user)


def provider_visible_q(user: Any) -> Q:
    ids = provider_org_ids(user)
    if not ids:
        return Q(pk__in=[])
    return Q(provider__organization_id__in=sorted(ids))


def referral_visible_q(user: Any) -> Q:
    return centre_visible_q(user) | provider_visible_q(user)


def referral_queryset(*, user: Any) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False):
        return Referral.objects.none()
    return Referral.objects.filter(referral_visible_q(user))


def _related(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related("person", "provider", "provider__organization", "referred_by", "case", "call",
                             "commune", "consent")


def referral_get(*, user: Any, pk: Any) -> Referral:
    """One referral the user may see, or 404 (never say whether it exists elsewhere)."""
    try:
        return _related(referral_queryset(user=user)).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def referral_open_for_read(*, user: Any, pk: Any, purpose: str = "view") -> Referral:
    """Open a referral and write the reading to the access log (every time)."""
    referral = referral_get(user=user, pk=pk)
    access_record(actor=user, obj=referral, purpose=purpose, person_id=referral.person_id)
    return referral


def is_centre_side(user: Any, referral: Referral) -> bool:
    """May act for the Centre on this referral: refers (``referral.make``) and sees it through its case or call."""
    if not access.can(user, "referral.make"):
        return False
    return Referral.objects.filter(centre_visible_q(user), pk=referral.pk).exists()


def is_provider_side(user: Any, referral: Referral) -> bool:
    """A member of the organisation of the provider it was sent to."""
    org = referral.provider.organization_id
    return org is not None and org in provider_org_ids(user)


# Lists ------------------------------------------------------------------------------------


def _overdue_q(today: dt.date) -> Q:
    return Q(status=Status.SENT, due_on__lt=today)


def visible_case_numbers(*, user: Any, referrals: Any) -> dict[int, str]:
    """Case numbers of these referrals' cases, only for the cases the user may open (never a provider's staff
    who sees the referral alone, never a sealed case of another team)."""
    from ctxh.cases.selectors import case_queryset

    ids = {r.case_id for r in referrals if r.case_id}
    if not ids:
        return {}
    return dict(case_queryset(user=user).filter(pk__in=ids).values_list("pk", "number"))


def referral_list(
    *, user: Any, status: str = "", state: str = "", q: str = "", provider: Any = None, inbox: bool = False,
    sort: str = "recent",
) -> QuerySet[Referral]:
    """Referrals the user may see, filtered.

    ``state``: ``open`` (not yet finished), ``overdue`` (still unanswered after
    ``due_on``) or ``closed``. ``q``: words of the person's or the provider's
    name, with or without diacritics, or the number ``CG-…``. ``inbox``: only
    those sent to the user's own provider organisation.
    """
    qs = referral_queryset(user=user)
    if inbox:
        qs = qs.filter(provider_visible_q(user))
    if status:
        qs = qs.filter(status=status)
    if state == "open":
        qs = qs.filter(status__in=[Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS])
    elif state == "overdue":
        qs = qs.filter(_overdue_q(timezone.localdate()))
    elif state == "closed":
        qs = qs.filter(status__in=[Status.DECLINED, Status.COMPLETED, Status.CANCELLED])
    if provider:
        qs = qs.filter(provider_id=getattr(provider, "pk", provider))
    text = (q or "").strip()
    if text:
        number = text.upper().removeprefix("CG-").split("-")[-1]
        text_q = Q()
        for word in fold(text).split()[:6]:
            text_q &= (Q(person__name_folded__startswith=word) | Q(person__name_folded__contains=" " + word)
                       | Q(provider__name_folded__contains=word))
        qs = qs.filter(text_q | Q(pk=int(number)) if number.isdigit() else text_q)
    return _related(qs).order_by(*SORTS.get(sort, SORTS["recent"]))


def overdue_for_worker(*, user: Any, limit: int = 20) -> list[Referral]:
    """Unanswered referrals past their date that the user made, or of cases on the user's team."""
    if not access.can(user, "referral.make"):
        return []
    from ctxh.cases.models import CaseMember

    team = CaseMember.objects.filter(user=user, ended_at__isnull=True).values("case_id")
    qs = referral_queryset(user=user).filter(_overdue_q(timezone.localdate())).filter(
        Q(referred_by=user) | Q(case_id__in=team))
    return list(_related(qs).order_by("due_on", "id")[:limit])


def case_referrals(*, user: Any, case: Any) -> list[Referral]:
    """The referrals of a case the user sees (the caller opened the case through the case selector)."""
    return list(_related(referral_queryset(user=user).filter(case_id=case.pk)).order_by("-sent_at", "-id"))


def call_referrals(*, user: Any, call: Any) -> list[Referral]:
    return list(_related(referral_queryset(user=user).filter(call_id=call.pk)).order_by("-sent_at", "-id"))


def referral_changes(referral: Referral) -> list[Any]:
    return list(referral.changes.select_related("actor", "link").order_by("at", "id"))


def referral_links(referral: Referral) -> list[ReferralLink]:
    return list(referral.links.select_related("created_by", "revoked_by").order_by("-created_at", "-id"))


# Consent ------------------------------------------------------------------------------------


def sharing_consent(person: Person, on: dt.date | None = None) -> Consent | None:
    """The person's consent to sharing with a provider in force on ``on``, if any.

    In force: given on or before that day and not withdrawn (a withdrawal
    dated later has not happened yet).
    """
    on = on or timezone.localdate()
    return (Consent.objects.filter(person=person, purpose=Consent.Purpose.SHARING, given_on__lte=on)
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
            .order_by("-given_on", "-id").first())


# Choosing a provider --------------------------------------------------------------------------


def services_in_force(on: dt.date | None = None) -> QuerySet[Term]:
    return Term.objects.of(SERVICE_VOCABULARY).in_force(on).order_by("position", "code")


def provider_search(*, user: Any, q: str = "", service: str = "", commune: Any = None, limit: int = 20) -> list[Any]:
    """Active providers to refer to: the directory's own search (name, service and its group, and the commune
    served — located there or a provincial unit taking the whole province)."""
    from ctxh.network.selectors import ProviderFilters, provider_list

    if not access.can(user, "referral.make"):
        return []
    filters = ProviderFilters(q=q or "", service=service or "",
                              commune=getattr(commune, "pk", commune) if commune else None, status="active")
    return list(provider_list(user=user, filters=filters).select_related("organization")[:limit])


def provider_for_referral(*, user: Any, pk: Any) -> Any:
    from ctxh.network.models import Provider

    try:
        return Provider.objects.select_related("organization", "commune", "province").get(pk=pk, is_active=True)
    except (Provider.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# One-time links ---------------------------------------------------------------------------------


def link_by_token(token: str) -> ReferralLink | None:
    """The link a token opens, whatever its state, or None (the token matches nothing)."""
    if not token or len(token) > 200:
        return None
    return (ReferralLink.objects.select_related(
        "referral", "referral__person", "referral__provider", "referral__referred_by", "referral__province")
        .filter(token_hash=token_hash(token)).first())


def centre_phones(province_id: int | None = None) -> list[Any]:
    """The numbers a provider calls: the province's hotline lines, then the national ones."""
    from ctxh.hotline.models import HotlineLine

    lines = HotlineLine.objects.filter(is_active=True)
    if province_id is not None:
        lines = lines.filter(Q(province_id=province_id) | Q(province__isnull=True))
    else:
        lines = lines.filter(province__isnull=True)
    return list(lines.order_by("province_id", "position", "number"))


def referring_centre(referral: Referral) -> Any:
    """The organisation the referring worker belongs to (the Centre first), for the letter and the link page."""
    from ctxh.accounts.models import Membership, Organization

    rows = list(Membership.objects.filter(user_id=referral.referred_by_id, is_active=True)
                .select_related("organization").order_by("id"))
    for m in rows:
        if m.organization.kind == Organization.Kind.CENTRE:
            return m.organization
    return rows[0].organization if rows else None


def provider_view(referral: Referral) -> dict[str, Any]:
    """The minimum a provider sees (the link page, the inbox, the letter): nothing more of the person or case."""
    person = referral.person
    return {
        "referral": referral,
        "person_name": person.full_name,
        "person_age": person.age_on(timezone.localdate()),
        "person_sex": person.get_sex_display(),
        "services": list(referral.services.all()),
        "worker": referral.referred_by,
        "centre": referring_centre(referral),
        "phones": centre_phones(referral.province_id),
    }
