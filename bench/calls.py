"""The hotline's new-call screen and a worker's caseload as users see them, against the same SQL run bare.

    uv run python bench/calls.py                       # PostgreSQL: 1,000,000 people, 200,000 cases
    uv run python bench/calls.py --clone ctxh_bench    # first run: copy the people of bench/search.py
    uv run python bench/calls.py --sqlite              # SQLite: 100,000 people, 20,000 cases (a laptop)
    uv run python bench/calls.py --requests 100 --explain

It makes its own database (never the ``test`` one): the PostgreSQL database
``ctxh_bench_calls`` (``--clone DB`` creates it as a copy of another, e.g. the
search benchmark's ``ctxh_bench`` with its million people, which saves the
few minutes of seeding them), or a SQLite file under the system temp folder;
migrates it; and seeds Quảng Ninh with ``ctxh seed`` (people) and ``ctxh
manage seed --cases --calls`` unless they are already there. Then, through
Django's test client (session, scoping, selectors, services, templates:
everything but the network), for ``--requests`` calls in a row a counsellor
who covers the province

* opens the new-call screen: ``POST /hotline/calls/new/`` then the
  ``GET /hotline/calls/<id>/`` it is sent to;
* searches a person in it: ``GET /hotline/people/search/?q=…`` (htmx), with
  what counsellors type (folded names, a full name with marks, a name being
  typed, a CCCD prefix, a phone number);
* lets the draft autosave (``POST …/draft/``), saves the call with the person
  found, two topics and a summary (``POST …/edit/``), reloads the screen the
  save redirects to, and saves once more through the API
  (``PATCH /api/v1/calls/<id>``); the call is then ended, untimed;

and the seeded worker ``s1-canbo001``, in charge of exactly 100 open cases
(and of many closed ones), opens their caseload ``GET /cases/`` as often.

A second pass repeats a sample of each request with the queries captured:
their number, and the same SELECTs executed bare on a cursor, one after the
other — the floor any page can reach. It prints p50/p95 of each and the
verdict against the aim (p95 under 150 ms). Results go to ``bench/results/``
as JSON. Timings on shared machines are noisy: compare the ratios and
medians of one run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _bench import ROOT, db_version, git_commit, prepare_database, run_ctxh

HERE = Path(__file__).resolve().parent
PROVINCE = 22
PG_NAME = "ctxh_bench_calls"
COUNSELLOR = "bench-counsellor"
CASE_SEED = 1  # the seeded worker s<seed>-canbo001 has the fixed caseload
WORKER = f"s{CASE_SEED}-canbo001"
WORKER_OPEN_CASES = 100
AIM_MS = 150.0
PICK = re.compile(rb'data-call-pick="(\d+)"')

# What the table shows, in order: key, label.
ROWS = [
    ("open_screen", "mở màn hình cuộc gọi mới (POST + GET)"),
    ("new_post", "  POST /hotline/calls/new/"),
    ("screen_get", "  GET /hotline/calls/<id>/"),
    ("search", "tìm người (GET /hotline/people/search/)"),
    ("draft", "tự lưu nháp (POST …/draft/)"),
    ("save", "lưu cuộc gọi (POST …/edit/)"),
    ("screen_after", "  màn hình sau khi lưu (GET)"),
    ("api_patch", "lưu qua API (PATCH /api/v1/calls/<id>)"),
    ("caseload", "hồ sơ của tôi, 100 đang mở (GET /cases/)"),
]
# The rows the aim is about (the four figures).
AIMED = ["open_screen", "search", "save", "caseload"]


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Đo thời gian màn hình cuộc gọi mới và trang hồ sơ của tôi.")
    parser.add_argument("--sqlite", action="store_true", help="đo trên SQLite (máy cá nhân, dữ liệu nhỏ hơn)")
    parser.add_argument("--persons", type=int, help="số người (mặc định 1.000.000 PostgreSQL, 100.000 SQLite)")
    parser.add_argument("--cases", type=int, help="số hồ sơ (mặc định 200.000 PostgreSQL, 20.000 SQLite)")
    parser.add_argument("--calls", type=int, help="số cuộc gọi cũ (mặc định 20.000 PostgreSQL, 4.000 SQLite)")
    parser.add_argument("--requests", type=int, default=200, help="số lượt đo mỗi thao tác (mặc định 200)")
    parser.add_argument("--profile", type=int, default=30, help="số lượt ghi lại truy vấn để đo SQL (mặc định 30)")
    parser.add_argument("--fresh", action="store_true", help="xóa cơ sở dữ liệu đo cũ và tạo lại")
    parser.add_argument("--clone", metavar="DB", help="PostgreSQL: tạo cơ sở dữ liệu đo bằng cách sao chép DB này")
    parser.add_argument("--explain", action="store_true", help="in kế hoạch truy vấn chậm nhất của mỗi thao tác")
    parser.add_argument("--random-seed", type=int, default=2026, help="chọn truy vấn (không phải dữ liệu)")
    args = parser.parse_args()
    big = not args.sqlite
    args.persons = args.persons or (1_000_000 if big else 100_000)
    args.cases = args.cases if args.cases is not None else (200_000 if big else 20_000)
    args.calls = args.calls if args.calls is not None else (20_000 if big else 4_000)
    return args


def _seed(env: dict[str, str], args: argparse.Namespace) -> dict[str, float | None]:
    from ctxh.cases.models import Case
    from ctxh.hotline.models import Call
    from ctxh.people.models import Person

    took: dict[str, float | None] = {"persons_s": None, "cases_s": None, "calls_s": None}
    have = Person.objects.filter(province_id=PROVINCE).count()
    if have < args.persons:
        print(f"Tạo {args.persons - have:,} người (đang có {have:,})…", flush=True)
        took["persons_s"] = run_ctxh(env, "seed", "--province", str(PROVINCE), "--persons", str(args.persons - have),
                                  "--random-seed", str(1 + (have > 0)))
    cases = Case.objects.filter(province_id=PROVINCE).count()
    if cases < args.cases:
        print(f"Tạo {args.cases - cases:,} hồ sơ (đang có {cases:,})…", flush=True)
        took["cases_s"] = run_ctxh(env, "manage", "seed", "--province", str(PROVINCE), "--cases",
                                str(args.cases - cases), "--random-seed", str(CASE_SEED))
    calls = Call.objects.filter(province_id=PROVINCE, ended_at__isnull=False).count()
    if calls < args.calls:
        print(f"Tạo {args.calls - calls:,} cuộc gọi (đang có {calls:,})…", flush=True)
        took["calls_s"] = run_ctxh(env, "manage", "seed", "--province", str(PROVINCE), "--calls",
                                str(args.calls - calls), "--random-seed", str(CASE_SEED))
    return took


def _fresh_statistics() -> None:
    """Statistics and visibility map as autovacuum keeps them in service (see bench/search.py)."""
    from django.db import connection

    tables = ["people_person", "cases_case", "cases_casemember", "cases_casedeadline", "cases_caseevent",
              "cases_plan", "cases_closure", "hotline_call", "hotline_callsubject", "hotline_call_topics",
              "people_groupmembership"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def _counsellor() -> Any:
    """A counsellor of the provincial Centre: covers the whole province, opens no case here."""
    from ctxh.accounts.models import Membership, Organization, User
    from ctxh.accounts.services import membership_grant
    from ctxh.geo.models import Province

    province = Province.objects.get(pk=PROVINCE)
    org, _ = Organization.objects.get_or_create(
        name="Trung tâm CTXH (đo hiệu năng)", province=province, defaults={"kind": "centre"})
    user, _ = User.objects.get_or_create(username=COUNSELLOR, defaults={"full_name": "Tư Vấn Đo Hiệu Năng"})
    if not Membership.objects.filter(user=user, organization=org, role="counsellor").exists():
        membership_grant(actor=None, user=user, organization=org, role="counsellor", whole_province=True)
    return user


def _end_open_call(user: Any) -> None:
    """A counsellor has one open call at most: end the one a previous run left open."""
    from ctxh.hotline import services
    from ctxh.hotline.models import Call

    call = Call.objects.filter(counsellor=user, ended_at__isnull=True).first()
    if call is not None:
        call = services.call_save(actor=user, call=call, data={"outcome": "no_content"},
                                  expected_version=call.version)
        services.call_end(actor=user, call=call)


def _queries(count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the seeded people, as counsellors type them during a call."""
    from ctxh.core.text import fold
    from ctxh.people.models import Person

    rng = random.Random(seed)
    top = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample: list[tuple[str, str, str]] = []
    while len(sample) < count:
        ids = [rng.randint(1, top) for _ in range(count)]
        sample += list(Person.objects.filter(pk__in=ids, province_id=PROVINCE)
                       .values_list("full_name", "cccd", "phone"))
    rng.shuffle(sample)
    kinds = [("hai từ không dấu", 35), ("họ tên đủ dấu", 20), ("đang gõ (tiền tố)", 15), ("ba từ không dấu", 10),
             ("CCCD (8 số đầu)", 10), ("điện thoại", 10)]
    out: list[tuple[str, str]] = []
    i = 0
    while len(out) < count:
        name, cccd, phone = sample[i % len(sample)]
        i += 1
        words = fold(name).split()
        kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        if kind == "hai từ không dấu":
            q = f"{words[0]} {words[-1]}"
        elif kind == "họ tên đủ dấu":
            q = name
        elif kind == "đang gõ (tiền tố)":
            q = f"{words[0]} {words[-1][:2]}"
        elif kind == "ba từ không dấu":
            q = " ".join(words[:2] + words[-1:])
        elif kind == "CCCD (8 số đầu)":
            if not cccd:
                continue
            q = cccd[:8]
        else:
            if not phone:
                continue
            q = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
        out.append((kind, q))
    return out


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": _pct(values, 50), "p95_ms": _pct(values, 95), "mean_ms": statistics.fmean(values),
        "max_ms": max(values), "n": len(values),
    }


class _Run:
    """Times requests (ms) by key; in the profile pass also captures their SQL."""

    def __init__(self, capture: bool) -> None:
        self.capture = capture
        self.ms: dict[str, list[float]] = {}
        self.queries: dict[str, list[list[str]]] = {}
        self.counts: dict[str, list[int]] = {}

    def __call__(self, key: str, do: Callable[[], Any]) -> Any:
        if not self.capture:
            t0 = time.perf_counter()
            response = do()
            self.ms.setdefault(key, []).append((time.perf_counter() - t0) * 1000)
            return response
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = do()
        sqls = [q["sql"] for q in captured.captured_queries]
        self.counts.setdefault(key, []).append(len(sqls))
        self.queries.setdefault(key, []).append([s for s in sqls if s.lstrip().upper().startswith("SELECT")])
        return response


def _call_form(call_id: int, version: int, person_id: int | None, topics: list[int], line: int | None,
               summary: str) -> dict[str, Any]:
    """What the screen posts (the draft autosave posts the same fields)."""
    data: dict[str, Any] = {
        "_form": "call", "version": str(version), "channel": "phone", "line": str(line or ""),
        "caller_name": "Chị Hoa", "caller_phone": "0912 345 678", "caller_relation": "parent",
        "urgency": "high", "summary": summary, "outcome": "advice", "referred_to": "", "follow_up_at": "",
        "follow_up_note": "", "topics": [str(t) for t in topics], "case_type": "", "case_person": "",
        "case_number": "",
    }
    if person_id:
        data["subject"] = [str(person_id)]
        data["subject_role"] = ["subject"]
    return data


def _flow(run: _Run, client: Any, user: Any, q: str, topics: list[int], line: int | None, n: int) -> None:
    """One call from "New call" to its save; the end is untimed."""
    from ctxh.hotline import services
    from ctxh.hotline.models import Call

    response = run("new_post", lambda: client.post("/hotline/calls/new/", {"channel": "phone"}))
    assert response.status_code == 302, ("new", response.status_code)
    url = response["Location"]
    call_id = int(url.rstrip("/").rsplit("/", 1)[-1])
    response = run("screen_get", lambda: client.get(url))
    assert response.status_code == 200, ("screen", response.status_code)
    response = run("search", lambda: client.get("/hotline/people/search/", {"q": q}, HTTP_HX_REQUEST="true"))
    assert response.status_code == 200, ("search", q, response.status_code)
    found = PICK.search(response.content)
    person_id = int(found.group(1)) if found else None
    version = Call.objects.values_list("version", flat=True).get(pk=call_id)
    summary = f"Mẹ gọi báo con bị bạn cùng lớp bắt nạt, đã tư vấn cách trao đổi với nhà trường (lượt {n})."
    form = _call_form(call_id, version, person_id, topics, line, summary)
    response = run("draft", lambda: client.post(f"/hotline/calls/{call_id}/draft/", form, HTTP_HX_REQUEST="true"))
    assert response.status_code == 200, ("draft", response.status_code)
    response = run("save", lambda: client.post(f"/hotline/calls/{call_id}/edit/", {**form, "action": "save"}))
    assert response.status_code == 302, ("save", response.status_code, response.content[:300])
    response = run("screen_after", lambda: client.get(response["Location"]))
    assert response.status_code == 200, ("after", response.status_code)
    version = Call.objects.values_list("version", flat=True).get(pk=call_id)
    payload = {"version": version, "summary": summary + " Hẹn gọi lại sau một tuần.", "urgency": "normal"}
    response = run("api_patch", lambda: client.patch(f"/api/v1/calls/{call_id}", json.dumps(payload),
                                                     content_type="application/json"))
    assert response.status_code == 200, ("api", response.status_code, response.content[:300])
    services.call_end(actor=user, call=Call.objects.get(pk=call_id))


def _raw_ms(selects: list[str]) -> float:
    """The request's SELECTs run bare on a cursor, one after the other."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for sql in selects:
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            total += (time.perf_counter() - t0) * 1000
    return total


def _slowest_select(samples: list[list[str]]) -> tuple[float, str]:
    from django.db import connection

    best = (0.0, "")
    with connection.cursor() as cursor:
        for sql in {s for sample in samples for s in sample}:
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            ms = (time.perf_counter() - t0) * 1000
            best = max(best, (ms, sql))
    return best


def _explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def main() -> int:
    args = _args()
    env = prepare_database(postgres=not args.sqlite, pg_name=PG_NAME, sqlite_folder=f"calls-sqlite-{args.persons}-{args.cases}",
                           fresh=args.fresh, clone=args.clone)
    where = f"PostgreSQL {PG_NAME}" if not args.sqlite else env["CTXH_DATA_DIR"]
    print(f"Cơ sở dữ liệu: {where}", flush=True)
    run_ctxh(env, "manage", "migrate", "--no-input", "-v", "0")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from ctxh.accounts.models import User
    from ctxh.cases import selectors as case_selectors
    from ctxh.cases.models import Case, CaseMember
    from ctxh.core.models import Term
    from ctxh.hotline.models import Call, HotlineLine
    from ctxh.people.models import Person

    seeding = _seed(env, args)
    _fresh_statistics()
    counts = {
        "persons": Person.objects.filter(province_id=PROVINCE).count(),
        "cases": Case.objects.filter(province_id=PROVINCE).count(),
        "open_cases": Case.objects.filter(province_id=PROVINCE, closed_at__isnull=True).count(),
        "sealed_cases": Case.objects.filter(province_id=PROVINCE, sealed=True).count(),
        "calls": Call.objects.filter(province_id=PROVINCE).count(),
        "case_members": CaseMember.objects.count(),
    }

    counsellor = _counsellor()
    _end_open_call(counsellor)
    worker = User.objects.get(username=WORKER)
    worker_open = case_selectors.my_cases(worker).count()
    counts["worker_open_cases"] = worker_open
    counts["worker_team_cases"] = CaseMember.objects.filter(user=worker, ended_at__isnull=True).count()
    if worker_open != WORKER_OPEN_CASES:
        print(f"Lưu ý: {WORKER} có {worker_open} hồ sơ đang mở, không phải {WORKER_OPEN_CASES}.")
    topics = list(Term.objects.filter(vocabulary="call_topic", code__in=["child_emotional", "family_parenting"])
                  .values_list("pk", flat=True)) or list(
        Term.objects.filter(vocabulary="call_topic").values_list("pk", flat=True)[:2])
    line = HotlineLine.objects.filter(province_id=PROVINCE, is_active=True).values_list("pk", flat=True).first()

    counsellor_client = Client()
    counsellor_client.force_login(counsellor)
    worker_client = Client()
    worker_client.force_login(worker)
    probe = worker_client.get("/cases/")
    caseload_note = ""
    if probe.status_code != 200:
        caseload_note = f"/cases/ trả về {probe.status_code}"
        print(caseload_note)
        return 1
    queries = _queries(args.requests + 10, args.random_seed)

    print(f"Khởi động (10 lượt), rồi đo {args.requests} lượt…", flush=True)
    warm = _Run(capture=False)
    for _, q in queries[:10]:
        _flow(warm, counsellor_client, counsellor, q, topics, line, 0)
        warm("caseload", lambda: worker_client.get("/cases/"))

    run = _Run(capture=False)
    kinds: dict[str, list[float]] = {}
    for n, (kind, q) in enumerate(queries[10:], start=1):
        _flow(run, counsellor_client, counsellor, q, topics, line, n)
        kinds.setdefault(kind, []).append(run.ms["search"][-1])
        response = run("caseload", lambda: worker_client.get("/cases/"))
        assert response.status_code == 200
    run.ms["open_screen"] = [a + b for a, b in zip(run.ms["new_post"], run.ms["screen_get"], strict=True)]

    print(f"Ghi lại truy vấn ({args.profile} lượt)…", flush=True)
    prof = _Run(capture=True)
    for n, (_, q) in enumerate(queries[10:10 + args.profile], start=1):
        _flow(prof, counsellor_client, counsellor, q, topics, line, n)
        prof("caseload", lambda: worker_client.get("/cases/"))
    prof.queries["open_screen"] = [a + b for a, b in zip(prof.queries["new_post"], prof.queries["screen_get"],
                                                         strict=True)]
    prof.counts["open_screen"] = [a + b for a, b in zip(prof.counts["new_post"], prof.counts["screen_get"],
                                                        strict=True)]

    result: dict[str, Any] = {
        "database": connection.vendor, "database_version": db_version(connection), **counts,
        "requests": args.requests, "profiled": args.profile, "seeding": seeding,
        "python": platform.python_version(), "machine": platform.node(), "commit": git_commit(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "aim_p95_ms": AIM_MS, "rows": {},
    }
    for key, _label in ROWS:
        raw = [_raw_ms(sample) for sample in prof.queries[key]]
        slow_ms, slow_sql = _slowest_select(prof.queries[key])
        result["rows"][key] = {
            "page": _summary(run.ms[key]), "raw_sql": _summary(raw),
            "queries": {"min": min(prof.counts[key]), "max": max(prof.counts[key]),
                        "median": statistics.median(prof.counts[key])},
            "slowest_select": {"ms": slow_ms, "sql": slow_sql},
        }
    result["search_by_kind"] = {k: {"n": len(v), "p50_ms": _pct(v, 50), "max_ms": max(v)} for k, v in kinds.items()}
    _print(result)
    if args.explain:
        for key, label in ROWS:
            row = result["rows"][key]
            if key in ("open_screen",) or not row["slowest_select"]["sql"]:
                continue
            print(f"\nEXPLAIN — {label.strip()}: truy vấn chậm nhất ({row['slowest_select']['ms']:.1f} ms)")
            print(row["slowest_select"]["sql"][:600])
            print(_explain(row["slowest_select"]["sql"]))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"calls-{connection.vendor}-{counts['persons']}-{counts['cases']}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(f"\nĐã lưu {path.relative_to(ROOT)}")
    return 0


def _print(r: dict[str, Any]) -> None:
    print(f"\n{r['database']} {r['database_version']} — {r['persons']:,} người, {r['cases']:,} hồ sơ "
          f"({r['open_cases']:,} đang mở, {r['sealed_cases']:,} niêm phong), {r['calls']:,} cuộc gọi; "
          f"{r['requests']} lượt mỗi thao tác")
    print(f"{WORKER}: {r['worker_open_cases']} hồ sơ đang mở, trong nhóm của {r['worker_team_cases']} hồ sơ "
          f"(kể cả đã đóng)")
    print(f"\n{'':44}{'p50':>7}{'p95':>7}{'max':>7}   {'SQL p50':>7}{'SQL p95':>8}{'truy vấn':>9}")
    for key, label in ROWS:
        row = r["rows"][key]
        page, raw, q = row["page"], row["raw_sql"], row["queries"]
        count = f"{q['min']}" if q["min"] == q["max"] else f"{q['min']}–{q['max']}"
        mark = ""
        if key in AIMED:
            mark = "  đạt" if page["p95_ms"] < AIM_MS else "  CHƯA ĐẠT"
        print(f"{label:44}{page['p50_ms']:7.1f}{page['p95_ms']:7.1f}{page['max_ms']:7.1f}   "
              f"{raw['p50_ms']:7.1f}{raw['p95_ms']:8.1f}{count:>9}{mark}")
    print(f"(ms; mục tiêu p95 < {AIM_MS:.0f} ms cho bốn dòng có đánh dấu; SQL: các SELECT của yêu cầu chạy trần, "
          f"{r['profiled']} lượt)")
    print("\ntìm người theo loại truy vấn (p50 / max, ms):")
    for kind, s in r["search_by_kind"].items():
        print(f"  {kind:20} n={s['n']:3}  {s['p50_ms']:7.1f} / {s['max_ms']:7.1f}")


if __name__ == "__main__":
    raise SystemExit(main())
