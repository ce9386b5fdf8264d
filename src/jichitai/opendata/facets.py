"""The number of datasets a search matches and its facet counts (organization, groups, tags,
res_format, license_id), kept in the cache for the catalog's version.

A facet count depends on the whole query (words and filters), so counts kept per value would only
serve the unfiltered catalog; a search's own counts need its matched set. The match (the text
condition and the filters) is evaluated once into a materialized set (``WITH m AS MATERIALIZED``),
the count is its size and every facet counts over it, in one statement.

On PostgreSQL the statement returns the matched ids, and the facets are counted in this process
over the facet key numbers of every dataset held as a matrix (``facet_matrix``), brought to the
version the statement read by the changes logged since, read in the same statement; a GROUP BY of
the matched rows' ``search_facet_ids`` in the database took a third of a fresh count at 100,000
datasets (it remains for when the matrix cannot be brought to that version). The page is a
statement of its own that PostgreSQL can stop early (``page_count_and_facets``): sorted by the
last change, it walks that column's index and reads only the rows up to the page's end; ranked by
relevance, every match is read in order in the counting statement and kept, so later pages are
slices. SQLite counts joining each facet's table to the matched ids, ranked with ROW_NUMBER for
``facet.limit``.

A count over most of a large catalog (``q=一覧`` matches 60% of 100,000 datasets) visits every
matched row however it is indexed; the counts of a query depend on its conditions only, not on the
page or the order, so they are kept in the cache under the catalog's version (a number the
database moves with every write a search reads, migration 0006) and a harvester paging through the
results counts once: then only the page is read. On PostgreSQL a write does not make every kept
count worthless: the database logs each changed dataset with its facet keys as they were, once
per statement at the version that statement moved to (migrations 0008, 0009: a statement may log
many datasets at one version), and counts kept for an older version are brought up to date from
the few changes since (``_replayed``), exactly, since the ids of the matched datasets are kept
with them.
Kept counts are per facet key number, of every facet value (not only those ``facet.limit``
shows), named and ranked when served (``facet_labels``, held per catalog version), so a renamed
tag or organization shows its new name."""

import hashlib
from array import array
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from jichitai.opendata import facet_labels, facet_matrix, search_index
from jichitai.opendata.facet_labels import FacetItem

COUNTS_CACHE_SECONDS = 300


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

# How many matched rows (``m``) have each facet key number, as a JSON list of [number, n].
_KEY_NUMBER_COUNTS = (
    "(SELECT json_agg(json_build_array(f, n)) FROM (SELECT f, COUNT(*) AS n FROM "
    "(SELECT unnest(m.facet_ids) AS f FROM m) u GROUP BY f) g)"
)


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


def _ranked(facet_rows: str, limit: int) -> str:
    """The facet rows ranked per facet, at most ``limit`` each (-1: all): ``%s`` takes the limit."""
    return (
        "SELECT facet, name, label, n, position FROM ("  # noqa: S608
        "SELECT facet, name, label, n, ROW_NUMBER() OVER "
        "(PARTITION BY facet ORDER BY n DESC, name) AS position FROM (" + facet_rows + ") counted"
        ") ranked" + (" WHERE position <= %s" if limit >= 0 else "")
    )


def _count_and_facets(
    datasets: QuerySet, fields: list[str], limit: int
) -> tuple[int, dict[str, list[FacetItem]]]:
    """Count and facets in one statement of their own (SQLite)."""
    if not fields:
        return datasets.count(), {}
    matched_sql, params = datasets.order_by().values("pk").query.sql_with_params()
    # Every piece put into the text is a constant of this module or the SQL Django compiled for the
    # match; the values (search words, filter values, the limit) travel as parameters.
    with_clause, facet_rows = _joined_statement(matched_sql, fields)
    # The count travels as one more row, of the facet '' (always kept, whatever the limit).
    sql = (
        with_clause  # noqa: S608
        + "SELECT facet, name, label, n FROM ("
        + _ranked(facet_rows, limit)
        + " UNION ALL SELECT '', '', '', COUNT(*), 0 FROM m) found ORDER BY facet, position"
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


def _cache_key(datasets: QuerySet, fields: list[str], limit: int, version: str) -> str | None:
    """The cache key of the counts of ``datasets``; None when nothing can match."""
    try:
        matched_sql, params = datasets.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a condition that nothing can meet (a tag no dataset has)
        return None
    signature = repr((matched_sql, params, fields, limit, connection.vendor)).encode()
    return f"opendata:counts:{version}:{hashlib.sha256(signature).hexdigest()}"


def count_and_facets(
    datasets: QuerySet, fields, limit: int, *, version: str
) -> tuple[int, dict[str, list[FacetItem]]]:
    """How many datasets ``datasets`` holds and the counts per value of each facet of ``fields``
    (at most ``limit`` values each, most frequent first; -1: all), for the catalog at ``version``."""
    fields = [name for name in fields if name in _FACET_SQL]
    key = _cache_key(datasets, fields, limit, version)
    if key is None:
        return 0, {name: [] for name in fields}
    found = cache.get(key)
    if found is not None:
        count, facets = found
        return count, facets
    count, facets = _count_and_facets(datasets, fields, limit)
    cache.set(key, (count, facets), timeout=COUNTS_CACHE_SECONDS)
    return count, facets


# PostgreSQL ------------------------------------------------------------------------------------

# Changes replayed onto kept counts at most; after more, the query is counted again.
MAX_REPLAYED_CHANGES = 500
# How many versions the change log reaches back (its triggers remove older entries). A statement
# changing more datasets than MAX_REPLAYED_CHANGES logs one recount entry instead (migration 0009).
KEPT_VERSIONS = 10_000


@dataclass
class KeptCounts:
    """One query's counts as kept in the cache on PostgreSQL, for the catalog at ``version``: the
    ids of the matched datasets (to tell whether a changed dataset was counted) and, when facets
    were asked for, how many matched datasets have each facet key number."""

    version: int
    count: int
    matched: bytes  # the ids as array("q")
    key_counts: dict[int, int] | None
    # The ordering the ids are in, when they were read sorted (relevance): a later page of the
    # same query at the same version is a slice of them, not a sort of every match again.
    order: tuple[str, ...] | None = None


def _kept(
    version: int, ids: list[int], key_counts: dict[int, int] | None, order=None
) -> KeptCounts:
    return KeptCounts(version, len(ids), array("q", ids).tobytes(), key_counts, order)


def _kept_page(kept: KeptCounts, ordering: list[str], start: int, rows: int) -> list | None:
    """The page of kept ids read in ``ordering`` with each dataset's last change; None when the
    ids were not kept in that order (or were brought up to date from the change log since)."""
    if getattr(kept, "order", None) != tuple(ordering):
        return None
    ids = array("q")
    ids.frombytes(kept.matched)
    page_ids = list(ids[start : start + rows])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, modified_at FROM opendata_dataset WHERE id = ANY(%s)", [page_ids]
        )
        modified = dict(cursor.fetchall())
    return [(pk, modified[pk]) for pk in page_ids if pk in modified]


def _key_counts(rows: list | None) -> dict[int, int]:
    return dict(rows or [])


def _matched_set(datasets: QuerySet, with_facets: bool) -> tuple[str, list]:
    """The WITH clause of the matched set ``m`` (id, facet_ids) of ``datasets`` and its
    parameters; without facets, facet_ids is not read."""
    matched = datasets.order_by().annotate(facet_ids=search_index.FacetIds())
    columns = ("pk", "facet_ids") if with_facets else ("pk",)
    sql, params = matched.values(*columns).query.sql_with_params()
    names = "id, facet_ids" if with_facets else "id"
    with_clause = "WITH m AS MATERIALIZED (SELECT * FROM (" + sql + f") AS x({names})) "  # noqa: S608
    return with_clause, list(params)


def _counted_in_sql(datasets: QuerySet) -> KeptCounts:
    """The counts of ``datasets`` read afresh, for the version read in the same statement, the
    facets grouped by the database (when the held facet matrix cannot serve)."""
    with_clause, params = _matched_set(datasets, True)
    sql = (
        with_clause  # noqa: S608
        + "SELECT (SELECT number FROM opendata_catalogversion WHERE id = 1), "
        + "ARRAY(SELECT id FROM m), "
        + _KEY_NUMBER_COUNTS
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        version, ids, key_rows = cursor.fetchone()
    return _kept(version or 0, ids, _key_counts(key_rows))


def _counted(datasets: QuerySet) -> KeptCounts:
    """The counts of ``datasets`` read afresh, for the version read in the same statement: the
    statement reads the matched ids and the changes the held facet matrix needs to be of that
    version, and the facets are counted over the matrix (``facet_matrix``)."""
    with_clause, params = _matched_set(datasets, False)
    for _attempt in range(2):
        matrix = facet_matrix.held()
        delta_sql, delta_params = facet_matrix.delta_sql(matrix.version)
        # The pieces are constants of this module and facet_matrix, and the SQL Django compiled.
        sql = (
            with_clause  # noqa: S608
            + "SELECT (SELECT number FROM opendata_catalogversion WHERE id = 1), "
            + "ARRAY(SELECT id FROM m), "
            + delta_sql
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *delta_params])
            version, ids, delta = cursor.fetchone()
        key_counts = facet_matrix.counts_at(
            matrix, version or 0, delta, ids, kept_versions=KEPT_VERSIONS
        )
        if key_counts is not None:
            return _kept(version or 0, ids, key_counts)
    return _counted_in_sql(datasets)


def _replayed(kept: KeptCounts, datasets: QuerySet) -> KeptCounts | None:
    """``kept`` brought to the catalog's current version by the changes logged since: each
    changed dataset that was counted is taken out with its facet keys as they were, and each that
    matches now is counted with its keys as they are. None when the counts must be read afresh
    (too many changes, a log that no longer reaches back so far, a change the log cannot tell)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE dataset_id IS NULL) "
            "FROM opendata_catalogchange WHERE version > %s",
            [kept.version],
        )
        changes, recounts = cursor.fetchone()
    if recounts or changes > MAX_REPLAYED_CHANGES:
        return None
    # The log, the version and the changed datasets as they match now are read in one statement,
    # so from one snapshot: the counts are those of exactly that version. The match is evaluated
    # over the changed rows alone: a WITH query of the table's own name stands for the table in
    # the match's SQL (the match is a condition on each dataset row and its organization), so the
    # planner cannot start from an index of the whole catalog.
    now = datasets.order_by().annotate(facet_ids=search_index.FacetIds()).values("pk", "facet_ids")
    now_sql, now_params = now.query.sql_with_params()
    sql = (
        "WITH c AS (SELECT dataset_id, version, old_facet_ids FROM opendata_catalogchange "  # noqa: S608
        "WHERE version > %s), "
        "opendata_dataset AS MATERIALIZED (SELECT * FROM opendata_dataset "
        "WHERE id IN (SELECT dataset_id FROM c)) "
        "SELECT (SELECT number FROM opendata_catalogversion WHERE id = 1), "
        "(SELECT COUNT(*) FROM c WHERE dataset_id IS NULL), "
        # Each changed dataset's keys as they were at the kept version: before its first change
        # (a statement logs a dataset once, so one entry per dataset and version).
        "(SELECT json_agg(json_build_array(dataset_id, old_facet_ids)) FROM "
        "(SELECT DISTINCT ON (dataset_id) dataset_id, old_facet_ids FROM c "
        "WHERE dataset_id IS NOT NULL ORDER BY dataset_id, version) first), "
        f"(SELECT json_agg(json_build_array(x.id, x.facet_ids)) FROM ({now_sql}) AS x(id, facet_ids))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kept.version, *now_params])
        version, recounts, before, after = cursor.fetchone()
    if version is None or version < kept.version or version - kept.version > KEPT_VERSIONS:
        return None
    if recounts:
        return None
    ids = array("q")
    ids.frombytes(kept.matched)
    matched = set(ids)
    key_counts = Counter(kept.key_counts or {})
    for dataset_id, old_facet_ids in before or []:
        if dataset_id in matched:
            matched.remove(dataset_id)
            key_counts.subtract(old_facet_ids or [])
    for dataset_id, facet_ids in after or []:
        matched.add(dataset_id)
        key_counts.update(facet_ids)
    counts = {number: n for number, n in key_counts.items() if n > 0}
    return _kept(version, list(matched), counts if kept.key_counts is not None else None)


# The columns the matched set ``m`` of the one-pass statement may carry: the page's own, and what
# an ordering sorts by. Only those the ordering needs are read: every matched row is copied.
ORDER_COLUMNS = ("created_at", "name", "title", "ckan_id", "score")


def _columns(ordering: list[str]) -> list[str]:
    sorted_by = {name.lstrip("-") for name in ordering}
    return ["id", "modified_at", *(name for name in ORDER_COLUMNS if name in sorted_by)]


def _order_sql(ordering: list[str]) -> str:
    parts = []
    for name in ordering:
        column = "id" if name.lstrip("-") == "pk" else name.lstrip("-")
        parts.append(f"m.{column} DESC" if name.startswith("-") else f"m.{column}")
    return ", ".join(parts)


def _one_pass(
    ranked: QuerySet, ordering: list[str], start: int, rows: int
) -> tuple[list, KeptCounts]:
    """The page and the counts of ``ranked`` in one statement that reads each matched row once
    (PostgreSQL): for an order no index gives (relevance), where the page needs every match. The
    facets are counted over the held facet matrix brought to the statement's version; when it
    cannot be, by the database in one more statement."""
    columns = _columns(ordering)
    # values() puts the fields first and the annotations after (score): the names given to the
    # columns below follow that order.
    fields_first = [c for c in columns if c != "score"] + [c for c in columns if c == "score"]
    matched_sql, params = ranked.order_by().values(*fields_first).query.sql_with_params()
    order = _order_sql(ordering)
    matrix = facet_matrix.held()
    delta_sql, delta_params = facet_matrix.delta_sql(matrix.version)
    sql = (
        f"WITH m AS MATERIALIZED (SELECT * FROM ({matched_sql}) AS x"  # noqa: S608
        f"({', '.join(fields_first)})) "
        # The order ends with the id: both sorts give the same sequence.
        "SELECT (SELECT number FROM opendata_catalogversion WHERE id = 1), "
        f"ARRAY(SELECT id FROM m ORDER BY {order}), "
        f"ARRAY(SELECT modified_at FROM m ORDER BY {order} LIMIT %s OFFSET %s), {delta_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, rows, start, *delta_params])
        version, ids, modified, delta = cursor.fetchone()
    # Every match in order is kept: a later page of this query is a slice of it (``_kept_page``).
    page = list(zip(ids[start : start + rows], modified, strict=True))
    order = tuple(ordering)
    key_counts = facet_matrix.counts_at(
        matrix, version or 0, delta, ids, kept_versions=KEPT_VERSIONS
    )
    if key_counts is None:
        return page, _counted(ranked)
    return page, _kept(version or 0, ids, key_counts, order)


def preload() -> None:
    """Reads the facet matrix and the labels of every facet value it holds (PostgreSQL), as the
    first faceted search would (a fifth of a second at 100,000 datasets); registered to run before
    the server serves (``core.serving``), so that no request waits for it and, under gunicorn's
    ``--preload``, the workers share one copy of it."""
    if not search_index.indexed():
        return
    matrix = facet_matrix.held()
    facet_labels.hold(matrix.numbers[1:], str(matrix.version))


def _kept_key(datasets: QuerySet) -> str | None:
    """The cache key of the counts of ``datasets`` (any version); None when nothing can match."""
    try:
        matched_sql, params = datasets.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a condition that nothing can meet (a tag no dataset has)
        return None
    signature = repr((matched_sql, params)).encode()
    return f"opendata:kept-counts:{hashlib.sha256(signature).hexdigest()}"


def page_count_and_facets(
    ranked: QuerySet,
    ordering: list[str],
    start: int,
    rows: int,
    fields,
    limit: int,
    *,
    version: str,
    page_of,
) -> tuple[list, int, dict[str, list[FacetItem]]]:
    """The page (``rows`` from ``start`` in ``ordering``), count and facets of ``ranked`` (the
    matched datasets with their ``score``) on PostgreSQL. Counts kept for ``version`` are served
    with the page alone: a slice of the kept ids when they were kept in this order (relevance,
    ``_kept_page``), else ``page_of``; counts kept for an older version are brought up to date
    from the change log when few datasets changed since (``_replayed``). Else, ranked by
    relevance, the page needs every match and one statement reads both (``_one_pass``); in any
    other order the page is a statement of its own that stops at the page's end (newest first,
    PostgreSQL walks the index of the last change and reads only the rows up to the page's end,
    however many match), and the counts one more that reads the matched rows unsorted."""
    fields = [name for name in fields if name in _FACET_SQL]
    # The facet key counts are taken whatever facets the request asks for (one bincount over the
    # held matrix, a millisecond or two): the counts kept by a search without facets serve the
    # same query with facets, and the other way round.
    key = _kept_key(ranked)
    if key is None:
        return [], 0, {name: [] for name in fields}
    kept = cache.get(key)
    if kept is not None and str(kept.version) != version:
        kept = _replayed(kept, ranked)
        if kept is not None:
            cache.set(key, kept, timeout=COUNTS_CACHE_SECONDS)
    if kept is not None:
        page = _kept_page(kept, ordering, start, rows)
        if page is None:
            page = page_of()
    elif ordering[0] == "-score":
        page, kept = _one_pass(ranked, ordering, start, rows)
        cache.set(key, kept, timeout=COUNTS_CACHE_SECONDS)
    else:
        page = page_of()
        kept = _counted(ranked)
        cache.set(key, kept, timeout=COUNTS_CACHE_SECONDS)
    return (
        page,
        kept.count,
        facet_labels.labeled(kept.key_counts or {}, fields, limit, version=version),
    )
