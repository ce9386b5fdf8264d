"""Signals that send a field to a person when its read may be wrong although the recogniser is
sure: small kana where Japanese spelling has none, old or confusable kanji in names, a choice with
nothing circled but ink near it, pale writing judged against the scan's grain, and writing that
runs over its box, read again from a shifted crop.

Pages are drawn on the tuning layouts of ``samples``; the benchmark's held-out forms are not used."""

import numpy as np
import pytest
from PIL import ImageDraw, ImageFont

from jichitai.ocr import checks, postprocess, samples

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


def test_a_read_with_a_small_kana_where_none_can_be_goes_to_a_person(genkyo_extractor):
    fields = genkyo_extractor.extract(genkyo_with(kana="オクダッバサ", name="山田太郎")).fields
    assert fields["kana"].value == "オクダッバサ"
    assert "small_kana" in fields["kana"].reasons
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
