"""Forms authored in Excel (XLSForm layout) for the documented subset; anything else is refused
with the row that caused it."""

import io

import pytest
from openpyxl import Workbook

from jichitai.procedures.xlsform import MAX_COLUMNS, MAX_ROWS, XLSFormError, read_xlsform


def workbook(survey_rows, choice_rows=()):
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        ["type", "name", "label", "hint", "required", "relevant", "constraint", "appearance"]
    )
    for row in survey_rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for row in choice_rows:
        choices.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_supported_subset_becomes_a_form():
    fields = read_xlsform(
        workbook(
            [
                ["name", "applicant", "氏名", None, "yes"],
                ["select_one attend", "attend", "参加", None, "yes"],
                [
                    "text",
                    "reason",
                    "欠席の理由",
                    "任意",
                    "no",
                    "${attend} = 'no'",
                    "string-length(.) <= 100",
                    "multiline",
                ],
                ["integer", "count", "人数", None, "yes", None, ". >= 1 and . <= 5"],
                ["note", "info", "お知らせ"],
                ["acknowledge", "agree", "同意します", None, "yes"],
            ],
            [["attend", "yes", "出席"], ["attend", "no", "欠席"]],
        )
    )
    assert [f["name"] for f in fields] == ["applicant", "attend", "reason", "count", "agree"]
    reason = fields[2]
    assert reason["type"] == "textarea" and reason["max_length"] == 100
    assert reason["show_if"] == {"field": "attend", "values": ["no"]}
    assert fields[3]["minimum"] == 1 and fields[3]["maximum"] == 5
    assert fields[1]["choices"] == [
        {"value": "yes", "label": "出席"},
        {"value": "no", "label": "欠席"},
    ]


def test_unsupported_rows_are_named():
    with pytest.raises(XLSFormError) as error:
        read_xlsform(
            workbook(
                [
                    ["text", "a", "A"],
                    ["begin group", "g", "グループ"],
                    ["calculate", "c", "計算"],
                    ["select_one missing", "s", "選択"],
                    ["text", "b", "B", None, "no", "${a} != 'x'"],
                    ["integer", "n", "N", None, "no", None, "regex(., '^[0-9]+$')"],
                ]
            )
        )
    problems = error.value.problems
    assert problems[0].startswith("survey シート 3行目: グループや繰返し")
    assert problems[1].startswith("survey シート 4行目: 種類「calculate」には対応していません")
    assert "5行目: 選択肢リスト「missing」" in problems[2]
    assert "6行目: relevant" in problems[3]
    assert "7行目: constraint" in problems[4]


def test_a_workbook_without_survey_sheet_is_refused():
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(XLSFormError, match="survey シートがありません"):
        read_xlsform(buffer)


def test_a_sheet_with_more_rows_than_any_form_needs_is_refused_without_reading_it_all():
    rows = [["text", f"field_{number}", f"項目{number}"] for number in range(MAX_ROWS + 10)]
    with pytest.raises(XLSFormError) as error:
        read_xlsform(workbook(rows))
    assert error.value.problems == [
        f"survey シートの行が多すぎます(最大 {MAX_ROWS:,} 行)。項目を分けて作成してください。"
    ]


def test_cells_beyond_the_last_column_any_form_uses_are_not_read():
    wide = [["text", "a", "A", *([None] * 5), *(["x"] * (MAX_COLUMNS + 50))]]
    [field] = read_xlsform(workbook(wide))
    assert field["name"] == "a"


def test_reading_stops_when_it_takes_too_long():
    rows = [["text", f"field_{number}", f"項目{number}"] for number in range(200)]
    with pytest.raises(XLSFormError) as error:
        read_xlsform(workbook(rows), seconds=0)
    assert error.value.problems == [
        "Excel ファイルの読み取りに時間がかかりすぎたため中止しました。"
        "行や列を減らしてから、もう一度お試しください。"
    ]
