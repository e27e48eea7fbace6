"""Load the 34 provinces and 3,321 communes shipped by ``vietnam-provinces``."""

from __future__ import annotations

import json
from typing import Any

import vietnam_provinces


def load_units(province_model: Any, commune_model: Any) -> tuple[int, int]:
    """Insert the units that are missing; existing rows are left as they are."""
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    have_p = set(province_model.objects.values_list("code", flat=True))
    have_c = set(commune_model.objects.values_list("code", flat=True))
    provinces, communes = [], []
    for p in data:
        if p["code"] not in have_p:
            provinces.append(
                province_model(
                    code=p["code"], name=p["name"], division_type=p["division_type"],
                    codename=p["codename"],
                )
            )
        for w in p["wards"]:
            if w["code"] not in have_c:
                communes.append(
                    commune_model(
                        code=w["code"], province_id=p["code"], name=w["name"],
                        division_type=w["division_type"], codename=w["codename"],
                    )
                )
    province_model.objects.bulk_create(provinces)
    commune_model.objects.bulk_create(communes, batch_size=500)
    return len(provinces), len(communes)
