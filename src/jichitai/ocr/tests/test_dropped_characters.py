"""A read that drops a character of a name or a reading goes to a person, however sure the
recogniser is: the ink's gaps show more characters than were read (``glyph_count``), and the second
read of the binarised crop, made for every name, reading and address, disagrees (``disagreement``).

Pages are drawn on the tuning layouts of ``samples``; the benchmark's held-out forms are not used."""

import numpy as np
import pytest

from jichitai.ocr import checks, samples
from jichitai.ocr.engines import Reading
from jichitai.ocr.extract import Extractor
from jichitai.ocr.registry import engines
from jichitai.ocr.tests.test_signals import genkyo_with


class DroppingEngine:
    """The real recogniser, except that on the calls numbered in ``on_calls`` (0: the first read
    of the page's crops, 1: the second read) ``written`` comes back as ``dropped``, at a score of
    0.996 for every character, as the recogniser gives a confident read that lost a character."""

    def __init__(self, written: str, dropped: str, on_calls: set[int]):
        self.engine = engines.get("rapidocr")
        self.written, self.dropped, self.on_calls = written, dropped, on_calls
        self.calls = 0

    def read(self, crops):
        readings = self.engine.read(crops)
        if self.calls in self.on_calls:
            readings = [
                Reading(self.dropped, 0.996, (0.996,) * len(self.dropped))
                if reading.text == self.written
                else reading
                for reading in readings
            ]
        self.calls += 1
        return readings


def strokes(*pieces: tuple[int, int]) -> np.ndarray:
    """An ink mask 40 px high with full-height strokes over the given column ranges."""
    ink = np.zeros((50, 400), np.uint8)
    for first, last in pieces:
        ink[5:45, first:last] = 1
    return ink


def test_the_ink_cannot_be_fewer_characters_than_the_spans_covering_its_pieces():
    # Four characters 40 px wide with gaps between them.
    assert checks.fewest_characters(strokes((0, 40), (50, 90), (100, 140), (150, 190))) == 4
    # A radical standing apart from its kanji (氵 and 可 of 河) is one character.
    assert checks.fewest_characters(strokes((0, 10), (16, 40))) == 1
    # A speck of noise beside the writing is not a character.
    speck = strokes((0, 40), (50, 90))
    speck[20:22, 150:152] = 1
    assert checks.fewest_characters(speck) == 2


def test_a_reading_read_with_fewer_characters_than_its_ink_shows_is_doubted():
    four = strokes((0, 40), (50, 90), (100, 140), (150, 190))
    assert checks.too_few_characters("kana", "ヤマダ", four)
    assert not checks.too_few_characters("kana", "ヤマダユ", four)
    # Numbers have their format checks; the gaps between digits and hyphens say too little.
    assert not checks.too_few_characters("digits", "12", four)


@pytest.fixture
def extractor():
    return Extractor(samples.template_for("genkyo"), np.asarray(samples.blank_form("genkyo")))


def test_a_sure_read_that_dropped_a_character_is_flagged_for_the_ink_it_leaves_unread(extractor):
    extractor.engine = DroppingEngine("マツモトツバサ", "マツモトツサ", on_calls={0, 1})
    field = extractor.extract(genkyo_with(kana="マツモトツバサ")).fields["kana"]
    assert field.value == "マツモトツサ"
    assert field.flagged and "glyph_count" in field.reasons
    assert "low_score" not in field.reasons


def test_a_sure_read_that_dropped_a_character_is_flagged_when_the_second_read_differs(extractor):
    extractor.engine = DroppingEngine("山田由美", "田由美", on_calls={0})
    field = extractor.extract(genkyo_with(name="山田由美")).fields["name"]
    assert field.value == "田由美"
    assert "disagreement" in field.reasons


def test_a_name_read_right_is_not_flagged_by_the_new_signals(extractor):
    fields = extractor.extract(genkyo_with(name="山田由美", kana="マツモトツバサ")).fields
    assert (fields["name"].value, fields["kana"].value) == ("山田由美", "マツモトツバサ")
    assert not fields["name"].flagged and not fields["kana"].flagged
