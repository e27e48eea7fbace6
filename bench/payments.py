"""A province's monthly payment lists: generating them all and exporting them to Excel, against raw SQL.

    uv run python bench/payments.py                     # PostgreSQL: 1,000,000 people, 300,000 entitled
    uv run python bench/payments.py --rounds 5
    uv run python bench/payments.py --sqlite            # SQLite: 100,000 people, 30,000 entitled (a laptop)
    uv run python bench/payments.py --fresh             # drop the benchmark database and start again

It makes its own database (never the ``test`` one): the PostgreSQL database
``ctxh_bench_pay`` (``--clone DB`` creates it as a copy of another one with a
million people, e.g. ``ctxh_bench``), or a SQLite file under the system temp
folder; migrates it; loads the assistance rule rows; seeds Quảng Ninh with
``ctxh seed --persons`` and ``ctxh seed --entitled`` unless they are there.

Each round, for one month (the current one by default), with the lists of
that month removed first (untimed):

* **generate** — ``payment_lists_generate_province``, the service behind the
  province page and its task: every commune's list, set-based (one
  ``INSERT … SELECT`` per chunk of communes, arrears settled, totals, audit);
* **export** — ``exports.province_xlsx``: one workbook, a summary sheet and a
  sheet per commune with every line, group totals and signatures
  (xlsxwriter, constant memory);

and the baselines, in the same round:

* **raw insert** — the service's own ``INSERT … SELECT`` statements (captured
  in the same round, with the ``SET LOCAL`` settings it makes) executed bare on
  a cursor, in one transaction, after deleting the lines;
* **raw read** — the same lines ``SELECT``-ed bare on a cursor, every row
  fetched (the floor of any export), and on PostgreSQL ``COPY … TO STDOUT``
  in CSV (the floor of writing a file).

It prints the median of each over the rounds, the ratios service/raw and the
verdict for the aim of the issue: generating and exporting a province's month
in under 60 s. Results go to ``bench/results/payments-*.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _bench import ROOT, db_version, git_commit, prepare_database, run_ctxh

HERE = Path(__file__).resolve().parent
PROVINCE = 22
PG_NAME = "ctxh_bench_pay"
DIRECTOR = "bench-director"
AIM_S = 60.0


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Đo thời gian lập danh sách chi trả toàn tỉnh và xuất Excel.")
    parser.add_argument("--sqlite", action="store_true", help="đo trên SQLite (máy cá nhân, dữ liệu nhỏ hơn)")
    parser.add_argument("--persons", type=int, help="số người (mặc định 1.000.000 PostgreSQL, 100.000 SQLite)")
    parser.add_argument("--entitled", type=int, help="số người hưởng (mặc định 300.000 PostgreSQL, 30.000 SQLite)")
    parser.add_argument("--rounds", type=int, default=3, help="số lượt đo (mặc định 3)")
    parser.add_argument("--month", help="tháng lập danh sách, YYYY-MM (mặc định tháng này)")
    parser.add_argument("--fresh", action="store_true", help="xóa cơ sở dữ liệu đo cũ và tạo lại")
    parser.add_argument("--clone", metavar="DB", help="PostgreSQL: tạo cơ sở dữ liệu đo bằng cách sao chép DB này")
    args = parser.parse_args()
    big = not args.sqlite
    args.persons = args.persons or (1_000_000 if big else 100_000)
    args.entitled = args.entitled or (300_000 if big else 30_000)
    return args


def _seed(env: dict[str, str], args: argparse.Namespace) -> dict[str, float | None]:
    from ctxh.assistance.models import Entitlement
    from ctxh.assistance.pay_reference import load_rules as load_pay_rules
    from ctxh.assistance.reference import load_rules
    from ctxh.core.models import Rule, Term
    from ctxh.people.models import Person

    # A database migrated before the engine's rule rows existed gets them now (the loaders add only what is missing).
    load_rules(Rule, Term)
    load_pay_rules(Rule)
    took: dict[str, float | None] = {"persons_s": None, "entitled_s": None}
    have = Person.objects.filter(province_id=PROVINCE).count()
    if have < args.persons:
        print(f"Tạo {args.persons - have:,} người (đang có {have:,})…", flush=True)
        took["persons_s"] = run_ctxh(env, "seed", "--province", str(PROVINCE), "--persons", str(args.persons - have),
                                  "--random-seed", str(1 + (have > 0)))
    active = Entitlement.objects.filter(province_id=PROVINCE, status="active").count()
    if active < args.entitled:
        print(f"Tạo {args.entitled - active:,} người hưởng trợ cấp (đang có {active:,})…", flush=True)
        took["entitled_s"] = run_ctxh(env, "seed", "--province", str(PROVINCE), "--entitled",
                                   str(args.entitled - active), "--random-seed", str(1 + (active > 0)))
    return took


def _director() -> Any:
    from ctxh.accounts.models import Membership, Organization, User
    from ctxh.accounts.services import membership_grant
    from ctxh.geo.models import Province

    user = User.objects.filter(username=DIRECTOR).first()
    if user is None:
        user = User.objects.create_user(username=DIRECTOR, password=None, full_name="Giám đốc (đo hiệu năng)")
    province = Province.objects.get(pk=PROVINCE)
    centre, _ = Organization.objects.get_or_create(
        name="Trung tâm CTXH (đo hiệu năng)", province=province, defaults={"kind": "centre"})
    if not Membership.objects.filter(user=user, organization=centre, role="director", is_active=True).exists():
        membership_grant(actor=None, user=user, organization=centre, role="director", whole_province=True, communes=[])
    return User.objects.get(pk=user.pk)


def _clear_month(month: dt.date) -> None:
    """Remove the month's draft lists of the province (and what points at them), untimed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE assistance_arrearsitem SET settled_line_id = NULL WHERE settled_line_id IN "
                       "(SELECT x.id FROM assistance_paymentline x JOIN assistance_paymentlist l ON "
                       "l.id = x.payment_list_id WHERE l.province_id = %s AND l.month = %s AND l.status = 'draft')",
                       [PROVINCE, month])
        cursor.execute("DELETE FROM assistance_paymentline WHERE payment_list_id IN (SELECT id FROM "
                       "assistance_paymentlist WHERE province_id = %s AND month = %s AND status = 'draft')",
                       [PROVINCE, month])
        cursor.execute("DELETE FROM assistance_paymentlist WHERE province_id = %s AND month = %s AND status = 'draft'",
                       [PROVINCE, month])
    _vacuum(["assistance_paymentline", "assistance_paymentlist"])


def _vacuum(tables: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(("VACUUM ANALYZE " if connection.vendor == "postgresql" else "ANALYZE ") + table)


def _delete_lines(list_ids: list[int]) -> None:
    from django.db import connection

    marks = ", ".join(["%s"] * len(list_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM assistance_paymentline WHERE payment_list_id IN ({marks})", list_ids)
    _vacuum(["assistance_paymentline"])


def _read_sql(list_ids: list[int]) -> str:
    marks = ", ".join(str(int(i)) for i in list_ids)
    return ("SELECT payment_list_id, position, full_name, birth_year, address, scheme, group_code, group_label, "
            "coefficient, amount, arrears, total, method, bank_account, signed, paid_at, correction_reason "
            f"FROM assistance_paymentline WHERE payment_list_id IN ({marks}) ORDER BY payment_list_id, position, id")


def _raw_read(list_ids: list[int]) -> tuple[float, int]:
    from django.db import connection

    t0 = time.perf_counter()
    n = 0
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(list_ids))
        while rows := cursor.fetchmany(5000):
            n += len(rows)
    return time.perf_counter() - t0, n


def _raw_copy(list_ids: list[int]) -> float | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    t0 = time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({_read_sql(list_ids)}) TO STDOUT WITH CSV") as copy:
        for _block in copy:
            pass
    return time.perf_counter() - t0


def _round(user: Any, province: Any, month: dt.date, inserts: list[str]) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from ctxh.assistance import exports, services

    _clear_month(month)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        made = services.payment_lists_generate_province(actor=user, province=province, month=month)
    out["generate_s"] = time.perf_counter() - t0
    # The session settings the service makes (SET LOCAL) and its INSERT … SELECT statements.
    inserts[:] = [q["sql"] for q in captured.captured_queries
                  if q["sql"].lstrip().upper().startswith(("INSERT INTO ASSISTANCE_PAYMENTLINE", "SET LOCAL"))]
    out["queries"] = len(captured.captured_queries)
    out["lists"] = len(made.lists)
    out["lines"] = made.lines
    _vacuum(["assistance_paymentline"])
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        summary = exports.province_xlsx(province_id=PROVINCE, month=month, path=path)
        out["export_s"] = time.perf_counter() - t0
        out["xlsx_bytes"] = os.path.getsize(path)
        out["xlsx_lines"] = summary["lines"]
    finally:
        os.unlink(path)
    out["total_s"] = out["generate_s"] + out["export_s"]
    list_ids = [pl.pk for pl in made.lists]
    out["raw_read_s"], out["raw_read_rows"] = _raw_read(list_ids)
    out["raw_copy_s"] = _raw_copy(list_ids)
    # The service's INSERT … SELECT statements, bare, into the same (now emptied) lists.
    _delete_lines(list_ids)
    t0 = time.perf_counter()
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in inserts:
            cursor.execute(sql)
            if sql.lstrip().upper().startswith("INSERT"):
                written += max(cursor.rowcount, 0)
    out["raw_insert_s"] = time.perf_counter() - t0
    out["raw_insert_rows"] = written
    assert written == made.lines, (written, made.lines)
    return out


def main() -> int:
    args = _args()
    env = prepare_database(postgres=not args.sqlite, pg_name=PG_NAME,
                           sqlite_folder=f"payments-sqlite-{args.persons}-{args.entitled}", fresh=args.fresh,
                           clone=args.clone)
    where = f"PostgreSQL {PG_NAME}" if not args.sqlite else env["CTXH_DATA_DIR"]
    print(f"Cơ sở dữ liệu: {where}", flush=True)
    run_ctxh(env, "manage", "migrate", "--no-input", "-v", "0")

    import django

    django.setup()
    from django.db import connection

    from ctxh.assistance.forms import parse_month
    from ctxh.assistance.models import Entitlement
    from ctxh.geo.models import Province
    from ctxh.people.models import Person

    seeding = _seed(env, args)
    _vacuum(["people_person", "assistance_entitlement", "geo_commune"])
    month = parse_month(args.month) if args.month else dt.date.today().replace(day=1)
    user = _director()
    province = Province.objects.get(pk=PROVINCE)
    counts = {
        "persons": Person.objects.filter(province_id=PROVINCE).count(),
        "entitled_active": Entitlement.objects.filter(province_id=PROVINCE).active_in(month).count(),
        "entitlements": Entitlement.objects.filter(province_id=PROVINCE).count(),
    }
    print(f"{counts['persons']:,} người, {counts['entitled_active']:,} người hưởng trong tháng {month:%m/%Y} "
          f"({counts['entitlements']:,} hồ sơ hưởng). {args.rounds} lượt đo…", flush=True)
    inserts: list[str] = []
    rounds = []
    for i in range(args.rounds):
        r = _round(user, province, month, inserts=inserts)
        rounds.append(r)
        print(f"  lượt {i + 1}: lập {r['generate_s']:.1f} s, xuất Excel {r['export_s']:.1f} s "
              f"(SQL chèn trần {r['raw_insert_s']:.1f} s, đọc trần {r['raw_read_s']:.1f} s)", flush=True)
    keys = ["generate_s", "export_s", "total_s", "raw_insert_s", "raw_read_s"]
    if rounds[0]["raw_copy_s"] is not None:
        keys.append("raw_copy_s")
    med = {k: statistics.median(r[k] for r in rounds) for k in keys}
    result = {
        "database": connection.vendor, "database_version": db_version(connection), **counts,
        "month": month.isoformat(), "rounds": rounds, "median": med, "seeding": seeding,
        "lists": rounds[-1]["lists"], "lines": rounds[-1]["lines"],
        "insert_statements": sum(1 for s in inserts if s.lstrip().upper().startswith("INSERT")),
        "python": platform.python_version(), "machine": platform.node(), "commit": git_commit(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "aim_s": AIM_S,
    }
    _print(result)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    path = out / f"payments-{connection.vendor}-{counts['persons']}-{counts['entitled_active']}-" \
                 f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(f"\nĐã lưu {path.relative_to(ROOT)}")
    return 0


def _print(r: dict[str, Any]) -> None:
    m = r["median"]
    print(f"\n{r['database']} {r['database_version']} — {r['persons']:,} người, {r['entitled_active']:,} người hưởng, "
          f"tháng {r['month'][:7]}: {r['lists']} danh sách, {r['lines']:,} dòng; trung vị {len(r['rounds'])} lượt")
    print(f"\n{'':52}{'giây':>8}")
    print(f"{'lập danh sách toàn tỉnh (dịch vụ)':52}{m['generate_s']:8.2f}")
    print(f"{'  INSERT … SELECT của dịch vụ chạy trần':52}{m['raw_insert_s']:8.2f}   "
          f"tỉ lệ {m['generate_s'] / m['raw_insert_s']:.2f}×")
    print(f"{'xuất Excel toàn tỉnh (xlsxwriter)':52}{m['export_s']:8.2f}")
    print(f"{'  đọc trần mọi dòng (cursor)':52}{m['raw_read_s']:8.2f}   tỉ lệ {m['export_s'] / m['raw_read_s']:.1f}×")
    if "raw_copy_s" in m:
        print(f"{'  COPY … TO STDOUT CSV':52}{m['raw_copy_s']:8.2f}   tỉ lệ {m['export_s'] / m['raw_copy_s']:.1f}×")
    verdict = "đạt" if m["total_s"] < r["aim_s"] else "CHƯA ĐẠT"
    print(f"{'lập + xuất Excel':52}{m['total_s']:8.2f}   mục tiêu < {r['aim_s']:.0f} s: {verdict}")
    xlsx = r["rounds"][-1]
    print(f"(tệp Excel {xlsx['xlsx_bytes'] / 1e6:.1f} MB, {xlsx['xlsx_lines']:,} dòng; "
          f"{r['insert_statements']} câu INSERT … SELECT)")


if __name__ == "__main__":
    raise SystemExit(main())
