"""Pages of a query ranked by relevance, on PostgreSQL: the statement that counts such a query
reads every match in order (the page needs them all), and they are kept with the counts, so a
later page of the same query at the same catalog version is a slice of them: no statement sorts
every match again. After a write, the page is read afresh (the kept order may no longer hold)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jichitai.opendata import services
from jichitai.opendata.models import Dataset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the kept counts hold the ids on PostgreSQL"
    ),
]

FACETS = json.dumps(["organization", "tags", "res_format", "groups", "license_id"])


def _names(**data) -> tuple[list[str], int]:
    """The page's dataset names and how many statements read the matched datasets."""
    with CaptureQueriesContext(connection) as captured:
        response = Client().get("/api/3/action/package_search", data)
    assert response.status_code == 200
    reads = sum(
        'FROM "opendata_dataset" WHERE' in q["sql"] and "search_key_ids" in q["sql"]
        for q in captured
    )
    return [d["name"] for d in response.json()["result"]["results"]], reads


@pytest.fixture
def parks(tsu):
    for number in range(7):
        # The word in the title ranks first: datasets 0, 2, 4 and 6.
        title = "公園一覧" if number % 2 == 0 else "一覧"
        dataset = services.create_dataset(
            actor=None,
            organization=tsu,
            name=f"parks-{number}",
            title=title,
            notes="都市公園のデータ",
        )
        services.add_resource(
            actor=None, dataset=dataset, url=f"https://example.jp/{number}.csv", format="CSV"
        )
        services.publish_dataset(actor=None, dataset=dataset)


def test_later_pages_of_a_ranked_query_are_sliced_from_the_kept_order(parks):
    first, reads = _names(q="公園", rows=3, **{"facet.field": FACETS})
    assert reads == 1
    assert first[:3] == ["parks-6", "parks-4", "parks-2"]
    second, reads = _names(q="公園", rows=3, start=3, **{"facet.field": FACETS})
    assert reads == 0
    third, reads = _names(q="公園", rows=3, start=6, **{"facet.field": FACETS})
    assert reads == 0
    assert second == ["parks-0", "parks-5", "parks-3"]
    assert third == ["parks-1"]


def test_after_a_write_the_page_is_read_again(parks, tsu):
    _names(q="公園", rows=3, **{"facet.field": FACETS})
    services.update_dataset(actor=None, dataset=Dataset.objects.get(name="parks-1"), title="公園")
    page, reads = _names(q="公園", rows=3, **{"facet.field": FACETS})
    assert reads == 2  # the changed dataset matched for the replayed counts, and the page
    assert page == ["parks-1", "parks-6", "parks-4"]


@pytest.mark.parametrize("first_facets", [None, FACETS], ids=["without-first", "with-first"])
def test_the_counts_of_a_query_serve_it_with_and_without_facets(parks, tsu, first_facets):
    """The facet key counts are kept with the count whatever the request asked for: the same
    query with or without facets is not counted again."""
    faceted = {"facet.field": FACETS}
    first = {"facet.field": first_facets} if first_facets else {}
    second = {} if first_facets else faceted
    for sort in ("score desc, metadata_modified desc", "metadata_modified desc"):
        _names(q="一覧", sort=sort, **first)
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(
                "/api/3/action/package_search", {"q": "一覧", "sort": sort, **second}
            )
        result = response.json()["result"]
        assert result["count"] == 7
        assert not any("WITH m AS MATERIALIZED" in q["sql"] for q in captured)  # not counted
        if second:
            assert result["facets"]["res_format"] == {"CSV": 7}
            assert result["facets"]["organization"] == {tsu.code: 7}
