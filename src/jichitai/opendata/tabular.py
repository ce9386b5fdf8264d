"""Reading the tables staff upload (CSV in UTF-8 or Shift_JIS, Excel workbooks) into a clean
header + rows form, and writing that as a machine-readable UTF-8 CSV.

Excel lists made for printing carry a title above the header, merged cells, blank spacer rows and
notes below the data. Each of those is either repaired in a way that keeps every value (a merged cell's
value repeated on each row it covers) or left out, and every such decision is reported as a finding
with the sheet row, so nothing is mangled silently."""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jichitai.core.csv_rows import (
    UndecodableText,
    UnreadableCsv,
    csv_rows,
    decode_text,
    delimiter_of,
)
from jichitai.core.kept_texts import kept, told

# A note under a table usually starts with one of these (※ 注記, (注), 出典 …).
NOTE_MARKERS = ("※", "注", "(注", "（注", "出典", "資料", "備考:", "備考：", "*")
HEADER_SCAN_ROWS = 20
# The cells of a table that hold text, by row and then column, both counted from 0: a sheet is
# read by what it holds, however far apart (one value at Excel's last row is one entry, not a
# million empty rows).
Cells = dict[int, dict[int, str]]


class UnreadableTable(ValueError):
    """The file cannot be read as a table at all; the message says why, in Japanese."""


@dataclass
class Finding:
    """What reading did to the table, kept as its Japanese source and values
    (``core.kept_texts``) so that it is told in the language of whoever reads it."""

    text: str
    values: dict[str, object] = field(default_factory=dict)
    row: int | None = None  # the row in the uploaded file (1-based), when there is one
    column: str = ""

    @property
    def message(self) -> str:
        return told(self.kept())

    def kept(self) -> dict:
        return {**kept(self.text, self.values), "row": self.row, "column": self.column}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    # For each data row, its row number in the uploaded file, so reports can point at it.
    source_rows: list[int]
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    sheet: str = ""

    def to_csv(self) -> bytes:
        """RFC 4180 CSV in UTF-8 with a byte order mark: machines read it as UTF-8, and Japanese
        Excel, which takes a CSV without one for Shift_JIS, opens it without mojibake."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig")


def read_table(content: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        return read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return read_csv(content)
    raise UnreadableTable(_("表として読めるのは CSV と Excel (.xlsx) のファイルです。"))


def read_text_table(content: bytes, *, declared: bool) -> Table | None:
    """A text file (.txt) as a table, or None when it is text. A table is what Excel saves with tabs
    between the cells, or any text its uploader declared to be a table (a standard dataset): that
    one is read as CSV, and told why when it is not one."""
    text, encoding = _decoded(content)
    if not declared and delimiter_of(text) != "\t":
        return None
    return _table_from_text(text, encoding)


def read_csv(content: bytes) -> Table:
    return _table_from_text(*_decoded(content))


def _decoded(content: bytes) -> tuple[str, str]:
    try:
        return decode_text(content)
    except UndecodableText as error:
        raise UnreadableTable(str(error)) from None


def _table_from_text(text: str, encoding: str) -> Table:
    delimiter = delimiter_of(text)
    try:
        grid = csv_rows(text, delimiter=delimiter)
    except UnreadableCsv as error:
        raise UnreadableTable(str(error)) from None
    cells = {
        index: filled
        for index, row in enumerate(grid)
        if (filled := {column: cell.strip() for column, cell in enumerate(row) if cell.strip()})
    }
    table = _table_from_cells(cells, merged={})
    table.encoding = encoding
    if delimiter == "\t":
        table.findings.insert(
            0, Finding(gettext_noop("区切り文字がタブのファイル(タブ区切り)として読みました。"))
        )
    return table


def read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableTable(
            _("Excel ファイルとして開けません。.xlsx 形式で保存し直してください。")
        ) from None
    sheets = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if not sheets:
        raise UnreadableTable(_("表示されているシートがありません。"))
    sheet = sheets[0]
    # The cells the file holds, which openpyxl keeps in _cells: iter_rows would make up every cell
    # of the rectangle up to the farthest one, the size of the whole sheet for a cell at its end.
    cells: Cells = {}
    for (row, column), cell in sorted(sheet._cells.items()):
        if text := _cell_text(cell.value):
            cells.setdefault(row - 1, {})[column - 1] = text
    merged = {}
    for cell_range in sheet.merged_cells.ranges:
        top, left = cell_range.min_row - 1, cell_range.min_col - 1
        value = cells.get(top, {}).get(left, "")
        merged[(top, left)] = (cell_range.max_row - 1, cell_range.max_col - 1, value)
    table = _table_from_cells(cells, merged=merged)
    table.sheet = sheet.title
    table.encoding = "xlsx"
    for other in sheets[1:]:
        if other.max_row > 1 or other.max_column > 1:
            table.findings.append(
                Finding(
                    gettext_noop(
                        "シート「%(sheet)s」にもデータがありますが、変換したのは最初のシート「%(first)s」だけです。別のリソースとして登録してください。"
                    ),
                    {"sheet": other.title, "first": sheet.title},
                )
            )
    return table


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def _joined(row: dict[int, str]) -> str:
    return " ".join(row[column] for column in sorted(row))


def _table_from_cells(cells: Cells, *, merged: dict) -> Table:
    findings: list[Finding] = []
    if not cells:
        raise UnreadableTable(_("表にデータがありません。"))

    header_index = _header_row(cells)
    for index in sorted(index for index in cells if index < header_index):
        findings.append(
            Finding(
                gettext_noop(
                    "%(row)d行目は見出しより上にあるため、表題とみなして除きました: 「%(text)s」"
                ),
                {"row": index + 1, "text": _joined(cells[index])[:80]},
                row=index + 1,
            )
        )

    # Merged cells: a horizontal merge in the header row groups the headers of the next row under it
    # (「開館時間」 over 「開始」「終了」 becomes 「開館時間_開始」「開館時間_終了」); a merge in the data
    # repeats its value on every row it covers.
    header = dict(cells[header_index])
    data_start = header_index + 1
    group_merges = [
        (left, spec)
        for (top, left), spec in merged.items()
        if top == header_index and spec[1] > left and spec[0] == header_index
    ]
    if group_merges and data_start <= max(cells):
        sub = cells.get(data_start, {})
        for left, (_bottom, right, value) in group_merges:
            for col in range(left, right + 1):
                header[col] = f"{value}_{sub[col]}" if col in sub else value
        for col, text in sub.items():
            if not header.get(col) and not any(
                left <= col <= spec[1] for left, spec in group_merges
            ):
                header[col] = text
        findings.append(
            Finding(
                gettext_noop(
                    "見出しが2段になっていたため、%(row)d行目と%(next)d行目を「上段_下段」の形でつなぎました。"
                ),
                {"row": header_index + 1, "next": data_start + 1},
                row=header_index + 1,
            )
        )
        data_start += 1
    for (top, left), (bottom, right, value) in sorted(merged.items()):
        if top < data_start:
            continue
        if value:
            for row_index in range(top, bottom + 1):
                cells.setdefault(row_index, {}).update(dict.fromkeys(range(left, right + 1), value))
        findings.append(
            Finding(
                gettext_noop(
                    "結合セル %(range)s の値「%(value)s」を、結合されていた各セルに入れました。"
                ),
                {
                    "range": f"{get_column_letter(left + 1)}{top + 1}:{get_column_letter(right + 1)}{bottom + 1}",
                    "value": value[:40],
                },
                row=top + 1,
                column=get_column_letter(left + 1),
            )
        )

    body = sorted(index for index in cells if index >= data_start)
    columns = sorted(
        {col for col, text in header.items() if text}
        | {col for index in body for col in cells[index]}
    )
    for col in columns:
        if not header.get(col):
            header[col] = _("列%(letter)s") % {"letter": get_column_letter(col + 1)}
            findings.append(
                Finding(
                    gettext_noop(
                        "%(letter)s列に見出しがありません。仮に「%(name)s」としました。見出しを入れてください。"
                    ),
                    {"letter": get_column_letter(col + 1), "name": header[col]},
                    row=header_index + 1,
                    column=get_column_letter(col + 1),
                )
            )
    names = [unicodedata.normalize("NFKC", header[col]).strip() for col in columns]
    seen = set()
    for col, name in zip(columns, names, strict=True):
        if name in seen:
            findings.append(
                Finding(
                    gettext_noop(
                        "見出し「%(name)s」が重複しています。列ごとに異なる見出しにしてください。"
                    ),
                    {"name": name},
                    row=header_index + 1,
                    column=get_column_letter(col + 1),
                )
            )
        seen.add(name)

    rows, source_rows, notes = [], [], []
    last_data = max((index for index in body if not _is_note(cells[index], columns)), default=-1)
    previous = data_start - 1
    for index in body:
        row, number = cells[index], index + 1
        # Blank rows between data rows are reported, one finding for each run of them.
        if previous + 1 < index <= last_data:
            findings.append(_blank_rows(previous + 2, number - 1))
        previous = index
        if index > last_data or _is_note(row, columns):
            text = _joined(row)
            notes.append(text)
            findings.append(
                Finding(
                    gettext_noop("%(row)d行目は注記とみなし、データから除きました: 「%(text)s」"),
                    {"row": number, "text": text[:80]},
                    row=number,
                )
            )
            continue
        rows.append([row.get(col, "") for col in columns])
        source_rows.append(number)
    return Table(
        header=[header[col].strip() for col in columns],
        rows=rows,
        source_rows=source_rows,
        findings=findings,
        notes=notes,
    )


def _blank_rows(first: int, last: int) -> Finding:
    if first == last:
        return Finding(
            gettext_noop("%(row)d行目は空行のため除きました。"), {"row": first}, row=first
        )
    return Finding(
        gettext_noop("%(first)d〜%(last)d行目は空行のため除きました。"),
        {"first": first, "last": last},
        row=first,
    )


def _header_row(cells: Cells) -> int:
    """The first row that fills at least half as many cells as the fullest of the top rows (the
    first that hold anything): titles and dates above a list fill one or two cells, the header
    fills most."""
    top = sorted(cells)[:HEADER_SCAN_ROWS]
    widest = max(len(cells[index]) for index in top)
    threshold = max(2, (widest + 1) // 2) if widest > 1 else 1
    return next(index for index in top if len(cells[index]) >= threshold)


def _is_note(row: dict[int, str], columns: list[int]) -> bool:
    """A row with text in one cell only, starting like a note (※, 注, 出典 …)."""
    (first, *others) = row.values()
    return not others and first.startswith(NOTE_MARKERS) and len(columns) > 1
