import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jichitai.core.tests.samples import png_bytes, xlsx_bytes
from jichitai.core.uploads import UploadRejected, check_upload, safe_filename

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


def test_a_name_that_is_only_a_path_is_refused():
    with pytest.raises(UploadRejected, match="ファイル名"):
        check_upload(upload("\x01\x02", b"%PDF-1.4"), allowed=["pdf"], max_bytes=MB)
