"""The sheets of an uploaded plan workbook as numbered rows by column name, read by the cells they
hold. openpyxl's read-only mode streams each sheet's XML; the size a file declares for a sheet is
not trusted, since one claiming A1:XFD1048576 would be read as 17 billion cells. A workbook, or a
sheet, whose XML cannot be read is ``Unreadable`` as a whole: it has no row to point at."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from jichitai.core.exports import FORMULA_TRIGGERS
from jichitai.pdca.workbook import MISSING_COLUMN

# The header row is among a sheet's first rows (below the note the 指標 and 事業予算 sheets open with).
HEADER_ROWS = 3


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_text(self) -> str:
        where = f"{self.sheet}シート" + (f" {self.row}行目" if self.row else "")
        where += f" 「{self.column}」列" if self.column else ""
        return f"{where}: {self.message}"


class Unreadable(ValueError):
    """The workbook or one of its sheets cannot be read at all; the message, for the file field,
    says which."""


def open_workbook(data: bytes) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise Unreadable(
            _("Excel ファイル(.xlsx)として読み取れません。壊れていないか確認してください。")
        ) from None


def cell_text(value) -> str:
    """A cell as text; a leading apostrophe the export put before = + - @ is taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text


class Sheet:
    """A sheet's rows by column name, below the header row (the row whose first cell is 計画)."""

    def __init__(self, name: str, worksheet, expected: list[str]):
        self.name = name
        self.problems: list[Problem] = []
        self.rows: list[tuple[int, tuple]] = []
        header_at, header = next(
            (
                (number, [cell_text(cell) for cell in values])
                for number, values in _filled_rows(worksheet, last=HEADER_ROWS)
                if cell_text(values[0]) == "計画"
            ),
            (0, []),
        )
        if not header_at:
            self.problems.append(
                Problem(name, 0, "", "見出しの行(「計画」で始まる行)がありません。")
            )
            return
        self.problems += [
            Problem(name, header_at, column, MISSING_COLUMN)
            for column in expected
            if column not in header
        ]
        # Which copy of a column the planner edited is not for the import to guess.
        self.problems += [
            Problem(
                name, header_at, column, "この列が2つあります。1つにしてから取り込んでください。"
            )
            for column in expected
            if header.count(column) > 1
        ]
        self.index = {column: header.index(column) for column in expected if column in header}
        # A cell right of the last column read belongs to nothing the import writes.
        width = max(self.index.values(), default=0) + 1
        self.rows = _filled_rows(worksheet, first=header_at + 1, width=width)

    def raw(self, values: tuple, column: str):
        at = self.index[column]
        return values[at] if at < len(values) else None

    def text(self, values: tuple, column: str) -> str:
        return cell_text(self.raw(values, column))


def _filled_rows(
    worksheet, *, first: int = 1, last: int | None = None, width: int | None = None
) -> list[tuple[int, tuple]]:
    """The rows from ``first`` to ``last`` (the sheet's end) that hold a value, each with its
    number in Excel and its cells up to column ``width`` (else up to its own last cell)."""
    try:
        # Without the declared size, openpyxl pads a row only as far as asked and stops after the
        # last row the XML holds.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)
        return [
            (number, values)
            for number, values in enumerate(rows, start=first)
            # count() first: openpyxl makes up a row of None for each row the XML skips, which
            # before a cell at Excel's last row is a million rows.
            if values.count(None) < len(values) and any(cell_text(value) for value in values)
        ]
    except Exception:  # openpyxl raises many kinds for damaged XML: ParseError, ValueError …
        raise Unreadable(
            _(
                "「%(sheet)s」シートが壊れているため読み取れません。"
                "Excel で開いて保存し直してから、もう一度取り込んでください。"
            )
            % {"sheet": worksheet.title}
        ) from None
