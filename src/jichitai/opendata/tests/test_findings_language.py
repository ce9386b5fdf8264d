"""What converting a file did (a title row removed, merged cells filled, a note left out) is kept
as its Japanese source and values, and told in the language of whoever reads it: a colleague
reading in Japanese never meets the English of the one who uploaded it in English, nor the
reverse."""

import pytest
from django.utils import translation

from jichitai.opendata.tests.factories import aed_csv_resource, aed_xlsx_resource, dataset
from jichitai.opendata.tests.helpers import aed_row
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def converted(tsu):
    """A workbook with a title row and a note, uploaded by someone reading the pages in English."""
    with translation.override("en"):
        original = aed_xlsx_resource(dataset(tsu), title="AED一覧", notes=["※ 開館時間内のみ"])
    return original.derived.get()


def _page(client, resource) -> str:
    return client.get(f"/s/242012/opendata/resources/{resource.pk}/").content.decode()


def test_a_colleague_reading_in_japanese_is_told_in_japanese(converted, tsu, make_member, login):
    page = _page(login(make_member(tsu, Role.CLERK)), converted)
    assert "1行目は見出しより上にあるため、表題とみなして除きました: 「AED一覧」" in page
    assert "注記とみなし、データから除きました: 「※ 開館時間内のみ」" in page
    assert "title" not in page.split('id="conversion-title"')[1].split("</section>")[0]


def test_someone_reading_in_english_is_told_in_english(converted, tsu, make_member, login):
    client = login(make_member(tsu, Role.CLERK))
    client.cookies["django_language"] = "en"
    page = _page(client, converted)
    section = page.split('id="conversion-title"')[1].split("</section>")[0]
    assert "表題とみなして" not in section
    assert (
        "Row 1 is above the header, so it was taken as a title and left out: &quot;AED一覧&quot;"
        in section
    )


def test_findings_kept_before_their_source_was_kept_still_show(converted, tsu, make_member, login):
    converted.conversion["findings"] = [{"message": "1行目を除きました。", "row": 1, "column": ""}]
    converted.save(update_fields=["conversion"])
    assert "1行目を除きました。" in _page(login(make_member(tsu, Role.CLERK)), converted)


@pytest.fixture
def checked(tsu):
    """A list with a wrong check digit, checked against its standard for someone reading in
    English."""
    with translation.override("en"):
        return aed_csv_resource(
            dataset(tsu), [aed_row(1, 都道府県コード又は市区町村コード="242013"), aed_row(2)]
        )


def _report(page: str) -> str:
    return page.split('id="report-title"')[1].split("</section>")[0]


def test_a_standards_check_made_for_english_is_told_in_japanese_to_a_colleague(
    checked, tsu, make_member, login
):
    report = _report(_page(login(make_member(tsu, Role.CLERK)), checked))

    assert "全国地方公共団体コードの検査数字(6桁目)が合いません(2 になるはずです)。" in report
    assert "推奨データセット(旧) の項目定義で 2 行を検証しました。" in report
    assert "check digit" not in report.lower()


def test_a_standards_check_is_told_in_english_to_someone_reading_in_english(
    checked, tsu, make_member, login
):
    client = login(make_member(tsu, Role.CLERK))
    client.cookies["django_language"] = "en"
    report = _report(_page(client, checked))

    assert "検査数字(6桁目)が合いません" not in report and "項目定義で" not in report
    assert (
        "The check digit (6th digit) of the local government code is wrong (it should be 2)."
        in report
    )


def test_a_standards_check_kept_before_its_source_was_kept_still_shows(
    checked, tsu, make_member, login
):
    checked.validation["errors"] = [
        {
            "severity": "error",
            "rule": "check-digit",
            "message": "検査数字が合いません。",
            "row": 2,
            "column": "都道府県コード又は市区町村コード",
            "value": "242013",
        }
    ]
    checked.save(update_fields=["validation"])

    assert "検査数字が合いません。" in _report(_page(login(make_member(tsu, Role.CLERK)), checked))
