"""Reading a bank's or collection agent's receipts file (入金データ) for 消込: CSV in whatever
encoding the bank or Excel saved it (tabs between the cells too), or an XLSX sheet, the header on
the profile's row, each line's 納付番号, amount and day read as banks write them. Nothing here writes: ``services.reconcile`` matches what it returns."""

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jichitai.core import japanese
from jichitai.core.csv_rows import (
    UndecodableText,
    UnreadableCsv,
    csv_rows,
    decode_text,
)
from jichitai.payments.models import ReconciliationProfile


@dataclass(frozen=True)
class ReceiptRow:
    """One line of a receipts file, as read (before matching)."""

    row: int
    number: str
    amount: str
    paid_on: str
    # The 納付番号 went through Excel as a number and lost its digits beyond the 15th.
    number_rounded: bool = False


# A line of a receipts file by column heading: text from a CSV, cell values from a workbook.
Row = Mapping[str, object]
# How far down a file its headings are looked for when they are not on the profile's row: banks
# put a title, the account and the period above them.
HEADING_SEARCH_ROWS = 30


# Lines of a file that hold something, each with its line number in the file: a workbook may
# claim a million rows for one stray value, and its blank lines are never kept.
Lines = list[tuple[int, list[object]]]
# Columns read from a workbook: a receipts file has a few; a note at Excel's last column
# (XFD) would otherwise make every line 16,384 cells long.
MAX_COLUMNS = 200


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _filled(numbered: Iterable[tuple[int, Sequence[object]]]) -> Lines:
    return [(number, list(values)) for number, values in numbered if any(map(_text, values))]


def _lines_of_csv(data: bytes) -> Lines:
    try:
        return _filled(enumerate(csv_rows(decode_text(data)[0]), start=1))
    except (UndecodableText, UnreadableCsv) as error:
        raise ValidationError({"file": str(error)}) from None


def _lines_of_xlsx(data: bytes) -> Lines:
    from openpyxl import load_workbook  # with numpy: only where a workbook is read

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        if sheet is None:
            raise ValidationError({"file": _("Excel ファイルにシートがありません。")})
        # The rows the file holds, not the dimension it claims (A1:XFD1048576 for one value).
        sheet.reset_dimensions()
        return _filled(enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1))
    except ValidationError:
        raise
    except Exception:  # a damaged sheet fails as it is read: ParseError, BadZipFile, KeyError …
        raise ValidationError(
            {
                "file": _(
                    "Excel ファイル(.xlsx)として読み取れません。壊れていないか確認してください。"
                )
            }
        ) from None


def _heading_index(lines: Lines, profile: ReconciliationProfile) -> int:
    """The index in ``lines`` of the headings: the profile's row when it holds the three
    columns, else the first line near the top that does."""
    wanted = {profile.number_column, profile.amount_column, profile.paid_on_column}
    configured = next(
        (index for index, (number, _values) in enumerate(lines) if number == profile.header_row),
        None,
    )
    near_top = [
        index for index, (number, _values) in enumerate(lines) if number <= HEADING_SEARCH_ROWS
    ]
    for index in [*([configured] if configured is not None else []), *near_top]:
        if wanted <= {_text(cell) for cell in lines[index][1]}:
            return index
    if configured is None:
        raise ValidationError(
            {"file": _("%(row)s行目に見出しがありません。") % {"row": profile.header_row}}
        )
    missing = [
        column
        for column in (profile.number_column, profile.amount_column, profile.paid_on_column)
        if column not in {_text(cell) for cell in lines[configured][1]}
    ]
    raise ValidationError(
        {
            "file": _(
                "列「%(columns)s」が見つかりません(見出しは %(row)s 行目として読んでいます)。"
            )
            % {"columns": "」「".join(missing), "row": profile.header_row}
        }
    )


def _rows(lines: Lines, profile: ReconciliationProfile) -> list[tuple[int, Row]]:
    """Each line under the headings, with its line number in the file."""
    heading = _heading_index(lines, profile)
    header = [_text(cell) for cell in lines[heading][1]]
    twice = [
        column
        for column in (profile.number_column, profile.amount_column, profile.paid_on_column)
        if header.count(column) > 1
    ]
    if twice:
        # Which of the two holds the 納付番号, amount or day is not for the platform to guess.
        raise ValidationError(
            {
                "file": _(
                    "列「%(columns)s」が2つあります(%(row)s 行目の見出し)。取り込む列の見出しが1つずつになるようにしてください。"
                )
                % {"columns": "」「".join(twice), "row": lines[heading][0]}
            }
        )
    return [
        (number, dict(zip(header, line, strict=False))) for number, line in lines[heading + 1 :]
    ]


def read_receipts(data: bytes, kind: str, profile: ReconciliationProfile) -> list[ReceiptRow]:
    lines = _lines_of_xlsx(data) if kind == "xlsx" else _lines_of_csv(data)
    rows = _rows(lines, profile)
    return [
        ReceiptRow(
            row=number,
            number=_payment_number_text(values.get(profile.number_column)),
            amount=str(values.get(profile.amount_column) or "").strip(),
            paid_on=str(values.get(profile.paid_on_column) or "").strip(),
            number_rounded=_rounded_by_excel(values.get(profile.number_column)),
        )
        for number, values in rows
    ]


# Digits grouped for reading: 「2420 1226 7346 4833 636」, 「2420-1226-…」.
NUMBER_SEPARATORS = re.compile(r"[\s\-‐－]")
# What Excel writes for a number of more than 15 digits: 「2.42012E+18」.
EXPONENT = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def _payment_number_text(cell: object) -> str:
    return NUMBER_SEPARATORS.sub("", japanese.normalize_width(_text(cell)))


def _rounded_by_excel(cell: object) -> bool:
    """A workbook's float cannot hold 19 digits, and a CSV Excel wrote shows them in E notation."""
    return isinstance(cell, float) or bool(
        EXPONENT.fullmatch(japanese.normalize_width(_text(cell)))
    )


# What surrounds the figure of an amount: separators, yen signs (half- and full-width, and the
# backslash CP932 decodes Shift_JIS's ¥ byte as) and 円.
YEN_MARKS = str.maketrans("", "", ",¥￥\\円 ")


def whole_yen(text: str) -> int | None:
    """An amount as banks and collection agents write it (1,500, ¥1,500, 1500.00, １，５００円);
    None when it is not a whole number of yen."""
    figure = re.fullmatch(r"(\d+)(?:\.0+)?", japanese.normalize_width(text).translate(YEN_MARKS))
    return int(figure[1]) if figure else None


def day_paid(text: str) -> date | None:
    """The receipt's day (和暦 or 西暦; a time after it is ignored), None when it cannot be read:
    the 領収書 and the totals per 年度 go by it, so no other day stands in for it."""
    try:
        return japanese.parse_date(text.replace("T", " ").split(" ")[0])
    except ValueError:
        return None
