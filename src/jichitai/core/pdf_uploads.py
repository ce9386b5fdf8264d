"""Checking an uploaded PDF before it is stored: it opens (or opens with an empty password), its
pages and images are of a size that can be rendered, nothing in it acts when it is viewed
(scripts, automatic actions, embedded files, XFA forms), and expanding it is not a bomb."""

import io
import math
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy

from jichitai.core.upload_refusals import (
    MAX_IMAGE_PIXELS,
    UploadRejected,
    contains,
    too_large_expanded,
)

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader
    from pypdf.generic import PdfObject

MAX_PDF_PAGES = 2000


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


def check_pdf(data: bytes, name: str, dpi: int) -> None:
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
        raise UploadRejected(too_large_expanded(name)) from None
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
                    contains(name, str(what))
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
