"""What the benchmarks share: the database they run on, the ``ctxh`` command, and the run's provenance.

Each benchmark gets a database of its own (never ``test``): a PostgreSQL
database on 127.0.0.1:5432, or a SQLite file in a folder under the system's
temporary directory. Data comes from ``ctxh seed``, run as a child process as an
operator would run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SQLITE_DIR = Path(tempfile.gettempdir()) / "ctxh-bench"


def prepare_database(*, postgres: bool, pg_name: str, sqlite_folder: str, fresh: bool = False,
                     clone: str | None = None) -> dict[str, str]:
    """Point this process and its children at the benchmark database, made fresh if asked.

    ``clone`` (PostgreSQL) creates the database as a copy of another one, e.g. the
    million people ``bench/search.py`` seeded; it fails while anyone is connected
    to that template.
    """
    env = dict(os.environ)
    if postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [pg_name]).fetchone()
            if exists and fresh:
                conn.execute(f'DROP DATABASE "{pg_name}" WITH (FORCE)')
                exists = None
            if not exists:
                template = f' TEMPLATE "{clone}"' if clone else ""
                conn.execute(f'CREATE DATABASE "{pg_name}"{template}')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    else:
        folder = SQLITE_DIR / sqlite_folder
        if fresh and folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        env.pop("DATABASE_URL", None)
        env["CTXH_DATA_DIR"] = str(folder)
    env["CTXH_DEBUG"] = "0"  # DEBUG keeps every query in memory and adds its own cost
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"  # the test client's host
    env.setdefault("DJANGO_SETTINGS_MODULE", "ctxh.settings")
    os.environ.update(env)
    if not postgres:
        os.environ.pop("DATABASE_URL", None)
    return env


def run_ctxh(env: dict[str, str], *argv: str) -> float:
    """Run the ``ctxh`` command in a child process; return the seconds it took."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "ctxh", *argv], env=env, check=True, cwd=ROOT)
    took = time.monotonic() - started
    print(f"  ctxh {' '.join(argv)}: {took:.1f} s", flush=True)
    return took


def db_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
