"""Checking uploaded files before anything is stored: size, emptiness, a safe file name, and that
the content really is what the extension says (PDF, images, Excel, CSV …). Images are opened to
refuse decompression bombs; Excel workbooks (zip) are checked for extreme compression ratios.

Every refusal is an ``UploadRejected`` (a ``ValidationError``) with a message naming the file, so
a form can show it next to the file field: Japanese, or the language a resident chose for the form
(gettext in the active language; staff pages never switch it).
"""

import hashlib
import io
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext, gettext_lazy
from openpyxl.utils.cell import column_index_from_string as column
from PIL import Image

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from pypdf import PageObject, PdfReader
    from pypdf.generic import PdfObject

# Larger than an A3 page scanned at 600 dpi (≈ 7000 × 9900), far below what exhausts memory.
# The same limit holds for a PDF page rasterised at the resolution it will be read at.
MAX_IMAGE_PIXELS = 80_000_000
# The resolution PDF pages are measured at unless the caller reads them at another (the AI-OCR
# reads at its template's): an A0 map passes, a page of a square metre and more does not.
DEFAULT_PDF_DPI = 200
MAX_PDF_PAGES = 2000
MAX_ZIP_RATIO = 100
MAX_ZIP_UNCOMPRESSED = 500 * 1024 * 1024
MAX_FILENAME_LENGTH = 120
MAX_FILENAME_BYTES = 240


class UploadRejected(ValidationError):
    pass


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
    if b"\x00" in head:
        return set()
    return set(TEXT_KINDS)


def _read_all(uploaded: File[bytes]) -> bytes:
    uploaded.seek(0)
    data: bytes = uploaded.read()
    uploaded.seek(0)
    return data


def _too_large_expanded(name: str) -> str:
    return gettext("「%(name)s」は展開後のサイズが大きすぎるため受け付けられません。") % {
        "name": name
    }


def _contains(name: str, what: str) -> str:
    return gettext("「%(name)s」には%(what)sが含まれているため受け付けられません。") % {
        "name": name,
        "what": what,
    }


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
        raise UploadRejected(_too_large_expanded(name))
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
            raise UploadRejected(_contains(name, str(what)) + str(_RESAVE_OFFICE[kind]))


def rasterised_pixels(width_points: float, height_points: float, dpi: int) -> int:
    """The pixels of a page of that size (in PDF points, 1/72 inch) rendered at ``dpi``."""
    return math.ceil(abs(width_points) * dpi / 72) * math.ceil(abs(height_points) * dpi / 72)


def pdf_page_size_problem(
    width_points: float, height_points: float, *, dpi: int, page_number: int
) -> str | None:
    """The message (in the active language) for a page that would exceed ``MAX_IMAGE_PIXELS`` once rendered at
    ``dpi``, or None. Checked before rendering: a page of a few bytes can declare any size."""
    pixels = rasterised_pixels(width_points, height_points, dpi)
    if pixels <= MAX_IMAGE_PIXELS:
        return None
    width_mm, height_mm = (
        round(abs(points) * 25.4 / 72) for points in (width_points, height_points)
    )
    return gettext(
        "%(page)sページ目は用紙が大きすぎます(%(width)s×%(height)s mm。"
        "%(dpi)s dpi で画像にすると約 %(pixels)s 万画素になり、"
        "上限の %(limit)s 万画素を超えます)。"
    ) % {
        "page": page_number,
        "width": f"{width_mm:,}",
        "height": f"{height_mm:,}",
        "dpi": f"{dpi:,}",
        "pixels": f"{pixels // 10_000:,}",
        "limit": f"{MAX_IMAGE_PIXELS // 10_000:,}",
    }


def _shown_page_size(page: "PageObject") -> tuple[float, float]:
    """The size a viewer shows (the crop box within the media box), scaled by /UserUnit."""
    media, crop = page.mediabox, page.cropbox
    width = min(crop.right, media.right) - max(crop.left, media.left)
    height = min(crop.top, media.top) - max(crop.bottom, media.bottom)
    unit = float(page.user_unit)
    return max(float(width), 0.0) * unit, max(float(height), 0.0) * unit


def _check_pdf(data: bytes, name: str, dpi: int) -> None:
    """Opens the PDF and expands what a viewer or the OCR would: each page's content and the sizes
    of its images. pypdf stops expanding a stream past its own limit (75 MB), which is how a
    compression bomb shows itself. Each page's size is checked at ``dpi``."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Encryption with an empty password only restricts copying or editing: every viewer
        # opens such a PDF without asking (certificates and contracts often come so).
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRejected(
                gettext(
                    "「%(name)s」はパスワードで保護されています。保護を外したPDFを選んでください。"
                )
                % {"name": name}
            )
        if len(reader.pages) == 0:
            raise UploadRejected(gettext("「%(name)s」にはページがありません。") % {"name": name})
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UploadRejected(
                gettext("「%(name)s」はページが多すぎます(%(pages)sページ、上限 %(limit)sページ)。")
                % {"name": name, "pages": len(reader.pages), "limit": MAX_PDF_PAGES}
            )
        _refuse_active_pdf_content(reader, name)
        for number, page in enumerate(reader.pages, start=1):
            problem = pdf_page_size_problem(*_shown_page_size(page), dpi=dpi, page_number=number)
            if problem:
                raise UploadRejected(
                    gettext("「%(name)s」の%(problem)s") % {"name": name, "problem": problem}
                )
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
            _check_pdf_images(page, name)
    except UploadRejected:
        raise
    except LimitReachedError:
        raise UploadRejected(_too_large_expanded(name)) from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError):
        raise UploadRejected(
            gettext("「%(name)s」はPDFとして読み取れません。壊れていないか確認してください。")
            % {"name": name}
        ) from None


# What makes a PDF act when it is opened or viewed, and how a person is told about it. Dictionary
# keys: script (/JS, the /JavaScript name tree), automatic actions (/AA of a page, a form field or
# the document), embedded files (/EmbeddedFiles name tree, a file specification's /EF) and XFA
# forms (which carry their own scripts).
_ACTIVE_PDF_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": gettext_lazy("ページを開いたときなどに自動で動く操作"),
    "/EmbeddedFiles": gettext_lazy("埋め込まれたファイル"),
    "/EF": gettext_lazy("埋め込まれたファイル"),
    "/XFA": gettext_lazy("スクリプトを含められる XFA フォーム"),
}
# Action types (/S) that run something: a script, another program, or a file inside the PDF.
_ACTIVE_PDF_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": gettext_lazy("他のプログラムを起動する命令"),
    "/GoToE": gettext_lazy("埋め込まれたファイル"),
}
# Links to a page or an address (/GoTo, /URI) are ordinary and stay.


def _refuse_active_pdf_content(reader: "PdfReader", name: str) -> None:
    """Walks every object reachable from the document catalog (each once, without decoding
    streams) and refuses the first active content found."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [reader.trailer["/Root"]]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            what = next((_ACTIVE_PDF_KEYS[key] for key in item if key in _ACTIVE_PDF_KEYS), None)
            what = what or _ACTIVE_PDF_ACTIONS.get(str(_direct(item.get("/S"))))
            if what is None and _direct(item.get("/Subtype")) == "/FileAttachment":
                what = gettext("埋め込まれたファイル")
            if what:
                raise UploadRejected(
                    _contains(name, str(what))
                    + gettext("印刷の「PDF として保存」などで保存し直したPDFを選んでください。")
                )
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)


def _direct(value: object) -> object:
    """A value as a viewer reads it: an indirect reference is followed."""
    return value.get_object() if hasattr(value, "get_object") else value


def _check_pdf_images(page: "PageObject", name: str) -> None:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return
    for reference in xobjects.get_object().values():
        xobject = reference.get_object()
        if xobject.get("/Subtype") != "/Image":
            continue
        pixels = int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0))
        if pixels > MAX_IMAGE_PIXELS:
            raise UploadRejected(
                gettext("「%(name)s」の画像は画素数が多すぎるため受け付けられません。")
                % {"name": name}
            )


def _check_text(data: bytes, name: str) -> None:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise UploadRejected(
        gettext(
            "「%(name)s」の文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"
        )
        % {"name": name}
    )


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
        _check_pdf(data, name, pdf_dpi)
    elif kind.name in {"xlsx", "docx", "zip"}:
        _check_zip(data, name, kind.name)
    elif kind.name in TEXT_KINDS:
        _check_text(data, name)
    return CheckedUpload(kind=kind, name=name, size=size, sha256=hashlib.sha256(data).hexdigest())
