"""Demo records of one-off support, so the pages are not empty in ``ctxh demo``.

After the seeds: a donor's 1,000 heifers for poor households, partly
allocated; a scholarship of 3,600,000 VND; a wheelchair survey whose need is
met by a donated wheelchair; a funeral support computed from the base level.
Everything goes through the services (validated and audited) as the Centre's
director. Idempotent: each piece is added only if missing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Q

from ctxh.accounts.models import Membership, Organization
from ctxh.core.models import Rule, Term
from ctxh.core.rules import RuleMissing
from ctxh.geo.models import Province
from ctxh.people.models import Household, HouseholdMember, LifeStatus, Person
from ctxh.support import services
from ctxh.support.models import Donor, Grant, NeedsSurvey
from ctxh.support.reference import load_reference

HEIFER_DONOR = "Tập đoàn Vingroup"
WHEELCHAIR_DONOR = "Hội Chữ thập đỏ tỉnh"
SURVEY_NAME = "Điều tra nhu cầu xe lăn, xe lắc của người khuyết tật"
SCHOLARSHIP_REASON = "Học sinh thuộc hộ nghèo, học tốt (học bổng năm học 2025–2026)"
FUNERAL_REASON = "Hỗ trợ chi phí mai táng đối tượng bảo trợ xã hội đã mất"


def _term(vocabulary: str, code: str) -> Term:
    return Term.objects.of(vocabulary).get(code=code)


def _director(orgs: dict[str, Organization]) -> Any:
    m = Membership.objects.filter(organization=orgs["centre"], role="director", is_active=True).select_related(
        "user").first()
    return m.user if m else None


def _living(province: Province, commune_id: int) -> Any:
    return Person.objects.filter(province=province, commune_id=commune_id, status=LifeStatus.LIVING).exclude(
        cases__sealed=True)


def load_demo(*, province: Province, orgs: dict[str, Organization], rng: random.Random) -> None:
    load_reference(Rule, Term)
    actor = _director(orgs)
    if actor is None:
        return
    c1, c2 = int(orgs["commune1"].commune_id or 0), int(orgs["commune2"].commune_id or 0)
    today = dt.date.today()
    _heifers(province, actor, [c1, c2], rng, today)
    _wheelchairs(province, actor, [c1, c2], rng, today)
    _scholarship(province, actor, c1, rng, today)
    _funeral(province, actor, c2, rng, today)


def _heifers(province: Province, actor: Any, communes: list[int], rng: random.Random, today: dt.date) -> None:
    if Donor.objects.filter(province=province, name=HEIFER_DONOR).exists():
        return
    donor = services.donor_create(actor=actor, name=HEIFER_DONOR, kind="company", province_id=province.pk,
                                  contact_name="Văn phòng Quỹ Thiện Tâm", phone="02439749999")
    donation = services.donation_record(
        actor=actor, donor=donor, received_on=today - dt.timedelta(days=120), item=_term("support_item", "heifer"),
        quantity=1000, purpose="Giao bê cái giống cho hộ nghèo để phát triển sinh kế",
        restrictions="Chỉ giao cho hộ nghèo; hộ nhận cam kết nuôi, không bán trong 3 năm.",
        reference="BB-TN/2025-017")
    households = list(Household.objects.filter(commune_id__in=communes).order_by("code")[:400])
    rng.shuffle(households)
    for i, household in enumerate(households[:24]):
        services.allocation_create(
            actor=actor, donation=donation, household=household, quantity=1 if i % 5 else 2,
            allocated_on=today - dt.timedelta(days=rng.randint(10, 100)),
            received_by=_head_name(household), received_on=today - dt.timedelta(days=rng.randint(0, 9)),
            receipt_number=f"BN-{i + 1:04d}")


def _head_name(household: Household) -> str:
    head = HouseholdMember.objects.filter(household=household, relationship="head").select_related("person").first()
    return head.person.full_name if head else "Đại diện hộ"


def _wheelchairs(province: Province, actor: Any, communes: list[int], rng: random.Random, today: dt.date) -> None:
    if NeedsSurvey.objects.filter(province=province, name=SURVEY_NAME).exists():
        return
    from ctxh.geo.models import Commune

    survey = services.survey_create(
        actor=actor, name=SURVEY_NAME, purpose="Thống kê nhu cầu xe lăn, xe lắc, dụng cụ phục hồi chức năng "
        "để gửi nhà tài trợ.", starts_on=today - dt.timedelta(days=90), ends_on=today - dt.timedelta(days=60),
        communes=list(Commune.objects.filter(pk__in=communes)),
        need_types=[_term("need_type", "wheelchair"), _term("need_type", "tricycle")])
    people = list(Person.objects.filter(province=province, commune_id__in=communes, status=LifeStatus.LIVING,
                                        disabilities__isnull=False).exclude(cases__sealed=True).distinct()[:200])
    if len(people) < 6:
        people = list(Person.objects.filter(province=province, commune_id__in=communes,
                                            status=LifeStatus.LIVING).exclude(cases__sealed=True)[:200])
    rng.shuffle(people)
    rows = [(i + 2, {"person_id": str(p.pk), "need_type": "wheelchair" if i % 3 else "tricycle",
                     "detail": "Đi lại khó khăn, cần phương tiện"}) for i, p in enumerate(people[:14])]
    if not rows:
        return
    needs = services.survey_import(actor=actor, survey=survey, rows=rows, source="demo")
    donor = services.donor_create(actor=actor, name=WHEELCHAIR_DONOR, kind="organisation", province_id=province.pk)
    donation = services.donation_record(
        actor=actor, donor=donor, received_on=today - dt.timedelta(days=30), item=_term("support_item", "wheelchair"),
        quantity=50, purpose="Xe lăn cho người khuyết tật vận động theo kết quả điều tra nhu cầu")
    need = next((n for n in needs if n.need_type.code == "wheelchair"), needs[0])
    assert need.person is not None
    services.need_request(actor=actor, need=need, expected_version=need.version, on=today)
    services.allocation_create(
        actor=actor, donation=donation, person=need.person, quantity=1, allocated_on=today,
        received_by=need.person.full_name, received_on=today, receipt_number="XL-0001", need=need)


def _scholarship(province: Province, actor: Any, commune_id: int, rng: random.Random, today: dt.date) -> None:
    from django.core.exceptions import ValidationError

    if Grant.objects.filter(province=province, reason=SCHOLARSHIP_REASON).exists():
        return
    born_after = today.replace(year=today.year - 17)
    child = _living(province, commune_id).filter(birth_date__gte=born_after,
                                                 birth_date__lte=today.replace(year=today.year - 7)).first()
    if child is None:
        return
    try:
        services.grant_record(
            actor=actor, person=child, kind=_term("support_kind", "scholarship"), amount=3_600_000,
            given_on=today - dt.timedelta(days=20), funding=_term("funding_source_kind", "project"),
            project_name="Chương trình học bổng cho trẻ em hộ nghèo", reason=SCHOLARSHIP_REASON,
            received_by=child.full_name, received_on=today - dt.timedelta(days=20), receipt_number="HB-2025-031")
    except ValidationError:
        return


def _funeral(province: Province, actor: Any, commune_id: int, rng: random.Random, today: dt.date) -> None:
    from django.core.exceptions import ValidationError

    from ctxh.support import amounts

    if Grant.objects.filter(province=province, reason=FUNERAL_REASON).exists():
        return
    household = Household.objects.filter(commune_id=commune_id).filter(
        Q(members__relationship="head")).order_by("code").first()
    if household is None:
        return
    kind = _term("support_kind", "emergency_funeral")
    event = today - dt.timedelta(days=12)
    try:
        calc = amounts.calculate(kind, on=event)
    except RuleMissing:
        return  # the legal rows are not loaded yet
    if calc is None or calc.amount is None:
        return
    try:
        services.grant_record(
            actor=actor, household=household, kind=kind, amount=calc.amount, event_date=event,
            given_on=today - dt.timedelta(days=5), funding=_term("funding_source_kind", "state_budget"),
            reason=FUNERAL_REASON, received_by=_head_name(household), received_on=today - dt.timedelta(days=5),
            receipt_number="MT-2025-004")
    except ValidationError:
        return
