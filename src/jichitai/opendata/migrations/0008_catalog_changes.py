"""On PostgreSQL, a log of the changes to datasets stamped with the catalog's version
(``opendata_catalogchange``), so counts kept in the cache for an older version are brought up to
date by replaying the few changes since (``opendata.facets``) instead of being counted again.

Each inserted, updated or deleted dataset row appends its id and its facet key numbers before the
change (none for an insert), at a catalog version it moves itself, in the writing transaction: the
version row is locked until commit, so the entries up to a version a reader sees are all
committed with it. What a count reads besides the dataset rows is the organization's code (the
filter ``organization:``): a change of it, a deleted organization or an emptied dataset table
appends an entry without a dataset, and the counts are counted again. Entries older than
``KEPT_VERSIONS`` versions are removed by the writer; counts kept for a version that old are
counted again. SQLite has no log: it counts again after every write."""

from django.db import migrations

# Entries are kept for 10,000 versions (``opendata.facets.KEPT_VERSIONS``).
DATASET_FUNCTION = """
CREATE FUNCTION opendata_log_dataset_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamped bigint;
BEGIN
  INSERT INTO opendata_catalogversion (id, number) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET number = opendata_catalogversion.number + 1
    RETURNING number INTO stamped;
  INSERT INTO opendata_catalogchange (version, dataset_id, old_facet_ids)
    VALUES (stamped, CASE WHEN TG_OP = 'INSERT' THEN NEW.id ELSE OLD.id END,
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.search_facet_ids END);
  DELETE FROM opendata_catalogchange WHERE version <= stamped - 10000;
  RETURN NULL;
END
$$
"""

RECOUNT_FUNCTION = """
CREATE FUNCTION opendata_log_recount() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamped bigint;
BEGIN
  INSERT INTO opendata_catalogversion (id, number) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET number = opendata_catalogversion.number + 1
    RETURNING number INTO stamped;
  IF TG_TABLE_NAME = 'opendata_dataset' THEN
    DELETE FROM opendata_catalogchange;
  END IF;
  INSERT INTO opendata_catalogchange (version, dataset_id, old_facet_ids)
    VALUES (stamped, NULL, NULL);
  RETURN NULL;
END
$$
"""

CREATE = [
    "CREATE TABLE opendata_catalogchange (version bigint NOT NULL, dataset_id integer, "
    "old_facet_ids integer[])",
    "CREATE INDEX opendata_catalogchange_version ON opendata_catalogchange (version)",
    DATASET_FUNCTION,
    RECOUNT_FUNCTION,
    "CREATE TRIGGER opendata_dataset_change AFTER INSERT OR UPDATE OR DELETE ON opendata_dataset "
    "FOR EACH ROW EXECUTE FUNCTION opendata_log_dataset_change()",
    "CREATE TRIGGER opendata_dataset_recount AFTER TRUNCATE ON opendata_dataset "
    "FOR EACH STATEMENT EXECUTE FUNCTION opendata_log_recount()",
    "CREATE TRIGGER tenancy_organization_recount AFTER UPDATE OF code OR DELETE OR TRUNCATE "
    "ON tenancy_organization FOR EACH STATEMENT EXECUTE FUNCTION opendata_log_recount()",
]

DROP = [
    "DROP TRIGGER IF EXISTS tenancy_organization_recount ON tenancy_organization",
    "DROP TRIGGER IF EXISTS opendata_dataset_recount ON opendata_dataset",
    "DROP TRIGGER IF EXISTS opendata_dataset_change ON opendata_dataset",
    "DROP FUNCTION IF EXISTS opendata_log_recount()",
    "DROP FUNCTION IF EXISTS opendata_log_dataset_change()",
    "DROP TABLE IF EXISTS opendata_catalogchange",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0007_public_newest_index")]

    operations = [migrations.RunPython(create, drop)]
