"""Field types for when and where: 日付 (和暦 or 西暦), 時刻, 日時 and 位置情報 (latitude and
longitude), each a normaliser, a display and, where it is more than a string, a JSON Schema."""

import re
from datetime import date

from django.utils import translation
from django.utils.translation import gettext

from jichitai.core import japanese
from jichitai.procedures.field_specs import FieldInputError, FieldSpec, is_empty


def normalise_date(value, spec: FieldSpec):
    if is_empty(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return japanese.parse_date(str(value)).isoformat()
    except ValueError as error:
        raise FieldInputError(str(error)) from None


def date_display(value, spec: FieldSpec) -> str:
    """令和6年4月1日 in Japanese (and English) pages and exports; 2024-04-01 for a resident
    reading another language, who may not know the eras (as the ``wareki`` filter)."""
    if not value:
        return ""
    day = date.fromisoformat(value)
    return japanese.format_wareki(day) if _reads_japanese_forms() else day.isoformat()


def _reads_japanese_forms() -> bool:
    """Whether the reader's language shows dates in 和暦 and times in 時・分: Japanese (also
    やさしい日本語) and English, whose catalogue explains them; a resident reading another
    language sees 2024-04-01 and 09:30."""
    language = translation.get_language() or "ja"
    return language.startswith("ja") or language == "en"


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


def normalise_time(value, spec: FieldSpec):
    if is_empty(value):
        return None
    return _time_text(str(value))


def time_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    if not _reads_japanese_forms():
        return value
    hour, minute = value.split(":")
    return f"{int(hour)}時{minute}分"


# The date, then the time after a "T" (the browser's datetime-local), a space or 「日」.
_DATETIME = re.compile(
    r"^(?P<date>.+?)(?:T|\s+|(?<=日))(?P<time>(?:午前|午後|AM|PM)?\s*\d{1,2}\s*(?::|：|時).*)$",
    re.IGNORECASE,
)


def normalise_datetime(value, spec: FieldSpec):
    """Stored as 2026-04-01T09:30, the local time as typed (a time zone an XLSForm value carries
    is not converted: residents answer in Japan's time)."""
    if is_empty(value):
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


def datetime_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    day, time = value.split("T")
    return f"{date_display(day, spec)} {time_display(time, spec)}"


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


def normalise_geopoint(value, spec: FieldSpec):
    """Latitude and longitude in degrees (WGS84, as a phone's GPS gives them). XLSForm's own form,
    "34.73 136.50 altitude accuracy", is read too; altitude and accuracy are not kept."""
    if is_empty(value):
        return None
    if isinstance(value, str):
        numbers = japanese.normalize_width(value).replace(",", " ").split()
        value = dict(zip(("latitude", "longitude"), numbers, strict=False))
    if not isinstance(value, dict):
        raise FieldInputError(gettext("緯度と経度を入力してください。"))
    given = {part: value.get(part) for part, _label in GEOPOINT_PARTS}
    if all(is_empty(text) for text in given.values()):
        return None
    if any(is_empty(text) for text in given.values()):
        raise FieldInputError(gettext("緯度と経度を入力してください。"))
    return {part: _coordinate(text, part) for part, text in given.items()}


def geopoint_display(value, spec: FieldSpec) -> str:
    if not value:
        return ""
    return gettext("緯度 %(latitude)s、経度 %(longitude)s") % value


def geopoint_schema(spec: FieldSpec) -> dict:
    return {
        "type": "object",
        "properties": {
            part: {"type": "number", "minimum": -limit, "maximum": limit}
            for part, limit in GEOPOINT_RANGES.items()
        },
        "required": list(GEOPOINT_RANGES),
        "additionalProperties": False,
    }
