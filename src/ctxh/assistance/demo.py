"""Demo records of the entitlement pages: decided entitlements in the two demo communes, lists to pay.

Made through the services, as the demo director (who records the commune
chair's decisions and closes lists): a handful of people the eligibility
engine finds entitled get a proposal and a decision from three months ago;
one has since moved away (stopped); last month's list of the first commune is
paid and closed, this month's is a draft. Idempotent: nothing is added once
the first commune has entitlements.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Q
from django.utils import timezone

PER_COMMUNE = 6
SIGNERS = ["Nguyễn Văn Thành", "Phạm Thị Thu Hương"]


def _months_back(today: dt.date, n: int) -> dt.date:
    month = today.replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def load_demo(*, province: Any, orgs: dict[str, Any], rng: random.Random) -> None:
    from ctxh.accounts.models import User
    from ctxh.assistance import services
    from ctxh.assistance.models import Entitlement, PaymentList, PaymentMethod, StopReason
    from ctxh.assistance.pay_reference import load_rules as load_pay_rules
    from ctxh.assistance.reference import load_rules
    from ctxh.core.models import Rule, Term
    from ctxh.people.models import Person

    load_rules(Rule, Term)
    load_pay_rules(Rule)
    communes = [orgs[k].commune for k in ("commune1", "commune2") if orgs.get(k) and orgs[k].commune_id]
    director = User.objects.filter(username="director").first()
    if not communes or director is None or Entitlement.objects.filter(commune=communes[0]).exists():
        return
    today = timezone.localdate()
    start = _months_back(today, 3)
    last_month = _months_back(today, 1)
    made: list[Entitlement] = []
    number = rng.randint(40, 90)
    for commune in communes:
        candidates = (Person.objects.filter(commune=commune, status="living", birth_date__isnull=False)
                      .filter(Q(groups__group__vocabulary="allowance_group") | Q(birth_date__lte=dt.date(
                          today.year - 75, 1, 1))).distinct().order_by("id")[:80])
        count = 0
        for person in candidates:
            if count >= PER_COMMUNE:
                break
            result = services.engine_result(person=person, on=start)
            if not result.paid:
                continue
            method = rng.choice([PaymentMethod.CASH, PaymentMethod.CASH, PaymentMethod.POST, PaymentMethod.BANK])
            payment = {"payment_method": method}
            if method == PaymentMethod.BANK:
                payment.update({"bank_account": f"{rng.randint(10 ** 11, 10 ** 12 - 1)}", "bank_name": "Agribank"})
            try:
                ent = services.entitlement_propose(actor=director, person=person, group=result.paid[0].group,
                                                   on=start, commune=commune, payment=payment,
                                                   note="Hồ sơ đề nghị do cộng tác viên xã lập")
            except Exception:  # a person the engine offers but the proposal refuses: skip in the demo
                continue
            number += 1
            signed = start - dt.timedelta(days=rng.randint(5, 12))
            services.entitlement_decide(actor=director, entitlement=ent, approve=True, decision={
                "number": f"{number}/QĐ-UBND", "signed_on": signed, "signer_name": rng.choice(SIGNERS),
                "effective_on": start, "summary": f"Về việc hưởng trợ cấp xã hội hằng tháng đối với {person.full_name}"})
            made.append(ent)
            count += 1
    if not made:
        return
    first = communes[0]
    closed = services.payment_list_generate(actor=director, commune=first, month=last_month)
    lines = list(closed.lines.order_by("position"))
    for line in lines[:-1]:  # one person did not come to collect
        services.payment_line_mark_paid(actor=director, line=line, paid=True, signed=True)
    if PaymentList.objects.get(pk=closed.pk).line_count:
        services.payment_list_close(actor=director, payment_list=closed)
    moved = next((e for e in made if e.commune_id == first.pk), None)
    if moved is not None:
        number += 1
        services.entitlement_stop(
            actor=director, entitlement=Entitlement.objects.get(pk=moved.pk), reason=StopReason.MOVED,
            stop_on=last_month + dt.timedelta(days=20), note="Chuyển đến sống cùng con ở tỉnh khác",
            decision={"number": f"{number}/QĐ-UBND", "signed_on": today - dt.timedelta(days=3) if today.day > 3
                      else today, "signer_name": SIGNERS[0]})
    services.payment_list_generate(actor=director, commune=first, month=today.replace(day=1))
    if len(communes) > 1:
        services.payment_list_generate(actor=director, commune=communes[1], month=today.replace(day=1))
