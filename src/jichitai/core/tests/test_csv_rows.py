"""Rows of a CSV from outside, read the one way: a quote never closed is an error naming its line,
in Japanese, not one cell that swallows every line after it."""

import codecs

import pytest

from jichitai.core.csv_rows import UndecodableText, UnreadableCsv, csv_rows, decode_text


def test_quoted_cells_with_commas_and_line_breaks_are_one_cell():
    assert csv_rows('名称,備考\r\n県庁,"1階, 2階\r\n受付"\r\n') == [
        ["名称", "備考"],
        ["県庁", "1階, 2階\r\n受付"],
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('名称,住所\n"県庁,津市\n市役所,津市\n', 2, '引用符(")が閉じられないまま'),
        ('名称,住所\n"県庁"1階,津市\n', 2, "区切りのカンマがありません"),
    ],
)
def test_a_broken_quote_names_its_line_and_the_reason(text, line, reason):
    with pytest.raises(UnreadableCsv) as unreadable:
        csv_rows(text)

    assert unreadable.value.line == line and reason in str(unreadable.value)
    assert f"{line}行目から CSV として読めません" in str(unreadable.value)


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("名称,住所\r\n".encode("utf-8-sig"), "utf-8-sig"),
        ("名称,住所\r\n".encode(), "utf-8"),
        ("名称,住所\r\n".encode("cp932"), "cp932"),
        # Excel's 「Unicode テキスト」: UTF-16 little-endian with a byte order mark.
        ("名称\t住所\r\n".encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + "名称\t住所\r\n".encode("utf-16-be"), "utf-16"),
    ],
)
def test_text_from_outside_is_decoded_from_each_encoding_japanese_offices_save_in(
    content, encoding
):
    text, found = decode_text(content)

    assert text.startswith("名称") and found == encoding


@pytest.mark.parametrize(
    "content",
    [
        codecs.BOM_UTF16_LE + "名称".encode("utf-16-le")[:-1],  # cut in the middle of a character
        codecs.BOM_UTF8 + "名称".encode("cp932"),  # a UTF-8 mark over Shift_JIS bytes
        b"\xff\xfe\x00\x00\x80\x81",
    ],
    ids=["utf-16 cut short", "utf-8 mark over shift_jis", "undecodable"],
)
def test_text_in_no_encoding_it_claims_or_is_known_is_refused(content):
    with pytest.raises(UndecodableText):
        decode_text(content)
