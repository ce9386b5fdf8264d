"""Turning a form definition into what the resident's page shows, and the page's POST back into
raw data for the validator. Works without JavaScript: conditional questions are always rendered
(with the condition written out) and the server ignores the ones whose condition is not met;
a static script hides them when JavaScript runs."""

from django.utils.translation import gettext

from jichitai.core import japanese
from jichitai.core import uploads as upload_kinds
from jichitai.procedures import postal
from jichitai.procedures.fields import FieldInputError, FieldSpec
from jichitai.procedures.registry import field_renderers, field_types


def _steps(spec: FieldSpec) -> str:
    """What a range's slider shows on a phone, said in words beside the number."""
    if spec["type"] != "number" or not spec.get("step"):
        return ""
    return gettext("%(minimum)s〜%(maximum)sの数を、%(step)sきざみで入力してください。") % {
        "minimum": spec.get("minimum", 0),
        "maximum": spec.get("maximum", ""),
        "step": spec["step"],
    }


def raw_from_post(fields: list[FieldSpec], post) -> dict:
    raw = {}
    for spec in fields:
        name = spec["name"]
        field_type = field_types.get(spec["type"])
        if spec["type"] in field_renderers:
            raw[name] = field_renderers.get(spec["type"]).from_post(spec, post)
            continue
        if field_type.is_file or not field_type.is_question:
            continue
        if field_type.parts:
            raw[name] = {part: post.get(f"{name}__{part}", "") for part, _ in field_type.parts}
        elif spec["type"] == "multiple_choice":
            raw[name] = post.getlist(name)
        elif spec["type"] == "consent":
            raw[name] = post.get(name) == "on"
        else:
            raw[name] = post.get(name, "")
    return raw


# What a browser may fill each part of a name or an address with (the HTML standard's autocomplete
# tokens; フリガナ has none); a part that may stay empty is never marked invalid with its question.
PART_AUTOCOMPLETE = {
    "family": "family-name",
    "given": "given-name",
    "postal_code": "postal-code",
    "address": "address-line1",
    "building": "address-line2",
}
OPTIONAL_PARTS = frozenset({"building"})


def fill_address(fields: list[FieldSpec], raw: dict, name: str) -> dict[str, list[str]]:
    """Fills the address of field ``name`` from its postal code (the 検索 button); returns the
    error to show next to it, if any."""
    spec = next((s for s in fields if s["name"] == name and s["type"] == "address"), None)
    if spec is None:
        return {}
    value = raw.get(name) or {}
    try:
        code = japanese.normalize_postal_code(value.get("postal_code", ""))
    except ValueError as error:
        return {name: [str(error)]}
    area = postal.lookup(code)
    if area is None:
        return {
            name: [
                gettext("郵便番号 %(code)s は見つかりません。番号を確認してください。")
                % {"code": code}
            ]
        }
    raw[name] = {**value, "postal_code": code, "address": area.address}
    return {}


def raw_from_data(fields: list[FieldSpec], data: dict) -> dict:
    """Stored (cleaned) data shown back in the form, e.g. when correcting a returned application."""
    raw = {}
    for spec in fields:
        value = data.get(spec["name"])
        if value is None:
            continue
        raw[spec["name"]] = value
    return raw


def _condition_text(spec: FieldSpec, by_name: dict) -> str:
    condition = spec.get("show_if")
    if not condition:
        if spec.get("relevant"):
            return "前の回答によって不要な場合があります。該当しない場合は空欄のままで構いません。"
        return ""
    controller = by_name.get(condition["field"])
    labels = (
        {choice["value"]: choice["label"] for choice in controller.get("choices", [])}
        if controller
        else {}
    )
    chosen = "」「".join(labels.get(value, value) for value in condition["values"])
    return f"「{controller['label'] if controller else condition['field']}」で「{chosen}」を選んだ方のみお答えください。"


def widgets(
    fields: list[FieldSpec],
    raw: dict,
    errors: dict,
    *,
    files: dict | None = None,
    only: frozenset[str] | None = None,
) -> list[dict]:
    """One entry per question (of those named ``only``, e.g. one page's): everything the
    template needs to render it accessibly."""
    by_name = {spec["name"]: spec for spec in fields}
    result = []
    for spec in fields:
        name = spec["name"]
        field_type = field_types.get(spec["type"])
        if spec["type"] == "calculate" or (only is not None and name not in only):
            continue
        if spec["type"] in field_renderers:
            entry = field_renderers.get(spec["type"]).widget(spec, raw.get(name), errors)
            entry["condition"] = _condition_text(spec, by_name)
            entry["show_if_field"] = (spec.get("show_if") or {}).get("field", "")
            entry["show_if_values"] = "|".join((spec.get("show_if") or {}).get("values", []))
            result.append(entry)
            continue
        # A question not yet answered starts from the form's default.
        value = raw[name] if name in raw else spec.get("default")
        if spec["type"] == "multiple_choice" and isinstance(value, str):
            value = value.split()
        if spec["type"] == "yes_no" and isinstance(value, bool):
            value = "yes" if value else "no"  # a stored answer, shown back on its radio button
        entry = {
            "name": name,
            "id": f"field-{name}",
            "type": spec["type"],
            "label": spec["label"],
            "help": " ".join(text for text in (spec.get("help", ""), _steps(spec)) if text),
            "required": bool(spec.get("required")),
            "decimal": bool(spec.get("decimal")),
            "errors": errors.get(name, []),
            "condition": _condition_text(spec, by_name),
            "show_if_field": (spec.get("show_if") or {}).get("field", ""),
            "show_if_values": "|".join((spec.get("show_if") or {}).get("values", [])),
            "value": value
            if isinstance(value, str | int | float) and not isinstance(value, bool)
            else "",
            "checked": value is True,
            "uses_fieldset": bool(field_type.parts)
            or field_type.has_choices
            or spec["type"] in ("consent", "yes_no"),
            "max_length": spec.get("max_length"),
            "minimum": spec.get("minimum"),
            "maximum": spec.get("maximum"),
            "attached": (files or {}).get(name),
            # What the browser's file picker offers; the server checks again (``check_upload``).
            "accept": ",".join(
                extension
                for kind in spec.get("accept", [])
                for extension in upload_kinds.KINDS[kind].extensions
            ),
        }
        entry["describedby"] = " ".join(
            part
            for part, present in (
                (f"{entry['id']}-condition", entry["condition"]),
                (f"{entry['id']}-help", entry["help"]),
                (f"{entry['id']}-error", entry["errors"]),
            )
            if present
        )
        if field_type.has_choices:
            selected = value if isinstance(value, list) else [value]
            entry["choices"] = [
                {
                    "value": c["value"],
                    "label": c["label"],
                    "checked": c["value"] in selected,
                    "id": f"field-{name}-{index}",
                }
                for index, c in enumerate(spec.get("choices", []))
            ]
        if field_type.parts:
            if isinstance(value, str):  # a default, written as one text ("34.73 136.50")
                try:
                    value = field_type.normalise(value, spec)
                except FieldInputError:
                    value = None
            values = value if isinstance(value, dict) else {}
            entry["parts"] = [
                {
                    "name": f"{name}__{part}",
                    "id": f"field-{name}-{part}",
                    "label": label,
                    "value": values.get(part, ""),
                    "autocomplete": PART_AUTOCOMPLETE.get(part, ""),
                    "optional": part in OPTIONAL_PARTS,
                }
                for part, label in field_type.parts
            ]
        result.append(entry)
    return result
