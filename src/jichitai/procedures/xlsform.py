"""Reading a form from an XLSForm workbook (.xlsx or .xls) with pyxform, the XLSForm ecosystem's
own parser, so a workbook means here what it means everywhere else. Everything the form model
supports is kept (top-level groups as pages, groups within them as sections, repeats, relevant,
constraint and its message, required and its message, conditional required, calculate, default,
choice_filter, or_other, note, label::<language>, hint::<language>; ``xlsform_reader``); a row it
cannot honour is refused with its row number and the reason, and what is left out without
changing what a resident answers is reported as a warning the clerk accepts before the fields are
saved.

Reading is bounded (rows, seconds) and runs in the background job ``procedures.xlsform_import``,
never inside a database transaction."""

import io
import time
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop
from openpyxl import load_workbook
from pyxform.errors import PyXFormError, PyXFormReadError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from jichitai.core.kept_texts import KeptText
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.xlsform_errors import problem_text
from jichitai.procedures.xlsform_reader import Reader
from jichitai.procedures.xlsform_types import OWN_TYPES, SUPPORTED_TYPES

__all__ = ["SUPPORTED_TYPES", "ImportedForm", "XLSFormError", "read_xlsform"]

MAX_ROWS = 2000  # per sheet, up to the last non-blank row
BLANK_RUN = 60  # pyxform's own end of a sheet: 60 blank rows in a row
MAX_SECONDS = 10.0
MAX_BYTES = 5 * 1024 * 1024


class XLSFormError(Exception):
    """The workbook is refused: each row's reason, kept to be told in its reader's language."""

    def __init__(self, found: list[KeptText]):
        super().__init__("\n".join(map(str, found)))
        self.found = found

    @property
    def problems(self) -> list[str]:
        """The reasons in the active language."""
        return [str(problem) for problem in self.found]


@dataclass
class ImportedForm:
    fields: list[FieldSpec]
    # What is left out without changing what a resident answers, kept like ``XLSFormError.found``.
    left_out: list[KeptText] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """What is left out, in the active language."""
        return [str(warning) for warning in self.left_out]


UNREADABLE_XLSX = KeptText(gettext_noop("Excel ファイル(.xlsx)として読み取れません。"))
UNREADABLE_WORKBOOK = KeptText(
    gettext_noop("Excel ファイル(.xlsx または .xls)として読み取れません。")
)


def _check_size(data: bytes, suffix: str, deadline: float) -> None:
    """Refuses an .xlsx whose sheets hold more rows than any form needs, before pyxform reads it
    whole; blank rows past the last answerable one end the sheet, as they do for pyxform."""
    if suffix != ".xlsx":
        return
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise XLSFormError([UNREADABLE_XLSX]) from None
    try:
        for sheet in book.worksheets:
            if sheet.title.lower() not in {"survey", "choices", "external_choices", "settings"}:
                continue
            filled = blank = 0
            for values in sheet.iter_rows(values_only=True, max_col=40):
                if time.monotonic() > deadline:
                    raise XLSFormError(
                        [
                            KeptText(
                                gettext_noop(
                                    "Excel ファイルの読み取りに時間がかかりすぎたため中止しました。行や列を減らしてから、もう一度お試しください。"
                                )
                            )
                        ]
                    )
                if all(v is None or str(v).strip() == "" for v in values):
                    blank += 1
                    if blank > BLANK_RUN:
                        break
                    continue
                blank = 0
                filled += 1
                if filled > MAX_ROWS:
                    raise XLSFormError(
                        [
                            KeptText(
                                gettext_noop(
                                    "%(sheet)s シートの行が多すぎます(最大 %(rows)s 行)。項目を分けて作成してください。"
                                ),
                                {"sheet": sheet.title, "rows": f"{MAX_ROWS:,}"},
                            )
                        ]
                    )
    except XLSFormError:
        raise
    except Exception:
        # Sheets are parsed as they are read: a damaged one fails here, not when opened.
        raise XLSFormError([UNREADABLE_XLSX]) from None
    finally:
        book.close()


def _header(row: dict, *names: str) -> str:
    """The row's key for a column, whatever its case (pyxform reads headers case-insensitively)."""
    return next((key for key in row if key.lower() in names), "")


def _inline_external_selects(workbook: DefinitionData) -> None:
    """``select_one_external`` takes its choices from the workbook's external_choices sheet, which
    ODK hands to the phone as a CSV file: here they become the question's own choice list (under a
    name of its own, as the sheet may reuse a name of the choices sheet), with its filter."""
    renamed: dict[str, str] = {}
    external = []
    seen: set[tuple[str, str]] = set()
    duplicates = []
    for number, row in enumerate(workbook.external_choices or [], start=2):
        key = _header(row, "list_name", "list name")
        if not row.get(key):
            continue
        list_name, name = str(row[key]), str(row.get(_header(row, "name"), ""))
        if (list_name, name) in seen:
            # A phone's CSV lookup tolerates it; a choice here is one value with one label.
            duplicates.append(
                KeptText(
                    gettext_noop(
                        "external_choices シート %(row)s行目: 選択肢リスト「%(list)s」の「%(name)s」が重複しています。値は1つずつにしてください。"
                    ),
                    {"row": number, "list": list_name, "name": name},
                )
            )
        seen.add((list_name, name))
        renamed.setdefault(list_name, f"external_{list_name}")
        external.append({**row, key: renamed[list_name]})
    if duplicates:
        raise XLSFormError(duplicates)
    for row in workbook.survey:
        key = _header(row, "type")
        head, _space, list_name = str(row.get(key, "")).strip().partition(" ")
        if head.lower() == "select_one_external" and list_name.strip() in renamed:
            row[key] = f"select_one {renamed[list_name.strip()]}"
    if external:
        workbook.choices = [*(workbook.choices or []), *external]
        headers = [*(workbook.choices_header or []), *(workbook.external_choices_header or [])]
        workbook.choices_header = [{key: None for header in headers for key in header}]


NO_QUESTIONS = KeptText(gettext_noop("survey シートに項目がありません。"))


def _why_no_survey(workbook: DefinitionData) -> KeptText:
    """Why pyxform read no survey rows: no survey sheet, one whose first row is a question rather
    than the headings (pyxform takes its first row for them), or one with headings only."""
    if not any(name.strip().lower() == "survey" for name in workbook.sheet_names or []):
        return KeptText(
            gettext_noop("survey シートがありません。XLSForm の形式で作成してください。")
        )
    headings = {str(key).strip().lower() for row in workbook.survey_header or [] for key in row}
    if headings and "type" not in headings:
        return KeptText(
            gettext_noop(
                "survey シートの1行目に見出し(type、name、label)がありません。見出しの行を1行目に入れてください。"
            )
        )
    return NO_QUESTIONS


def read_xlsform(upload, *, seconds: float = MAX_SECONDS) -> ImportedForm:
    """The form a workbook describes; raises ``XLSFormError`` with every refused row."""
    deadline = time.monotonic() + seconds
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(data) > MAX_BYTES:
        raise XLSFormError(
            [
                KeptText(
                    gettext_noop("ファイルが大きすぎます(最大 %(megabytes)s MB)。"),
                    {"megabytes": MAX_BYTES // 1024 // 1024},
                )
            ]
        )
    suffix = ".xlsx" if data[:2] == b"PK" else ".xls"
    _check_size(data, suffix, deadline)
    try:
        workbook = get_xlsform(xlsform=data)
    except PyXFormReadError:
        raise XLSFormError([UNREADABLE_WORKBOOK]) from None
    except PyXFormError as error:
        raise XLSFormError([problem_text(error)]) from None
    except Exception:
        # xlrd's and openpyxl's own errors on a damaged file (CompDocError, ParseError …).
        raise XLSFormError([UNREADABLE_WORKBOOK]) from None
    if not workbook.survey:
        raise XLSFormError([_why_no_survey(workbook)])
    _inline_external_selects(workbook)
    own_types = {}
    for row in workbook.survey:
        kind = str(row.get("type", "")).strip()
        if kind in OWN_TYPES:
            own_types[str(row.get("name", ""))] = OWN_TYPES[kind]
            row["type"] = "text"
    pyxform_warnings: list[str] = []
    try:
        survey = workbook_to_json(
            workbook_dict=workbook, form_name="data", warnings=pyxform_warnings
        )
    except PyXFormError as error:
        raise XLSFormError([problem_text(error)]) from None
    except Exception:
        # xlrd's and openpyxl's own errors on a damaged file (CompDocError, ParseError …).
        raise XLSFormError([UNREADABLE_WORKBOOK]) from None
    _mark_own_types(survey.get("children", []), own_types)
    reader = Reader(survey, _survey_rows(workbook.survey))
    reader.walk_top(survey.get("children", []))
    reader.check_expressions()
    for original, new in reader.renamed.items():
        reader.warn(
            reader.where(original),
            gettext_noop(
                "%(where)s: 項目名「%(original)s」は「%(new)s」として取り込みます(半角英小文字・数字・_ のみ使えます)。"
            ),
            original=original,
            new=new,
        )
    if reader.problems:
        raise XLSFormError(reader.problems)
    if not any(
        spec["type"] not in {"page", "section", "note", "calculate"} for spec in reader.fields
    ):
        raise XLSFormError([NO_QUESTIONS])
    languages = sorted(reader.languages)
    return ImportedForm(fields=reader.fields, left_out=reader.warnings, languages=languages)


def _survey_rows(survey: list[dict]) -> dict[str, int]:
    """Each name on the survey sheet → its row there, for the messages that name rows."""
    return {
        str(row.get("name")): number
        for number, row in enumerate(survey, start=2)
        if row.get("name")
    }


def _mark_own_types(children: list[dict], own_types: dict[str, str]) -> None:
    """Marks the rows of this platform's own types, which pyxform was given as ``text``."""
    for child in children:
        if child.get("type") == "text" and child.get("name") in own_types:
            child["_jichitai_type"] = own_types[child["name"]]
        _mark_own_types(child.get("children", []), own_types)
