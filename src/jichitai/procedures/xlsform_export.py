"""A form written back as an XLSForm workbook (survey and choices sheets), which ``xlsform`` reads
to the same fields: the round trip lets a form be edited in Excel, shared, or opened in another
XLSForm tool."""

import io

from openpyxl import Workbook

from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.xlsform_types import PICTURE_KINDS

OWN_TYPES = {
    "email",
    "phone",
    "postal_code",
    "name",
    "address",
    "persons",
    "date",
    "note",
    "file",
    "yes_no",
}
# Types XLSForm has under another name.
XLSFORM_TYPES = {"time": "time", "datetime": "dateTime", "geopoint": "geopoint"}
EXPRESSIONS = ("relevant", "constraint", "required_if", "calculation", "choice_filter")


def _type(spec: FieldSpec, list_name: str) -> str:
    kind = spec["type"]
    if kind == "single_choice":
        return f"select_one {list_name}"
    if kind == "multiple_choice":
        return f"select_multiple {list_name}"
    if kind in {"text", "textarea"}:
        return "text"
    if kind == "number" and spec.get("step"):
        return "range"
    if kind == "number":
        return "decimal" if spec.get("decimal") else "integer"
    if kind == "file" and spec.get("accept") == PICTURE_KINDS:
        return "image"
    if kind == "consent":
        return "acknowledge"
    if kind in XLSFORM_TYPES:
        return XLSFORM_TYPES[kind]
    if kind in OWN_TYPES | {"calculate"}:
        return kind
    raise ValueError(kind)


def _constraint(spec: FieldSpec) -> str:
    parts = [f"({spec['constraint']})"] if spec.get("constraint") else []
    if spec["type"] == "number" and not spec.get("step"):  # a range's bounds are its parameters
        if spec.get("minimum") not in (None, ""):
            parts.append(f". >= {spec['minimum']}")
        if spec.get("maximum") not in (None, ""):
            parts.append(f". <= {spec['maximum']}")
    if spec.get("max_length"):
        parts.append(f"string-length(.) <= {spec['max_length']}")
    if len(parts) == 1 and spec.get("constraint"):
        return spec["constraint"]
    return " and ".join(parts)


def _parameters(spec: FieldSpec) -> str:
    if spec["type"] != "number" or not spec.get("step"):
        return ""
    return f"start={spec['minimum']} end={spec['maximum']} step={spec['step']}"


def _relevant(spec: FieldSpec, section: str) -> str:
    """The field's own condition: the section's, which import added to it, is on the group."""
    relevant = spec.get("relevant", "")
    if section and relevant == section:
        relevant = ""
    elif section and relevant.startswith(f"({section}) and (") and relevant.endswith(")"):
        relevant = relevant[len(section) + 8 : -1]
    if spec.get("show_if"):
        condition = spec["show_if"]
        chosen = " or ".join(
            f"selected(${{{condition['field']}}}, '{value}')" for value in condition["values"]
        )
        relevant = f"({relevant}) and ({chosen})" if relevant else chosen
    return relevant


def _question_row(spec: FieldSpec, section: str, list_name: str) -> dict:
    return {
        "type": _type(spec, list_name),
        "name": spec["name"],
        "label": spec["label"],
        "hint": spec.get("help", ""),
        "required": "yes" if spec.get("required") else spec.get("required_if", ""),
        "required_message": spec.get("required_message", ""),
        "relevant": _relevant(spec, section),
        "constraint": _constraint(spec),
        "constraint_message": spec.get("constraint_message", ""),
        "default": spec.get("default", ""),
        "calculation": spec.get("calculation", ""),
        "choice_filter": spec.get("choice_filter", ""),
        "appearance": "multiline" if spec["type"] == "textarea" else "",
        "parameters": _parameters(spec),
    }


def _repeat_row(spec: FieldSpec, section: str) -> dict:
    """``begin repeat``: a fixed number of rows is XLSForm's ``repeat_count``; the bounds and the
    row unit, which XLSForm has no column for, go to this platform's own columns (other tools
    ignore them, pyxform passes them through)."""
    fewest, most = spec.get("min_repeat"), spec.get("max_repeat")
    fixed = fewest is not None and fewest == most
    return {
        "type": "begin repeat",
        "name": spec["name"],
        "label": spec["label"],
        "hint": spec.get("help", ""),
        "relevant": _relevant(spec, section),
        "repeat_count": str(fewest) if fixed else spec.get("repeat_count", ""),
        "min_repeat": None if fixed or fewest is None else str(fewest),
        "max_repeat": None if fixed or most is None else str(most),
        "row_unit": spec.get("row_unit", ""),
    }


def write_xlsform(fields: list[FieldSpec]) -> bytes:
    every = [*fields, *(child for spec in fields for child in spec.get("children", []))]
    languages = sorted(
        {code for spec in every for code in spec.get("translations", {})}
        | {
            code
            for spec in every
            for choice in spec.get("choices", [])
            for code in choice.get("translations", {})
        }
    )
    texts = ("label", "help", "constraint_message", "required_message")
    columns = {"label": "label", "help": "hint"}
    header = ["type", "name", "label", "hint", "required", "required_message", "relevant"]
    header += ["constraint", "constraint_message", "default", "calculation", "choice_filter"]
    header += ["appearance", "parameters", "repeat_count", "min_repeat", "max_repeat", "row_unit"]
    for code in languages:
        for key in texts:
            header.append(f"{columns.get(key, key)}::{code} ({code})")
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(header)
    choices_sheet = book.create_sheet("choices")
    filter_keys = sorted(
        {key for spec in every for c in spec.get("choices", []) for key in c.get("filters", {})}
    )
    choices_sheet.append(
        ["list_name", "name", "label", *[f"label::{c} ({c})" for c in languages], *filter_keys]
    )
    section = ""
    # Pages are top-level groups (``field-list``: one screen), sections groups within them; a
    # section before any page goes in an untitled page, as a top-level group would become one.
    in_page = in_section = False
    names = {spec["name"] for spec in fields}

    def append(spec: FieldSpec, row: dict, list_name: str = "") -> None:
        for code in languages:
            translated = spec.get("translations", {}).get(code, {})
            for key in texts:
                row[f"{columns.get(key, key)}::{code} ({code})"] = translated.get(key, "")
        survey.append([row.get(column) or None for column in header])
        for choice in spec.get("choices", []):
            choices_sheet.append(
                [
                    list_name or spec["name"],
                    choice["value"],
                    choice["label"],
                    *[
                        choice.get("translations", {}).get(code, {}).get("label") or None
                        for code in languages
                    ],
                    *[choice.get("filters", {}).get(key) for key in filter_keys],
                ]
            )

    for spec in fields:
        if spec["type"] == "page" or (spec["type"] == "section" and not in_page):
            if in_section:
                survey.append(["end group"])
            if in_page:
                survey.append(["end group"])
            in_section, in_page, section = False, True, ""
            if spec["type"] == "section":
                name = next(
                    f"page_{n}" for n in range(1, len(names) + 2) if f"page_{n}" not in names
                )
                survey.append(
                    [
                        {"type": "begin group", "name": name, "appearance": "field-list"}.get(c)
                        for c in header
                    ]
                )
        if spec["type"] == "page":
            row = {"type": "begin group", "name": spec["name"], "label": spec["label"]}
            row.update(relevant=_relevant(spec, ""), appearance="field-list")
            append(spec, row)
        elif spec["type"] == "section":
            if in_section:
                survey.append(["end group"])
            section = spec.get("relevant", "")
            in_section = True
            row = {"type": "begin group", "name": spec["name"], "label": spec["label"]}
            row["relevant"] = section
            append(spec, row)
        elif spec["type"] == "repeat":
            # A repeat is a group of its own kind: on a page, inside its group; before any page,
            # at the top (where a plain group would become a page).
            append(spec, _repeat_row(spec, section))
            for child in spec.get("children", []):
                # A row's field may share its name with one outside the row: its choices
                # list is named after both.
                list_name = f"{spec['name']}__{child['name']}"
                append(child, _question_row(child, "", list_name), list_name)
            survey.append(["end repeat"])
        else:
            append(spec, _question_row(spec, section, spec["name"]))
    for _open in range(in_section + in_page):
        survey.append(["end group"])
    if any(
        len({c["value"] for c in spec.get("choices", [])}) < len(spec.get("choices", []))
        for spec in every
    ):
        # A filtered list may repeat a value (the same county name in two states).
        settings = book.create_sheet("settings")
        settings.append(["allow_choice_duplicates"])
        settings.append(["yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
