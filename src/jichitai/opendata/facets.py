"""The number of datasets a search matches and its facet counts (organization, groups, tags,
res_format, license_id), in one SQL statement over the matched datasets, kept in the cache for the
catalog's version.

Why one pass and not counts kept incrementally: a facet count depends on the whole query (words
and filters), so counts kept per value would only serve the unfiltered catalog; a search's own
counts need its matched set anyway. The match (the text condition and the filters) is evaluated
once into a materialized set (``WITH m AS MATERIALIZED``) and counted, and every facet counts over
it, ranked with ROW_NUMBER for ``facet.limit``.

On PostgreSQL the matched set carries each dataset's ``search_keys`` (``search_index``) and the
facets are one GROUP BY over those lines: one pass over the matched rows, no join per facet. SQLite
joins each facet's table to the matched ids.

A count over most of a large catalog (``q=一覧`` matches 60% of 100,000 datasets) visits every
matched row however it is indexed; the counts of a query depend on its conditions only, not on the
page or the order, so they are kept in the cache under the catalog's version (the time of its last
change: every write to a dataset, its tags, groups or resources moves it) and a harvester paging
through the results counts once."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from jichitai.opendata import search_index

COUNTS_CACHE_SECONDS = 300


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


# SQLite: each facet's rows to count per matched dataset (joined on the matched ids ``m.id``), the
# value, its label, and what is counted (a dataset with two CSV resources counts once).
_FACET_SQL = {
    "organization": (
        "opendata_dataset d JOIN tenancy_organization o ON o.id = d.organization_id "
        "WHERE d.id = m.id",
        "o.code",
        "o.name",
    ),
    "license_id": ("opendata_dataset d WHERE d.id = m.id", "d.license_id", "d.license_id"),
    "tags": (
        "opendata_dataset_tags x JOIN opendata_tag t ON t.id = x.tag_id WHERE x.dataset_id = m.id",
        "t.name",
        "t.name",
    ),
    "groups": (
        "opendata_dataset_groups x JOIN opendata_group g ON g.id = x.group_id "
        "WHERE x.dataset_id = m.id",
        "g.name",
        "g.title",
    ),
    "res_format": (
        "(SELECT DISTINCT r.dataset_id, r.format FROM opendata_resource r "
        "WHERE r.format <> '') r WHERE r.dataset_id = m.id",
        "r.format",
        "r.format",
    ),
}

# PostgreSQL: each facet's value and label from the counted keys ``c`` (field, value, n).
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


def _keyed_statement(matched_sql: str, fields: list[str]) -> tuple[str, str]:
    """(the WITH clause, the facet rows) over the matched datasets' keys (PostgreSQL)."""
    with_clause = (
        f"WITH m AS MATERIALIZED ({matched_sql}), "  # noqa: S608
        "c AS (SELECT split_part(k, E'\\t', 1) AS field, split_part(k, E'\\t', 2) AS value, "
        "COUNT(*) AS n FROM m, unnest(string_to_array(m.search_keys, E'\\n')) AS k "
        "GROUP BY k) "
    )
    parts = [
        f"SELECT '{name}' AS facet, {_KEYED_SQL[name][1]} AS name, "  # noqa: S608
        f"{_KEYED_SQL[name][2]} AS label, c.n AS n FROM {_KEYED_SQL[name][0]}"
        for name in fields
    ]
    return with_clause, " UNION ALL ".join(parts)


def _joined_statement(matched_sql: str, fields: list[str]) -> tuple[str, str]:
    """(the WITH clause, the facet rows) joining each facet's table to the matched ids (SQLite)."""
    parts = []
    for name in fields:
        source, value, label = _FACET_SQL[name]
        parts.append(
            f"SELECT '{name}' AS facet, {value} AS name, {label} AS label, COUNT(*) AS n "  # noqa: S608
            f"FROM m, {source} GROUP BY {value}, {label}"
        )
    return f"WITH m(id) AS ({matched_sql}) ", " UNION ALL ".join(parts)


def _count_and_facets(
    datasets: QuerySet, fields: list[str], limit: int
) -> tuple[int, dict[str, list[FacetItem]]]:
    if not fields:
        return datasets.count(), {}
    keyed = search_index.indexed()
    matched = datasets.order_by().values("search_keys" if keyed else "pk")
    matched_sql, params = matched.query.sql_with_params()
    # Every piece put into the text is a constant of this module or the SQL Django compiled for the
    # match; the values (search words, filter values, the limit) travel as parameters.
    with_clause, facet_rows = (_keyed_statement if keyed else _joined_statement)(
        matched_sql, fields
    )
    # The count travels as one more row, of the facet '' (always kept, whatever the limit).
    sql = (
        with_clause  # noqa: S608
        + "SELECT facet, name, label, n FROM ("
        "SELECT facet, name, label, n, ROW_NUMBER() OVER "
        "(PARTITION BY facet ORDER BY n DESC, name) AS position FROM ("
        + facet_rows
        + " UNION ALL SELECT '', '', '', COUNT(*) FROM m"
        ") counted) ranked"
        + (" WHERE position <= %s OR facet = ''" if limit >= 0 else "")
        + " ORDER BY facet, position"
    )
    count = 0
    result: dict[str, list[FacetItem]] = {name: [] for name in fields}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *([limit] if limit >= 0 else [])])
        for facet, name, label, n in cursor.fetchall():
            if facet:
                result[facet].append(FacetItem(name, label, n))
            else:
                count = n
    return count, result


def count_and_facets(
    datasets: QuerySet, fields, limit: int, *, version: str
) -> tuple[int, dict[str, list[FacetItem]]]:
    """How many datasets ``datasets`` holds and the counts per value of each facet of ``fields``
    (at most ``limit`` values each, most frequent first; -1: all), for the catalog at ``version``."""
    fields = [name for name in fields if name in _FACET_SQL]
    try:
        matched_sql, params = datasets.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a condition that nothing can meet (a tag no dataset has)
        return 0, {name: [] for name in fields}
    signature = repr((matched_sql, params, fields, limit, connection.vendor)).encode()
    key = f"opendata:counts:{version}:{hashlib.sha256(signature).hexdigest()}"
    found = cache.get(key)
    if found is not None:
        count, facets = found
        return count, facets
    count, facets = _count_and_facets(datasets, fields, limit)
    cache.set(key, (count, facets), timeout=COUNTS_CACHE_SECONDS)
    return count, facets
