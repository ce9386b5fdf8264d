"""Parameters of a request read with bounds: every view takes numbers, 年度, lists, texts, moments and
JSON bodies from the query string or a form through these functions. A value out of its bounds (a
page number of forty digits, ``inf``, ten thousand repeats of one name, a megabyte of text, JSON
nested a thousand deep) raises ``InvalidParameter`` before it reaches arithmetic or the database;
``InvalidParameterMiddleware`` answers it with 400 and a Japanese page, the CKAN API with its own
400 error.

Each check looks at the length of the input before anything else reads it, so no parameter costs
more than one pass over a bounded text."""

import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, NoReturn

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from jichitai.core import japanese

MIN_YEAR = 1900
MAX_YEAR = 2200
# Primary keys and counts fit in PostgreSQL's bigint and SQLite's integer.
MAX_ID = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}(?:\.0*)?")
_INTEGER_TEXT_LENGTH = 32
_MOMENT_TEXT_LENGTH = 40


class InvalidParameter(ValueError):
    """A request parameter that cannot be used; ``message`` is for the person who sent it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def integer(
    value: object,
    *,
    name: str,
    default: int | None = None,
    minimum: int = 0,
    maximum: int,
    clamp: bool = False,
    label: str = "",
) -> int:
    """A whole number between ``minimum`` and ``maximum``: text of ASCII digits (``"3"``, ``"3.0"``)
    or a JSON number. With ``clamp``, a number above ``maximum`` is taken as ``maximum`` (CKAN's
    ``rows``). Missing or empty gives ``default`` when there is one. ``label`` names the parameter
    in the message (the parameter's own name when not given)."""
    label = label or name
    if value is None or value == "":
        if default is None:
            raise InvalidParameter(
                name, gettext("%(label)sを指定してください。") % {"label": label}
            )
        return default
    out_of_range = InvalidParameter(
        name,
        gettext("%(label)sは %(minimum)s から %(maximum)s までの整数で指定してください。")
        % {"label": label, "minimum": minimum, "maximum": maximum},
    )
    if isinstance(value, bool):
        raise out_of_range
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        # inf and nan are not integers: is_integer() is False for both.
        if not value.is_integer():
            raise out_of_range
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _INTEGER_TEXT_LENGTH or not _INTEGER.fullmatch(text):
            raise out_of_range
        number = int(text.partition(".")[0])
    else:
        raise out_of_range
    if clamp and number > maximum:
        return maximum
    if not minimum <= number <= maximum:
        raise out_of_range
    return number


def fiscal_year(value: object, *, name: str = "year", default: int) -> int:
    """A 年度 as a western year, within the years the calendar helpers handle; given as a number or
    as pages show it (令和6年度, R6, 2024年度)."""
    if isinstance(value, str) and not _INTEGER.fullmatch(value.strip()):
        if len(value) > _INTEGER_TEXT_LENGTH:
            _invalid_year(name)
        try:
            value = japanese.parse_fiscal_year(value)
        except ValueError:
            _invalid_year(name)
    try:
        return integer(value, name=name, default=default, minimum=MIN_YEAR, maximum=MAX_YEAR)
    except InvalidParameter:
        _invalid_year(name)


def _invalid_year(name: str) -> NoReturn:
    raise InvalidParameter(
        name,
        gettext(
            "年度は令和6年度・R6・2024 のように、%(first)s から %(last)s 年度の間で指定してください。"
        )
        % {"first": MIN_YEAR, "last": MAX_YEAR},
    )


def text(value: object, *, name: str, max_length: int, default: str = "", label: str = "") -> str:
    """A text of at most ``max_length`` characters without NUL (which PostgreSQL cannot store)."""
    label = label or name
    if value is None:
        return default
    if not isinstance(value, str):
        raise InvalidParameter(
            name, gettext("%(label)sは文字列で指定してください。") % {"label": label}
        )
    if len(value) > max_length:
        raise InvalidParameter(
            name,
            gettext("%(label)sは %(length)s 文字以内で指定してください。")
            % {"label": label, "length": max_length},
        )
    if "\x00" in value:
        raise InvalidParameter(
            name, gettext("%(label)sに使えない文字(NUL)が含まれています。") % {"label": label}
        )
    return value


def words(value: object, *, name: str, max_length: int, max_words: int, label: str = "") -> str:
    """Search text: bounded in length and in the number of words, each of which becomes one
    condition of the query."""
    found = text(value, name=name, max_length=max_length, label=label)
    if len(found.split()) > max_words:
        raise InvalidParameter(
            name, gettext("検索語は %(count)s 語までにしてください。") % {"count": max_words}
        )
    return found


def texts(
    values: Iterable[object] | None, *, name: str, max_items: int, max_length: int, label: str = ""
) -> list[str]:
    """A repeated parameter (``?tags=a&tags=b``) of at most ``max_items`` texts."""
    values = list(values or [])
    if len(values) > max_items:
        raise _too_many(name, label, max_items)
    return [text(value, name=name, max_length=max_length, label=label) for value in values]


def integers(
    values: Iterable[object] | None,
    *,
    name: str,
    max_items: int,
    minimum: int = 1,
    maximum: int = MAX_ID,
    label: str = "",
) -> list[int]:
    """A repeated parameter of whole numbers, such as the ids of the rows chosen in a list."""
    values = list(values or [])
    if len(values) > max_items:
        raise _too_many(name, label, max_items)
    return [
        integer(value, name=name, minimum=minimum, maximum=maximum, label=label) for value in values
    ]


def _too_many(name: str, label: str, max_items: int) -> InvalidParameter:
    return InvalidParameter(
        name,
        gettext("%(label)sは %(count)s 個までにしてください。")
        % {"label": label or name, "count": max_items},
    )


def moment(value: object, *, name: str) -> datetime:
    """An ISO 8601 date or date and time (UTC when no zone is given), as an aware datetime in UTC
    between MIN_YEAR and MAX_YEAR."""
    invalid = InvalidParameter(
        name,
        gettext("%(name)s の日時「%(value)s」を読み取れません(例: 2024-04-01T00:00:00Z)。")
        % {"name": name, "value": str(value)[:_MOMENT_TEXT_LENGTH]},
    )
    if not isinstance(value, str) or len(value) > _MOMENT_TEXT_LENGTH:
        raise invalid
    try:
        parsed = datetime.fromisoformat(value.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # Converting a moment near year 1 or 9999 to UTC can leave the calendar.
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise invalid from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise invalid
    return parsed


def _reject_constant(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not a JSON number")


def json_value(text: str, *, name: str, max_depth: int) -> Any:
    """Strict JSON (no NaN or Infinity) nested at most ``max_depth`` deep."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise InvalidParameter(
            name, gettext("%(name)s を JSON として読み取れません。") % {"name": name}
        ) from None
    # Depth measured without recursion, so that it cannot itself run out of stack.
    pending = [(data, 1)] if isinstance(data, dict | list) else []
    while pending:
        item, depth = pending.pop()
        if depth > max_depth:
            raise InvalidParameter(
                name,
                gettext("JSON の入れ子は %(depth)s 段までにしてください。") % {"depth": max_depth},
            )
        children = item.values() if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return data


def json_object(body: bytes, *, name: str = "body", max_depth: int = 32) -> dict[str, Any]:
    """A request body of strict JSON that is an object nested at most ``max_depth`` deep."""
    invalid = InvalidParameter(name, gettext("本文を JSON のオブジェクトとして読み取れません。"))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid from None
    data = json_value(text, name=name, max_depth=max_depth)
    if not isinstance(data, dict):
        raise invalid
    return data


class InvalidParameterMiddleware:
    """Answers an ``InvalidParameter`` raised by a page with 400 and the message; the request's
    transaction has already been rolled back when the exception left the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, InvalidParameter):
            return None
        return invalid_parameter_response(request, exception)


def invalid_parameter_response(request: HttpRequest, refusal: InvalidParameter) -> HttpResponse:
    return render(request, "400.html", {"message": refusal.message}, status=400)
