"""The handbook of addresses (Sổ tay địa chỉ mạng lưới cung cấp dịch vụ), printed to PDF.

Centres hand this booklet to people in every commune so they know whom to
call (Khánh Hòa's Centre describes doing exactly that). It lists the public,
active providers serving a province or one commune — those located there and
the provincial units that take everyone — grouped by sector, with the
emergency and hotline numbers first and an index by service with page
numbers at the end. Contact data of organisations only; never a person.

Fonts: Noto Sans / Noto Serif (DejaVu Sans as fallback), which draw the
Vietnamese stacked marks (ệ, ử, ỗ) correctly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from ctxh.core.text import fold
from ctxh.geo.models import Commune, Province
from ctxh.network import selectors
from ctxh.network.models import HandbookRenderCount, Provider

CACHE_SECONDS = 3600
# Building a booklet costs about a second of the server's time; one address may
# ask for this many booklets not already built, per hour (those built are free).
RENDERS_PER_HOUR = 20


class Busy(Exception):
    """The address asked for too many new booklets this hour."""


@dataclass
class Handbook:
    content: bytes
    filename: str


def handbook_context(*, province_id: int, commune_id: int | None) -> dict[str, Any]:
    """What the booklet shows, read as the public (``user=None``)."""
    province = Province.objects.filter(pk=province_id).first()
    if province is None:
        raise Http404
    commune = Commune.objects.filter(pk=commune_id, province=province).first() if commune_id else None
    providers = list(selectors.provider_list(user=None, filters=selectors.ProviderFilters(
        province=province.pk, commune=commune.pk if commune else None, sort="name")))
    by_sector: dict[int, dict[str, Any]] = {}
    for p in providers:
        section = by_sector.setdefault(p.sector_id, {"sector": p.sector, "providers": []})
        section["providers"].append(p)
    sections = sorted(by_sector.values(), key=lambda s: (s["sector"].position, s["sector"].code))
    offering: dict[int, list[Provider]] = {}
    for p in providers:
        for s in p.services.all():
            offering.setdefault(s.pk, []).append(p)
    index = []
    for group, children in selectors.service_tree():
        rows = [{"service": s, "providers": offering[s.pk]} for s in [group, *children] if s.pk in offering]
        if rows:
            index.append({"group": group, "rows": rows})
    return {
        "province": province, "commune": commune, "sections": sections, "index": index, "count": len(providers),
        "hotlines": selectors.public_hotlines(province_id=province.pk),
        "printed_on": timezone.localdate(),
    }


def handbook_html(*, province_id: int, commune_id: int | None) -> str:
    return render_to_string("network/handbook_pdf.html", handbook_context(province_id=province_id,
                                                                         commune_id=commune_id))


def _fingerprint(province_id: int, commune_id: int | None) -> str:
    """Changes whenever anything the booklet prints may have changed."""
    from ctxh.core.models import Term
    from ctxh.hotline.models import HotlineLine

    providers = Provider.objects.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id"))
    terms = Term.objects.filter(vocabulary__startswith="provider_").aggregate(n=Count("id"), top=Max("id"))
    lines = list(HotlineLine.objects.values_list("number", "name", "is_active", "province_id").order_by("pk"))
    hotlines = list(Term.objects.of("public_hotline").values_list("code", "extra", "valid_to").order_by("pk"))
    raw = repr((province_id, commune_id, translation.get_language(), timezone.localdate(), providers, terms,
                lines, hotlines))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _may_render(client: str) -> bool:
    """Count one more booklet built for ``client`` this hour; False once the hour's allowance is spent."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        row, created = HandbookRenderCount.objects.get_or_create(client=client[:64], hour=hour)
        if created:  # the first of an hour clears yesterday's counters
            HandbookRenderCount.objects.filter(hour__lt=hour - dt.timedelta(days=1)).delete()
        HandbookRenderCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
        return HandbookRenderCount.objects.values_list("count", flat=True).get(pk=row.pk) <= RENDERS_PER_HOUR


def handbook_pdf(*, province_id: int, commune_id: int | None, client: str = "") -> Handbook:
    """The booklet as PDF bytes, kept in the cache until anything it prints changes.

    ``client`` (a hash of the caller's address) limits how many new booklets one
    caller may have built in an hour; ``Busy`` when that is spent.
    """
    province = Province.objects.filter(pk=province_id).first()
    if province is None:
        raise Http404
    commune = Commune.objects.filter(pk=commune_id, province=province).first() if commune_id else None
    name = "so-tay-dia-chi-" + slugify(fold(commune.name if commune else province.name))
    key = "network:handbook:" + _fingerprint(province.pk, commune.pk if commune else None)
    content = cache.get(key)
    if content is None:
        if client and not _may_render(client):
            raise Busy
        from weasyprint import (
            HTML,  # imported here: loading Pango costs time other pages do not need
        )

        html = handbook_html(province_id=province.pk, commune_id=commune.pk if commune else None)
        content = HTML(string=html).write_pdf()
        cache.set(key, content, CACHE_SECONDS)
    return Handbook(content=content, filename=f"{name}.pdf")
