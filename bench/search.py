"""Person search as a user sees it, against the same SQL run bare.

    uv run python bench/search.py                 # SQLite, 200,000 people
    uv run python bench/search.py --postgres      # PostgreSQL, 1,000,000 people
    uv run python bench/search.py --persons 50000 --requests 100 --explain

It makes its own database (never the ``test`` one): a SQLite file under the
system temp folder, or the PostgreSQL database ``ctxh_bench``; migrates it; and
seeds Quảng Ninh with ``ctxh seed`` unless the people are already there. Then,
for a mix of queries a counsellor types (folded words with and without marks, a
CCCD prefix, a phone number), it times

* the search fragment ``GET /people/search/?q=…`` through Django's test client,
  logged in as a case worker who covers the whole province (session, scoping,
  selector, template: everything but the network);
* ``GET /api/v1/people?q=…&limit=20`` the same way, if the API answers;
* the selector's own SQL, captured while the page ran it, executed bare on a
  cursor — the floor any view can reach;

and prints p50/p95 of each and the ratio page/SQL. Results go to
``bench/results/`` as JSON. Timings on shared machines are noisy: compare the
ratios and medians of one run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from pathlib import Path
from typing import Any

from _bench import ROOT, db_version, git_commit, prepare_database, run_ctxh

HERE = Path(__file__).resolve().parent
PROVINCE = 22
USERNAME = "bench-caseworker"

# Queries counsellors type, besides those drawn from the data below.
FIXED_QUERIES = ["dang han", "Nguyễn Thị Hương", "tuan", "nguyen van", "tran thi mai", "Hân"]


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Đo thời gian tìm kiếm đối tượng (trang và SQL).")
    parser.add_argument("--postgres", action="store_true", help="đo trên PostgreSQL (ctxh_bench)")
    parser.add_argument("--persons", type=int, help="số người (mặc định 200.000 SQLite, 1.000.000 PostgreSQL)")
    parser.add_argument("--requests", type=int, default=200, help="số lượt tìm (mặc định 200)")
    parser.add_argument("--fresh", action="store_true", help="xóa cơ sở dữ liệu đo cũ và tạo lại")
    parser.add_argument("--explain", action="store_true", help="in kế hoạch truy vấn của 3 truy vấn chậm nhất")
    parser.add_argument("--random-seed", type=int, default=2026, help="chọn truy vấn (không phải dữ liệu)")
    return parser.parse_args()


def _user() -> Any:
    """A case worker at the provincial centre: covers the whole province."""
    from ctxh.accounts.models import Membership, Organization, User
    from ctxh.accounts.services import membership_grant
    from ctxh.geo.models import Province

    province = Province.objects.get(pk=PROVINCE)
    org, _ = Organization.objects.get_or_create(
        name="Trung tâm CTXH (đo hiệu năng)", province=province, defaults={"kind": "centre"})
    user, _ = User.objects.get_or_create(username=USERNAME, defaults={"full_name": "Đo Hiệu Năng"})
    if not Membership.objects.filter(user=user, organization=org).exists():
        membership_grant(actor=None, user=user, organization=org, role="case_worker", whole_province=True)
    return user


def _queries(count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the seeded people, in the proportions people type them."""
    from ctxh.core.text import fold
    from ctxh.people.models import Person

    rng = random.Random(seed)
    top = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample: list[tuple[str, str, str]] = []
    while len(sample) < count:
        ids = [rng.randint(1, top) for _ in range(count)]
        sample += list(Person.objects.filter(pk__in=ids).values_list("full_name", "cccd", "phone"))
    rng.shuffle(sample)
    kinds = [
        ("hai từ không dấu", 30), ("họ tên đủ dấu", 20), ("một từ", 15), ("ba từ không dấu", 10),
        ("tên + tên đệm", 5), ("CCCD (8 số đầu)", 10), ("điện thoại", 10),
    ]
    out: list[tuple[str, str]] = [("cố định", q) for q in FIXED_QUERIES]
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
        elif kind == "một từ":
            q = words[-1]
        elif kind == "ba từ không dấu":
            q = " ".join(words[:2] + words[-1:])
        elif kind == "tên + tên đệm":
            q = f"{words[-1]} {words[-2]}"
        elif kind == "CCCD (8 số đầu)":
            if not cccd:
                continue
            q = cccd[:8]
        else:
            if not phone:
                continue
            q = f"{phone[:4]} {phone[4:7]} {phone[7:]}"  # typed with spaces
        out.append((kind, q))
    return out[:count]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": _pct(values, 50), "p95_ms": _pct(values, 95), "mean_ms": statistics.fmean(values),
        "max_ms": max(values),
    }


def _selector_sql(user: Any, q: str) -> list[str]:
    """The SQL the page's selector (``person_search``) runs for ``q``, parameters inlined.

    It is two statements: the first matches in any order, then those sorted by
    given name; the baseline runs both, bare, one after the other.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ctxh.people.selectors import person_search

    with CaptureQueriesContext(connection) as captured:
        person_search(user=user, q=q, limit=20)
    return [c["sql"] for c in captured.captured_queries if "people_person" in c["sql"]]


def _explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def main() -> int:
    args = _args()
    if args.persons is None:
        args.persons = 1_000_000 if args.postgres else 200_000
    env = prepare_database(postgres=args.postgres, pg_name="ctxh_bench", sqlite_folder=f"sqlite-{args.persons}", fresh=args.fresh)
    print(f"Cơ sở dữ liệu: {'PostgreSQL ctxh_bench' if args.postgres else env['CTXH_DATA_DIR']}", flush=True)
    run_ctxh(env, "manage", "migrate", "--no-input", "-v", "0")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from ctxh.people.models import Person

    have = Person.objects.filter(province_id=PROVINCE).count()
    seeding_s = None
    if have < args.persons:
        print(f"Tạo {args.persons - have:,} người (đang có {have:,})…", flush=True)
        started = time.monotonic()
        run_ctxh(env, "seed", "--province", str(PROVINCE), "--persons", str(args.persons - have),
              "--random-seed", str(1 + (have > 0)))
        seeding_s = time.monotonic() - started
    elif have > args.persons:
        print(f"Lưu ý: đã có {have:,} người, nhiều hơn {args.persons:,}; đo trên số đang có.")
    persons = Person.objects.filter(province_id=PROVINCE).count()
    # Fresh statistics, as autovacuum (PostgreSQL) or ``PRAGMA optimize`` (SQLite) keep them in
    # service: a migration may have added indexes since the seed analysed the tables, and
    # VACUUM sets PostgreSQL's visibility map, which index-only scans need.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person" if connection.vendor == "postgresql" else "ANALYZE")

    user = _user()
    client = Client()
    client.force_login(user)
    queries = _queries(args.requests, args.random_seed)

    probe = client.get("/people/search/", {"q": "nguyen"}, HTTP_HX_REQUEST="true")
    page_body = probe.content.decode()
    if probe.status_code != 200 or "<li>" not in page_body:
        print(f"Trang /people/search/ trả về {probe.status_code} không có kết quả: {page_body[:120]!r}")
        return 1
    api_probe = client.get("/api/v1/people", {"q": "nguyen", "limit": 20})
    api_note = ""
    if api_probe.status_code != 200:
        api_note = f"/api/v1/people trả về {api_probe.status_code}: bỏ qua phần API."
        print(api_note)

    # Warm the caches the same way for all three paths.
    for _, q in queries[:20]:
        client.get("/people/search/", {"q": q}, HTTP_HX_REQUEST="true")

    rows: list[dict[str, Any]] = []
    with connection.cursor() as cursor:
        for kind, q in queries:
            statements = _selector_sql(user, q)
            t0 = time.perf_counter()
            response = client.get("/people/search/", {"q": q}, HTTP_HX_REQUEST="true")
            t1 = time.perf_counter()
            assert response.status_code == 200, (q, response.status_code)
            found = response.content.count(b"<li>")
            api_ms = None
            if not api_note:
                a0 = time.perf_counter()
                api = client.get("/api/v1/people", {"q": q, "limit": 20})
                api_ms = (time.perf_counter() - a0) * 1000
                assert api.status_code == 200, (q, api.status_code)
            r0 = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                raw_rows = cursor.fetchall()
            r1 = time.perf_counter()
            rows.append({
                "kind": kind, "q": q, "found": found, "raw_rows": len(raw_rows),
                "page_ms": (t1 - t0) * 1000, "api_ms": api_ms, "raw_ms": (r1 - r0) * 1000, "sql": statements,
            })

    page = [r["page_ms"] for r in rows]
    raw = [r["raw_ms"] for r in rows]
    result: dict[str, Any] = {
        "database": connection.vendor, "database_version": db_version(connection),
        "persons": persons, "requests": len(rows), "seeding_s": seeding_s,
        "python": platform.python_version(), "machine": platform.node(),
        "commit": git_commit(), "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "page": _summary(page), "raw_sql": _summary(raw),
        "ratio_p50": _pct(page, 50) / _pct(raw, 50), "ratio_p95": _pct(page, 95) / _pct(raw, 95),
        "no_results": sum(1 for r in rows if r["found"] == 0), "api_note": api_note,
        "aim_p95_ms": 50 if connection.vendor == "postgresql" else 100,
    }
    if not api_note:
        api_values = [r["api_ms"] for r in rows]
        result["api"] = _summary(api_values)
        result["api_ratio_p50"] = _pct(api_values, 50) / _pct(raw, 50)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r)
    result["by_kind"] = {
        k: {"n": len(v), "page_p50_ms": _pct([r["page_ms"] for r in v], 50),
            "page_max_ms": max(r["page_ms"] for r in v), "raw_p50_ms": _pct([r["raw_ms"] for r in v], 50)}
        for k, v in by_kind.items()
    }
    result["slowest"] = sorted(rows, key=lambda r: -r["page_ms"])[:10]
    _print(result)
    if args.explain:
        for r in result["slowest"][:3]:
            print(f"\nEXPLAIN — “{r['q']}” ({r['page_ms']:.1f} ms trang, {r['raw_ms']:.1f} ms SQL)")
            print(_explain(r["sql"]))
    result["rows"] = rows
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"search-{connection.vendor}-{persons}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(f"\nĐã lưu {path.relative_to(ROOT)}")
    return 0


def _print(r: dict[str, Any]) -> None:
    print(f"\n{r['database']} {r['database_version']} — {r['persons']:,} người, {r['requests']} lượt tìm"
          f" ({r['no_results']} không có kết quả)")
    print(f"{'':24}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'max ms':>9}")
    lines = [("trang /people/search/", r["page"]), ("SQL của selector", r["raw_sql"])]
    if "api" in r:
        lines.insert(1, ("API /api/v1/people", r["api"]))
    for label, s in lines:
        print(f"{label:24}{s['p50_ms']:9.1f}{s['p95_ms']:9.1f}{s['mean_ms']:9.1f}{s['max_ms']:9.1f}")
    print(f"tỉ lệ trang/SQL: p50 {r['ratio_p50']:.2f}×, p95 {r['ratio_p95']:.2f}×"
          + (f"; API/SQL p50 {r['api_ratio_p50']:.2f}×" if "api" in r else ""))
    verdict = "đạt" if r["page"]["p95_ms"] < r["aim_p95_ms"] else "CHƯA ĐẠT"
    print(f"mục tiêu p95 < {r['aim_p95_ms']} ms: {verdict}")
    print("\ntheo loại truy vấn (trang p50 / max, SQL p50, ms):")
    for kind, s in r["by_kind"].items():
        print(f"  {kind:20} n={s['n']:3}  {s['page_p50_ms']:7.1f} / {s['page_max_ms']:7.1f}  {s['raw_p50_ms']:7.1f}")
    print("\nchậm nhất (trang ms, SQL ms, số kết quả):")
    for row in r["slowest"][:6]:
        print(f"  {row['page_ms']:7.1f} {row['raw_ms']:7.1f} {row['found']:3}  {row['q']}")


if __name__ == "__main__":
    raise SystemExit(main())
