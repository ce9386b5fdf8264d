"""What each process holds for the search on PostgreSQL. Facet counts from the facet matrix
(``opendata.facet_matrix``): the same counts as the database's own grouping over the matched
datasets, after every kind of write; brought up to date from the change log after a few changes,
read again whole after a change the log cannot tell (a statement writing more datasets than a
replay takes in). Facet labels held per catalog version, and search key numbers per key."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.core.registry import serving_warmups
from jichitai.opendata import facet_labels, facet_matrix, facets, search_index, selectors, services
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.counting import bulk_created

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the facet matrix is read on PostgreSQL only"
    ),
]


def _matching(word: str):
    return selectors.public_datasets().filter(search_index.text_condition("search_text", word))


def assert_counts_as_the_database_groups_them(word: str) -> facets.KeptCounts:
    from_matrix = facets._counted(_matching(word))
    grouped = facets._counted_in_sql(_matching(word))
    assert from_matrix.count == grouped.count
    assert from_matrix.key_counts == grouped.key_counts
    return from_matrix


@pytest.fixture
def loads(monkeypatch) -> list:
    """Each time the matrix is read whole, its version is appended."""
    read: list = []
    original = facet_matrix.load

    def counting():
        matrix = original()
        read.append(matrix.version)
        return matrix

    monkeypatch.setattr(facet_matrix, "load", counting)
    return read


def _published(organization, name: str, title: str, tags: list[str], fmt: str = "CSV"):
    dataset = services.create_dataset(
        actor=None, organization=organization, name=name, title=title, tags=tags
    )
    services.add_resource(
        actor=None, dataset=dataset, url=f"https://example.jp/{name}.csv", format=fmt
    )
    return services.publish_dataset(actor=None, dataset=dataset)


def test_counts_follow_writes_from_the_change_log_without_reading_the_matrix_again(tsu, ise, loads):
    parks = _published(tsu, "parks", "都市公園一覧", ["公園", "防災"])
    _published(ise, "toilets", "公衆トイレ一覧", ["トイレ"], "PDF")
    first = assert_counts_as_the_database_groups_them("一覧")
    assert first.count == 2
    assert len(loads) == 1

    services.update_dataset(actor=None, dataset=parks, tags=["緑地"])
    assert_counts_as_the_database_groups_them("一覧")
    _published(ise, "shelters", "避難所一覧", ["防災", "避難所"], "GeoJSON")
    assert assert_counts_as_the_database_groups_them("一覧").count == 3
    Dataset.objects.filter(name="toilets").update(private=True)
    assert assert_counts_as_the_database_groups_them("一覧").count == 2
    services.delete_dataset(actor=None, dataset=Dataset.objects.get(name="parks"))
    assert assert_counts_as_the_database_groups_them("一覧").count == 1
    Dataset.objects.filter(name="toilets").delete()  # the row itself, with its links
    assert_counts_as_the_database_groups_them("一覧")
    assert len(loads) == 1


def test_a_statement_changing_more_datasets_than_a_replay_takes_reads_the_matrix_again(tsu, loads):
    _published(tsu, "parks", "都市公園一覧", ["公園"])
    assert_counts_as_the_database_groups_them("一覧")
    bulk_created(tsu, facets.MAX_REPLAYED_CHANGES + 1)
    counted = assert_counts_as_the_database_groups_them("一覧")
    assert counted.count == facets.MAX_REPLAYED_CHANGES + 2
    assert len(loads) == 2


def test_a_dataset_with_more_facet_keys_than_a_row_holds_counts_every_key(tsu):
    tags = [f"タグ{number:02d}" for number in range(facet_matrix.ROW_WIDTH + 4)]
    _published(tsu, "many-tags", "タグの多い一覧", tags)
    _published(tsu, "few-tags", "タグの少ない一覧", tags[-2:])
    counted = assert_counts_as_the_database_groups_them("一覧")
    assert sorted(counted.key_counts.values()).count(2) >= 2  # the last two tags: both datasets

    services.update_dataset(actor=None, dataset=Dataset.objects.get(name="many-tags"), tags=[])
    assert_counts_as_the_database_groups_them("一覧")  # the keys beyond the row are dropped too


def test_the_matrix_counts_rows_and_keys_beyond_its_width():
    matrix = facet_matrix.FacetMatrix(version=1)
    matrix.set_row(3, [10, 11])
    matrix.set_row(7, list(range(100, 100 + facet_matrix.ROW_WIDTH + 2)))
    matrix.set_row(9, [11])
    assert matrix.counts([3, 9]) == {10: 1, 11: 2}
    assert matrix.counts([7]) == dict.fromkeys(range(100, 100 + facet_matrix.ROW_WIDTH + 2), 1)
    matrix.set_row(7, [10])
    assert matrix.counts([3, 7]) == {10: 2, 11: 1}
    assert matrix.counts([]) == {}
    with pytest.raises(LookupError):
        matrix.counts([1000])


def test_a_matrix_newer_than_the_match_is_not_used(tsu):
    matrix = facet_matrix.FacetMatrix(version=5)
    matrix.set_row(1, [10])
    assert facet_matrix.counts_at(matrix, 4, [0, 0, None], [1], kept_versions=10) is None
    assert (
        facet_matrix.counts_at(matrix, 6, [1, 1, None], [1], kept_versions=10) is None
    )  # a recount entry
    assert facet_matrix.counts_at(matrix, 6, [1, 0, [[1, [11]]]], [1], kept_versions=10) == {11: 1}
    assert matrix.version == 6
    # Further back than the change log reaches: the log cannot say what changed.
    assert facet_matrix.counts_at(matrix, 17, [1, 0, [[1, [12]]]], [1], kept_versions=10) is None


def _label_reads(run) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return sum("opendata_searchkey k WHERE k.id = ANY" in q["sql"] for q in captured)


def test_labels_are_read_once_per_version_and_follow_a_rename(tsu):
    from jichitai.opendata.models import Tag

    _published(tsu, "parks", "都市公園一覧", ["公園", "防災"])
    _published(tsu, "toilets", "公衆トイレ一覧", ["防災"])
    counts = facets._counted(_matching("一覧")).key_counts
    version = selectors.catalog_version()
    tags = []
    assert _label_reads(
        lambda: tags.append(facet_labels.labeled(counts, ["tags"], -1, version=version))
    )
    assert [(t.name, t.count) for t in tags[0]["tags"]] == [("防災", 2), ("公園", 1)]
    assert _label_reads(lambda: facet_labels.labeled(counts, ["tags"], 1, version=version)) == 0

    Tag.objects.filter(name="公園").update(name="都市公園")
    renamed = selectors.catalog_version()
    assert renamed != version
    found = facet_labels.labeled(counts, ["tags", "organization"], -1, version=renamed)
    assert [(t.name, t.count) for t in found["tags"]] == [("防災", 2), ("都市公園", 1)]
    assert [(o.name, o.display_name) for o in found["organization"]] == [(tsu.code, tsu.name)]


def test_search_key_numbers_are_looked_up_once_and_a_new_key_is_found(tsu):
    from django.test.utils import CaptureQueriesContext

    _published(tsu, "parks", "都市公園一覧", ["公園"])
    keys = [search_index.key("text", "公園"), search_index.key("text", "一覧")]
    numbers = search_index.key_ids(keys)
    assert numbers is not None and len(numbers) == 2
    with CaptureQueriesContext(connection) as captured:
        assert search_index.key_ids(list(reversed(keys))) == numbers
    assert len(captured) == 0

    assert search_index.key_ids([search_index.key("text", "緑地")]) is None
    _published(tsu, "green", "緑地一覧", ["緑地"])
    assert search_index.key_ids([search_index.key("text", "緑地")]) is not None


def test_the_matrix_and_its_labels_read_before_serving_serve_the_first_faceted_search(tsu, loads):
    _published(tsu, "parks", "都市公園一覧", ["公園", "防災"])
    facet_matrix.forget()
    facet_labels.forget()
    serving_warmups.get("opendata.facet_matrix")()
    assert len(loads) == 1

    query = selectors.SearchQuery(text="公園", facet_fields=("tags", "organization"))
    with CaptureQueriesContext(connection) as searched:
        result = selectors.search(query, visible=selectors.public_datasets())

    assert len(loads) == 1
    assert not any("opendata_searchkey k" in q["sql"] for q in searched)  # no labels read
    assert {item.name for item in result.facets["tags"]} == {"公園", "防災"}
    assert [item.display_name for item in result.facets["organization"]] == [tsu.name]
