"""Demo tracing requests: one from the public form, one that finds a registry person,
two relatives looking for each other, and one already reunified.

Idempotent: nothing is added once the province has a request.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from ctxh.accounts.models import Membership
from ctxh.core.models import Rule
from ctxh.core.text import unaccent
from ctxh.geo.models import Province
from ctxh.people.models import Person
from ctxh.tracing import services
from ctxh.tracing.matching import match_request
from ctxh.tracing.models import Source, TracingRequest
from ctxh.tracing.reference import load_rules


def _staff(orgs: dict[str, Any]) -> Any:
    m = (Membership.objects.filter(organization=orgs["centre"], role__in=["case_worker", "counsellor", "director"],
                                   is_active=True, whole_province=True)
         .select_related("user").order_by("role", "id").first())
    return m.user if m else None


@transaction.atomic
def load_demo(*, province: Province, orgs: dict[str, Any], rng: random.Random) -> None:
    load_rules(Rule)
    if TracingRequest.objects.filter(province=province).exists():
        return
    actor = _staff(orgs)
    if actor is None:
        return
    today = timezone.localdate()
    base = {"consent": True, "sought_sex": "unknown", "last_seen_precision": "year"}

    # From the public form, received with nobody assigned yet.
    services.tracing_request_submit_public(ip_hash="demo", data={
        **base, "seeker_name": "Hoàng Thị Lan", "seeker_phone": "0912 000 111", "seeker_relationship": "sibling",
        "sought_name": "Hoàng Văn Dũng", "sought_aliases": "Cu Tí", "sought_sex": "male",
        "birth_year_from": 1976, "birth_year_to": 1978, "last_province": province,
        "last_place_text": "Bến xe Bãi Cháy, huyện Hoành Bồ cũ", "last_seen_date": dt.date(1994, 1, 1),
        "circumstances": "Anh trai đi làm thuê ở bến xe rồi mất liên lạc từ năm 1994.",
        "description": "Vết sẹo dài ở cẳng tay trái.",
    })

    # Seeking someone who is in the registry, typed without marks and without the middle name.
    person = (Person.objects.filter(province=province, birth_date__isnull=False, status="living")
              .exclude(full_name="").order_by("id").first())
    if person is not None and person.birth_date is not None:
        parts = unaccent(person.full_name).split()
        typed = " ".join([parts[0], parts[-1]]) if len(parts) > 2 else unaccent(person.full_name)
        services.tracing_request_create(actor=actor, source=Source.HOTLINE, data={
            **base, "seeker_name": "Trần Văn Hải", "seeker_phone": "0983 222 333", "seeker_relationship": "parent",
            "sought_name": typed, "sought_sex": person.sex, "birth_year_from": person.birth_date.year,
            "last_province": province, "last_commune": person.commune,
            "last_seen_date": dt.date(today.year - 3, 1, 1),
            "circumstances": "Con bỏ nhà đi làm ăn, ba năm nay không liên lạc về.",
            "assigned_to": actor,
        })

    # Two relatives looking for each other: a mother and her son.
    services.tracing_request_create(actor=actor, source=Source.STAFF, data={
        **base, "seeker_name": "Nguyễn Thị Hoa", "seeker_phone": "0904 555 666", "seeker_relationship": "parent",
        "sought_name": "Phạm Minh Tuấn", "sought_sex": "male", "birth_year_from": 1999,
        "last_province": province, "last_place_text": "Chợ Hạ Long 1",
        "last_seen_date": dt.date(2005, 6, 1), "last_seen_precision": "month",
    })
    services.tracing_request_submit_public(ip_hash="demo", data={
        **base, "seeker_name": "Pham Tuan", "seeker_phone": "0387 777 888", "seeker_relationship": "child",
        "sought_name": "Nguyen Thi Hoa", "sought_sex": "female", "birth_year_from": 1972, "birth_year_to": 1976,
        "last_place_text": "Hạ Long, Quảng Ninh", "circumstances": "Lạc mẹ ở chợ khi còn nhỏ.",
    })

    # An older request that ended well.
    done = services.tracing_request_create(actor=actor, source=Source.STAFF, data={
        **base, "seeker_name": "Lê Văn Bình", "seeker_phone": "0868 999 000", "seeker_relationship": "child",
        "sought_name": "Lê Thị " + rng.choice(["Nga", "Hương", "Thu"]), "sought_sex": "female",
        "birth_year_from": 1950, "birth_year_to": 1955, "last_province": province,
    })
    services.tracing_request_reunify(actor=actor, request=done, reunified_on=today, method="at_centre",
                                     notes="Hai mẹ con gặp nhau tại Trung tâm.", expected_version=done.version)

    # With the database task backend nothing runs until a worker starts: match
    # now so the demo pages show candidates at once (a second run changes nothing).
    for pk in TracingRequest.objects.filter(province=province).values_list("pk", flat=True):
        match_request(pk)
