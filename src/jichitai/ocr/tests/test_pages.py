"""Pages of a scan: a PDF page is measured before it is rendered."""

import pytest

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
    import io

    import numpy as np
    from PIL import Image

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
