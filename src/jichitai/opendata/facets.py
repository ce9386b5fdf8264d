"""Facet counts of a search (organization, groups, tags, res_format, license_id), all in one SQL
statement over the matched datasets.

Why one pass and not counts kept incrementally: a facet count depends on the whole query (words
and filters), so counts kept per value would only serve the unfiltered catalog; a search's own
counts need its matched set anyway. The match (the text condition and the filters) is evaluated
once into a materialized set (``WITH m AS MATERIALIZED``), and each facet is a GROUP BY over its
join with that set, ranked with ROW_NUMBER for ``facet.limit``. Before, each facet ran the match
again inside its own ``IN (SELECT …)``: seven evaluations of the text filter per faceted request."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


# Each facet: the rows to count per matched dataset (joined on the matched ids ``m.id``), the
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


def facet_counts(datasets: QuerySet, fields, limit: int) -> dict[str, list[FacetItem]]:
    """Counts per value of each facet over the matched datasets, in one statement: the match
    (text and filters) is evaluated once into a materialized set, and every facet counts over it,
    instead of re-running the match inside each facet's ``IN (SELECT …)``."""
    fields = [name for name in fields if name in _FACET_SQL]
    if not fields:
        return {}
    matched_sql, params = datasets.values("pk").query.sql_with_params()
    # Every piece put into the text is a constant of this module or the SQL Django compiled for the
    # match; the values (search words, filter values, the limit) travel as parameters.
    parts = []
    for name in fields:
        source, key, label = _FACET_SQL[name]
        parts.append(
            f"SELECT '{name}' AS facet, {key} AS name, {label} AS label, COUNT(*) AS n "  # noqa: S608
            f"FROM m, {source} "
            f"GROUP BY {key}, {label}"
        )
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    sql = (
        f"WITH m(id) AS {materialized}({matched_sql}) "  # noqa: S608
        "SELECT facet, name, label, n FROM ("
        "SELECT facet, name, label, n, ROW_NUMBER() OVER "
        "(PARTITION BY facet ORDER BY n DESC, name) AS position FROM ("
        + " UNION ALL ".join(parts)
        + ") counted) ranked"
        + (" WHERE position <= %s" if limit >= 0 else "")
        + " ORDER BY facet, position"
    )
    result: dict[str, list[FacetItem]] = {name: [] for name in fields}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *([limit] if limit >= 0 else [])])
        for facet, name, label, count in cursor.fetchall():
            result[facet].append(FacetItem(name, label, count))
    return result
