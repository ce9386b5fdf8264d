"""The public catalog pages residents and re-users see: search with facets, a dataset, a resource
with its table preview, downloads that are counted, and nothing that is not published."""

import pytest
from django.test import Client

from jichitai.opendata.models import Resource
from jichitai.opendata.tests.factories import aed_xlsx_resource, dataset, published

pytestmark = pytest.mark.django_db


def test_the_catalog_searches_and_offers_facets(tsu, ise):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED"])
    published(ise, "ise-aed", title="AED設置箇所一覧(伊勢市)", tags=["AED"])
    dataset(tsu, "tsu-draft", title="AED(作成中)")

    page = Client().get("/opendata/", {"q": "AED", "organization": "242039"}).content.decode()

    assert "AED設置箇所一覧(伊勢市)" in page
    assert "AED設置箇所一覧(津市)" not in page
    assert "作成中" not in page
    assert "1 件のデータセット" in page


def test_the_catalogs_filters_are_named_in_the_readers_language(tsu):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED"])
    japanese = Client().get("/opendata/").content.decode()
    english = Client().get("/opendata/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for heading in ("団体", "タグ", "形式", "ライセンス"):
        assert f"<h2>{heading}</h2>" in japanese
    for heading in ("Organization", "Tags", "Format", "License"):
        assert f"<h2>{heading}</h2>" in english
    assert "<h2>タグ</h2>" not in english


def test_a_dataset_page_shows_license_resources_and_metadata_links(tsu):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED", "救急"])

    page = Client().get("/dataset/tsu-aed").content.decode()

    assert "クリエイティブ・コモンズ 表示 4.0" in page
    assert "標準データセット準拠" in page
    assert "/dataset/tsu-aed.ttl" in page
    assert "★★★☆☆" in page
    english = Client().get("/dataset/tsu-aed", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "・" not in english and "、" not in english  # Japanese list marks between links


def test_a_resource_page_previews_the_table_and_the_download_is_counted(tsu):
    created = dataset(tsu, "tsu-aed")
    original = aed_xlsx_resource(created, title="AED一覧")
    from jichitai.opendata import services

    services.publish_dataset(actor=None, dataset=created)
    converted = original.derived.get()

    page = Client().get(f"/dataset/{created.ckan_id}/resource/{original.ckan_id}").content.decode()
    assert '<th scope="col">名称_カナ</th>' in page
    assert "施設1" in page

    download = Client().get(
        f"/dataset/{created.ckan_id}/resource/{converted.ckan_id}/download/aed.csv"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("utf-8-sig").startswith("都道府県コード")
    assert download["Access-Control-Allow-Origin"] == "*"
    assert Resource.objects.get(pk=converted.pk).download_count == 1


def test_files_of_unpublished_datasets_are_not_served(tsu):
    created = dataset(tsu, "tsu-aed")
    resource = aed_xlsx_resource(created)

    url = f"/dataset/{created.ckan_id}/resource/{resource.ckan_id}/download/aed.xlsx"

    assert Client().get(url).status_code == 404
    assert Client().get("/dataset/tsu-aed").status_code == 404


def test_the_organizations_public_page_lists_its_datasets(tsu):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)")

    page = Client().get("/o/242012/").content.decode()

    assert "AED設置箇所一覧(津市)" in page


def test_the_standards_page_lists_every_standard():
    page = Client().get("/opendata/standards/").content.decode()

    assert "AED設置箇所一覧" in page and "公衆トイレ一覧" in page
    english = Client().get("/opendata/standards/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    catalog = Client().get("/opendata/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "</a> ・ " not in english and "</a> ・ " not in catalog
