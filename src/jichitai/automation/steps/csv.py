"""Steps reading and writing CSV files (UTF-8 or Shift_JIS; read also from UTF-16 and with tabs
between the cells, as Excel's 「Unicode テキスト」 saves a list)."""

from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError
from jichitai.automation.registry import OUTPUT, STRING, STRINGS, step
from jichitai.automation.steps.tables import as_number, check_columns, header_and_rows
from jichitai.core.csv_rows import (
    UndecodableText,
    UnreadableCsv,
    csv_rows,
    decode_text,
)


@step(
    "csv.read",
    gettext_noop("CSV の読み取り"),
    properties={
        "path": STRING,
        "columns": STRINGS,
        "numbers": STRINGS,
        "encoding": {"enum": ["auto", "utf-8", "cp932"]},
    },
    required=["path", "columns"],
)
def csv_read(ctx, path, columns, numbers=(), encoding="auto"):
    file = ctx.input_path(path)
    raw = file.read_bytes()
    try:
        if encoding == "auto":
            text = decode_text(raw)[0]
        else:
            text = raw.decode(encoding.replace("utf-8", "utf-8-sig"))
    except (UndecodableText, UnicodeDecodeError):
        raise BusinessError(
            f"ファイル「{file.name}」の文字コードが読み取れません(UTF-8 / Shift_JIS / UTF-16)。"
        ) from None
    try:
        lines = csv_rows(text)
    except UnreadableCsv as error:
        raise BusinessError(f"ファイル「{file.name}」: {error}") from None
    header = [cell.strip() for cell in lines[0]] if lines else []
    check_columns(header, columns, where=f"ファイル「{file.name}」1行目")
    result = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in values):
            continue
        if len(values) < len(header):
            values = values + [""] * (len(header) - len(values))
        record = {column: values[header.index(column)].strip() for column in columns}
        for column in numbers:
            record[column] = as_number(
                record[column], where=f"ファイル「{file.name}」{number}行目 列「{column}」"
            )
        record["_file"] = file.name
        record["_row"] = number
        result.append(record)
    return result


@step(
    "csv.write",
    gettext_noop("CSV の作成"),
    properties={
        "output": STRING,
        "rows": {"type": "array"},
        "columns": STRINGS,
        "encoding": {"enum": ["utf-8-sig", "cp932"]},
    },
    required=["output", "rows"],
    effect=OUTPUT,
    describe=lambda p: f"CSV を作成: {p.get('output')}({len(p.get('rows') or [])} 行)",
)
def csv_write(ctx, output, rows, columns=None, encoding="utf-8-sig"):
    from jichitai.core.exports import export_csv

    header, values = header_and_rows(rows, columns)
    return ctx.write_output(output, export_csv(header, values, encoding=encoding).content)
