"""Demo residents for ``ctxh demo``: a few people at the province's residential facilities.

Providers come from ``network.demo`` (run before this); with no residential
facility in the province nothing is added. Everything goes through the
services, as the Centre's director, so the audit log reads like real use.
A second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from ctxh.accounts.models import Membership, Role
from ctxh.core.models import Rule
from ctxh.network.models import Provider
from ctxh.people.models import LifeStatus, Person
from ctxh.residential import services
from ctxh.residential.models import Admission, AdmissionKind, DischargeReason, Situation
from ctxh.residential.reference import load_reference

STATE_REASONS = [
    "Người cao tuổi cô đơn, thuộc hộ nghèo, không có người có nghĩa vụ phụng dưỡng.",
    "Trẻ em mồ côi cả cha và mẹ, không còn người thân nhận nuôi dưỡng.",
    "Người khuyết tật đặc biệt nặng không nơi nương tựa, gia đình không còn khả năng chăm sóc.",
]
TEMPORARY_REASON = "Tiếp nhận khẩn cấp theo đề nghị của UBND xã: bị bỏ rơi, chưa xác định được người thân."


def _actor(orgs: dict[str, Any]) -> Any:
    m = Membership.objects.filter(organization=orgs.get("centre"), role=Role.DIRECTOR, is_active=True,
                                  whole_province=True).select_related("user").first()
    return m.user if m else None


def _free_people(province: Any, *, born_before: dt.date | None = None, born_after: dt.date | None = None,
                 count: int, rng: random.Random) -> list[Person]:
    qs = Person.objects.filter(province=province, status=LifeStatus.LIVING).exclude(admissions__isnull=False)
    if born_before:
        qs = qs.filter(birth_date__lte=born_before)
    if born_after:
        qs = qs.filter(birth_date__gte=born_after)
    ids = list(qs.order_by("pk").values_list("pk", flat=True)[:200])
    rng.shuffle(ids)
    return list(Person.objects.filter(pk__in=ids[:count]).select_related("commune"))


def load_demo(*, province: Any, orgs: dict[str, Any], rng: random.Random) -> None:
    load_reference(Rule)
    facilities = list(Provider.objects.filter(province=province, is_residential=True, is_active=True).order_by("pk"))
    if not facilities or Admission.objects.filter(facility__in=facilities).exists():
        return
    actor = _actor(orgs)
    if actor is None:
        return
    today = timezone.localdate()
    elderly = _free_people(province, born_before=dt.date(today.year - 62, 1, 1), count=4, rng=rng)
    # Youngest first: the first state admission below is the orphaned child.
    others = sorted(_free_people(province, born_after=dt.date(today.year - 59, 1, 1), count=5, rng=rng),
                    key=lambda p: p.birth_date or dt.date.min, reverse=True)

    def admit(person: Person, facility: Provider, kind: str, days_ago: int, reason: str, **extra: Any) -> Any:
        try:
            return services.admission_create(
                actor=actor, person=person, facility=facility, kind=kind, reason=reason,
                admitted_on=today - dt.timedelta(days=days_ago),
                decision_number=f"{rng.randint(100, 999)}/QĐ-BTXH", decision_date=today - dt.timedelta(days=days_ago),
                decided_by="Giám đốc cơ sở", **extra)
        except ValidationError:
            return None  # a full facility or a person already placed: the demo simply has one fewer

    # The demo facility staff's own facility when the directory links it, so their pages have people.
    main = next((f for f in facilities if f.organization_id == getattr(orgs.get("facility"), "pk", None)),
                facilities[0])
    for person in elderly[:2]:
        admit(person, main, AdmissionKind.STATE, rng.randint(60, 900), STATE_REASONS[0])
    for i, person in enumerate(others[:2]):
        admit(person, main, AdmissionKind.STATE, rng.randint(60, 900), STATE_REASONS[1 + i])
    if len(elderly) > 2:
        admit(elderly[2], main, AdmissionKind.VOLUNTARY_PAID, rng.randint(30, 400),
              "Con đi làm xa, gia đình đề nghị chăm sóc tự nguyện tại cơ sở.",
              monthly_fee=rng.choice([3_500_000, 4_000_000, 4_500_000]), contract_number="HĐ-15/2026",
              payer_name="Con trai: " + elderly[2].full_name.split()[0] + " Văn Hải")
    if len(others) > 2:
        admit(others[2], main, AdmissionKind.TEMPORARY, rng.randint(2, 20), TEMPORARY_REASON)
    if len(others) > 3:
        gone = admit(others[3], main, AdmissionKind.STATE, 400, STATE_REASONS[2])
        if gone is not None:
            left = today - dt.timedelta(days=100)
            done = services.resident_discharge(actor=actor, admission=gone, discharged_on=left,
                                               reason=DischargeReason.RETURNED_FAMILY, decision="52/QĐ-BTXH",
                                               note="Gia đình bác ruột đủ điều kiện nhận chăm sóc.")
            family = others[3].full_name.split()[0]
            r = services.reintegration_record(
                actor=actor, admission=done, commune=others[3].commune or main.commune,
                receiver_name=f"{family} Văn Tùng", receiver_relationship="Bác ruột", receiver_phone="0912468135",
                address_detail=others[3].address_detail)
            services.follow_up_record(actor=actor, reintegration=r, visited_on=left + dt.timedelta(days=30),
                                      situation=Situation.STABLE, notes="Đi học đều, gia đình quan tâm.")
            services.follow_up_record(actor=actor, reintegration=r, visited_on=left + dt.timedelta(days=62),
                                      situation=Situation.NEEDS_SUPPORT,
                                      notes="Gia đình khó khăn về kinh tế; đề nghị hỗ trợ học phí.")
