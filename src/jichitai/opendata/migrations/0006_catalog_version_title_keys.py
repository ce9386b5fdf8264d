"""The catalog's version (``CatalogVersion``), a number the database itself moves on every write to
what a search reads (datasets, their tags, groups and resources, tags, groups, organizations), so
counts kept in the cache for one version are never served after a change, whoever wrote it and in
whatever order concurrent writers commit. On PostgreSQL also the two-character pieces of the title
(``title<TAB>防災``) among each dataset's key numbers, so ``title:`` queries use the GIN index.

The version row is updated inside the writing transaction, so a reader sees the new number only
with the new rows; concurrent writers of the catalog wait for each other's commit on that row
(catalog edits are rare and short)."""

import importlib

from django.db import migrations, models

# The tables a search reads, and on which columns a change matters (None: any).
WATCHED = {
    "opendata_dataset": None,
    "opendata_dataset_tags": None,
    "opendata_dataset_groups": None,
    "opendata_tag": None,
    "opendata_group": None,
    # Downloads are counted on the resource row: only what a search reads moves the version.
    "opendata_resource": ("dataset_id", "format"),
    "tenancy_organization": ("code", "name"),
}

# An upsert, so the number moves even after the row was removed (a test database's flush empties
# every table).
BUMP = (
    "INSERT INTO opendata_catalogversion (id, number) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET number = opendata_catalogversion.number + 1"
)

PG_BUMP_FUNCTION = f"""
CREATE OR REPLACE FUNCTION opendata_bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BUMP};
  RETURN NULL;
END
$$
"""

KEYS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION opendata_search_keys(search_text text, search_title text,
                                                search_keys text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(search_keys, ''), E'\n'), '{}')
      || ARRAY(SELECT 'text' || E'\t' || piece FROM unnest(opendata_bigrams(search_text)) AS piece)
      || ARRAY(SELECT 'title' || E'\t' || piece FROM unnest(opendata_bigrams(search_title)) AS piece)
$$
"""

# As migration 0005's, with the title's pieces.
TRIGGER_FUNCTION = r"""
CREATE OR REPLACE FUNCTION opendata_dataset_key_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted text[] := opendata_search_keys(NEW.search_text, NEW.search_title, NEW.search_keys);
  facets text[] := coalesce(string_to_array(nullif(NEW.search_keys, ''), E'\n'), '{}');
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.search_text IS NOT DISTINCT FROM OLD.search_text
     AND NEW.search_title IS NOT DISTINCT FROM OLD.search_title
     AND NEW.search_keys IS NOT DISTINCT FROM OLD.search_keys THEN
    RETURN NEW;
  END IF;
  INSERT INTO opendata_searchkey (key)
    SELECT DISTINCT k FROM unnest(wanted) AS k
    WHERE NOT EXISTS (SELECT 1 FROM opendata_searchkey s WHERE s.key = k)
    ORDER BY k
    ON CONFLICT (key) DO NOTHING;
  NEW.search_key_ids := ARRAY(SELECT id FROM opendata_searchkey WHERE key = ANY (wanted));
  NEW.search_facet_ids := ARRAY(SELECT id FROM opendata_searchkey WHERE key = ANY (facets));
  RETURN NEW;
END
$$
"""

FILL_KEYS = r"""
INSERT INTO opendata_searchkey (key)
  SELECT DISTINCT k
  FROM opendata_dataset d,
       unnest(opendata_search_keys(d.search_text, d.search_title, d.search_keys)) AS k
  ON CONFLICT (key) DO NOTHING
"""

FILL_IDS = r"""
UPDATE opendata_dataset d SET search_key_ids = found.ids, search_facet_ids = found.facet_ids
FROM (
  SELECT d2.id, array_agg(s.id) AS ids,
         coalesce(array_agg(s.id) FILTER (WHERE NOT starts_with(s.key, 'text' || E'\t')
                                          AND NOT starts_with(s.key, 'title' || E'\t')), '{}')
           AS facet_ids
  FROM opendata_dataset d2
  CROSS JOIN LATERAL unnest(opendata_search_keys(d2.search_text, d2.search_title, d2.search_keys)) AS k
  JOIN opendata_searchkey s ON s.key = k
  GROUP BY d2.id
) found
WHERE found.id = d.id
"""


def _pg_trigger(table: str, columns: tuple[str, ...] | None) -> str:
    events = "INSERT OR UPDATE OR DELETE OR TRUNCATE"
    if columns:
        events = f"INSERT OR UPDATE OF {', '.join(columns)} OR DELETE OR TRUNCATE"
    return (
        f"CREATE TRIGGER {table}_catalog_version AFTER {events} ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION opendata_bump_catalog_version()"
    )


def _sqlite_triggers(table: str, columns: tuple[str, ...] | None) -> list[str]:
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    return [
        f"CREATE TRIGGER {table}_catalog_version_{name} AFTER {event} ON {table} "
        f"BEGIN {BUMP}; END"
        for name, event in (("insert", "INSERT"), ("update", update), ("delete", "DELETE"))
    ]


def create(apps, schema_editor):
    schema_editor.execute("INSERT INTO opendata_catalogversion (id, number) VALUES (1, 0)")
    if schema_editor.connection.vendor == "postgresql":
        statements = [
            PG_BUMP_FUNCTION,
            *(_pg_trigger(table, columns) for table, columns in WATCHED.items()),
            "DROP TRIGGER IF EXISTS opendata_dataset_key_ids ON opendata_dataset",
            "DROP FUNCTION IF EXISTS opendata_search_keys(text, text)",
            KEYS_FUNCTION,
            TRIGGER_FUNCTION,
            FILL_KEYS,
            FILL_IDS,
            "CREATE TRIGGER opendata_dataset_key_ids BEFORE INSERT OR UPDATE OF search_text, "
            "search_title, search_keys ON opendata_dataset FOR EACH ROW "
            "EXECUTE FUNCTION opendata_dataset_key_ids()",
            "ANALYZE opendata_dataset",
        ]
    else:
        statements = [
            statement
            for table, columns in WATCHED.items()
            for statement in _sqlite_triggers(table, columns)
        ]
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_catalog_version ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS opendata_bump_catalog_version()")
        # The title's pieces stay among the key numbers until a dataset's text is next written.
        schema_editor.execute("DROP TRIGGER IF EXISTS opendata_dataset_key_ids ON opendata_dataset")
        schema_editor.execute("DROP FUNCTION IF EXISTS opendata_search_keys(text, text, text)")
        keys = importlib.import_module("jichitai.opendata.migrations.0005_search_key_ids")
        schema_editor.execute(keys.KEYS_FUNCTION)
        schema_editor.execute(keys.TRIGGER_FUNCTION)
        schema_editor.execute(
            "CREATE TRIGGER opendata_dataset_key_ids BEFORE INSERT OR UPDATE OF search_text, "
            "search_keys ON opendata_dataset FOR EACH ROW "
            "EXECUTE FUNCTION opendata_dataset_key_ids()"
        )
    else:
        for table in WATCHED:
            for name in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_catalog_version_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0005_search_key_ids"),
        ("tenancy", "0004_organization_privacy_policy"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("number", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
