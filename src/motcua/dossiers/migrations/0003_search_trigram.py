"""Substring search over dossier codes and applicant names at province scale.

On PostgreSQL a trigram GIN index serves ``search_text LIKE '%word%'``; SQLite (a
ward's laptop) keeps the plain index, enough for a ward's volume.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dossier_search_trgm ON dossiers_dossier "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS dossier_search_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_visibility_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
