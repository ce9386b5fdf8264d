"""Tabular exports for the people who open them in Excel: CSV in UTF-8 with BOM or in Shift_JIS
(CP932), and XLSX. Cells that a spreadsheet would run as a formula are neutralised; a character
CP932 holds in another form (a Mac's ¥, a pasted non-breaking space) is written in that form, and
one it cannot hold at all is reported, never silently dropped."""

import csv
import functools
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation

from jichitai.core.files import content_disposition

P = ParamSpec("P")
R = TypeVar("R")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[/\\?*\[\]:]")
SHEET_TITLE_LENGTH = 31
# 〓 (geta) is the customary stand-in for a character a Japanese legacy encoding cannot hold.
CP932_REPLACEMENT = "〓"
# What Macs, phones and web pages type that CP932 holds only in another form: the characters JIS
# and Windows map to different code points (¥ ￥, — ―, ‾ ￣, ¦ ￤), and look-alikes pasted from
# web pages (a non-breaking space, the dashes of 1–2–3, middle dots and bullets).
CP932_FORMS = str.maketrans(
    {
        "\u00a5": "\uffe5",
        "\u2014": "\u2015",
        "\u203e": "\uffe3",
        "\u00a6": "\uffe4",
        "\u00a0": " ",
        "\u2011": "-",
        "\u2013": "-",
        "\u00b7": "\u30fb",
        "\u2022": "\u30fb",
    }
)


def in_the_platforms_language(function: Callable[P, R]) -> Callable[P, R]:
    """For what builds an export: a record for the office's spreadsheets, or open data, is the
    same file whichever language its reader's pages are in (its headings, 氏名(姓), and values,
    オンライン, 受付, はい). The table must hold text, not lazy translations made later."""

    @functools.wraps(function)
    def written_in_the_platforms_language(*args: P.args, **kwargs: P.kwargs) -> R:
        # A context of its own per call: one shared override keeps the language it replaced on
        # itself, which nested or concurrent calls would overwrite.
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return written_in_the_platforms_language


def neutralise_formula(value: object) -> object:
    """A text cell starting with = + - @ (or tab/CR) gets a leading apostrophe, so Excel and
    LibreOffice show it as text instead of running it (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(_cell_text(item) for item in value)
    return str(neutralise_formula(value)) if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Unencodable:
    row: int  # 1 = header
    column: str
    character: str


@dataclass
class CsvExport:
    content: bytes
    encoding: str
    unencodable: list[Unencodable] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        charset = "Shift_JIS" if self.encoding == "cp932" else "utf-8"
        return f"text/csv; charset={charset}"


def export_csv(
    header: Sequence[str], rows: Iterable[Sequence], *, encoding: str = "utf-8-sig"
) -> CsvExport:
    """``encoding`` is ``utf-8-sig`` (UTF-8 with BOM, what Excel needs to detect UTF-8) or
    ``cp932`` (Shift_JIS as Windows writes it)."""
    if encoding not in {"utf-8-sig", "cp932"}:
        raise ValueError(f"unsupported CSV encoding {encoding!r}")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    problems: list[Unencodable] = []
    for row_number, row in enumerate([header, *rows], start=1):
        cells = [_cell_text(value) for value in row]
        if encoding == "cp932":
            cells = [
                _to_cp932(text, row_number, header[index] if index < len(header) else "", problems)
                for index, text in enumerate(cells)
            ]
        writer.writerow(cells)
    return CsvExport(buffer.getvalue().encode(encoding), encoding, problems)


def _to_cp932(text: str, row: int, column: str, problems: list[Unencodable]) -> str:
    text = text.translate(CP932_FORMS)
    try:
        text.encode("cp932")
        return text
    except UnicodeEncodeError:
        pass
    kept = []
    for character in text:
        try:
            character.encode("cp932")
            kept.append(character)
        except UnicodeEncodeError:
            problems.append(Unencodable(row, column, character))
            kept.append(CP932_REPLACEMENT)
    return "".join(kept)


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """``title`` as Excel accepts it for a worksheet: none of ``/ \\ ? * [ ] :`` (each becomes
    ``_``), no apostrophe at either end, at most 31 characters, not the reserved 「History」, and
    different (ignoring case) from the titles already ``taken``, by a number " (2)" … if needed."""
    title = SHEET_TITLE_FORBIDDEN.sub("_", title).strip().strip("'")
    title = title[:SHEET_TITLE_LENGTH].strip() or "シート"
    if title.lower() == "history":
        title += "_"
    used = {name.lower() for name in taken}
    candidate, number = title, 1
    while candidate.lower() in used:
        number += 1
        suffix = f" ({number})"
        candidate = title[: SHEET_TITLE_LENGTH - len(suffix)].strip() + suffix
    return candidate


def export_xlsx(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One worksheet per entry ``{title: (header, rows)}``; bold header, frozen first row. Titles
    are made what Excel accepts (``sheet_title``)."""
    # Imported here: openpyxl brings numpy, which no other request of a web process needs.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=sheet_title(title, workbook.sheetnames))
        sheet.append([neutralise_formula(str(name)) for name in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [max(8, len(str(name)) * 2) for name in header]
        for row in rows:
            values = [_xlsx_value(value) for value in row]
            sheet.append(values)
            for index, value in enumerate(values[: len(widths)]):
                widths[index] = min(60, max(widths[index], len(str(value or "")) + 2))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _xlsx_value(value: object) -> object:
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None)
    if isinstance(value, bool | int | float | date) or value is None:
        return value
    if isinstance(value, list | tuple):
        return neutralise_formula("、".join(str(item) for item in value))
    return neutralise_formula(str(value))


def csv_response(export: CsvExport, filename: str) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    response["Content-Disposition"] = content_disposition(filename)
    return response
