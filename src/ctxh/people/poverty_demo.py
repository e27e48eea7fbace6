"""Demo poverty surveys: a handful of households of the two demo communes, surveyed this year.

``load_demo`` is idempotent: a commune that already has surveys is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from ctxh.accounts.models import Membership
from ctxh.core.models import Rule, Term
from ctxh.people.models import Household, PovertySurvey
from ctxh.people.poverty import area_for_commune, classification_date, classify
from ctxh.people.reference import load_poverty_reference

SURVEYS_PER_COMMUNE = 4
NOTES = [
    "Chủ hộ làm thuê theo mùa vụ, vợ ốm dài ngày.",
    "Hộ có hai người cao tuổi, con đi làm xa gửi tiền không đều.",
    "Nhà tạm, mái tôn dột; đã đề nghị hỗ trợ sửa nhà.",
    "Thu nhập chủ yếu từ đánh bắt ven bờ.",
]


def load_demo(*, province: Any, orgs: dict[str, Any], rng: random.Random) -> None:
    load_poverty_reference(Term, Rule)
    today = timezone.localdate()
    indicators = list(Term.objects.of("poverty_indicator").order_by("position"))
    for org_key in ("commune1", "commune2"):
        org = orgs.get(org_key)
        if org is None or not org.commune_id:
            continue
        commune_id = org.commune_id
        if PovertySurvey.objects.filter(household__commune_id=commune_id).exists():
            continue  # loaded before
        member = Membership.objects.filter(organization=org, is_active=True).select_related("user").first()
        surveyor = member.user if member else None
        households = list(
            Household.objects.filter(commune_id=commune_id).select_related("commune").order_by("code")[:SURVEYS_PER_COMMUNE]
        )
        for i, household in enumerate(households):
            surveyed_on = today - dt.timedelta(days=rng.randint(5, 60))
            on = classification_date(surveyed_on=surveyed_on, year=surveyed_on.year)
            area = area_for_commune(household.commune, on) or "rural"
            members = household.members.count() or rng.randint(2, 6)
            per_person = rng.choice([900_000, 1_400_000, 1_800_000, 2_600_000, 3_500_000])
            deprived = [t.code for t in rng.sample(indicators, k=rng.choice([0, 1, 2, 3, 4]))]
            result = classify(income_per_person=per_person, deprived=deprived, area=area, on=on)
            survey = PovertySurvey.objects.create(
                household=household, surveyed_on=surveyed_on, year=surveyed_on.year, members_count=members,
                income_total=per_person * members, income_per_person=per_person, area=area,
                result=result.status, standard=result.standard, reasons=result.reasons,
                notes=NOTES[i % len(NOTES)], surveyed_by=surveyor,
            )
            survey.deprivations.set([t for t in indicators if t.code in result.deprived])
