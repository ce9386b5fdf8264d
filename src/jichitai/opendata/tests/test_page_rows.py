"""A page of datasets with what a listing and CKAN's dictionaries show (organization, division,
tags, groups, resources): on PostgreSQL read in one statement instead of one per relation, with
the same dictionaries as the datasets read with their relations prefetched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.opendata import selectors, services
from jichitai.opendata.ckan.dicts import package_dict
from jichitai.opendata.ckan.params import Context
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.factories import aed_xlsx_resource, dataset
from jichitai.tenancy.models import Division

pytestmark = pytest.mark.django_db

CONTEXT = Context(base_url="https://opendata.example.jp", principal=None, files={})


@pytest.fixture
def page(tsu) -> list[int]:
    division = Division.objects.create(organization=tsu, name="危機管理課")
    disaster = services.create_group(actor=None, name="bousai", title="防災")
    health = services.create_group(actor=None, name="kenkou", title="健康")
    full = dataset(
        tsu,
        "aed",
        division=division,
        tags=["避難所", "AED", "防災"],
        groups=[health, disaster],
        contact_name="危機管理課",
    )
    # An Excel upload (with the CSV made from it) and a link, in their positions.
    aed_xlsx_resource(full)
    services.add_resource(
        actor=None, dataset=full, url="https://example.jp/aed.pdf", name="地図", format="PDF"
    )
    services.publish_dataset(actor=None, dataset=full)
    bare = dataset(tsu, "bare", title="関係のないデータセット")
    return [full.pk, bare.pk]


def test_the_page_read_gives_the_dictionaries_of_the_prefetched_datasets(page):
    prefetched = selectors.with_relations(Dataset.objects.filter(pk__in=page))
    expected = {d.pk: package_dict(d, CONTEXT) for d in prefetched}

    datasets = selectors.datasets_with_relations(page)
    # Everything the dictionaries read was read with the page.
    with CaptureQueriesContext(connection) as built:
        found = {d.pk: package_dict(d, CONTEXT) for d in datasets}

    assert len(built) == 0
    assert found == expected
    full = found[page[0]]
    assert [t["name"] for t in full["tags"]] == sorted(["避難所", "AED", "防災"])
    assert [g["name"] for g in full["groups"]] == ["bousai", "kenkou"]
    assert full["author"] == "危機管理課"
    assert [r["position"] for r in full["resources"]] == sorted(
        r["position"] for r in full["resources"]
    )
    assert found[page[1]]["resources"] == [] and found[page[1]]["tags"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_the_page_is_read_in_one_statement_on_postgresql(page):
    with CaptureQueriesContext(connection) as read:
        datasets = selectors.datasets_with_relations(page)

    assert len(read) == 1
    assert {d.pk for d in datasets} == set(page)
    assert all(d.resources.all()[0].dataset is d for d in datasets if d.resources.all())
