"""The CKAN Action API as CKAN clients use it: both URL prefixes, GET and POST (JSON and multipart),
CKAN's envelope and status codes, unknown parameters ignored, raw API tokens."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jichitai.accounts import services as accounts
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.factories import dataset, published
from jichitai.opendata.tests.helpers import aed_row, csv_bytes, workbook_bytes
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def token_for(user, role=Role.CLERK) -> str:
    return accounts.create_api_token(
        actor=None, membership=user.memberships.get(), name="ckan", role=role
    )[1]


def call(action, client=None, /, *, method="get", prefix="/api/3/action/", **data):
    client = client or Client()
    if method == "get":
        response = client.get(prefix + action, data)
    else:
        response = client.post(prefix + action, json.dumps(data), content_type="application/json")
    body = response.json()
    assert "help" in body and "success" in body
    return response.status_code, body


@pytest.fixture
def tsu_writer(tsu_clerk):
    return Client(HTTP_AUTHORIZATION=token_for(tsu_clerk))


@pytest.mark.parametrize("prefix", ["/api/action/", "/api/3/action/"])
def test_both_url_prefixes_answer_with_ckans_envelope(prefix):
    status, body = call("status_show", prefix=prefix)

    assert status == 200
    assert body["success"] is True
    assert body["result"]["ckan_version"].startswith("2.")
    assert body["help"].endswith("help_show?name=status_show")


def test_an_unknown_action_is_a_bad_request():
    status, body = call("package_frobnicate")

    assert status == 400
    assert body["success"] is False
    assert "Action name not known" in body["error"]["message"]


def test_package_list_and_show_see_only_published_datasets(tsu):
    published(tsu, "tsu-aed")
    dataset(tsu, "tsu-draft")

    assert call("package_list")[1]["result"] == ["tsu-aed"]
    status, body = call("package_show", id="tsu-draft")
    assert status == 404
    assert body["error"]["__type"] == "Not Found Error"


def test_package_show_answers_by_name_or_id_with_ckans_fields(tsu):
    created = published(tsu, "tsu-aed", tags=["AED"])

    by_name = call("package_show", id="tsu-aed", unknown_parameter="ignored")[1]["result"]
    by_id = call("package_show", id=str(created.ckan_id))[1]["result"]

    assert by_name == by_id
    assert by_name["organization"]["name"] == "242012"
    assert by_name["license_id"] == "CC-BY-4.0" and by_name["isopen"] is True
    assert by_name["tags"][0]["name"] == "AED"
    resource = by_name["resources"][0]
    assert resource["format"] == "CSV"
    assert resource["url"].startswith("http://testserver/dataset/")
    assert resource["conforms_to"].endswith("/opendata/standards/aed/legacy.json")


def test_a_missing_parameter_is_a_validation_error():
    status, body = call("package_show")

    assert status == 409
    assert body["error"] == {"__type": "Validation Error", "id": ["Missing value"]}


def test_a_licence_facet_is_shown_by_the_licences_title_as_ckan_does(tsu, client):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)")
    body = call("package_search", **{"facet.field": json.dumps(["license_id"])})[1]["result"]
    assert body["search_facets"]["license_id"]["items"] == [
        {
            "name": "CC-BY-4.0",
            "display_name": "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)",
            "count": 1,
        }
    ]
    assert body["facets"]["license_id"] == {"CC-BY-4.0": 1}  # the id stays the key
    catalog = client.get("/opendata/").content.decode()
    assert ">クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)</a> (1)" in catalog


def test_package_search_with_q_fq_facets_sort_and_paging(tsu, ise):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED", "防災"])
    published(tsu, "tsu-toilet", title="公衆トイレ一覧(津市)", tags=["トイレ"])
    published(ise, "ise-aed", title="AED設置箇所一覧(伊勢市)", tags=["AED"])

    body = call(
        "package_search",
        q="AED",
        fq="organization:242012",
        **{"facet.field": json.dumps(["tags", "organization"]), "facet.limit": "10"},
    )[1]["result"]
    assert body["count"] == 1
    assert body["results"][0]["name"] == "tsu-aed"
    assert body["search_facets"]["tags"]["items"][0]["count"] == 1

    everything = call("package_search", fq="tags:AED", sort="name asc", rows=1, start=1)[1][
        "result"
    ]
    assert everything["count"] == 2
    assert [d["name"] for d in everything["results"]] == ["tsu-aed"]

    facets = call("package_search", **{"facet.field": '["tags"]'})[1]["result"]["facets"]
    assert facets["tags"] == {"AED": 2, "防災": 1, "トイレ": 1}


def test_package_search_filters_by_format_license_group_and_modification_time(tsu):
    from jichitai.opendata.models import Group

    group = Group.objects.create(name="bosai", title="防災")
    published(tsu, "with-group", groups=[group])
    published(tsu, "other")
    Dataset.objects.filter(name="other").update(modified_at="2020-01-01T00:00:00+00:00")

    def names(**data):
        return sorted(d["name"] for d in call("package_search", **data)[1]["result"]["results"])

    assert names(fq="groups:bosai") == ["with-group"]
    assert names(fq="res_format:CSV license_id:CC-BY-4.0") == ["other", "with-group"]
    assert names(fq="metadata_modified:[2024-01-01T00:00:00Z TO *]") == ["with-group"]
    assert names(q="tags:nothing") == []


def test_rows_are_capped_at_1000_and_bad_numbers_are_bad_requests():
    assert call("package_search", rows="5000")[0] == 200
    status, body = call("package_search", rows="many")
    assert status == 400
    assert body["error"]["__type"] == "Validation Error"
    assert "rows" in body["error"]


def test_organization_group_tag_and_license_lists(tsu, prefecture):
    from jichitai.opendata.models import Group

    Group.objects.create(name="bosai", title="防災")
    published(tsu, "tsu-aed", tags=["AED"])

    assert "242012" in call("organization_list")[1]["result"]
    organizations = call("organization_list", all_fields="true")[1]["result"]
    assert {o["name"]: o["package_count"] for o in organizations}["242012"] == 1
    shown = call("organization_show", id="242012", include_datasets="true")[1]["result"]
    assert shown["title"] == "津市" and shown["packages"][0]["name"] == "tsu-aed"
    assert call("group_list")[1]["result"] == ["bosai"]
    assert call("group_show", id="bosai")[1]["result"]["title"] == "防災"
    assert call("tag_list")[1]["result"] == ["AED"]
    licenses = {item["id"] for item in call("license_list")[1]["result"]}
    assert {"CC-BY-4.0", "CC0-1.0", "PDL-1.0", "ODbL-1.0"} <= licenses
    # A harvester gets the same answer whatever its Accept-Language: a licence's title matches
    # the license_title of the datasets under it.
    japanese = Client().get("/api/3/action/license_list").json()
    english = Client().get("/api/3/action/license_list", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == japanese


def test_resource_show(tsu):
    resource = published(tsu).resources.get()

    body = call("resource_show", id=str(resource.ckan_id))[1]["result"]

    assert body["name"] == resource.name
    assert call("resource_show", id="not-a-uuid")[0] == 404


def test_writing_needs_a_token_and_post():
    assert call("package_create", method="post", name="x", title="x")[0] == 403
    status, body = call("package_create", name="x", title="x")
    assert status == 400
    assert "POST" in body["error"]["message"]


def test_an_invalid_token_is_refused():
    client = Client(HTTP_AUTHORIZATION="abcd.wrong")

    status, body = call("package_list", client)

    assert status == 403
    assert body["error"]["__type"] == "Authorization Error"


def test_a_viewer_token_cannot_write(tsu, make_member):
    viewer = make_member(tsu, Role.VIEWER)
    client = Client(HTTP_AUTHORIZATION=token_for(viewer, Role.VIEWER))

    assert call("package_create", client, method="post", name="x", title="x")[0] == 403


def test_create_update_patch_and_delete_a_dataset(tsu, tsu_writer):
    status, body = call(
        "package_create",
        tsu_writer,
        method="post",
        name="tsu-events",
        title="イベント一覧",
        notes="市のイベント",
        tags=[{"name": "イベント"}],
        resources=[{"url": "https://example.jp/events.csv", "name": "イベント"}],
        extras=[{"key": "frequency", "value": "monthly"}],
        some_unknown_field="ignored",
    )
    assert status == 200, body
    created = body["result"]
    assert created["private"] is False and created["owner_org"] == "242012"
    assert created["resources"][0]["format"] == "CSV"
    assert created["frequency"] == "monthly"

    patched = call("package_patch", tsu_writer, method="post", id="tsu-events", title="イベント")
    assert patched[1]["result"]["title"] == "イベント"
    assert patched[1]["result"]["notes"] == "市のイベント"  # untouched by a patch

    updated = call("package_update", tsu_writer, method="post", id="tsu-events", title="行事")
    assert updated[1]["result"]["notes"] == ""  # package_update replaces the whole dataset
    assert len(updated[1]["result"]["resources"]) == 1  # resources omitted: left as they are
    emptied = call(
        "package_update", tsu_writer, method="post", id="tsu-events", title="行事", resources=[]
    )
    assert emptied[1]["result"]["resources"] == []  # resources listed: exactly those remain

    assert call("package_delete", tsu_writer, method="post", id="tsu-events")[0] == 200
    assert call("package_show", id="tsu-events")[0] == 404
    assert Dataset.objects.get(name="tsu-events").deleted_at is not None


def test_validation_errors_are_409_with_the_field(tsu_writer, tsu):
    dataset(tsu, "taken")

    status, body = call("package_create", tsu_writer, method="post", name="taken", title="x")

    assert status == 409
    assert "すでに使われています" in body["error"]["name"][0]
    assert Dataset.objects.count() == 1


def test_one_organization_cannot_write_to_anothers_datasets(tsu, ise, tsu_writer):
    published(ise, "ise-aed")

    assert call("package_patch", tsu_writer, method="post", id="ise-aed", title="x")[0] == 404
    assert call("package_delete", tsu_writer, method="post", id="ise-aed")[0] == 404
    status, _body = call(
        "package_create", tsu_writer, method="post", name="y", title="y", owner_org="242039"
    )
    assert status == 403
    assert Dataset.objects.get(name="ise-aed").title == "AED設置箇所一覧"


def test_a_private_dataset_is_readable_only_with_its_own_organizations_token(
    tsu, ise, ise_admin, tsu_writer
):
    dataset(tsu, "tsu-draft")
    ise_client = Client(HTTP_AUTHORIZATION=token_for(ise_admin, Role.ADMIN))

    assert call("package_show", tsu_writer, id="tsu-draft")[0] == 200
    assert call("package_show", ise_client, id="tsu-draft")[0] == 404
    assert call("package_search", ise_client, include_private="true")[1]["result"]["count"] == 0
    assert call("package_search", tsu_writer, include_private="true")[1]["result"]["count"] == 1


def test_resource_create_with_a_multipart_upload_validates_and_converts(tsu, tsu_writer):
    created = dataset(tsu, "tsu-aed")

    response = tsu_writer.post(
        "/api/action/resource_create",
        {
            "package_id": "tsu-aed",
            "name": "AED一覧",
            "standard_dataset": "aed",
            "upload": SimpleUploadedFile("aed.xlsx", workbook_bytes([aed_row(1)], title="一覧")),
        },
    )

    assert response.status_code == 200, response.json()
    result = response.json()["result"]
    assert result["format"] == "XLSX" and result["url_type"] == "upload"
    package = call("package_show", tsu_writer, id="tsu-aed")[1]["result"]
    assert [r["format"] for r in package["resources"]] == ["XLSX", "CSV"]
    assert package["resources"][1]["validation_status"] == "warnings"
    assert created.resources.count() == 2


def test_package_update_keeps_an_excel_file_whose_csv_it_lists_and_removes_the_unlisted(
    tsu, tsu_writer
):
    dataset(tsu, "tsu-aed")
    tsu_writer.post(
        "/api/action/resource_create",
        {
            "package_id": "tsu-aed",
            "upload": SimpleUploadedFile("aed.xlsx", workbook_bytes([aed_row(1)], title="一覧")),
        },
    )
    call(
        "resource_create",
        tsu_writer,
        method="post",
        package_id="tsu-aed",
        url="https://example.jp/map.pdf",
    )
    excel, csv, link = call("package_show", tsu_writer, id="tsu-aed")[1]["result"]["resources"]

    kept = call(
        "package_update",
        tsu_writer,
        method="post",
        id="tsu-aed",
        title="AED",
        resources=[{"id": csv["id"]}],
    )[1]["result"]["resources"]

    # The CSV made from the Excel file keeps its source; the link nobody listed is gone.
    assert [r["id"] for r in kept] == [excel["id"], csv["id"]]
    assert link["id"] not in {r["id"] for r in kept}


def test_publishing_through_the_api_respects_the_validation_gate(tsu, tsu_writer):
    dataset(tsu, "tsu-aed")
    tsu_writer.post(
        "/api/action/resource_create",
        {
            "package_id": "tsu-aed",
            "standard_dataset": "aed",
            "upload": SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1, 緯度="x")])),
        },
    )

    status, body = call("package_patch", tsu_writer, method="post", id="tsu-aed", private=False)

    assert status == 409
    assert "検証でエラー" in json.dumps(body["error"], ensure_ascii=False)
    assert Dataset.objects.get(name="tsu-aed").private


def test_resource_update_replaces_the_file_and_revalidates(tsu, tsu_writer):
    created = dataset(tsu, "tsu-aed")
    response = tsu_writer.post(
        "/api/action/resource_create",
        {
            "package_id": "tsu-aed",
            "standard_dataset": "aed",
            "upload": SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1, 緯度="x")])),
        },
    )
    resource_id = response.json()["result"]["id"]

    response = tsu_writer.post(
        "/api/action/resource_patch",
        {"id": resource_id, "upload": SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1)]))},
    )

    assert response.json()["result"]["validation_status"] == "warnings"
    assert created.resources.get().validation_status == "warnings"


def test_a_refused_upload_is_a_validation_error_and_stores_nothing(tsu, tsu_writer):
    created = dataset(tsu, "tsu-aed")

    response = tsu_writer.post(
        "/api/action/resource_create",
        {"package_id": "tsu-aed", "upload": SimpleUploadedFile("aed.csv", b"\x00\x01\x02" * 10)},
    )

    assert response.status_code == 409
    assert "upload" in response.json()["error"]
    assert not created.resources.exists()


def test_a_body_that_is_not_json_is_a_bad_request(tsu_writer):
    response = tsu_writer.post(
        "/api/action/package_create", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]
