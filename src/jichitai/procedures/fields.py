"""Field types of application forms. Each type knows its JSON Schema fragment, how to normalise what
a person typed (和暦 dates, full-width digits, postal codes …) and how to show a stored value.
The registry is the single list of what the form builder, the XLSForm import, the validator and
the exports understand."""

import re
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy, ngettext

from jichitai.core import japanese
from jichitai.core import uploads as upload_kinds
from jichitai.procedures import postal as postal_areas
from jichitai.procedures.field_specs import (
    Choice,
    Condition,
    FieldErrors,
    FieldInputError,
    FieldSpec,
    FieldType,
    is_empty,
    joined,
    plain_display,
)
from jichitai.procedures.registry import field_types
from jichitai.procedures.when_and_where_fields import (
    GEOPOINT_PARTS,
    date_display,
    datetime_display,
    geopoint_display,
    geopoint_schema,
    normalise_date,
    normalise_datetime,
    normalise_geopoint,
    normalise_time,
    time_display,
)

# What other modules import from here, defined in ``field_specs``.
__all__ = [
    "GEOPOINT_PARTS",
    "Choice",
    "Condition",
    "FieldErrors",
    "FieldInputError",
    "FieldSpec",
    "FieldType",
]


# Control characters other than the line breaks and the tab a text may hold (one search instead
# of a look at every character).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value, spec: FieldSpec):
    if is_empty(value):
        return None
    if not isinstance(value, str | int | float):
        raise FieldInputError(gettext("文字で入力してください。"))
    text = japanese.normalize_width(str(value)).strip()
    if _CONTROL.search(text) is not None:
        raise FieldInputError(gettext("使用できない制御文字が含まれています。"))
    return text


def _string_schema(spec: FieldSpec, default_max: int) -> dict:
    schema = {"type": "string", "maxLength": int(spec.get("max_length") or default_max)}
    if spec.get("min_length"):
        schema["minLength"] = int(spec["min_length"])
    return schema


def _number(value, spec: FieldSpec):
    if is_empty(value):
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
        return [gettext("%(where)s: きざみは 0 より大きい数にしてください。") % {"where": where}]
    if spec.get("minimum") in (None, "") or spec.get("maximum") in (None, ""):
        return [
            gettext("%(where)s: きざみを使うときは、最小値と最大値も入力してください。")
            % {"where": where}
        ]
    return []


def _persons_schema(spec: FieldSpec) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": int(spec.get("maximum") or 10)}


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
    if is_empty(value):
        return None
    try:
        return japanese.normalize_phone_number(str(value))
    except ValueError as error:
        raise FieldInputError(str(error)) from None


def _postal(value, spec: FieldSpec):
    if is_empty(value):
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
    if is_empty(value):
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
            gettext("%(parts)sを入力してください。") % {"parts": joined(missing, japanese="・")}
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
    if is_empty(value):
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
    problem = postal_areas.disagreement(postal, address) or postal_areas.missing_block_number(
        postal, address
    )
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
    if is_empty(value):
        return None
    text = str(value)
    if text not in _choice_values(spec):
        raise FieldInputError(gettext("選択肢から選んでください。"))
    return text


def _multiple(value, spec: FieldSpec):
    if is_empty(value):
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
        return joined(labels.get(item, item) for item in value)
    return labels.get(value, plain_display(value))


def _consent(value, spec: FieldSpec):
    if value in (True, "true", "on", "1", 1, "yes"):
        return True
    if is_empty(value) or value in (False, "false", "0", 0, "off", "no"):
        return None
    raise FieldInputError(gettext("同意する場合はチェックを入れてください。"))


YES = (True, "yes", "true", "1", 1, "はい")
NO = (False, "no", "false", "0", 0, "いいえ")


def _yes_no(value, spec: FieldSpec):
    """はい/いいえ, stored as a boolean; unlike the 同意 checkbox, 「いいえ」 is an answer."""
    if is_empty(value):
        return None
    answer = value.strip().lower() if isinstance(value, str) else value
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise FieldInputError(gettext("「はい」か「いいえ」を選んでください。"))


def _file_problems(spec: FieldSpec, where: str) -> list[str]:
    return [
        gettext("%(where)s: 添付できる形式「%(kind)s」は使えません。")
        % {"where": where, "kind": kind}
        for kind in spec.get("accept", [])
        if kind not in upload_kinds.KINDS
    ]


def _file(value, spec: FieldSpec):
    # Files travel outside the data (uploads); the data holds the stored file's reference.
    return None if is_empty(value) else value


for field_type in (
    FieldType("text", "1行テキスト", lambda s: _string_schema(s, 200), _text),
    FieldType("textarea", "複数行テキスト", lambda s: _string_schema(s, 4000), _text),
    FieldType(
        "number", "数値", _number_schema, _number, check=_off_step, problems=_number_problems
    ),
    FieldType(
        "date",
        "日付(和暦可)",
        lambda s: {"type": "string", "format": "date"},
        normalise_date,
        date_display,
    ),
    FieldType(
        "time",
        "時刻",
        lambda s: {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        normalise_time,
        time_display,
    ),
    FieldType(
        "datetime",
        "日時(和暦可)",
        lambda s: {
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]$",
        },
        normalise_datetime,
        datetime_display,
    ),
    FieldType(
        "geopoint",
        "位置情報(緯度・経度)",
        geopoint_schema,
        normalise_geopoint,
        geopoint_display,
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
        lambda v, s: ngettext("%(count)s人", "%(count)s人", v) % {"count": v} if v else "",
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
