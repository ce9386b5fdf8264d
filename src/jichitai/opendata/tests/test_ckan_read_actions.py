"""The reading actions harvesters and tools call besides search (ckanext-harvest's CKAN harvester,
ckanext-dcat, ``ckanapi dump``): their answers carry CKAN's keys."""

import pytest
from django.test import Client

from jichitai.opendata import services
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.factories import dataset, published
from jichitai.opendata.tests.test_ckan_api import call, token_for

pytestmark = pytest.mark.django_db


def result(action, client=None, **data):
    status, body = call(action, client, **data)
    assert status == 200, body
    return body["result"]


@pytest.fixture
def catalog(tsu, ise):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED", "防災"])
    published(ise, "ise-toilet", title="公衆トイレ一覧(伊勢市)", tags=["トイレ"])
    dataset(tsu, "tsu-draft", title="下書きAED", tags=["AED"])
    # A time no other test sets: cached dictionaries are keyed by id and modification time, and
    # ids are reused between tests.
    Dataset.objects.filter(name="ise-toilet").update(modified_at="2020-01-02T03:04:05.123+00:00")


def test_current_package_list_with_resources_pages_public_datasets_newest_first(catalog):
    listed = result("current_package_list_with_resources")
    assert [d["name"] for d in listed] == ["tsu-aed", "ise-toilet"]
    assert listed[0]["resources"][0]["format"] == "CSV"
    assert [
        d["name"] for d in result("current_package_list_with_resources", limit=1, offset=1)
    ] == ["ise-toilet"]
    assert [d["name"] for d in result("current_package_list_with_resources", limit=1, page=2)] == [
        "ise-toilet"
    ]


def test_tag_show_search_and_autocomplete_see_public_tags_only(catalog):
    shown = result("tag_show", id="AED", include_datasets="true")
    assert set(shown) >= {"id", "name", "display_name", "vocabulary_id", "packages"}
    assert [d["name"] for d in shown["packages"]] == ["tsu-aed"]
    assert result("tag_show", id=shown["id"])["name"] == "AED"
    assert call("tag_show", id="存在しない")[0] == 404

    assert [t["name"] for t in result("tag_search", query="防")["results"]] == ["防災"]
    assert result("tag_autocomplete", q="ト") == ["トイレ"]
    assert result("tag_list", vocabulary_id="anything") == []
    assert result("vocabulary_list") == []


def test_user_show_answers_for_the_tokens_own_user_only(tsu, tsu_clerk, ise_admin):
    client = Client(HTTP_AUTHORIZATION=token_for(tsu_clerk))
    shown = result("user_show", client, id=tsu_clerk.username)
    assert shown["name"] == tsu_clerk.username
    assert shown["sysadmin"] is False
    assert call("user_show", client, id=ise_admin.username)[0] == 404
    assert call("user_show", id=tsu_clerk.username)[0] == 404
    assert [o["name"] for o in result("organization_list_for_user", client)] == [tsu.code]
    assert result("organization_list_for_user") == []


def test_organization_show_with_datasets_and_group_reads(catalog, tsu):
    group = services.create_group(actor=None, name="bousai", title="防災")
    services.update_dataset(actor=None, dataset=Dataset.objects.get(name="tsu-aed"), groups=[group])

    shown = result("organization_show", id=tsu.code, include_datasets="true")
    assert shown["package_count"] == 1
    assert [d["name"] for d in shown["packages"]] == ["tsu-aed"]
    assert [d["name"] for d in result("group_package_show", id="bousai")] == ["tsu-aed"]
    members = result("member_list", id="bousai")
    assert members == [[str(Dataset.objects.get(name="tsu-aed").ckan_id), "package", "public"]]
    assert result("group_autocomplete", q="防")[0]["name"] == "bousai"
    assert result("organization_autocomplete", q="津")[0]["name"] == tsu.code


def test_autocomplete_and_resource_search(catalog):
    assert [p["name"] for p in result("package_autocomplete", q="AED")] == ["tsu-aed"]
    assert result("format_autocomplete", q="cs") == ["csv"]
    found = result("resource_search", query="format:CSV")
    assert found["count"] == 2
    assert {r["package_id"] for r in found["results"]} == {
        str(Dataset.objects.get(name=n).ckan_id) for n in ("tsu-aed", "ise-toilet")
    }
    assert call("resource_search", query="secret:x")[0] == 400


def test_actions_for_what_the_catalog_does_not_keep_answer_empty(catalog):
    for action in ("resource_view_list", "package_collaborator_list", "package_activity_list"):
        assert result(action, id="tsu-aed") == []
    assert result("site_read") is True
    assert result("config_option_show", key="ckan.locale_default") == "ja"


def test_resource_validation_show_gives_ckanext_validations_status_and_report(tsu, tsu_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jichitai.opendata.tests.helpers import aed_row, csv_bytes

    created = dataset(tsu, "tsu-aed-check")
    writer = Client(HTTP_AUTHORIZATION=token_for(tsu_clerk))
    # The official Japanese name names the standard as its key does.
    response = writer.post(
        "/api/3/action/resource_create",
        {
            "package_id": created.name,
            "name": "AED",
            "standard_dataset": "AED設置箇所一覧",
            "upload": SimpleUploadedFile(
                "aed.csv", csv_bytes([aed_row(1), aed_row(2, 名称_カナ="ｼｾﾂ")])
            ),
        },
    )
    assert response.status_code == 200, response.json()
    resource_id = response.json()["result"]["id"]
    assert response.json()["result"]["standard_dataset"] == "aed"

    shown = result("resource_validation_show", writer, resource_id=resource_id)

    assert shown["status"] == "failure"
    error = shown["report"]["tasks"][0]["errors"][0]
    assert error == {
        "type": "kana",
        "rowNumber": 3,
        "fieldName": "名称_カナ",
        "cell": "ｼｾﾂ",
        "message": error["message"],
    }
    assert "全角カタカナ" in error["message"]
