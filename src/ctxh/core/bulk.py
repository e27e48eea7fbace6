"""Writing synthetic rows fast, for ``ctxh seed`` and the benchmarks.

Not for application writes: these skip services, validation and audit on
purpose, to fill a test or benchmark database with a million rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from enum import Enum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Pick(Generic[T]):
    """A weighted choice with the cumulative weights computed once."""

    def __init__(self, weighted: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in weighted]
        self.cum: list[float] = []
        total = 0.0
        for _, w in weighted:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


class BulkRows:
    """Rows of one model written straight into its table: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

    ``bulk_create`` spent 2 ms a case (model instances, then every value
    prepared through the field API): 200,000 cases with their team, events and
    deadlines took about 8 minutes. Here rows are dicts of attribute names;
    the columns still come from the model (a new field with a default keeps
    working), and datetimes, dates and JSON are adapted by the backend's own
    operations — the approach of ``ctxh.people.seed``, several times faster.
    """

    def __init__(self, model: type[Any], connection: Any, *, with_id: bool, now: dt.datetime) -> None:
        self.model = model
        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.attnames = [f.attname for f in self.fields]
        ops = connection.ops
        stamp = ops.adapt_datetimefield_value(now)
        self.defaults: list[Any] = []
        self.adapters: list[tuple[int, Any]] = []
        self.texts: list[int] = []  # choices given as enum members are stored as their values
        for i, f in enumerate(self.fields):
            internal = f.get_internal_type()
            if internal in ("CharField", "TextField"):
                self.texts.append(i)
            if f.primary_key:
                self.defaults.append(None)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults.append(stamp)
            else:
                self.defaults.append(f.get_default())
            if internal == "DateTimeField":
                self.adapters.append((i, ops.adapt_datetimefield_value))
            elif internal == "DateField":
                self.adapters.append((i, ops.adapt_datefield_value))
            elif internal == "JSONField":
                self.adapters.append((i, lambda v, f=f: f.get_db_prep_save(v, connection)))
        self.rows: list[list[Any]] = []
        self.count = 0

    def add(self, values: dict[str, Any]) -> None:
        row = [values.get(a, d) for a, d in zip(self.attnames, self.defaults, strict=True)]
        for i in self.texts:
            if isinstance(row[i], Enum):
                row[i] = row[i].value
        for i, adapt in self.adapters:
            if row[i] is not None and not isinstance(row[i], str):
                row[i] = adapt(row[i])
        self.rows.append(row)

    def reserve_ids(self, count: int) -> list[int]:
        """Primary keys for rows other tables point at, taken before inserting (inside the transaction)."""
        table = self.model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, count])
                return [r[0] for r in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.connection.ops.quote_name(table)}")
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))

    def flush(self) -> None:
        if not self.rows:
            return
        qn = self.connection.ops.quote_name
        table = qn(self.model._meta.db_table)
        columns = ", ".join(qn(f.column) for f in self.fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", self.rows)
        self.count += len(self.rows)
        self.rows = []
