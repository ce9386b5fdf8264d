"""The scenario editor for clerks: a form generated from each step's JSON Schema, whose whole
state travels in the form POST (no JavaScript), turned into exactly the YAML the validator in
``definition.py`` accepts — the YAML stays the stored and exported form.

POST fields: the scenario's own items (``title``, ``items``, …), inputs as ``input-N-name`` /
``-label`` / ``-kind``, steps as ``step-N-section`` / ``-step`` / ``-save`` / ``-collect`` and
their parameters as ``step-N-p-PARAM``. The ``action`` button says what to do: ``add``,
``up-N``, ``down-N``, ``remove-N`` or ``save``.
"""

import math
import re
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator

from jichitai.automation.definition import SECTIONS, message_for
from jichitai.automation.steps import steps
from jichitai.core.safe_yaml import YamlRefused, load_yaml

SECTION_LABELS = {
    "prepare": _("準備(計画でも実行する読み取り)"),
    "setup": _("開始時に1回(本番のみ)"),
    "each": _("1件ごと"),
    "finish": _("最後に1回"),
}
INPUT_KINDS = {
    "procedure": _("手続"),
    "file": _("ファイル"),
    "folder": _("複数のファイル"),
    "text": _("文字列"),
}
META = (
    ("title", _("題名"), _("一覧や台帳に表示する名前です。")),
    (
        "name",
        _("識別子"),
        _("半角英小文字・数字・-(例: moving-notice)。作った後は変えられません。"),
    ),
    ("division", _("担当所属"), _("効果の台帳に載る所属です。")),
    ("description", _("説明"), ""),
    ("manual_minutes_before", _("1件あたりの手作業時間(導入前、分)"), ""),
    ("manual_minutes_after", _("1件あたりの残る作業時間(導入後、分)"), ""),
    ("items", _("1件ずつ処理する表"), _("準備の手順で「結果の名前」に付けた名前です。")),
    ("key", _("1件を見分けるキー"), _("例: {{ item.receipt_number }}(同じ件を二重に処理しません)")),
    ("label", _("1件の表示"), _("例: {{ item.receipt_number }} {{ item.name }}")),
    ("secrets", _("使う秘密情報の名前"), _("空白区切り")),
    ("targets", _("操作する外部システムの名前"), _("空白区切り")),
)
NUMBER_META = {"manual_minutes_before", "manual_minutes_after"}
LIST_META = {"secrets", "targets"}
_PLACEHOLDER = re.compile(r"^\s*\{\{[^{}]+\}\}\s*$")


@dataclass
class Field:
    name: str  # the POST name
    label: str
    help: str = ""
    kind: str = "text"  # text, number, boolean, select, lines, mapping
    value: object = ""
    choices: list = field(default_factory=list)
    required: bool = False
    error: str = ""


@dataclass
class StepForm:
    index: int
    section: str
    step: str
    label: str
    fields: list[Field]
    save: str = ""
    collect: str = ""
    error: str = ""


@dataclass
class Editor:
    meta: dict
    inputs: list[dict]
    steps: list[StepForm]
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and not any(
            s.error or any(f.error for f in s.fields) for s in self.steps
        )

    def meta_fields(self) -> list[Field]:
        return [
            Field(name=name, label=label, help=help_text, value=self.meta.get(name, ""))
            for name, label, help_text in META
        ]

    def sections(self):
        return [
            (name, SECTION_LABELS[name], [s for s in self.steps if s.section == name])
            for name in SECTIONS
        ]


def step_choices() -> list[tuple[str, str]]:
    return [(name, f"{gettext(entry.label)}({name})") for name, entry in steps.items()]


def _inner(schema: dict) -> dict:
    """The parameter's own schema (``templatable`` wraps non-strings in ``anyOf``)."""
    if "anyOf" in schema:
        return schema["anyOf"][0]
    return schema


def _kind(schema: dict) -> str:
    inner = _inner(schema)
    if "enum" in inner:
        return "select"
    return {"boolean": "boolean", "number": "number", "integer": "number"}.get(
        inner.get("type"), {"array": "lines", "object": "mapping"}.get(inner.get("type"), "text")
    )


def _choices_for(param: str, schema: dict, *, inputs: list[dict], targets: list, procedures):
    inner = _inner(schema)
    if "enum" in inner:
        return [(str(v), str(v)) for v in inner["enum"]]
    if param == "target":
        return [(t, t) for t in targets]
    if param == "procedure":
        named = [
            (
                f"{{{{ inputs.{i['name']} }}}}",
                gettext("実行時に選ぶ手続(%(input)s)") % {"input": i.get("label") or i["name"]},
            )
            for i in inputs
            if i.get("kind") == "procedure"
        ]
        return named + [(p, p) for p in procedures]
    return []


def _shown(value, kind: str):
    if kind == "boolean":
        return bool(value)
    if value is None:
        return ""
    if kind == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if kind == "mapping" and isinstance(value, dict):
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).strip()
    return str(value)


def _step_form(index, section, name, params, *, save, collect, context) -> StepForm:
    entry = steps.get(name) if name in steps else None
    if entry is None:
        return StepForm(
            index,
            section,
            name,
            name,
            [],
            save,
            collect,
            gettext("「%(step)s」という手順はありません。") % {"step": name},
        )
    fields = []
    for param, schema in entry.schema["properties"].items():
        kind = _kind(schema)
        choices = _choices_for(param, schema, **context)
        value = _shown(params.get(param), kind)
        if choices and kind != "select":
            kind = "select"
            if value and value not in [c[0] for c in choices]:
                choices = [*choices, (value, value)]
        if kind == "select" and param not in entry.required:
            choices = [("", gettext("(指定しない)")), *choices]
        fields.append(
            Field(
                name=f"step-{index}-p-{param}",
                label=gettext(schema["title"]) if schema.get("title") else param,
                help=gettext(schema["description"]) if schema.get("description") else "",
                kind=kind,
                value=value,
                choices=choices,
                required=param in entry.required,
            )
        )
    return StepForm(index, section, name, gettext(entry.label), fields, save or "", collect or "")


def _context(meta: dict, inputs: list[dict], procedures) -> dict:
    return {"inputs": inputs, "targets": meta.get("targets", "").split(), "procedures": procedures}


def from_definition(data: dict, *, procedures=()) -> Editor:
    """Opens an existing scenario's definition in the editor."""
    meta = {}
    for name, _label, _help in META:
        value = data.get(name, "")
        meta[name] = " ".join(value) if name in LIST_META else ("" if value is None else str(value))
    inputs = [
        {
            "name": i["name"],
            "label": i.get("label", ""),
            "kind": i["kind"],
            "required": i.get("required", True),
        }
        for i in data.get("inputs", [])
    ]
    context = _context(meta, inputs, procedures)
    forms = []
    for section in SECTIONS:
        for entry in data.get(section) or []:
            forms.append(
                _step_form(
                    len(forms),
                    section,
                    entry["step"],
                    entry.get("with") or {},
                    save=entry.get("save"),
                    collect=entry.get("collect"),
                    context=context,
                )
            )
    return Editor(meta, inputs, forms)


def from_post(post, *, procedures=()) -> tuple[Editor, str]:
    """The editor as posted, with the requested change (add, move, remove) applied; returns the
    editor and the action (``save`` when the scenario is to be stored)."""
    meta = {name: post.get(name, "").strip() for name, _label, _help in META}
    inputs = []
    for i in range(_count(post, "input-count")):
        name = post.get(f"input-{i}-name", "").strip()
        if name:
            inputs.append(
                {
                    "name": name,
                    "label": post.get(f"input-{i}-label", "").strip(),
                    "kind": post.get(f"input-{i}-kind", "text"),
                    "required": bool(post.get(f"input-{i}-required")),
                }
            )
    context = _context(meta, inputs, procedures)
    posted = []
    for i in range(_count(post, "step-count")):
        name = post.get(f"step-{i}-step", "")
        if not name:
            continue
        params = {
            key[len(f"step-{i}-p-") :]: post.get(key)
            for key in post
            if key.startswith(f"step-{i}-p-")
        }
        posted.append(
            (
                post.get(f"step-{i}-section", "each"),
                name,
                params,
                post.get(f"step-{i}-save", ""),
                post.get(f"step-{i}-collect", ""),
            )
        )
    action = post.get("action", "")
    moved = re.fullmatch(r"(up|down|remove)-(\d+)", action)
    if moved and int(moved.group(2)) < len(posted):
        where, at = moved.group(1), int(moved.group(2))
        if where == "remove":
            posted.pop(at)
        else:
            posted = _moved(posted, at, -1 if where == "up" else 1)
    elif action == "add" and post.get("new-step") in steps and post.get("new-section") in SECTIONS:
        posted.append((post["new-section"], post["new-step"], {}, "", ""))
    forms = []
    for section, name, params, save, collect in posted:
        form = _step_form(
            len(forms), section, name, {}, save=save, collect=collect, context=context
        )
        for f in form.fields:
            f.value = (
                params.get(f.name.rsplit("-p-", 1)[1], "")
                if f.kind != "boolean"
                else bool(params.get(f.name.rsplit("-p-", 1)[1]))
            )
        forms.append(form)
    return Editor(meta, inputs, forms), action


def _moved(posted: list, at: int, by: int) -> list:
    """Moves step ``at`` up or down among the steps of its own section."""
    section = posted[at][0]
    same = [i for i, entry in enumerate(posted) if entry[0] == section]
    position = same.index(at)
    if not 0 <= position + by < len(same):
        return posted
    other = same[position + by]
    posted = list(posted)
    posted[at], posted[other] = posted[other], posted[at]
    return posted


def _count(post, name: str) -> int:
    try:
        return min(int(post.get(name, 0)), 200)
    except ValueError:
        return 0


def _value(f: Field):
    """The YAML value of a field, or raises ``ValueError`` with a Japanese message."""
    text = f.value
    if f.kind == "boolean":
        return True if text else None
    text = str(text).strip()
    if not text:
        return None
    if _PLACEHOLDER.match(text):
        return text
    if f.kind == "number":
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            raise ValueError(gettext("数値を半角で入力してください。")) from None
        if not math.isfinite(number):  # 1e309, nan: no figure a scenario could store
            raise ValueError(gettext("数値が大きすぎるか、数値ではありません。"))
        return int(number) if number.is_integer() else number
    if f.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if f.kind == "mapping":
        try:
            value = load_yaml(text)
        except (YamlRefused, yaml.YAMLError):
            value = None
        if not isinstance(value, dict):
            raise ValueError(gettext("「列名: 値」の形で1行に1つずつ書いてください。"))
        return value
    return text


def to_definition(editor: Editor) -> dict:
    """The scenario definition; marks the fields at fault (in the user's language) on the way."""
    data: dict = {}
    for name, label, _help in META:
        value = editor.meta.get(name, "").strip()
        if name in NUMBER_META:
            try:
                data[name] = _value(Field(name=name, label=label, kind="number", value=value))
            except ValueError as error:
                editor.errors.append(f"{label}: {error}")
            if data.get(name) is None:
                data.pop(name, None)
                editor.errors.append(f"{label}: {gettext('入力してください。')}")
        elif name in LIST_META:
            if value.split():
                data[name] = value.split()
        elif value:
            data[name] = value
        if name == "manual_minutes_after" and editor.inputs:
            data["inputs"] = [
                {"name": i["name"], "label": i["label"], "kind": i["kind"]}
                | ({} if i["required"] else {"required": False})
                for i in editor.inputs
            ]
    for form in editor.steps:
        params = {}
        for f in form.fields:
            try:
                value = _value(f)
            except ValueError as error:
                f.error = str(error)
                continue
            if value is not None:
                params[f.name.rsplit("-p-", 1)[1]] = value
        entry = steps.get(form.step)
        for error in Draft202012Validator(entry.schema).iter_errors(params):
            if error.validator == "required":
                for missing in re.findall(r"'([^']+)' is a required property", error.message):
                    _field(form, missing).error = gettext("入力してください。")
            elif error.path:
                target = _field(form, str(error.path[0]))
                target.error = target.error or message_for(error) + "。"
        step = {"step": form.step}
        if params:
            step["with"] = params
        if form.save:
            step["save"] = form.save
        if form.collect:
            step["collect"] = form.collect
        data.setdefault(form.section, []).append(step)
    return data


def _field(form: StepForm, param: str) -> Field:
    return next(f for f in form.fields if f.name.endswith(f"-p-{param}"))


def to_yaml(data: dict) -> str:
    ordered = {key: data[key] for key in _ORDER if key in data}
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)


_ORDER = (
    "name",
    "title",
    "division",
    "description",
    "manual_minutes_before",
    "manual_minutes_after",
    "inputs",
    "secrets",
    "targets",
    "prepare",
    "items",
    "key",
    "label",
    "setup",
    "each",
    "finish",
)
