"""Steps reading, writing and filling Excel workbooks (openpyxl)."""

import io
import re
import zipfile
from decimal import Decimal

from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError
from jichitai.automation.registry import OUTPUT, STRING, STRINGS, step
from jichitai.automation.steps.tables import as_number, check_columns, header_and_rows


def _unreadable(name: str) -> BusinessError:
    return BusinessError(
        f"ファイル「{name}」を Excel ブック(.xlsx)として読めません。"
        "壊れているか、Excel ブックではないファイルです。"
    )


def _load_workbook(path, *, name, data_only=True, read_only=False):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=data_only, read_only=read_only)
    # SyntaxError: the XML of a sheet cut off or damaged (ElementTree's ParseError).
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        SyntaxError,
    ):
        raise _unreadable(name) from None


@step(
    "excel.read",
    gettext_noop("Excel の読み取り"),
    properties={
        "path": STRING,
        "sheet": STRING,
        "columns": STRINGS,
        "numbers": STRINGS,
        "header_row": {"type": "integer", "minimum": 1},
    },
    required=["path", "columns"],
)
def excel_read(ctx, path, columns, sheet=None, numbers=(), header_row=1):
    file = ctx.input_path(path)
    # Read-only, by the rows the file holds: a sheet claiming A1:XFD1048576 for one stray value
    # would otherwise be made of 17 billion empty cells.
    workbook = _load_workbook(file, name=file.name, read_only=True)
    if sheet is not None and sheet not in workbook.sheetnames:
        raise BusinessError(f"ファイル「{file.name}」にシート「{sheet}」がありません。")
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    worksheet.reset_dimensions()
    try:
        lines = list(worksheet.iter_rows(min_row=header_row, values_only=True))
    except (KeyError, OSError, ValueError, SyntaxError):  # a damaged sheet fails as it is read
        raise _unreadable(file.name) from None
    header = [str(value).strip() if value is not None else "" for value in (lines or [()])[0]]
    while header and not header[-1]:
        header.pop()
    rows = (values[: len(header)] for values in lines[1:])
    where = f"ファイル「{file.name}」シート「{worksheet.title}」{header_row}行目"
    check_columns(header, columns, where=where)
    result = []
    for number, values in enumerate(rows, start=header_row + 1):
        if all(value is None or value == "" for value in values):
            continue
        record = {column: values[header.index(column)] for column in columns}
        for column in numbers:
            record[column] = as_number(
                record.get(column),
                where=f"ファイル「{file.name}」{number}行目 列「{column}」",
            )
        record["_file"] = file.name
        record["_row"] = number
        result.append(record)
    return result


@step(
    "excel.write",
    gettext_noop("Excel ブックの作成"),
    properties={
        "output": STRING,
        "sheets": {"type": "object", "additionalProperties": {"type": "array"}},
        "columns": STRINGS,
    },
    required=["output", "sheets"],
    effect=OUTPUT,
    describe=lambda p: (
        f"Excel ブックを作成: {p.get('output')}("
        + "、".join(
            f"{title} {len(rows or [])} 行" for title, rows in (p.get("sheets") or {}).items()
        )
        + ")"
    ),
)
def excel_write(ctx, output, sheets, columns=None):
    from jichitai.core.exports import export_xlsx

    tables = {}
    for title, rows in sheets.items():
        header, values = header_and_rows(rows, columns)
        tables[title] = (header, [[_cell_value(value) for value in row] for row in values])
    return ctx.write_output(output, export_xlsx(tables))


# A number as a CSV writes it: 1200, 1,200, -2.5. A leading zero (0140001, 05012345678) marks a
# code — a postal code, a phone number — and stays text.
NUMBER_TEXT = re.compile(r"-?(0|[1-9]\d{0,2}(,\d{3})+|[1-9]\d*)(\.\d+)?")


def _cell_value(value):
    """Numbers stay numbers in the workbook, also when they were read from a CSV as text."""
    if isinstance(value, str) and NUMBER_TEXT.fullmatch(value.strip()):
        value = Decimal(value.strip().replace(",", ""))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@step(
    "excel.fill_template",
    gettext_noop("Excel 様式への転記"),
    properties={
        "template": STRING,
        "output": STRING,
        "cells": {"type": "object"},
        "ranges": {"type": "object", "additionalProperties": {"type": "array"}},
    },
    required=["template", "output"],
    effect=OUTPUT,
    describe=lambda p: (
        f"様式に転記: {p.get('output')}(名前付きセル {len(p.get('cells') or {})} 個、"
        f"範囲 {len(p.get('ranges') or {})} 個)"
    ),
)
def excel_fill_template(ctx, template, output, cells=None, ranges=None):
    """Writes values into the template's defined names: a cell name gets one value, a range name
    gets rows (lists or dicts in column order) starting at its top-left cell."""
    from openpyxl.utils.cell import range_boundaries

    file = ctx.input_path(template)
    workbook = _load_workbook(file, name=file.name, data_only=False)

    def destinations(name):
        if name not in workbook.defined_names:
            raise BusinessError(f"様式「{file.name}」に名前「{name}」が定義されていません。")
        return list(workbook.defined_names[name].destinations)

    for name, value in (cells or {}).items():
        for sheet, reference in destinations(name):
            workbook[sheet][reference.replace("$", "").split(":")[0]] = value
    for name, rows in (ranges or {}).items():
        for sheet, reference in destinations(name):
            min_col, min_row, _max_col, max_row = range_boundaries(reference.replace("$", ""))
            if max_row is not None and len(rows) > max_row - min_row + 1:
                raise BusinessError(
                    f"様式「{file.name}」の範囲「{name}」は {max_row - min_row + 1} 行ですが、"
                    f"{len(rows)} 行を転記しようとしました。"
                )
            for offset, row in enumerate(rows):
                values = (
                    [value for key, value in row.items() if not str(key).startswith("_")]
                    if isinstance(row, dict)
                    else list(row)
                )
                for column_offset, value in enumerate(values):
                    workbook[sheet].cell(min_row + offset, min_col + column_offset, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ctx.write_output(output, buffer.getvalue())
