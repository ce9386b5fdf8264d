"""Why a field goes to a person: signals of one read (characters, length, phone grouping, old
glyphs in names), the dictionary's spellings of 町域, and the second read kept for doubtful fields.

Pages are drawn on the tuning layouts of ``samples``; the benchmark's held-out forms are not used."""

import random

import numpy as np
import pytest
from PIL import ImageDraw, ImageFont

from jichitai.ocr import checks, dictionary, postprocess, samples
from jichitai.ocr.extract import Extractor
from jichitai.ocr.registry import engines

DPI = 200


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


@pytest.mark.parametrize(
    ("value", "foreign"),
    [
        ("山田太郎", False),
        ("津市広明町13番地", False),
        ("山田太郎.", True),
        ("山田Ta郎", True),
        ("鸟羽市", True),
    ],
)
def test_a_name_or_address_with_characters_it_cannot_hold_is_doubted(value, foreign):
    assert checks.foreign_characters("text", value) is foreign


def test_a_read_with_a_character_too_few_or_too_many_for_its_ink_is_doubted():
    # Four kanji written 60 px high take about 240 px; handwriting varies, so only far off counts.
    assert checks.plausible_length("text", "木村健一", (245, 60))
    assert not checks.plausible_length("text", "木村健", (600, 60))
    assert not checks.plausible_length("text", "木村健一郎太郎花子", (245, 60))


def test_dashes_between_digits_do_not_lower_the_score():
    assert checks.least_sure("津市1-2", 0.4, (0.99, 0.98, 0.97, 0.4, 0.96)) == 0.96
    assert checks.least_sure("一丁目", 0.4, (0.4, 0.99, 0.99)) == 0.4


def test_a_phone_number_whose_hyphens_were_set_anew_goes_to_a_person():
    kept = postprocess.read("phone", "0598-16-3050")
    regrouped = postprocess.read("phone", "05981-63050")
    assert (kept.value, kept.regrouped) == ("0598-16-3050", False)
    assert (regrouped.value, regrouped.regrouped) == ("059-816-3050", True)


def test_a_kanji_read_twice_in_a_name_is_doubted_but_not_in_a_place_name():
    assert postprocess.read("text", "山山太郎").doubled
    assert not postprocess.read("text", "佐々木太郎").doubled
    assert not postprocess.read("text", "四日市市諏訪町1番5号").doubled


def test_a_name_with_a_kanji_people_also_write_in_an_old_form_is_confirmed():
    assert postprocess.read("text", "高橋太郎").variant_glyph == "高"
    assert postprocess.read("text", "山田太郎").variant_glyph == ""
    # Addresses are checked by the place-name dictionary instead.
    assert postprocess.read("text", "津市高茶屋一丁目").variant_glyph == ""


@pytest.mark.parametrize(
    "address", ["多気郡明和町大字馬之上", "名張市鴻之台一番町", "名張市春日丘7番町"]
)
def test_towns_are_known_with_or_without_daiji_and_in_kanji_or_arabic_numbers(address):
    check = dictionary.check_address(address)
    assert (check.unknown, check.text) == ("", address)


class CountingEngine:
    """The real recogniser, counting the crops it is given per call."""

    def __init__(self):
        self.engine = engines.get("rapidocr")
        self.calls: list[int] = []

    def read(self, crops):
        self.calls.append(len(crops))
        return self.engine.read(crops)


def test_a_thin_pale_tick_on_a_blurred_scan_goes_to_a_person():
    image = samples.blank_form("hojo")
    x, y, w, h = next(z for z in samples.LAYOUTS["hojo"][1] if z.name == "agree").box_mm
    ImageDraw.Draw(image).line(
        [
            (px(x + w * 0.2), px(y + h * 0.5)),
            (px(x + w * 0.45), px(y + h * 0.8)),
            (px(x + w * 0.85), px(y + h * 0.15)),
        ],
        fill=180,
        width=1,
    )
    page = np.asarray(samples.degrade(image, "blurred", random.Random(3)))
    extractor = Extractor(samples.template_for("hojo"), np.asarray(samples.blank_form("hojo")))
    field = extractor.extract(page).fields["agree"]
    assert field.flagged and field.reasons == ["faint_ink"]


def test_only_doubtful_fields_are_read_a_second_time():
    extractor = Extractor(samples.template_for("genkyo"), np.asarray(samples.blank_form("genkyo")))
    counting = CountingEngine()
    extractor.engine = counting
    image = samples.blank_form("genkyo")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], px(8))
    draw.text((px(63), px(52)), "山田太郎", font=font, fill=0)
    draw.text((px(63), px(101)), "514-8611", font=font, fill=0)
    draw.text((px(63), px(151)), "12,000xx", font=font, fill=0)  # letters in an amount
    result = extractor.extract(np.asarray(image))
    assert counting.calls == [3, 1]  # the three fields once, the doubtful amount again
    assert result.fields["name"].value == "山田太郎" and not result.fields["name"].flagged
    assert result.fields["income"].flagged


def test_the_review_screen_words_every_reason_in_japanese():
    from jichitai.ocr.extract import REASONS
    from jichitai.ocr.models import FLAG_REASONS

    assert set(REASONS) <= set(FLAG_REASONS)
    assert all(not str(FLAG_REASONS[code]).isascii() for code in REASONS)
