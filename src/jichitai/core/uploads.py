"""Checking uploaded files before anything is stored: size, emptiness, a safe file name, and that
the content really is what the extension says (PDF, images, Excel, CSV …). Images are opened to
refuse decompression bombs; Excel workbooks (zip) are checked for extreme compression ratios.

Every refusal is an ``UploadRejected`` (a ``ValidationError``) with a message naming the file, so
a form can show it next to the file field: Japanese, or the language a resident chose for the form
(gettext in the active language; staff pages never switch it).
"""

import codecs
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.utils.translation import gettext, gettext_lazy
from openpyxl.utils.cell import column_index_from_string as column
from PIL import Image

from jichitai.core.csv_rows import UndecodableText, decode_text
from jichitai.core.pdf_uploads import check_pdf
from jichitai.core.upload_refusals import (
    MAX_IMAGE_PIXELS,
    UploadRejected,
    contains,
    too_large_expanded,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The resolution PDF pages are measured at unless the caller reads them at another (the AI-OCR
# reads at its template's): an A0 map passes, a page of a square metre and more does not.
DEFAULT_PDF_DPI = 200
MAX_ZIP_RATIO = 100
MAX_ZIP_UNCOMPRESSED = 500 * 1024 * 1024
MAX_FILENAME_LENGTH = 120
MAX_FILENAME_BYTES = 240


@dataclass(frozen=True)
class FileKind:
    name: str
    label: "StrOrPromise"
    extensions: tuple[str, ...]
    content_type: str


KINDS = {
    kind.name: kind
    for kind in (
        FileKind("pdf", "PDF", (".pdf",), "application/pdf"),
        FileKind("png", gettext_lazy("PNG画像"), (".png",), "image/png"),
        FileKind("jpeg", gettext_lazy("JPEG画像"), (".jpg", ".jpeg"), "image/jpeg"),
        FileKind("tiff", gettext_lazy("TIFF画像"), (".tif", ".tiff"), "image/tiff"),
        FileKind(
            "xlsx",
            "Excel(.xlsx)",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileKind("xls", "Excel 97-2003(.xls)", (".xls",), "application/vnd.ms-excel"),
        FileKind(
            "docx",
            "Word(.docx)",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind("csv", "CSV", (".csv",), "text/csv"),
        FileKind("txt", gettext_lazy("テキスト"), (".txt",), "text/plain"),
        FileKind("json", "JSON", (".json",), "application/json"),
        FileKind("geojson", "GeoJSON", (".geojson",), "application/geo+json"),
        FileKind("yaml", "YAML", (".yaml", ".yml"), "application/yaml"),
        FileKind("html", "HTML", (".html", ".htm"), "text/html"),
        FileKind("zip", "ZIP", (".zip",), "application/zip"),
        FileKind("p7s", "署名(PKCS#7)", (".p7s", ".p7m", ".der"), "application/pkcs7-signature"),
        FileKind("pem", "PEM", (".pem", ".crt", ".cer", ".crl"), "application/x-pem-file"),
    )
}
IMAGE_KINDS = {"png", "jpeg", "tiff"}
TEXT_KINDS = {"csv", "txt", "json", "geojson", "yaml", "html", "pem"}
# Tables saved as Excel's 「Unicode テキスト」; every other text is read as UTF-8 or Shift_JIS.
UTF16_KINDS = {"csv", "txt"}


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    name: str  # safe to show and to use as a download name
    size: int
    sha256: str


def safe_filename(name: str) -> str:
    """The file's own name without any directory part or control characters, NFC-normalised and
    shortened; what a person recognises, never a path."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".")
    stem, extension = os.path.splitext(name)
    if len(name) > MAX_FILENAME_LENGTH:
        stem = stem[: MAX_FILENAME_LENGTH - len(extension)]
    # Disks hold 255 bytes of a name; Japanese characters take three bytes each in UTF-8.
    while len((stem + extension).encode()) > MAX_FILENAME_BYTES:
        stem = stem[:-1]
    return stem + extension


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return gettext("%(size)s バイト") % {"size": size}


def _sniff(head: bytes) -> set[str]:
    """What the first bytes say the content can be."""
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpeg"}
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return {"tiff"}
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Excel 97-2003
        return {"xls"}
    if head.startswith(b"PK\x03\x04"):
        return {"xlsx", "docx", "zip"}
    if head.startswith(b"\x30\x80") or head.startswith(b"\x30\x82") or head.startswith(b"\x30\x83"):
        return {"p7s"}
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(
        codecs.BOM_UTF32_LE
    ):
        return set(UTF16_KINDS)
    if b"\x00" in head:
        return set()
    return set(TEXT_KINDS)


def _read_all(uploaded: File[bytes]) -> bytes:
    uploaded.seek(0)
    data: bytes = uploaded.read()
    uploaded.seek(0)
    return data


def _check_image(data: bytes, name: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > MAX_IMAGE_PIXELS:
                raise UploadRejected(
                    gettext(
                        "「%(name)s」は画素数が多すぎます(%(width)s×%(height)s、%(frames)sページ)。"
                        "解像度を下げるかページを分けてください。"
                    )
                    % {"name": name, "width": width, "height": height, "frames": frames}
                )
            image.verify()
        # verify() checks the structure only: a text chunk in an unknown compression or a TIFF
        # tag of the wrong type fails when the pixels are decoded, which is when a PDF would
        # meet it. The first frame is decoded here; a later page of a scan that fails is
        # reported with its page number by the AI-OCR, which reads the others.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(
            gettext("「%(name)s」は画素数が多すぎるため受け付けられません。") % {"name": name}
        ) from None
    except Exception:
        raise UploadRejected(
            gettext("「%(name)s」は画像として読み取れません。壊れていないか確認してください。")
            % {"name": name}
        ) from None


def _check_zip(data: bytes, name: str, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            uncompressed = sum(entry.file_size for entry in entries)
    except zipfile.BadZipFile:
        raise UploadRejected(
            gettext("「%(name)s」は壊れているか、%(kind)sではありません。")
            % {"name": name, "kind": KINDS[kind].label}
        ) from None
    if uncompressed > MAX_ZIP_UNCOMPRESSED or uncompressed > MAX_ZIP_RATIO * max(len(data), 1):
        raise UploadRejected(too_large_expanded(name))
    if kind == "xlsx" and "xl/workbook.xml" not in names:
        raise UploadRejected(
            gettext("「%(name)s」はExcel(.xlsx)のブックではありません。") % {"name": name}
        )
    if kind == "docx" and "word/document.xml" not in names:
        raise UploadRejected(
            gettext("「%(name)s」はWord(.docx)の文書ではありません。") % {"name": name}
        )
    if kind in {"xlsx", "docx"}:
        _refuse_active_office_parts(names, name, kind)
    if kind == "xlsx":
        _refuse_sheet_wide_merges(data, names, name)


# A library opening a workbook makes an object per merged cell (A1:XFD1048576 in a few kilobytes
# is 17 billion); real tables merge headings and a few cells, nowhere near this many.
MAX_MERGED_CELLS = 200_000
MERGED_RANGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def _refuse_sheet_wide_merges(data: bytes, names: set[str], name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        merged = sum(
            (column(match[3].decode()) - column(match[1].decode()) + 1)
            * (int(match[4]) - int(match[2]) + 1)
            for part in names
            if part.startswith("xl/worksheets/") and part.endswith(".xml")
            for match in MERGED_RANGE.finditer(archive.read(part))
        )
    if merged > MAX_MERGED_CELLS:
        raise UploadRejected(
            gettext(
                "「%(name)s」は結合したセルの範囲が大きすぎます(%(count)s セル)。結合を解除してください。"
            )
            % {"name": name, "count": f"{merged:,}"}
        )


# Parts of an Office file that run or fetch something when it is opened. A plain .xlsx or .docx
# never has them; a workbook saved as .xlsm and renamed, or one linked to other files, does.
_ACTIVE_OFFICE_PARTS = (
    (re.compile(r"(^|/)vbaproject\.bin$"), gettext_lazy("マクロ")),
    (re.compile(r"^xl/externallinks/"), gettext_lazy("外部のブックへのリンク")),
    (re.compile(r"^xl/connections\.xml$"), gettext_lazy("外部データへの接続")),
    (re.compile(r"^(xl|word)/activex/"), gettext_lazy("ActiveX コントロール")),
)


_RESAVE_OFFICE = {
    "xlsx": gettext_lazy(
        "マクロや外部リンクを含まない Excel ブック(.xlsx)で保存し直してください。"
    ),
    "docx": gettext_lazy("マクロや外部リンクを含まない Word 文書(.docx)で保存し直してください。"),
}


def _refuse_active_office_parts(names: set[str], name: str, kind: str) -> None:
    lowered = {part.lower() for part in names}
    for pattern, what in _ACTIVE_OFFICE_PARTS:
        if any(pattern.search(part) for part in lowered):
            raise UploadRejected(contains(name, str(what)) + str(_RESAVE_OFFICE[kind]))


def _check_text(data: bytes, name: str) -> None:
    try:
        decode_text(data)
    except UndecodableText:
        raise UploadRejected(
            gettext(
                "「%(name)s」の文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"
            )
            % {"name": name}
        ) from None


def check_upload(
    uploaded: File[bytes], *, allowed: Iterable[str], max_bytes: int, pdf_dpi: int = DEFAULT_PDF_DPI
) -> CheckedUpload:
    """Refuses anything not in ``allowed`` (kind names of ``KINDS``) or larger than ``max_bytes``,
    or whose content does not match its extension. ``pdf_dpi`` is the resolution a PDF's pages
    will be rasterised at, where the caller knows it. Nothing is stored by this function."""
    allowed = list(allowed)
    name = safe_filename(getattr(uploaded, "name", "") or "")
    shown = name or gettext("(名前のないファイル)")
    size = getattr(uploaded, "size", None)
    if size is None or size > max_bytes:
        data = _read_all(uploaded)
        size = len(data)
    if size > max_bytes:
        raise UploadRejected(
            gettext("「%(name)s」は大きすぎます(上限 %(limit)s、このファイルは %(size)s)。")
            % {"name": shown, "limit": human_size(max_bytes), "size": human_size(size)}
        )
    if size == 0:
        raise UploadRejected(gettext("「%(name)s」は空のファイルです。") % {"name": shown})
    if not name:
        raise UploadRejected(
            gettext("ファイル名を確認できません。ファイル名を付けて保存し直してください。")
        )

    extension = os.path.splitext(name)[1].lower()
    kinds = [KINDS[kind] for kind in allowed]
    kind = next((k for k in kinds if extension in k.extensions), None)
    if kind is None:
        # The separator between the extensions as the reader's language writes a list.
        accepted = gettext("、").join(ext for k in kinds for ext in k.extensions)
        raise UploadRejected(
            gettext("「%(name)s」の形式は受け付けていません。使える形式: %(accepted)s")
            % {"name": name, "accepted": accepted}
        )

    data = _read_all(uploaded)
    if kind.name not in _sniff(data[:16]):
        raise UploadRejected(
            gettext(
                "「%(name)s」の内容が拡張子(%(extension)s)と一致しません。"
                "正しい形式で保存し直してください。"
            )
            % {"name": name, "extension": extension}
        )
    if kind.name in IMAGE_KINDS:
        _check_image(data, name)
    elif kind.name == "pdf":
        check_pdf(data, name, pdf_dpi)
    elif kind.name in {"xlsx", "docx", "zip"}:
        _check_zip(data, name, kind.name)
    elif kind.name in TEXT_KINDS:
        _check_text(data, name)
    return CheckedUpload(kind=kind, name=name, size=size, sha256=hashlib.sha256(data).hexdigest())
