"""The workbook's survey, as pyxform reads it, turned into field specifications: each type mapped
as ``xlsform_types`` says, what is refused or left out (with the row number and the reason, kept
to be told in its reader's language), top-level groups as pages, groups within them as sections,
repeats as repeating groups."""

import re
from decimal import Decimal

from django.utils.translation import gettext_noop

from jichitai.core.kept_texts import KeptText
from jichitai.procedures import expressions, repeats
from jichitai.procedures.definitions import NAME_PATTERN
from jichitai.procedures.fields import GEOPOINT_PARTS, FieldInputError, FieldSpec
from jichitai.procedures.registry import field_types
from jichitai.procedures.xlsform_loops import expanded_loop, renamed_rows
from jichitai.procedures.xlsform_types import (
    DEVICE_METADATA,
    FALSE_VALUES,
    PICTURE_KINDS,
    RANGE_DEFAULTS,
    READ_DEFAULTS,
    REFUSED_REASONS,
    REFUSED_TYPES,
    SUPPORTED_TYPES,
    TRUE_VALUES,
    language_code,
)

EXPRESSION_KEYS = ("relevant", "constraint", "required_if", "calculation", "choice_filter")


class Reader:
    def __init__(self, survey: dict, rows: dict[str, int]):
        self.survey = survey
        self.rows = rows  # field name → survey sheet row
        # Each kept to be told in the language of whoever reads the import's result.
        self.problems: list[KeptText] = []
        self.warnings: list[KeptText] = []
        self.languages: set[str] = set()
        self.fields: list[FieldSpec] = []
        self.renamed: dict[str, str] = {}
        # The page a top-level group opened, which questions after its end must not join.
        self.open_page: str = ""
        self.in_repeat = False

    def where(self, name: str) -> KeptText:
        row = self.rows.get(name)
        if row:
            return KeptText(gettext_noop("survey シート %(row)s行目"), {"row": row})
        return KeptText(gettext_noop("survey シート「%(name)s」"), {"name": name})

    def refuse(self, where: KeptText, message: str, /, **values: object) -> None:
        """The row cannot be honoured: ``message`` (led by ``%(where)s: ``) says why."""
        self.problems.append(KeptText(message, {"where": where, **values}))

    def warn(self, where: KeptText, message: str, /, **values: object) -> None:
        """Something of the row is left out without changing what a resident answers."""
        self.warnings.append(KeptText(message, {"where": where, **values}))

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
            code = "" if language == "default" else language_code(language)
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
        if original in self.renamed:
            return self.renamed[original]
        name = re.sub(r"[^a-z0-9_]", "_", original.lower()).strip("_")[:40]
        if not name or not name[0].isalpha():
            name = f"f_{name}"[:40]
        # Names in kanji all become 「f_」: each renamed field is numbered apart from the others
        # and from the form's own names, or their answers would be stored under one key.
        taken = set(self.rows) | set(self.renamed.values())
        stem, number = name[:36].rstrip("_"), 2
        while name in taken:
            name, number = f"{stem}_{number}", number + 1
        self.renamed[original] = name
        return name

    def walk(self, children: list[dict], inherited: str = "") -> None:
        for child in children:
            self.child(child, inherited)

    def walk_top(self, children: list[dict]) -> None:
        """The survey's own rows: each group there is a page (``field-list`` or not); questions
        after a group's end start a page of their own, untitled, so its condition stays its."""
        for child in children:
            if child.get("type") in {"group", "loop"}:
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
        if kind == "repeat":
            self.repeat(child, where, _and(inherited, bind.get("relevant", "")))
            return
        if kind == "loop":  # one group per column: pages at the top, sections within a page
            self.rows.update(renamed_rows(child, self.rows))
            for group in expanded_loop(child):
                self.child(group, inherited, top=top)
            return
        if kind in DEVICE_METADATA:
            self.warn(
                where,
                gettext_noop(
                    "%(where)s: 端末の情報「%(kind)s」は Web の申請では集めないため、取り込みません。"
                ),
                kind=kind,
            )
            return
        if kind == "calculate" and not bind.get("calculate"):
            self.warn(
                where,
                gettext_noop("%(where)s: 計算式のない calculate「%(name)s」は取り込みません。"),
                name=original,
            )
            return
        if kind in REFUSED_TYPES:
            reason = REFUSED_REASONS.get(kind)
            self.refuse(
                where,
                gettext_noop("%(where)s: %(type)sには対応していません。%(reason)s"),
                type=KeptText(REFUSED_TYPES[kind]),
                reason=KeptText(reason) if reason else "",
            )
            return
        if kind == "hidden":
            calculation = self.hidden_value(child, where)
            if calculation is None:
                return
            # Stored with each answer, never shown: what a calculate row is.
            kind, bind = "calculate", {**bind, "calculate": calculation}
            child = {key: value for key, value in child.items() if key != "default"}
        own = child.get("_jichitai_type")
        if kind not in SUPPORTED_TYPES and not own:
            self.refuse(
                where, gettext_noop("%(where)s: 種類「%(kind)s」には対応していません。"), kind=kind
            )
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
            self.warn(
                where,
                gettext_noop("%(where)s: 見出しがないため、項目名「%(name)s」を見出しにします。"),
                name=original,
            )
        if hint:
            spec["help"] = hint
        translations: dict[str, dict[str, str]] = {}
        for code, text in label_translations.items():
            translations.setdefault(code, {})["label"] = text
        for code, text in hint_translations.items():
            translations.setdefault(code, {})["help"] = text
        if kind == "decimal" or (kind == "range" and bind.get("type") == "decimal"):
            spec["decimal"] = True
        if kind == "range":
            spec["minimum"], spec["maximum"], spec["step"] = range_bounds(child)
        if kind == "barcode":
            self.warn(
                where,
                gettext_noop(
                    "%(where)s: バーコード「%(name)s」は Web では読み取れないため、申請者が番号を入力する1行テキストとして取り込みます。"
                ),
                name=original,
            )
        if kind in {"photo", "image"}:
            spec["accept"] = list(PICTURE_KINDS)
            if "max-pixels" in str(child.get("parameters", "")):
                self.warn(
                    where,
                    gettext_noop(
                        "%(where)s: 画像を縮小する指定(max-pixels)は Web では行わず、画像は送られたまま受け付けます。"
                    ),
                )
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
                self.refuse(
                    where,
                    gettext_noop(
                        "%(where)s: 質問の calculation(入力欄の自動計算)には対応していません。calculate の行にしてください。"
                    ),
                )
                return
            spec["calculation"] = bind["calculate"]
        if "default" in child and child["default"] not in (None, ""):
            default = str(child["default"])
            if "(" in default or "${" in default:
                self.warn(
                    where,
                    gettext_noop(
                        "%(where)s: 式による初期値「%(default)s」は取り込みません(空欄で始まります)。"
                    ),
                    default=default,
                )
            elif spec_type in READ_DEFAULTS:
                # Kept in this platform's own form (09:30, 2026-04-01T09:30, "34.73 136.50"),
                # so the resident's page and the validator start from the same answer.
                try:
                    value = field_types.get(spec_type).normalise(default, spec)
                except FieldInputError as error:
                    self.refuse(
                        where,
                        gettext_noop("%(where)s: 初期値「%(default)s」は読めません(%(error)s)"),
                        default=default,
                        error=str(error),
                    )
                    return
                if isinstance(value, dict):
                    value = " ".join(str(value[part]) for part, _label in GEOPOINT_PARTS)
                spec["default"] = str(value)
            else:
                spec["default"] = default
        if spec_type in {"single_choice", "multiple_choice"}:
            choices = child.get("choices") or []
            itemset = str(child.get("itemset", ""))
            if not choices and itemset.endswith((".csv", ".xml", ".geojson")):
                self.refuse(
                    where,
                    gettext_noop(
                        "%(where)s: 外部ファイルの選択肢「%(itemset)s」には対応していません。choices シートに書いてください。"
                    ),
                    itemset=itemset,
                )
                return
            if not choices:
                self.refuse(
                    where,
                    gettext_noop("%(where)s: 選択肢リスト「%(itemset)s」が空です。"),
                    itemset=itemset,
                )
                return
            spec["choices"] = [self.choice(choice) for choice in choices]
            if child.get("choice_filter"):
                spec["choice_filter"] = child["choice_filter"]
        if bind.get("readonly") not in (None, "", "false()", "no") and spec_type != "calculate":
            self.warn(
                where, gettext_noop("%(where)s: 読み取り専用(read_only)の指定は取り込みません。")
            )
        self.fields.append(spec)

    def hidden_value(self, child: dict, where: KeptText) -> str | None:
        """A ``hidden`` row's value as an expression: its calculation, or its default as a
        constant. A hidden row without either is filled only by a phone app's launcher, which the
        web does not have: refused."""
        calculation = child.get("bind", {}).get("calculate")
        if calculation:
            return str(calculation)
        default = str(child.get("default") or "")
        if default and "${" not in default and "(" not in default:
            if "'" not in default:
                return f"'{default}'"
            if '"' not in default:
                return f'"{default}"'
        self.refuse(
            where,
            gettext_noop(
                "%(where)s: 値のない非表示値(hidden)には対応していません。Web の申請では何も入らないため、default に値を書くか calculate の行にしてください。"
            ),
        )
        return None

    def repeat(self, child: dict, where: KeptText, relevant: str) -> None:
        """A ``begin repeat`` block: its rows' fields are read like the form's own."""
        if self.in_repeat:
            self.refuse(where, gettext_noop("%(where)s: 繰返しの中の繰返しには対応していません。"))
            return
        outer, self.fields, self.in_repeat = self.fields, [], True
        self.walk(child.get("children", []))
        children, self.fields, self.in_repeat = self.fields, outer, False
        label, translations = self.texts(child.get("label"))
        spec = repeats.from_xlsform(
            name=self.name(child.get("name", "")),
            label=label or child.get("name", ""),
            count=(child.get("control") or {}).get("jr:count", ""),
            children=children,
            earlier=self.fields,
        )
        hint, _hints = self.texts(child.get("hint"))
        if hint:
            spec["help"] = hint
        # This platform's own columns, written by its XLSForm export.
        for key in ("min_repeat", "max_repeat"):
            if str(child.get(key, "")).strip().isdigit():
                spec[key] = int(child[key])
        if child.get("row_unit"):
            spec["row_unit"] = str(child["row_unit"])
        if translations:
            spec["translations"] = {code: {"label": text} for code, text in translations.items()}
        if relevant:
            spec["relevant"] = relevant
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

    def check_expressions(self, fields: list[FieldSpec] | None = None, row: str = "") -> None:
        """Every expression parses and reads only fields of this form (inside a repeat, of its
        row; a page's condition, of the pages before it); renamed fields are renamed inside
        expressions too."""
        fields = self.fields if fields is None else fields
        known = {spec["name"] for spec in fields}
        earlier: set[str] = set()
        for spec in fields:
            if spec["type"] == repeats.REPEAT:
                self.check_expressions(spec["children"], spec["label"])
            for key in (*EXPRESSION_KEYS, "repeat_count"):
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
                    where = self.where(spec["name"])
                    self.refuse(where, gettext_noop("%(where)s: %(error)s"), error=str(error))
                    continue
                if unknown:
                    self.refuse_unknown(spec, text, sorted(unknown), row)
            earlier.add(spec["name"])

    def refuse_unknown(self, spec: FieldSpec, text: str, unknown: list[str], row: str) -> None:
        where, names = self.where(spec["name"]), "」「".join(unknown)
        if row:
            message = gettext_noop(
                "%(where)s: 繰返し「%(row)s」の中の式「%(text)s」は同じ行の項目だけを参照できます(「%(names)s」)。"
            )
        elif spec["type"] == "page":
            message = gettext_noop(
                "%(where)s: 式「%(text)s」の項目「%(names)s」が前のページにありません。"
            )
        else:
            message = gettext_noop(
                "%(where)s: 式「%(text)s」の項目「%(names)s」がこのフォームにありません。"
            )
        self.refuse(where, message, row=row, text=text, names=names)


def range_bounds(child: dict) -> tuple[int | float, int | float, int | float]:
    """A ``range`` row's ``parameters`` start, end and step (pyxform has checked they are numbers
    and the step is not 0) as the number's minimum, maximum and step; a slider running from high
    to low takes the same numbers."""
    given = child.get("parameters")
    parameters = {**RANGE_DEFAULTS, **(given if isinstance(given, dict) else {})}
    start, end, step = (Decimal(str(parameters[key])) for key in ("start", "end", "step"))
    low, high = sorted((start, end))
    return _plain_number(low), _plain_number(high), _plain_number(abs(step))


def _plain_number(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _and(first: str, second: str) -> str:
    if first and second:
        return f"({first}) and ({second})"
    return first or second
