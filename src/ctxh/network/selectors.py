"""Reads of the provider directory.

Providers are not personal data, so reading one is not written to the access
log. What a caller sees depends on who they are:

- staff with ``provider.view`` see every provider, public or not, active or not
  (the directory is one network across provinces: a case worker refers to a
  national hospital as readily as to the commune health station);
- everyone else — the public portal, an anonymous API client, an outsider —
  sees only providers that are public **and** active, and the public portal
  always reads as the public (``user=None``) even when a staff member is
  logged in, so a public page can never show a non-public provider.

Editing is narrower: ``provider.manage`` and a membership covering the
provider's province (``can_manage``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.http import Http404

from ctxh.accounts import access
from ctxh.core.models import Term
from ctxh.core.text import digits, fold
from ctxh.network.models import Provider

SERVICE_VOCABULARY = "provider_service"

# Sort key → ordering. Names sort by their folded form so that "Đ" sits with "D".
SORTS: dict[str, list[str]] = {
    "name": ["name_folded", "id"],
    "-name": ["-name_folded", "-id"],
    "commune": ["commune__name", "name_folded", "id"],
    "-commune": ["-commune__name", "name_folded", "id"],
    "type": ["type__position", "name_folded", "id"],
    "-type": ["-type__position", "name_folded", "id"],
    "updated": ["updated_at", "id"],
    "-updated": ["-updated_at", "-id"],
}

STATUSES = ("active", "inactive", "all")


@dataclass
class ProviderFilters:
    """What a list asks for; empty values do not filter."""

    q: str = ""
    service: str = ""  # a provider_service code; a group code includes its services
    commune: int | None = None  # providers serving the commune (located there or province-wide)
    province: int | None = None
    type: str = ""
    sector: str = ""
    target: str = ""
    residential: bool | None = None
    public: bool | None = None  # staff only; the public sees public providers whatever this says
    status: str = "active"  # staff only: active / inactive / all
    sort: str = "name"


def is_staff_reader(user: Any) -> bool:
    return user is not None and access.can(user, "provider.view")


def provider_queryset(*, user: Any) -> QuerySet[Provider]:
    """Every provider ``user`` may see (``None``: the public)."""
    qs = Provider.objects.all()
    if not is_staff_reader(user):
        qs = qs.filter(is_public=True, is_active=True)
    return qs


def service_ids(code: str) -> list[int]:
    """The term of ``code`` and every service below it (groups are two levels, allow three)."""
    root = Term.objects.of(SERVICE_VOCABULARY).filter(code=code).values_list("pk", flat=True).first()
    if root is None:
        return []
    ids = [root]
    frontier = [root]
    for _depth in range(3):
        frontier = list(Term.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids.extend(frontier)
    return ids


def search_filter(qs: QuerySet[Provider], query: str) -> QuerySet[Provider]:
    """Words of the name, street or commune in any order, with or without marks; or a phone number."""
    query = (query or "").strip()
    if not query:
        return qs
    number = digits(query)
    if len(number) >= 3 and len(number) >= len(re.sub(r"[\s.\-]", "", query)) - 1:
        # The folded search text carries each phone number as bare digits.
        return qs.filter(search_folded__contains=number)
    postgres = connections[qs.db].vendor == "postgresql"
    for word in fold(query).split()[:8]:
        if postgres:
            qs = qs.filter(search_folded__regex=r"(^| )" + re.escape(word))
        else:
            qs = qs.filter(Q(search_folded__startswith=word) | Q(search_folded__contains=" " + word))
    return qs


def provider_list(*, user: Any, filters: ProviderFilters | None = None) -> QuerySet[Provider]:
    """The providers ``user`` may see that match ``filters``, sorted, with what a list row shows."""
    f = filters or ProviderFilters()
    staff = is_staff_reader(user)
    qs = provider_queryset(user=user)
    qs = search_filter(qs, f.q)
    if f.service:
        ids = service_ids(f.service)
        offering = Provider.services.through.objects.filter(term_id__in=ids).values("provider_id")
        qs = qs.filter(pk__in=offering)
    if f.target:
        serving = Provider.target_groups.through.objects.filter(
            term__vocabulary="provider_target", term__code=f.target).values("provider_id")
        qs = qs.filter(pk__in=serving)
    if f.commune:
        # Serving the commune: located there, or a provincial unit that takes
        # people from every commune of its province.
        qs = qs.filter(Q(commune_id=f.commune)
                       | Q(serves_province=True, province_id__in=_province_of(f.commune)))
    if f.province:
        qs = qs.filter(province_id=f.province)
    if f.type:
        qs = qs.filter(type__vocabulary="provider_type", type__code=f.type)
    if f.sector:
        qs = qs.filter(sector__vocabulary="provider_sector", sector__code=f.sector)
    if f.residential is not None:
        qs = qs.filter(is_residential=f.residential)
    if staff:
        if f.public is not None:
            qs = qs.filter(is_public=f.public)
        if f.status == "active":
            qs = qs.filter(is_active=True)
        elif f.status == "inactive":
            qs = qs.filter(is_active=False)
    ordering = SORTS.get(f.sort, SORTS["name"])
    return (qs.select_related("type", "sector", "province", "commune")
            .prefetch_related("services", "target_groups").order_by(*ordering))


def _province_of(commune_code: int) -> list[int]:
    from ctxh.geo.models import Commune

    return list(Commune.objects.filter(pk=commune_code).values_list("province_id", flat=True))


def provider_get(*, user: Any, pk: Any) -> Provider:
    """One provider ``user`` may see, else 404 (the public never learns a non-public one exists)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    provider = (provider_queryset(user=user).select_related("type", "sector", "province", "commune", "organization")
                .prefetch_related("services__parent", "target_groups").filter(pk=pk).first())
    if provider is None:
        raise Http404
    return provider


def can_manage(*, user: Any, province_id: int | None, commune_id: int | None = None) -> bool:
    """``provider.manage`` and a membership covering that province (a whole-province role)."""
    if not access.can(user, "provider.manage") or province_id is None:
        return False
    return province_id in access.coverage(user).provinces


def manageable_provinces(*, user: Any) -> list[int]:
    if not access.can(user, "provider.manage"):
        return []
    return sorted(access.coverage(user).provinces)


def provider_for_edit(*, user: Any, pk: Any) -> Provider:
    """A provider ``user`` may change: 403 without the capability, 404 if unseen, 403 outside their province."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    access.require(user, "provider.manage")
    provider = provider_get(user=user, pk=pk)
    if not can_manage(user=user, province_id=provider.province_id):
        raise PermissionDenied(_("Bạn chỉ được sửa đơn vị thuộc tỉnh mình phụ trách."))
    return provider


def service_tree(*, on: Any = None) -> list[tuple[Term, list[Term]]]:
    """Service groups in force with their services, in order (for pickers and the handbook)."""
    terms = list(Term.objects.of(SERVICE_VOCABULARY).in_force(on).order_by("position", "code"))
    groups = [t for t in terms if t.parent_id is None]
    children: dict[int, list[Term]] = {}
    for t in terms:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    return [(g, children.get(g.pk, [])) for g in groups]


def terms(vocabulary: str, *, on: Any = None) -> QuerySet[Term]:
    return Term.objects.of(vocabulary).in_force(on).order_by("position", "code")


def public_hotlines(*, province_id: int | None) -> list[dict[str, Any]]:
    """The numbers the portal and the handbook show, each with what it is for.

    The Centre's active lines (``hotline.HotlineLine``: national or of this
    province) come first, then the ``public_hotline`` numbers not already
    listed; a ``public_hotline`` row with the same number lends its purpose.
    """
    from django.utils import translation

    from ctxh.hotline.models import HotlineLine

    english = translation.get_language() == "en"
    notes: dict[str, dict[str, Any]] = {}
    ordered: list[dict[str, Any]] = []
    for term in terms("public_hotline"):
        extra = term.extra or {}
        number = str(extra.get("number", "")).strip()
        if not number:
            continue
        if extra.get("province") not in (None, "", province_id):
            continue
        row = {
            "number": number, "tel": digits(number), "name": term.label,
            "purpose": (extra.get("purpose_en") if english else None) or extra.get("purpose", ""),
            "hours": extra.get("hours", ""), "free": bool(extra.get("free")),
            "urgent": bool(extra.get("urgent")),  # named in "when someone is in danger, call …"
        }
        notes[digits(number)] = row
        ordered.append(row)
    lines = HotlineLine.objects.filter(is_active=True).filter(
        Q(province__isnull=True) | Q(province_id=province_id)).order_by("position", "number")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line in lines:
        key = digits(line.number)
        note = notes.get(key, {})
        out.append({
            "number": line.number, "tel": key,
            "name": (line.name_en if english and line.name_en else line.name),
            "purpose": note.get("purpose", ""), "hours": note.get("hours", ""), "free": note.get("free", False),
            "urgent": note.get("urgent", False),
        })
        seen.add(key)
    out.extend(r for r in ordered if r["tel"] not in seen)
    return out


def urgent_numbers(hotlines: list[dict[str, Any]]) -> str:
    """The numbers to call at once when someone is in danger, as a sentence part: "113 hoặc 115"."""
    from django.utils.translation import gettext as _

    numbers = [h["number"] for h in hotlines if h.get("urgent")]
    return _(" hoặc ").join(numbers)
