"""Reading a bank's or collection agent's receipts file (入金データ) for 消込: CSV in the profile's
encoding or an XLSX sheet, the header on the profile's row, each line's 納付番号, amount and day
read as banks write them. Nothing here writes: ``services.reconcile`` matches what it returns."""

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jichitai.core import japanese
from jichitai.core.csv_rows import UnreadableCsv, csv_rows
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


def _lines_of_csv(data: bytes, profile: ReconciliationProfile) -> list[list[object]]:
    try:
        return list(csv_rows(data.decode(profile.encoding)))
    except UnreadableCsv as error:
        raise ValidationError({"file": str(error)}) from None


def _lines_of_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook  # with numpy: only where a workbook is read

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    if sheet is None:
        raise ValidationError({"file": _("Excel ファイルにシートがありません。")})
    return [list(values) for values in sheet.iter_rows(values_only=True)]


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def _heading_index(lines: list[list[object]], profile: ReconciliationProfile) -> int:
    """The line of the headings: the profile's row when it holds the three columns, else the
    first line near the top that does."""
    wanted = {profile.number_column, profile.amount_column, profile.paid_on_column}
    configured = profile.header_row - 1
    candidates = [configured, *range(min(len(lines), HEADING_SEARCH_ROWS))]
    for index in candidates:
        if index < len(lines) and wanted <= {_text(cell) for cell in lines[index]}:
            return index
    if configured >= len(lines):
        raise ValidationError(
            {"file": _("%(row)s行目に見出しがありません。") % {"row": profile.header_row}}
        )
    missing = [
        column
        for column in (profile.number_column, profile.amount_column, profile.paid_on_column)
        if column not in {_text(cell) for cell in lines[configured]}
    ]
    raise ValidationError(
        {
            "file": _(
                "列「%(columns)s」が見つかりません(見出しは %(row)s 行目として読んでいます)。"
            )
            % {"columns": "」「".join(missing), "row": profile.header_row}
        }
    )


def _rows(lines: list[list[object]], profile: ReconciliationProfile) -> list[tuple[int, Row]]:
    """Each line under the headings that holds anything, with its line number in the file."""
    heading = _heading_index(lines, profile)
    header = [_text(cell) for cell in lines[heading]]
    return [
        (heading + 2 + offset, dict(zip(header, line, strict=False)))
        for offset, line in enumerate(lines[heading + 1 :])
        if any(_text(cell) for cell in line)
    ]


def read_receipts(data: bytes, kind: str, profile: ReconciliationProfile) -> list[ReceiptRow]:
    try:
        lines = _lines_of_xlsx(data) if kind == "xlsx" else _lines_of_csv(data, profile)
    except UnicodeDecodeError:
        raise ValidationError(
            {
                "file": _(
                    "文字コードが %(encoding)s ではないようです。取込設定を確認してください。"
                )
                % {"encoding": profile.get_encoding_display()}
            }
        ) from None
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
