"""The catalog's search with facets, shared by the public pages and CKAN's ``package_search``: the
conditions (words, filters, CKAN's q and fq read by ``ckan_query``), the page, and the count and
facet counts (``facets.py``; the indexes that make them fast in ``search_index.py``)."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from typing import TypeVar

from django.db import connection
from django.db.models import Case, IntegerField, Model, Prefetch, Q, QuerySet, Value, When

from jichitai.opendata import search_index
from jichitai.opendata.facets import FacetItem, count_and_facets, page_count_and_facets
from jichitai.opendata.licenses import LICENSES
from jichitai.opendata.models import CatalogVersion, Dataset, Group, Resource, Tag
from jichitai.tenancy.models import Division, Organization

MAX_ROWS = 1000
# Search words plus filter values one search may combine: each is a condition (a LIKE or a
# subquery) of one SQL statement, and SQLite refuses expressions nested about a thousand deep.
MAX_TERMS = 20
# How far a search pages: enough for harvesters walking the whole catalog of a prefecture.
MAX_START = 1_000_000
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")

ModelT = TypeVar("ModelT", bound=Model)


def normalize_search(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def with_relations(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("organization", "division").prefetch_related(
        "tags",
        "groups",
        Prefetch("resources", queryset=Resource.objects.order_by("position", "pk")),
    )


# What a listing never shows: the search columns (the widest of a dataset row).
SEARCH_COLUMNS = ("search_text", "search_title", "search_keys")


def datasets_with_relations(ids: Iterable[int]) -> list[Dataset]:
    """The datasets ``ids`` (in no particular order) with their organization, division, tags,
    groups and resources, as ``with_relations`` gives them. On PostgreSQL in one statement
    (``_related_rows``): a page read by prefetching took four, whose compiling and round trips
    cost more than the search itself once its counts were kept."""
    ids = list(ids)
    if not search_index.indexed():
        return list(with_relations(Dataset.objects.filter(pk__in=ids)).defer(*SEARCH_COLUMNS))
    return _related_rows(ids)


@cache
def _related_sql() -> str:
    """Each dataset's listed columns, organization, division, tags, groups and resources as JSON,
    the related rows in the order their models' default orderings give (as prefetching them)."""
    columns = ", ".join(
        f"d.{f.column}" for f in Dataset._meta.concrete_fields if f.name not in SEARCH_COLUMNS
    )
    tags, groups = Dataset.tags.through._meta, Dataset.groups.through._meta
    # Every name put into the text is a table or column name of the models.
    return (
        "SELECT row_to_json(d), row_to_json(o), row_to_json(v), "  # noqa: S608
        f"(SELECT json_agg(t ORDER BY t.name) FROM {Tag._meta.db_table} t "
        f"JOIN {tags.db_table} x ON x.tag_id = t.id WHERE x.dataset_id = d.id), "
        f"(SELECT json_agg(g ORDER BY g.name) FROM {Group._meta.db_table} g "
        f"JOIN {groups.db_table} x ON x.group_id = g.id WHERE x.dataset_id = d.id), "
        f"(SELECT json_agg(r ORDER BY r.position, r.id) FROM {Resource._meta.db_table} r "
        "WHERE r.dataset_id = d.id) "
        f"FROM (SELECT {columns} FROM {Dataset._meta.db_table} d WHERE d.id = ANY(%s)) d "
        f"JOIN {Organization._meta.db_table} o ON o.id = d.organization_id "
        f"LEFT JOIN {Division._meta.db_table} v ON v.id = d.division_id"
    )


def _instance(model: type[ModelT], row: dict) -> ModelT:
    """A ``model`` instance of a row read as JSON (the model's columns it has; others deferred)."""
    fields = [f for f in model._meta.concrete_fields if f.column in row]
    return model.from_db(
        connection.alias,
        [f.attname for f in fields],
        [f.to_python(row[f.column]) for f in fields],
    )


def _prefetched(instance: Model, name: str, objects: list) -> None:
    """``instance.<name>.all()`` gives ``objects`` without a query, as ``prefetch_related`` leaves
    it (Django's own prefetch cache: no public call fills it with rows read otherwise)."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


def _related_rows(ids: list[int]) -> list[Dataset]:
    with connection.cursor() as cursor:
        cursor.execute(_related_sql(), [ids])
        rows = cursor.fetchall()
    datasets = []
    for dataset_row, organization, division, tags, groups, resources in rows:
        dataset = _instance(Dataset, dataset_row)
        dataset.organization = _instance(Organization, organization)
        dataset.division = _instance(Division, division) if division else None
        _prefetched(dataset, "tags", [_instance(Tag, row) for row in tags or []])
        _prefetched(dataset, "groups", [_instance(Group, row) for row in groups or []])
        own = [_instance(Resource, row) for row in resources or []]
        for resource in own:
            resource.dataset = dataset
        _prefetched(dataset, "resources", own)
        datasets.append(dataset)
    return datasets


# Search ---------------------------------------------------------------------------------------


@dataclass
class SearchQuery:
    text: str = ""
    organizations: list[str] = field(default_factory=list)  # organization codes
    groups: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    modified_from: datetime | None = None
    modified_to: datetime | None = None
    # Further conditions on datasets (CKAN's q and fq, read by ckan_query), all of which must hold.
    conditions: list[Q] = field(default_factory=list)
    sort: str = "score desc, metadata_modified desc"
    rows: int = 10
    start: int = 0
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50


@dataclass
class SearchResult:
    count: int
    # The page as (id, last modification) in order: enough to serve cached CKAN dictionaries.
    page: list[tuple[int, datetime]]
    facets: dict[str, list[FacetItem]]

    @cached_property
    def datasets(self) -> list[Dataset]:
        """The page's datasets with what a listing shows (organization, tags, resources)."""
        by_id = {d.pk: d for d in datasets_with_relations([pk for pk, _ in self.page])}
        return [by_id[pk] for pk, _ in self.page if pk in by_id]


SORTS = {
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "name": "name",
    "title_string": "title",
    "title": "title",
    "id": "ckan_id",  # ckanext-harvest pages with sort=id asc
}


def _ordering(sort: str) -> list[str]:
    ordering = []
    for part in (sort or "").split(","):
        words = part.split()
        if not words:
            continue
        key = words[0]
        descending = len(words) > 1 and words[1].lower() == "desc"
        if key == "score":
            ordering.append("-score")
        elif key in SORTS:
            ordering.append(("-" if descending else "") + SORTS[key])
    return [*ordering, "-modified_at", "pk"]


def _named_ids(model: type[Group] | type[Tag], name: str) -> list[int]:
    return list(model.objects.filter(name=name).values_list("pk", flat=True))


def _keyed(field: str, value: str, ids: list[int] | None = None) -> Q:
    """The datasets whose search keys have ``field`` ``value`` (PostgreSQL); with ``ids``, the
    value is the id of the named tag or group, and a name that names none matches nothing."""
    if ids is None:
        return search_index.key_condition(field, value)
    return search_index.key_condition(field, ids[0]) if ids else Q(pk__in=[])


def field_condition(name: str, value: str) -> Q:
    """The datasets whose CKAN field ``name`` (organization, owner_org, groups, tags, res_format,
    license_id, name) has ``value``; to-many fields are looked up in the search keys on PostgreSQL
    and are subqueries on SQLite, so a negation stays exact either way."""
    if name in ("organization", "owner_org"):
        if search_index.indexed():
            # One more number in the same GIN containment as the words and other filters, instead
            # of a join to the organizations and a second index ANDed with it.
            ids = Organization.objects.filter(code=value).values_list("pk", flat=True)
            return _keyed("organization", value, list(ids))
        return Q(organization__code=value)
    if name == "groups":
        if search_index.indexed():
            return _keyed("groups", value, _named_ids(Group, value))
        return Q(
            pk__in=Dataset.groups.through.objects.filter(group__name=value).values("dataset_id")
        )
    if name == "tags":
        if search_index.indexed():
            return _keyed("tags", value, _named_ids(Tag, value))
        return Q(pk__in=Dataset.tags.through.objects.filter(tag__name=value).values("dataset_id"))
    if name == "res_format":
        if search_index.indexed():
            return _keyed("res_format_upper", value.upper())
        return Q(pk__in=Resource.objects.filter(format__iexact=value).values("dataset_id"))
    if name == "license_id":
        return Q(license_id=value)
    if name == "name":
        return Q(name=value)
    raise ValueError(name)


def catalog_version() -> str:
    """The catalog's version: the database moves it with every write to datasets, their tags,
    groups and resources, tags, groups and organizations, in the writing transaction (0006)."""
    number = CatalogVersion.objects.values_list("number", flat=True).first()
    return str(number)


def search(query: SearchQuery, *, visible: QuerySet[Dataset]) -> SearchResult:
    datasets = visible
    terms = normalize_search(query.text).split()
    for term in terms:
        datasets = datasets.filter(search_index.text_condition("search_text", term))
    if query.organizations:
        datasets = datasets.filter(organization__code__in=query.organizations)
    # Filters on to-many relations are key lookups or subqueries, so no dataset is repeated and no
    # DISTINCT is needed when counting, ordering and paging.
    for name in query.groups:
        datasets = datasets.filter(field_condition("groups", name))
    for name in query.tags:
        datasets = datasets.filter(field_condition("tags", name))
    for name in query.formats:
        datasets = datasets.filter(
            search_index.key_condition("res_format", name)
            if search_index.indexed()
            else Q(pk__in=Resource.objects.filter(format=name).values("dataset_id"))
        )
    if query.licenses:
        datasets = datasets.filter(license_id__in=query.licenses)
    if query.names:
        datasets = datasets.filter(name__in=query.names)
    if query.modified_from:
        datasets = datasets.filter(modified_at__gte=query.modified_from)
    if query.modified_to:
        datasets = datasets.filter(modified_at__lte=query.modified_to)
    for condition in query.conditions:
        datasets = datasets.filter(condition)

    if terms:
        # Relevance: how many of the words appear in the title.
        title_hits = [
            Case(
                When(search_title__contains=term, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ]
        ranked = datasets.annotate(score=sum(title_hits[1:], title_hits[0]))
    else:
        ranked = datasets.annotate(score=Value(0, output_field=IntegerField()))
    rows = max(0, min(query.rows, MAX_ROWS))
    ordering = _ordering(query.sort)

    def page_of() -> list[tuple[int, datetime]]:
        # Order and page over narrow rows; the datasets themselves are read only when needed.
        return list(
            ranked.order_by(*ordering).values_list("pk", "modified_at")[
                query.start : query.start + rows
            ]
        )

    if search_index.indexed():
        page, count, facets = page_count_and_facets(
            ranked,
            # Without words every score is 0: the order is that of the columns after it.
            ordering if terms else [name for name in ordering if name != "-score"],
            query.start,
            rows,
            query.facet_fields,
            query.facet_limit,
            version=catalog_version(),
            page_of=page_of,
        )
        return SearchResult(count=count, page=page, facets=_licence_titles(facets))
    page = page_of()
    count, facets = count_and_facets(
        datasets, query.facet_fields, query.facet_limit, version=catalog_version()
    )
    return SearchResult(count=count, page=page, facets=_licence_titles(facets))


def _licence_titles(facets: dict[str, list[FacetItem]]) -> dict[str, list[FacetItem]]:
    """A licence facet value is shown by the licence's title, as CKAN's package_search shows it;
    an id the platform does not know stays as it is."""
    for item in facets.get("license_id", []):
        known = LICENSES.get(item.name)
        if known is not None:
            item.display_name = str(known.title)
    return facets
