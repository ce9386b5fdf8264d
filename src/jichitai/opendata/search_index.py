"""What makes the catalog's search fast on PostgreSQL at 100,000 datasets: the facet keys each dataset
carries, two GIN indexes, and the conditions that use them. SQLite (small installations) keeps the
plain conditions: a scan of ten thousand rows is quick enough there.

- ``Dataset.search_keys`` holds one line per value a search filters and counts facets by
  (``organization``, ``license_id``, each tag, group and resource format), written by the services
  in the same transaction as the dataset (``keys_of``). A GIN index on its lines answers the
  faceted filters (``tags:防災 res_format:CSV``) from one index instead of semi-joins through three
  tables, and the facet counts are one pass over the matched rows' lines (``facets.py``).
- Most Japanese words are two characters (防災, 一覧), too short for a trigram index. The column
  ``search_bigrams`` (made by the migration, PostgreSQL only and not in the model) holds the
  distinct two-character pieces of the search text, computed by PostgreSQL itself (a generated
  column), so it cannot fall out of step with the text; a GIN index on it answers a two-character
  word exactly (a word of two characters is in the text exactly when it is one of its pieces).
  Stored, not an expression index: a plan that filters rows one by one (the newest first, for a
  page) reads the pieces instead of recomputing them for each row. Longer words keep the trigram
  index.

Tags, groups and organizations are keyed by id (a rename changes no key); formats and licences,
free text, by the hex of their UTF-8 bytes, so no value can break a line."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q

KEY_SEPARATOR = "\n"
FIELD_SEPARATOR = "\t"


def _hex(value: str) -> str:
    return value.encode().hex()


def key(field: str, value) -> str:
    """One line of ``search_keys``: the field and the value (ids as numbers, text as hex)."""
    if field in ("res_format", "res_format_upper", "license_id"):
        value = _hex(value)
    return f"{field}{FIELD_SEPARATOR}{value}"


def keys_of(dataset) -> str:
    """The search keys of ``dataset`` as its tags, groups and resources are now. ``res_format``
    counts facets (as written); ``res_format_upper`` answers CKAN's case-insensitive filter."""
    formats = {r.format for r in dataset.resources.all() if r.format}
    keys = [
        key("organization", dataset.organization_id),
        key("license_id", dataset.license_id),
        *(key("tags", pk) for pk in dataset.tags.values_list("pk", flat=True)),
        *(key("groups", pk) for pk in dataset.groups.values_list("pk", flat=True)),
        *(key("res_format", name) for name in formats),
        *(key("res_format_upper", name.upper()) for name in formats),
    ]
    return KEY_SEPARATOR.join(sorted(set(keys)))


def indexed() -> bool:
    """Whether the database has the search indexes (PostgreSQL)."""
    return connection.vendor == "postgresql"


class _ArrayContains(Func):
    """``<array of the row> @> <the values>``: true when the row has every value."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, values: list[str]):
        super().__init__(F(column))
        self.values = values

    def array_sql(self, column: str) -> str:
        raise NotImplementedError

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{self.array_sql(column)} @> %s::text[]", [*params, self.values]


class KeysContain(_ArrayContains):
    def __init__(self, *keys: str):
        super().__init__("search_keys", list(keys))

    def array_sql(self, column: str) -> str:
        # The same expression as the index made by the migration, so the planner uses the index.
        return f"string_to_array({column}, E'\\n')"


class BigramsContain(_ArrayContains):
    def __init__(self, word: str):
        super().__init__("search_text", [word])

    def array_sql(self, column: str) -> str:
        # The generated column beside search_text, in the same table (alias) as Django named it.
        table, _name = column.rsplit(".", 1)
        return f'{table}."search_bigrams"'


def key_condition(field: str, *values: str) -> Q:
    """The datasets whose keys include every ``field`` value (PostgreSQL only)."""
    return Q(KeysContain(*(key(field, value) for value in values)))


def text_condition(column: str, word: str) -> Q:
    """The datasets whose ``column`` (normalized text) contains ``word``. On PostgreSQL a
    two-character word of the search text is looked up among the text's pieces (exactly the same
    answer, from the bigram index)."""
    if indexed() and column == "search_text" and len(word) == 2:
        return Q(BigramsContain(word))
    return Q(**{f"{column}__contains": word})
