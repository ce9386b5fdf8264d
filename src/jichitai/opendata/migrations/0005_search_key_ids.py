"""Numbered search keys (``SearchKey``) and, on PostgreSQL, each dataset's key numbers in two
integer arrays kept by a trigger: ``search_key_ids`` (its facet keys and the two-character pieces
of its search text) with a GIN index, which answers a word and the field filters together, and
``search_facet_ids`` (its facet keys alone), which the facet counts read. They replace the bigram
column, the index on the lines of ``search_keys`` and the trigram index (``opendata.search_index``
says why). The arrays are the database's own: the model does not list them, and SQLite has none."""

from django.db import migrations, models

KEYS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION opendata_search_keys(search_text text, search_keys text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(search_keys, ''), E'\n'), '{}')
      || ARRAY(SELECT 'text' || E'\t' || piece FROM unnest(opendata_bigrams(search_text)) AS piece)
$$
"""

# Keys seen for the first time are added (only those: ON CONFLICT alone would use up a sequence
# number for every key of every write); a concurrent writer adding the same key is waited for, and
# keys are added in their sorted order, so two writers adding the same new keys cannot each wait
# for the other.
TRIGGER_FUNCTION = r"""
CREATE OR REPLACE FUNCTION opendata_dataset_key_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted text[] := opendata_search_keys(NEW.search_text, NEW.search_keys);
  facets text[] := coalesce(string_to_array(nullif(NEW.search_keys, ''), E'\n'), '{}');
BEGIN
  -- A save that leaves the text and keys as they were (a full save() of other fields) keeps
  -- the numbers as they are.
  IF TG_OP = 'UPDATE' AND NEW.search_text IS NOT DISTINCT FROM OLD.search_text
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
  FROM opendata_dataset d, unnest(opendata_search_keys(d.search_text, d.search_keys)) AS k
  ON CONFLICT (key) DO NOTHING
"""

FILL_IDS = r"""
UPDATE opendata_dataset d SET search_key_ids = found.ids, search_facet_ids = found.facet_ids
FROM (
  SELECT d2.id, array_agg(s.id) AS ids,
         coalesce(array_agg(s.id) FILTER (WHERE NOT starts_with(s.key, 'text' || E'\t')), '{}') AS facet_ids
  FROM opendata_dataset d2
  CROSS JOIN LATERAL unnest(opendata_search_keys(d2.search_text, d2.search_keys)) AS k
  JOIN opendata_searchkey s ON s.key = k
  GROUP BY d2.id
) found
WHERE found.id = d.id
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        "DROP INDEX IF EXISTS opendata_dataset_search_keys",
        "DROP INDEX IF EXISTS opendata_dataset_search_trgm",
        "DROP INDEX IF EXISTS opendata_dataset_search_bigrams",
        "ALTER TABLE opendata_dataset DROP COLUMN IF EXISTS search_bigrams",
        KEYS_FUNCTION,
        "ALTER TABLE opendata_dataset ADD COLUMN search_key_ids integer[] NOT NULL DEFAULT '{}', "
        "ADD COLUMN search_facet_ids integer[] NOT NULL DEFAULT '{}'",
        FILL_KEYS,
        FILL_IDS,
        TRIGGER_FUNCTION,
        "CREATE TRIGGER opendata_dataset_key_ids BEFORE INSERT OR UPDATE OF search_text, "
        "search_keys ON opendata_dataset FOR EACH ROW EXECUTE FUNCTION opendata_dataset_key_ids()",
        "CREATE INDEX opendata_dataset_search_key_ids ON opendata_dataset USING gin (search_key_ids)",
        "ANALYZE opendata_dataset",
    ):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    """Back to 0004's bigram column and indexes."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        "DROP TRIGGER IF EXISTS opendata_dataset_key_ids ON opendata_dataset",
        "DROP FUNCTION IF EXISTS opendata_dataset_key_ids()",
        "ALTER TABLE opendata_dataset DROP COLUMN IF EXISTS search_key_ids, "
        "DROP COLUMN IF EXISTS search_facet_ids",
        "DROP FUNCTION IF EXISTS opendata_search_keys(text, text)",
        "ALTER TABLE opendata_dataset ADD COLUMN search_bigrams text[] "
        "GENERATED ALWAYS AS (opendata_bigrams(search_text)) STORED",
        "CREATE INDEX opendata_dataset_search_bigrams ON opendata_dataset USING gin (search_bigrams)",
        "CREATE INDEX opendata_dataset_search_keys "
        "ON opendata_dataset USING gin (string_to_array(search_keys, E'\\n'))",
        "CREATE INDEX opendata_dataset_search_trgm "
        "ON opendata_dataset USING gin (search_text gin_trgm_ops)",
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0004_search_keys")]

    operations = [
        migrations.CreateModel(
            name="SearchKey",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("key", models.TextField(unique=True)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
