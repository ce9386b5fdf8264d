"""Each dataset's search keys (the values a search filters and counts facets by, one a line), filled
in for the datasets there are; on PostgreSQL, a GIN index on them, and the two-character pieces of
the search text in a column PostgreSQL computes itself (``search_bigrams``, generated and stored,
so it never disagrees with the text and a row's filter reads it instead of recomputing it), with a
GIN index (``opendata.search_index`` says why). The column is the database's own: the model does
not list it, and SQLite has none."""

from django.db import migrations, models

BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION opendata_bigrams(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}')
  FROM generate_series(1, length($1) - 1) AS i
$$
"""


def _hex(value):
    return value.encode().hex()


def fill_keys(apps, schema_editor):
    """The keys as ``search_index.keys_of`` writes them (kept here as they were when this ran)."""
    Dataset = apps.get_model("opendata", "Dataset")
    datasets = Dataset.objects.prefetch_related("tags", "groups", "resources").order_by("pk")
    batch = []
    for dataset in datasets.iterator(chunk_size=1000):
        formats = {r.format for r in dataset.resources.all() if r.format}
        keys = {
            f"organization\t{dataset.organization_id}",
            f"license_id\t{_hex(dataset.license_id)}",
            *(f"tags\t{tag.pk}" for tag in dataset.tags.all()),
            *(f"groups\t{group.pk}" for group in dataset.groups.all()),
            *(f"res_format\t{_hex(name)}" for name in formats),
            *(f"res_format_upper\t{_hex(name.upper())}" for name in formats),
        }
        dataset.search_keys = "\n".join(sorted(keys))
        batch.append(dataset)
        if len(batch) == 1000:
            Dataset.objects.bulk_update(batch, ["search_keys"])
            batch = []
    Dataset.objects.bulk_update(batch, ["search_keys"])


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS_FUNCTION)
    schema_editor.execute(
        "ALTER TABLE opendata_dataset ADD COLUMN search_bigrams text[] "
        "GENERATED ALWAYS AS (opendata_bigrams(search_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX opendata_dataset_search_bigrams ON opendata_dataset USING gin (search_bigrams)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS opendata_dataset_search_keys "
        "ON opendata_dataset USING gin (string_to_array(search_keys, E'\\n'))"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS opendata_dataset_search_keys")
    schema_editor.execute("ALTER TABLE opendata_dataset DROP COLUMN IF EXISTS search_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS opendata_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("opendata", "0003_search_planner_costs")]

    operations = [
        migrations.AddField(
            model_name="dataset",
            name="search_keys",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
