"""Reads of the open data catalog: an organization's own datasets for its staff, the public catalog,
and the search with facets that the public pages and the CKAN ``package_search`` share."""

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from jichitai.core.japanese import fiscal_year_bounds
from jichitai.opendata.models import Dataset, Group, Resource
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get

MAX_ROWS = 1000
# Search words plus filter values one search may combine: each is a condition (a LIKE or a
# subquery) of one SQL statement, and SQLite refuses expressions nested about a thousand deep.
MAX_TERMS = 20
# How far a search pages: enough for harvesters walking the whole catalog of a prefecture.
MAX_START = 1_000_000
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")


def normalize_search(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _with_relations(queryset: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return queryset.select_related("organization", "division").prefetch_related(
        "tags",
        "groups",
        Prefetch("resources", queryset=Resource.objects.order_by("position", "pk")),
    )


# Staff side -----------------------------------------------------------------------------------


def datasets_with_relations(ids) -> QuerySet[Dataset]:
    return _with_relations(Dataset.objects.filter(pk__in=ids)).defer("search_text", "search_title")


def datasets_of(organization: Organization) -> QuerySet[Dataset]:
    return for_tenant(Dataset, organization).filter(deleted_at__isnull=True)


def dataset_of(organization: Organization, dataset_id) -> Dataset:
    return tenant_get(_with_relations(Dataset.objects.all()), organization, pk=dataset_id)


def resource_of(organization: Organization, resource_id) -> Resource:
    return tenant_get(
        Resource.objects.select_related("dataset", "derived_from"), organization, pk=resource_id
    )


def statistics_datasets() -> QuerySet[Dataset]:
    """Every dataset generated from a procedure, for the scheduled refresh (across organizations:
    the refresh job works on each one within its own organization)."""
    return Dataset.objects.filter(source_procedure__isnull=False, deleted_at__isnull=True)


# Public side ----------------------------------------------------------------------------------


def public_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(private=False, deleted_at__isnull=True)


def visible_datasets(organization: Organization | None) -> QuerySet[Dataset]:
    """What a caller may read: the public catalog, plus every live dataset of its own organization."""
    datasets = Dataset.objects.filter(deleted_at__isnull=True)
    if organization is None:
        return datasets.filter(private=False)
    return datasets.filter(Q(private=False) | Q(organization=organization))


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def dataset_by_name_or_id(queryset: QuerySet[Dataset], name_or_id: str) -> Dataset:
    """CKAN accepts a dataset's name or its id wherever it asks for one."""
    identifier = _uuid_or_none(name_or_id)
    lookup = Q(name=name_or_id) | Q(ckan_id=identifier) if identifier else Q(name=name_or_id)
    dataset = _with_relations(queryset).filter(lookup).first()
    if dataset is None:
        raise Http404
    return dataset


def dataset_version(queryset: QuerySet[Dataset], name_or_id: str) -> tuple[int, datetime]:
    """(id, last modification) of the dataset with that name or id, or 404."""
    identifier = _uuid_or_none(name_or_id)
    lookup = Q(name=name_or_id) | Q(ckan_id=identifier) if identifier else Q(name=name_or_id)
    found = queryset.filter(lookup).values_list("pk", "modified_at").first()
    if found is None:
        raise Http404
    return found


def resource_by_id(queryset: QuerySet[Dataset], resource_id: str) -> Resource:
    identifier = _uuid_or_none(resource_id)
    if identifier is None:
        raise Http404
    resource = (
        Resource.objects.select_related("dataset", "dataset__organization")
        .filter(ckan_id=identifier, dataset__in=queryset)
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def groups() -> QuerySet[Group]:
    return Group.objects.all()


def group_by_name_or_id(name_or_id: str) -> Group:
    identifier = _uuid_or_none(name_or_id)
    lookup = Q(name=name_or_id) | Q(ckan_id=identifier) if identifier else Q(name=name_or_id)
    group = Group.objects.filter(lookup).first()
    if group is None:
        raise Http404
    return group


def download_total(dataset: Dataset) -> int:
    return dataset.resources.aggregate(total=Sum("download_count"))["total"] or 0


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
    sort: str = "score desc, metadata_modified desc"
    rows: int = 10
    start: int = 0
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


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


def search(query: SearchQuery, *, visible: QuerySet[Dataset]) -> SearchResult:
    datasets = visible
    terms = normalize_search(query.text).split()
    for term in terms:
        datasets = datasets.filter(search_text__contains=term)
    if query.organizations:
        datasets = datasets.filter(organization__code__in=query.organizations)
    # Filters on to-many relations are subqueries, so no dataset is repeated and no DISTINCT is
    # needed when counting, ordering and paging.
    for name in query.groups:
        datasets = datasets.filter(
            pk__in=Dataset.groups.through.objects.filter(group__name=name).values("dataset_id")
        )
    for name in query.tags:
        datasets = datasets.filter(
            pk__in=Dataset.tags.through.objects.filter(tag__name=name).values("dataset_id")
        )
    for name in query.formats:
        datasets = datasets.filter(pk__in=Resource.objects.filter(format=name).values("dataset_id"))
    if query.licenses:
        datasets = datasets.filter(license_id__in=query.licenses)
    if query.names:
        datasets = datasets.filter(name__in=query.names)
    if query.modified_from:
        datasets = datasets.filter(modified_at__gte=query.modified_from)
    if query.modified_to:
        datasets = datasets.filter(modified_at__lte=query.modified_to)

    count = datasets.count()
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
    # Order and page over narrow rows; the datasets themselves are read only when needed.
    page = list(
        ranked.order_by(*_ordering(query.sort)).values_list("pk", "modified_at")[
            query.start : query.start + rows
        ]
    )
    matched_ids = datasets.values("pk")
    facets = {name: _facet(matched_ids, name, query.facet_limit) for name in query.facet_fields}
    return SearchResult(count=count, page=page, facets=facets)


def _facet(matched_ids, name: str, limit: int) -> list[FacetItem]:
    """Counts per value over the matched datasets, read from the narrowest table for each field
    (the link tables for tags and groups) so no count needs DISTINCT over a join."""
    datasets = Dataset.objects.filter(pk__in=matched_ids)
    sources = {
        "organization": (datasets, "organization__code", "organization__name", Count("pk")),
        "license_id": (datasets, "license_id", "license_id", Count("pk")),
        "tags": (
            Dataset.tags.through.objects.filter(dataset_id__in=matched_ids),
            "tag__name",
            "tag__name",
            Count("dataset_id"),
        ),
        "groups": (
            Dataset.groups.through.objects.filter(dataset_id__in=matched_ids),
            "group__name",
            "group__title",
            Count("dataset_id"),
        ),
        "res_format": (
            Resource.objects.filter(dataset_id__in=matched_ids).exclude(format=""),
            "format",
            "format",
            Count("dataset_id", distinct=True),
        ),
    }
    if name not in sources:
        return []
    queryset, key, label, counter = sources[name]
    rows = queryset.values(key, label).annotate(count=counter).order_by("-count", key)
    if limit >= 0:
        rows = rows[:limit]
    return [FacetItem(row[key], row[label], row["count"]) for row in rows]


# Figures --------------------------------------------------------------------------------------


def _fiscal_year_end(fiscal_year: int) -> datetime:
    _start, end = fiscal_year_bounds(fiscal_year)
    return timezone.make_aware(datetime.combine(end, time.max))


def published_by_end_of(organizations, fiscal_year: int) -> QuerySet[Dataset]:
    end = _fiscal_year_end(fiscal_year)
    return Dataset.objects.filter(
        organization__in=organizations,
        first_published_at__lte=end,
        private=False,
    ).filter(Q(deleted_at__isnull=True) | Q(deleted_at__gt=end))


def published_dataset_count(organization: Organization, fiscal_year: int) -> int:
    return published_by_end_of([organization], fiscal_year).count()


def publishing_municipality_count(prefecture: Organization, fiscal_year: int) -> int:
    municipalities = Organization.objects.filter(parent=prefecture)
    return (
        published_by_end_of(municipalities, fiscal_year)
        .values("organization_id")
        .distinct()
        .count()
    )


def municipality_overview(prefecture: Organization) -> list[dict]:
    """For each municipality of the prefecture: how many datasets it publishes and has in draft."""
    rows = []
    counts = {
        row["organization_id"]: row
        for row in Dataset.objects.filter(organization__parent=prefecture, deleted_at__isnull=True)
        .values("organization_id")
        .annotate(
            published=Count("pk", filter=Q(private=False)),
            draft=Count("pk", filter=Q(private=True)),
        )
    }
    for organization in Organization.objects.filter(parent=prefecture).order_by("code"):
        row = counts.get(organization.pk, {})
        rows.append(
            {
                "organization": organization,
                "published": row.get("published", 0),
                "draft": row.get("draft", 0),
            }
        )
    return rows
