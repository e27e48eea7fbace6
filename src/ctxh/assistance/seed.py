"""Synthetic entitlements for ``ctxh seed --entitled N`` (benchmarks, load tests).

Entitlements go to people already seeded in the province (``ctxh seed
--persons``), first those whose registry record already puts them in an
allowance group (disabled, 80+ without pension, poor elderly, single parents,
children without carers), then others drawn at random with a group that fits
their age — and the group membership (and, for disability, a certificate) is
written for them too, so the registry agrees with the entitlement. People 75
and over without a group receive the social pension (from July 2025).

Coefficients and labels come from the rule rows (``assistance.coef.*`` and
their notes) in force on the start date, never from literals here. Each
commune's decisions group the people started in one month (one decision, an
attached list), signed by the title in force on the signing date. About one in
a hundred extra entitlements is already stopped (the person died or moved).

Rows are written with ``COPY`` on PostgreSQL (``ctxh.core.bulk.BulkRows``), in
batches, skipping services and audit on purpose: this is not a record anyone
typed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone

from ctxh.assistance.models import (
    BASE_LEVEL_KEY,
    Decision,
    Entitlement,
    PaymentMethod,
    StopReason,
    month_start,
)
from ctxh.assistance.pay_reference import SIGNER_TITLE_KEY
from ctxh.core.bulk import BulkRows, Pick
from ctxh.core.models import Rule, Term

BATCH = 20_000
PENSION_KEY = "assistance.social_pension.amount"
_METHOD = Pick([(PaymentMethod.CASH.value, 62), (PaymentMethod.POST.value, 26), (PaymentMethod.BANK.value, 12)])
_BANKS = Pick([("Agribank", 40), ("VietinBank", 20), ("BIDV", 20), ("Vietcombank", 15), ("Ngân hàng Chính sách xã hội", 5)])
_SIGNERS = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Phạm Đức Minh", "Lê Văn Thắng", "Hoàng Thị Hoa", "Vũ Quang Huy"]


class _Rules:
    """The rule rows seeding reads: coefficient and label of a group on a date, signer title, pension."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Rule]] = defaultdict(list)
        for row in Rule.objects.filter(key__startswith="assistance.").order_by("key", "-valid_from"):
            self.rows[row.key].append(row)

    def get(self, key: str, on: dt.date) -> Rule | None:
        return next((r for r in self.rows.get(key, ()) if r.valid_from <= on), None)

    def first_from(self, key: str) -> dt.date | None:
        rows = self.rows.get(key)
        return min(r.valid_from for r in rows) if rows else None


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _group_for(term: str | None, age: int, level: str | None, rng: random.Random) -> tuple[str, str] | None:
    """(engine group code, coefficient rule key) for a registry group (or none) and an age."""
    child = age < 16
    elderly = age >= 60
    if term == "d20_5_7" or (term is None and level in ("severe", "especially_severe")):
        lvl = level if level in ("severe", "especially_severe") else "severe"
        who = "child" if child else "elderly" if elderly else "adult"
        band = "adult" if who == "adult" else "child_or_elderly"
        return f"d20_5_7_{lvl}_{who}", f"assistance.coef.d20_5_7.{lvl}.{band}"
    if term == "d20_5_6c":
        return "d20_5_6c", "assistance.coef.d20_5_6c"
    if term == "d20_5_6a":
        return ("d20_5_6a_80", "assistance.coef.d20_5_6a.from80") if age >= 80 else (
            "d20_5_6a_60", "assistance.coef.d20_5_6a.from60")
    if term == "d20_5_5":
        return "d20_5_5", "assistance.coef.d20_5_5.per_child"
    if term == "d20_5_4":
        return "d20_5_4", "assistance.coef.d20_5_4"
    if term == "d20_5_1":
        if age >= 16:
            return None
        return ("d20_5_1_under4", "assistance.coef.d20_5_1.under4") if age < 4 else (
            "d20_5_1_from4", "assistance.coef.d20_5_1.from4")
    return None


def _made_up_group(age: int, rng: random.Random) -> tuple[str, str, str | None]:
    """A group that fits an age, for people the registry puts in none: (term, level, …)."""
    if age >= 80:
        return ("d20_5_6c", "", None) if rng.random() < 0.7 else ("d20_5_6a", "", None)
    if age >= 75:
        return ("pension", "", None) if rng.random() < 0.6 else ("d20_5_6a", "", None)
    if age >= 60:
        return ("d20_5_6a", "", None) if rng.random() < 0.7 else (
            "d20_5_7", "severe" if rng.random() < 0.7 else "especially_severe", "new")
    if age < 16:
        return ("d20_5_1", "", None) if rng.random() < 0.35 else (
            "d20_5_7", "severe" if rng.random() < 0.6 else "especially_severe", "new")
    roll = rng.random()
    if roll < 0.06:
        return ("d20_5_4", "", None)
    if roll < 0.22:
        return ("d20_5_5", "", None)
    return ("d20_5_7", "severe" if rng.random() < 0.68 else "especially_severe", "new")


def _label(rule: Rule, fallback: str) -> str:
    text = (rule.note or fallback).strip().rstrip(".")
    return text[:300]


def seed_entitlements(*, province_code: int, n: int, rng: random.Random, today: dt.date | None = None) -> int:
    """Give ``n`` more people of the province an active entitlement (and ~1% more a stopped one); return how many."""
    from ctxh.people.models import Disability, GroupMembership, Person

    today = today or timezone.localdate()
    rules = _Rules()
    if not rules.get(BASE_LEVEL_KEY, today):
        raise ValueError("Chưa có quy định mức chuẩn trợ giúp xã hội (assistance.base_level).")
    if not any(k.startswith("assistance.coef.") for k in rules.rows):
        raise ValueError("Chưa có hệ số trợ cấp (assistance.coef.*): chạy ctxh manage migrate hoặc nạp "
                         "ctxh.assistance.reference.load_rules.")
    terms = {(t.vocabulary, t.code): t.pk for t in Term.objects.filter(
        vocabulary__in=["allowance_group", "disability_type", "disability_level"])}
    taken = set(Entitlement.objects.filter(province_id=province_code).values_list("person_id", flat=True))

    # People the registry already places in an allowance group.
    registered: dict[int, str] = {}
    for person_id, code in (GroupMembership.objects.filter(
            person__province_id=province_code, group__vocabulary="allowance_group", end_date__isnull=True)
            .order_by("person_id", "-start_date").values_list("person_id", "group__code")):
        registered.setdefault(person_id, code)
    levels = dict(Disability.objects.filter(person__province_id=province_code)
                  .order_by("person_id", "certificate_date").values_list("person_id", "level__code"))

    def people(ids: list[int] | None, limit: int, dead: bool = False) -> list[tuple[Any, ...]]:
        qs = Person.objects.filter(province_id=province_code, commune__isnull=False, birth_date__isnull=False)
        qs = qs.filter(status="deceased", death_date__isnull=False) if dead else qs.filter(status="living")
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        return list(qs.order_by("pk").values_list("pk", "commune_id", "birth_date", "death_date")[:limit])

    chosen: list[tuple[Any, ...]] = []
    reg_ids = [pid for pid in registered if pid not in taken]
    for i in range(0, len(reg_ids), 20_000):
        chosen += people(reg_ids[i:i + 20_000], n - len(chosen))
        if len(chosen) >= n:
            break
    rng.shuffle(chosen)
    chosen = chosen[:n]
    have = {c[0] for c in chosen} | taken
    if len(chosen) < n:
        # Draw the others in one pass over the ids, with a margin for the ones skipped.
        # A hash of the id picks them in the database (the same seed, the same people),
        # so a million people are never loaded into memory for 300,000 of them.
        total = Person.objects.filter(province_id=province_code, status="living").count() or 1
        share = min(1.0, 1.2 * (n - len(chosen)) / max(1, total - len(have)))
        salt = rng.randrange(1, 9973)
        sampled = (Person.objects.filter(province_id=province_code, status="living", commune__isnull=False,
                                         birth_date__isnull=False)
                   .annotate(h=Mod(F("id") * 7919 + salt, 10_000)).filter(h__lt=max(1, round(share * 10_000)))
                   .order_by("pk").values_list("pk", "commune_id", "birth_date", "death_date"))
        pool = [row for row in sampled.iterator(chunk_size=20_000) if row[0] not in have]
        rng.shuffle(pool)
        chosen += pool[: n - len(chosen)]
    stopped_n = max(0, n // 100)
    dead = [row for row in people(None, stopped_n * 3, dead=True) if row[0] not in have][:stopped_n]

    now = timezone.now()
    made = 0
    entries = [(row, False) for row in chosen] + [(row, True) for row in dead]
    for start in range(0, len(entries), BATCH):
        made += _write(entries[start:start + BATCH], rules=rules, terms=terms, registered=registered,
                       levels=levels, rng=rng, today=today, now=now, province_code=province_code)
    with connection.cursor() as cursor:
        for model in (Entitlement, Decision, GroupMembership, Disability):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return made


def _write(entries: list[tuple[tuple[Any, ...], bool]], *, rules: _Rules, terms: dict[tuple[str, str], int],
           registered: dict[int, str], levels: dict[int, str], rng: random.Random, today: dt.date,
           now: dt.datetime, province_code: int) -> int:
    from ctxh.people.models import Disability, GroupMembership

    conn = transaction.get_connection()
    ents = BulkRows(Entitlement, conn, with_id=False, now=now)
    decisions = BulkRows(Decision, conn, with_id=True, now=now)
    groups = BulkRows(GroupMembership, conn, with_id=False, now=now)
    disabilities = BulkRows(Disability, conn, with_id=False, now=now)
    pension_from = rules.first_from(PENSION_KEY)
    decision_of: dict[tuple[int, dt.date, str], int] = {}
    pending: list[tuple[dict[str, Any], tuple[int, dt.date, str], tuple[int, dt.date, str] | None]] = []
    numbers: dict[int, int] = defaultdict(int)
    with transaction.atomic():
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        for (person_id, commune_id, birth, death), is_stopped in entries:
            end = death if is_stopped and death else None
            on = end or today
            age = _age(birth, on)
            term = registered.get(person_id)
            level = levels.get(person_id)
            new_group = False
            if term is None or _group_for(term, age, level, rng) is None:
                term, made_level, flag = _made_up_group(age, rng)
                new_group = flag == "new" or term not in ("pension",)
                level = made_level or level
            years_back = rng.choice([0, 0, 1, 1, 2, 3, 4, 5])
            start_on = month_start(on - dt.timedelta(days=30 * rng.randint(1, 11) + 365 * years_back))
            if term == "pension":
                if pension_from is None or on < pension_from:
                    term, level, new_group = "d20_5_6c" if age >= 80 else "d20_5_6a", None, True
                else:
                    start_on = max(start_on, pension_from)
            if term == "pension":
                row = rules.get(PENSION_KEY, start_on)
                group, key, coefficient = "sp_75", PENSION_KEY, Decimal(1)
                label = "Trợ cấp hưu trí xã hội"
                scheme = "social_pension"
            else:
                found = _group_for(term, age, level, rng)
                if found is None:
                    term, level = "d20_5_7", "severe"
                    found = _group_for(term, age, level, rng)
                assert found is not None
                group, coef_key = found
                row = rules.get(coef_key, start_on) or rules.get(coef_key, on)
                if row is None:
                    continue
                coefficient = Decimal(str(row.value))
                if term == "d20_5_5":
                    coefficient *= rng.choice([1, 1, 1, 2, 2, 3])
                key, label, scheme = BASE_LEVEL_KEY, _label(row, group), "monthly_allowance"
                start_on = max(start_on, row.valid_from)
            if start_on < birth:
                start_on = month_start(birth) if month_start(birth) >= birth else birth
            if end and end < start_on:
                start_on = month_start(end)
            if new_group and term != "pension" and ("allowance_group", term) in terms:
                groups.add({"person_id": person_id, "group_id": terms[("allowance_group", term)],
                            "start_date": start_on, "end_date": end,
                            "source": f"Quyết định hưởng trợ cấp từ {start_on:%d/%m/%Y}"})
                if term == "d20_5_7" and person_id not in levels and ("disability_level", level or "severe") in terms:
                    disabilities.add({
                        "person_id": person_id, "type_id": terms.get(("disability_type", "mobility")),
                        "level_id": terms[("disability_level", level or "severe")],
                        "certificate_number": f"XN-{person_id}", "certificate_date": start_on - dt.timedelta(days=20),
                        "issuing_commune_id": commune_id})
                    levels[person_id] = level or "severe"
            signed_on = start_on - dt.timedelta(days=rng.randint(3, 20))
            dkey = (commune_id, start_on, "start")
            skey = None
            method = _METHOD(rng)
            ent = {
                "person_id": person_id, "scheme": scheme, "group_code": group, "label": label,
                "coefficient": coefficient, "base_rule_key": key, "province_id": province_code,
                "commune_id": commune_id, "payment_method": method,
                "bank_account": f"{rng.randint(10 ** 11, 10 ** 13 - 1)}" if method == "bank" else "",
                "bank_name": _BANKS(rng) if method == "bank" else "",
                "status": Entitlement.Status.STOPPED.value if end else Entitlement.Status.ACTIVE.value,
                "proposed_on": signed_on - dt.timedelta(days=rng.randint(5, 30)), "reasoning": [],
                "start_on": start_on, "version": 1,
            }
            if end:
                ent.update({"stop_on": end, "stop_reason": StopReason.DEATH.value,
                            "stop_note": "Gia đình báo tử, có giấy chứng tử"})
                skey = (commune_id, month_start(end) + dt.timedelta(days=31), "stop")
            for k in (dkey, skey):
                if k is not None and k not in decision_of:
                    decision_of[k] = -1
            pending.append((ent, dkey, skey))
        ids = iter(decisions.reserve_ids(len(decision_of)))
        for k in decision_of:
            commune_id, on, kind = k
            decision_of[k] = next(ids)
            signed = on - dt.timedelta(days=rng.randint(3, 20)) if kind == "start" else month_start(on)
            signed = min(signed, today)
            title = rules.get(SIGNER_TITLE_KEY, signed)
            numbers[signed.year] += 1
            decisions.add({
                "id": decision_of[k], "number": f"{numbers[signed.year]}/QĐ-UBND-{commune_id}",
                "kind": kind, "signed_on": signed, "signer_name": rng.choice(_SIGNERS),
                "signer_title": str(title.value) if title else "Chủ tịch UBND",
                "effective_on": on if kind == "start" else signed, "province_id": province_code,
                "commune_id": commune_id, "document": "",
                "summary": ("Về việc hưởng trợ cấp xã hội hằng tháng (danh sách kèm theo)" if kind == "start"
                            else "Về việc thôi hưởng trợ cấp xã hội hằng tháng (danh sách kèm theo)"),
            })
        for ent, dkey, skey in pending:
            ent["start_decision_id"] = decision_of[dkey]
            if skey is not None:
                ent["stop_decision_id"] = decision_of[skey]
            ents.add(ent)
        for table in (decisions, groups, disabilities, ents):
            table.flush()
    return ents.count
