"""Synthetic case files for demos, tests and benchmarks (``ctxh manage seed --cases N``).

The cases have to look like a provincial Centre's caseload to the code that is
measured on them: the six case types in realistic shares (child protection
the largest), most cases closed and a tenth or so still open, spread over
their steps; gender-based violence and some child sexual-abuse cases sealed;
a team on every case (the worker in charge, the person who took the report,
sometimes a co-worker, a supervisor, the commune's collaborator, and an
earlier worker in charge for the reassigned ones); the legal deadlines the
engine would have started, done on time, done late, cancelled by the closure
or still running (some overdue); and the timeline events, plans and closure
requests a real case leaves behind.

Every case walks its type's steps and transitions as they are stored
(``CaseStep``, ``CaseTransition``, ``DeadlineTrigger`` rows), so the data
follows the table an administrator keeps, not a copy of it here; deadlines
come from the rule rows and the working-day calendar, like ``workflow``.

Rows are written straight into the tables (``COPY`` on PostgreSQL; see
``BulkRows``), a few thousand cases per transaction, not through the services:
200,000 cases through ``case_open`` and the engine (audit rows,
notifications, row locks) would take hours, and nobody typed these. The
staff they need (a director, case workers, counsellors, one collaborator per
commune) are made through ``membership_grant``, with ``s<seed>-`` user names
and unusable passwords.

Everything random comes from the random seed: the same seed, database and
``today`` give the same cases. Each case draws from its own stream
(seeded from the random seed and the case's index), so the two passes (decide which cases are
open, then write them) see the same case.

The first case worker (``s<seed>-canbo001``, ``SeedResult.bench_worker``) is
in charge of exactly ``worker_open_cases`` open cases (100 by default) and is
on the team of no other open case: the benchmark's worker with a known load.
The hotline's calls are seeded by ``ctxh.hotline.seed`` on the same staff.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ctxh.accounts.models import Membership, Organization, Role, User
from ctxh.accounts.services import membership_grant
from ctxh.cases.models import (
    Case,
    CaseCounter,
    CaseDeadline,
    CaseEvent,
    CaseMember,
    CaseStep,
    CaseTransition,
    CaseType,
    ClockEvent,
    Closure,
    DeadlineTrigger,
    MemberRole,
    Plan,
    RiskLevel,
    StepKind,
    TransitionKind,
)
from ctxh.cases.reference import RULE_SEALED_GROUPS
from ctxh.cases.selectors import due_soon_window
from ctxh.cases.workflow import EVENT_OF_KIND
from ctxh.core.bulk import BulkRows, Pick
from ctxh.core.calendar import WorkingCalendar, local_zone
from ctxh.core.models import Rule, Term
from ctxh.geo.models import Commune, Province
from ctxh.people.models import GroupMembership, LifeStatus, Person

BATCH = 2_000
T = TypeVar("T")




# --- The mix ------------------------------------------------------------------------
# Shares of the case types (a type an administrator added gets a small share).
TYPE_SHARES = {
    "child_protection": 34, "facility_commune": 22, "elderly": 14, "gbv": 12, "general": 10,
    "mental_health": 8,
}
OTHER_TYPE_SHARE = 3

# Who the case is about: pools of living people of the province, by type.
PEOPLE_BY_TYPE: dict[str, list[tuple[str, float]]] = {
    "child_protection": [("child", 1)],
    "gbv": [("woman", 9), ("adult", 1)],
    "elderly": [("elder", 1)],
    "mental_health": [("adult", 1)],
    "facility_commune": [("child", 3), ("elder", 3), ("adult", 4)],
    "general": [("any", 1)],
}

SOURCES: dict[str, list[tuple[str, float]]] = {
    "child_protection": [("call", 35), ("collaborator", 25), ("school", 15), ("police", 10), ("health", 5),
                         ("walk_in", 5), ("other", 5)],
    "gbv": [("call", 40), ("police", 20), ("walk_in", 20), ("health", 10), ("collaborator", 10)],
    "": [("collaborator", 35), ("walk_in", 25), ("call", 20), ("health", 10), ("other", 10)],
}

# Mean days spent in a step of each kind (log-normal around it); implementation is long-tailed.
STEP_DAYS = {
    StepKind.INTAKE: 1.0, StepKind.ASSESSMENT: 6.0, StepKind.PLAN: 8.0, StepKind.IMPLEMENTATION: 70.0,
    StepKind.REVIEW: 14.0, StepKind.CLOSURE: 5.0,
}
SPREAD = {StepKind.IMPLEMENTATION: 1.0}
DEFAULT_SPREAD = 0.8
# A child at serious risk: reported, then assessed within hours (the 12-hour clock runs).
SERIOUS_INTAKE_DAYS = 0.05
SERIOUS_ASSESSMENT_DAYS = 0.25
SERIOUS_RISK_SHARE = {"child_protection": 0.2}
# After a review the plan goes on, at most twice, before the closure is asked for.
REVIEW_CONTINUE = 0.4
MAX_REVIEW_LOOPS = 2
# Closed right after the first assessment (no risk found, refused, no contact).
EARLY_CLOSURE = {"child_protection": 0.15}
EARLY_CLOSURE_DEFAULT = 0.08
# Child protection cases of sexual abuse: sealed although the type is not.
SEALED_SHARE = {"child_protection": 0.10}

CLOSURE_REASONS_FULL = Pick([("goals_met", 80), ("transferred", 8), ("refused", 4), ("deceased", 2),
                              ("other", 6)])
CLOSURE_REASONS_EARLY = Pick([("no_risk", 60), ("refused", 15), ("no_contact", 20), ("other", 5)])
RISK = Pick([(RiskLevel.HIGH.value, 20), (RiskLevel.MEDIUM.value, 45), (RiskLevel.LOW.value, 35)])

REASSIGNED_SHARE = 0.10
CO_WORKER_SHARE = 0.12
SUPERVISOR_SHARE = 0.08
COLLABORATOR_SHARE = 0.30
DIRECTOR_OPENS_SHARE = 0.10

# Local hours at which reports come in.
REPORT_HOURS = Pick([(h, 4) for h in range(7, 12)] + [(h, 4) for h in range(13, 17)]
                     + [(h, 1.5) for h in range(17, 22)] + [(h, 0.5) for h in (22, 23, 0, 5, 6)])

SUMMARIES: dict[str, tuple[list[str], list[str]]] = {
    "child_protection": (
        ["Hàng xóm báo trẻ thường xuyên bị cha đánh, có vết bầm ở tay và lưng.",
         "Nhà trường báo học sinh nghỉ học nhiều ngày, gia đình không liên lạc được.",
         "Người dân báo trẻ bị bỏ mặc ở nhà một mình, thiếu ăn.",
         "Mẹ của trẻ báo trẻ bị người quen có hành vi xâm hại.",
         "Công an xã chuyển thông tin trẻ bị bạo lực tinh thần, đe dọa.",
         "Trẻ mồ côi cha, mẹ đi làm xa, sống với ông bà già yếu."],
        ["Đề nghị đánh giá nguy cơ và hỗ trợ.", "Gia đình đồng ý phối hợp.",
         "Cộng tác viên xã đã đến nhà xác minh.", "Cần can thiệp sớm."],
    ),
    "gbv": (
        ["Chị bị chồng đánh nhiều lần khi say rượu.", "Nạn nhân bị bạo lực tình dục, cần hỗ trợ y tế và pháp lý.",
         "Chị bị chồng đe dọa, kiểm soát tiền bạc, không cho đi làm.",
         "Người phụ nữ bị bạo lực, đề nghị được đến nơi tạm lánh."],
        ["Đề nghị hỗ trợ nơi tạm lánh.", "Cần tư vấn pháp lý.", "Đã giới thiệu khám sức khỏe.",
         "Giữ bí mật thông tin người báo tin."],
    ),
    "elderly": (
        ["Cụ sống một mình, sức khỏe yếu, không có người chăm sóc.",
         "Người cao tuổi bị con cái bỏ mặc, thiếu ăn.", "Cụ bị sa sút trí tuệ, gia đình không đủ khả năng chăm sóc."],
        ["Đề nghị xem xét trợ cấp xã hội.", "Cần chăm sóc tại nhà.", "Đề nghị tiếp nhận vào cơ sở."],
    ),
    "mental_health": (
        ["Gia đình báo người bệnh tâm thần bỏ điều trị, có biểu hiện kích động.",
         "Thanh niên trầm cảm, có ý định tự hại.", "Người bệnh tâm thần phân liệt sống một mình."],
        ["Cần kết nối điều trị.", "Đề nghị hỗ trợ tâm lý cho gia đình.", "Theo dõi sát."],
    ),
    "facility_commune": (
        ["Đối tượng bảo trợ xã hội cần đánh giá nhu cầu chăm sóc.",
         "Trẻ em có hoàn cảnh đặc biệt tại cơ sở trợ giúp xã hội.",
         "Người khuyết tật nặng cần kế hoạch trợ giúp."],
        ["Lập kế hoạch chăm sóc.", "Phối hợp với UBND xã.", "Đề nghị hỗ trợ học nghề."],
    ),
    "": (
        ["Người dân đề nghị hỗ trợ thủ tục hưởng trợ cấp xã hội.",
         "Hộ nghèo gặp khó khăn đột xuất sau thiên tai.", "Người có HIV cần hỗ trợ sinh kế."],
        ["Đề nghị hỗ trợ.", "Cần hướng dẫn thủ tục.", "Phối hợp với các ngành liên quan."],
    ),
}

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
_MIDDLE = ["Thị", "Văn", "Thu", "Minh", "Thanh", "Ngọc", "Đức", "Hồng"]
_GIVEN = ["Hương", "Lan", "Tuấn", "Hà", "Dũng", "Mai", "Nam", "Thảo", "Hùng", "Linh", "Phương", "Sơn"]


# --- Staff ----------------------------------------------------------------------------

@dataclass
class Staff:
    """The seeded users: ``workers[0]`` carries the fixed open caseload."""

    director: Any
    workers: list[Any]
    counsellors: list[Any]
    collaborators: dict[int, Any]  # commune code -> that commune's collaborator


def _staff_name(username: str) -> str:
    r = random.Random(username)
    return f"{r.choice(_FAMILY)} {r.choice(_MIDDLE)} {r.choice(_GIVEN)}"


def _staff_user(username: str, org: Organization, role: str, *, whole: bool,
                communes: list[Commune] | None = None) -> Any:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=_staff_name(username))
        user.set_unusable_password()
        user.save()
    if not Membership.objects.filter(user=user, organization=org, role=role, is_active=True).exists():
        membership_grant(actor=None, user=user, organization=org, role=role, whole_province=whole,
                         communes=communes or [])
    return user


def seed_staff(*, province: Province, random_seed: int = 1, workers: int = 2, counsellors: int = 2,
               collaborators: bool = True) -> Staff:
    """The Centre's director, case workers and counsellors, and a collaborator per commune.

    Idempotent: users and memberships already there are reused, so a second
    run (or the call seeder) finds the same staff.
    """
    prefix = f"s{random_seed}-"
    centre_name = f"Trung tâm Công tác xã hội {province.name} (dữ liệu tổng hợp)"
    centre = Organization.objects.filter(name=centre_name, province=province).first() or \
        Organization.objects.create(name=centre_name, kind=Organization.Kind.CENTRE, province=province)
    director = _staff_user(f"{prefix}lanhdao", centre, Role.DIRECTOR, whole=True)
    worker_users = [_staff_user(f"{prefix}canbo{i:03d}", centre, Role.CASE_WORKER, whole=True)
                    for i in range(1, max(2, workers) + 1)]
    counsellor_users = [_staff_user(f"{prefix}tuvan{i:02d}", centre, Role.COUNSELLOR, whole=True)
                        for i in range(1, max(1, counsellors) + 1)]
    field_staff: dict[int, Any] = {}
    if collaborators:
        for commune in Commune.objects.filter(province=province).order_by("code"):
            name = f"UBND {commune.name} (dữ liệu tổng hợp)"
            org = Organization.objects.filter(name=name, commune=commune).first() or Organization.objects.create(
                name=name, kind=Organization.Kind.COMMUNE_COMMITTEE, province=province, commune=commune)
            field_staff[commune.pk] = _staff_user(f"{prefix}ctv{commune.pk}", org, Role.COLLABORATOR, whole=False,
                                                  communes=[commune])
    return Staff(director=director, workers=worker_users, counsellors=counsellor_users,
                 collaborators=field_staff)


# --- Reference data, read once ------------------------------------------------------------

@dataclass
class _Trigger:
    step: CaseStep
    rule_key: str
    start: tuple[str, str | None]
    stop: tuple[str, str | None]
    serious_only: bool
    name: str
    pk: int


@dataclass
class _TypeInfo:
    case_type: CaseType
    steps: list[CaseStep]
    by_code: dict[str, CaseStep]
    moves: dict[tuple[str, str], CaseTransition]
    triggers: list[_Trigger]
    closure: CaseStep | None
    closed: CaseStep | None

    def next_on_path(self, step: CaseStep) -> CaseStep | None:
        """The next step by position that a transition leads to."""
        later = [s for s in self.steps if s.position > step.position]
        for s in later:
            if (step.code, s.code) in self.moves:
                return s
        return None

    def kind_step(self, kind: str) -> CaseStep | None:
        return next((s for s in self.steps if s.kind == kind), None)


def _type_infos() -> dict[str, _TypeInfo]:
    today = timezone.localdate()
    infos: dict[str, _TypeInfo] = {}
    types = CaseType.objects.filter(valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    for ct in types.order_by("position", "code"):
        steps = list(CaseStep.objects.filter(case_type=ct).order_by("position"))
        if not steps:
            continue
        by_id = {s.pk: s for s in steps}
        moves: dict[tuple[str, str], CaseTransition] = {}
        for t in CaseTransition.objects.filter(case_type=ct).order_by("position", "code"):
            moves.setdefault((by_id[t.from_step_id].code, by_id[t.to_step_id].code), t)
        triggers = [
            _Trigger(step=by_id[tr.step_id], rule_key=tr.rule_key,
                     start=(tr.start_event, by_id[tr.start_step_id].code if tr.start_step_id else None),
                     stop=(tr.stop_event, by_id[tr.stop_step_id].code if tr.stop_step_id else None),
                     serious_only=tr.serious_risk_only, name=tr.name, pk=tr.pk)
            for tr in DeadlineTrigger.objects.filter(case_type=ct).order_by("id")
        ]
        info = _TypeInfo(case_type=ct, steps=steps, by_code={s.code: s for s in steps}, moves=moves,
                         triggers=triggers, closure=None, closed=None)
        info.closure = info.kind_step(StepKind.CLOSURE)
        info.closed = info.kind_step(StepKind.CLOSED)
        infos[ct.code] = info
    return infos


class _Deadlines:
    """``deadline_due`` with the rule rows read once (the calendar reads its rows once per year)."""

    def __init__(self) -> None:
        self.calendar = WorkingCalendar()
        self.rows: dict[str, list[tuple[dt.date, Any]]] = {}
        self.zone = local_zone()

    def due(self, rule_key: str, start: dt.datetime) -> dt.datetime | None:
        if rule_key not in self.rows:
            self.rows[rule_key] = list(Rule.objects.filter(key=rule_key).order_by("valid_from")
                                       .values_list("valid_from", "value"))
        local = start.astimezone(self.zone)
        rows = self.rows[rule_key]
        i = bisect.bisect_right([r[0] for r in rows], local.date()) - 1
        if i < 0:
            return None  # no rule in force then: the engine would refuse too
        value = rows[i][1]
        if not isinstance(value, dict) or len(value) != 1:
            return None
        ((unit, amount),) = value.items()
        if unit == "hours":
            return local + dt.timedelta(hours=amount)
        if unit == "working_days":
            return self.calendar.add_working_days(local, int(amount))
        return None


# --- One case's life, before it is rows ----------------------------------------------------

@dataclass(slots=True)
class _Life:
    """What happened to one case up to ``now``."""

    type_code: str
    reported_at: dt.datetime
    opened_at: dt.datetime
    serious: bool
    step: CaseStep
    moves: list[tuple[CaseTransition, dt.datetime]]
    clock: list[tuple[str, str | None, dt.datetime]]  # (event, step code, at), in order
    plan_started_at: dt.datetime | None = None
    plan_submitted_at: dt.datetime | None = None
    plan_approved_at: dt.datetime | None = None
    closure_requested_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    assessed: bool = False
    early: bool = False


def _days(rng: random.Random, mean: float, spread: float) -> dt.timedelta:
    value = mean * math.exp(spread * rng.gauss(0, 1) - spread * spread / 2)
    return dt.timedelta(days=value)


@dataclass
class _World:
    infos: dict[str, _TypeInfo]
    type_pick: Pick[str]
    now: dt.datetime
    start: dt.datetime
    random_seed: int
    zone: Any = field(default_factory=local_zone)


def _case_rng(world: _World, index: int) -> random.Random:
    return random.Random(world.random_seed * 1_000_003 + index)


def _reported_at(world: _World, rng: random.Random, info: _TypeInfo) -> dt.datetime:
    """More cases in recent years (the system was taken up gradually)."""
    earliest = max(world.start, timezone.make_aware(
        dt.datetime.combine(info.case_type.valid_from, dt.time(8)), world.zone))
    span = (world.now - earliest).total_seconds()
    moment = world.now - dt.timedelta(seconds=span * rng.random() ** 1.4)
    local = moment.astimezone(world.zone)
    when = local.replace(hour=REPORT_HOURS(rng), minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    if when > world.now - dt.timedelta(minutes=30):
        when = world.now - dt.timedelta(minutes=30 + rng.randrange(600))
    return max(when, earliest)


def _live(world: _World, rng: random.Random) -> _Life:
    """Draw one case's type, report time and path through its steps up to now."""
    type_code = world.type_pick(rng)
    info = world.infos[type_code]
    reported = _reported_at(world, rng, info)
    serious = rng.random() < SERIOUS_RISK_SHARE.get(type_code, 0.0)
    opened = min(reported + dt.timedelta(minutes=rng.randint(10, 180) if serious else rng.randint(10, 60 * 24)),
                 world.now - dt.timedelta(minutes=5))
    opened = max(opened, reported)
    step = info.steps[0]
    life = _Life(type_code=type_code, reported_at=reported, opened_at=opened, serious=serious, step=step,
                 moves=[], clock=[(ClockEvent.OPENED, None, reported), (ClockEvent.STEP_ENTERED, step.code, opened)])
    early = rng.random() < EARLY_CLOSURE.get(type_code, EARLY_CLOSURE_DEFAULT)
    loops = 0
    assessments = 0
    t = opened
    while step.kind != StepKind.CLOSED:
        kind = step.kind
        mean = STEP_DAYS.get(kind, 10.0)
        if serious and kind == StepKind.INTAKE:
            mean = SERIOUS_INTAKE_DAYS
        elif kind == StepKind.ASSESSMENT:
            assessments += 1
            if serious and assessments == 1:
                mean = SERIOUS_ASSESSMENT_DAYS
            elif assessments > 1:
                mean = 10.0
        elif kind == StepKind.IMPLEMENTATION and loops:
            mean = 45.0
        spent = _days(rng, mean, SPREAD.get(kind, DEFAULT_SPREAD))
        if kind == StepKind.PLAN:
            life.plan_started_at = t
            submitted = t + spent * 0.7
            if submitted <= world.now:
                life.plan_submitted_at = submitted
                life.clock.append((ClockEvent.PLAN_SUBMITTED, None, submitted))
        leave = t + spent
        if leave > world.now:
            break
        nxt: CaseStep | None
        if kind == StepKind.ASSESSMENT and assessments == 1 and early and info.closure is not None:
            nxt = info.closure
            life.early = True
        elif kind == StepKind.REVIEW and loops < MAX_REVIEW_LOOPS and rng.random() < REVIEW_CONTINUE:
            nxt = info.kind_step(StepKind.IMPLEMENTATION)
            loops += 1
        else:
            nxt = info.next_on_path(step)
        move = info.moves.get((step.code, nxt.code)) if nxt is not None else None
        if nxt is None or move is None:
            break  # a table without a way on: the case waits here
        if kind == StepKind.ASSESSMENT:
            life.assessed = True
        life.moves.append((move, leave))
        if move.kind == TransitionKind.APPROVE_PLAN:
            life.plan_approved_at = leave
            life.clock.append((ClockEvent.PLAN_APPROVED, None, leave))
        if move.kind == TransitionKind.REQUEST_CLOSURE:
            life.closure_requested_at = leave
        life.clock.append((ClockEvent.STEP_LEFT, step.code, leave))
        life.clock.append((ClockEvent.STEP_ENTERED, nxt.code, leave))
        if nxt.kind == StepKind.CLOSED:
            life.closed_at = leave
            life.clock.append((ClockEvent.CLOSED, None, leave))
        step = nxt
        t = leave
    life.step = step
    return life


# --- Writing ------------------------------------------------------------------------------

@dataclass
class SeedResult:
    cases: int = 0
    open_cases: int = 0
    sealed: int = 0
    members: int = 0
    deadlines: int = 0
    events: int = 0
    plans: int = 0
    closures: int = 0
    bench_worker: str = ""
    bench_worker_open: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


def _people_pools(province: Province, today: dt.date) -> dict[str, list[int]]:
    def years_ago(n: int) -> dt.date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    living = Person.objects.filter(province=province, status=LifeStatus.LIVING)

    def ids(qs: Any) -> list[int]:
        return list(qs.order_by("id").values_list("id", flat=True))

    return {
        "child": ids(living.filter(birth_date__gt=years_ago(16))),
        "elder": ids(living.filter(birth_date__lte=years_ago(60))),
        "woman": ids(living.filter(sex="female", birth_date__lte=years_ago(16))),
        "adult": ids(living.filter(birth_date__lte=years_ago(18))),
        "any": ids(living),
    }


def _sealed_people(today: dt.date) -> set[int]:
    """People in the beneficiary groups whose cases are sealed (the rule row lists them)."""
    row = Rule.objects.filter(key=RULE_SEALED_GROUPS, valid_from__lte=today).order_by("-valid_from").first()
    groups = list((row.value or {}).get("groups", [])) if row else []
    if not groups:
        return set()
    return set(GroupMembership.objects.filter(group__code__in=groups, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)).values_list("person_id", flat=True))


def _summary(rng: random.Random, type_code: str) -> str:
    first, second = SUMMARIES.get(type_code, SUMMARIES[""])
    return f"{rng.choice(first)} {rng.choice(second)}"




def seed_cases(
    *, province_code: int, cases: int, random_seed: int = 1, today: dt.date | None = None, years: int = 6,
    worker_open_cases: int = 100, workers: int | None = None, counsellors: int | None = None,
) -> SeedResult:
    """Create ``cases`` synthetic case files about the people of one province.

    ``today`` fixes the present (noon of that day, local time) for a
    reproducible run; by default it is now. Reports go back ``years`` years.
    ``workers`` (default: one per thousand cases, 2 to 300) and
    ``counsellors`` (default: 2 to 8) size the seeded staff. The first worker
    ends up in charge of ``worker_open_cases`` open cases in all (a second run
    adds none to them if they already have that many).
    """
    province = Province.objects.get(pk=province_code)
    zone = local_zone()
    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time(12)), zone)
    today = timezone.localdate(now)
    infos = _type_infos()
    if not infos:
        raise ValueError("Chưa có loại trường hợp nào (chạy migrate trước).")
    pools = _people_pools(province, today)
    if not pools["any"]:
        raise ValueError(f"Tỉnh {province_code} chưa có đối tượng nào (chạy seed --persons trước).")
    type_pick = Pick([(code, TYPE_SHARES.get(code, OTHER_TYPE_SHARE)) for code in infos])
    world = _World(infos=infos, type_pick=type_pick, now=now, random_seed=random_seed,
                   start=now - dt.timedelta(days=round(365.25 * years)))
    staff = seed_staff(province=province, random_seed=random_seed,
                       workers=workers or max(2, min(300, round(cases / 1000))),
                       counsellors=counsellors or max(2, min(8, 2 + cases // 25_000)))
    bench_worker = staff.workers[0]
    already = _open_cases_of(bench_worker)

    # Pass 1: when each case was reported and whether it is still open.
    order: list[tuple[dt.datetime, int, bool]] = []
    for i in range(cases):
        life = _live(world, _case_rng(world, i))
        order.append((life.reported_at, i, life.closed_at is None))
    order.sort()
    open_positions = [pos for pos, (_, _, is_open) in enumerate(order) if is_open]
    picker = random.Random(f"ctxh-seed-cases-{random_seed}")
    bench = set(picker.sample(open_positions, max(0, min(worker_open_cases - already, len(open_positions)))))

    connection = transaction.get_connection()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    writer = _Writer(world=world, staff=staff, pools=pools, sealed_people=_sealed_people(today),
                     reasons={t.code: t.pk for t in Term.objects.filter(vocabulary="case_closure_reason")},
                     deadlines=_Deadlines(), province=province)
    result = SeedResult(bench_worker=bench_worker.username)
    for start in range(0, len(order), BATCH):
        chunk = order[start:start + BATCH]
        writer.write([(i, start + k in bench) for k, (_, i, _) in enumerate(chunk)], result)
    writer.save_counters()
    _analyze(connection)
    result.bench_worker_open = _open_cases_of(bench_worker)
    return result


def _open_cases_of(user: Any) -> int:
    """Open cases the user is on the team of (what their caseload page lists)."""
    return Case.objects.filter(closed_at__isnull=True, pk__in=CaseMember.objects.filter(
        user=user, ended_at__isnull=True).values("case_id")).count()


class _Writer:
    """Turns drawn lives into rows, one batch (one transaction) at a time."""

    TABLES = (("members", CaseMember), ("deadlines", CaseDeadline), ("events", CaseEvent), ("plans", Plan),
              ("closures", Closure))

    def __init__(self, *, world: _World, staff: Staff, pools: dict[str, list[int]], sealed_people: set[int],
                 reasons: dict[str, int], deadlines: _Deadlines, province: Province) -> None:
        self.world = world
        self.staff = staff
        self.pools = pools
        self.sealed_people = sealed_people
        self.reasons = reasons
        self.deadlines = deadlines
        self.province = province
        self.pool_pick = {code: Pick(PEOPLE_BY_TYPE.get(code, [("any", 1)])) for code in world.infos}
        self.source_pick = {code: Pick(SOURCES.get(code, SOURCES[""])) for code in world.infos}
        self.counters: dict[int, int] = dict(CaseCounter.objects.values_list("year", "last"))
        self.soon = due_soon_window()
        self.bench = staff.workers[0]
        self.others = staff.workers[1:] or staff.workers
        self.names = {u.pk: str(u) for u in [staff.director, *staff.workers, *staff.counsellors,
                                               *staff.collaborators.values()]}
        self.step_of = {s.pk: s for info in world.infos.values() for s in info.steps}

    def _number(self, reported: dt.datetime) -> str:
        year = timezone.localtime(reported, self.world.zone).year
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"HS-{year}-{self.counters[year]:06d}"

    def save_counters(self) -> None:
        for year, last in self.counters.items():
            CaseCounter.objects.update_or_create(year=year, defaults={"last": last})

    def _person(self, rng: random.Random, type_code: str) -> int:
        pool = self.pools.get(self.pool_pick[type_code](rng)) or self.pools["any"]
        return pool[rng.randrange(len(pool))]

    def write(self, items: list[tuple[int, bool]], result: SeedResult) -> None:
        drawn = []
        for index, to_bench in items:
            rng = _case_rng(self.world, index)
            life = _live(self.world, rng)
            drawn.append((rng, life, to_bench, self._person(rng, life.type_code)))
        communes = dict(Person.objects.filter(pk__in={d[3] for d in drawn}).values_list("id", "commune_id"))
        connection = transaction.get_connection()
        now = timezone.now()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # synthetic rows can be made again
                    cursor.execute("SET LOCAL synchronous_commit = off")
            cases = BulkRows(Case, connection, with_id=True, now=now)
            tables = {name: BulkRows(model, connection, with_id=False, now=now) for name, model in self.TABLES}
            ids = cases.reserve_ids(len(drawn))
            for case_id, (rng, life, to_bench, person_id) in zip(ids, drawn, strict=True):
                self._case(cases, tables, case_id, rng, life, to_bench, person_id, communes.get(person_id),
                           result)
            cases.flush()
            for table in tables.values():
                table.flush()
        for name, table in tables.items():
            setattr(result, name, getattr(result, name) + table.count)

    def _case(self, cases: BulkRows, tables: dict[str, BulkRows], case_id: int, rng: random.Random, life: _Life,
              to_bench: bool, person_id: int, commune_id: int | None, result: SeedResult) -> None:
        world, staff = self.world, self.staff
        info = world.infos[life.type_code]
        is_open = life.closed_at is None
        director = staff.director
        names = self.names
        # Only the bench worker's own cases put them on an open case's team.
        pool = self.others if is_open else staff.workers
        lead = self.bench if to_bench else rng.choice(pool)
        source = self.source_pick[life.type_code](rng)
        collaborator = staff.collaborators.get(commune_id) if commune_id is not None else None
        if source == "call":
            opened_by = rng.choice(staff.counsellors)
        elif source == "collaborator" and collaborator is not None:
            opened_by = collaborator
        elif rng.random() < DIRECTOR_OPENS_SHARE:
            opened_by = director
        else:
            opened_by = rng.choice(pool)
        sealed = bool(info.case_type.sealed_by_default or person_id in self.sealed_people
                      or rng.random() < SEALED_SHARE.get(life.type_code, 0.0))
        risk = ""
        if life.assessed:
            risk = RiskLevel.HIGH.value if life.serious else RISK(rng)
        end = life.closed_at or world.now
        number = self._number(life.reported_at)

        def within(at: dt.datetime) -> dt.datetime:
            return min(at, end)

        members: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []

        def member(user: Any, role: str, at: dt.datetime, by: Any, **more: Any) -> None:
            members.append({"case_id": case_id, "user_id": user.pk, "role": role, "assigned_at": at,
                            "assigned_by_id": by.pk, **more})

        def event(kind: str, actor: Any, at: dt.datetime, data: dict[str, Any]) -> None:
            events.append({"case_id": case_id, "kind": kind, "actor_id": actor.pk, "at": at, "data": data})

        def assigned(user: Any, role: str, at: dt.datetime, **more: Any) -> None:
            event(CaseEvent.Kind.ASSIGNED, director, at,
                  {"user": user.pk, "user_name": names[user.pk], "role": role, **more})

        step0 = info.steps[0]
        event(CaseEvent.Kind.OPENED, opened_by, life.opened_at, {
            "number": number, "type": life.type_code, "step": step0.code, "step_name": step0.name,
            "source": source, "serious_risk": life.serious, "sealed": sealed})
        if opened_by.pk != lead.pk:  # a worker who took the report and is put in charge has one row
            member(opened_by, MemberRole.INTAKE, life.opened_at, opened_by)
        on_team = {opened_by.pk, lead.pk}
        assigned_at = within(life.opened_at + dt.timedelta(hours=rng.uniform(0.2, 30)))
        before = rng.choice(staff.workers) if rng.random() < REASSIGNED_SHARE else None
        if before is not None and before.pk not in on_team:
            handed_at = within(assigned_at + (end - assigned_at) * rng.uniform(0.1, 0.6))
            member(before, MemberRole.LEAD, assigned_at, director, ended_at=handed_at, ended_by_id=director.pk,
                   end_reason="Phân công người khác")
            assigned(before, MemberRole.LEAD.value, assigned_at)
            assigned(lead, MemberRole.LEAD.value, handed_at, previous=before.pk, previous_name=names[before.pk])
            assigned_at = handed_at
        else:
            assigned(lead, MemberRole.LEAD.value, assigned_at)
        member(lead, MemberRole.LEAD, assigned_at, director)
        extra: list[tuple[Any, str]] = []
        if rng.random() < CO_WORKER_SHARE:
            extra.append((rng.choice(pool), MemberRole.CO_WORKER.value))
        if rng.random() < SUPERVISOR_SHARE:
            extra.append((rng.choice(pool), MemberRole.SUPERVISOR.value))
        if collaborator is not None and rng.random() < COLLABORATOR_SHARE:
            extra.append((collaborator, MemberRole.COLLABORATOR.value))
        for user, role in extra:
            if user.pk in on_team:
                continue
            on_team.add(user.pk)
            at = within(assigned_at + dt.timedelta(hours=rng.uniform(1, 72)))
            member(user, role, at, director)
            assigned(user, role, at)

        for move, at in life.moves:
            frm, to = self.step_of[move.from_step_id], self.step_of[move.to_step_id]
            event(EVENT_OF_KIND[move.kind], director if move.requires_capability else lead, at, {
                "transition": move.code, "name": move.name, "from": frm.code, "from_name": frm.name,
                "to": to.code, "to_name": to.name})
        if life.plan_started_at is not None:
            plan: dict[str, Any] = {
                "case_id": case_id, "number": 1, "status": Plan.Status.DRAFT.value, "created_by_id": lead.pk,
                "created_at": life.plan_started_at,
                "goals": "Bảo đảm an toàn và đáp ứng các nhu cầu ưu tiên đã đánh giá."}
            if life.plan_submitted_at is not None:
                plan.update(status=Plan.Status.SUBMITTED.value, submitted_by_id=lead.pk,
                            submitted_at=life.plan_submitted_at)
                event(CaseEvent.Kind.PLAN_SUBMITTED, lead, life.plan_submitted_at, {"plan": 1})
            if life.plan_approved_at is not None:
                plan.update(status=Plan.Status.APPROVED.value, approved_by_id=director.pk,
                            approved_at=life.plan_approved_at)
            tables["plans"].add(plan)
        if life.closure_requested_at is not None:
            code = (CLOSURE_REASONS_EARLY if life.early else CLOSURE_REASONS_FULL)(rng)
            reason = self.reasons.get(code) or next(iter(self.reasons.values()), None)
            if reason is not None:
                closure: dict[str, Any] = {
                    "case_id": case_id, "reason_id": reason, "requested_by_id": lead.pk,
                    "requested_at": life.closure_requested_at, "status": Closure.Status.REQUESTED.value,
                    "outcome": "Đối tượng an toàn, ổn định; đã kết nối các dịch vụ cần thiết."}
                if life.closed_at is not None:
                    closure.update(status=Closure.Status.APPROVED.value, approved_by_id=director.pk,
                                   decided_at=life.closed_at)
                tables["closures"].add(closure)
        for d in self._deadlines(info, life):
            d["case_id"] = case_id
            tables["deadlines"].add(d)
        for m in members:
            tables["members"].add(m)
        for e in events:
            tables["events"].add(e)
        cases.add({
            "id": case_id, "number": number, "case_type_id": info.case_type.pk, "status": life.step.code,
            "sealed": sealed, "person_id": person_id, "province_id": self.province.pk, "commune_id": commune_id,
            "summary": _summary(rng, life.type_code), "source": source, "reported_at": life.reported_at,
            "serious_risk": life.serious, "risk_level": risk, "opened_by_id": opened_by.pk,
            "assigned_to_id": lead.pk, "closed_at": life.closed_at, "created_at": life.opened_at,
            "updated_at": max(e["at"] for e in events),
            "version": 1 + len(life.moves) + sum(1 for e in events if e["kind"] == CaseEvent.Kind.ASSIGNED),
        })
        result.cases += 1
        result.open_cases += is_open
        result.sealed += sealed
        result.by_type[life.type_code] = result.by_type.get(life.type_code, 0) + 1

    def _deadlines(self, info: _TypeInfo, life: _Life) -> list[dict[str, Any]]:
        """The clocks ``workflow.start_clocks``/``stop_clocks`` would have run along this path."""
        out = []
        now = self.world.now
        for trig in info.triggers:
            if trig.serious_only and not life.serious:
                continue
            start_at = next((at for ev, code, at in life.clock if (ev, code) == trig.start), None)
            if start_at is None:
                continue
            started = life.reported_at if trig.start[0] == ClockEvent.OPENED else start_at
            due = self.deadlines.due(trig.rule_key, started)
            if due is None:
                continue
            stop_at = next((at for ev, code, at in life.clock if (ev, code) == trig.stop and at >= start_at), None)
            d: dict[str, Any] = {"step_id": trig.step.pk, "trigger_id": trig.pk, "rule_key": trig.rule_key,
                                 "name": trig.name, "started_at": started, "due_at": due}
            if stop_at is not None:
                d["done_at"] = stop_at
            elif life.closed_at is not None:
                d["done_at"], d["cancelled"] = life.closed_at, True
            else:  # still running: the reminder task has already sent what was due
                if due - self.soon <= now:
                    d["reminded_at"] = max(started, due - self.soon)
                if due <= now:
                    d["overdue_reminded_at"] = due
            out.append(d)
        return out


def _analyze(connection: Any) -> None:
    """Fresh planner statistics after a bulk load (autovacuum would get there minutes later)."""
    tables = [m._meta.db_table for m in (Case, CaseMember, CaseDeadline, CaseEvent, Plan, Closure)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
