"""The table preview shown on resource pages: the first rows of a CSV (or of the CSV made from an
Excel file), read with the same reader as uploads."""

from jichitai.opendata.models import Resource
from jichitai.opendata.tabular import UnreadableTable, read_csv

PREVIEW_ROWS = 20


def table_preview(resource: Resource) -> dict | None:
    shown = resource.derived.first() if resource.format == "XLSX" else resource
    if shown is None or shown.format != "CSV" or not shown.is_upload:
        return None
    with shown.file.open("rb") as handle:
        content = handle.read()
    try:
        table = read_csv(content)
    except UnreadableTable:
        return None
    return {
        "header": table.header,
        "rows": table.rows[:PREVIEW_ROWS],
        "total": len(table.rows),
        "truncated": len(table.rows) > PREVIEW_ROWS,
    }
