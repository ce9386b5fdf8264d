"""Reading the tables staff upload (CSV in UTF-8 or Shift_JIS, Excel workbooks) into a clean
header + rows form, and writing that as a machine-readable UTF-8 CSV.

Excel lists made for printing carry a title above the header, merged cells, blank spacer rows and
notes below the data. Each of those is either repaired in a way that keeps every value (a merged cell's
value repeated on each row it covers) or left out, and every such decision is reported as a finding
with the sheet row, so nothing is mangled silently."""

import codecs
import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jichitai.core.csv_rows import UnreadableCsv, csv_rows

# A note under a table usually starts with one of these (※ 注記, (注), 出典 …).
NOTE_MARKERS = ("※", "注", "(注", "（注", "出典", "資料", "備考:", "備考：", "*")
HEADER_SCAN_ROWS = 20


class UnreadableTable(ValueError):
    """The file cannot be read as a table at all; the message says why, in Japanese."""


@dataclass
class Finding:
    message: str
    row: int | None = None  # the row in the uploaded file (1-based), when there is one
    column: str = ""


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


def decode_text(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM) or Shift_JIS (CP932)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        raise UnreadableTable(
            _("文字コードを判別できません。UTF-8 か Shift_JIS で保存し直してください。")
        ) from None


def read_csv(content: bytes) -> Table:
    text, encoding = decode_text(content)
    try:
        grid = csv_rows(text)
    except UnreadableCsv as error:
        raise UnreadableTable(str(error)) from None
    table = _table_from_grid([[cell.strip() for cell in row] for row in grid], merged={})
    table.encoding = encoding
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
    grid = [[_cell_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    merged = {}
    for cell_range in sheet.merged_cells.ranges:
        top, left = cell_range.min_row - 1, cell_range.min_col - 1
        value = grid[top][left] if top < len(grid) and left < len(grid[top]) else ""
        merged[(top, left)] = (cell_range.max_row - 1, cell_range.max_col - 1, value)
    table = _table_from_grid(grid, merged=merged)
    table.sheet = sheet.title
    table.encoding = "xlsx"
    for other in sheets[1:]:
        if other.max_row > 1 or other.max_column > 1:
            table.findings.append(
                Finding(
                    _(
                        "シート「%(sheet)s」にもデータがありますが、変換したのは最初のシート「%(first)s」だけです。別のリソースとして登録してください。"
                    )
                    % {"sheet": other.title, "first": sheet.title}
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


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell)


def _table_from_grid(grid: list[list[str]], *, merged: dict) -> Table:
    findings: list[Finding] = []
    width = max((len(row) for row in grid), default=0)
    grid = [row + [""] * (width - len(row)) for row in grid]
    if not any(_filled(row) for row in grid):
        raise UnreadableTable(_("表にデータがありません。"))

    header_index = _header_row(grid)
    for index in range(header_index):
        if _filled(grid[index]):
            findings.append(
                Finding(
                    _("%(row)d行目は見出しより上にあるため、表題とみなして除きました: 「%(text)s」")
                    % {"row": index + 1, "text": " ".join(c for c in grid[index] if c)[:80]},
                    row=index + 1,
                )
            )

    # Merged cells: a horizontal merge in the header row groups the headers of the next row under it
    # (「開館時間」 over 「開始」「終了」 becomes 「開館時間_開始」「開館時間_終了」); a merge in the data
    # repeats its value on every row it covers.
    header = list(grid[header_index])
    data_start = header_index + 1
    group_merges = [
        (left, spec)
        for (top, left), spec in merged.items()
        if top == header_index and spec[1] > left and spec[0] == header_index
    ]
    if group_merges and data_start < len(grid):
        sub = grid[data_start]
        for left, (_bottom, right, value) in group_merges:
            for col in range(left, right + 1):
                header[col] = f"{value}_{sub[col]}" if sub[col] else value
        for col in range(width):
            if sub[col] and not any(left <= col <= spec[1] for left, spec in group_merges):
                header[col] = header[col] or sub[col]
        findings.append(
            Finding(
                _(
                    "見出しが2段になっていたため、%(row)d行目と%(next)d行目を「上段_下段」の形でつなぎました。"
                )
                % {"row": header_index + 1, "next": data_start + 1},
                row=header_index + 1,
            )
        )
        data_start += 1
    for (top, left), (bottom, right, value) in sorted(merged.items()):
        if top < data_start:
            continue
        for row_index in range(top, min(bottom, len(grid) - 1) + 1):
            for col in range(left, right + 1):
                grid[row_index][col] = value
        findings.append(
            Finding(
                _("結合セル %(range)s の値「%(value)s」を、結合されていた各セルに入れました。")
                % {
                    "range": f"{get_column_letter(left + 1)}{top + 1}:{get_column_letter(right + 1)}{bottom + 1}",
                    "value": value[:40],
                },
                row=top + 1,
                column=get_column_letter(left + 1),
            )
        )

    columns = [
        col for col in range(width) if header[col] or any(row[col] for row in grid[data_start:])
    ]
    for col in columns:
        if not header[col]:
            header[col] = _("列%(letter)s") % {"letter": get_column_letter(col + 1)}
            findings.append(
                Finding(
                    _(
                        "%(letter)s列に見出しがありません。仮に「%(name)s」としました。見出しを入れてください。"
                    )
                    % {"letter": get_column_letter(col + 1), "name": header[col]},
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
                    _("見出し「%(name)s」が重複しています。列ごとに異なる見出しにしてください。")
                    % {"name": name},
                    row=header_index + 1,
                    column=get_column_letter(col + 1),
                )
            )
        seen.add(name)

    rows, source_rows, notes = [], [], []
    body = grid[data_start:]
    last_data = max(
        (i for i, row in enumerate(body) if _filled(row) and not _is_note(row, columns)), default=-1
    )
    for offset, row in enumerate(body):
        number = data_start + offset + 1
        if not _filled(row):
            if offset < last_data:
                findings.append(
                    Finding(_("%(row)d行目は空行のため除きました。") % {"row": number}, row=number)
                )
            continue
        if offset > last_data or _is_note(row, columns):
            text = " ".join(cell for cell in row if cell)
            notes.append(text)
            findings.append(
                Finding(
                    _("%(row)d行目は注記とみなし、データから除きました: 「%(text)s」")
                    % {"row": number, "text": text[:80]},
                    row=number,
                )
            )
            continue
        rows.append([row[col] for col in columns])
        source_rows.append(number)
    return Table(
        header=[header[col].strip() for col in columns],
        rows=rows,
        source_rows=source_rows,
        findings=findings,
        notes=notes,
    )


def _header_row(grid: list[list[str]]) -> int:
    """The first row that fills at least half as many cells as the fullest of the top rows: titles
    and dates above a list fill one or two cells, the header fills most."""
    top = grid[:HEADER_SCAN_ROWS]
    widest = max(_filled(row) for row in top)
    threshold = max(2, (widest + 1) // 2) if widest > 1 else 1
    return next(index for index, row in enumerate(top) if _filled(row) >= threshold)


def _is_note(row: list[str], columns: list[int]) -> bool:
    """A row with text in one cell only, starting like a note (※, 注, 出典 …)."""
    filled = [row[col] for col in columns if row[col]]
    return len(filled) == 1 and filled[0].startswith(NOTE_MARKERS) and len(columns) > 1
