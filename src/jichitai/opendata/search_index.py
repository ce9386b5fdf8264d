"""What makes the catalog's search fast on PostgreSQL at 100,000 datasets: numbered search keys, the
key numbers each dataset carries in an integer array with a GIN index, and the conditions that use
them. SQLite (small installations) keeps the plain conditions: a scan of ten thousand rows is quick
enough there.

- ``Dataset.search_keys`` holds one line per value a search filters and counts facets by
  (``organization``, ``license_id``, each tag, group and resource format), written by the services
  in the same transaction as the dataset (``keys_of``).
- Most Japanese words are two characters (防災, 一覧), too short for a trigram index; with the
  default planner costs PostgreSQL also skipped the trigram index for many 4-character words. So
  the two-character pieces of the search text are keys too (``text<TAB>防災``), and those of the
  title (``title<TAB>防災``), so ``title:`` queries are index lookups too (migration 0006).
- Every key is numbered once (``SearchKey``). A trigger of the database (migrations 0005, 0006) writes,
  whenever the search text, title or keys change, the numbers of all the dataset's keys
  (``search_key_ids``, with a GIN index) and of its facet keys alone (``search_facet_ids``); the
  trigger, not the services, so the numbers cannot disagree with the text, whoever writes it.
- A word of two characters is in the text exactly when its key number is in the array; a longer
  word needs all of its pieces (``search_key_ids @> ARRAY[…]``, one GIN lookup that intersects
  integer lists) and then the text itself is checked for the few candidates. Field filters
  (``tags:防災 res_format:CSV``) are numbers in the same array, so a word and its filters are one
  index condition. Facet counts are of the facet arrays, held in each process as a matrix
  (``facet_matrix``).

Tags, groups and organizations are keyed by id (a rename changes no key); formats and licences,
free text, by the hex of their UTF-8 bytes, so no value can break a line."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, TextField

from jichitai.opendata.models import SearchKey

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
    """Whether the database has the search key numbers (PostgreSQL)."""
    return connection.vendor == "postgresql"


# The key field of the two-character pieces of each normalized text column.
PIECE_FIELDS = {"search_text": "text", "search_title": "title"}


def pieces(word: str) -> list[str]:
    """The distinct two-character pieces of ``word``, as the database's ``opendata_bigrams``."""
    return sorted({word[i : i + 2] for i in range(len(word) - 1)})


# Per database, the numbers of the keys looked up so far: a key is numbered once and its row is
# never removed, so a number found stays right (a key not found yet is looked up again).
_numbers: dict[str, dict[str, int]] = {}


def forget_numbers() -> None:
    _numbers.clear()


def key_ids(keys: list[str]) -> list[int] | None:
    """The numbers of ``keys``; None when one of them was never written (no dataset has it)."""
    known = _numbers.setdefault(f"{connection.alias}:{connection.settings_dict['NAME']}", {})
    missing = set(keys) - known.keys()
    if missing:
        known.update(SearchKey.objects.filter(key__in=missing).values_list("key", "id"))
    if not set(keys) <= known.keys():
        return None
    return sorted({known[k] for k in keys})


class KeyIdsContain(Func):
    """``search_key_ids @> <numbers>``: true when the dataset has every key."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, ids: list[int]):
        super().__init__(F("search_text"))
        self.ids = ids

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        # The array beside search_text, in the same table (alias) as Django named it.
        table, _name = column.rsplit(".", 1)
        return f'{table}."search_key_ids" @> %s::integer[]', [*params, self.ids]


class FacetIds(Func):
    """The dataset's ``search_facet_ids`` (read inside SQL by the facet counts only)."""

    output_field = TextField()

    def __init__(self):
        super().__init__(F("search_text"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        table, _name = column.rsplit(".", 1)
        return f'{table}."search_facet_ids"', params


def _having(keys: list[str]) -> Q:
    ids = key_ids(keys)
    return Q(KeyIdsContain(ids)) if ids is not None else Q(pk__in=[])


def key_condition(field: str, *values: str | int) -> Q:
    """The datasets whose keys include every ``field`` value, text or the id of a tag or group
    (PostgreSQL only)."""
    return _having([key(field, value) for value in values])


def text_condition(column: str, word: str) -> Q:
    """The datasets whose ``column`` (normalized text or title) contains ``word``. On PostgreSQL a
    word of two characters or more is looked up by the numbers of its pieces (exact for two
    characters; longer words are then checked in the text of the candidates)."""
    if indexed() and column in PIECE_FIELDS and len(word) >= 2:
        condition = _having([key(PIECE_FIELDS[column], piece) for piece in pieces(word)])
        return condition if len(word) == 2 else condition & Q(**{f"{column}__contains": word})
    return Q(**{f"{column}__contains": word})
