"""On PostgreSQL, a trigram (pg_trgm) GIN index makes the catalog's substring search of Japanese
text use an index; SQLite, the embedded default for small installations, scans the column."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS opendata_dataset_search_trgm "
        "ON opendata_dataset USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS opendata_dataset_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
