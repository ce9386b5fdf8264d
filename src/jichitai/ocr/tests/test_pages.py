"""Pages of a scan: a PDF page is measured before it is rendered, and a file that does not decode
is refused with the page that cannot be read."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from jichitai.core.tests.samples import pdf_bytes
from jichitai.ocr import pages


def test_a_pdf_page_is_rendered_at_the_requested_resolution():
    (page,) = pages.load_pages(pdf_bytes(595, 842), dpi=100)
    assert page.shape == (1170, 827)


def test_a_pdf_page_too_large_to_render_is_refused_with_its_number():
    document = pdf_bytes(3600, 3600)  # a few hundred bytes; 100 million pixels at 200 dpi
    with pytest.raises(pages.PageError) as refused:
        next(pages.load_pages(document, dpi=200))
    assert str(refused.value) == (
        "1ページ目は用紙が大きすぎます(1,270×1,270 mm。200 dpi で画像にすると"
        "約 10,000 万画素になり、上限の 8,000 万画素を超えます)。"
    )


def damaged_tiff() -> bytes:
    """A three-page LZW TIFF, as scanners write them, whose second page's data was damaged
    (a broken transfer): its header and directory still read, its strips do not decode."""
    noise = np.random.default_rng(7)
    frames = [Image.fromarray(noise.integers(0, 255, (400, 300), dtype=np.uint8)) for _ in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    data = bytearray(buffer.getvalue())
    middle = len(data) // 2
    data[middle : middle + 2000] = b"\xff" * 2000
    return bytes(data)


def test_a_tiff_page_that_does_not_decode_is_refused_with_its_number():
    document = damaged_tiff()
    assert pages.count_pages(document) == 3
    with pytest.raises(pages.PageError) as refused:
        list(pages.load_pages(document))
    assert str(refused.value) == "TIFF の 2 ページ目を読み取れません(データが壊れています)。"


def _png_with_chunk_after_the_image(kind: bytes, body: bytes) -> bytes:
    """A small white PNG with one more chunk between its image data and its end: a text chunk
    that only ``load`` reads, after the header and the image data have passed every check."""
    buffer = io.BytesIO()
    Image.new("L", (64, 48), 255).save(buffer, "PNG")
    data = buffer.getvalue()
    end = data.rindex(b"IEND") - 4  # the IEND chunk's length field
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return data[:end] + chunk + data[end:]


def png_with_text_of_an_unknown_compression() -> bytes:
    return _png_with_chunk_after_the_image(b"zTXt", b"Comment\x00\x01" + zlib.compress(b"memo"))


def png_with_text_inflating_to_8_mb() -> bytes:
    """8 KB of zTXt that decompresses to 8 MB, past what Pillow inflates for a text chunk."""
    inflating = zlib.compress(b"\x00" * 8 * 1024 * 1024, 9)
    return _png_with_chunk_after_the_image(b"zTXt", b"Comment\x00\x00" + inflating)


def tiff_with_strip_offsets_of_the_wrong_type() -> bytes:
    """A one-page TIFF whose StripOffsets tag (273) says its values are UNDEFINED bytes (type 7)
    instead of LONG: the directory reads, the page's data cannot be found."""
    buffer = io.BytesIO()
    Image.new("L", (64, 48), 255).save(buffer, "TIFF")
    data = bytearray(buffer.getvalue())
    directory = struct.unpack_from("<I", data, 4)[0]  # Pillow writes little-endian ("II")
    for index in range(struct.unpack_from("<H", data, directory)[0]):
        entry = directory + 2 + 12 * index
        if struct.unpack_from("<H", data, entry)[0] == 273:
            struct.pack_into("<H", data, entry + 2, 7)
    return bytes(data)


def pdf_promising_more_pages() -> bytes:
    """A one-page PDF whose page tree says it has two: PDFium counts two and cannot load the
    second."""
    return pdf_bytes(595, 842).replace(b"/Count 1", b"/Count 2")


UNREADABLE_IMAGE = "画像を読み取れません(壊れているか、対応していない形式です)。"


@pytest.mark.usefixtures("pillow_defaults")
@pytest.mark.parametrize(
    ("document", "reason"),
    [
        pytest.param(png_with_text_of_an_unknown_compression(), UNREADABLE_IMAGE, id="ztxt-method"),
        pytest.param(png_with_text_inflating_to_8_mb(), UNREADABLE_IMAGE, id="ztxt-8mb"),
        pytest.param(
            tiff_with_strip_offsets_of_the_wrong_type(),
            "TIFF の 1 ページ目を読み取れません(データが壊れています)。",
            id="tiff-tag-type",
        ),
        pytest.param(
            pdf_promising_more_pages(), "PDF の 2 ページ目を描画できません。", id="pdf-page-tree"
        ),
    ],
)
def test_every_way_a_file_fails_to_decode_is_a_page_error_saying_which_page(document, reason):
    """Whatever Pillow or PDFium raise on a damaged file (SyntaxError for a chunk of an unknown
    compression, ValueError for text that inflates too far, TypeError for a tag of the wrong type,
    PdfiumError for a page that is not there), the clerk gets the reason in Japanese with the page
    that cannot be read, and the pages before it."""
    pages.count_pages(document)
    read = []
    with pytest.raises(pages.PageError) as refused:
        read.extend(pages.load_pages(document))
    assert str(refused.value) == reason
    assert len(read) == (1 if document.startswith(b"%PDF-") else 0)
