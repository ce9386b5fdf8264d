"""A repeating group on the resident's page (see ``repeats``). Each row is a fieldset named
「子ども 2 人目」 holding the child questions, rendered by the same ``rendering.widgets`` under
the names ``<repeat>.<index>.<child>`` (the validator's error keys, so each message sits next to
its input). 「追加」 and 「削除」 are submit buttons: without JavaScript the page comes back with one
row more or less and everything typed kept; with JavaScript (``repeats.js``) rows are added from
the page's ``<template>`` and removed in place. Which rows the page holds, in order, is told by the
hidden ``<repeat>.row`` input of each row."""

import copy
from types import SimpleNamespace

from django.utils.translation import gettext

from jichitai.procedures import repeats
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.registry import field_renderers
from jichitai.procedures.rendering import raw_from_post, widgets

ADD = "repeat_add:"
REMOVE = "repeat_remove:"
TEMPLATE_INDEX = "__index__"


class _RowPost:
    """The POST of one row, read with the child fields' own names."""

    def __init__(self, post, prefix: str):
        self.post = post
        self.prefix = prefix

    def get(self, key, default=None):
        return self.post.get(self.prefix + key, default)

    def getlist(self, key):
        return self.post.getlist(self.prefix + key)


def _row_indices(spec: FieldSpec, post) -> list[str]:
    indices = []
    for index in post.getlist(f"{spec['name']}.row"):
        if index.isdigit() and index not in indices:
            indices.append(index)
    return indices[: repeats.MAX_REPEAT]


def rows_from_post(spec: FieldSpec, post) -> list[dict]:
    return [
        raw_from_post(spec.get("children", []), _RowPost(post, f"{spec['name']}.{index}."))
        for index in _row_indices(spec, post)
    ]


def is_row_action(action: str) -> bool:
    return action.startswith((ADD, REMOVE))


def apply_row_action(fields: list[FieldSpec], raw: dict, action: str) -> None:
    """「追加」 (``repeat_add:<repeat>``) or 「削除」 (``repeat_remove:<repeat>:<index>``) on the
    rows typed so far, within the repeat's bounds."""
    name, _, index = action.partition(":")[2].partition(":")
    spec = next((s for s in fields if s["name"] == name and s["type"] == repeats.REPEAT), None)
    if spec is None:
        return
    fewest, most = repeats.bounds(spec)
    rows = list(raw.get(name) or [])
    if action.startswith(ADD) and len(rows) < most:
        rows.append({})
    elif action.startswith(REMOVE) and len(rows) > fewest and index in map(str, range(len(rows))):
        rows.pop(int(index))
    raw[name] = rows


def _row_fields(spec: FieldSpec, index) -> list[FieldSpec]:
    prefix = f"{spec['name']}.{index}."
    names = {child["name"] for child in spec.get("children", [])}
    row = []
    for child in copy.deepcopy(spec.get("children", [])):
        child["name"] = prefix + child["name"]
        if child.get("show_if", {}).get("field") in names:
            child["show_if"]["field"] = prefix + child["show_if"]["field"]
        row.append(child)
    return row


def _row(spec: FieldSpec, index, number, values: dict, errors: dict) -> dict:
    prefix = f"{spec['name']}.{index}."
    return {
        "index": index,
        "number": number,
        "questions": widgets(
            _row_fields(spec, index), {prefix + k: v for k, v in values.items()}, errors
        ),
    }


def widget(spec: FieldSpec, rows, errors: dict) -> dict:
    """What ``_repeat.html`` needs: the rows as typed (or ``min_repeat`` empty ones on a new
    page), their questions and errors, and one empty row for the script to copy."""
    fewest, most = repeats.bounds(spec)
    if rows is None:
        rows = [{} for _ in range(fewest)]
    rows = [row if isinstance(row, dict) else {} for row in rows][:most]
    counter = repeats.unit(spec)
    values = {"fewest": fewest, "most": most, "counter": counter}
    if fewest == most:
        bounds = gettext("%(most)s %(counter)s分を入力してください。") % values
    elif fewest:
        bounds = gettext("%(fewest)s〜%(most)s %(counter)sを入力してください。") % values
    else:
        bounds = gettext("%(most)s %(counter)sまで入力できます。") % values
    return {
        "name": spec["name"],
        "id": f"field-{spec['name']}",
        "type": repeats.REPEAT,
        "label": spec["label"],
        "help": spec.get("help", ""),
        "bounds": bounds,
        "unit": counter,
        # The row's name around its number, which the page's script renumbers.
        "legend_before": repeats.row_legend(spec)[0],
        "legend_after": repeats.row_legend(spec)[1],
        "min": fewest,
        "max": most,
        "errors": errors.get(spec["name"], []),
        "uses_fieldset": True,
        "describedby": " ".join(
            part
            for part, present in (
                (f"field-{spec['name']}-help", spec.get("help")),
                (f"field-{spec['name']}-bounds", True),
                (f"field-{spec['name']}-error", errors.get(spec["name"])),
            )
            if present
        ),
        "rows": [_row(spec, index, index + 1, row, errors) for index, row in enumerate(rows)],
        "template_row": _row(spec, TEMPLATE_INDEX, "", {}, {}),
        "can_add": len(rows) < most,
        "can_remove": len(rows) > fewest,
    }


field_renderers.register(repeats.REPEAT, SimpleNamespace(from_post=rows_from_post, widget=widget))
