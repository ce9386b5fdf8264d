"""package_search answers exactly what a straightforward reading of the query over every dataset
answers: the set, the count, the order of a page and every facet count, for random queries with
words (two-character ones included), field queries, negation, OR, AND, parentheses and
metadata_modified ranges. On PostgreSQL (DATABASE_URL) this checks the search keys, the bigram
column and the one-pass facet counts against Python; on SQLite, the plain conditions.
Also: the keys follow every write, and counts kept for a catalog version are not served after a
change."""

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client

from jichitai.opendata import selectors, services
from jichitai.opendata.models import CatalogVersion, Dataset, Group, Resource
from jichitai.opendata.tests.counting import record_fresh_counts

pytestmark = pytest.mark.django_db

FACETS = ["organization", "tags", "res_format", "groups", "license_id"]
WORDS = ["防災", "一覧", "AED", "避難", "トイレ", "公園", "設置箇所", "ア", "年度", "csv", "市の"]
TAGS = ["防災", "AED", "子育て", "観光", "トイレ"]
FORMATS = ["CSV", "csv", "PDF", "XLSX", "GeoJSON"]
LICENSES = ["CC-BY-4.0", "CC0-1.0", "PDL-1.0"]
TITLES = [
    "AED設置箇所一覧",
    "指定緊急避難場所一覧",
    "公衆トイレ一覧",
    "都市公園一覧",
    "防災行政無線",
    "子育て施設(令和6年度)",
    "観光施設",
]
START = datetime(2024, 4, 1, tzinfo=UTC)


@dataclass
class Row:
    """What the reference reads of a dataset."""

    name: str
    organization: str
    text: str
    title: str
    tags: set
    groups: set
    formats: set
    license_id: str
    modified: datetime


@pytest.fixture
def rows(tsu, ise):
    rng = random.Random(15)
    groups = [
        services.create_group(actor=None, name="bousai", title="防災・安全"),
        services.create_group(actor=None, name="kanko", title="観光・文化"),
    ]
    for number in range(24):
        organization = tsu if number % 3 else ise
        dataset = services.create_dataset(
            actor=None,
            organization=organization,
            name=f"ds-{number:02d}",
            title=f"{rng.choice(TITLES)} {organization.name}",
            notes=rng.choice(["", "市の防災に関するデータです。", "年度ごとに更新します。"]),
            tags=rng.sample(TAGS, rng.randint(0, 3)),
            groups=rng.sample(groups, rng.randint(0, 2)),
            license_id=rng.choice(LICENSES),
        )
        for position in range(rng.randint(1, 3)):
            services.add_resource(
                actor=None,
                dataset=dataset,
                url=f"https://example.jp/{dataset.name}/{position}",
                name=f"データ{position}",
                format=rng.choice(FORMATS),
            )
        if number % 7:  # some stay private: never in the public answers
            services.publish_dataset(actor=None, dataset=dataset)
    # Distinct modification times, so every order is one order.
    for number, pk in enumerate(Dataset.objects.order_by("pk").values_list("pk", flat=True)):
        modified = START + timedelta(days=number * 11)
        Dataset.objects.filter(pk=pk).update(modified_at=modified)
    return public_rows()


def public_rows() -> list[Row]:
    """What the reference reads of every public dataset, as the database holds it now."""
    return [
        Row(
            name=d.name,
            organization=d.organization.code,
            text=d.search_text,
            title=d.search_title,
            tags={t.name for t in d.tags.all()},
            groups={g.name for g in d.groups.all()},
            formats={r.format for r in d.resources.all() if r.format},
            license_id=d.license_id,
            modified=d.modified_at,
        )
        for d in Dataset.objects.filter(private=False, deleted_at__isnull=True).prefetch_related(
            "tags", "groups", "resources"
        )
    ]


def _moment(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def random_query(rng: random.Random, codes: list[str], depth: int = 0):
    """A query in CKAN's syntax and the predicate that says which rows it matches."""
    if depth < 2 and rng.random() < 0.45:
        left = random_query(rng, codes, depth + 1)
        right = random_query(rng, codes, depth + 1)
        if rng.random() < 0.5:
            return f"({left[0]} OR {right[0]})", lambda r: left[1](r) or right[1](r)
        joiner = rng.choice([" AND ", " "])
        return f"({left[0]}{joiner}{right[0]})", lambda r: left[1](r) and right[1](r)
    if rng.random() < 0.2:
        inner = random_query(rng, codes, depth + 1)
        prefix = rng.choice(["-", "NOT "])
        return f"{prefix}{inner[0]}", lambda r: not inner[1](r)
    kind = rng.randrange(9)
    if kind == 0:
        word = rng.choice(WORDS)
        return word, lambda r: word.lower() in r.text
    if kind == 1:
        word = rng.choice(WORDS)
        return f"title:{word}", lambda r: word.lower() in r.title
    if kind == 2:
        tag = rng.choice([*TAGS, "存在しない"])
        return f"tags:{tag}", lambda r: tag in r.tags
    if kind == 3:
        group = rng.choice(["bousai", "kanko", "nothing"])
        return f"groups:{group}", lambda r: group in r.groups
    if kind == 4:
        name = rng.choice(["csv", "CSV", "pdf", "GeoJSON", "xlsx", "DOC"])
        return f"res_format:{name}", lambda r: name.upper() in {f.upper() for f in r.formats}
    if kind == 5:
        code = rng.choice(codes)
        return f"organization:{code}", lambda r: r.organization == code
    if kind == 6:
        licence = rng.choice(LICENSES)
        return f"license_id:{licence}", lambda r: r.license_id == licence
    if kind == 7:
        low = START + timedelta(days=rng.randrange(0, 400))
        high = low + timedelta(days=rng.randrange(0, 200))
        if rng.random() < 0.3:
            return (
                f"metadata_modified:[{_moment(low)} TO *]",
                lambda r: r.modified >= low,
            )
        return (
            f"metadata_modified:[{_moment(low)} TO {_moment(high)}]",
            lambda r: low <= r.modified <= high,
        )
    return '"一覧 津市"', lambda r: "一覧 津市" in r.text


def reference_facets(found: list[Row]) -> dict:
    counts = {
        "organization": Counter(r.organization for r in found),
        "tags": Counter(t for r in found for t in r.tags),
        "res_format": Counter(f for r in found for f in r.formats),
        "groups": Counter(g for r in found for g in r.groups),
        "license_id": Counter(r.license_id for r in found),
    }
    return {name: dict(counter) for name, counter in counts.items()}


def package_search(**data) -> dict:
    response = Client().get("/api/3/action/package_search", data)
    assert response.status_code == 200, response.content[:300]
    return response.json()["result"]


def test_random_queries_answer_as_the_straightforward_reading(rows, tsu, ise):
    rng = random.Random(2026)
    codes = [tsu.code, ise.code, "000000"]
    matched_some = 0
    for _ in range(50):
        text, predicate = random_query(rng, codes)
        expected = sorted((r for r in rows if predicate(r)), key=lambda r: r.modified, reverse=True)
        parameter = rng.choice(["q", "fq"])
        result = package_search(
            **{parameter: text},
            rows=1000,
            **{"facet.field": json.dumps(FACETS), "facet.limit": -1},
        )
        assert result["count"] == len(expected), (parameter, text)
        assert sorted(d["name"] for d in result["results"]) == sorted(r.name for r in expected)
        assert result["facets"] == reference_facets(expected), text
        # A page in the order asked for, counted as the whole.
        start = rng.randrange(0, 4)
        page = package_search(
            **{parameter: text},
            rows=3,
            start=start,
            sort="metadata_modified desc",
            **{"facet.field": json.dumps(["tags"]), "facet.limit": 2},
        )
        assert [d["name"] for d in page["results"]] == [r.name for r in expected][
            start : start + 3
        ], text
        assert page["count"] == len(expected)
        top = sorted(reference_facets(expected)["tags"].items(), key=lambda i: (-i[1], i[0]))
        assert page["facets"]["tags"] == dict(top[:2]), text
        matched_some += 0 < len(expected) < len(rows)
    assert matched_some > 15  # the queries told datasets apart, not all or nothing


def test_the_keys_follow_each_write_and_old_counts_are_not_served(tsu):
    dataset = services.create_dataset(
        actor=None, organization=tsu, name="parks", title="都市公園一覧", tags=["公園"]
    )
    resource = services.add_resource(
        actor=None, dataset=dataset, url="https://example.jp/parks.csv", format="CSV"
    )
    dataset = services.publish_dataset(actor=None, dataset=dataset)
    faceted = {"facet.field": json.dumps(FACETS)}
    before = package_search(q="公園", fq="res_format:csv", **faceted)
    assert before["count"] == 1
    assert before["facets"]["tags"] == {"公園": 1}

    services.update_dataset(actor=None, dataset=dataset, tags=["緑地"])
    services.update_resource(actor=None, resource=resource, format="GeoJSON")
    assert package_search(q="公園", fq="res_format:csv", **faceted)["count"] == 0
    after = package_search(q="公園", fq="tags:緑地 res_format:geojson", **faceted)
    assert after["count"] == 1
    assert after["facets"]["tags"] == {"緑地": 1}
    assert after["facets"]["res_format"] == {"GeoJSON": 1}

    services.delete_resource(actor=None, resource=Resource.objects.get(pk=resource.pk))
    assert package_search(fq="res_format:geojson", **faceted)["count"] == 0
    services.delete_dataset(actor=None, dataset=Dataset.objects.get(pk=dataset.pk))
    assert package_search(q="公園", **faceted)["count"] == 0


def test_counts_are_not_served_after_a_write_outside_the_services(tsu):
    """The version the counts are kept for moves with any write the search reads, also one that
    leaves every modification time as it was (a data fix, a rename of the organization)."""
    dataset = services.create_dataset(
        actor=None, organization=tsu, name="parks", title="都市公園一覧", tags=["公園"]
    )
    services.add_resource(actor=None, dataset=dataset, url="https://example.jp/parks.csv")
    dataset = services.publish_dataset(actor=None, dataset=dataset)
    faceted = {"facet.field": json.dumps(FACETS)}
    assert package_search(q="公園", **faceted)["count"] == 1

    Dataset.objects.filter(pk=dataset.pk).update(private=True, modified_at=dataset.modified_at)
    assert package_search(q="公園", **faceted)["count"] == 0

    Dataset.objects.filter(pk=dataset.pk).update(private=False, modified_at=dataset.modified_at)
    type(tsu).objects.filter(pk=tsu.pk).update(name="新津市")
    found = package_search(q="公園", **faceted)
    assert found["count"] == 1
    assert found["search_facets"]["organization"]["items"] == [
        {"name": tsu.code, "display_name": "新津市", "count": 1}
    ]


def test_a_download_leaves_the_kept_counts_in_place(tsu):
    dataset = services.create_dataset(actor=None, organization=tsu, name="parks", title="公園")
    resource = services.add_resource(
        actor=None, dataset=dataset, url="https://example.jp/parks.csv", format="CSV"
    )
    version = selectors.catalog_version()
    services.record_download(resource=resource)
    assert Resource.objects.get(pk=resource.pk).download_count == 1
    assert selectors.catalog_version() == version
    services.update_resource(actor=None, resource=resource, format="XLSX")
    assert selectors.catalog_version() != version


def test_the_version_moves_even_after_its_row_was_removed(tsu):
    CatalogVersion.objects.all().delete()  # as a flush of the database leaves it
    before = selectors.catalog_version()
    services.create_dataset(actor=None, organization=tsu, name="parks", title="公園")
    assert selectors.catalog_version() != before


def _random_write(rng: random.Random, number: int, organizations: list) -> None:
    """One write of the catalog as staff make them: a new dataset, its tags, groups or a resource's
    format changed, a dataset made private, published again or deleted."""
    datasets = list(Dataset.objects.filter(deleted_at__isnull=True).order_by("pk"))
    dataset = rng.choice(datasets)
    kind = rng.randrange(6)
    if kind == 0:
        created = services.create_dataset(
            actor=None,
            organization=rng.choice(organizations),
            name=f"new-{number:02d}",
            title=rng.choice(TITLES),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            license_id=rng.choice(LICENSES),
        )
        services.add_resource(
            actor=None, dataset=created, url="https://example.jp/new.csv", format="CSV"
        )
        services.publish_dataset(actor=None, dataset=created)
    elif kind == 1:
        services.update_dataset(actor=None, dataset=dataset, tags=rng.sample(TAGS, 2))
    elif kind == 2:
        groups = list(Group.objects.order_by("pk"))
        services.update_dataset(
            actor=None, dataset=dataset, groups=rng.sample(groups, rng.randint(0, 2))
        )
    elif kind == 3 and dataset.resources.exists():
        resource = dataset.resources.order_by("pk").first()
        services.update_resource(actor=None, resource=resource, format=rng.choice(FORMATS))
    elif kind == 4 and not dataset.private:
        services.unpublish_dataset(actor=None, dataset=dataset)
    elif kind == 4:
        services.publish_dataset(actor=None, dataset=dataset)
    else:
        services.delete_dataset(actor=None, dataset=dataset)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite counts again after a write")
def test_counts_kept_across_writes_answer_as_the_straightforward_reading(
    rows, tsu, ise, monkeypatch
):
    """Counts kept for an older version and brought up to date from the change log equal the
    reading of the catalog as it is after each write, and are not counted again."""
    counted_afresh = record_fresh_counts(monkeypatch)
    rng = random.Random(515)
    codes = [tsu.code, ise.code]
    queries = [(rng.choice(["q", "fq"]), *random_query(rng, codes)) for _ in range(8)]
    queries.append(("q", "", lambda r: True))
    for number in range(25):
        if number:
            _random_write(rng, number, [tsu, ise])
        catalog = public_rows()
        for parameter, text, predicate in queries:
            expected = [r for r in catalog if predicate(r)]
            result = package_search(
                **({parameter: text} if text else {}),
                rows=1000,
                **{"facet.field": json.dumps(FACETS), "facet.limit": -1},
            )
            assert result["count"] == len(expected), (number, parameter, text)
            assert sorted(d["name"] for d in result["results"]) == sorted(r.name for r in expected)
            assert result["facets"] == reference_facets(expected), (number, parameter, text)
    # Each query was counted once at most (two may compile alike, one may match nothing); after
    # every write its counts were brought up to date.
    assert len(counted_afresh) <= len(queries)


def test_counts_follow_a_change_of_an_organization_code(tsu):
    """A filter on the organization reads its code, not the datasets: counts kept before the code
    changed are counted again."""
    dataset = services.create_dataset(
        actor=None, organization=tsu, name="parks", title="都市公園一覧", tags=["公園"]
    )
    services.add_resource(actor=None, dataset=dataset, url="https://example.jp/parks.csv")
    services.publish_dataset(actor=None, dataset=dataset)
    faceted = {"facet.field": json.dumps(FACETS)}
    assert package_search(fq="organization:999999", **faceted)["count"] == 0

    type(tsu).objects.filter(pk=tsu.pk).update(code="999999")
    found = package_search(fq="organization:999999", **faceted)
    assert found["count"] == 1
    assert found["facets"]["organization"] == {"999999": 1}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search key numbers on PostgreSQL")
def test_an_organization_filter_is_one_more_key_number_of_the_match(tsu, ise):
    """On PostgreSQL ``organization:`` is the organization's key number in the same GIN
    containment as the words, not a join to the organizations beside it."""
    for organization, name in ((tsu, "tsu-parks"), (ise, "ise-parks")):
        dataset = services.create_dataset(
            actor=None, organization=organization, name=name, title="都市公園一覧"
        )
        services.add_resource(actor=None, dataset=dataset, url=f"https://example.jp/{name}.csv")
        services.publish_dataset(actor=None, dataset=dataset)

    found = package_search(q="公園", fq=f"organization:{tsu.code}")
    excluded = package_search(q="公園", fq=f"-organization:{tsu.code}")
    nowhere = package_search(q="公園", fq="organization:000000")

    assert [d["name"] for d in found["results"]] == ["tsu-parks"]
    assert [d["name"] for d in excluded["results"]] == ["ise-parks"]
    assert nowhere["count"] == 0
    sql = str(Dataset.objects.filter(selectors.field_condition("organization", tsu.code)).query)
    assert "search_key_ids" in sql and "tenancy_organization" not in sql
