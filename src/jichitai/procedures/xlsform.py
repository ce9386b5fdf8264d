"""Reading a form from an Excel workbook in the XLSForm layout (``survey`` and ``choices`` sheets),
for the subset documented in ``SUPPORTED_TYPES`` and ``XLSFORM_GUIDE``. Anything outside it is
refused with a message naming the sheet and row.

Reading is bounded (rows, columns, time): a workbook is read while a clerk waits, and a sheet of a
million formatted rows must be refused quickly rather than occupy the server."""

import re
import time

from openpyxl import load_workbook

from jichitai.procedures.definitions import NAME_PATTERN
from jichitai.procedures.fields import FieldSpec

# XLSForm type → our field type. The last rows are this platform's own additions, for the
# Japanese field kinds XLSForm has no word for.
SUPPORTED_TYPES = {
    "text": "text",
    "integer": "number",
    "decimal": "number",
    "date": "date",
    "select_one": "single_choice",
    "select_multiple": "multiple_choice",
    "acknowledge": "consent",
    "file": "file",
    "image": "file",
    "email": "email",
    "phone": "phone",
    "postal_code": "postal_code",
    "name": "name",
    "address": "address",
    "persons": "persons",
}
IGNORED_TYPES = {"note", "start", "end", "today", "deviceid"}
TRUE_VALUES = {"yes", "true", "1", "true()", "はい"}

RELEVANT_EQUALS = re.compile(r"^\$\{(?P<field>[a-z][a-z0-9_]*)\}\s*=\s*'(?P<value>[^']*)'$")
RELEVANT_SELECTED = re.compile(
    r"^selected\(\s*\$\{(?P<field>[a-z][a-z0-9_]*)\}\s*,\s*'(?P<value>[^']*)'\s*\)$"
)
CONSTRAINT_COMPARE = re.compile(r"^\.\s*(?P<op><=|>=)\s*(?P<number>-?\d+)$")
CONSTRAINT_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(?P<number>\d+)$")


# A form has tens of fields and choices; these bounds leave ample room and stop a huge sheet early.
MAX_ROWS = 2000  # per sheet, blank rows included
MAX_COLUMNS = 40  # cells to the right of this are not read
MAX_SECONDS = 10.0


class XLSFormError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _bounded_rows(sheet, name: str, deadline: float):
    """The sheet's rows (first ``MAX_COLUMNS`` cells), refusing the sheet past ``MAX_ROWS`` rows
    or the deadline."""
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    for number, values in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise XLSFormError(
                [
                    f"{name} シートの行が多すぎます(最大 {MAX_ROWS:,} 行)。項目を分けて作成してください。"
                ]
            )
        if time.monotonic() > deadline:
            raise XLSFormError(
                [
                    "Excel ファイルの読み取りに時間がかかりすぎたため中止しました。"
                    "行や列を減らしてから、もう一度お試しください。"
                ]
            )
        yield values


def _rows(sheet, name: str, deadline: float) -> list[tuple[int, dict]]:
    rows = _bounded_rows(sheet, name, deadline)
    first = next(rows, None)
    if first is None:
        return []
    header = [str(cell).strip().lower() if cell is not None else "" for cell in first]
    result = []
    for number, values in enumerate(rows, start=2):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        result.append(
            (
                number,
                {
                    header[i]: ("" if v is None else str(v).strip())
                    for i, v in enumerate(values)
                    if i < len(header) and header[i]
                },
            )
        )
    return result


def _label(row: dict) -> str:
    for key in ("label::japanese (ja)", "label::日本語", "label::ja", "label"):
        if row.get(key):
            return row[key]
    return ""


def _hint(row: dict) -> str:
    for key in ("hint::japanese (ja)", "hint::日本語", "hint::ja", "hint"):
        if row.get(key):
            return row[key]
    return ""


def read_xlsform(upload, *, seconds: float = MAX_SECONDS) -> list[FieldSpec]:
    deadline = time.monotonic() + seconds
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise XLSFormError(["Excel ファイル(.xlsx)として読み取れません。"]) from None
    sheets = {name.lower(): workbook[name] for name in workbook.sheetnames}
    if "survey" not in sheets:
        raise XLSFormError(["survey シートがありません。XLSForm の形式で作成してください。"])
    choices: dict[str, list[dict]] = {}
    problems = []
    if "choices" in sheets:
        for number, row in _rows(sheets["choices"], "choices", deadline):
            list_name = row.get("list_name") or row.get("list name") or ""
            value = row.get("name", "")
            label = _label(row) or value
            if not list_name or not value:
                problems.append(
                    f"choices シート {number}行目: list_name と name を入力してください。"
                )
                continue
            choices.setdefault(list_name, []).append({"value": value, "label": label})

    fields: list[FieldSpec] = []
    for number, row in _rows(sheets["survey"], "survey", deadline):
        where = f"survey シート {number}行目"
        raw_type = row.get("type", "")
        kind, _, list_name = raw_type.partition(" ")
        kind = kind.strip()
        if kind in {"begin", "end"} or kind.startswith(("begin_", "end_")):
            problems.append(f"{where}: グループや繰返し(begin/end)には対応していません。")
            continue
        if kind in IGNORED_TYPES:
            continue
        if kind not in SUPPORTED_TYPES:
            problems.append(
                f"{where}: 種類「{raw_type}」には対応していません。使える種類: {', '.join(SUPPORTED_TYPES)}"
            )
            continue
        name = row.get("name", "")
        if not NAME_PATTERN.match(name):
            problems.append(
                f"{where}: name「{name}」は半角英小文字で始まる英数字と _ にしてください。"
            )
            continue
        spec = {
            "name": name,
            "type": SUPPORTED_TYPES[kind],
            "label": _label(row) or name,
            "help": _hint(row),
            "required": row.get("required", "").lower() in TRUE_VALUES,
        }
        if row.get("appearance", "") == "multiline" and kind == "text":
            spec["type"] = "textarea"
        if kind == "decimal":
            spec["decimal"] = True
        if kind in {"select_one", "select_multiple"}:
            list_name = list_name.strip()
            if list_name not in choices:
                problems.append(
                    f"{where}: 選択肢リスト「{list_name}」が choices シートにありません。"
                )
                continue
            spec["choices"] = choices[list_name]
        relevant = row.get("relevant", "")
        if relevant:
            match = RELEVANT_EQUALS.match(relevant) or RELEVANT_SELECTED.match(relevant)
            if not match:
                problems.append(
                    f"{where}: relevant「{relevant}」は読めません。"
                    "${項目} = '値' または selected(${項目}, '値') の形で書いてください。"
                )
                continue
            spec["show_if"] = {"field": match["field"], "values": [match["value"]]}
        constraint = row.get("constraint", "")
        if constraint and not _apply_constraint(spec, constraint):
            problems.append(
                f"{where}: constraint「{constraint}」は読めません。"
                ". <= 数値、. >= 数値、string-length(.) <= 数値 の形に対応しています。"
            )
            continue
        fields.append(spec)
    if problems:
        raise XLSFormError(problems)
    if not fields:
        raise XLSFormError(["survey シートに項目がありません。"])
    return fields


def _apply_constraint(spec: FieldSpec, constraint: str) -> bool:
    parts = [part.strip() for part in re.split(r"\s+and\s+", constraint)]
    for part in parts:
        if match := CONSTRAINT_COMPARE.match(part):
            key = "maximum" if match["op"] == "<=" else "minimum"
            spec[key] = int(match["number"])
        elif match := CONSTRAINT_LENGTH.match(part):
            spec["max_length"] = int(match["number"])
        else:
            return False
    return True
