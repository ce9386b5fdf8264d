"""A form is defined as an ordered list of field specifications (what the builder edits and the
XLSForm import produces); the JSON Schema 2020-12 of a form version is generated from it.

A field specification (typed as ``fields.FieldSpec``)::

    {"name": "participants", "type": "persons", "label": "参加人数", "help": "", "required": True,
     "choices": [{"value": "yes", "label": "出席"}], "show_if": {"field": "attend", "values": ["yes"]},
     "max_length": 200, "minimum": 0, "maximum": 10, "decimal": False}
"""

import re

from django.utils.translation import gettext as _

from jichitai.procedures import expressions
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.registry import field_types

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def build_schema(fields: list[FieldSpec], *, title: str = "") -> dict:
    """The JSON Schema of the data an application carries. Conditional fields become ``if/then``
    clauses, so the schema alone says when they are required."""
    properties = {}
    required = []
    conditions = []
    under_condition = _under_condition(fields)
    for spec in fields:
        field_type = field_types.get(spec["type"])
        if not field_type.stores_value:
            continue
        schema = field_type.schema(spec)
        schema["title"] = spec["label"]
        if spec.get("help"):
            schema["description"] = spec["help"]
        properties[spec["name"]] = schema
        # An XLSForm condition (relevant, required_if) is decided by the validator, which
        # knows the expressions; the schema states only what holds unconditionally.
        if not spec.get("required") or spec.get("relevant") or spec["name"] in under_condition:
            continue
        if spec.get("show_if"):
            condition = spec["show_if"]
            controller = next(f for f in fields if f["name"] == condition["field"])
            match = (
                {"contains": {"enum": condition["values"]}}
                if controller["type"] == "multiple_choice"
                else {"enum": condition["values"]}
            )
            conditions.append(
                {
                    "if": {
                        "properties": {condition["field"]: match},
                        "required": [condition["field"]],
                    },
                    "then": {"required": [spec["name"]]},
                }
            )
        else:
            required.append(spec["name"])
    schema = {
        "$schema": SCHEMA_DIALECT,
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if conditions:
        schema["allOf"] = conditions
    return schema


def is_visible(spec: FieldSpec, values: dict) -> bool:
    """Whether a field is asked, given the values of the fields before it (decided on the server,
    with or without JavaScript): its ``show_if`` choice and its ``relevant`` expression."""
    condition = spec.get("show_if")
    if condition:
        current = values.get(condition["field"])
        if isinstance(current, list):
            if not any(item in condition["values"] for item in current):
                return False
        elif current not in condition["values"]:
            return False
    relevant = spec.get("relevant")
    return not relevant or expressions.holds(relevant, values)


class Scope:
    """Which fields are asked, read in the form's order: a page (``page``) or section heading
    whose condition does not hold hides what follows it, up to the next page (a section's: up to
    the next section or page). The validator walks a form with one; so does everything that must
    agree with it on what a resident was asked."""

    def __init__(self) -> None:
        self.page_shown = self.section_shown = True

    def asks(self, spec: FieldSpec, values: dict) -> bool:
        """Whether ``spec`` is asked, given the values of the fields before it."""
        if spec["type"] == "page":
            self.page_shown, self.section_shown = is_visible(spec, values), True
            return self.page_shown
        if spec["type"] == "section":
            self.section_shown = self.page_shown and is_visible(spec, values)
            return self.section_shown
        return self.page_shown and self.section_shown and is_visible(spec, values)


def asked_names(fields: list[FieldSpec], cleaned: dict) -> set[str]:
    """The names of the fields asked, given the values the validator kept: each field is judged
    on the values before it, as the validator judged it."""
    scope = Scope()
    before: dict = {}
    asked = set()
    for spec in fields:
        if scope.asks(spec, before):
            asked.add(spec["name"])
        if spec["name"] in cleaned:
            before[spec["name"]] = cleaned[spec["name"]]
    return asked


def _under_condition(fields: list[FieldSpec]) -> set[str]:
    """Fields under a page or section heading with a condition: required only when asked, which
    the validator decides."""
    page_conditional = section_conditional = False
    names = set()
    for spec in fields:
        conditional = bool(spec.get("show_if") or spec.get("relevant"))
        if spec["type"] == "page":
            page_conditional, section_conditional = conditional, False
        elif spec["type"] == "section":
            section_conditional = conditional
        elif page_conditional or section_conditional:
            names.add(spec["name"])
    return names


def offered_choices(spec: FieldSpec, values: dict) -> list:
    """The choices offered given the answers so far (its ``choice_filter``)."""
    choices = spec.get("choices", [])
    choice_filter = spec.get("choice_filter")
    if not choice_filter:
        return choices
    return [
        choice
        for choice in choices
        if expressions.holds(
            choice_filter,
            values,
            choice={"name": choice["value"], "label": choice["label"], **choice.get("filters", {})},
        )
    ]


def check_definition(fields: list[FieldSpec]) -> list[str]:
    """Problems that would make a form unusable, in the active language, for the person building
    it."""
    problems = []
    seen = {}
    persons = 0
    for position, spec in enumerate(fields, start=1):
        where = _("%(position)s番目の項目「%(label)s」") % {
            "position": position,
            "label": spec.get("label") or spec.get("name") or "",
        }
        name = spec.get("name", "")
        if not NAME_PATTERN.match(name):
            problems.append(
                _("%(where)s: 項目名は半角英小文字で始まる英数字と _ (40文字以内)にしてください。")
                % {"where": where}
            )
        elif name in seen:
            problems.append(
                _("%(where)s: 項目名「%(name)s」が重複しています。")
                % {"where": where, "name": name}
            )
        if spec.get("type") not in field_types:
            problems.append(
                _("%(where)s: 種類「%(type)s」は使えません。")
                % {"where": where, "type": spec.get("type")}
            )
            continue
        if not spec.get("label") and spec["type"] != "page":  # a page may go untitled
            problems.append(_("%(where)s: 見出しを入力してください。") % {"where": where})
        field_type = field_types.get(spec["type"])
        if field_type.has_choices:
            values = [choice.get("value") for choice in spec.get("choices", [])]
            if not values:
                problems.append(
                    _("%(where)s: 選択肢を1つ以上入力してください。") % {"where": where}
                )
            elif len(set(values)) != len(values) and not spec.get("choice_filter"):
                # A filtered list may repeat a value under different filters (XLSForm's
                # "King" county in two states); unfiltered, two equal values are a mistake.
                problems.append(_("%(where)s: 選択肢が重複しています。") % {"where": where})
        if spec["type"] == "persons":
            persons += 1
        condition = spec.get("show_if")
        if condition:
            controller = seen.get(condition.get("field"))
            if controller is None:
                problems.append(
                    _("%(where)s: 表示条件は、この項目より前の選択肢の項目を指定してください。")
                    % {"where": where}
                )
            elif not field_types.get(controller["type"]).has_choices:
                problems.append(
                    _("%(where)s: 表示条件に使えるのは選択肢の項目だけです。") % {"where": where}
                )
            elif not set(condition.get("values", [])) <= {
                c["value"] for c in controller.get("choices", [])
            }:
                problems.append(
                    _("%(where)s: 表示条件の値が「%(label)s」の選択肢にありません。")
                    % {"where": where, "label": controller["label"]}
                )
        for key in (
            "relevant",
            "constraint",
            "required_if",
            "calculation",
            "choice_filter",
            "repeat_count",
        ):
            if spec.get(key):
                try:
                    unknown = expressions.references(spec[key]) - {f.get("name") for f in fields}
                except expressions.ExpressionError as error:
                    problems.append(f"{where}: {error}")
                    continue
                if unknown:
                    problems.append(
                        _("%(where)s: 式「%(text)s」の項目「%(names)s」がありません。")
                        % {"where": where, "text": spec[key], "names": "」「".join(sorted(unknown))}
                    )
        if spec["type"] == "page" and spec.get("relevant"):
            # A page is asked or skipped on the answers of the pages before it.
            try:
                later = expressions.references(spec["relevant"]) - set(seen)
            except expressions.ExpressionError:
                later = set()  # reported above
            if later:
                problems.append(
                    _(
                        "%(where)s: ページの表示条件に使えるのは前のページの項目だけです(「%(names)s」)。"
                    )
                    % {"where": where, "names": "」「".join(sorted(later))}
                )
        if field_type.problems:
            problems += field_type.problems(spec, where)
        if spec["type"] == "calculate" and not spec.get("calculation"):
            problems.append(_("%(where)s: 計算式を入力してください。") % {"where": where})
        seen[name] = spec
    if persons > 1:
        problems.append(_("人数の項目は1つまでです(定員の計算に使います)。"))
    return problems


def persons_field(fields: list[FieldSpec]) -> str | None:
    return next((spec["name"] for spec in fields if spec["type"] == "persons"), None)


def persons_of(fields: list[FieldSpec], cleaned: dict) -> int:
    """How many persons an application counts for (定員, a fee per person): its persons answer,
    else one."""
    name = persons_field(fields)
    return int(cleaned.get(name) or 1) if name else 1


def answer_fields(fields: list[FieldSpec]) -> list[FieldSpec]:
    """The fields whose values an application stores (not notes or section headings)."""
    return [spec for spec in fields if field_types.get(spec["type"]).stores_value]


def file_fields(fields: list[FieldSpec]) -> list[FieldSpec]:
    return [spec for spec in fields if field_types.get(spec["type"]).is_file]
