"""Pages of a scan: multi-page PDF (rendered with PDFium), TIFF (every frame), JPEG and PNG (phone
photos are turned upright by their EXIF orientation). Pages come back as 8-bit grayscale arrays.

Uploaded bytes are decoded only inside ``_decoding``: every way a file can fail to decode, in
Pillow or in PDFium, becomes a ``PageError`` saying which page cannot be read."""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from jichitai.core.extras import MissingExtra, require
from jichitai.core.pdf_uploads import pdf_page_size_problem
from jichitai.core.upload_refusals import MAX_IMAGE_PIXELS


class PageError(ValueError):
    """A file (or page) that cannot be read; the message is for the clerk, in Japanese."""


def kind_of(data: bytes) -> str:
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return ""


def _not_a_scan() -> PageError:
    return PageError(_("画像(PNG・JPEG・TIFF)または PDF ではありません。"))


def _unreadable_image() -> str:
    return _("画像を読み取れません(壊れているか、対応していない形式です)。")


def _unreadable_pdf() -> str:
    return _("PDF を読み取れません(壊れているか、パスワード付きです)。")


def _too_large_image() -> PageError:
    return PageError(_("画像が大きすぎます(600dpi の A3 まで)。"))


@contextmanager
def _decoding(unreadable: str) -> Iterator[None]:
    """Where uploaded bytes are decoded: any failure becomes a ``PageError`` saying
    ``unreadable``. Pillow's decoders fail the way the damaged bytes lead them (OSError for
    truncated data, SyntaxError for a PNG text chunk of an unknown compression, ValueError for one
    inflating to megabytes, TypeError for a TIFF tag of the wrong type, EOFError, struct.error …;
    its own fuzzing accepts any of them) and PDFium raises PdfiumError, so every exception is
    caught: only the decoding steps run inside."""
    try:
        yield
    except PageError:
        raise
    # More pixels than Pillow opens (the warning is raised where warnings are errors).
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large_image() from None
    except Exception:
        raise PageError(unreadable) from None


def count_pages(data: bytes) -> int:
    kind = kind_of(data)
    if kind == "pdf":
        pypdfium2 = _pdfium()
        with _decoding(_unreadable_pdf()):
            document = pypdfium2.PdfDocument(data)
        try:
            return len(document)
        finally:
            document.close()
    if kind == "tiff":
        with _open_image(data) as image, _decoding(_unreadable_image()):
            return getattr(image, "n_frames", 1)
    if kind in ("png", "jpeg"):
        return 1
    raise _not_a_scan()


def _pdfium():
    """PDF rendering of the ``ocr`` extra; when it is missing the upload is refused with what to
    install, as any other page that cannot be read."""
    try:
        return require("pypdfium2", extra="ocr")
    except MissingExtra as missing:
        raise PageError(str(missing)) from None


def _open_image(data: bytes) -> Image.Image:
    with _decoding(_unreadable_image()):
        image = Image.open(io.BytesIO(data))
    if image.width * image.height > MAX_IMAGE_PIXELS:
        image.close()
        raise _too_large_image()
    return image


def _gray(image: Image.Image) -> np.ndarray:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    return np.asarray(image.convert("L"), dtype=np.uint8).copy()


def load_pages(data: bytes, *, dpi: int = 200) -> Iterator[np.ndarray]:
    """Yields each page as grayscale; a PDF is rendered at ``dpi``. Raises ``PageError``, after
    the pages that could be read."""
    kind = kind_of(data)
    if kind == "pdf":
        yield from _pdf_pages(data, dpi)
        return
    if kind not in ("png", "jpeg", "tiff"):
        raise _not_a_scan()
    image = _open_image(data)
    try:
        if kind == "tiff":
            with _decoding(_unreadable_image()):
                frames = getattr(image, "n_frames", 1)
            for number in range(1, frames + 1):
                unreadable = _(
                    "TIFF の %(number)s ページ目を読み取れません(データが壊れています)。"
                )
                with _decoding(unreadable % {"number": number}):
                    image.seek(number - 1)
                    page = _gray(image)
                yield page
        else:
            with _decoding(_unreadable_image()):
                page = _gray(ImageOps.exif_transpose(image))
            yield page
    finally:
        image.close()


def _pdf_pages(data: bytes, dpi: int) -> Iterator[np.ndarray]:
    pypdfium2 = _pdfium()
    with _decoding(_unreadable_pdf()):
        document = pypdfium2.PdfDocument(data)
    try:
        for number in range(1, len(document) + 1):
            with _decoding(_("PDF の %(number)s ページ目を描画できません。") % {"number": number}):
                page = document[number - 1]  # a page the page tree counts may not be there
                try:
                    problem = pdf_page_size_problem(*page.get_size(), dpi=dpi, page_number=number)
                    if problem:
                        raise PageError(problem)
                    image = _gray(page.render(scale=dpi / 72, grayscale=True).to_pil())
                finally:
                    page.close()
            yield image
    finally:
        document.close()


def encode_png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()
