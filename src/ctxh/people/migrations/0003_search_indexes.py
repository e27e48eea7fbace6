"""Fuzzy name search on PostgreSQL: pg_trgm + unaccent and a trigram index.

On SQLite there is nothing to do: the folded column is searched directly.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION public.ctxh_unaccent(text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$""",
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON people_person USING gin (name_folded gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS person_name_trgm",
    "DROP FUNCTION IF EXISTS public.ctxh_unaccent(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in PG_FORWARD:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in PG_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_reference_data")]
    operations = [migrations.RunPython(forward, backward)]
