"""Post-processing per field type: what the engine read becomes the stored value."""

import pytest

from jichitai.ocr.postprocess import normalise


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("text", "岛田惠", ("島田恵", True)),
        ("text", "川ロツバサ", ("川口ツバサ", True)),
        ("text", "ロイヤル山田", ("ロイヤル山田", True)),
        ("text", "边见 花子 ", ("辺見 花子", True)),
        ("text", "伊勢市岩渊一丁目3—12", ("伊勢市岩渕一丁目3-12", True)),
        ("text", "鈴鹿市神戸—丁目", ("鈴鹿市神戸一丁目", True)),
        ("text", "ＡＢＣ１２３", ("ABC123", True)),
        ("kana", "やまだ たろう", ("ヤマダ タロウ", True)),
        ("kana", "ｻﾄｳ", ("サトウ", True)),
        ("kana", "山田", ("山田", False)),
        ("digits", "１２O4", ("1204", True)),
        ("amount", "1,234,000円", (1234000, True)),
        ("amount", "¥5000", (5000, True)),
        ("amount", "12,34", (1234, False)),
        ("date", "令和6年4月1日", ("2024-04-01", True)),
        ("date", "R6.4.1", ("2024-04-01", True)),
        ("date", "令和元年5月1日", ("2019-05-01", True)),
        ("date", "平成31年4月30日", ("2019-04-30", True)),
        ("date", "S60.4.1", ("1985-04-01", True)),
        ("date", "令和六年四月一日", ("2024-04-01", True)),
        ("date", "今和2年12月5日", ("2020-12-05", True)),
        ("kana", "サ卜ウ", ("サトウ", True)),
        ("date", "2024年13月1日", ("2024年13月1日", False)),
        ("postal", "〒5140001", ("514-0001", True)),
        ("postal", "514-O0O1", ("514-0001", True)),
        ("postal", "51400", ("51400", False)),
        ("phone", "059-224-2035", ("059-224-2035", True)),
        ("phone", "0592242035", ("059-224-2035", True)),
        ("phone", "O9O-1234-5678", ("090-1234-5678", True)),
        ("phone", "12", ("12", False)),
        ("text", "", (None, True)),
        ("amount", "", (None, True)),
    ],
)
def test_values_are_normalised_per_type(kind, raw, expected):
    assert normalise(kind, raw) == expected


def test_allowed_characters_restrict_what_is_kept():
    assert normalise("text", "A-12号", "0123456789") == ("12", True)
    assert normalise("digits", "12a3", "") == ("123", True)


def test_variant_glyphs_that_are_japanese_kanji_are_left_alone():
    # 叶 and 芸 are Chinese simplified forms but also everyday Japanese kanji.
    assert normalise("text", "叶芸") == ("叶芸", True)
