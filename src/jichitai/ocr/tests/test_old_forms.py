"""Old forms in names (髙橋, 渡邉, 冨田, 瀨古): read as written, and the common forms stay common,
also where the recogniser leans to the old form (美穂 read as 美穗). The real recogniser on crops
rendered in the shipped fonts; the thresholds themselves come from benchmarks/ocr_old_forms.py."""

import numpy as np
import pytest

from jichitai.ocr import samples
from jichitai.ocr.old_forms import choose_forms
from jichitai.ocr.registry import engines
from jichitai.ocr.tests.test_engine import crop

FONTS = samples.available(samples.PRINTED_FONTS + samples.HANDWRITING_FONTS[:1])


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize(
    ("old", "common"),
    [
        ("髙橋健一", "高橋健一"),
        ("渡邉恵美", "渡邊恵美"),
        ("冨田悠斗", "富田悠斗"),
        ("中西美穗", "中西美穂"),
        ("森田真穗", "森田真穂"),
    ],
)
def test_a_name_is_read_with_the_form_it_is_written_in(font, old, common):
    readings = engines.get("rapidocr").read([crop(old, font), crop(common, font)])
    assert [reading.text for reading in readings] == [old, common]


INDEX = {"高": 1, "髙": 2, "橋": 3}


def _positions(*rows):
    """One crop whose positions have these probabilities for (blank, 高, 髙, 橋)."""
    return np.array([rows], dtype=np.float32)


def test_the_old_form_is_taken_where_its_share_reaches_the_threshold():
    probabilities = _positions((0.0, 0.95, 0.02, 0.03), (0.0, 0.0, 0.0, 1.0))
    chosen = choose_forms(probabilities, INDEX, {("高", "髙"): 0.01})
    assert list(chosen.argmax(axis=2)[0]) == [2, 3]
    # The decoding reports the common form's probability for the old form it now reads.
    assert chosen[0, 0, 2] == pytest.approx(0.95)


def test_below_the_threshold_or_where_another_character_is_best_nothing_changes():
    probabilities = _positions((0.0, 0.99, 0.005, 0.005), (0.0, 0.1, 0.5, 0.4), (0, 0.2, 0.1, 0.7))
    chosen = choose_forms(probabilities, INDEX, {("高", "髙"): 0.01})
    assert chosen is probabilities


def test_the_common_form_is_taken_where_the_old_one_leads_by_less_than_the_threshold():
    # A threshold above 1: the recogniser leans to 髙 where 高 is written, so 髙 must lead by more.
    probabilities = _positions((0.0, 0.3, 0.6, 0.1), (0.0, 0.01, 0.98, 0.01))
    chosen = choose_forms(probabilities, INDEX, {("高", "髙"): 10.0})
    assert list(chosen.argmax(axis=2)[0]) == [1, 2]
    assert chosen[0, 0, 1] == pytest.approx(0.6)
