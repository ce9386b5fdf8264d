"""Rows of a CSV from outside, read the one way: a quote never closed is an error naming its line,
in Japanese, not one cell that swallows every line after it."""

import pytest

from jichitai.core.csv_rows import UnreadableCsv, csv_rows


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
