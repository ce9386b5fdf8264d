"""Defects found on forms the reader had never seen: each is a specification of the fix.

The pages here are drawn by the tests themselves on the tuning layouts of ``samples`` (the
held-out forms of the benchmark are never used here)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from jichitai.ocr import marks, pale_writing, samples
from jichitai.ocr import template as templates
from jichitai.ocr.extract import Extractor
from jichitai.ocr.postprocess import normalise

DPI = 200


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def genkyo_page(name="山田太郎", ink=0):
    """The 現況届 with a name written in the given grey level, and its draw handle."""
    image = samples.blank_form("genkyo")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], px(8))
    draw.text((px(63), px(52)), name, font=font, fill=ink)
    return image, draw


def married_box():
    x, y, w, h = next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == "married").box_mm
    return px(x), px(y), px(w), px(h)


@pytest.mark.parametrize("mark", ["thin tick", "circle", "faint tick", "cross", "filled"])
def test_a_box_marked_the_way_people_mark_it_is_checked(genkyo_extractor, mark):
    image, draw = genkyo_page()
    x, y, w, h = married_box()
    ink = 170 if mark == "faint tick" else 0
    if mark in ("thin tick", "faint tick"):
        draw.line(
            [(x + w * 0.2, y + h * 0.55), (x + w * 0.4, y + h * 0.8), (x + w * 0.85, y + h * 0.15)],
            fill=ink,
            width=1,
        )
    elif mark == "circle":
        draw.ellipse([x + w * 0.1, y + h * 0.1, x + w * 0.9, y + h * 0.9], outline=0, width=1)
    elif mark == "cross":
        draw.line([(x + w * 0.2, y + h * 0.2), (x + w * 0.8, y + h * 0.8)], fill=0, width=1)
        draw.line([(x + w * 0.8, y + h * 0.2), (x + w * 0.2, y + h * 0.8)], fill=0, width=1)
    else:
        draw.rectangle([x + w * 0.2, y + h * 0.2, x + w * 0.8, y + h * 0.8], fill=90)
    result = genkyo_extractor.extract(np.asarray(image)).fields["married"]
    assert result.value is True


def test_an_empty_box_stays_unchecked_on_a_noisy_scan(genkyo_extractor):
    image, _draw = genkyo_page()
    page = np.asarray(samples.degrade(image, "noisy", __import__("random").Random(3)))
    assert genkyo_extractor.extract(page).fields["married"].value is False


def test_faint_writing_is_read_or_flagged_never_silently_empty(genkyo_extractor):
    image, _draw = genkyo_page("鈴木花子", ink=175)
    field = genkyo_extractor.extract(np.asarray(image)).fields["name"]
    assert field.value == "鈴木花子" or (field.flagged and "faint_ink" in field.reasons)
    assert field.value is not None or field.flagged


def test_ink_with_an_empty_read_is_flagged_as_faint_ink(genkyo_extractor):
    image, draw = genkyo_page()
    # A pale smudge where the kana goes: ink, but nothing a recogniser can read.
    draw.rectangle([px(64), px(71), px(120), px(76)], fill=185)
    field = genkyo_extractor.extract(np.asarray(image)).fields["kana"]
    assert field.flagged and "faint_ink" in field.reasons


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("三重県烏羽市鳥羽三丁目1-2", "三重県鳥羽市鳥羽三丁目1-2"),
        ("烏羽市鳥羽三丁目1-2", "鳥羽市鳥羽三丁目1-2"),
        ("四日市市諏訪栄町3-5.", "四日市市諏訪栄町3-5"),
        ("三重県松坂市春日町2-1", "三重県松阪市春日町2-1"),
    ],
)
def test_the_municipality_dictionary_corrects_a_misread_place_name(raw, expected):
    assert normalise("text", raw)[0] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("四日市市黑田町8-4", "四日市市黒田町8-4"),
        ("鈴鹿市神戶一丁目27-14", "鈴鹿市神戸一丁目27-14"),
        ("伊賀市上野丸之內9-14", "伊賀市上野丸之内9-14"),
        ("熊野市波田須町2928看地", "熊野市波田須町2928番地"),
    ],
)
def test_a_place_name_read_with_another_form_of_a_kanji_is_the_dictionarys(raw, expected):
    """The recogniser emits old and Chinese forms (黑, 戶, 內); the names are Japan Post's."""
    assert normalise("text", raw)[0] == expected


@pytest.mark.parametrize(("raw", "expected"), [("野吕陽介", "野呂陽介"), ("渊上花子", "渕上花子")])
def test_a_chinese_form_outside_jis_is_read_as_its_japanese_form(raw, expected):
    assert normalise("text", raw)[0] == expected


def test_the_dictionary_leaves_names_alone():
    assert normalise("text", "烏山太郎")[0] == "烏山太郎"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0598-16-3050", "0598-16-3050"),  # 松阪: a 4-digit area code, as written
        ("0599-25-1111", "0599-25-1111"),  # 鳥羽
        ("05979-2-1234", "05979-2-1234"),  # 熊野 (5-digit area code)
        ("059-224-2035", "059-224-2035"),
        ("0598163050", "059-816-3050"),  # no hyphens written: the canonical grouping
        ("090-1234-5678", "090-1234-5678"),
    ],
)
def test_a_valid_written_phone_number_keeps_its_hyphens(raw, expected):
    assert normalise("phone", raw) == (expected, True)


def guided_date_template(tmp_path):
    """A form with 申請日 printed as 令和　年　月　日 and a sub-zone for each number."""
    image = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.LABEL_FONT, px(4))
    big = ImageFont.truetype(samples.LABEL_FONT, px(7))
    draw.text((px(20), px(15)), "テスト交付申請書", font=big, fill=0)
    for index, line in enumerate(
        ("注意事項 1. 黒のボールペンで記入", "2. 太枠の中に記入", "受付印")
    ):
        draw.text((px(20), px(230 + 8 * index)), line, font=font, fill=0)
    for cx, cy in ((8, 8), (196, 8), (8, 283), (196, 283)):
        draw.rectangle([px(cx), px(cy), px(cx + 6), px(cy + 6)], fill=0)
    draw.rectangle([px(15), px(225), px(195), px(265)], outline=0, width=2)
    draw.text((px(20), px(62)), "申請日", font=font, fill=0)
    draw.rectangle([px(50), px(58), px(130), px(70)], outline=0, width=2)
    for text, x in (("令和", 52), ("年", 80), ("月", 100), ("日", 120)):
        draw.text((px(x), px(62)), text, font=font, fill=0)
    image.save(tmp_path / "guided.png")
    data = {
        "name": "guided",
        "reference": "guided.png",
        "dpi": DPI,
        "fields": [
            {
                "name": "applied_on",
                "type": "date",
                "box": [px(50), px(58), px(80), px(12)],
                "era": "令和",
                "parts": {
                    "year": [px(62), px(59), px(17), px(10)],
                    "month": [px(86), px(59), px(13), px(10)],
                    "day": [px(106), px(59), px(13), px(10)],
                },
            }
        ],
    }
    return templates.from_dict(data, tmp_path), image


def test_a_date_box_with_printed_era_guides_is_read_as_a_date(tmp_path):
    template, blank = guided_date_template(tmp_path)
    extractor = Extractor(template, np.asarray(blank))
    page = blank.copy()
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], px(7))
    for text, x in (("7", 68), ("4", 90), ("15", 108)):
        draw.text((px(x), px(60)), text, font=font, fill=0)
    field = extractor.extract(np.asarray(page)).fields["applied_on"]
    assert (field.value, field.valid) == ("2025-04-15", True)


def test_guided_date_template_round_trips_through_json(tmp_path):
    template, _blank = guided_date_template(tmp_path)
    again = templates.loads(template.to_json(), tmp_path)
    assert again.fields[0].era == "令和"
    assert again.fields[0].parts["day"] == template.fields[0].parts["day"]


def yes_no_template(tmp_path):
    """A form asking 同居していますか with はい・いいえ printed, to be circled."""
    image = Image.new("L", (px(210), px(297)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.LABEL_FONT, px(5))
    draw.text((px(20), px(15)), "テスト届出書", font=ImageFont.truetype(samples.LABEL_FONT, px(7)))
    for index, line in enumerate(("注意事項 1. 黒のボールペンで記入", "2. 該当するものを○で囲む")):
        draw.text((px(20), px(230 + 8 * index)), line, font=font, fill=0)
    for cx, cy in ((8, 8), (196, 8), (8, 283), (196, 283)):
        draw.rectangle([px(cx), px(cy), px(cx + 6), px(cy + 6)], fill=0)
    draw.text((px(20), px(62)), "同居していますか", font=font, fill=0)
    draw.rectangle([px(80), px(56), px(140), px(70)], outline=0, width=2)
    draw.text((px(86), px(60)), "はい", font=font, fill=0)
    draw.text((px(107), px(60)), "・", font=font, fill=0)
    draw.text((px(116), px(60)), "いいえ", font=font, fill=0)
    image.save(tmp_path / "yesno.png")
    options = [
        {"value": "はい", "box": [px(81), px(57), px(25), px(12)]},
        {"value": "いいえ", "box": [px(111), px(57), px(28), px(12)]},
    ]
    data = {
        "name": "yesno",
        "dpi": DPI,
        "reference": "yesno.png",
        "fields": [
            {
                "name": "together",
                "type": "choice",
                "box": [px(80), px(56), px(60), px(14)],
                "options": options,
            }
        ],
    }
    return templates.from_dict(data, tmp_path), image


def ring(draw, left_mm, width_mm, pen=2):
    draw.ellipse([px(left_mm), px(58), px(left_mm + width_mm), px(68)], outline=0, width=pen)


@pytest.mark.parametrize(("circled", "expected"), [((84,), "はい"), ((113,), "いいえ"), ((), None)])
def test_a_circled_printed_option_is_the_value(tmp_path, circled, expected):
    template, blank = yes_no_template(tmp_path)
    page = blank.copy()
    draw = ImageDraw.Draw(page)
    for left in circled:
        ring(draw, left, 20 if left < 100 else 25, pen=1)
    field = Extractor(template, np.asarray(blank)).extract(np.asarray(page)).fields["together"]
    assert (field.value, field.flagged) == (expected, False)


def test_two_circled_options_go_to_a_person(tmp_path):
    template, blank = yes_no_template(tmp_path)
    page = blank.copy()
    draw = ImageDraw.Draw(page)
    ring(draw, 84, 20)
    ring(draw, 113, 25)
    field = Extractor(template, np.asarray(blank)).extract(np.asarray(page)).fields["together"]
    assert field.flagged and field.reasons == ["ambiguous_mark"]


def test_a_choice_needs_its_options():
    with pytest.raises(templates.TemplateError, match="options"):
        templates.from_dict({"fields": [{"name": "a", "type": "choice", "box": [0, 0, 50, 50]}]})


def test_a_trace_of_pale_ink_in_an_empty_looking_box_goes_to_a_person(genkyo_extractor):
    image, draw = genkyo_page()
    x, y, w, h = married_box()
    draw.line([(x + w * 0.4, y + h * 0.45), (x + w * 0.6, y + h * 0.55)], fill=215, width=2)
    field = genkyo_extractor.extract(np.asarray(image)).fields["married"]
    assert field.flagged and field.reasons == ["faint_ink"]


@pytest.mark.parametrize(("ink", "scale"), [(120, 0.5), (140, 0.75)])
def test_a_pale_mincho_on_a_soft_low_resolution_capture_keeps_its_thin_strokes(
    genkyo_extractor, ink, scale
):
    # A Mincho's horizontals are a third as thick as its verticals: captured at 100–150 dpi and
    # softened, they fall below the ink contrast first, and a 日 without them reads as 川 or ロ.
    image = samples.blank_form("genkyo")
    font = ImageFont.truetype(samples.PRINTED_FONTS[1], px(6))
    ImageDraw.Draw(image).text((px(63), px(52)), "日吉マリア", font=font, fill=ink)
    captured = image.resize((int(image.width * scale), int(image.height * scale)), Image.BILINEAR)
    soft = captured.filter(ImageFilter.GaussianBlur(1.0)).resize(image.size, Image.BILINEAR)
    assert genkyo_extractor.extract(np.asarray(soft)).fields["name"].value == "日吉マリア"


def test_pale_pixels_join_the_writing_only_where_they_touch_its_ink():
    contrast = np.zeros((20, 40), np.float32)
    contrast[2:18, 5] = 80  # a stroke at the ink contrast
    contrast[10, 5:16] = 30  # a pale stroke from it
    contrast[9:12, 30:35] = 30  # a pale smudge apart from the writing
    ink = (contrast > marks.INK_CONTRAST).astype(np.uint8)
    strokes = pale_writing.with_pale_strokes(contrast, ink, np.zeros(contrast.shape, bool))
    assert strokes[10, 12] and strokes[2, 5]
    assert not strokes[10, 32]


def test_characters_written_paler_than_the_rest_are_read_and_flagged_never_dropped(
    genkyo_extractor,
):
    # 16000 with the 1 and 6 in pale pencil: from the ink contrast alone it reads 000, surely.
    x, y, _w, _h = next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == "income").box_mm
    image = samples.blank_form("genkyo")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], px(6))
    draw.text((px(x + 3), px(y + 2)), "16", font=font, fill=210)
    draw.text((px(x + 3) + int(font.getlength("16")), px(y + 2)), "000", font=font, fill=40)
    result = genkyo_extractor.extract(np.asarray(image)).fields["income"]
    assert result.value == 16000
    assert "faint_ink" in result.reasons
