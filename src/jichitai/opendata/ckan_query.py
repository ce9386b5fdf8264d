"""CKAN's ``q`` and ``fq`` (Solr's Lucene syntax) read into a ``selectors.SearchQuery``.

The text is bounded in length first and then parsed by luqum (a PLY lexer and LALR parser: one pass
over the text, no backtracking). The tree is read for what the catalog can answer: words and
phrases (free text, or under ``text``/``title``/``notes``), ``field:value`` on the faceted fields,
``metadata_modified:[FROM TO TO]``, ``*:*``, joined by AND, spaces or ``+``; OR only between values
of a field whose filter takes any of several values. Anything else (NOT and ``-``, fuzzy and
proximity, boosts, regular expressions, other fields) is refused, never silently ignored, so a
harvester is not handed an answer to a question it did not ask."""

import re

from django.utils import timezone
from luqum.exceptions import ParseError
from luqum.thread import parse
from luqum.tree import (
    AndOperation,
    FieldGroup,
    Group,
    OrOperation,
    Phrase,
    Plus,
    Range,
    SearchField,
    UnknownOperation,
    Word,
)

from jichitai.core import params
from jichitai.opendata import selectors

MAX_QUERY_LENGTH = 1000
MAX_QUERY_TERMS = selectors.MAX_TERMS

TEXT_FIELDS = {"text", "title", "notes"}
FILTER_FIELDS = {
    "organization": "organizations",
    "owner_org": "organizations",
    "groups": "groups",
    "tags": "tags",
    "res_format": "formats",
    "license_id": "licenses",
    "name": "names",
}
# Filters that match any of their values (SQL IN), so an OR between values of one of them keeps
# its meaning; the others match all of their values.
ANY_OF_FIELDS = {"organization", "owner_org", "license_id", "name"}
_ESCAPE = re.compile(r"\\(.)")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def _term_text(item, parameter: str) -> str:
    if isinstance(item, Phrase):
        return _unescape(item.value[1:-1])
    if isinstance(item, Word):
        return _unescape(item.value)
    raise _unsupported(parameter, str(item))


def _unsupported(parameter: str, part: str) -> params.InvalidParameter:
    return params.InvalidParameter(
        parameter,
        f'{parameter} の「{part[:80]}」は使えません。使えるのは語・"句"・'
        f"{', '.join(sorted(FILTER_FIELDS))}:値・metadata_modified:[日時 TO 日時]・*:* を"
        "AND・空白・+ でつないだ検索です(OR は organization・owner_org・license_id・name の値の間だけ)。",
    )


def _conditions(tree) -> list:
    """The conjuncts of the query: AND, implicit AND, ``+`` and parentheses are flattened with an
    explicit stack (the bounded text bounds its depth, and nothing here recurses)."""
    pending = [tree]
    found = []
    while pending:
        item = pending.pop()
        if isinstance(item, AndOperation | UnknownOperation):
            pending.extend(reversed(item.children))
        elif isinstance(item, Group | Plus):
            pending.append(item.children[0])
        else:
            found.append(item)
    return found


def _free_words(text: str, parameter: str) -> list[str]:
    """Words of free text; a ``*`` at either end is implied by substring matching."""
    words = []
    for word in text.split():
        stripped = word.strip("*")
        if "*" in stripped or "?" in stripped:
            raise params.InvalidParameter(
                parameter, f"「{word[:80]}」の途中のワイルドカードは使えません。"
            )
        if stripped:
            words.append(stripped)
    return words


def _moment(item, parameter: str):
    value = _term_text(item, parameter)
    if value == "*":
        return None
    if value in ("NOW", "NOW/DAY"):
        return timezone.now()
    return params.moment(value, name=parameter)


def _any_of_values(item, parameter: str) -> tuple[str, list[str]]:
    """``organization:a OR organization:b`` (in parentheses or not): the field and its values."""
    field = None
    values = []
    pending = [item]
    while pending:
        current = pending.pop()
        if isinstance(current, OrOperation):
            pending.extend(reversed(current.children))
        elif isinstance(current, Group):
            pending.append(current.expr)
        elif isinstance(current, SearchField) and isinstance(current.expr, Word | Phrase):
            if field not in (None, current.name) or current.name not in ANY_OF_FIELDS:
                raise _unsupported(parameter, str(item))
            field = current.name
            values.append(_term_text(current.expr, parameter))
        else:
            raise _unsupported(parameter, str(item))
    return field, values


def read_query(value, *, parameter: str, query: selectors.SearchQuery) -> list[str]:
    """Adds the filters of ``value`` to ``query`` and returns its free-text words."""
    text = params.text(value, name=parameter, max_length=MAX_QUERY_LENGTH)
    if not text.strip():
        return []
    try:
        tree = parse(text)
    except ParseError as error:
        raise params.InvalidParameter(
            parameter, f"{parameter} を検索式として読み取れません: {error}"
        ) from None
    words = []
    filters = 0
    for item in _conditions(tree):
        if isinstance(item, Word | Phrase):
            words.extend(_free_words(_term_text(item, parameter), parameter))
            continue
        if isinstance(item, OrOperation):
            field, values = _any_of_values(item, parameter)
            getattr(query, FILTER_FIELDS[field]).extend(values)
            filters += len(values)
            continue
        if not isinstance(item, SearchField):
            raise _unsupported(parameter, str(item))
        name, expr = item.name, item.expr
        if isinstance(expr, FieldGroup) and isinstance(expr.expr, Word | Phrase | OrOperation):
            expr = expr.expr
        if name == "*" and isinstance(expr, Word) and expr.value == "*":
            continue
        if name in TEXT_FIELDS and isinstance(expr, Word | Phrase):
            words.extend(_free_words(_term_text(expr, parameter), parameter))
        elif name == "dataset_type" and isinstance(expr, Word) and expr.value == "dataset":
            continue  # every dataset of this catalog is of CKAN's type "dataset"
        elif name == "metadata_modified" and isinstance(expr, Range):
            query.modified_from = _moment(expr.low, parameter)
            query.modified_to = _moment(expr.high, parameter)
        elif name in FILTER_FIELDS and isinstance(expr, Word | Phrase):
            getattr(query, FILTER_FIELDS[name]).append(_term_text(expr, parameter))
            filters += 1
        elif name in ANY_OF_FIELDS and isinstance(expr, OrOperation):
            values = [_term_text(value, parameter) for value in expr.children]
            getattr(query, FILTER_FIELDS[name]).extend(values)
            filters += len(values)
        else:
            raise _unsupported(parameter, str(item))
    if len(words) + filters > MAX_QUERY_TERMS:
        raise params.InvalidParameter(
            parameter, f"{parameter} の語と条件は合わせて {MAX_QUERY_TERMS} 個までにしてください。"
        )
    return words
