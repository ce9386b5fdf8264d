"""Field types of application forms. Each type knows its JSON Schema fragment, how to normalise what
a person typed (和暦 dates, full-width digits, postal codes …) and how to show a stored value.
The registry is the single list of what the form builder, the XLSForm import, the validator and
the exports understand."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NotRequired, TypedDict

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from jichitai.core import japanese
from jichitai.core import uploads as upload_kinds
from jichitai.procedures import postal as postal_areas
from jichitai.procedures.registry import field_types


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
    display: Callable[[object, FieldSpec], str] = field(default=lambda value, spec: _plain(value))
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


def _plain(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)


def _empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or value == []
        or value == {}
    )


def _text(value, spec: FieldSpec):
    if _empty(value):
        return None
    if not isinstance(value, str | int | float):
        raise FieldInputError(gettext("文字で入力してください。"))
    text = japanese.normalize_width(str(value)).strip()
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise FieldInputError(gettext("使用できない制御文字が含まれています。"))
    return text


def _string_schema(spec: FieldSpec, default_max: int) -> dict:
    schema = {"type": "string", "maxLength": int(spec.get("max_length") or default_max)}
    if spec.get("min_length"):
        schema["minLength"] = int(spec["min_length"])
    return schema


def _number(value, spec: FieldSpec):
    if _empty(value):
        return None
    if isinstance(value, bool):
        raise FieldInputError(gettext("数字で入力してください。"))
    if isinstance(value, int | float):
        return value
    text = japanese.normalize_width(str(value)).replace(",", "").strip()
    try:
        number = float(text) if spec.get("decimal") else int(text)
    except ValueError:
        raise FieldInputError(
            gettext("数字で入力してください。")
            if spec.get("decimal")
            else gettext("整数で入力してください。")
        ) from None
    return number


def _number_schema(spec: FieldSpec) -> dict:
    schema = {"type": "number" if spec.get("decimal") else "integer"}
    if spec.get("minimum") not in (None, ""):
        schema["minimum"] = spec["minimum"]
    if spec.get("maximum") not in (None, ""):
        schema["maximum"] = spec["maximum"]
    return schema


def _off_step(value, spec: FieldSpec, answers: dict) -> str | None:
    """A number between steps (7.3 where the steps are 0, 0.5, 1 …), counted in decimals so
    0.1 steps are exact."""
    step = spec.get("step")
    if value is None or not step:
        return None
    start = spec.get("minimum") or 0
    if (Decimal(str(value)) - Decimal(str(start))) % Decimal(str(step)) == 0:
        return None
    return gettext("%(start)sから%(step)sきざみの値を入力してください。") % {
        "start": start,
        "step": step,
    }


def _number_problems(spec: FieldSpec, where: str) -> list[str]:
    """A number in steps is XLSForm's range: it runs between a least and a greatest value."""
    step = spec.get("step")
    if step is None:
        return []
    if isinstance(step, bool) or not isinstance(step, int | float) or step <= 0:
        return [f"{where}: きざみは 0 より大きい数にしてください。"]
    if spec.get("minimum") in (None, "") or spec.get("maximum") in (None, ""):
        return [f"{where}: きざみを使うときは、最小値と最大値も入力してください。"]
    return []


def _persons_schema(spec: FieldSpec) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": int(spec.get("maximum") or 10)}


def _date(value, spec: FieldSpec):
    if _empty(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return japanese.parse_date(str(value)).isoformat()
    except ValueError as error:
        raise FieldInputError(str(error)) from None


def _date_display(value, spec: FieldSpec) -> str:
    """令和6年4月1日 in Japanese (and English) pages and exports; 2024-04-01 for a resident
    reading another language, who may not know the eras (as the ``wareki`` filter)."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    language = translation.get_language() or "ja"
    if language.startswith("ja") or language == "en":
        return japanese.format_wareki(day)
    return day.isoformat()


def _time_error() -> FieldInputError:
    return FieldInputError(gettext("時刻は「9:30」のように、0:00〜23:59で入力してください。"))


_TIME = re.compile(
    r"^(?P<half>午前|午後|AM|PM)?\s*(?P<hour>\d{1,2})\s*(?::|時)\s*(?P<minute>\d{1,2})?\s*分?"
    # XLSForm and browsers may add seconds and a time zone (09:30:00.000+09:00): the minute counts.
    r"(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def _time_text(text: str) -> str:
    """「9:30」「９時３０分」「午後6時5分」「09:30:00.000+09:00」 → 09:30 / 18:05."""
    match = _TIME.match(japanese.normalize_width(text).replace("：", ":").strip())
    if not match:
        raise _time_error()
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if (match["half"] or "").upper() in {"午後", "PM"} and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        raise _time_error()
    return f"{hour:02d}:{minute:02d}"


def _time(value, spec: FieldSpec):
    if _empty(value):
        return None
    return _time_text(str(value))


def _time_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    hour, minute = value.split(":")
    return f"{int(hour)}時{minute}分"


# The date, then the time after a "T" (the browser's datetime-local), a space or 「日」.
_DATETIME = re.compile(
    r"^(?P<date>.+?)(?:T|\s+|(?<=日))(?P<time>(?:午前|午後|AM|PM)?\s*\d{1,2}\s*(?::|：|時).*)$",
    re.IGNORECASE,
)


def _datetime(value, spec: FieldSpec):
    """Stored as 2026-04-01T09:30, the local time as typed (a time zone an XLSForm value carries
    is not converted: residents answer in Japan's time)."""
    if _empty(value):
        return None
    text = japanese.normalize_width(str(value)).strip()
    match = _DATETIME.match(text)
    if not match:
        raise FieldInputError(gettext("日付と時刻を入力してください。例: 令和8年4月1日 9:30"))
    try:
        day = japanese.parse_date(match["date"].strip())
    except ValueError as error:
        raise FieldInputError(str(error)) from None
    return f"{day.isoformat()}T{_time_text(match['time'])}"


def _datetime_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    day, time = value.split("T")
    return f"{japanese.format_wareki(date.fromisoformat(day))} {_time_display(time, spec)}"


GEOPOINT_PARTS = (("latitude", "緯度"), ("longitude", "経度"))
GEOPOINT_RANGES = {"latitude": 90, "longitude": 180}


def _coordinate(value, part: str) -> float:
    limit = GEOPOINT_RANGES[part]
    message = (
        gettext("緯度は-90〜90の数で入力してください。")
        if part == "latitude"
        else gettext("経度は-180〜180の数で入力してください。")
    )
    if isinstance(value, bool):
        raise FieldInputError(message)
    try:
        number = float(japanese.normalize_width(str(value)).replace("−", "-").strip())
    except ValueError:
        raise FieldInputError(message) from None
    if not -limit <= number <= limit:  # also refuses nan
        raise FieldInputError(message)
    return number


def _geopoint(value, spec: FieldSpec):
    """Latitude and longitude in degrees (WGS84, as a phone's GPS gives them). XLSForm's own form,
    "34.73 136.50 altitude accuracy", is read too; altitude and accuracy are not kept."""
    if _empty(value):
        return None
    if isinstance(value, str):
        numbers = japanese.normalize_width(value).replace(",", " ").split()
        value = dict(zip(("latitude", "longitude"), numbers, strict=False))
    if not isinstance(value, dict):
        raise FieldInputError(gettext("緯度と経度を入力してください。"))
    given = {part: value.get(part) for part, _label in GEOPOINT_PARTS}
    if all(_empty(text) for text in given.values()):
        return None
    if any(_empty(text) for text in given.values()):
        raise FieldInputError(gettext("緯度と経度を入力してください。"))
    return {part: _coordinate(text, part) for part, text in given.items()}


def _geopoint_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    return gettext("緯度 %(latitude)s、経度 %(longitude)s") % value


def _geopoint_schema(spec: FieldSpec) -> dict:
    return {
        "type": "object",
        "properties": {
            part: {"type": "number", "minimum": -limit, "maximum": limit}
            for part, limit in GEOPOINT_RANGES.items()
        },
        "required": list(GEOPOINT_RANGES),
        "additionalProperties": False,
    }


def _email(value, spec: FieldSpec):
    text = _text(value, spec)
    if text is None:
        return None
    text = text.replace("＠", "@")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise FieldInputError(
            gettext("メールアドレスの形式が正しくありません。例: taro@example.jp")
        )
    return text


def _phone(value, spec: FieldSpec):
    if _empty(value):
        return None
    try:
        return japanese.normalize_phone_number(str(value))
    except ValueError as error:
        raise FieldInputError(str(error)) from None


def _postal(value, spec: FieldSpec):
    if _empty(value):
        return None
    try:
        return japanese.normalize_postal_code(str(value))
    except ValueError as error:
        raise FieldInputError(str(error)) from None


# The parts' labels are read in the resident's language when the page or message is made.
NAME_PARTS = (
    ("family", gettext_lazy("姓")),
    ("given", gettext_lazy("名")),
    ("family_kana", gettext_lazy("セイ")),
    ("given_kana", gettext_lazy("メイ")),
)
ADDRESS_PARTS = (
    ("postal_code", gettext_lazy("郵便番号")),
    ("address", gettext_lazy("住所")),
    ("building", gettext_lazy("建物名・部屋番号")),
)


def _name(value, spec: FieldSpec):
    if _empty(value):
        return None
    if not isinstance(value, dict):
        raise FieldInputError(gettext("姓と名を入力してください。"))
    result = {}
    for part, label in NAME_PARTS:
        text = _text(value.get(part), spec) or ""
        if part.endswith("_kana") and text:
            text = japanese.katakana(text)
            if not re.fullmatch(r"[ァ-ヶー\s]+", text):
                raise FieldInputError(
                    gettext("%(part)sはカタカナで入力してください。") % {"part": label}
                )
        result[part] = text
    if not any(result.values()):
        return None
    missing = [str(label) for part, label in NAME_PARTS if not result[part]]
    if missing:
        raise FieldInputError(
            gettext("%(parts)sを入力してください。") % {"parts": "・".join(missing)}
        )
    return result


def _name_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    return f"{value['family']} {value['given']}({value['family_kana']} {value['given_kana']})"


def _name_schema(spec: FieldSpec) -> dict:
    return {
        "type": "object",
        "properties": {
            part: {"type": "string", "minLength": 1, "maxLength": 50} for part, _ in NAME_PARTS
        },
        "required": [part for part, _ in NAME_PARTS],
        "additionalProperties": False,
    }


def _address(value, spec: FieldSpec):
    if _empty(value):
        return None
    if not isinstance(value, dict):
        raise FieldInputError(gettext("郵便番号と住所を入力してください。"))
    postal = _postal(value.get("postal_code"), spec)
    address = _text(value.get("address"), spec)
    building = _text(value.get("building"), spec) or ""
    if not postal and not address and not building:
        return None
    if not postal or not address:
        raise FieldInputError(gettext("郵便番号と住所を入力してください。"))
    problem = postal_areas.disagreement(postal, address)
    if problem:
        raise FieldInputError(problem)
    return {"postal_code": postal, "address": address, "building": building}


def _address_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    return f"〒{value['postal_code']} {value['address']} {value.get('building', '')}".strip()


def _address_schema(spec: FieldSpec) -> dict:
    return {
        "type": "object",
        "properties": {
            "postal_code": {"type": "string", "pattern": r"^\d{3}-\d{4}$"},
            "address": {"type": "string", "minLength": 1, "maxLength": 200},
            "building": {"type": "string", "maxLength": 100},
        },
        "required": ["postal_code", "address"],
        "additionalProperties": False,
    }


def _choice_values(spec: FieldSpec) -> list[str]:
    return list(dict.fromkeys(choice["value"] for choice in spec.get("choices", [])))


def _single(value, spec: FieldSpec):
    if _empty(value):
        return None
    text = str(value)
    if text not in _choice_values(spec):
        raise FieldInputError(gettext("選択肢から選んでください。"))
    return text


def _multiple(value, spec: FieldSpec):
    if _empty(value):
        return None
    if isinstance(value, str) and value not in _choice_values(spec):
        value = value.split()  # XLSForm writes several choices as "a c"
    values = value if isinstance(value, list) else [value]
    values = [str(item) for item in values]
    unknown = [item for item in values if item not in _choice_values(spec)]
    if unknown:
        raise FieldInputError(gettext("選択肢から選んでください。"))
    ordered = list(dict.fromkeys(choice for choice in _choice_values(spec) if choice in values))
    return ordered or None


def _choice_label(value, spec: FieldSpec) -> str:
    labels = {choice["value"]: choice["label"] for choice in spec.get("choices", [])}
    if isinstance(value, list):
        return "、".join(labels.get(item, item) for item in value)
    return labels.get(value, _plain(value))


def _consent(value, spec: FieldSpec):
    if value in (True, "true", "on", "1", 1, "yes"):
        return True
    if _empty(value) or value in (False, "false", "0", 0, "off", "no"):
        return None
    raise FieldInputError(gettext("同意する場合はチェックを入れてください。"))


YES = (True, "yes", "true", "1", 1, "はい")
NO = (False, "no", "false", "0", 0, "いいえ")


def _yes_no(value, spec: FieldSpec):
    """はい/いいえ, stored as a boolean; unlike the 同意 checkbox, 「いいえ」 is an answer."""
    if _empty(value):
        return None
    answer = value.strip().lower() if isinstance(value, str) else value
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise FieldInputError(gettext("「はい」か「いいえ」を選んでください。"))


def _file_problems(spec: FieldSpec, where: str) -> list[str]:
    return [
        f"{where}: 添付できる形式「{kind}」は使えません。"
        for kind in spec.get("accept", [])
        if kind not in upload_kinds.KINDS
    ]


def _file(value, spec: FieldSpec):
    # Files travel outside the data (uploads); the data holds the stored file's reference.
    return None if _empty(value) else value


for field_type in (
    FieldType("text", "1行テキスト", lambda s: _string_schema(s, 200), _text),
    FieldType("textarea", "複数行テキスト", lambda s: _string_schema(s, 4000), _text),
    FieldType(
        "number", "数値", _number_schema, _number, check=_off_step, problems=_number_problems
    ),
    FieldType(
        "date", "日付(和暦可)", lambda s: {"type": "string", "format": "date"}, _date, _date_display
    ),
    FieldType(
        "time",
        "時刻",
        lambda s: {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        _time,
        _time_display,
    ),
    FieldType(
        "datetime",
        "日時(和暦可)",
        lambda s: {
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]$",
        },
        _datetime,
        _datetime_display,
    ),
    FieldType(
        "geopoint",
        "位置情報(緯度・経度)",
        _geopoint_schema,
        _geopoint,
        _geopoint_display,
        parts=GEOPOINT_PARTS,
    ),
    FieldType(
        "email",
        "メールアドレス",
        lambda s: {"type": "string", "format": "email", "maxLength": 254},
        _email,
    ),
    FieldType(
        "phone", "電話番号", lambda s: {"type": "string", "pattern": r"^[0-9-]{10,13}$"}, _phone
    ),
    FieldType(
        "postal_code",
        "郵便番号",
        lambda s: {"type": "string", "pattern": r"^\d{3}-\d{4}$"},
        _postal,
    ),
    FieldType(
        "name", "氏名(姓・名・フリガナ)", _name_schema, _name, _name_display, parts=NAME_PARTS
    ),
    FieldType("address", "住所", _address_schema, _address, _address_display, parts=ADDRESS_PARTS),
    FieldType(
        "single_choice",
        "単一選択",
        lambda s: {"type": "string", "enum": _choice_values(s)},
        _single,
        _choice_label,
        has_choices=True,
    ),
    FieldType(
        "multiple_choice",
        "複数選択",
        lambda s: {
            "type": "array",
            "items": {"type": "string", "enum": _choice_values(s)},
            "uniqueItems": True,
            "minItems": 1,
        },
        _multiple,
        _choice_label,
        has_choices=True,
    ),
    FieldType("consent", "同意チェック", lambda s: {"type": "boolean", "const": True}, _consent),
    FieldType("yes_no", "はい・いいえ", lambda s: {"type": "boolean"}, _yes_no),
    FieldType(
        "file",
        "添付ファイル",
        lambda s: {
            "type": "object",
            "properties": {"file_id": {"type": "integer"}, "name": {"type": "string"}},
        },
        _file,
        lambda value, spec: (value or {}).get("name", ""),
        is_file=True,
        problems=_file_problems,
    ),
    FieldType(
        "persons",
        "人数(定員に数える)",
        _persons_schema,
        lambda v, s: _number(v, {}),
        lambda v, s: f"{v}人" if v else "",
    ),
    FieldType(
        "note",
        "説明文(入力なし)",
        lambda s: {},
        lambda v, s: None,
        is_question=False,
        stores_value=False,
    ),
    FieldType(
        "section",
        "見出し(ページ・区切り)",
        lambda s: {},
        lambda v, s: None,
        is_question=False,
        stores_value=False,
    ),
    # Starts a new page of the resident's form (its label is the page's title, its show_if /
    # relevant the condition to ask the page); see ``pages``.
    FieldType(
        "page",
        "ページ区切り(次のページへ)",
        lambda s: {},
        lambda v, s: None,
        is_question=False,
        stores_value=False,
    ),
    FieldType(
        "calculate",
        "計算(自動)",
        lambda s: {"type": ["string", "number", "boolean"]},
        lambda v, s: None,
        is_question=False,
    ),
):
    field_types.register(field_type.name, field_type)
