from datetime import date, datetime
from typing import SupportsInt, cast

from django import template
from django.utils import timezone, translation

from jichitai.core import japanese

register = template.Library()


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


@register.filter
def wareki(value: object, style: str = "long") -> str:
    """令和3年4月1日 in Japanese pages (also やさしい日本語, ja-easy); 2021-04-01 (R3) in English
    ones; 2021-04-01 in the other languages a resident may read, who may not know the eras."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else str(value)
    language = translation.get_language() or "ja"
    if language == "en":
        return f"{day.isoformat()} ({japanese.format_wareki(day, style='short').split('.')[0]})"
    if not language.startswith("ja"):
        return day.isoformat()
    return japanese.format_wareki(day, style=style)


@register.filter
def wareki_datetime(value: object) -> str:
    if not isinstance(value, datetime):
        return wareki(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki(local)} {local:%H:%M}"


@register.filter
def nendo(value: date | SupportsInt | str) -> str:
    """年度 label of a date or of a fiscal year number: 令和3年度."""
    day = _as_date(value)
    # A value that is not a date is a year number (int, or digits from the template).
    year = japanese.fiscal_year(day) if day else int(cast("SupportsInt | str", value))
    return japanese.fiscal_year_display(year)
