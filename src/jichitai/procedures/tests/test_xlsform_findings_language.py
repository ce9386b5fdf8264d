"""What reading an XLSForm found (a row refused, a row left out) is kept as its Japanese source and
values, and told in the language of whoever opens the result: the workbook is read in the
background, in no one's language, and a clerk reading the pages in English meets English, a
colleague reading in Japanese meets Japanese."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jichitai.core.tests.samples import xlsx_bytes
from jichitai.procedures.models import FormImport
from jichitai.procedures.tests.factories import published_procedure
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _survey(rows) -> bytes:
    book = load_workbook(io.BytesIO(xlsx_bytes(rows)))
    book.active.title = "survey"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def manager(tsu, make_member):
    return make_member(tsu, Role.MANAGER)


def _imported(tsu, manager, login, capture, rows) -> str:
    """The result page's address of ``rows`` uploaded by ``manager`` reading in Japanese."""
    procedure = published_procedure(tsu)
    with capture(execute=True):
        response = login(manager).post(
            f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/",
            {"workbook": SimpleUploadedFile("form.xlsx", _survey(rows))},
        )
    return response["Location"]


def _page(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_a_refused_row_reads_in_the_language_of_the_page(
    tsu, manager, login, django_capture_on_commit_callbacks
):
    url = _imported(
        tsu,
        manager,
        login,
        django_capture_on_commit_callbacks,
        [["type", "name", "label"], ["geoshape", "area", "範囲"]],
    )
    client = login(manager)

    assert "survey シート 2行目: 位置の範囲(geoshape)には対応していません。" in _page(
        client, url, "ja"
    )
    assert "Sheet survey, row 2: Area (geoshape) is not supported." in _page(client, url, "en")
    assert FormImport.objects.get().problems[0]["text"].startswith("%(where)s: ")


def test_a_row_left_out_reads_in_the_language_of_the_page(
    tsu, manager, login, django_capture_on_commit_callbacks
):
    url = _imported(
        tsu,
        manager,
        login,
        django_capture_on_commit_callbacks,
        [["type", "name", "label"], ["start", "start", None], ["text", "q1", "ご意見"]],
    )
    client = login(manager)

    assert "端末の情報「start」は Web の申請では集めないため、取り込みません。" in _page(
        client, url, "ja"
    )
    english = _page(client, url, "en")
    assert (
        "Sheet survey, row 2: Device information “start” is not collected on the web, "
        "so it is not imported." in english
    )


def test_pyxforms_refusal_reads_in_the_language_of_the_page(
    tsu, manager, login, django_capture_on_commit_callbacks
):
    url = _imported(
        tsu,
        manager,
        login,
        django_capture_on_commit_callbacks,
        [["type", "name", "label"], ["text", "q", "一"], ["text", "q", "二"]],
    )
    client = login(manager)

    assert "survey シート 3行目: 項目名(name)「q」が重複しています。" in _page(client, url, "ja")
    assert "Sheet survey, row 3: The name &quot;q&quot; is used twice." in _page(client, url, "en")
