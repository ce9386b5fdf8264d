"""Digits written one a printed box (a 団体コード) are read closed up, without what is left of the
printed 円 beside them; a read of one or two characters from ink as wide as a line goes to a
person.

Pages are drawn on the tuning layouts of ``samples``; the benchmark's held-out forms are not used."""

import random

import numpy as np
from PIL import ImageDraw, ImageFont

from jichitai.ocr import checks, printing, samples, spacing
from jichitai.ocr.extract import Extractor
from jichitai.ocr.reasons import LENGTH


def test_blanks_wider_than_a_gap_between_characters_are_narrowed():
    ink = np.zeros((40, 300), np.uint8)
    for first in (10, 110, 210):  # three strokes 30 px high, 70 px apart
        ink[5:35, first : first + 30] = 1
    kept = spacing.kept_columns(ink, 30)
    closed = ink[:, kept]
    # Each 70 px blank is cut to 0.4 × 30 = 12 px; the margins before and after stay.
    assert closed.shape[1] == 300 - 2 * (70 - 12)
    assert closed[:, :10].sum() == 0 and closed[:, -60:].sum() == 0
    assert int(closed.any(axis=0).sum()) == 90


def test_a_line_written_without_wide_blanks_is_kept_as_it_is():
    ink = np.zeros((40, 200), np.uint8)
    ink[5:35, 20:60] = 1
    ink[5:35, 66:106] = 1
    assert len(spacing.kept_columns(ink, 30)) == 200


def test_one_character_read_from_ink_as_wide_as_a_line_is_doubted():
    # 414,000 read as 1: 7 characters' ink, 40 px high, one narrow character read.
    assert not checks.plausible_length("amount", "1", (230, 40))
    assert checks.plausible_length("digits", "4", (32, 40))
    assert checks.plausible_length("digits", "28", (60, 40))


def _jisseki(code: str):
    rng = random.Random(4)
    written, truth = samples.random_values("jisseki", rng)
    written["code"] = truth["code"] = code
    image = samples.filled_form("jisseki", written, font=samples.PRINTED_FONTS[0], seed=1)
    extractor = Extractor(
        samples.template_for("jisseki"), np.asarray(samples.blank_form("jisseki"))
    )
    return extractor.extract(np.asarray(image)).fields


def test_a_code_written_one_digit_a_box_is_read_whole_and_not_flagged():
    field = _jisseki("247598")["code"]
    assert field.value == "247598"
    assert LENGTH not in field.reasons


def test_ink_wholly_beside_the_erased_printing_is_a_remnant_of_it():
    erase = np.zeros((60, 200), bool)
    erase[10:50, 150:180] = True  # a printed 円, grown
    ink = np.zeros((60, 200), np.uint8)
    ink[12:48, 181:184] = 1  # its edge, left by a page a few pixels off
    ink[20:40, 20:60] = 1  # writing
    ink[30:33, 100:160] = 1  # a stroke running into the printing
    kept = printing.without_remnants(ink, erase, 1.0)
    assert kept[:, 181:184].sum() == 0
    assert kept[20:40, 20:60].all() and kept[30:33, 100:150].all()


def test_an_amount_beside_a_printed_unit_off_by_a_few_pixels_is_read_without_it():
    rng = random.Random(4)
    written, _truth = samples.random_values("jisseki", rng)
    written["spent"] = "390,000"
    image = samples.filled_form("jisseki", written, font=samples.PRINTED_FONTS[0], seed=1)
    zone = next(z for z in samples.LAYOUTS["jisseki"][1] if z.name == "spent")
    x, y, w, h = zone.box_mm
    font = ImageFont.truetype(samples.LABEL_FONT, round(3.6 / 25.4 * 200))
    # The printed 円 again, 6 px to its right: on the page it is off where the blank form has it.
    at = (round((x + w - 5) / 25.4 * 200) + 6, round((y + h / 2 - 2) / 25.4 * 200))
    ImageDraw.Draw(image).text(at, "円", font=font, fill=0)
    extractor = Extractor(
        samples.template_for("jisseki"), np.asarray(samples.blank_form("jisseki"))
    )
    assert extractor.extract(np.asarray(image)).fields["spent"].value == 390000
