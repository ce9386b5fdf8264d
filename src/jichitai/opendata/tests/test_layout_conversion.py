"""A file in the older 推奨データセット layout is converted, on request, to a derived CSV in the
current layout: every row kept, the current columns in their order, each value under its renamed
column, the old columns that have no place in the current layout named (never dropped silently),
and the result validated against the current layout."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from jichitai.audit.models import AuditEvent
from jichitai.opendata import layout_conversion, selectors, services, tabular
from jichitai.opendata.models import Resource
from jichitai.opendata.registry import standard_datasets
from jichitai.opendata.tests.factories import dataset
from jichitai.opendata.tests.helpers import aed_row, workbook_bytes
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "realfiles"
OITA_AED = FILES / "tuned" / "oita-pref-aed-legacy.csv"
YAIZU_TOILETS = FILES / "tuned" / "yaizu-public-toilet-current.csv"
HEADER_RULES = {"layout", "missing-column", "extra-column", "legacy-layout", "mojibake"}


def _upload(organization, content: bytes, filename: str, standard: str):
    return services.add_resource(
        actor=None,
        dataset=dataset(organization),
        upload=SimpleUploadedFile(filename, content),
        standard=standard,
    )


def _rows(resource) -> list[list[str]]:
    with resource.file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Japanese Excel needs
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_an_older_layout_aed_list_is_converted_with_every_row_under_the_current_columns(
    tsu, tsu_clerk
):
    source = _upload(tsu, OITA_AED.read_bytes(), OITA_AED.name, "aed")
    original = tabular.read_table(OITA_AED.read_bytes(), OITA_AED.name)
    assert selectors.layout_conversion_offered(source)

    converted = services.convert_to_current_layout(actor=tsu_clerk, resource=source)

    current = standard_datasets.get("aed").layouts["current"]
    header, *rows = _rows(converted)
    assert header == [f["name"] for f in current.fields]
    assert len(rows) == len(original.rows) == 2181
    address = original.header.index("住所")
    assert [row[header.index("所在地_連結表記")] for row in rows] == [
        row[address] for row in original.rows
    ]
    assert rows[0][header.index("ID")] == "1"
    assert {row[header.index("地方公共団体名")] for row in rows} == {""}  # no old counterpart
    assert converted.derived_from == source
    assert converted.standard == "aed"
    assert converted.validation["layout"] == "current"
    issues = converted.validation["errors"] + converted.validation["warnings"]
    assert not [i for i in issues if i["rule"] in HEADER_RULES]
    assert AuditEvent.objects.filter(
        action="opendata.resource_converted", target_id=str(converted.pk)
    ).exists()


def test_converting_again_refreshes_the_one_derived_resource(tsu, tsu_clerk):
    source = _upload(tsu, OITA_AED.read_bytes(), OITA_AED.name, "aed")
    first = services.convert_to_current_layout(actor=tsu_clerk, resource=source)
    again = services.convert_to_current_layout(actor=tsu_clerk, resource=source)
    assert again.pk == first.pk
    assert source.derived.count() == 1


def test_old_columns_with_no_place_in_the_current_layout_are_named_not_dropped(tsu, tsu_clerk):
    text = OITA_AED.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    with_own_column = "\r\n".join(
        [lines[0] + ",管理番号"] + [line + f",K{n}" for n, line in enumerate(lines[1:])]
    )
    source = _upload(tsu, with_own_column.encode("utf-8"), "aed.csv", "aed")

    converted = services.convert_to_current_layout(actor=tsu_clerk, resource=source)

    assert converted.conversion["layout_conversion"]["left_out"] == ["管理番号"]
    assert "管理番号" in converted.description
    assert "管理番号" not in _rows(converted)[0]


def test_a_current_layout_file_offers_no_conversion(tsu, tsu_clerk, login):
    source = _upload(tsu, YAIZU_TOILETS.read_bytes(), YAIZU_TOILETS.name, "public-toilets")
    assert source.validation["layout"] == "current"
    assert not selectors.layout_conversion_offered(source)

    page = login(tsu_clerk).get(f"/s/242012/opendata/resources/{source.pk}/").content.decode()

    assert "現行の形式に変換した CSV を作る" not in page


def test_a_clerk_converts_an_older_layout_file_from_its_page(tsu, tsu_clerk, login):
    source = _upload(tsu, OITA_AED.read_bytes(), OITA_AED.name, "aed")
    client = login(tsu_clerk)
    page = client.get(f"/s/242012/opendata/resources/{source.pk}/").content.decode()
    assert "現行の形式に変換した CSV を作る" in page

    response = client.post(f"/s/242012/opendata/resources/{source.pk}/convert/", follow=True)

    converted = source.derived.get()
    assert response.redirect_chain[-1][0] == f"/s/242012/opendata/resources/{converted.pk}/"
    page = response.content.decode()
    assert "所在地_連結表記" in page  # the mapping shown beside the derived resource
    assert "現行の形式に変換した CSV を作る" not in page
    assert "自治体標準オープンデータセット(現行)" in page  # its own report, in the current layout


def test_an_excel_files_conversion_goes_when_the_excel_file_is_replaced(tsu, tsu_clerk):
    excel = services.add_resource(
        actor=None,
        dataset=dataset(tsu),
        upload=SimpleUploadedFile("aed.xlsx", workbook_bytes([aed_row(1), aed_row(2)])),
        standard="aed",
    )
    csv_of_excel = excel.derived.get()
    converted = services.convert_to_current_layout(actor=tsu_clerk, resource=csv_of_excel)
    stored = converted.file.name
    assert converted.file.storage.exists(stored)

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.replace_resource_file(
            actor=tsu_clerk,
            resource=excel,
            upload=SimpleUploadedFile("aed.xlsx", workbook_bytes([aed_row(3)])),
        )

    assert not Resource.objects.filter(pk=converted.pk).exists()  # made from the old content
    assert not converted.file.storage.exists(stored)


def test_a_column_the_current_layout_still_has_keeps_its_name_and_also_fills_the_mapped_one():
    path = FILES / "tuned" / "yaizu-evacuation-legacy-circle-flags.csv"
    table = tabular.read_table(path.read_bytes(), path.name)
    current = standard_datasets.get("evacuation-sites").layouts["current"]

    result = layout_conversion.convert(table, current)

    header = result.table.header
    first = result.table.rows[0]
    code = table.rows[0][table.header.index("市区町村コード")]
    assert first[header.index("市区町村コード")] == code
    assert first[header.index("全国地方公共団体コード")] == code
    assert ("市区町村コード", "全国地方公共団体コード") in result.renamed
    assert result.left_out == []
    assert len(result.table.rows) == len(table.rows)


def test_deleting_a_conversion_from_its_page_keeps_the_file_it_was_made_from(tsu, tsu_clerk, login):
    source = _upload(tsu, OITA_AED.read_bytes(), OITA_AED.name, "aed")
    converted = services.convert_to_current_layout(actor=tsu_clerk, resource=source)
    client = login(tsu_clerk)
    page = client.get(f"/s/242012/opendata/resources/{converted.pk}/").content.decode()
    assert "差し替えて検証する" not in page  # remade from its source, not uploaded

    client.post(f"/s/242012/opendata/resources/{converted.pk}/delete/")

    assert Resource.objects.filter(pk=source.pk).exists()
    assert not Resource.objects.filter(pk=converted.pk).exists()


def test_a_viewer_cannot_convert(tsu, make_member, login):
    source = _upload(tsu, OITA_AED.read_bytes(), OITA_AED.name, "aed")
    viewer = make_member(tsu, Role.VIEWER)
    client = login(viewer)
    page = client.get(f"/s/242012/opendata/resources/{source.pk}/").content.decode()
    assert "現行の形式に変換した CSV を作る" not in page

    response = client.post(f"/s/242012/opendata/resources/{source.pk}/convert/")

    assert response.status_code == 403
    assert not source.derived.exists()
