"""Fields a phone photo's alignment left far off: where the blank form's printing around a field
is found on the page tens of pixels from where the page's alignment put it, the field is read
there and goes to a person (``shifted_crop``); the box's own border, left inside the zone, is
never read as a digit.

Pages are drawn on the tuning layout 現況届 of ``samples``."""

import random

import numpy as np
import pytest

from jichitai.ocr import reasons, samples

DPI = 200


def _zone_box(name: str) -> tuple[int, int, int, int]:
    zone = next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == name)
    return tuple(round(mm / 25.4 * DPI) for mm in zone.box_mm)


def _moved_left(page: np.ndarray, name: str, dx: int) -> np.ndarray:
    """``page`` with the band holding the field ``name`` moved ``dx`` pixels left: a photo whose
    perspective the page's alignment leaves that far off there."""
    _x, y, _w, h = _zone_box(name)
    moved = page.copy()
    top, bottom = y - 20, y + h + 20
    moved[top:bottom, :-dx] = page[top:bottom, dx:]
    moved[top:bottom, -dx:] = np.median(page[top:bottom])
    return moved


@pytest.mark.parametrize(("digit", "dx"), [("8", 57), ("3", 40), ("6", 70)])
def test_a_digit_whose_box_the_alignment_left_far_off_is_read_where_its_box_is(
    genkyo_extractor, digit, dx
):
    image = samples.filled_form("genkyo", {"children": digit}, dpi=DPI, seed=3)
    page = _moved_left(np.asarray(image), "children", dx)
    field = genkyo_extractor.read_fields(page)["children"]
    assert field.value == digit
    assert reasons.SHIFTED in field.reasons


@pytest.mark.parametrize("condition", ["clean", "photo", "rotated jpeg"])
def test_fields_where_the_alignment_put_them_are_read_in_place(genkyo_extractor, condition):
    rng = random.Random(4)
    written, _truth = samples.random_values("genkyo", rng)
    image = samples.filled_form("genkyo", written, dpi=DPI, seed=4)
    page = np.asarray(samples.degrade(image, condition, rng))
    fields = genkyo_extractor.extract(page).fields
    assert not any(reasons.SHIFTED in field.reasons for field in fields.values())
