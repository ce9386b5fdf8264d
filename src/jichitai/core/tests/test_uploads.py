import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from jichitai.core.tests.samples import (
    FIRST_SHEET,
    active_pdf_bytes,
    office_bytes_with,
    pdf_bytes,
    pdf_opening_at_its_first_page,
    png_bytes,
    with_part_rewritten,
    xlsx_bytes,
)
from jichitai.core.uploads import KINDS, UploadRejected, check_upload, safe_filename

MB = 1024 * 1024


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_matching_file_passes_with_a_safe_name_and_checksum():
    checked = check_upload(upload("現況届.png", png_bytes()), allowed=["png", "pdf"], max_bytes=MB)
    assert checked.kind.name == "png"
    assert checked.name == "現況届.png"
    assert len(checked.sha256) == 64


def test_excel_workbooks_and_cp932_csv_pass():
    assert (
        check_upload(
            upload("AED.xlsx", xlsx_bytes([["名称", "住所"]])), allowed=["xlsx"], max_bytes=MB
        ).kind.name
        == "xlsx"
    )
    csv = "名称,住所\n津市役所,津市西丸之内\n".encode("cp932")
    assert check_upload(upload("aed.csv", csv), allowed=["csv"], max_bytes=MB).kind.name == "csv"


@pytest.mark.parametrize("name", ["aed.txt", "aed.csv"])
def test_a_table_saved_as_excels_unicode_text_passes(name):
    # 「Unicode テキスト」: UTF-16 with a byte order mark, tab-separated.
    table = "名称\t住所\r\n津市役所\t津市西丸之内\r\n".encode("utf-16")

    checked = check_upload(upload(name, table), allowed=["csv", "txt"], max_bytes=MB)

    assert checked.name == name


def test_utf16_is_taken_for_tables_only():
    # JSON and the other text files are read as UTF-8 or Shift_JIS wherever they are used.
    with pytest.raises(UploadRejected, match="一致しません"):
        check_upload(
            upload("a.json", '{"名称": "津市役所"}'.encode("utf-16")),
            allowed=["json"],
            max_bytes=MB,
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "空のファイル"),
        ("scan.pdf", png_bytes(), "拡張子(.pdf)と一致しません"),
        ("virus.exe", b"MZ\x90\x00", "形式は受け付けていません"),
        ("photo.png", b"%PDF-1.7 not an image", "一致しません"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "画像として読み取れません"),
        ("fake.xlsx", b"PK\x03\x04garbage", "壊れているか"),
        ("list.csv", b"\xff\xfe\x00\x00\x80\x81", "一致しません"),
        ("broken.pdf", b"%PDF-1.7\n%%EOF", "PDFとして読み取れません"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_the_file(name, content, message):
    with pytest.raises(UploadRejected) as error:
        check_upload(upload(name, content), allowed=["pdf", "png", "xlsx", "csv"], max_bytes=MB)
    assert message in error.value.messages[0]


def test_oversized_files_are_refused_before_reading_further():
    with pytest.raises(UploadRejected, match=r"大きすぎます\(上限 1.0 MB"):
        check_upload(upload("big.pdf", b"%PDF-" + b"0" * (MB + 1)), allowed=["pdf"], max_bytes=MB)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_images_are_refused():
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000), 1).save(buffer, format="PNG")  # tiny file, 144 Mpx
    assert len(buffer.getvalue()) < MB
    with pytest.raises(UploadRejected, match="画素数が多すぎ"):
        check_upload(upload("bomb.png", buffer.getvalue()), allowed=["png"], max_bytes=MB)


def test_zip_bombs_dressed_as_excel_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * MB))
    with pytest.raises(UploadRejected, match="展開後のサイズが大きすぎる"):
        check_upload(upload("bomb.xlsx", buffer.getvalue()), allowed=["xlsx"], max_bytes=MB)


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\職員\\申請書.pdf", "申請書.pdf"),
        ("report\x00.pdf", "report.pdf"),
        ("new\nline\r.csv", "newline.csv"),
        ("..", ""),
        ("\x01\x02", ""),
    ],
)
def test_file_names_lose_paths_and_control_characters(given, safe):
    assert safe_filename(given) == safe


def test_a_long_japanese_file_name_is_shortened_to_what_a_disk_holds():
    """Disks hold 255 bytes of a name, and a Japanese character takes three: 120 characters
    would already be 360 bytes. The name is cut between characters and keeps its extension."""
    name = safe_filename("令和8年度" + "あ" * 300 + ".xlsx")

    assert len(name.encode()) <= 255 and name.endswith(".xlsx")
    assert name.startswith("令和8年度あ")


def test_a_name_that_is_only_a_path_is_refused():
    with pytest.raises(UploadRejected, match="ファイル名"):
        check_upload(upload("\x01\x02", b"%PDF-1.4"), allowed=["pdf"], max_bytes=MB)


def _pdf_with(content_stream: bytes | None = None, image: tuple[int, int] | None = None) -> bytes:
    """A one-page PDF whose page holds ``content_stream`` (Flate-compressed) and/or an image
    XObject declaring ``image`` = (width, height)."""
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        StreamObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if content_stream is not None:
        stream = StreamObject()
        stream._data = zlib.compress(content_stream, 9)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    if image is not None:
        picture = DecodedStreamObject()
        picture.set_data(b"\x00" * 16)
        picture.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(image[0]),
                NameObject("/Height"): NumberObject(image[1]),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                NameObject("/BitsPerComponent"): NumberObject(8),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject(
                    {NameObject("/Im0"): writer._add_object(picture)}
                )
            }
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_compression_bombs_are_refused():
    bomb = _pdf_with(content_stream=b"0" * 80_000_000)  # a few hundred KB that expand to 80 MB
    assert len(bomb) < MB

    with pytest.raises(UploadRejected, match="展開後のサイズが大きすぎる"):
        check_upload(upload("bomb.pdf", bomb), allowed=["pdf"], max_bytes=MB)


def test_pdf_images_declaring_too_many_pixels_are_refused():
    with pytest.raises(UploadRejected, match="画素数が多すぎる"):
        check_upload(
            upload("scan.pdf", _pdf_with(image=(100_000, 100_000))), allowed=["pdf"], max_bytes=MB
        )


def test_an_ordinary_pdf_with_content_and_an_image_passes():
    ordinary = _pdf_with(content_stream=b"BT /F1 12 Tf 72 712 Td (a) Tj ET", image=(1240, 1754))

    assert check_upload(upload("ok.pdf", ordinary), allowed=["pdf"], max_bytes=MB).size > 0


A0 = (2384, 3370)  # points
A3 = (842, 1191)


def test_pdf_pages_too_large_to_rasterise_are_refused_before_any_rendering():
    huge = pdf_bytes(3600, 3600)  # 50 inches square: 100 million pixels at 200 dpi
    assert len(huge) < 1024
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("poster.pdf", huge), allowed=["pdf"], max_bytes=MB)
    assert refused.value.messages == [
        "「poster.pdf」の1ページ目は用紙が大きすぎます(1,270×1,270 mm。200 dpi で画像にすると"
        "約 10,000 万画素になり、上限の 8,000 万画素を超えます)。"
    ]


def test_the_page_limit_follows_the_resolution_the_pages_will_be_read_at():
    assert check_upload(upload("map.pdf", pdf_bytes(*A0)), allowed=["pdf"], max_bytes=MB).size
    assert check_upload(
        upload("form.pdf", pdf_bytes(*A3)), allowed=["pdf"], max_bytes=MB, pdf_dpi=600
    ).size
    with pytest.raises(UploadRejected, match="1,200 dpi で画像にすると"):
        check_upload(
            upload("form.pdf", pdf_bytes(*A3)), allowed=["pdf"], max_bytes=MB, pdf_dpi=1200
        )


@pytest.mark.parametrize(
    ("kind", "what"),
    [
        ("open_javascript", "JavaScript"),
        ("document_javascript", "JavaScript"),
        ("launch", "他のプログラムを起動する命令"),
        ("page_action", "ページを開いたときなどに自動で動く操作"),
        ("embedded_file", "埋め込まれたファイル"),
    ],
)
def test_pdfs_with_active_content_are_refused(kind, what):
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("通知.pdf", active_pdf_bytes(kind)), allowed=["pdf"], max_bytes=MB)
    assert refused.value.messages == [
        f"「通知.pdf」には{what}が含まれているため受け付けられません。"
        "印刷の「PDF として保存」などで保存し直したPDFを選んでください。"
    ]


def test_pdfs_that_only_open_at_a_page_or_link_out_pass():
    assert check_upload(
        upload("ok.pdf", pdf_opening_at_its_first_page()), allowed=["pdf"], max_bytes=MB
    ).size


@pytest.mark.parametrize(
    ("part", "what"),
    [
        ("xl/vbaProject.bin", "マクロ"),
        ("xl/externalLinks/externalLink1.xml", "外部のブックへのリンク"),
        ("xl/connections.xml", "外部データへの接続"),
        ("xl/activeX/activeX1.xml", "ActiveX コントロール"),
    ],
)
def test_workbooks_with_macros_or_external_links_are_refused(part, what):
    workbook = office_bytes_with(xlsx_bytes([["名称"], ["津市役所"]]), {part: b"<x/>"})
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("AED.xlsx", workbook), allowed=["xlsx"], max_bytes=MB)
    assert refused.value.messages == [
        f"「AED.xlsx」には{what}が含まれているため受け付けられません。"
        "マクロや外部リンクを含まない Excel ブック(.xlsx)で保存し直してください。"
    ]


def test_word_documents_with_macros_are_refused():
    document = office_bytes_with(
        office_bytes_with(b"PK\x05\x06" + b"\x00" * 18, {"word/document.xml": b"<w:document/>"}),
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
    )
    with pytest.raises(UploadRejected, match=r"「届出\.docx」にはマクロが含まれている"):
        check_upload(upload("届出.docx", document), allowed=["docx"], max_bytes=MB)


def test_the_names_of_the_file_kinds_follow_the_language_of_the_page():
    assert str(KINDS["jpeg"].label) == "JPEG画像"
    with translation.override("en"):
        assert [str(KINDS[kind].label) for kind in ("jpeg", "png", "tiff", "txt")] == [
            "JPEG image",
            "PNG image",
            "TIFF image",
            "Text",
        ]


def _encrypted_pdf(*, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_pdf_restricted_from_copying_or_editing_passes():
    """Certificates and contracts often come encrypted with an empty password, only to forbid
    editing: every viewer opens them without asking, and so do the checks."""
    checked = check_upload(
        upload("証明書.pdf", _encrypted_pdf(user_password="")), allowed=["pdf"], max_bytes=10**6
    )
    assert checked.kind.name == "pdf"


def test_a_pdf_that_needs_a_password_to_open_is_refused():
    with pytest.raises(UploadRejected) as refused:
        check_upload(
            upload("秘密.pdf", _encrypted_pdf(user_password="secret")),
            allowed=["pdf"],
            max_bytes=10**6,
        )
    assert refused.value.messages == [
        "「秘密.pdf」はパスワードで保護されています。保護を外したPDFを選んでください。"
    ]


def test_an_image_whose_pixels_do_not_decode_is_refused():
    """The header and the checksums are right, the content is not: a text chunk compressed with
    a method PNG does not have fails only when the image is decoded, as a PDF or the AI-OCR
    would decode it later."""
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    png = buffer.getvalue()
    end = png.rindex(b"IEND") - 4
    text = b"Comment\x00\x01" + b"not deflate"
    chunk = (
        struct.pack(">I", len(text))
        + b"zTXt"
        + text
        + struct.pack(">I", zlib.crc32(b"zTXt" + text))
    )

    with pytest.raises(UploadRejected, match="画像として読み取れません"):
        check_upload(
            upload("印影.png", png[:end] + chunk + png[end:]), allowed=["png"], max_bytes=MB
        )


def test_a_workbook_merging_a_whole_sheet_is_refused():
    """A few kilobytes whose sheet merges A1:XFD1048576: a spreadsheet library opening it makes
    an object for every one of the 17 billion cells. No table merges that much."""
    merging_everything = with_part_rewritten(
        xlsx_bytes([["名称", "住所"], ["県庁", "津市"]]),
        FIRST_SHEET,
        lambda xml: xml.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
    )

    with pytest.raises(UploadRejected, match="結合"):
        check_upload(upload("一覧.xlsx", merging_everything), allowed=["xlsx"], max_bytes=MB)


def test_a_workbook_with_ordinary_merged_headings_is_accepted():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["開館時間", None, "名称"])
    book.active.append(["開始", "終了", None])
    book.active.merge_cells("A1:B1")
    buffer = io.BytesIO()
    book.save(buffer)

    check_upload(upload("一覧.xlsx", buffer.getvalue()), allowed=["xlsx"], max_bytes=MB)
