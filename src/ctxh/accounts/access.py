"""What a user may do and which communes they cover.

The one place roles turn into capabilities. Selectors call ``coverage`` to
scope their querysets; views call ``require`` before acting.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ctxh.accounts.models import Membership, Role

# Roles that work with individual people. The statistician sees aggregates only.
PERSON_ROLES = {
    Role.ADMINISTRATOR, Role.DIRECTOR, Role.CASE_WORKER, Role.COUNSELLOR,
    Role.COLLABORATOR, Role.FACILITY_STAFF,
}

CAPABILITIES: dict[str, set[str]] = {
    "person.view": set(PERSON_ROLES),
    "person.change": set(PERSON_ROLES),
    "household.change": set(PERSON_ROLES),
    "audit.view": {Role.ADMINISTRATOR, Role.DIRECTOR},
    "accounts.manage": {Role.ADMINISTRATOR},
    "stats.view": {Role.ADMINISTRATOR, Role.DIRECTOR, Role.STATISTICIAN},
    # Hotline and case management (issue: hotline and cases).
    "call.log": {Role.DIRECTOR, Role.COUNSELLOR, Role.CASE_WORKER},
    "call.view": {Role.ADMINISTRATOR, Role.DIRECTOR, Role.COUNSELLOR, Role.CASE_WORKER},
    "case.open": {Role.DIRECTOR, Role.CASE_WORKER, Role.COUNSELLOR, Role.COLLABORATOR, Role.FACILITY_STAFF},
    "case.work": {Role.DIRECTOR, Role.CASE_WORKER, Role.COLLABORATOR, Role.FACILITY_STAFF},
    "case.assign": {Role.DIRECTOR},
    "case.approve": {Role.DIRECTOR},
    "calendar.manage": {Role.ADMINISTRATOR},
    # The service network (issue 4).
    "provider.view": set(PERSON_ROLES),
    "provider.manage": {Role.ADMINISTRATOR, Role.DIRECTOR},
    "referral.make": {Role.DIRECTOR, Role.CASE_WORKER, Role.COUNSELLOR, Role.COLLABORATOR, Role.FACILITY_STAFF},
    "residence.view": {Role.ADMINISTRATOR, Role.DIRECTOR, Role.CASE_WORKER, Role.FACILITY_STAFF},
    "residence.manage": {Role.DIRECTOR, Role.FACILITY_STAFF},
    "tracing.view": {Role.ADMINISTRATOR, Role.DIRECTOR, Role.CASE_WORKER, Role.COUNSELLOR},
    "tracing.manage": {Role.DIRECTOR, Role.CASE_WORKER, Role.COUNSELLOR},
    # Social assistance (issue 5). The calculator needs no personal data.
    "entitlement.check": set(PERSON_ROLES),
    "entitlement.view": {Role.ADMINISTRATOR, Role.DIRECTOR, Role.CASE_WORKER, Role.COLLABORATOR},
    "entitlement.propose": {Role.DIRECTOR, Role.CASE_WORKER, Role.COLLABORATOR},
    # The commune chair decides since 2025-07-01 (Decree 147/2025); in CTXH the
    # decision is recorded by the director role, who enters the signer.
    "entitlement.decide": {Role.DIRECTOR},
    "payment.manage": {Role.DIRECTOR, Role.COLLABORATOR},
    "payment.close": {Role.DIRECTOR},
    "support.view": {Role.ADMINISTRATOR, Role.DIRECTOR, Role.CASE_WORKER, Role.COLLABORATOR, Role.FACILITY_STAFF},
    "support.manage": {Role.DIRECTOR, Role.CASE_WORKER, Role.COLLABORATOR},
    "donation.manage": {Role.DIRECTOR},
    "poverty.manage": {Role.DIRECTOR, Role.COLLABORATOR},
    "rules.manage": {Role.ADMINISTRATOR},
}


@dataclass(frozen=True)
class Coverage:
    """The places a user's person-facing memberships cover."""

    provinces: frozenset[int]
    communes: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.provinces and not self.communes

    def covers(self, *, province_id: int | None, commune_id: int | None) -> bool:
        if province_id in self.provinces:
            return True
        return commune_id is not None and commune_id in self.communes


def _memberships(user) -> list[Membership]:
    cached = getattr(user, "_ctxh_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
            .select_related("organization")
            .prefetch_related("communes")
        )
        user._ctxh_memberships = cached
    return cached


def memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return _memberships(user)


def roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {m.role for m in _memberships(user)}


def can(user, capability: str) -> bool:
    return bool(roles(user) & CAPABILITIES[capability])


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def coverage(user) -> Coverage:
    """Provinces covered whole and single communes, from person-facing roles only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Coverage(frozenset(), frozenset())
    cached = getattr(user, "_ctxh_coverage", None)
    if cached is not None:
        return cached
    provinces: set[int] = set()
    communes: set[int] = set()
    for m in _memberships(user):
        if m.role not in PERSON_ROLES:
            continue
        if m.whole_province:
            provinces.add(m.organization.province_id)
        else:
            communes.update(c.pk for c in m.communes.all())
    result = Coverage(frozenset(provinces), frozenset(communes))
    user._ctxh_coverage = result
    return result


def forget(user) -> None:
    """Drop the cached memberships after they change."""
    for attr in ("_ctxh_memberships", "_ctxh_coverage"):
        if hasattr(user, attr):
            delattr(user, attr)
