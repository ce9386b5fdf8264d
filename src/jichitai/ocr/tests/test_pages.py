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
