"""Validation of application data: the one validator behind the resident's page, the JSON API and
paper intake, so every channel accepts and refuses exactly the same data with the same Japanese
messages."""

import json
from functools import lru_cache

import jsonschema_rs
from django.utils.translation import gettext, gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker

from jichitai.procedures import expressions
from jichitai.procedures.definitions import Scope, offered_choices
from jichitai.procedures.fields import FieldErrors, FieldInputError, FieldSpec
from jichitai.procedures.registry import field_types

# Messages are written in Japanese and given in the applicant's language (gettext).
REQUIRED_MESSAGES = {
    "single_choice": gettext_lazy("「%(label)s」を選んでください。"),
    "multiple_choice": gettext_lazy("「%(label)s」を1つ以上選んでください。"),
    "consent": gettext_lazy("「%(label)s」への同意が必要です。"),
    "yes_no": gettext_lazy("「%(label)s」で「はい」か「いいえ」を選んでください。"),
    "file": gettext_lazy("「%(label)s」のファイルを添付してください。"),
}
REQUIRED_MESSAGE = gettext_lazy("「%(label)s」を入力してください。")


def is_required(spec: FieldSpec, values: dict) -> bool:
    if spec.get("required"):
        return True
    condition = spec.get("required_if")
    return bool(condition) and expressions.holds(condition, values)


def required_message(spec: FieldSpec) -> str:
    """The form's own message for this question left blank, else the one for its type."""
    if spec.get("required_message"):
        return spec["required_message"]
    template = REQUIRED_MESSAGES.get(spec["type"], REQUIRED_MESSAGE)
    return str(template) % {"label": spec["label"]}


def _schema_message(error, spec: FieldSpec) -> str:
    keyword = error.validator
    value = error.validator_value
    if keyword == "maxLength":
        return gettext("%(count)s文字以内で入力してください。") % {"count": value}
    if keyword == "minLength":
        return gettext("%(count)s文字以上で入力してください。") % {"count": value}
    if keyword == "minimum":
        return gettext("%(value)s以上の値を入力してください。") % {"value": value}
    if keyword == "maximum":
        return gettext("%(value)s以下の値を入力してください。") % {"value": value}
    if keyword in {"enum", "const"}:
        if spec["type"] == "consent":
            return gettext("同意が必要です。")
        return gettext("選択肢から選んでください。")
    if keyword in {"format", "pattern"}:
        return gettext("形式が正しくありません。")
    if keyword == "required":
        return required_message(spec)
    return gettext("入力内容を確認してください。")


# The text of each schema validated against lately, by the schema object itself (kept here, so its
# id is not given to another object meanwhile): a published form's schema is one object the process
# keeps (``procedures.published``), so it is written out once instead of on every submission.
_schema_texts: dict[int, tuple[dict, str]] = {}


def _schema_json(schema: dict) -> str:
    kept = _schema_texts.get(id(schema))
    if kept is not None and kept[0] is schema:
        return kept[1]
    text = json.dumps(schema, sort_keys=True)
    if len(_schema_texts) >= 256:
        _schema_texts.clear()
    _schema_texts[id(schema)] = (schema, text)
    return text


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator:
    """Validators are built once per schema (keyed by its text) and reused. This one tells what is
    wrong, for the Japanese messages."""
    return Draft202012Validator(json.loads(schema_json), format_checker=FormatChecker())


@lru_cache(maxsize=256)
def _accepting_validator(schema_json: str) -> jsonschema_rs.Draft202012Validator:
    """The same schema compiled to native code, asked only whether data is valid: the accept path
    of every submission. Data it refuses goes to ``_validator``, which decides and explains."""
    return jsonschema_rs.Draft202012Validator(json.loads(schema_json), validate_formats=True)


def validate_application_data(
    fields: list[FieldSpec], schema: dict, raw: dict, *, reject_unknown: bool = False
) -> tuple[dict, dict[str, list[str]]]:
    """Returns ``(cleaned, errors)``. ``cleaned`` holds the visible fields' normalised values and
    the calculations; ``errors`` maps a field name to its messages (the form's own message when
    it has one). Hidden (conditional) fields, notes and headings are dropped; a page or section
    whose condition does not hold hides the fields on it (``definitions.Scope``)."""
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    scope = Scope()
    for spec in fields:
        name = spec["name"]
        field_type = field_types.get(spec["type"])
        if not scope.asks(spec, cleaned) or not field_type.stores_value:
            continue
        if spec["type"] == "calculate":
            value = expressions.value(spec["calculation"], cleaned)
            if value not in (None, ""):
                cleaned[name] = value
            continue
        # An answer left out (API) starts from the form's default, as on the resident's page.
        given = raw[name] if name in raw else spec.get("default")
        try:
            value = field_type.normalise(given, spec)
        except FieldErrors as error:
            errors.update(error.errors)
            continue
        except FieldInputError as error:
            errors[name] = [str(error)]
            continue
        problem = field_type.check(value, spec, cleaned) if field_type.check else None
        if problem:
            errors[name] = [problem]
            continue
        if value is None:
            if is_required(spec, cleaned):
                errors[name] = [required_message(spec)]
            continue
        if field_type.has_choices and spec.get("choice_filter"):
            offered = {choice["value"] for choice in offered_choices(spec, cleaned)}
            chosen = value if isinstance(value, list) else [value]
            if not set(chosen) <= offered:
                errors[name] = [gettext("選択肢から選んでください。")]
                continue
        if spec.get("constraint") and not expressions.holds(
            spec["constraint"], cleaned, current=value
        ):
            errors[name] = [
                spec.get("constraint_message") or gettext("入力内容が条件に合いません。")
            ]
            continue
        cleaned[name] = value

    if reject_unknown:
        specs_by_name = {spec["name"]: spec for spec in fields}
        known = set(specs_by_name)
        for name in raw:
            if name not in known or not field_types.get(specs_by_name[name]["type"]).is_question:
                errors[name] = [gettext("この項目はこの手続にありません。")]

    schema_json = _schema_json(schema)
    if _accepting_validator(schema_json).is_valid(cleaned):
        return cleaned, errors
    specs = {spec["name"]: spec for spec in fields}
    for error in _validator(schema_json).iter_errors(cleaned):
        if error.validator == "required" and not error.absolute_path:
            names = [name for name in error.validator_value if name not in error.instance]
        else:
            names = [str(error.absolute_path[0])] if error.absolute_path else []
        for name in names:
            spec = specs.get(name)
            if spec is not None and name not in errors:
                errors[name] = [_schema_message(error, spec)]
    return cleaned, errors
