"""The change log of the catalog on PostgreSQL (``opendata_catalogchange``, migrations 0008 and
0009): counts kept for an older catalog version are brought up to date from the datasets changed
since. A statement writing many datasets (a bulk load, a data fix over the whole catalog) moves the
version once and logs each changed dataset once, at that version, with its facet keys as they
were; a statement changing more datasets than a replay ever takes in logs only that counts must be
counted again. Moving the version once per row made one statement updating 100,000 datasets run
for minutes. SQLite keeps no log: it counts again after every write."""

import json

import pytest
from django.db import connection
from django.test import Client

from jichitai.opendata import facets, search_index, selectors, services
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.counting import bulk_created, record_fresh_counts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps no change log (PostgreSQL only)"
    ),
]

FACETS = ["organization", "tags", "res_format", "groups", "license_id"]


def _version() -> int:
    return int(selectors.catalog_version())


def _logged_since(version: int) -> list[tuple]:
    """The log's entries after ``version``: (version, dataset id, facet key numbers before)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version, dataset_id, old_facet_ids FROM opendata_catalogchange "
            "WHERE version > %s ORDER BY version, dataset_id",
            [version],
        )
        return cursor.fetchall()


def _facet_ids(ids: list[int]) -> dict[int, list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_facet_ids FROM opendata_dataset WHERE id = ANY(%s)", [ids]
        )
        return dict(cursor.fetchall())


def test_one_statement_writing_several_datasets_moves_the_version_once(tsu):
    version = _version()
    ids = bulk_created(tsu, 3)
    assert _version() == version + 1
    assert _logged_since(version) == [(version + 1, pk, None) for pk in ids]

    before = _facet_ids(ids)
    assert all(before.values())
    Dataset.objects.filter(pk__in=ids).update(private=True)
    assert _version() == version + 2
    assert _logged_since(version + 1) == [(version + 2, pk, before[pk]) for pk in ids]

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM opendata_dataset WHERE id = ANY(%s)", [ids])
    assert _version() == version + 3
    assert _logged_since(version + 2) == [(version + 3, pk, before[pk]) for pk in ids]


def test_a_statement_that_changes_no_dataset_moves_nothing(tsu):
    ids = bulk_created(tsu, 2)
    version = _version()
    assert Dataset.objects.filter(pk__in=ids, private=True).update(license_id="CC0-1.0") == 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM opendata_dataset WHERE id = ANY(%s) AND private", [ids])
    assert _version() == version
    assert _logged_since(version) == []


def test_a_statement_changing_more_datasets_than_a_replay_takes_logs_a_recount(tsu):
    count = facets.MAX_REPLAYED_CHANGES + 1
    ids = bulk_created(tsu, count)
    version = _version()
    assert Dataset.objects.filter(pk__in=ids).update(license_id="CC0-1.0") == count
    assert _version() == version + 1
    assert _logged_since(version) == [(version + 1, None, None)]


def test_emptying_the_dataset_table_logs_a_recount(tsu):
    bulk_created(tsu, 2)
    version = _version()
    with connection.cursor() as cursor:
        # The checks of the rows just inserted run first: TRUNCATE refuses to run before them.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE opendata_dataset CASCADE")
    assert _version() > version
    assert [entry[1:] for entry in _logged_since(version)] == [(None, None)]


def package_search(**data) -> dict:
    response = Client().get("/api/3/action/package_search", data)
    assert response.status_code == 200, response.content[:300]
    return response.json()["result"]


def test_counts_kept_before_a_bulk_update_are_brought_up_to_date(tsu, monkeypatch):
    """Several datasets changed at one version, each with its keys before and after, are replayed
    onto the kept counts: not counted again, and equal to a fresh count."""
    names = []
    for number, tags in enumerate([["防災"], ["防災", "公園"], ["公園"]]):
        dataset = services.create_dataset(
            actor=None, organization=tsu, name=f"parks-{number}", title="公園一覧", tags=tags
        )
        services.add_resource(
            actor=None, dataset=dataset, url=f"https://example.jp/{number}.csv", format="CSV"
        )
        services.publish_dataset(actor=None, dataset=dataset)
        names.append(dataset.name)
    faceted = {"facet.field": json.dumps(FACETS), "facet.limit": -1}
    first = package_search(q="一覧", **faceted)
    assert first["count"] == 3
    assert first["facets"]["license_id"] == {"CC-BY-4.0": 3}

    counted_afresh = record_fresh_counts(monkeypatch)
    # One UPDATE of two datasets: a new licence (and so new facet keys) for both, one made private.
    changed = list(Dataset.objects.filter(name__in=names[:2]).order_by("pk"))
    for dataset in changed:
        dataset.license_id = "CC0-1.0"
        dataset.search_keys = search_index.keys_of(dataset)
    changed[0].private = True
    version = _version()
    Dataset.objects.bulk_update(changed, ["license_id", "search_keys", "private"])
    assert len({entry[0] for entry in _logged_since(version)}) == 1

    after = package_search(q="一覧", **faceted)
    assert counted_afresh == []
    assert after["count"] == 2
    assert sorted(d["name"] for d in after["results"]) == names[1:]
    assert after["facets"]["license_id"] == {"CC0-1.0": 1, "CC-BY-4.0": 1}
    assert after["facets"]["tags"] == {"防災": 1, "公園": 2}
    assert after["facets"]["res_format"] == {"CSV": 2}
