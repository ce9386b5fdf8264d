"""Why a field goes to a person: signals of one read (characters, length, phone grouping, old
glyphs in names), the dictionary's spellings of 町域, and the second read of every field.

Pages are drawn on the tuning layouts of ``samples``; the benchmark's held-out forms are not used."""

import random

import numpy as np
import pytest
from PIL import ImageDraw, ImageFont

from jichitai.ocr import checks, dictionary, extract, marks, postprocess, reasons, samples
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


def test_an_unsure_dash_in_a_number_that_holds_no_hyphen_lowers_the_score():
    # An account number read 053~75: the dash was a digit the reader would silently drop.
    scores = (0.99, 0.99, 0.99, 0.62, 0.99, 0.99)
    assert checks.least_sure("053~75", 0.62, scores, "digits") == 0.62
    assert checks.least_sure("053-75", 0.62, scores, "postal") == 0.99


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
    # 冨 and 富 differ in one dot, and 冨田 is read 富田 as surely as 富田 is.
    assert postprocess.read("text", "富田恭平").variant_glyph == "富"
    # Addresses are checked by the place-name dictionary instead.
    assert postprocess.read("text", "津市高茶屋一丁目").variant_glyph == ""


def test_a_name_with_an_old_form_that_the_everyday_kanji_is_read_as_is_confirmed():
    # 美穂 read 美穗 at a score of 0.98: 穗 is 穂's old form, which Unihan does not relate to it.
    assert postprocess.read("text", "谷口美穗").variant_glyph == "穗"
    assert postprocess.read("text", "谷口美穂").variant_glyph == ""
    assert postprocess.read("text", "奧田直樹").variant_glyph == "奧"


def test_a_prefecture_with_its_suffix_misread_or_a_character_dropped_is_corrected_when_its_city_follows():
    check = dictionary.check_address("三重果尾鷲市栄町812番地")
    assert (check.text, check.corrections) == ("三重県尾鷲市栄町812番地", [("三重果", "三重県")])
    # Its first character dropped (三重県大台町 read 重県大台町 at a score of 0.91).
    check = dictionary.check_address("重県大台町佐原645番地")
    assert (check.text, check.corrections) == ("三重県大台町佐原645番地", [("重県", "三重県")])
    # A 郡 or a city named after the prefecture is what was written.
    assert dictionary.check_address("三重郡菰野町大字菰野1").text == "三重郡菰野町大字菰野1"
    assert dictionary.check_address("京都市中京区").corrections == []


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


def test_a_thin_pale_tick_across_the_box_on_a_blurred_scan_is_checked_without_a_doubt():
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
    # Pale, yet one stroke across the box: as clear a mark as one in black ink.
    assert field.value is True and not field.flagged


def test_every_written_field_is_read_a_second_time():
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
    # The three fields once, and again from their binarised crops, however sure the first read.
    assert counting.calls == [3, 3]
    assert result.fields["name"].value == "山田太郎" and not result.fields["name"].flagged
    assert result.fields["income"].flagged


def test_the_review_screen_words_every_reason_in_japanese():
    from jichitai.ocr.models import FLAG_REASONS
    from jichitai.ocr.reasons import REASONS

    assert set(REASONS) <= set(FLAG_REASONS)
    assert all(not str(FLAG_REASONS[code]).isascii() for code in REASONS)


def _box_gray(seed: int, sigma: float):
    """An 8 mm box's inside at 200 dpi: paper with grain, and a tick spread by a soft photo to grey
    strokes that no longer reach the ink contrast."""
    import cv2

    rng = np.random.default_rng(seed)
    side = px(8)
    gray = np.full((side, side), 230, np.float32)
    points = np.array([[0.35, 0.5], [0.47, 0.65], [0.65, 0.38]]) * side
    cv2.polylines(gray, [points.astype(np.int32)], False, 190, 2)
    gray += rng.normal(0, sigma, gray.shape)
    return np.clip(gray, 0, 255).astype(np.uint8), np.zeros((side, side), bool)


def test_a_box_read_empty_with_more_dark_pixels_than_the_grain_explains_goes_to_a_person():
    gray, erase = _box_gray(1, sigma=1.5)
    ink = marks.added_ink(gray, erase, 1.0)[0]
    assert not ink.any()  # the strokes are too pale to count as ink …
    mark = marks.checkbox(ink, ink, ink, marks.darker_than_grain(gray, erase, 1.0))
    assert mark.value is False and mark.ambiguous and mark.uncertain  # … but not silently empty


@pytest.mark.parametrize("seed", range(4))
def test_an_empty_box_on_a_noisy_scan_is_not_doubted(genkyo_extractor, seed):
    page = samples.degrade(samples.blank_form("genkyo"), "noisy", random.Random(seed))
    field = genkyo_extractor.extract(np.asarray(page)).fields["married"]
    assert field.value is False and not field.flagged


def test_writing_blurred_by_a_distant_photo_is_soft_and_a_sharp_scan_is_not():
    import cv2

    image, height = np.full((px(12), px(60)), 255, np.uint8), px(7)
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], height)
    from PIL import Image

    page = Image.fromarray(image)
    ImageDraw.Draw(page).text((px(2), px(2)), "ツバサ奥田", font=font, fill=0)
    sharp = np.asarray(page)
    small = cv2.resize(sharp, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    soft = cv2.resize(small, sharp.shape[::-1], interpolation=cv2.INTER_LINEAR)
    soft = cv2.GaussianBlur(soft, (0, 0), 0.7)
    for gray, expected in ((sharp, False), (soft, True)):
        ink = marks.added_ink(gray, np.zeros(gray.shape, bool), 1.0)[0]
        contrast = float(np.percentile(255 - gray[ink > 0].astype(np.float32), 90))
        near = cv2.dilate(ink, np.ones((3, 3), np.uint8))
        assert (checks.sharpness(gray, near, contrast) < extract.SOFT) is expected


def _genkyo_with(name_ink: int, kana_ink: int | None) -> np.ndarray:
    """The 現況届 with its name written in grey ``name_ink`` and its reading in ``kana_ink``."""
    image = samples.blank_form("genkyo", DPI)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], px(8))
    zones = {z.name: z for z in samples.LAYOUTS["genkyo"][1]}
    for field_name, ink, text in (
        ("name", name_ink, "山田太郎"),
        ("kana", kana_ink, "ヤマダタロウ"),
    ):
        if ink is not None:
            x, y, _w, h = zones[field_name].box_mm
            draw.text((px(x + 4), px(y + h / 2 - 4)), text, font=font, fill=ink)
    return np.asarray(image)


def test_an_empty_field_on_a_page_written_faintly_goes_to_a_person(genkyo_extractor):
    # The name in a pale pencil found only at a low contrast; the reading paler still, found not
    # at all: it may be there, so a person looks.
    fields = genkyo_extractor.extract(_genkyo_with(215, 250)).fields
    assert reasons.FAINT in fields["name"].reasons
    assert fields["kana"].value is None
    assert reasons.FAINT in fields["kana"].reasons


def test_an_empty_field_on_a_page_written_in_dark_ink_stays_quiet(genkyo_extractor):
    fields = genkyo_extractor.extract(_genkyo_with(0, None)).fields
    assert fields["name"].value == "山田太郎"
    assert fields["kana"].value is None
    assert not fields["kana"].flagged


def test_nothing_read_where_the_page_does_not_show_the_form_goes_to_a_person(genkyo_extractor):
    # A photo whose corner left the page: the box 対象児童数 lies in the warp's flat grey border.
    image = samples.filled_form("genkyo", {"name": "山田太郎"}, dpi=DPI)
    x, y, w, h = (
        px(mm)
        for mm in next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == "children").box_mm
    )
    ImageDraw.Draw(image).rectangle([x - 20, y - 20, x + w + 20, y + h + 20], fill=200)
    fields = genkyo_extractor.extract(np.asarray(image)).fields
    assert fields["children"].value is None
    assert fields["children"].reasons == [reasons.OFF_FORM]
    # A box left empty where the form is printed stays quiet.
    assert fields["phone"].value is None and not fields["phone"].flagged


def _results(*placement_reasons):
    return {
        f"field{i}": extract.FieldResult("x", "x", 0.99, True, list(why))
        for i, why in enumerate([*placement_reasons, (), ()])
    }


def test_a_page_with_three_fields_read_away_from_their_printing_goes_to_a_person_whole():
    results = _results([reasons.SHIFTED], [reasons.SHIFTED], [reasons.OFF_FORM])
    checks.doubt_page(results, (reasons.SHIFTED, reasons.OFF_FORM), reasons.MISALIGNED)
    assert all(reasons.MISALIGNED in r.reasons for r in results.values())
    assert all(r.confidence <= 0.5 for r in results.values())


def test_two_fields_read_away_from_their_printing_leave_the_rest_of_the_page_alone():
    results = _results([reasons.SHIFTED], [reasons.OFF_FORM])
    checks.doubt_page(results, (reasons.SHIFTED, reasons.OFF_FORM), reasons.MISALIGNED)
    assert not any(reasons.MISALIGNED in r.reasons for r in results.values())
