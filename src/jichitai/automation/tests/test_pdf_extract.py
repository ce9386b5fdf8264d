"""Values read out of text PDFs by anchors (the value right of or below a label, a pattern) and
by regions (a box on a page): on an invoice the platform itself renders (``pdf.render``) and on a
real public notice it did not make (tests/pdfs/SOURCE.md)."""

import re
import shutil
from pathlib import Path

import pytest

from jichitai.automation.errors import BusinessError
from jichitai.automation.steps import steps
from jichitai.core.tests.samples import pdf_bytes

PDFS = Path(__file__).parent / "pdfs"
INVOICE = """
<h1>請求書</h1>
<table>
  <tr><th>請求番号</th><td>R8-0123</td></tr>
  <tr><th>請求金額</th><td>１２，３４５円(税込)</td></tr>
  <tr><th>支払期限</th><td>令和8年12月25日</td></tr>
</table>
<p>下記のとおり請求します。</p>
<table>
  <tr><th>事業者名</th><th>登録番号</th></tr>
  <tr><td>株式会社 三重設備</td><td>T1234567890123</td></tr>
</table>
"""


class Ctx:
    """The run's files in a folder, as the runner gives them to a step."""

    plan = False

    def __init__(self, folder: Path):
        self.folder = folder

    def input_path(self, value):
        path = self.folder / Path(str(value)).name
        if not path.exists():
            raise BusinessError(f"ファイル「{path.name}」がありません。")
        return path

    def write_output(self, name, content):
        (self.folder / name).write_bytes(content)
        return name


extract = steps.get("pdf.extract").function


@pytest.fixture
def invoice(tmp_path):
    ctx = Ctx(tmp_path)
    steps.get("pdf.render").function(ctx, output="請求書.pdf", html=INVOICE)
    return ctx


def test_values_right_of_and_below_labels_of_an_invoice_the_platform_renders(invoice):
    values = extract(
        invoice,
        path="請求書.pdf",
        anchors={
            "番号": "請求番号",
            "金額": "請求金額",
            "期限": {"label": "支払期限", "pattern": r"令和(\d+)年"},
            "事業者": {"label": "事業者名", "direction": "below"},
            "登録番号": {"label": "登録番号", "direction": "below", "pattern": r"T\d{13}"},
        },
        numbers=["金額", "期限"],
        add={"差出人": "keiri@example.jp"},
    )
    assert values == {
        "差出人": "keiri@example.jp",
        "番号": "R8-0123",
        "金額": 12345,
        "期限": 8,
        "事業者": "株式会社 三重設備",
        "登録番号": "T1234567890123",
        "_file": "請求書.pdf",
    }


def test_a_missing_label_or_value_is_a_business_error_unless_optional(invoice):
    with pytest.raises(
        BusinessError, match=r"「請求書.pdf」に「口座番号」の文字がありません\(値「口座」\)"
    ):
        extract(invoice, path="請求書.pdf", anchors={"口座": "口座番号"})
    with pytest.raises(
        BusinessError, match=r"「請求番号」の右に形式「\\d\{8\}」に合う値がありません"
    ):
        extract(
            invoice, path="請求書.pdf", anchors={"番号": {"label": "請求番号", "pattern": r"\d{8}"}}
        )
    with pytest.raises(BusinessError, match="「株式会社 三重設備」は数値ではありません"):
        extract(
            invoice,
            path="請求書.pdf",
            anchors={"事業者": {"label": "事業者名", "direction": "below"}},
            numbers=["事業者"],
        )
    values = extract(
        invoice,
        path="請求書.pdf",
        anchors={"口座": "口座番号", "番号": "請求番号"},
        optional=["口座"],
    )
    assert values["口座"] is None and values["番号"] == "R8-0123"


def test_a_file_that_is_not_a_text_pdf_is_refused_in_japanese(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"not a pdf at all")
    with pytest.raises(BusinessError, match=r"「scan\.pdf」を PDF として読めません"):
        extract(Ctx(tmp_path), path="scan.pdf", anchors={"a": "b"})
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with (tmp_path / "blank.pdf").open("wb") as file:
        writer.write(file)
    with pytest.raises(BusinessError, match=r"文字が含まれていません.画像の PDF は AI-OCR"):
        extract(Ctx(tmp_path), path="blank.pdf", anchors={"a": "b"})


def test_a_pdf_promising_a_page_it_lacks_is_a_business_error_in_words(tmp_path):
    """Its page list says two pages and holds one: the file's fault, said in Japanese with the
    page, not a system error retried three times with pdfium's English."""
    (tmp_path / "請求書.pdf").write_bytes(pdf_bytes(595, 842).replace(b"/Count 1", b"/Count 2"))

    with pytest.raises(BusinessError) as error:
        extract(Ctx(tmp_path), path="請求書.pdf", anchors={"a": "b"})

    assert "「請求書.pdf」の 2 ページ目を読めません" in str(error.value)
    assert not re.search(r"[A-Za-z]{4,}", str(error.value).replace("PDF", ""))


def test_values_of_a_real_public_notice_by_anchor_and_region(tmp_path):
    shutil.copy(PDFS / "federal-register-2020-17221-p1.pdf", tmp_path / "notice.pdf")
    values = extract(
        Ctx(tmp_path),
        path="notice.pdf",
        anchors={
            "rin": "RIN",
            "docket": {"label": "Docket No.", "pattern": r"FAA–\d{4}–\d{4}"},
            "agency": "AGENCY:",
        },
        regions={
            # The page number printed top left, and the issue in the right-hand header.
            "page": {"page": 1, "bbox": [40, 30, 90, 50]},
            "issue": {"page": 1, "bbox": [390, 60, 600, 105], "pattern": r"Vol\. \d+, No\. \d+"},
            "day": {"bbox": [390, 60, 600, 105], "pattern": r"\w+day, (\w+ \d+, \d{4})"},
        },
        numbers=["page"],
    )
    assert values == {
        "rin": "2120–AA64",
        "docket": "FAA–2020–0686",
        "agency": "Federal Aviation",
        "page": 47698,
        "issue": "Vol. 85, No. 152",
        "day": "August 6, 2020",
        "_file": "notice.pdf",
    }
    with pytest.raises(BusinessError, match=r"2 ページ目がありません\(全 1 ページ\)"):
        extract(Ctx(tmp_path), path="notice.pdf", regions={"x": {"page": 2, "bbox": [0, 0, 9, 9]}})
