"""A フリガナ against the 氏名 beside it: a reading that spells the dictionary's reading of a part of
the name but lacks a 濁点/半濁点 or a small kana of it goes to a person (``dictionary``), and
nothing else about names the dictionary reads otherwise is doubted."""

import pytest

from jichitai.ocr import furigana, reasons
from jichitai.ocr.extract import FieldResult
from jichitai.ocr.template import TemplateField


@pytest.mark.parametrize(
    ("name", "reading", "part"),
    [
        ("萩原慎吾", "ハキワラシンコ", "ハギワラ"),  # 濁点 lost
        ("柴田浩", "シハタヒロシ", "シバタ"),
        ("別府一平", "ヘップイッペイ", "ベップ"),
        ("別府一平", "ベップイツペイ", "イッペイ"),  # a small ッ read large
        ("萩原慎吾", "はきわらしんご", "ハギワラ"),  # in hiragana just the same
    ],
)
def test_a_reading_that_differs_only_in_dakuten_names_the_part(name, reading, part):
    assert furigana.marks_differ(name, reading) == part


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("萩原慎吾", "ハギワラシンゴ"),  # as the dictionary reads it
        ("竹内千尋", "タケウチチヒロ"),  # 千尋 read otherwise by the dictionary: no doubt raised
        ("山田太郎", "ヤマダ"),  # a part missing is the glyph count's business
        ("山田博文", "ヤマダヒロブミ"),  # 連濁 the dictionary does not give: names differ in it
    ],
)
def test_a_reading_the_dictionary_agrees_with_or_reads_otherwise_is_left_alone(name, reading):
    assert furigana.marks_differ(name, reading) == ""


def _field(name, kind):
    return TemplateField(name=name, label=name, type=kind, box=(0, 0, 10, 10))


def test_the_kana_field_of_a_page_is_flagged_but_the_address_is_not_taken_for_a_name():
    fields = [_field("name", "text"), _field("kana", "kana"), _field("address", "text")]
    results = {
        "name": FieldResult("柴田浩", "柴田浩", 0.99, True),
        "kana": FieldResult("シハタヒロシ", "シハタヒロシ", 0.99, True),
        "address": FieldResult("津市広明町13番地", "津市広明町13番地", 0.99, True),
    }
    furigana.cross_check(fields, results, reasons.DICTIONARY)
    assert results["kana"].reasons == [reasons.DICTIONARY]
    assert "シバタ" in results["kana"].notes[0]
    assert not results["name"].reasons and not results["address"].reasons


def test_a_small_kana_where_the_name_reads_a_large_one_goes_to_a_person():
    # ヒヨシ beside 日吉 read as ヒョシ at a score of 0.998: a valid spelling, never a reading of 日吉.
    assert furigana.marks_differ("日吉士郎", "ヒョシシロウ") == "ヒヨシ"
    assert furigana.marks_differ("日吉士郎", "ヒヨシシロウ") == ""
