"""Reading a form from an XLSForm workbook (.xlsx or .xls) with pyxform, the XLSForm ecosystem's
own parser, so a workbook means here what it means everywhere else. Everything the form model
supports is kept (top-level groups as pages, groups within them as sections, relevant, constraint and its message, required and its
message, conditional required, calculate, default, choice_filter, or_other, note,
label::<language>, hint::<language>); a row it cannot honour is refused with its row number and
the reason, and what is left out without changing what a resident answers is reported as a
warning the clerk accepts before the fields are saved.

Reading is bounded (rows, seconds) and runs in the background job ``procedures.xlsform_import``,
never inside a database transaction."""

import io
import re
import time
from dataclasses import dataclass, field

from openpyxl import load_workbook
from pyxform.errors import PyXFormError, PyXFormReadError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from jichitai.procedures import expressions
from jichitai.procedures.definitions import NAME_PATTERN
from jichitai.procedures.fields import FieldSpec

# pyxform's question type → our field type.
SUPPORTED_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "number",
    "int": "number",
    "decimal": "number",
    "phone number": "phone",
    "date": "date",
    "select one": "single_choice",
    "select all that apply": "multiple_choice",
    "acknowledge": "consent",
    "file": "file",
    "photo": "file",
    "image": "file",
    "note": "note",
    "calculate": "calculate",
}
# This platform's own types, for the Japanese field kinds XLSForm has no word for; pyxform is
# given them as text and they are restored afterwards.
OWN_TYPES = {
    "email": "email",
    "phone": "phone",
    "postal_code": "postal_code",
    "name": "name",
    "address": "address",
    "persons": "persons",
}
# What a phone collects about itself: nothing a resident answers on the web.
DEVICE_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "uri:deviceid",
    "simserial",
    "subscriberid",
    "phonenumber",
    "username",
    "audit",
    "start-geopoint",
}
REFUSED_TYPES = {
    "repeat": "繰返し(repeat)",
    "loop": "繰返し(loop)",
    "geopoint": "位置情報",
    "gps": "位置情報",
    "geotrace": "位置情報",
    "geoshape": "位置情報",
    "time": "時刻",
    "datetime": "日時",
    "dateTime": "日時",
    "barcode": "バーコード",
    "audio": "録音",
    "video": "動画",
    "osm": "地図(OSM)",
    "trigger": "確認ボタン(trigger)",
    "range": "範囲(range)",
    "rank": "順位付け(rank)",
    "select one external": "外部選択肢(select_one_external)",
    "include": "他のフォームの取込み(include)",
    "entity": "エンティティ",
    "hidden": "非表示値(hidden)",
    "attribute": "属性(attribute)",
}
TRUE_VALUES = {"yes", "true", "true()", "1", "はい"}
FALSE_VALUES = {"", "no", "false", "false()", "0", "いいえ"}
LANGUAGE_CODES = {
    "japanese": "ja",
    "日本語": "ja",
    "やさしい日本語": "ja-easy",
    "english": "en",
    "portuguese": "pt",
    "português": "pt",
    "spanish": "es",
    "español": "es",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "chinese": "zh",
    "中文": "zh",
    "tagalog": "tl",
    "filipino": "tl",
    "french": "fr",
    "swahili": "sw",
}

MAX_ROWS = 2000  # per sheet, up to the last non-blank row
BLANK_RUN = 60  # pyxform's own end of a sheet: 60 blank rows in a row
MAX_SECONDS = 10.0
MAX_BYTES = 5 * 1024 * 1024


class XLSFormError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportedForm:
    fields: list[FieldSpec]
    warnings: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def _check_size(data: bytes, suffix: str, deadline: float) -> None:
    """Refuses an .xlsx whose sheets hold more rows than any form needs, before pyxform reads it
    whole; blank rows past the last answerable one end the sheet, as they do for pyxform."""
    if suffix != ".xlsx":
        return
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise XLSFormError(["Excel ファイル(.xlsx)として読み取れません。"]) from None
    try:
        for sheet in book.worksheets:
            if sheet.title.lower() not in {"survey", "choices", "settings"}:
                continue
            filled = blank = 0
            for values in sheet.iter_rows(values_only=True, max_col=40):
                if time.monotonic() > deadline:
                    raise XLSFormError(
                        [
                            "Excel ファイルの読み取りに時間がかかりすぎたため中止しました。"
                            "行や列を減らしてから、もう一度お試しください。"
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
                            f"{sheet.title} シートの行が多すぎます(最大 {MAX_ROWS:,} 行)。"
                            "項目を分けて作成してください。"
                        ]
                    )
    finally:
        book.close()


def _language_code(name: str) -> str:
    match = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", name)
    if match:
        return match[1].lower()
    return LANGUAGE_CODES.get(name.strip().lower(), name.strip().lower())


class _Reader:
    def __init__(self, survey: dict, rows: dict[str, int]):
        self.survey = survey
        self.rows = rows  # field name → survey sheet row
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.languages: set[str] = set()
        self.fields: list[FieldSpec] = []
        self.renamed: dict[str, str] = {}
        # The page a top-level group opened, which questions after its end must not join.
        self.open_page: str = ""

    def where(self, name: str) -> str:
        row = self.rows.get(name)
        return f"survey シート {row}行目" if row else f"survey シート「{name}」"

    def texts(self, value) -> tuple[str, dict[str, str]]:
        """(Japanese or default text, {language code: text}) of a label, hint or message."""
        if not value:
            return "", {}
        if isinstance(value, str):
            return value, {}
        by_code = {}
        for language, text in value.items():
            if not text:
                continue
            code = "" if language == "default" else _language_code(language)
            by_code[code] = text
            if code:
                self.languages.add(code)
        primary = by_code.pop("ja", "") or by_code.pop("", "")
        if not primary and by_code:
            primary = next(iter(by_code.values()))
        return primary, by_code

    def name(self, original: str) -> str:
        if NAME_PATTERN.match(original):
            return original
        name = re.sub(r"[^a-z0-9_]", "_", original.lower()).strip("_")[:40]
        if not name or not name[0].isalpha():
            name = f"f_{name}"[:40]
        self.renamed[original] = name
        return name

    def walk(self, children: list[dict], inherited: str = "") -> None:
        for child in children:
            self.child(child, inherited)

    def walk_top(self, children: list[dict]) -> None:
        """The survey's own rows: each group there is a page (``field-list`` or not); questions
        after a group's end start a page of their own, untitled, so its condition stays its."""
        for child in children:
            if child.get("type") == "group":
                self.child(child, "", top=True)
                continue
            count = len(self.fields)
            self.child(child, "")
            if self.open_page and len(self.fields) > count:
                marker: FieldSpec = {
                    "name": f"after_{self.open_page}"[:40],
                    "type": "page",
                    "label": "",
                }
                self.fields.insert(count, marker)
                self.open_page = ""

    def page(self, child: dict) -> None:
        """A top-level group: a page, its ``relevant`` the page's condition, decided on the
        answers of the pages before it."""
        label, translations = self.texts(child.get("label"))
        page: FieldSpec = {"name": self.name(child.get("name", "")), "type": "page", "label": label}
        if translations:
            page["translations"] = {k: {"label": v} for k, v in translations.items()}
        if child.get("bind", {}).get("relevant"):
            page["relevant"] = child["bind"]["relevant"]
        self.fields.append(page)
        self.open_page = page["name"]
        self.walk(child.get("children", []))

    def child(self, child: dict, inherited: str, *, top: bool = False) -> None:
        kind = child.get("type", "")
        original = child.get("name", "")
        where = self.where(original)
        bind = child.get("bind", {})
        if kind == "group":
            if (child.get("control") or {}).get("bodyless"):
                return  # pyxform's own meta group (instanceID)
            if top:
                self.page(child)
                return
            relevant = _and(inherited, bind.get("relevant", ""))
            label, translations = self.texts(child.get("label"))
            if label:
                section: FieldSpec = {
                    "name": self.name(original),
                    "type": "section",
                    "label": label,
                }
                if translations:
                    section["translations"] = {k: {"label": v} for k, v in translations.items()}
                if relevant:
                    section["relevant"] = relevant
                self.fields.append(section)
            self.walk(child.get("children", []), relevant)
            return
        if kind in DEVICE_METADATA:
            self.warnings.append(
                f"{where}: 端末の情報「{kind}」は Web の申請では集めないため、取り込みません。"
            )
            return
        if kind == "calculate" and not bind.get("calculate"):
            self.warnings.append(f"{where}: 計算式のない calculate「{original}」は取り込みません。")
            return
        if kind in REFUSED_TYPES:
            self.problems.append(f"{where}: {REFUSED_TYPES[kind]}には対応していません。")
            return
        own = child.get("_jichitai_type")
        if kind not in SUPPORTED_TYPES and not own:
            self.problems.append(f"{where}: 種類「{kind}」には対応していません。")
            return
        spec_type = own or SUPPORTED_TYPES[kind]
        appearance = (child.get("control") or {}).get("appearance", "")
        if spec_type == "text" and appearance == "multiline":
            spec_type = "textarea"
        label, label_translations = self.texts(child.get("label"))
        hint, hint_translations = self.texts(child.get("hint"))
        spec: FieldSpec = {
            "name": self.name(original),
            "type": spec_type,
            "label": label or original,
        }
        if not label and spec_type not in {"calculate"}:
            self.warnings.append(
                f"{where}: 見出しがないため、項目名「{original}」を見出しにします。"
            )
        if hint:
            spec["help"] = hint
        translations: dict[str, dict[str, str]] = {}
        for code, text in label_translations.items():
            translations.setdefault(code, {})["label"] = text
        for code, text in hint_translations.items():
            translations.setdefault(code, {})["help"] = text
        if kind == "decimal":
            spec["decimal"] = True
        required = str(bind.get("required", "")).strip()
        if required.lower() in TRUE_VALUES:
            spec["required"] = True
        elif required.lower() not in FALSE_VALUES:
            spec["required_if"] = required
        for key, message_key in (
            ("jr:constraintMsg", "constraint_message"),
            ("jr:requiredMsg", "required_message"),
        ):
            text, by_code = self.texts(bind.get(key))
            if text:
                spec[message_key] = text
            for code, value in by_code.items():
                translations.setdefault(code, {})[message_key] = value
        if translations:
            spec["translations"] = translations
        relevant = _and(inherited, bind.get("relevant", ""))
        if relevant:
            spec["relevant"] = relevant
        if bind.get("constraint"):
            spec["constraint"] = bind["constraint"]
        if bind.get("calculate"):
            if spec_type != "calculate":
                self.problems.append(
                    f"{where}: 質問の calculation(入力欄の自動計算)には対応していません。"
                    "calculate の行にしてください。"
                )
                return
            spec["calculation"] = bind["calculate"]
        if "default" in child and child["default"] not in (None, ""):
            default = str(child["default"])
            if "(" in default or "${" in default:
                self.warnings.append(
                    f"{where}: 式による初期値「{default}」は取り込みません(空欄で始まります)。"
                )
            else:
                spec["default"] = default
        if spec_type in {"single_choice", "multiple_choice"}:
            choices = child.get("choices") or []
            itemset = str(child.get("itemset", ""))
            if not choices and itemset.endswith((".csv", ".xml", ".geojson")):
                self.problems.append(
                    f"{where}: 外部ファイルの選択肢「{itemset}」には対応していません。"
                    "choices シートに書いてください。"
                )
                return
            if not choices:
                self.problems.append(f"{where}: 選択肢リスト「{itemset}」が空です。")
                return
            spec["choices"] = [self.choice(choice) for choice in choices]
            if child.get("choice_filter"):
                spec["choice_filter"] = child["choice_filter"]
        if bind.get("readonly") not in (None, "", "false()", "no") and spec_type != "calculate":
            self.warnings.append(f"{where}: 読み取り専用(read_only)の指定は取り込みません。")
        self.fields.append(spec)

    def choice(self, choice: dict) -> dict:
        label, translations = self.texts(choice.get("label"))
        value = str(choice.get("name", ""))
        result = {"value": value, "label": label or value}
        if translations:
            result["translations"] = {code: {"label": text} for code, text in translations.items()}
        extra = {
            key: str(v)
            for key, v in choice.items()
            if key not in {"name", "label", "media", "list_name"} and isinstance(v, str | int)
        }
        if extra:
            result["filters"] = extra
        return result

    def check_expressions(self) -> None:
        """Every expression parses and reads only fields of this form (a page's condition: of
        the pages before it); renamed fields are renamed inside expressions too."""
        known = {spec["name"] for spec in self.fields}
        earlier: set[str] = set()
        for spec in self.fields:
            for key in ("relevant", "constraint", "required_if", "calculation", "choice_filter"):
                if key not in spec:
                    continue
                text = spec[key]
                for old, new in self.renamed.items():
                    text = text.replace("${" + old + "}", "${" + new + "}")
                spec[key] = text
                try:
                    unknown = expressions.references(text) - known
                    if spec["type"] == "page" and not unknown:
                        unknown = expressions.references(text) - earlier
                except expressions.ExpressionError as error:
                    self.problems.append(f"{self.where(spec['name'])}: {error}")
                    continue
                if unknown:
                    self.problems.append(
                        f"{self.where(spec['name'])}: 式「{text}」の項目"
                        f"「{'」「'.join(sorted(unknown))}」が{'前のページ' if spec['type'] == 'page' else 'このフォーム'}にありません。"
                    )
            earlier.add(spec["name"])


def _and(first: str, second: str) -> str:
    if first and second:
        return f"({first}) and ({second})"
    return first or second


def _survey_rows(survey: list[dict]) -> dict[str, int]:
    return {
        str(row.get("name")): number
        for number, row in enumerate(survey, start=2)
        if row.get("name")
    }


def read_xlsform(upload, *, seconds: float = MAX_SECONDS) -> ImportedForm:
    """The form a workbook describes; raises ``XLSFormError`` with every refused row."""
    deadline = time.monotonic() + seconds
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(data) > MAX_BYTES:
        raise XLSFormError([f"ファイルが大きすぎます(最大 {MAX_BYTES // 1024 // 1024} MB)。"])
    suffix = ".xlsx" if data[:2] == b"PK" else ".xls"
    _check_size(data, suffix, deadline)
    try:
        workbook = get_xlsform(xlsform=data)
    except PyXFormReadError:
        raise XLSFormError(["Excel ファイル(.xlsx または .xls)として読み取れません。"]) from None
    except PyXFormError as error:
        raise XLSFormError([f"XLSForm として正しくありません: {error}"]) from None
    if not workbook.survey:
        raise XLSFormError(["survey シートがありません。XLSForm の形式で作成してください。"])
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
        raise XLSFormError([f"XLSForm として正しくありません: {error}"]) from None
    _mark_own_types(survey.get("children", []), own_types)
    reader = _Reader(survey, _survey_rows(workbook.survey))
    reader.walk_top(survey.get("children", []))
    reader.check_expressions()
    for original, new in reader.renamed.items():
        reader.warnings.append(
            f"{reader.where(original)}: 項目名「{original}」は「{new}」として取り込みます"
            "(半角英小文字・数字・_ のみ使えます)。"
        )
    if reader.problems:
        raise XLSFormError(reader.problems)
    if not any(
        spec["type"] not in {"page", "section", "note", "calculate"} for spec in reader.fields
    ):
        raise XLSFormError(["survey シートに項目がありません。"])
    languages = sorted(reader.languages)
    return ImportedForm(fields=reader.fields, warnings=reader.warnings, languages=languages)


def _mark_own_types(children: list[dict], own_types: dict[str, str]) -> None:
    for child in children:
        if child.get("type") == "text" and child.get("name") in own_types:
            child["_jichitai_type"] = own_types[child["name"]]
        _mark_own_types(child.get("children", []), own_types)
