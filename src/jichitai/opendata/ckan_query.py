"""CKAN's ``q`` and ``fq`` (Solr's Lucene syntax) read into a ``selectors.SearchQuery``.

The text is bounded in length first and then parsed by luqum (a PLY lexer and LALR parser: one pass
over the text, no backtracking). The tree becomes one condition on datasets, as Solr would read it
under CKAN's ``q.op=AND``: words and phrases (free text, or under ``text``/``title``/``notes``),
``field:value`` on the faceted fields and ``name``, ranges on ``metadata_modified`` and
``metadata_created``, ``*:*``, joined by AND (also implied by a space, or ``+``), OR, NOT and ``-``
in any nesting, so ckanext-harvest's include filters (``organization:a OR organization:b``) and
exclude filters (``-organization:x``) mean what they mean on CKAN. Free words at the top level also
rank the results. Anything else (fuzzy and proximity, boosts, regular expressions, other fields) is
refused, never silently ignored, so a harvester is not handed an answer to a question it did not
ask."""

import re

from django.db.models import Q
from django.utils import timezone
from luqum.exceptions import ParseError
from luqum.thread import parse
from luqum.tree import (
    AndOperation,
    FieldGroup,
    Group,
    Not,
    OrOperation,
    Phrase,
    Plus,
    Prohibit,
    Range,
    SearchField,
    UnknownOperation,
    Word,
)

from jichitai.core import params
from jichitai.opendata import search_index, selectors

MAX_QUERY_LENGTH = 1000
MAX_QUERY_TERMS = selectors.MAX_TERMS
# Parentheses and operators nest at most this deep (each level is one level of SQL).
MAX_DEPTH = 20

TEXT_FIELDS = {"text": "search_text", "title": "search_title", "notes": "search_text"}
FILTER_FIELDS = ("organization", "owner_org", "groups", "tags", "res_format", "license_id", "name")
DATE_FIELDS = {"metadata_modified": "modified_at", "metadata_created": "created_at"}
_ESCAPE = re.compile(r"\\(.)")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def _unsupported(parameter: str, part: str) -> params.InvalidParameter:
    return params.InvalidParameter(
        parameter,
        f'{parameter} の「{part[:80]}」は使えません。使えるのは語・"句"・'
        f"{', '.join(sorted([*FILTER_FIELDS, *TEXT_FIELDS]))}:値・"
        "metadata_modified:[日時 TO 日時]・*:* を AND・OR・NOT・空白・+・- と括弧でつないだ検索です。",
    )


class _Reader:
    """Turns one parsed query into a ``Q`` on datasets, counting its conditions."""

    def __init__(self, parameter: str):
        self.parameter = parameter
        self.terms = 0

    def term_text(self, item) -> str:
        if isinstance(item, Phrase):
            return _unescape(item.value[1:-1])
        if isinstance(item, Word):
            return _unescape(item.value)
        raise _unsupported(self.parameter, str(item))

    def count(self) -> None:
        self.terms += 1
        if self.terms > MAX_QUERY_TERMS:
            raise params.InvalidParameter(
                self.parameter,
                f"{self.parameter} の語と条件は合わせて {MAX_QUERY_TERMS} 個までにしてください。",
            )

    def words(self, item) -> list[str]:
        """Words of free text; a ``*`` at either end is implied by substring matching. A phrase is
        one normalized substring."""
        if isinstance(item, Phrase):
            text = selectors.normalize_search(self.term_text(item)).strip()
            return [text] if text else []
        found = []
        for word in self.term_text(item).split():
            stripped = word.strip("*")
            if "*" in stripped or "?" in stripped:
                raise params.InvalidParameter(
                    self.parameter, f"「{word[:80]}」の途中のワイルドカードは使えません。"
                )
            if stripped:
                found.append(selectors.normalize_search(stripped))
        return found

    def text_condition(self, item, column: str) -> Q:
        condition = Q()
        for word in self.words(item):
            self.count()
            condition &= search_index.text_condition(column, word)
        return condition

    def moment(self, item):
        value = self.term_text(item)
        if value == "*":
            return None
        if value in ("NOW", "NOW/DAY"):
            return timezone.now()
        return params.moment(value, name=self.parameter)

    def field_condition(self, name: str, expr, depth: int) -> Q:
        if isinstance(expr, FieldGroup):
            # title:(AED OR 救命): the field applies to each term inside.
            return self.condition(expr.expr, depth + 1, field=name)
        if name == "*" and isinstance(expr, Word) and expr.value == "*":
            return Q()
        if name in TEXT_FIELDS and isinstance(expr, Word | Phrase):
            return self.text_condition(expr, TEXT_FIELDS[name])
        if name == "dataset_type" and isinstance(expr, Word) and expr.value == "dataset":
            return Q()  # every dataset of this catalog is of CKAN's type "dataset"
        if name in DATE_FIELDS and isinstance(expr, Range):
            self.count()
            column = DATE_FIELDS[name]
            low, high = self.moment(expr.low), self.moment(expr.high)
            condition = Q()
            if low is not None:
                condition &= Q(**{f"{column}__{'gte' if expr.include_low else 'gt'}": low})
            if high is not None:
                condition &= Q(**{f"{column}__{'lte' if expr.include_high else 'lt'}": high})
            return condition
        if name in FILTER_FIELDS and isinstance(expr, Word | Phrase):
            self.count()
            return selectors.field_condition(name, self.term_text(expr))
        raise _unsupported(self.parameter, f"{name}:{expr}")

    def condition(self, item, depth: int = 0, field: str | None = None) -> Q:
        if depth > MAX_DEPTH:
            raise params.InvalidParameter(
                self.parameter, f"{self.parameter} の括弧や演算子の入れ子が深すぎます。"
            )
        if isinstance(item, AndOperation | UnknownOperation):
            result = Q()
            for child in item.children:
                result &= self.condition(child, depth + 1, field)
            return result
        if isinstance(item, OrOperation):
            parts = [self.condition(child, depth + 1, field) for child in item.children]
            if any(part == Q() for part in parts):
                return Q()  # one side matches everything
            result = parts[0]
            for part in parts[1:]:
                result |= part
            return result
        if isinstance(item, Not | Prohibit):
            inner = self.condition(item.children[0], depth + 1, field)
            if inner == Q():
                return Q(pk__in=[])  # NOT *:* matches nothing
            return ~inner
        if isinstance(item, Group | Plus | FieldGroup):
            return self.condition(item.children[0], depth + 1, field)
        if isinstance(item, SearchField):
            if field is not None:
                raise _unsupported(self.parameter, str(item))
            return self.field_condition(item.name, item.expr, depth)
        if isinstance(item, Word | Phrase | Range):
            if field is not None:
                return self.field_condition(field, item, depth)
            if isinstance(item, Range):
                raise _unsupported(self.parameter, str(item))
            return self.text_condition(item, "search_text")
        raise _unsupported(self.parameter, str(item))


def _top_level(tree) -> list:
    """The conjuncts of the query (AND, implicit AND, ``+`` and parentheses flattened)."""
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


def read_query(
    value, *, parameter: str, query: selectors.SearchQuery, ranks: bool = True
) -> list[str]:
    """Adds the condition of ``value`` to ``query`` and returns the free-text words that every
    result contains (they also rank the results). With ``ranks=False`` (``fq``, which filters
    and never scores, as in Solr) the free words are conditions too and none is returned."""
    text = params.text(value, name=parameter, max_length=MAX_QUERY_LENGTH)
    if not text.strip():
        return []
    try:
        tree = parse(text)
    except (ParseError, RecursionError) as error:
        raise params.InvalidParameter(
            parameter, f"{parameter} を検索式として読み取れません: {error}"
        ) from None
    reader = _Reader(parameter)
    words = []
    for item in _top_level(tree):
        if isinstance(item, Word):
            found = reader.words(item)
            for word in found:
                reader.count()
                if not ranks:
                    query.conditions.append(search_index.text_condition("search_text", word))
            if ranks:
                words.extend(found)
        else:
            condition = reader.condition(item, depth=1)
            if condition != Q():
                query.conditions.append(condition)
    return words
