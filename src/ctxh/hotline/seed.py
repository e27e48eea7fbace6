"""Synthetic hotline calls for demos and benchmarks (``ctxh manage seed --calls N``).

Calls already ended, spread over the last years (more in recent ones), taken
by the seeded counsellors (``cases.seed.seed_staff``): mostly on the
province's free line, some on 111, Zalo or in person; a quarter anonymous;
about the people of the province, with topics from the ``call_topic`` list as
it is stored (codes missing from it are skipped); outcomes, urgency and a
follow-up now and then. Some calls are the ones that opened the seeded cases
whose source is a call: same counsellor, same person, started when the case
was reported, outcome "case opened".

Rows are written with ``bulk_create`` in batches, not through the services
(no audit rows: nobody typed these). Deterministic for a given random seed,
database and ``today``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ctxh.accounts.models import User
from ctxh.cases.models import Case
from ctxh.cases.seed import seed_staff
from ctxh.core.bulk import Pick
from ctxh.core.calendar import local_zone
from ctxh.core.models import Term
from ctxh.geo.models import Province
from ctxh.hotline.models import (
    TOPIC_VOCABULARY,
    Call,
    CallerRelation,
    CallSubject,
    Channel,
    HotlineLine,
    Outcome,
    SubjectRole,
    Urgency,
)
from ctxh.people.models import LifeStatus, Person

BATCH = 5_000

TOPICS = Pick([
    ("policy_allowance", 14), ("policy_poverty", 6), ("policy_insurance", 4), ("policy_emergency", 3),
    ("policy_residential", 2), ("crisis_suicide", 2), ("crisis_stress", 8), ("crisis_grief", 2),
    ("dv_partner", 7), ("dv_family", 3), ("child_physical", 4), ("child_sexual", 1), ("child_emotional", 2),
    ("child_neglect", 3), ("trafficking", 0.5), ("disability_certificate", 3), ("disability_support", 3),
    ("elderly_care", 4), ("elderly_pension", 3), ("mental_health", 4), ("legal_aid", 4), ("legal_papers", 3),
    ("livelihood_training", 2), ("livelihood_jobs", 3), ("livelihood_loans", 2), ("family_conflict", 5),
    ("family_divorce", 3), ("family_parenting", 3), ("other", 3),
])
TOPIC_OF_CASE_TYPE = {
    "child_protection": ["child_physical", "child_neglect", "child_emotional", "child_sexual"],
    "gbv": ["dv_partner", "dv_family"], "elderly": ["elderly_care"], "mental_health": ["mental_health"],
    "facility_commune": ["policy_residential"], "general": ["policy_allowance", "policy_emergency"],
}
SUMMARY_OF_TOPIC = {
    "policy": "Hỏi thủ tục, điều kiện hưởng chính sách trợ giúp xã hội; đã hướng dẫn hồ sơ và nơi nộp.",
    "crisis": "Người gọi căng thẳng, lo âu kéo dài; đã lắng nghe, hỗ trợ tâm lý và hẹn gọi lại.",
    "domestic_violence": "Người gọi bị bạo lực gia đình; đã tư vấn an toàn và các nơi hỗ trợ.",
    "child_abuse": "Báo tin trẻ em có dấu hiệu bị xâm hại; đã ghi nhận thông tin để xác minh.",
    "trafficking": "Nghi có người bị lừa bán ra nước ngoài; đã hướng dẫn báo công an.",
    "disability": "Hỏi về xác định mức độ khuyết tật và chế độ hỗ trợ; đã hướng dẫn.",
    "elderly": "Hỏi về chăm sóc người cao tuổi và trợ cấp; đã tư vấn.",
    "mental_health": "Gia đình hỏi về điều trị cho người bệnh tâm thần; đã giới thiệu cơ sở y tế.",
    "legal": "Hỏi về giấy tờ hộ tịch, trợ giúp pháp lý; đã giới thiệu Trung tâm trợ giúp pháp lý.",
    "livelihood": "Hỏi về học nghề, việc làm, vay vốn; đã cung cấp thông tin.",
    "family": "Mâu thuẫn trong gia đình; đã tư vấn cách giải quyết.",
    "": "Đã cung cấp thông tin theo yêu cầu của người gọi.",
}
CHANNELS = Pick([(Channel.PHONE.value, 80), (Channel.ZALO.value, 8), (Channel.WALK_IN.value, 5),
                  (Channel.WEB_FORM.value, 4), (Channel.OTHER.value, 3)])
URGENCY = Pick([(Urgency.LOW.value, 20), (Urgency.NORMAL.value, 60), (Urgency.HIGH.value, 15),
                 (Urgency.EMERGENCY.value, 5)])
OUTCOMES = Pick([(Outcome.ADVICE.value, 65), (Outcome.REFERRED.value, 15), (Outcome.NO_CONTENT.value, 12),
                  (Outcome.ESCALATED.value, 3), (Outcome.CASE_LINKED.value, 5)])
RELATIONS = Pick([(CallerRelation.SELF.value, 40), (CallerRelation.PARENT.value, 20),
                   (CallerRelation.RELATIVE.value, 12), (CallerRelation.NEIGHBOUR.value, 10),
                   (CallerRelation.SPOUSE.value, 8), (CallerRelation.SCHOOL.value, 4),
                   (CallerRelation.OFFICIAL.value, 4), (CallerRelation.OTHER.value, 2)])
SUBJECT_COUNT = Pick([(0, 20), (1, 65), (2, 15)])
REFERRALS = ["Trung tâm trợ giúp pháp lý tỉnh", "Trạm y tế xã", "Phòng Văn hóa - Xã hội", "Công an xã",
             "Bệnh viện tâm thần tỉnh", "Hội Liên hiệp Phụ nữ xã"]
CALLER_NAMES = ["Chị Hoa", "Anh Nam", "Bà Lan", "Ông Bình", "Cô giáo Mai", "Chị Thảo", "Anh Tuấn", ""]
ANONYMOUS_SHARE = 0.25
CALLER_IS_PERSON_SHARE = 0.3
FOLLOW_UP_SHARE = 0.10
CASE_CALL_SHARE = 0.15


def seed_calls(*, province_code: int, calls: int, random_seed: int = 1, today: dt.date | None = None,
               years: int = 6) -> int:
    """Create ``calls`` ended calls in one province; return how many."""
    province = Province.objects.get(pk=province_code)
    zone = local_zone()
    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time(12)), zone)
    seed_staff(province=province, random_seed=random_seed, counsellors=max(2, min(8, 2 + calls // 5_000)),
               collaborators=False)
    counsellors = list(User.objects.filter(username__startswith=f"s{random_seed}-tuvan").order_by("username"))
    people = list(Person.objects.filter(province=province, status=LifeStatus.LIVING).order_by("id")
                  .values_list("id", flat=True))
    if not people:
        raise ValueError(f"Tỉnh {province_code} chưa có đối tượng nào (chạy seed --persons trước).")
    topics = {t.code: t.pk for t in Term.objects.filter(vocabulary=TOPIC_VOCABULARY)}
    parents = dict(Term.objects.filter(vocabulary=TOPIC_VOCABULARY, parent__isnull=False)
                   .values_list("code", "parent__code"))
    lines = {
        "province": HotlineLine.objects.filter(is_active=True, province=province).order_by("position").first(),
        "national": HotlineLine.objects.filter(is_active=True, province__isnull=True).order_by("position").first(),
    }
    rng = random.Random(f"ctxh-seed-calls-{random_seed}")
    start = now - dt.timedelta(days=round(365.25 * years))

    # Calls that opened the seeded cases reported by phone (those without a call yet).
    case_rows = list(
        Case.objects.filter(province=province, source="call", calls__isnull=True)
        .filter(Q(opened_by__in=counsellors)).order_by("id")
        .values_list("id", "person_id", "commune_id", "reported_at", "opened_by_id", "case_type__code")
    )
    linked = rng.sample(case_rows, min(len(case_rows), int(calls * CASE_CALL_SHARE)))
    made = 0
    while made < calls:
        size = min(BATCH, calls - made)
        drafts: list[tuple[Call, list[tuple[int, str]], list[int]]] = []
        for k in range(size):
            n = made + k
            if n < len(linked):
                drafts.append(_case_call(rng, linked[n], topics, lines, province.pk, now))
            else:
                drafts.append(_call(rng, counsellors, people, topics, parents, lines, province.pk, start, now))
        wanted = {pid for _call_row, subs, _t in drafts for pid, _role in subs[:1]}
        communes = dict(Person.objects.filter(pk__in=wanted).values_list("id", "commune_id"))
        for call, subs, _t in drafts:
            if subs and call.case_id is None:
                call.commune_id = communes.get(subs[0][0])
        with transaction.atomic():
            connection = transaction.get_connection()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            rows = Call.objects.bulk_create([d[0] for d in drafts])
            Call.objects.filter(pk__in=[c.pk for c in rows]).update(created_at=F("started_at"))
            subjects, tags = [], []
            through = Call.topics.through
            for call, subs, topic_ids in drafts:
                subjects += [CallSubject(call_id=call.pk, person_id=pid, role=role, position=i)
                             for i, (pid, role) in enumerate(subs)]
                tags += [through(call_id=call.pk, term_id=t) for t in topic_ids]
            CallSubject.objects.bulk_create(subjects, batch_size=2000)
            through.objects.bulk_create(tags, batch_size=2000)
        made += size
    with transaction.get_connection().cursor() as cursor:
        for model in (Call, CallSubject, Call.topics.through):
            cursor.execute(f"ANALYZE {cursor.db.ops.quote_name(model._meta.db_table)}")
    return made


def _moment(rng: random.Random, start: dt.datetime, now: dt.datetime) -> dt.datetime:
    span = (now - start).total_seconds()
    moment = now - dt.timedelta(seconds=span * rng.random() ** 1.4)
    local = timezone.localtime(moment, local_zone())
    hour = rng.choice([7, 8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16, 17, 19, 20, 21, 22])
    when = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    return min(when, now - dt.timedelta(hours=1))


def _line(rng: random.Random, channel: str, lines: dict[str, Any]) -> Any:
    if channel != Channel.PHONE:
        return None
    return lines["national"] if rng.random() < 0.3 and lines["national"] else lines["province"] or lines["national"]


def _follow_up(rng: random.Random, call: Call, now: dt.datetime) -> None:
    if rng.random() >= FOLLOW_UP_SHARE or call.ended_at is None:
        return
    call.follow_up_at = call.ended_at + dt.timedelta(days=rng.randint(1, 7), hours=rng.randint(0, 6))
    call.follow_up_note = "Gọi lại hỏi tình hình, nhắc các bước đã hướng dẫn."
    if call.follow_up_at <= now:
        call.follow_up_done_at = min(now, call.follow_up_at + dt.timedelta(minutes=rng.randint(5, 600)))
        call.follow_up_reminded_at = call.follow_up_at


def _call(rng: random.Random, counsellors: list[Any], people: list[int], topics: dict[str, int],
          parents: dict[str, str], lines: dict[str, Any], province_id: int, start: dt.datetime,
          now: dt.datetime) -> tuple[Call, list[tuple[int, str]], list[int]]:
    channel = CHANNELS(rng)
    started = _moment(rng, start, now)
    counsellor = rng.choice(counsellors)
    codes = list(dict.fromkeys(TOPICS(rng) for _ in range(1 if rng.random() < 0.7 else 2)))
    topic_ids = [topics[c] for c in codes if c in topics]
    outcome = OUTCOMES(rng)
    subjects: list[tuple[int, str]] = []
    for i in range(SUBJECT_COUNT(rng) if outcome != Outcome.NO_CONTENT else 0):
        pid = people[rng.randrange(len(people))]
        if all(pid != s for s, _ in subjects):
            subjects.append((pid, SubjectRole.SUBJECT.value if i == 0 else SubjectRole.FAMILY.value))
    if outcome == Outcome.CASE_LINKED:
        outcome = Outcome.ADVICE.value  # linking needs a case: the linked calls come from the cases
    anonymous = rng.random() < ANONYMOUS_SHARE
    caller_id = None
    if not anonymous and subjects and rng.random() < CALLER_IS_PERSON_SHARE:
        caller_id = subjects[0][0]
    topic_parent = parents.get(codes[0], codes[0]) if codes else ""
    call = Call(
        started_at=started, ended_at=started + dt.timedelta(minutes=rng.randint(2, 40), seconds=rng.randrange(60)),
        channel=channel, line=_line(rng, channel, lines), counsellor=counsellor, caller_anonymous=anonymous,
        caller_id=caller_id, caller_name="" if anonymous else rng.choice(CALLER_NAMES),
        caller_phone="" if anonymous or channel != Channel.PHONE else f"09{rng.randrange(10**8):08d}",
        caller_relation="" if not subjects else (
            CallerRelation.SELF.value if caller_id else RELATIONS(rng)),
        urgency=URGENCY(rng), outcome=outcome,
        summary="" if outcome == Outcome.NO_CONTENT else SUMMARY_OF_TOPIC.get(topic_parent, SUMMARY_OF_TOPIC[""]),
        referred_to=rng.choice(REFERRALS) if outcome == Outcome.REFERRED else "",
        province_id=province_id, commune_id=None, version=rng.randint(2, 4),
    )
    _follow_up(rng, call, now)
    return call, subjects, topic_ids if outcome != Outcome.NO_CONTENT else []


def _case_call(rng: random.Random, row: tuple[Any, ...], topics: dict[str, int], lines: dict[str, Any],
               province_id: int, now: dt.datetime) -> tuple[Call, list[tuple[int, str]], list[int]]:
    """The call that opened a case: its counsellor, person and report time."""
    case_id, person_id, commune_id, reported_at, counsellor_id, type_code = row
    codes = TOPIC_OF_CASE_TYPE.get(type_code, ["other"])
    topic_ids = [topics[c] for c in codes[:1] + ([rng.choice(codes)] if len(codes) > 1 else []) if c in topics]
    channel = Channel.PHONE.value
    ended = min(reported_at + dt.timedelta(minutes=rng.randint(8, 45)), now)
    call = Call(
        started_at=reported_at, ended_at=max(ended, reported_at), channel=channel,
        line=_line(rng, channel, lines), counsellor_id=counsellor_id, caller_anonymous=rng.random() < 0.4,
        caller_relation=RELATIONS(rng), urgency=rng.choice([Urgency.HIGH.value, Urgency.EMERGENCY.value,
                                                            Urgency.NORMAL.value]),
        summary=SUMMARY_OF_TOPIC["child_abuse" if type_code == "child_protection" else ""],
        outcome=Outcome.CASE_OPENED.value, case_id=case_id, province_id=province_id, commune_id=commune_id,
        version=3,
    )
    if call.caller_relation == CallerRelation.SELF:
        call.caller_relation = CallerRelation.RELATIVE.value
    call.caller_name = "" if call.caller_anonymous else rng.choice(CALLER_NAMES)
    return call, [(person_id, SubjectRole.SUBJECT.value)], list(dict.fromkeys(topic_ids))
