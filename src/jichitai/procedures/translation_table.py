"""The staff's translation table: every text of a form a resident reads (the procedure's name
and description, each field's label, hint and messages, each choice's label, also inside
repeating groups), the Japanese beside its translation into one language, and the form with the
translations typed in that table.

A text is named by where it is (the field's path, which text, the choice's value), so that a
translation follows its field when the form is edited later, as long as the Japanese it
translates did not change."""

import copy
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.translations import DJANGO_LANGUAGES, LANGUAGES, TRANSLATED_KEYS

# The languages staff translate a form into (Japanese is the form's own).
TRANSLATABLE_LANGUAGES = {code: name for code, name in LANGUAGES.items() if code != "ja"}
CHOICE = "choice"
# The procedure's own texts, which no field holds: their place has an empty path.
PROCEDURE_KEYS = ("name", "description")
KINDS = {
    "name": _("手続名"),
    "description": _("手続の説明"),
    "label": _("見出し"),
    "help": _("説明"),
    "constraint_message": _("入力条件のメッセージ"),
    "required_message": _("必須のメッセージ"),
    CHOICE: _("選択肢"),
}
# The longest text the builder takes for each kind, translations included.
MAX_LENGTHS = {
    "name": 200,
    "description": 2000,
    "label": 200,
    "help": 500,
    "constraint_message": 200,
    "required_message": 200,
    CHOICE: 200,
}


@dataclass(frozen=True)
class Text:
    path: str  # the field's name; ``children/child_name`` inside a repeating group; "" for
    # the procedure's own name and description
    key: str  # one of TRANSLATED_KEYS, or CHOICE
    choice: str  # the choice's value ("" for a field's own text)
    field_label: str  # the field's Japanese label, to say whose text this is
    japanese: str
    translated: str

    @property
    def place(self) -> tuple[str, str, str]:
        return (self.path, self.key, self.choice)

    @property
    def kind(self) -> str:
        return str(KINDS[self.key])

    @property
    def max_length(self) -> int:
        return MAX_LENGTHS[self.key]


def _with_paths(fields: list[FieldSpec], prefix: str = ""):
    for spec in fields:
        path = f"{prefix}{spec['name']}"
        yield path, spec
        yield from _with_paths(spec.get("children", []), f"{path}/")


def texts(fields: list[FieldSpec], code: str) -> list[Text]:
    """The form's texts in the form's order, with their translation into ``code`` ("" if
    none)."""
    found = []
    for path, spec in _with_paths(fields):
        if spec["type"] == "calculate":  # never shown to the resident
            continue
        translated = spec.get("translations", {}).get(code, {})
        for key in TRANSLATED_KEYS:
            if spec.get(key):
                found.append(Text(path, key, "", spec["label"], spec[key], translated.get(key, "")))
        for choice in spec.get("choices", []):
            label = choice.get("translations", {}).get(code, {}).get("label", "")
            found.append(Text(path, CHOICE, choice["value"], spec["label"], choice["label"], label))
    return found


def _set(holder: dict, code: str, key: str, text: str) -> None:
    """Puts (or, when empty, removes) one translation, leaving no empty dictionaries."""
    translations = holder.setdefault("translations", {})
    in_language = translations.setdefault(code, {})
    if text:
        in_language[key] = text
    else:
        in_language.pop(key, None)
    if not in_language:
        del translations[code]
    if not translations:
        del holder["translations"]


def translated(
    fields: list[FieldSpec], code: str, by_place: dict[tuple[str, str, str], str]
) -> list[FieldSpec]:
    """A copy of the form with the translations into ``code`` of the texts ``by_place`` names
    (an empty text removes a translation); the stored form is left as it is."""
    result = copy.deepcopy(fields)
    for path, spec in _with_paths(result):
        for key in TRANSLATED_KEYS:
            if (path, key, "") in by_place:
                _set(spec, code, key, by_place[(path, key, "")])
        for choice in spec.get("choices", []):
            if (path, CHOICE, choice["value"]) in by_place:
                _set(choice, code, "label", by_place[(path, CHOICE, choice["value"])])
    return result


def carried_over(source: list[FieldSpec], target: list[FieldSpec], code: str) -> list[FieldSpec]:
    """``target`` with the translations into ``code`` that ``source`` has for the same texts:
    same place and same Japanese (a translation of words since changed is not carried)."""
    known = {text.place: text for text in texts(source, code)}
    by_place = {
        text.place: known[text.place].translated
        for text in texts(target, code)
        if text.place in known and known[text.place].japanese == text.japanese
    }
    return translated(target, code, by_place)


def procedure_texts(procedure, code: str) -> list[Text]:
    """The procedure's name and description (when it has one) with their translation into
    ``code``; a translation made from Japanese since changed counts as none."""
    found = []
    for key in PROCEDURE_KEYS:
        japanese = getattr(procedure, key)
        if japanese:
            found.append(Text("", key, "", "", japanese, _kept(procedure, code, key) or ""))
    return found


def current_translations(procedure) -> list[str]:
    """Every translation of the procedure's name and description still made from its Japanese."""
    return [
        text
        for code in procedure.translations
        for key in PROCEDURE_KEYS
        if (text := _kept(procedure, code, key))
    ]


def _kept(procedure, code: str, key: str) -> str | None:
    kept = procedure.translations.get(code, {}).get(key, {})
    return kept["text"] if kept.get("japanese") == getattr(procedure, key) else None


def translated_procedure(procedure, code: str, by_place: dict[tuple[str, str, str], str]) -> dict:
    """The procedure's translations with those of its name and description into ``code`` that
    ``by_place`` names (an empty text removes one), each kept with the Japanese it translates."""
    result = copy.deepcopy(procedure.translations)
    for key in PROCEDURE_KEYS:
        if ("", key, "") not in by_place:
            continue
        text = by_place[("", key, "")]
        in_language = result.setdefault(code, {})
        if text:
            in_language[key] = {"japanese": getattr(procedure, key), "text": text}
        else:
            in_language.pop(key, None)
        if not in_language:
            del result[code]
    return result


def procedure_text(procedure, key: str, code: str | None = None) -> str:
    """The procedure's ``key`` ("name" or "description") as a resident reading ``code`` (by
    default the language active now) sees it: its translation, or the Japanese."""
    if code is None:
        active = translation.get_language() or "ja"
        code = {django: ours for ours, django in DJANGO_LANGUAGES.items()}.get(active, active)
    return _kept(procedure, code, key) or getattr(procedure, key)
