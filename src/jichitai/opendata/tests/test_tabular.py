"""Reading what staff upload: Excel lists made for printing and CSV in Shift_JIS or UTF-8 become a
clean header and rows, and every repair is reported with its row."""

import io
import re

import pytest
from openpyxl import Workbook

from jichitai.core.tests.samples import FIRST_SHEET, with_part_rewritten
from jichitai.opendata.tabular import UnreadableTable, read_csv, read_table, read_xlsx
from jichitai.opendata.tests.helpers import AED_HEADER, aed_row, csv_bytes, workbook_bytes

LAST_ROW = 1_048_576  # Excel's last row


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "髙島屋前 ①"), ("utf-8-sig", "髙島屋前 ①"), ("cp932", "高島屋前")],
)
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_shift_jis(encoding, name):
    table = read_csv(csv_bytes([aed_row(1, 名称=name)], encoding=encoding))

    assert table.header == AED_HEADER
    assert table.rows[0][4] == name
    assert table.encoding == encoding


def test_the_clean_csv_is_utf8_with_a_bom_so_japanese_excel_opens_it_and_keeps_every_value():
    table = read_csv(csv_bytes([aed_row(1), aed_row(2)], encoding="cp932"))

    content = table.to_csv()

    # Japanese Excel reads a CSV without a BOM as Shift_JIS: a double-click would show mojibake.
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(AED_HEADER)
    assert read_csv(content).rows == table.rows


def test_title_rows_above_the_header_are_left_out_and_reported():
    table = read_xlsx(workbook_bytes([aed_row(1)], title="津市 AED設置箇所一覧(令和8年4月1日現在)"))

    assert table.header == AED_HEADER
    assert table.source_rows == [3]
    assert "1行目" in table.findings[0].message
    assert "表題" in table.findings[0].message


def test_a_merged_cell_value_is_repeated_on_each_row_it_covers_and_reported():
    rows = [aed_row(1), aed_row(2, 市区町村名=None), aed_row(3, 市区町村名=None)]

    table = read_xlsx(workbook_bytes(rows, merges=["D2:D4"]))

    assert [row[3] for row in table.rows] == ["津市", "津市", "津市"]
    assert any("結合セル D2:D4" in f.message for f in table.findings)


def test_notes_below_the_table_are_kept_apart_from_the_data():
    table = read_xlsx(
        workbook_bytes([aed_row(1)], notes=["※ 開館時間内のみ利用できます。", "出典: 津市"])
    )

    assert len(table.rows) == 1
    assert table.notes == ["※ 開館時間内のみ利用できます。", "出典: 津市"]
    assert any("注記" in f.message and f.row == 4 for f in table.findings)


def test_a_two_row_header_under_a_merged_group_is_joined():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "利用時間", None, "電話番号"])
    sheet.append([None, "開始", "終了", None])
    sheet.append(["津市役所", "08:30", "17:15", "059-229-3100"])
    sheet.merge_cells("B1:C1")
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_xlsx(buffer.getvalue())

    assert table.header == ["名称", "利用時間_開始", "利用時間_終了", "電話番号"]
    assert table.rows == [["津市役所", "08:30", "17:15", "059-229-3100"]]
    assert any("2段" in f.message for f in table.findings)


def test_dates_and_times_from_excel_cells_are_written_in_iso_form():
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "開催日", "開始時間", "人数"])
    sheet.append(["講座", datetime.datetime(2026, 4, 1), datetime.time(9, 30), 12.0])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_xlsx(buffer.getvalue())

    assert table.rows == [["講座", "2026-04-01", "09:30", "12"]]


def test_a_column_without_a_header_is_named_and_pointed_out():
    table = read_csv("名称,,電話番号\r\n津市役所,本庁舎,059-229-3100\r\n".encode())

    assert table.header == ["名称", "列B", "電話番号"]
    assert any("B列に見出しがありません" in f.message for f in table.findings)


def test_a_tab_separated_file_is_read_as_such_and_reported():
    # Excel's 「テキスト (タブ区切り)」 saved, then given a .csv name.
    rows = [AED_HEADER, aed_row(1, 住所="三重県津市広明町13, 本庁舎")]
    tab_separated = "".join("\t".join(str(cell) for cell in row) + "\r\n" for row in rows)

    table = read_csv(tab_separated.encode("cp932"))

    assert table.header == AED_HEADER
    assert table.rows[0][AED_HEADER.index("住所")] == "三重県津市広明町13, 本庁舎"
    assert any("タブ区切り" in f.message for f in table.findings)


def test_a_unicode_text_file_from_excel_is_read():
    # 「Unicode テキスト」: UTF-16 with a byte order mark, tab-separated.
    rows = [AED_HEADER, aed_row(1, 名称="髙島屋前 ①")]
    text = "".join("\t".join(str(cell) for cell in row) + "\r\n" for row in rows)

    table = read_table(text.encode("utf-16"), "aed.txt")

    assert table.header == AED_HEADER and table.rows[0][4] == "髙島屋前 ①"
    assert table.encoding == "utf-16"


def test_blank_rows_inside_the_data_are_dropped_and_reported():
    table = read_csv(csv_bytes([aed_row(1), [""] * len(AED_HEADER), aed_row(2)]))

    assert len(table.rows) == 2
    assert table.source_rows == [2, 4]
    assert any("3行目は空行" in f.message for f in table.findings)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really a workbook", "list.xlsx", "Excel ファイルとして開けません"),
        (b"\xff\xfe\x00\x00\x81", "list.csv", "文字コードを判別できません"),
        (b"", "list.csv", "データがありません"),
        (b"%PDF-1.7", "list.pdf", "CSV と Excel"),
        # A quote never closed would make one cell of every line after it.
        ('名称,住所\n"県庁,津市\n市役所,津市\n'.encode(), "list.csv", "CSV として読めません"),
    ],
)
def test_files_that_are_not_readable_tables_are_refused_with_the_reason(content, name, message):
    with pytest.raises(UnreadableTable, match=message):
        read_table(content, name)


def _claiming_the_whole_grid(content: bytes, last_cell: str) -> bytes:
    """The workbook with its sheet declaring the dimension A1:XFD1048576 and holding
    ``last_cell`` (its XML) at Excel's last row."""

    def claim(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            b"</sheetData>", f'<row r="{LAST_ROW}">{last_cell}</row></sheetData>'.encode()
        )

    return with_part_rewritten(content, FIRST_SHEET, claim)


def test_a_value_at_excels_last_row_is_read_without_visiting_the_rows_between():
    """One value at row 1,048,576 of a small list is read in a moment: it is a row of the table,
    and the million blank rows before it are one finding, not a million."""
    content = _claiming_the_whole_grid(
        workbook_bytes([aed_row(1)]), f'<c r="A{LAST_ROW}" t="inlineStr"><is><t>242012</t></is></c>'
    )

    table = read_xlsx(content)

    assert table.header == AED_HEADER
    assert table.rows == [aed_row(1), ["242012"] + [""] * (len(AED_HEADER) - 1)]
    assert table.source_rows == [2, LAST_ROW]
    blank = [finding for finding in table.findings if "空行" in finding.message]
    assert [(finding.message, finding.row) for finding in blank] == [
        (f"3〜{LAST_ROW - 1}行目は空行のため除きました。", 3)
    ]


def test_an_empty_cell_at_the_far_corner_changes_nothing():
    """A formatted but empty cell at XFD1048576 (a sheet once scrolled to its end) reads as the
    same table as without it."""
    content = workbook_bytes([aed_row(1), aed_row(2)], notes=["出典: 津市"])

    table = read_xlsx(_claiming_the_whole_grid(content, f'<c r="XFD{LAST_ROW}" s="0"/>'))

    assert table == read_xlsx(content)
