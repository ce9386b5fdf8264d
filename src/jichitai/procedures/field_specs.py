"""What a form field is: the stored specification (``FieldSpec``), the errors a field's input
raises, and ``FieldType``, the behaviour each registered type gives it (``fields.py`` registers
them)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from django.utils import translation
from django.utils.translation import gettext


class Choice(TypedDict):
    value: str
    label: str
    # {language code: {"label": …}}: the label in other languages.
    translations: NotRequired[dict[str, dict[str, str]]]
    # Further columns of the choices sheet, which a ``choice_filter`` reads (e.g. "state").
    filters: NotRequired[dict[str, str]]


class Condition(TypedDict):
    """``show_if``: the field is asked only when the earlier choice field ``field`` has one of
    ``values``."""

    field: str
    values: list[str]


class FieldSpec(TypedDict):
    """One field of a form as stored in ``FormVersion.fields`` / ``Procedure.draft_fields`` (what
    the builder edits and the XLSForm import produces). ``name``, ``type`` (a registered field
    type) and ``label`` are always there; the rest depends on the type."""

    name: str
    type: str
    label: str
    help: NotRequired[str]
    required: NotRequired[bool]
    choices: NotRequired[list[Choice]]
    show_if: NotRequired[Condition]
    max_length: NotRequired[int]
    min_length: NotRequired[int]
    minimum: NotRequired[int | float]
    maximum: NotRequired[int | float]
    decimal: NotRequired[bool]
    step: NotRequired[int | float]  # answers are minimum (or 0) plus a whole number of steps
    # type "file": the upload kinds (``core.uploads.KINDS``) this question takes, narrower than
    # the procedure's attachment policy (a picture question: jpeg and png).
    accept: NotRequired[list[str]]
    # XLSForm expressions (see ``expressions``), decided on the server for every channel.
    relevant: NotRequired[str]  # asked only when it holds (with ``show_if``, both must)
    constraint: NotRequired[str]  # ``.`` is the answer
    constraint_message: NotRequired[str]
    required_if: NotRequired[str]  # required only when it holds
    required_message: NotRequired[str]
    calculation: NotRequired[str]  # type "calculate": the stored value
    choice_filter: NotRequired[str]  # which choices are offered, given earlier answers
    default: NotRequired[str]  # the answer a resident starts with
    # {language code: {"label"|"help"|"constraint_message"|"required_message": text}}
    translations: NotRequired[dict[str, dict[str, str]]]
    # type "repeat" (``repeats``): the fields of one row, answered min_repeat..max_repeat times
    children: NotRequired[list["FieldSpec"]]
    min_repeat: NotRequired[int]
    max_repeat: NotRequired[int]
    repeat_count: NotRequired[str]  # an expression: exactly that many rows
    row_unit: NotRequired[str]  # 「2 人目」: 人, 件 …
    # Only in a form shown in another language (``translations.translate``): how a row is named,
    # e.g. "{label} n.º {number}".
    row_legend: NotRequired[str]


class FieldInputError(ValueError):
    """A value that cannot be read as the field's type; the message is for the applicant."""


class FieldErrors(FieldInputError):
    """Messages for parts of one field (the rows of a repeating group), keyed by the part's name
    as the resident's page and the API name it (``children.1.birth_date``)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(message for messages in errors.values() for message in messages))
        self.errors = errors


@dataclass(frozen=True)
class FieldType:
    name: str
    label: str
    schema: Callable[[FieldSpec], dict]
    # Turns submitted input (form strings or JSON values) into the stored value; raises
    # FieldInputError. Empty input returns None.
    normalise: Callable[[object, FieldSpec], object]
    display: Callable[[object, FieldSpec], str] = field(
        default=lambda value, spec: plain_display(value)
    )
    has_choices: bool = False
    is_file: bool = False
    # Sub-fields for compound types (name, address), in the order they are shown.
    parts: tuple[tuple[str, str], ...] = ()
    # False for what a resident does not answer: notes and section headings show text,
    # calculations are computed from the answers.
    is_question: bool = True
    stores_value: bool = True
    # A check of the normalised value that needs the earlier answers: (value, spec, answers) →
    # message or None (a repeat's count taken from an answer).
    check: Callable[[object, FieldSpec, dict], str | None] | None = None
    # What makes a field of this type unusable, for the builder: (spec, where) → messages.
    problems: Callable[[FieldSpec, str], list[str]] | None = None


def plain_display(value) -> str:
    """An answer as the reader's language shows it: 「はい」 on staff pages and in exports,
    「Sim」 on a Portuguese resident's confirmation."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("はい") if value else gettext("いいえ")
    if isinstance(value, list):
        return joined(str(item) for item in value)
    return str(value)


def joined(items, *, japanese: str = "、") -> str:
    """Several answers in one line: 「A、B」 in Japanese, 「A, B」 in the other languages."""
    language = translation.get_language() or "ja"
    return (japanese if language.startswith("ja") else ", ").join(items)


def is_empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or value == []
        or value == {}
    )
