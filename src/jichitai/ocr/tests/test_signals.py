"""Signals that send a field to a person when its read may be wrong although the recogniser is
sure: small kana where Japanese spelling has none, old or confusable kanji in names, a choice with
nothing circled but ink near it, pale writing judged against the scan's grain, and writing that
runs over its box, read again from a shifted crop.

Pages are drawn on the tuning layouts of ``samples``; the benchmark's held-out forms are not used."""

import datetime
import random

import numpy as np
import pytest
from PIL import ImageDraw, ImageFont

from jichitai.ocr import checks, marks, postprocess, samples
from jichitai.ocr.extract import Extractor
from jichitai.ocr.tests.test_flags import CountingEngine

DPI = 200


def px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def box(layout: str, name: str) -> tuple[int, int, int, int]:
    x, y, w, h = next(z for z in samples.LAYOUTS[layout][1] if z.name == name).box_mm
    return px(x), px(y), px(w), px(h)


def genkyo_with(**texts):
    """The 現況届 with the given fields written in a printed font, as a page array."""
    image = samples.blank_form("genkyo")
    draw = ImageDraw.Draw(image)
    for name, text in texts.items():
        x, y, _w, h = box("genkyo", name)
        font = ImageFont.truetype(samples.PRINTED_FONTS[0], int(h * 0.6))
        draw.text((x + px(3), y + h * 0.18), text, font=font, fill=0)
    return np.asarray(image)


@pytest.mark.parametrize(
    ("value", "implausible"),
    [
        ("ショウタ", ""),
        ("ジュンペイ", ""),
        ("ベップ", ""),
        ("はっとり", ""),
        ("ウィリアム", ""),
        ("オクダッバサ", "ッ"),  # ツ read small before a voiced kana
        ("ッタロウ", "ッ"),
        ("ヤマダタロッ", "ッ"),
        ("マッモト", "ッ"),
        ("イノゥエ", "ゥ"),
        ("アョウ", "ョ"),
        ("津市広明町", ""),
    ],
)
def test_small_kana_where_spelling_has_none_are_found(value, implausible):
    assert checks.implausible_small_kana("kana", value) == implausible


@pytest.mark.parametrize(
    ("read", "corrected"),
    [
        ("サィトウヒナ", "サイトウヒナ"),
        ("マッモト", "マツモト"),
        ("さぃとう", "さいとう"),
        ("ティナ", "ティナ"),
    ],
)
def test_small_kana_out_of_place_are_made_large(read, corrected):
    assert checks.enlarge_implausible_small_kana("kana", read) == corrected


def test_a_small_kana_where_none_can_be_is_made_large_and_goes_to_a_person(genkyo_extractor):
    # A small kana read where Japanese spelling has none is almost always a misread large one
    # (マッモト for マツモト): the value is corrected, and a person still compares with the paper.
    fields = genkyo_extractor.extract(genkyo_with(kana="オクダッバサ", name="山田太郎")).fields
    assert fields["kana"].value == "オクダツバサ"
    assert "small_kana" in fields["kana"].reasons
    assert any("ッ" in note for note in fields["kana"].notes)
    plain = genkyo_extractor.extract(genkyo_with(kana="ベップショウタ")).fields["kana"]
    assert plain.value == "ベップショウタ" and "small_kana" not in plain.reasons


def test_a_name_read_with_a_rare_old_form_or_a_kanji_names_do_not_use_is_confirmed():
    assert postprocess.read("text", "奧田誠").variant_glyph == "奧"
    assert postprocess.read("text", "臭田誠").confusable == "臭"
    assert postprocess.read("text", "干葉さくら").confusable == "干"
    assert (
        postprocess.read("text", "奥田誠").variant_glyph,
        postprocess.read("text", "奥田誠").confusable,
    ) == ("", "")


def test_a_name_read_as_a_rare_old_form_goes_to_a_person(genkyo_extractor):
    field = genkyo_extractor.extract(genkyo_with(name="奧田誠")).fields["name"]
    assert field.value == "奧田誠"
    assert "dictionary" in field.reasons and any("奧" in note for note in field.notes)


@pytest.fixture(scope="module")
def jidou_extractor():
    return Extractor(samples.template_for("jidou"), np.asarray(samples.blank_form("jidou")))


def test_a_choice_with_nothing_circled_but_ink_near_its_options_goes_to_a_person(jidou_extractor):
    image = samples.blank_form("jidou")
    x, y, w, h = box("jidou", "spouse")
    # A short stroke by the first option: a ring begun, or one a photo has mostly lost.
    ImageDraw.Draw(image).line([(x + w * 0.1, y + h * 0.3), (x + w * 0.1, y + h * 0.6)], fill=0)
    field = jidou_extractor.extract(np.asarray(image)).fields["spouse"]
    assert field.value is None and field.reasons == ["uncertain_mark"]
    blank = jidou_extractor.extract(np.asarray(samples.blank_form("jidou"))).fields["spouse"]
    assert blank.value is None and not blank.flagged


def test_writing_paler_than_a_fixed_faint_level_is_still_flagged_on_a_clean_scan(
    genkyo_extractor,
):
    image = samples.blank_form("genkyo")
    x, y, _w, h = box("genkyo", "name")
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], int(h * 0.6))
    ImageDraw.Draw(image).text((x + px(3), y + h * 0.18), "山田太郎", font=font, fill=238)
    field = genkyo_extractor.extract(np.asarray(image)).fields["name"]
    assert field.flagged and "faint_ink" in field.reasons


def test_the_faint_level_follows_the_scans_grain():
    x, y, w, h = box("genkyo", "name")
    clean = np.asarray(samples.blank_form("genkyo"))[y : y + h, x : x + w]
    noisy = np.asarray(samples.degrade(samples.blank_form("genkyo"), "noisy", random.Random(1)))
    noisy = noisy[y : y + h, x : x + w]
    assert marks.pale_contrast(clean, 1.0) == marks.TRACE_CONTRAST
    # Grain around 8 ± 6 grey levels: a fixed level of 22 would take it for pale writing.
    assert marks.pale_contrast(noisy, 1.0) > marks.FAINT_CONTRAST + 5


def test_writing_over_the_boxs_border_is_read_again_from_a_wider_crop(genkyo_extractor):
    image = samples.blank_form("genkyo")
    x, y, _w, _h = box("genkyo", "name")
    font = ImageFont.truetype(samples.PRINTED_FONTS[0], px(8))
    # Written low, so the characters' feet run over the box's lower border.
    ImageDraw.Draw(image).text((x + px(3), y + px(8)), "山田太郎", font=font, fill=0)
    field = genkyo_extractor.extract(np.asarray(image)).fields["name"]
    assert "shifted_crop" in field.reasons
    assert any(note.startswith("枠を広げて読むと") for note in field.notes)


def test_writing_inside_its_box_is_not_read_again():
    extractor = Extractor(samples.template_for("genkyo"), np.asarray(samples.blank_form("genkyo")))
    counting = CountingEngine()
    extractor.engine = counting
    field = extractor.extract(genkyo_with(name="山田太郎")).fields["name"]
    assert field.value == "山田太郎" and not field.flagged
    # The first read and the binarised second read every name gets; no third from a moved crop.
    assert counting.calls == [1, 1]


def test_a_date_far_in_the_future_or_past_is_a_misread():
    today = datetime.date(2026, 12, 4)
    assert checks.plausible_date("1985-04-01", today)
    assert checks.plausible_date("2027-03-31", today)  # a date to come on an application
    assert not checks.plausible_date("2078-04-01", today)  # 令和60年: 6 read as 60
    assert not checks.plausible_date("1875-04-01", today)  # 明治 for 昭和


def test_a_read_date_no_form_can_hold_goes_to_a_person(genkyo_extractor):
    field = genkyo_extractor.extract(genkyo_with(birth="令和60年4月1日")).fields["birth"]
    assert field.value == "2078-04-01" and "date_range" in field.reasons
    right = genkyo_extractor.extract(genkyo_with(birth="昭和60年4月1日")).fields["birth"]
    assert right.value == "1985-04-01" and not right.flagged


def page_with_box_moved(layout: str, name: str, down: int, tick: bool = False) -> np.ndarray:
    """A page where one check box sits ``down`` pixels lower than on the blank form, as a photo's
    perspective leaves a part of a page that is aligned as a whole."""
    image = samples.blank_form(layout)
    x, y, w, h = box(layout, name)
    if tick:
        ImageDraw.Draw(image).line(
            [(x + w * 0.2, y + h * 0.5), (x + w * 0.45, y + h * 0.8), (x + w * 0.85, y + h * 0.15)],
            fill=0,
            width=3,
        )
    page = np.array(image)
    around = page[y - 30 : y + h + 30, x - 30 : x + w + 30].copy()
    page[y - 30 : y + h + 30, x - 30 : x + w + 30] = 255
    page[y - 30 + down : y + h + 30 + down, x - 30 : x + w + 30] = around
    return page


def test_an_empty_box_off_its_place_is_read_where_its_border_is(jidou_extractor):
    field = jidou_extractor.extract(page_with_box_moved("jidou", "public", 15)).fields["public"]
    # Its border inside the zone looked like a mark; where the border matches, the box is empty.
    assert field.value is False and field.reasons == ["shifted_crop"]


def test_a_ticked_box_off_its_place_stays_checked(jidou_extractor):
    page = page_with_box_moved("jidou", "public", 15, tick=True)
    assert jidou_extractor.extract(page).fields["public"].value is True
    in_place = page_with_box_moved("jidou", "public", 0, tick=True)
    field = jidou_extractor.extract(in_place).fields["public"]
    assert field.value is True and not field.flagged


def test_the_new_reasons_reach_the_json_output_and_the_review_screen(tmp_path):
    import io
    import json

    from django.core.management import call_command
    from PIL import Image

    from jichitai.ocr.models import ScanPage

    template = samples.write_template(tmp_path, "genkyo")
    page = genkyo_with(kana="オクダッバサ", birth="令和60年4月1日")
    Image.fromarray(page).save(tmp_path / "scan.png")
    out = io.StringIO()
    call_command(
        "ocr",
        "extract",
        "--template",
        str(template),
        str(tmp_path / "scan.png"),
        "--json",
        stdout=out,
    )
    fields = json.loads(out.getvalue())["fields"]
    assert fields["kana"]["flagged"] and "small_kana" in fields["kana"]["reasons"]
    assert fields["birth"]["flagged"] and "date_range" in fields["birth"]["reasons"]
    shown = ScanPage(results=fields)
    assert "小さい「ゃ・ゅ・ょ・っ」" in shown.flag_reasons("kana")[0]
    assert any("遠い過去・未来" in reason for reason in shown.flag_reasons("birth"))
