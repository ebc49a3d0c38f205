"""Name search for the Hulpvragen screen on PostgreSQL: pg_trgm + unaccent and a trigram index on
the pupil's full name, so `LIKE '%jansen%'` uses an index at a million rows. On SQLite this
migration does nothing; the search falls back to icontains there (dossiers/search.py).

unaccent() is only STABLE, so an index expression needs an IMMUTABLE wrapper that names its
dictionary explicitly (the usual PostgreSQL recipe)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    CREATE OR REPLACE FUNCTION kindkans_unaccent(text) RETURNS text
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    """,
    """
    CREATE INDEX IF NOT EXISTS leerling_zoeknaam_trgm ON dossiers_leerling USING gin (
      kindkans_unaccent(lower(roepnaam || ' ' || voornamen || ' ' || tussenvoegsel || ' ' || achternaam))
      gin_trgm_ops
    )
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS leerling_zoeknaam_trgm",
    "DROP FUNCTION IF EXISTS kindkans_unaccent(text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_lijstvoorkeur_concept_notitie_inzage")]
    operations = [migrations.RunPython(forward, backward)]
