import csv
import io
from datetime import date

from openpyxl import load_workbook

from jichitai.core.exports import export_csv, export_xlsx, neutralise_formula

HEADER = ["氏名", "住所", "人数", "申込日"]
ROWS = [
    ["髙橋 ①子", "三重県津市", 2, date(2024, 4, 1)],
    ['=HYPERLINK("http://evil")', "+1", -3, None],
]


def test_utf8_csv_carries_a_bom_and_neutralised_formulas():
    export = export_csv(HEADER, ROWS)
    assert export.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert rows[1] == ["髙橋 ①子", "三重県津市", "2", "2024-04-01"]
    assert rows[2][0] == '\'=HYPERLINK("http://evil")'
    assert rows[2][1] == "'+1"
    assert rows[2][2] == "-3"  # numbers stay numbers
    assert export.unencodable == []


def test_cp932_csv_opens_as_cp932_and_reports_what_it_could_not_hold():
    export = export_csv(HEADER, [["𠮷野 花子", "葛飾区", 1, None], *ROWS], encoding="cp932")
    rows = list(csv.reader(io.StringIO(export.content.decode("cp932"))))
    assert rows[2][0] == "髙橋 ①子"  # CP932 holds 髙 and ①, which plain shift_jis does not
    assert rows[1][0] == "〓野 花子"
    assert [(p.row, p.column, p.character) for p in export.unencodable] == [(2, "氏名", "𠮷")]
    assert export.content_type == "text/csv; charset=Shift_JIS"


def test_cp932_csv_writes_the_windows_form_of_characters_macs_and_the_web_type():
    """A Mac's ¥ key and its 全角ダッシュ, and text pasted from web pages, hold characters that
    CP932 has under another code point (¥ as ￥, — as ―) or a look-alike of (a non-breaking
    space, en dashes in 1–2–3): they are written as Windows writes them, not lost as 〓."""
    typed = ["参加費 ¥1,000", "津市西丸之内1–2–3\u00a0号", "受付—9時‾", "A·B•C ¦ 1\u20112"]

    export = export_csv(["メモ"], [[text] for text in typed], encoding="cp932")

    rows = list(csv.reader(io.StringIO(export.content.decode("cp932"))))
    assert [row[0] for row in rows[1:]] == [
        "参加費 ￥1,000",
        "津市西丸之内1-2-3 号",
        "受付―9時￣",
        "A・B・C ￤ 1-2",
    ]
    assert export.unencodable == []


def test_xlsx_has_one_column_per_field_and_no_live_formulas():
    content = export_xlsx({"申請一覧": (HEADER, ROWS)})
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["A3"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A3"].data_type == "s"
    assert sheet["C2"].value == 2


def test_xlsx_sheet_titles_are_made_what_excel_accepts():
    long_title = "住民基本台帳に基づく人口・世帯数(町丁目別・年齢別)の集計表"
    content = export_xlsx(
        {
            "申請/届出: 一覧[R6]?*\\": (HEADER, []),
            "申請\\届出: 一覧[R6]?*/": (HEADER, []),
            long_title: (HEADER, []),
            "'History'": (HEADER, []),
            "": (HEADER, []),
        }
    )
    titles = load_workbook(io.BytesIO(content)).sheetnames
    assert titles == [
        "申請_届出_ 一覧_R6____",
        "申請_届出_ 一覧_R6____ (2)",
        long_title[:31],
        "History_",
        "シート",
    ]
    assert all(len(title) <= 31 for title in titles)


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise_formula("津市") == "津市"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula(5) == 5
