from __future__ import annotations

from django.db.models import QuerySet

from ctxh.geo.models import Commune, Province


def province_list() -> QuerySet[Province]:
    return Province.objects.all()


def commune_list(*, province_code: int | None) -> QuerySet[Commune]:
    """Communes of a province, for the province → commune pickers (public data)."""
    if not province_code:
        return Commune.objects.none()
    return Commune.objects.filter(province_id=province_code).order_by("name")
