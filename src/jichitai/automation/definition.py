"""Scenario definitions: YAML written by staff (or shipped with the platform), validated against a
JSON Schema built from the step library, with Japanese messages naming the step path and the line.

A definition::

    name: electricity-summary          # 識別子
    title: 電気使用量の集計
    division: 地球温暖化対策課            # 担当所属
    manual_minutes_before: 30          # 1件あたりの手作業時間(導入前)
    manual_minutes_after: 3            # 1件あたりの残る作業時間(導入後)
    inputs: [{name: reports, label: 所属別報告書, kind: folder}]
    secrets: [legacy_password]         # 使う秘密情報の名前
    targets: [legacy]                  # 操作する外部システム
    prepare: [ ...steps ]              # 計画でも実行(読み取りのみ)
    items: rows                        # 1件ずつ処理する表(変数名)
    key: "{{ item.番号 }}"              # 冪等キー
    label: "{{ item.氏名 }}"
    setup: [ ...steps ]                # 本番のみ、最初に1回(ログインなど)
    each: [ ...steps ]                 # 1件ごと
    finish: [ ...steps ]               # 最後に1回(集計表の作成、PDF の結合)

A step is ``{step: excel.read, with: {...}, save: name, collect: name}``: ``save`` keeps the
result under a name, ``collect`` appends it to a list kept across items. Values may contain
``{{ path.to.value }}``; a value that is only a placeholder keeps its type (a list stays a list).
"""

import math
import re
from collections.abc import Iterator
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator

from jichitai.automation.errors import BusinessError, DefinitionError
from jichitai.automation.steps import steps
from jichitai.core.safe_yaml import YamlRefused, compose_yaml, load_yaml

SECTIONS = ("prepare", "setup", "each", "finish")
NAME = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,79}$"}


def step_schema() -> dict:
    names = steps.names()
    return {
        "type": "object",
        "properties": {
            "step": {"enum": names},
            "with": {"type": "object"},
            "save": NAME,
            "collect": NAME,
            "name": {"type": "string"},
        },
        "required": ["step"],
        "additionalProperties": False,
        "allOf": [
            {
                "if": {"properties": {"step": {"const": name}}, "required": ["step"]},
                "then": {"properties": {"with": entry.schema}},
            }
            for name, entry in steps.items()
        ],
    }


def scenario_schema() -> dict:
    step_list = {"type": "array", "items": {"$ref": "#/$defs/step"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {"step": step_schema()},
        "properties": {
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,79}$"},
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "division": {"type": "string"},
            "description": {"type": "string"},
            "manual_minutes_before": {"type": "number", "minimum": 0},
            "manual_minutes_after": {"type": "number", "minimum": 0},
            "inputs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": NAME,
                        "label": {"type": "string"},
                        "kind": {"enum": ["file", "folder", "procedure", "text"]},
                        "required": {"type": "boolean"},
                    },
                    "required": ["name", "kind"],
                    "additionalProperties": False,
                },
            },
            "secrets": {"type": "array", "items": NAME},
            "targets": {"type": "array", "items": {"type": "string"}},
            "items": {"type": "string"},
            "key": {"type": "string"},
            "label": {"type": "string"},
            **dict.fromkeys(SECTIONS, step_list),
        },
        "required": ["name", "title", "manual_minutes_before", "manual_minutes_after"],
        "additionalProperties": False,
    }


_VALIDATOR_MESSAGES = {
    "required": _("必須の項目がありません"),
    "additionalProperties": _("使えない項目があります"),
    "enum": _("使える値ではありません"),
    "const": _("使える値ではありません"),
    "type": _("値の種類が違います"),
    "anyOf": _("値の種類が違います"),
    "oneOf": _("値の種類が違います"),
    "pattern": _("書き方が違います(半角英小文字・数字・-・_)"),
    "minimum": _("値が小さすぎます"),
    "minLength": _("空にはできません"),
    "maxLength": _("長すぎます"),
}


def _path_text(path) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(全体)"


def _line_of(node, path) -> int | None:
    """The 1-based line of the YAML node at ``path`` (or of its nearest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        child = None
        child_line = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    child, child_line = value, key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = child_line or node.start_mark.line + 1
    return line


def message_for(error) -> str:
    detail = str(_VALIDATOR_MESSAGES.get(error.validator, _("正しくありません")))
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        detail += f"(「{'」「'.join(missing)}」)"
    elif error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        detail += f"(「{'」「'.join(extra)}」)"
    elif error.validator == "enum" and list(error.path)[-1:] == ["step"]:
        detail = _("「%(step)s」という手順(step)はありません") % {"step": error.instance}
    return detail


def parse(source: str) -> dict:
    """Parses and validates YAML; raises ``DefinitionError`` with every problem found."""
    try:
        node = compose_yaml(source)
        data = load_yaml(source)
    except YamlRefused as refused:
        raise DefinitionError([str(refused)]) from None
    if not isinstance(data, dict):
        raise DefinitionError(
            ["1行目: シナリオは「name: …」などの項目を並べた形で書いてください。"]
        )
    validator = Draft202012Validator(scenario_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        if error.validator in {"allOf", "if"}:
            continue
        path = list(error.absolute_path)
        line = _line_of(node, path)
        problems.append(f"{line}行目 {_path_text(path)}: {message_for(error)}。")
    # JSON has no infinity or NaN (YAML's .inf, .nan): the definition could not be stored.
    not_a_figure = _("数値が大きすぎるか、数値ではありません")
    problems += [
        f"{_line_of(node, path)}行目 {_path_text(path)}: {not_a_figure}。"
        for path in _non_finite_numbers(data)
    ]
    # The step lists' own consistency: the items variable must be produced before "each".
    if not problems and data.get("each") and not data.get("items"):
        problems.append(
            f"{_line_of(node, ['each'])}行目 each: items(処理する表の名前)がありません。"
        )
    if problems:
        raise DefinitionError(sorted(set(problems), key=lambda p: int(p.split("行目")[0] or 0)))
    return data


def _non_finite_numbers(value: Any, path: tuple = ()) -> Iterator[list]:
    if isinstance(value, float) and not math.isfinite(value):
        yield list(path)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _non_finite_numbers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite_numbers(item, (*path, index))


# --- Values with placeholders ------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


def lookup(context: dict, path: str, *, where: str = "") -> Any:
    value: Any = context
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise BusinessError(
                f"{where}「{{{{ {path} }}}}」の値がありません(「{part}」が見つかりません)。"
            )
    return value


def resolve(value: Any, context: dict, *, where: str = "") -> Any:
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value.strip())
        if whole:
            return lookup(context, whole.group(1), where=where)
        return _PLACEHOLDER.sub(
            lambda m: "" if (v := lookup(context, m.group(1), where=where)) is None else str(v),
            value,
        )
    if isinstance(value, list):
        return [resolve(item, context, where=where) for item in value]
    if isinstance(value, dict):
        return {key: resolve(item, context, where=where) for key, item in value.items()}
    return value
