"""XLSForm's ``begin loop over <list>``: the loop's questions asked once for each choice of a list
(its columns). A loop is read as pyxform itself writes it, one group per column with the loop's
condition, so that the rest of the reader sees plain groups (pages at the survey's top, sections
within a page): each question is named after its column
(``car_total``), ``%(label)s`` in a label or hint becomes the column's label in the same language,
and the loop's references to its own questions (``../total``, ``${total}``) become references to
the same column's question."""

import copy
import re
from typing import Any

_SIBLING = re.compile(r"(?:current\(\)/)?\.\./([A-Za-z_][\w.-]*)")
_REFERENCE = re.compile(r"\$\{([^}]+)\}")


def expanded_loop(loop: dict) -> list[dict]:
    questions = {child.get("name", "") for child in loop.get("children", [])}
    return [
        {
            "type": "group",
            "name": f"{loop.get('name', '')}_{column['name']}",
            "label": column.get("label", column["name"]),
            "bind": {"relevant": loop.get("bind", {}).get("relevant", "")},
            "children": [
                _for_column(child, column, questions) for child in loop.get("children", [])
            ],
        }
        for column in loop.get("columns", [])
    ]


def renamed_rows(loop: dict, rows: dict[str, int]) -> dict[str, int]:
    """The survey rows of the expanded questions: each column's copy is on its question's row."""
    return {
        f"{column['name']}_{child.get('name', '')}": rows[child.get("name", "")]
        for column in loop.get("columns", [])
        for child in loop.get("children", [])
        if child.get("name", "") in rows
    }


def _for_column(question: dict, column: dict, questions: set[str]) -> dict:
    prefix = column["name"]

    def local(text: str) -> str:
        text = _SIBLING.sub(lambda m: f"${{{prefix}_{m[1]}}}" if m[1] in questions else m[0], text)
        return _REFERENCE.sub(
            lambda m: f"${{{prefix}_{m[1]}}}" if m[1] in questions else m[0], text
        )

    copied = copy.deepcopy(question)
    copied["name"] = f"{prefix}_{question.get('name', '')}"
    for key in ("label", "hint"):
        if key in copied:
            copied[key] = _with_column_label(copied[key], column.get("label", prefix))
    copied["bind"] = {
        key: local(value) if isinstance(value, str) else value
        for key, value in copied.get("bind", {}).items()
    }
    if "children" in copied:
        copied["children"] = [_for_column(child, column, questions) for child in copied["children"]]
    return copied


def _with_column_label(text: Any, column_label: Any) -> Any:
    """``%(label)s`` replaced by the column's label, language by language."""
    if isinstance(text, str):
        label = column_label if isinstance(column_label, str) else _any(column_label)
        return text.replace("%(label)s", label)
    if isinstance(text, dict):
        return {
            language: value.replace(
                "%(label)s",
                column_label
                if isinstance(column_label, str)
                else column_label.get(language) or _any(column_label),
            )
            for language, value in text.items()
        }
    return text


def _any(labels: dict) -> str:
    return next((value for value in labels.values() if value), "")
