"""Indexes the participant list's plans need on PostgreSQL (measured with
`bench_reports --pages`, see README "Benchmark"):

- the search (`participant_search`: `search_text LIKE '%word%'`, the folded name and
  PESEL) is a sequential scan of the register without a trigram index: a GIN index
  with pg_trgm's operator class serves `LIKE '%…%'`;
- the list is ordered by the names in the Polish collation (`kis.lib.collation`): an
  index in the same collation lets a page of 25 be read in order instead of sorting
  the whole register for every page.

PostgreSQL only (SQLite, the demo's database, has neither pg_trgm nor ICU): on SQLite
this migration does nothing. pg_trgm is a trusted extension (PostgreSQL 13+): the
database's owner may create it. The model's state is unchanged (the indexes are not in
Meta.indexes, where SQLite would be asked to create them too).
"""

from django.db import migrations

from kis.lib.collation import POLISH_COLLATION

TABLE = "participants_participant"
INDEXES = {
    "participant_search_trgm": f"ON {TABLE} USING gin (search_text gin_trgm_ops)",
    "participant_name_pl": (
        f'ON {TABLE} (last_name COLLATE "{POLISH_COLLATION}", '
        f'first_name COLLATE "{POLISH_COLLATION}", id)'
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0013_certificates_and_signed_lists"),
    ]

    operations = [migrations.RunPython(create, drop)]
