"""The real engines on generated crops and pages (no mocks): alignment, reading, checkboxes."""

import shutil
import socket

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from jichitai.ocr import samples
from jichitai.ocr.align import Reference, align
from jichitai.ocr.extract import Extractor
from jichitai.ocr.registry import engines


def crop(text: str, font=samples.PRINTED_FONTS[0]) -> np.ndarray:
    image = Image.new("RGB", (40 * len(text) + 40, 64), "white")
    ImageDraw.Draw(image).text((16, 10), text, font=ImageFont.truetype(font, 40), fill="black")
    return np.asarray(image)


def test_rapidocr_reads_japanese_crops_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the OCR engine tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    readings = engines.get("rapidocr").read(
        [crop("三重県津市広明町13番地"), crop("令和6年4月1日"), crop("514-0001")]
    )
    assert [r.text for r in readings] == ["三重県津市広明町13番地", "令和6年4月1日", "514-0001"]
    assert all(r.confidence > 0.9 for r in readings)


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract-ocr is not installed")
def test_tesseract_is_a_second_engine_where_installed():
    engine = engines.get("tesseract")
    if not engine.available():
        pytest.skip("tesseract has no Japanese data here")
    (reading,) = engine.read([crop("514-0001")])
    assert "514" in reading.text


@pytest.mark.parametrize(
    ("dpi", "condition"),
    [(200, "clean"), (300, "rotated"), (150, "shifted"), (200, "noisy"), (200, "photo")],
)
def test_a_skewed_shifted_or_noisy_scan_aligns_to_the_blank(filled, dpi, condition):
    reference = Reference(np.asarray(samples.blank_form("genkyo")))
    page, _truth = filled("genkyo", seed=dpi, dpi=dpi, condition=condition)
    alignment = align(page, reference)
    assert alignment.aligned
    assert alignment.score > 0.8
    assert alignment.image.shape == reference.image.shape


def test_another_form_or_a_blank_sheet_is_not_aligned(filled):
    reference = Reference(np.asarray(samples.blank_form("genkyo")))
    other, _truth = filled("hojo", seed=3)
    assert not align(other, reference).aligned
    white = np.full((2339, 1654), 255, np.uint8)
    result = align(white, reference)
    assert not result.aligned and result.image is None


def test_fields_are_read_normalised_and_scored(genkyo_extractor, filled):
    page, truth = filled("genkyo", seed=11, dpi=300, condition="rotated")
    result = genkyo_extractor.extract(page)
    assert result.aligned
    assert {name: field.value for name, field in result.fields.items()} == truth
    assert all(field.valid for field in result.fields.values())


def test_handwriting_style_fonts_are_read(genkyo_extractor, filled):
    fonts = samples.available(samples.HANDWRITING_FONTS)
    if not fonts:
        pytest.skip("no handwriting-style font installed (fonts-seto, fonts-kiloji)")
    page, truth = filled("genkyo", seed=5, font=fonts[0])
    result = genkyo_extractor.extract(page)
    right = sum(result.fields[name].value == value for name, value in truth.items())
    assert right >= len(truth) - 1


def test_checkboxes_follow_the_ink_added_to_the_blank(genkyo_extractor):
    written = {"married": True, "name": "山田太郎"}
    checked = genkyo_extractor.extract(np.asarray(samples.filled_form("genkyo", written)))
    unchecked = genkyo_extractor.extract(
        np.asarray(samples.filled_form("genkyo", {**written, "married": False}))
    )
    assert checked.fields["married"].value is True
    assert unchecked.fields["married"].value is False
    assert unchecked.fields["kana"].value is None  # nothing written: empty, not guessed


def test_an_unreadable_value_is_flagged(filled):
    template = samples.template_for("genkyo")
    extractor = Extractor(template, np.asarray(samples.blank_form("genkyo")))
    written = {"postal": "五一四", "name": "山田太郎"}
    result = extractor.extract(np.asarray(samples.filled_form("genkyo", written)))
    assert result.fields["postal"].flagged
    assert not result.fields["name"].flagged
