"""Demo referrals: a handful from the demo cases to the demo providers, in every status.

Loaded by ``ctxh demo`` after the providers and the cases exist; skips quietly
when either is missing, and adds nothing once demo referrals exist. Each is
made through the services (consent recorded first), so the case timelines
and the audit log read as they would in real use.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Q
from django.utils import timezone

from ctxh.referrals.models import Referral

NEEDS = [
    "Trẻ cần tư vấn tâm lý sau sự việc bạo lực trong gia đình; mẹ đồng ý đưa trẻ đến buổi đầu.",
    "Cần trợ giúp pháp lý về thủ tục giám hộ và cấp lại giấy khai sinh.",
    "Cần khám và điều trị vết thương; gia đình khó khăn về chi phí đi lại.",
    "Người cao tuổi sống một mình, cần chăm sóc tại nhà và hỗ trợ thủ tục trợ cấp.",
    "Cần học nghề và giới thiệu việc làm ổn định sau khi hồi gia.",
    "Cần chỗ ở tạm thời an toàn trong khi giải quyết vụ việc.",
]
FEEDBACK = [
    "Đã hoàn thành 6 buổi tư vấn; trẻ ăn ngủ ổn định, đi học đều.",
    "Đã hướng dẫn gia đình làm thủ tục; hồ sơ đã nộp tại UBND xã.",
]


def load_demo(*, province: Any, orgs: dict[str, Any], rng: random.Random) -> None:
    from django.apps import apps

    from ctxh.accounts.models import Role, User
    from ctxh.cases.models import Case, CaseMember
    from ctxh.network.models import Provider
    from ctxh.people.models import Consent
    from ctxh.referrals import services
    from ctxh.referrals.reference import load_reference

    load_reference(apps)
    if Referral.objects.filter(province=province).exists():
        return
    providers = list(Provider.objects.filter(is_active=True).filter(
        Q(province=province) | Q(province__isnull=True)).order_by("id")[:20])
    if not providers:
        return
    director = User.objects.filter(memberships__role=Role.DIRECTOR, memberships__organization=orgs.get("centre"),
                                   is_active=True).order_by("id").first()
    worker = User.objects.filter(memberships__role=Role.CASE_WORKER, memberships__organization=orgs.get("centre"),
                                 is_active=True).order_by("id").first()
    if director is None:
        return
    # The demo case worker's own cases first (their page then shows the overdue one), then any open case.
    team = list(CaseMember.objects.filter(user=worker, ended_at__isnull=True).values_list("case_id", flat=True)
                if worker else [])
    open_cases = Case.objects.filter(province=province, closed_at__isnull=True, sealed=False).select_related(
        "person", "assigned_to")
    cases = list(open_cases.filter(pk__in=team).order_by("id")[:6])
    cases += list(open_cases.exclude(pk__in=[c.pk for c in cases]).order_by("id")[:6 - len(cases)])
    if not cases:
        return
    today = timezone.localdate()
    plan = ["overdue", "sent", "accepted", "in_progress", "completed", "declined"]
    for case, state in zip(cases, plan, strict=False):
        actor = case.assigned_to if case.assigned_to and _may_refer(case.assigned_to, case) else director
        if not Consent.objects.filter(person=case.person, purpose=Consent.Purpose.SHARING).exists():
            Consent.objects.create(person=case.person, purpose=Consent.Purpose.SHARING, given_by="self",
                                   method="written", given_on=today - dt.timedelta(days=rng.randint(3, 60)),
                                   recorded_by=actor)
        provider = rng.choice(providers)
        terms = list(provider.services.all()[:2])
        referral = services.referral_create(
            actor=actor, provider=provider, case=case, reason=rng.choice(NEEDS), services=terms,
            urgency=rng.choice(["routine", "routine", "urgent"]))
        if state in ("accepted", "in_progress", "completed"):
            referral = services.referral_accept(actor=actor, referral=referral,
                                                note="Đơn vị gọi điện xác nhận đã nhận.")
        if state in ("in_progress",):
            referral = services.referral_start(actor=actor, referral=referral)
        if state == "completed":
            services.referral_complete(actor=actor, referral=referral, feedback=rng.choice(FEEDBACK))
        if state == "declined":
            services.referral_decline(actor=actor, referral=referral,
                                      reason="Đơn vị đã đủ chỗ trong tháng này; đề nghị chuyển đơn vị khác.")
        if state == "overdue":
            # Sent ten days ago and never answered: it shows on the worker's page.
            sent = timezone.now() - dt.timedelta(days=10)
            Referral.objects.filter(pk=referral.pk).update(sent_at=sent, due_on=services.due_on_for(sent))


def _may_refer(user: Any, case: Any) -> bool:
    from ctxh.accounts import access
    from ctxh.cases.selectors import case_access_reason

    return access.can(user, "referral.make") and case_access_reason(user, case) in ("team", "director", "area")
