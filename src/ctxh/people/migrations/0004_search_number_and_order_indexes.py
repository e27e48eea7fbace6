"""Indexes the person search needs at scale (measured with bench/search.py).

* A number typed in the search box is looked for as a prefix of four columns
  joined by OR. A database can only answer such an OR from indexes if every
  column has one that serves a prefix LIKE: ``old_id_number`` had none, so
  PostgreSQL read all 1,000,000 rows (~1 s) for every CCCD or phone search.
  On SQLite, a prefix LIKE uses an index only if the index is NOCASE (its LIKE
  ignores case); the four plain indexes could not serve it (~380 ms at 200,000).
* SQLite walks the people in name order and stops at the 20th match; with
  ``name_folded`` in that index it tests each name in the index itself instead
  of reading the table row (p95 450 ms → 46 ms at 200,000). PostgreSQL cannot
  test a filter inside a plain index scan, so it does not get this one.

The indexes are created with SQL and are not part of the model state, like
0003's trigram index: they serve the LIKE queries of one backend each.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS person_old_id_like ON people_person (old_id_number varchar_pattern_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS person_old_id_like"]

NUMBER_COLUMNS = ["cccd", "old_id_number", "phone", "phone_alt"]
SQLITE_FORWARD = [
    f"CREATE INDEX IF NOT EXISTS person_{column}_nocase ON people_person ({column} COLLATE NOCASE)"
    for column in NUMBER_COLUMNS
] + [
    "CREATE INDEX IF NOT EXISTS person_prov_given_name"
    " ON people_person (province_id, given_folded, name_folded, id)",
]
SQLITE_BACKWARD = [f"DROP INDEX IF EXISTS person_{column}_nocase" for column in NUMBER_COLUMNS] + [
    "DROP INDEX IF EXISTS person_prov_given_name",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in PG_FORWARD if vendor == "postgresql" else SQLITE_FORWARD if vendor == "sqlite" else []:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in PG_BACKWARD if vendor == "postgresql" else SQLITE_BACKWARD if vendor == "sqlite" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_search_indexes")]
    operations = [migrations.RunPython(forward, backward)]
