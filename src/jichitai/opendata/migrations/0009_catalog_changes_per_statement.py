"""On PostgreSQL, the change log of migration 0008 written once per statement instead of once per
dataset row: a statement that inserts, updates or deletes datasets moves the catalog's version
once and logs every dataset it changed at that version, in one INSERT … SELECT from the
statement's transition table, with the facet key numbers each had before (none for an insert).
Moving the shared version row once per row made a statement writing 100,000 datasets (a bulk
load, a data fix) run for more than seven minutes: each row's update of the same row in one
transaction walks the versions of it left by the rows before.

A statement that changed more datasets than a replay ever takes in (``MAX_REPLAYED_CHANGES``, 500,
of ``opendata.facets``) logs one entry without a dataset instead: counts kept for an older version
are counted again, as they would be after reading the 501 entries. A statement that changed no row
moves nothing, so the counts kept stay in use. The version moved by migration 0006's trigger on
every statement on the dataset table is dropped: these triggers move it (and the one of 0008 on
TRUNCATE). PostgreSQL allows transition tables only on a trigger of one event, hence three.

A dataset is logged once per statement: an update logs the rows as they were (OLD TABLE), and
from the rows as they are (NEW TABLE) only an id that was not there before (an id changed by the
update), which was counted nowhere."""

import importlib

from django.db import migrations

# Above ``opendata.facets.MAX_REPLAYED_CHANGES`` logged datasets, one recount entry instead.
FUNCTION = """
CREATE FUNCTION opendata_log_dataset_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed integer;
  stamped bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT count(*) INTO changed FROM (SELECT FROM new_rows LIMIT 501) AS s;
  ELSE
    SELECT count(*) INTO changed FROM (SELECT FROM old_rows LIMIT 501) AS s;
  END IF;
  IF changed = 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO opendata_catalogversion (id, number) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET number = opendata_catalogversion.number + 1
    RETURNING number INTO stamped;
  IF changed > 500 THEN
    INSERT INTO opendata_catalogchange (version, dataset_id, old_facet_ids)
      VALUES (stamped, NULL, NULL);
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO opendata_catalogchange (version, dataset_id, old_facet_ids)
      SELECT stamped, n.id, NULL FROM new_rows AS n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO opendata_catalogchange (version, dataset_id, old_facet_ids)
      SELECT stamped, o.id, o.search_facet_ids FROM old_rows AS o;
  ELSE
    INSERT INTO opendata_catalogchange (version, dataset_id, old_facet_ids)
      SELECT stamped, o.id, o.search_facet_ids FROM old_rows AS o
      UNION ALL
      SELECT stamped, n.id, NULL FROM new_rows AS n
      WHERE NOT EXISTS (SELECT FROM old_rows AS o WHERE o.id = n.id);
  END IF;
  DELETE FROM opendata_catalogchange WHERE version <= stamped - 10000;
  RETURN NULL;
END
$$
"""

TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}

CREATE = [
    "DROP TRIGGER opendata_dataset_change ON opendata_dataset",
    "DROP FUNCTION opendata_log_dataset_change()",
    "DROP TRIGGER opendata_dataset_catalog_version ON opendata_dataset",
    FUNCTION,
    *(
        f"CREATE TRIGGER opendata_dataset_change_{event} AFTER {event.upper()} ON opendata_dataset "
        f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION opendata_log_dataset_changes()"
        for event, referencing in TRANSITIONS.items()
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for event in TRANSITIONS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS opendata_dataset_change_{event} ON opendata_dataset"
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS opendata_log_dataset_changes()")
    versions = importlib.import_module(
        "jichitai.opendata.migrations.0006_catalog_version_title_keys"
    )
    changes = importlib.import_module("jichitai.opendata.migrations.0008_catalog_changes")
    schema_editor.execute(versions._pg_trigger("opendata_dataset", None))
    schema_editor.execute(changes.DATASET_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER opendata_dataset_change AFTER INSERT OR UPDATE OR DELETE "
        "ON opendata_dataset FOR EACH ROW EXECUTE FUNCTION opendata_log_dataset_change()"
    )


class Migration(migrations.Migration):
    dependencies = [("opendata", "0008_catalog_changes")]

    operations = [migrations.RunPython(create, drop)]
