"""Pages of a scan: multi-page PDF (rendered with PDFium), TIFF (every frame), JPEG and PNG (phone
photos are turned upright by their EXIF orientation). Pages come back as 8-bit grayscale arrays."""

import io
from collections.abc import Iterator

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from jichitai.core.extras import MissingExtra, require
from jichitai.core.uploads import MAX_IMAGE_PIXELS, pdf_page_size_problem


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


def count_pages(data: bytes) -> int:
    kind = kind_of(data)
    if kind == "pdf":
        pypdfium2 = _pdfium()
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            raise PageError("PDF を読み取れません(壊れているか、パスワード付きです)。") from None
        try:
            return len(document)
        finally:
            document.close()
    if kind == "tiff":
        with _open_image(data) as image:
            return getattr(image, "n_frames", 1)
    if kind in ("png", "jpeg"):
        return 1
    raise PageError("画像(PNG・JPEG・TIFF)または PDF ではありません。")


def _pdfium():
    """PDF rendering of the ``ocr`` extra; when it is missing the upload is refused with what to
    install, as any other page that cannot be read."""
    try:
        return require("pypdfium2", extra="ocr")
    except MissingExtra as missing:
        raise PageError(str(missing)) from None


def _open_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError):
        raise PageError("画像を読み取れません(壊れているか、対応していない形式です)。") from None
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise PageError("画像が大きすぎます(600dpi の A3 まで)。")
    return image


def _gray(image: Image.Image) -> np.ndarray:
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    return np.asarray(image.convert("L"), dtype=np.uint8).copy()


def load_pages(data: bytes, *, dpi: int = 200) -> Iterator[np.ndarray]:
    """Yields each page as grayscale; a PDF is rendered at ``dpi``. Raises ``PageError``."""
    kind = kind_of(data)
    if kind == "pdf":
        pypdfium2 = _pdfium()
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            raise PageError("PDF を読み取れません(壊れているか、パスワード付きです)。") from None
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    problem = pdf_page_size_problem(
                        *page.get_size(), dpi=dpi, page_number=index + 1
                    )
                    if problem:
                        raise PageError(problem)
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    yield _gray(bitmap.to_pil())
                except pypdfium2.PdfiumError:
                    raise PageError(f"PDF の {index + 1} ページ目を描画できません。") from None
                finally:
                    page.close()
        finally:
            document.close()
        return
    if kind not in ("png", "jpeg", "tiff"):
        raise PageError("画像(PNG・JPEG・TIFF)または PDF ではありません。")
    image = _open_image(data)
    try:
        if kind == "tiff":
            for number in range(1, getattr(image, "n_frames", 1) + 1):
                try:
                    image.seek(number - 1)
                    page = _gray(image)
                except (OSError, EOFError):  # a page's data damaged after its directory
                    raise PageError(
                        f"TIFF の {number} ページ目を読み取れません(データが壊れています)。"
                    ) from None
                yield page
        else:
            try:
                image.load()
            except OSError:
                raise PageError("画像を読み取れません(壊れています)。") from None
            yield _gray(ImageOps.exif_transpose(image))
    finally:
        image.close()


def encode_png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()
