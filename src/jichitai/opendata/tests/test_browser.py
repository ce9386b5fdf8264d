"""Done when: a town clerk uploads an Excel list of AED sites, sees the validation report, fixes the
file, publishes it under CC BY, and a CKAN client finds it through package_search. In real
Chromium, with every page checked by axe."""

import re

import pytest
from ckanapi import RemoteCKAN
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jichitai.opendata.models import Resource
from jichitai.opendata.tests.helpers import aed_row, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_staff(settings):
    call_command("demo", quiet_logins=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True


def staff_login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill(username)
    page.get_by_label("パスワード").fill("jichitai-demo-2026")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name=re.compile("職員ホーム")).wait_for()


def test_a_town_clerk_publishes_an_aed_list_that_ckan_clients_find(
    page, live_server, demo_staff, accessible, tmp_path
):
    wrong = tmp_path / "AED設置箇所一覧.xlsx"
    wrong.write_bytes(
        workbook_bytes(
            [
                aed_row(1, 名称="津市白山総合支所"),
                aed_row(2, 名称="津市美杉総合支所", 緯度="136.3", 経度="34.5"),
            ],
            title="津市 AED設置箇所一覧",
            notes=["※ 開館時間内のみ利用できます。"],
        )
    )
    fixed = tmp_path / "AED設置箇所一覧(修正).xlsx"
    fixed.write_bytes(
        workbook_bytes(
            [
                aed_row(1, 名称="津市白山総合支所"),
                aed_row(2, 名称="津市美杉総合支所", 緯度="34.5", 経度="136.3"),
            ],
            title="津市 AED設置箇所一覧",
        )
    )

    staff_login(page, "tsu-clerk")
    page.get_by_role("navigation", name="メニュー").get_by_role(
        "link", name="オープンデータ"
    ).click()
    accessible(page)
    page.get_by_role("link", name="データセットを作成").click()
    page.get_by_label("タイトル").fill("AED設置箇所一覧(市の施設)")
    page.get_by_label("URL名").fill("tsu-aed-facilities")
    page.get_by_label("タグ").fill("AED、救命")
    page.get_by_label("防災・安全").check()
    accessible(page)
    page.get_by_role("button", name="保存").click()

    page.get_by_label("ファイル", exact=True).set_input_files(str(wrong))
    page.get_by_label("準拠する標準データセット").select_option("aed")
    accessible(page)
    page.get_by_role("button", name="登録して検証する").click()

    alert = page.get_by_role("alert")
    alert.wait_for()
    # Latitude and longitude swapped in one row: one finding for the row, not one per cell.
    assert "エラーが 1 件" in alert.inner_text()
    report = page.get_by_role("table", name="検証で見つかった問題").inner_text()
    assert "136.3" in report and "入れ替わって" in report
    assert "注記とみなし" in page.get_by_role("region", name="変換で行ったこと").inner_text()
    accessible(page)

    page.get_by_role("link", name="AED設置箇所一覧(市の施設)").click()
    page.get_by_role("button", name="公開する").click()
    assert "このままでは公開できません" in page.content()

    page.get_by_role("link", name=re.compile(r"\(CSV\)")).click()
    page.get_by_label("新しいファイル").set_input_files(str(fixed))
    page.get_by_role("button", name="差し替えて検証する").click()
    page.get_by_text("エラーはありません。").wait_for()
    accessible(page)

    page.get_by_role("link", name="AED設置箇所一覧(市の施設)").click()
    page.get_by_role("button", name="公開する").click()
    page.get_by_text("データセットを公開しました。").wait_for()

    with RemoteCKAN(live_server.url, user_agent="jichitai-tests") as ckan:
        found = ckan.action.package_search(q="施設 AED", fq="organization:242012 tags:救命")
    # The demo's own AED list matches too; the title matching both words comes first.
    assert found["count"] == 2
    assert found["results"][0]["name"] == "tsu-aed-facilities"
    result = found["results"][0]
    assert result["license_id"] == "CC-BY-4.0"
    assert {r["format"] for r in result["resources"]} == {"XLSX", "CSV"}

    page.goto("/opendata/?q=AED")
    page.get_by_role("link", name="AED設置箇所一覧(市の施設)").click()
    assert "クリエイティブ・コモンズ 表示 4.0" in page.content()
    accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/opendata/")
    accessible(page)
    # On a phone the filters come first; one link takes the resident past them to the results.
    jump = page.get_by_role("link", name=re.compile(r"検索結果\(\d+ 件\)へ移動"))
    jump.click()
    results = page.locator("#catalog-results")
    assert results.evaluate("element => element === document.activeElement")
    assert results.bounding_box()["y"] < 80  # scrolled to the top of the screen
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not jump.is_visible()


def test_on_a_phone_every_standard_and_its_schemas_are_in_view(page, accessible):
    from jichitai.conftest import CONTROLS_OFF_SCREEN

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/opendata/standards/")
    assert page.evaluate(CONTROLS_OFF_SCREEN) == []
    assert page.get_by_role("link", name="自治体標準オープンデータセット(現行)").first.is_visible()
    accessible(page)


def test_in_english_a_reports_kind_of_problem_reads_as_one_word(desk, demo_staff, accessible):
    """The findings table squeezes its narrow columns beside long Japanese details: the
    「Warning」 badge of each finding stayed whole only in Japanese (「War / ning」 in English)."""
    resource = Resource.objects.filter(
        organization__code="242012", validation_status=Resource.Validation.WARNINGS
    ).first()
    page = desk(get_user_model().objects.get(username="tsu-clerk"), locale="en-US")
    page.goto(f"/s/242012/opendata/resources/{resource.pk}/")
    assert page.get_by_text("Warning", exact=True).count() > 0
    accessible(page)
