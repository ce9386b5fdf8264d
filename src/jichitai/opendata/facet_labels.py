"""The names and labels of facet values on PostgreSQL, where counts are kept per facet key number
(``facets.py``): each number's facet, value and label (an organization's code and name, a group's
name and title, a tag, a format, a licence), held in this process for the catalog's version.

A rename moves the catalog's version (migration 0006), so labels held for a version are those of
that version or newer: never older than what the search read. Numbers not yet held are read in
one statement; a number that names no facet value (``res_format_upper``, a removed organization)
is held as such, so it is not read again. Values are ranked here, most frequent first and equal
counts by the value's code points (the order of a C collation, and of Solr's index order that
CKAN's facets follow), at most ``facet.limit`` each."""

import threading
from dataclasses import dataclass

from django.db import connection


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


# Each facet's value and label from the keys ``c`` (field, value, n).
_KEYED_SQL = {
    "organization": (
        "c JOIN tenancy_organization o ON o.id::text = c.value WHERE c.field = 'organization'",
        "o.code",
        "o.name",
    ),
    "tags": (
        "c JOIN opendata_tag t ON t.id::text = c.value WHERE c.field = 'tags'",
        "t.name",
        "t.name",
    ),
    "groups": (
        "c JOIN opendata_group g ON g.id::text = c.value WHERE c.field = 'groups'",
        "g.name",
        "g.title",
    ),
    "res_format": (
        "c WHERE c.field = 'res_format'",
        "convert_from(decode(c.value, 'hex'), 'UTF8')",
        "convert_from(decode(c.value, 'hex'), 'UTF8')",
    ),
    "license_id": (
        "c WHERE c.field = 'license_id'",
        "convert_from(decode(c.value, 'hex'), 'UTF8')",
        "convert_from(decode(c.value, 'hex'), 'UTF8')",
    ),
}

# The keys ``c`` (field, value, n) of the key numbers given, each with its own number as n.
_KEYS = (
    "WITH c AS (SELECT split_part(k.key, E'\\t', 1) AS field, "
    "split_part(k.key, E'\\t', 2) AS value, k.id AS n "
    "FROM opendata_searchkey k WHERE k.id = ANY(%s::integer[])) "
)

_LABELS_SQL = (
    _KEYS  # noqa: S608
    + "SELECT json_agg(json_build_array(n, facet, name, label)) FROM ("
    + " UNION ALL ".join(
        f"SELECT '{name}' AS facet, {value} AS name, {label} AS label, c.n AS n FROM {source}"  # noqa: S608
        for name, (source, value, label) in _KEYED_SQL.items()
    )
    + ") f"
)

# Per database: the catalog version and each key number's (facet, value, label), or None.
_held: dict[str, tuple[str, dict[int, tuple[str, str, str] | None]]] = {}
_lock = threading.Lock()


def _name() -> str:
    return f"{connection.alias}:{connection.settings_dict['NAME']}"


def forget() -> None:
    with _lock:
        _held.clear()


def _labels(numbers, version: str) -> dict[int, tuple[str, str, str] | None]:
    """The labels of ``numbers`` for the catalog at ``version`` (or newer)."""
    with _lock:
        held_version, labels = _held.get(_name(), (None, {}))
        if held_version != version:
            labels = {}
        missing = [number for number in numbers if number not in labels]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(_LABELS_SQL, [missing])
            (rows,) = cursor.fetchone()
        found = dict.fromkeys(missing)
        for number, facet, name, label in rows or []:
            found[number] = (facet, name, label)
        with _lock:
            held_version, held = _held.get(_name(), (None, {}))
            labels = {**(held if held_version == version else {}), **labels, **found}
            _held[_name()] = (version, labels)
    return labels


def hold(numbers: list[int], version: str) -> None:
    """Reads the labels of ``numbers`` for the catalog at ``version`` now (before serving)."""
    _labels(numbers, version)


def labeled(
    key_counts: dict[int, int], fields: list[str], limit: int, *, version: str
) -> dict[str, list[FacetItem]]:
    """The facets of ``fields`` from counts per key number, with the names and labels of the
    catalog at ``version`` (a renamed organization shows its new name), at most ``limit`` values
    each (-1: all), most frequent first."""
    facets: dict[str, list[FacetItem]] = {name: [] for name in fields}
    if not fields or not key_counts:
        return facets
    labels = _labels(key_counts, version)
    for number, n in key_counts.items():
        found = labels.get(number)
        if found is not None and found[0] in facets:
            facet, name, label = found
            facets[facet].append(FacetItem(name, label, n))
    for items in facets.values():
        items.sort(key=lambda item: (-item.count, item.name))
        if limit >= 0:
            del items[limit:]
    return facets
