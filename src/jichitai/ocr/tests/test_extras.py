"""AI-OCR needs the ``ocr`` extra (RapidOCR, OpenCV, PDFium); without it the engine and the PDF
reader say what to install."""

import sys

import numpy as np
import pytest

from jichitai.core.extras import MissingExtra
from jichitai.ocr import pages
from jichitai.ocr.engines import RapidOCREngine

INSTALL = "AI-OCR を使うには `pip install 'jichitai[ocr]'` が必要です"


def test_the_engine_without_the_ocr_extra_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    with pytest.raises(MissingExtra, match=r"AI-OCR を使うには `pip install 'jichitai\[ocr\]'`"):
        RapidOCREngine().read([np.full((32, 96, 3), 255, dtype=np.uint8)])


def test_a_pdf_upload_without_the_ocr_extra_is_refused_saying_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(pages.PageError) as refused:
        pages.count_pages(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert str(refused.value).startswith(INSTALL)


def test_the_command_without_the_ocr_extra_says_what_to_install(tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command

    from jichitai.ocr import samples

    template = samples.write_template(tmp_path, "tenkyo")
    samples.filled_form("tenkyo", {}).save(tmp_path / "scan.png")
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(CommandError) as refused:
        call_command("ocr", "extract", "--template", str(template), str(tmp_path / "scan.png"))
    assert str(refused.value).startswith(INSTALL)
