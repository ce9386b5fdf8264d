"""The staff pages a town clerk uses to publish: create a dataset, upload a file, read what the
conversion and the check found next to the file, replace it, publish; bad input is shown next to
the field it concerns and kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jichitai.opendata.models import Dataset, Group, Resource
from jichitai.opendata.tests.factories import (
    aed_csv_resource,
    aed_xlsx_resource,
    dataset,
    published,
)
from jichitai.opendata.tests.helpers import aed_row, csv_bytes, workbook_bytes
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def test_a_clerk_creates_a_dataset_and_uploads_an_excel_list(tsu, tsu_clerk, login):
    client = login(tsu_clerk)

    response = client.post(
        "/s/242012/opendata/new/",
        {
            "title": "AED設置箇所一覧",
            "name": "tsu-aed",
            "license_id": "CC-BY-4.0",
            "frequency": "annual",
            "tags": "AED、救命",
        },
    )
    created = Dataset.objects.get(name="tsu-aed")
    assert response.url == f"/s/242012/opendata/{created.pk}/resources/new/"
    assert sorted(created.tags.values_list("name", flat=True)) == ["AED", "救命"]

    response = client.post(
        response.url,
        {
            "upload": SimpleUploadedFile(
                "aed.xlsx",
                workbook_bytes([aed_row(1), aed_row(2, 緯度="北緯34度")], title="津市AED一覧"),
            ),
            "standard": "aed",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "変換で行ったこと" in page
    assert "1行目は見出しより上にあるため" in page
    assert "エラーが 1 件あります" in page
    assert "北緯34度" in page and "数値(半角" in page


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "told"),
    [
        (
            "aed.txt",
            "utf-16",
            "\t",
            "「aed.txt」(Unicode テキスト、UTF-16)を CSV(UTF-8)に変換しました。",
        ),
        ("aed.txt", "cp932", "\t", "「aed.txt」(テキスト、Shift_JIS)を CSV(UTF-8)に変換しました。"),
        ("aed.txt", "cp932", ",", "「aed.txt」(テキスト、Shift_JIS)を CSV(UTF-8)に変換しました。"),
        ("aed.txt", "utf-8", ",", "「aed.txt」(テキスト、UTF-8)を CSV(UTF-8)にしました。"),
        ("aed.csv", "cp932", ",", "Shift_JIS の CSV を UTF-8 に変換しました。"),
        ("aed.csv", "utf-16", ",", "UTF-16 の CSV を UTF-8 に変換しました。"),
    ],
)
def test_the_file_page_says_which_file_the_csv_was_made_from(
    tsu, tsu_clerk, login, name, encoding, delimiter, told
):
    created = dataset(tsu)
    text = csv_bytes([aed_row(1)], encoding=encoding, delimiter=delimiter)

    response = login(tsu_clerk).post(
        f"/s/242012/opendata/{created.pk}/resources/new/",
        {"upload": SimpleUploadedFile(name, text), "standard": "aed"},
        follow=True,
    )

    assert told in response.content.decode()


def test_bad_input_is_shown_next_to_the_field_and_kept(tsu, tsu_clerk, login):
    dataset(tsu, "taken")

    response = login(tsu_clerk).post(
        "/s/242012/opendata/new/",
        {"title": "AED", "name": "taken", "license_id": "CC-BY-4.0", "frequency": "annual"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "URL名「taken」はすでに使われています。" in page
    assert 'value="AED"' in page
    assert Dataset.objects.count() == 1


def test_an_upload_that_is_not_what_its_name_says_is_refused_next_to_the_file_field(
    tsu, tsu_clerk, login
):
    created = dataset(tsu)

    response = login(tsu_clerk).post(
        f"/s/242012/opendata/{created.pk}/resources/new/",
        {"upload": SimpleUploadedFile("aed.xlsx", b"%PDF-1.7 not a workbook"), "name": "AED"},
    )

    page = response.content.decode()
    assert "拡張子(.xlsx)と一致しません" in page
    assert 'value="AED"' in page
    assert not Resource.objects.exists()


def test_publishing_is_refused_while_the_check_fails_and_allowed_once_fixed(tsu, tsu_clerk, login):
    created = dataset(tsu)
    resource = aed_csv_resource(created, [aed_row(1, 小児対応設備の有無="あり")])
    client = login(tsu_clerk)

    refused = client.post(f"/s/242012/opendata/{created.pk}/publish/")
    assert refused.status_code == 400
    assert "標準データセットの検証でエラーがあります" in refused.content.decode()

    client.post(
        f"/s/242012/opendata/resources/{resource.pk}/replace/",
        {"upload": SimpleUploadedFile("aed.csv", csv_bytes([aed_row(1)])), "standard": "aed"},
    )
    client.post(f"/s/242012/opendata/{created.pk}/publish/")

    created.refresh_from_db()
    assert not created.private


def test_a_manager_may_publish_over_errors_with_a_reason(tsu, make_member, login):
    manager = make_member(tsu, Role.MANAGER)
    created = dataset(tsu)
    aed_csv_resource(created, [aed_row(1, 緯度="x")])
    client = login(manager)

    page = client.get(f"/s/242012/opendata/{created.pk}/").content.decode()
    assert "検証エラーを承知で公開する" in page

    missing_reason = client.post(
        f"/s/242012/opendata/{created.pk}/publish/", {"override_reason": ""}
    )
    assert missing_reason.status_code == 400
    client.post(f"/s/242012/opendata/{created.pk}/publish/", {"override_reason": "緯度は来月補う"})

    created.refresh_from_db()
    assert not created.private and created.override_reason == "緯度は来月補う"


def test_a_viewer_sees_but_cannot_change(tsu, make_member, login):
    viewer = make_member(tsu, Role.VIEWER)
    created = published(tsu)
    client = login(viewer)

    assert client.get(f"/s/242012/opendata/{created.pk}/").status_code == 200
    assert client.post(f"/s/242012/opendata/{created.pk}/unpublish/").status_code == 403


def test_statistics_of_a_procedure_are_published_from_the_page(prefecture, prefecture_admin, login):
    from jichitai.procedures.tests.factories import published_procedure

    event = published_procedure(prefecture, name="県民講座")

    response = login(prefecture_admin).post(
        "/s/240001/opendata/statistics/new/",
        {
            "procedure": event.pk,
            "title": "県民講座の申込数",
            "name": "kenmin-koza",
            "suppression_threshold": "5",
            "license_id": "CC-BY-4.0",
        },
    )

    created = Dataset.objects.get(name="kenmin-koza")
    assert response.url == f"/s/240001/opendata/{created.pk}/"
    assert created.source_procedure == event
    assert created.resources.get().format == "CSV"


def test_the_prefecture_sees_which_municipalities_publish(
    prefecture, tsu, ise, prefecture_admin, login
):
    published(tsu, "tsu-aed")
    dataset(ise, "ise-draft")

    page = login(prefecture_admin).get("/s/240001/opendata/municipalities/").content.decode()

    assert "2 市町のうち 1 市町がオープンデータを公開しています。" in page


def test_the_prefecture_admin_adds_groups_and_a_town_cannot(prefecture_admin, tsu_admin, login):
    login(prefecture_admin).post(
        "/s/240001/opendata/groups/", {"title": "防災・安全", "name": "bosai"}
    )

    assert Group.objects.get(name="bosai").title == "防災・安全"
    assert login(tsu_admin).get("/s/242012/opendata/groups/").status_code == 404


def test_staff_download_their_own_unpublished_file(tsu, tsu_clerk, login):
    resource = aed_csv_resource(dataset(tsu))

    response = login(tsu_clerk).get(f"/s/242012/opendata/resources/{resource.pk}/file/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_choosing_a_welfare_procedure_for_statistics_asks_for_a_confirmation(
    prefecture, prefecture_admin, login
):
    from jichitai.procedures.tests.factories import published_procedure

    welfare = published_procedure(prefecture, name="障害福祉サービス利用申請")
    data = {
        "procedure": welfare.pk,
        "title": "利用申請の件数",
        "name": "welfare-stats",
        "suppression_threshold": "5",
        "license_id": "CC-BY-4.0",
    }
    client = login(prefecture_admin)

    refused = client.post("/s/240001/opendata/statistics/new/", data)

    assert refused.status_code == 200
    assert "福祉の手続のようです" in refused.content.decode()
    assert not Dataset.objects.filter(name="welfare-stats").exists()

    accepted = client.post(
        "/s/240001/opendata/statistics/new/", {**data, "welfare_confirmed": "on"}
    )
    assert accepted.status_code == 302
    assert Dataset.objects.filter(name="welfare-stats").exists()


@pytest.mark.django_db
def test_the_licence_is_shown_by_its_name_not_its_id(tsu, tsu_clerk, login):
    found = dataset(tsu)
    page = login(tsu_clerk).get(f"/s/{tsu.code}/opendata/{found.pk}/").content.decode()
    assert "クリエイティブ・コモンズ 表示 4.0 国際 (CC BY 4.0)" in page
    assert ">CC-BY-4.0<" not in page


def test_deleting_a_published_dataset_first_says_who_loses_it(tsu, make_member, login):
    listed = published(tsu)
    client = login(make_member(tsu, Role.MANAGER))
    detail = client.get(f"/s/242012/opendata/{listed.pk}/").content.decode()
    confirm = f"/s/242012/opendata/{listed.pk}/delete/"
    assert f'href="{confirm}"' in detail  # a page that says what goes, not a button that deletes

    page = client.get(confirm).content.decode()
    assert "「AED設置箇所一覧」を削除" in page
    assert "公開中です" in page and "CKAN API" in page
    assert "ファイル 1 件" in page and "「削除したデータセット」から元に戻せます" in page
    assert Dataset.objects.get(pk=listed.pk).deleted_at is None

    assert client.post(confirm).status_code == 302
    assert Dataset.objects.get(pk=listed.pk).deleted_at is not None


def test_a_manager_restores_a_deleted_dataset_from_the_list(tsu, tsu_clerk, make_member, login):
    listed = published(tsu)
    manager = login(make_member(tsu, Role.MANAGER))
    manager.post(f"/s/242012/opendata/{listed.pk}/delete/")

    def found_by_harvesters():
        search = Client().get("/api/3/action/package_search", {"q": "AED"}).json()
        return [result["name"] for result in search["result"]["results"]]

    assert found_by_harvesters() == []
    restore = f"/s/242012/opendata/{listed.pk}/restore/"
    page = manager.get("/s/242012/opendata/").content.decode()
    deleted = page.partition("削除したデータセット")[2]
    assert "AED設置箇所一覧" in deleted and f'action="{restore}"' in deleted
    assert (
        "削除したデータセット" not in login(tsu_clerk).get("/s/242012/opendata/").content.decode()
    )
    assert login(tsu_clerk).post(restore).status_code == 403
    detail = manager.get(f"/s/242012/opendata/{listed.pk}/").content.decode()
    assert "削除されています" in detail and f'action="{restore}"' in detail
    assert "データセットを削除" not in detail and "非公開にする" not in detail

    response = manager.post(restore)
    assert response.url == f"/s/242012/opendata/{listed.pk}/"
    listed.refresh_from_db()
    assert listed.deleted_at is None and not listed.private  # back as it was: published
    assert found_by_harvesters() == [listed.name]
    assert "削除したデータセット" not in manager.get("/s/242012/opendata/").content.decode()


def test_deleting_a_file_first_says_what_goes_with_it(tsu, tsu_clerk, login):
    listed = published(tsu)
    excel = aed_xlsx_resource(listed)
    [csv] = excel.derived.all()
    client = login(tsu_clerk)
    # The CSV made from the Excel file stands for it: its page deletes the Excel file.
    confirm = f"/s/242012/opendata/resources/{csv.pk}/delete/"
    assert (
        f'href="{confirm}"'
        in client.get(f"/s/242012/opendata/resources/{csv.pk}/").content.decode()
    )

    page = client.get(confirm).content.decode()
    assert f"「{excel.name}」を削除" in page
    assert f"<li>{csv.name}</li>" in page  # what was made from it goes too
    assert "公開中のデータセットのファイルです" in page and "元に戻せません" in page
    assert Resource.objects.filter(pk__in=[excel.pk, csv.pk]).count() == 2

    assert client.post(confirm).status_code == 302
    assert not Resource.objects.filter(pk__in=[excel.pk, csv.pk]).exists()
