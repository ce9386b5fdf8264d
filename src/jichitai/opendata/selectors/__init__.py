"""Reads of the open data catalog: an organization's own datasets for its staff, the public catalog,
and the figures; the search with facets that the public pages and the CKAN ``package_search`` share
is in ``search.py``."""

import uuid
from collections.abc import Collection, Mapping
from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jichitai.core.japanese import fiscal_year_bounds
from jichitai.opendata.models import Dataset, Group, Resource, Tag
from jichitai.opendata.registry import standard_datasets
from jichitai.opendata.selectors.search import (
    FACET_FIELDS,
    MAX_ROWS,
    MAX_START,
    MAX_TERMS,
    SearchQuery,
    SearchResult,
    catalog_version,
    datasets_with_relations,
    field_condition,
    normalize_search,
    search,
    with_relations,
)
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, municipalities_of, tenant_get

# The search's names, read by the views and the CKAN actions as ``selectors.<name>``.
__all__ = [
    "FACET_FIELDS",
    "MAX_ROWS",
    "MAX_START",
    "MAX_TERMS",
    "SearchQuery",
    "SearchResult",
    "catalog_version",
    "datasets_with_relations",
    "field_condition",
    "normalize_search",
    "search",
    "with_relations",
]


# Staff side -----------------------------------------------------------------------------------


def datasets_of(organization: Organization) -> QuerySet[Dataset]:
    return for_tenant(Dataset, organization).filter(deleted_at__isnull=True)


def deleted_datasets_of(organization: Organization) -> QuerySet[Dataset]:
    """Deleted datasets, which a manager may restore: the latest deleted first."""
    return (
        for_tenant(Dataset, organization).filter(deleted_at__isnull=False).order_by("-deleted_at")
    )


def dataset_of(organization: Organization, dataset_id: int | str) -> Dataset:
    return tenant_get(with_relations(Dataset.objects.all()), organization, pk=dataset_id)


def resource_of(organization: Organization, resource_id: int | str) -> Resource:
    return tenant_get(
        Resource.objects.select_related("dataset", "derived_from"), organization, pk=resource_id
    )


def dataset_list(organization: Organization) -> QuerySet[Dataset]:
    """The staff list: live datasets, newest change first, with their number of resources."""
    return (
        datasets_of(organization)
        .select_related("division")
        .annotate(resource_count=Count("resources"))
        .order_by("-modified_at")
    )


def dataset_counts(organization: Organization) -> dict[str, int]:
    """How many live datasets the organization has published and has in draft."""
    return datasets_of(organization).aggregate(
        published=Count("pk", filter=Q(private=False)),
        draft=Count("pk", filter=Q(private=True)),
    )


def dataset_name_taken(name: str) -> bool:
    """Whether any dataset, of any organization and deleted or not, has the name (names are
    site-wide, as CKAN's)."""
    return Dataset.objects.filter(name=name).exists()


def own_datasets(organization: Organization) -> QuerySet[Dataset]:
    """Every dataset of the organization, deleted ones included (a CKAN update revives one)."""
    return for_tenant(Dataset, organization)


def own_dataset(organization: Organization, name_or_id: str) -> Dataset:
    return dataset_by_name_or_id(own_datasets(organization), name_or_id)


def own_resource(organization: Organization, resource_id: str) -> Resource:
    return resource_by_id(own_datasets(organization), resource_id)


def resources_of(dataset: Dataset) -> list[Resource]:
    return list(dataset.resources.all())


def shown_resource(resource: Resource) -> Resource:
    """The resource a page shows for a stored file: the CSV made from it (an Excel file's), else
    the file itself."""
    return resource.derived.first() or resource


def dataset_resource(dataset: Dataset, resource_id: object) -> Resource | None:
    """The resource of ``dataset`` with that CKAN id, or None."""
    identifier = _uuid_or_none(resource_id)
    return dataset.resources.filter(ckan_id=identifier).first() if identifier else None


def unlisted_resources(dataset: Dataset, *, kept: Collection[int]) -> list[Resource]:
    """The dataset's own resources (not CSVs made from Excel) that are neither in ``kept`` nor the
    source of a resource in ``kept``: what a full CKAN update that does not list them removes."""
    return list(
        dataset.resources.filter(derived_from__isnull=True)
        .exclude(pk__in=kept)
        .exclude(derived__pk__in=kept)
    )


def file_source(resource: Resource) -> Resource:
    """The resource whose file a page's replace and delete act on: an Excel file's CSV stands for
    the Excel file; any other resource, a layout conversion included, for itself."""
    if resource.derived_from is not None and not is_layout_conversion(resource):
        return resource.derived_from
    return resource


def made_from(resource: Resource) -> list[Resource]:
    """What was made from a resource (an Excel file's CSV, a conversion to the current layout) and
    from those (the conversion of that CSV): it goes when the resource is replaced or deleted."""
    made = list(resource.derived.all())
    return made + [r for derived in made for r in derived.derived.all()]


def is_layout_conversion(resource: Resource) -> bool:
    return "layout_conversion" in (resource.conversion or {})


def layout_conversion_offered(resource: Resource) -> bool:
    """Whether the resource's report found the older 推奨データセット layout of a standard dataset
    that also has a current layout, so a conversion to the current layout can be made."""
    if resource.standard not in standard_datasets:
        return False
    return (
        "current" in standard_datasets.get(resource.standard).layouts
        and resource.is_upload
        and resource.format == "CSV"
        and any(w["rule"] == "legacy-layout" for w in resource.validation.get("warnings", []))
    )


def layout_conversion_of(resource: Resource) -> Resource | None:
    """The current-layout CSV made from ``resource``, if one was made."""
    return resource.derived.filter(conversion__has_key="layout_conversion").first()


def resource_standard(resource: Resource) -> str:
    """The standard dataset a resource follows (for an Excel file, the one its CSV carries)."""
    derived = resource.derived.first()
    return derived.standard if derived else resource.standard


def statistics_datasets() -> QuerySet[Dataset]:
    """Every dataset generated from a procedure, for the scheduled refresh (across organizations:
    the refresh job works on each one within its own organization)."""
    return Dataset.objects.filter(
        source_procedure__isnull=False, deleted_at__isnull=True
    ).select_related("source_procedure")


# Public side ----------------------------------------------------------------------------------


def public_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(private=False, deleted_at__isnull=True)


def public_datasets_of(organization: Organization) -> QuerySet[Dataset]:
    return for_tenant(public_datasets(), organization)


def latest_public_datasets(organization: Organization, *, limit: int) -> list[Dataset]:
    return list(public_datasets_of(organization).order_by("-modified_at")[:limit])


def public_datasets_in_group(group: Group) -> QuerySet[Dataset]:
    return public_datasets().filter(groups=group)


def public_datasets_with_relations() -> QuerySet[Dataset]:
    return with_relations(public_datasets())


def public_catalog_page(page: int, *, per_page: int) -> tuple[list[Dataset], int]:
    """One page of the public catalog, most recently changed first, and the number of datasets."""
    datasets = public_datasets_with_relations().order_by("-modified_at", "pk")
    start = (page - 1) * per_page
    return list(datasets[start : start + per_page]), public_datasets().count()


def catalog_publisher() -> Organization | None:
    """Who publishes the catalog as a whole: the prefecture that runs it."""
    return Organization.objects.filter(kind="prefecture", is_active=True).order_by("code").first()


def public_dataset_names() -> QuerySet[Dataset, str]:
    return public_datasets().order_by("name").values_list("name", flat=True)


def _public_counts(field: str) -> dict:
    rows = public_datasets().values(field).annotate(count=Count("pk", distinct=True)).order_by()
    return {row[field]: row["count"] for row in rows}


def public_dataset_counts_by_organization() -> dict[int, int]:
    return _public_counts("organization_id")


def public_dataset_counts_by_group() -> dict[int, int]:
    return _public_counts("groups")


def public_tags(text: str = "") -> QuerySet[Tag]:
    """Tags of public datasets, by name; with ``text``, those whose name contains it."""
    tags = Tag.objects.filter(datasets__in=public_datasets()).distinct().order_by("name")
    return tags.filter(name__icontains=text) if text else tags


def visible_datasets(organization: Organization | None) -> QuerySet[Dataset]:
    """What a caller may read: the public catalog, plus every live dataset of its own organization."""
    if organization is None:
        return public_datasets()
    return public_datasets() | for_tenant(Dataset, organization).filter(deleted_at__isnull=True)


def readable_datasets(organization: Organization | None) -> QuerySet[Dataset]:
    """What a caller may read by name or id: as ``visible_datasets``, and also its own
    organization's deleted datasets (ckanapi load revives one)."""
    if organization is None:
        return public_datasets()
    return public_datasets() | own_datasets(organization)


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def dataset_by_name_or_id(queryset: QuerySet[Dataset], name_or_id: str) -> Dataset:
    """CKAN accepts a dataset's name or its id wherever it asks for one."""
    identifier = _uuid_or_none(name_or_id)
    lookup = Q(name=name_or_id) | Q(ckan_id=identifier) if identifier else Q(name=name_or_id)
    dataset = with_relations(queryset).filter(lookup).first()
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


def group_names() -> set[str]:
    return set(groups().values_list("name", flat=True))


def groups_with_dataset_counts() -> QuerySet[Group]:
    return groups().annotate(
        dataset_count=Count("datasets", filter=Q(datasets__deleted_at__isnull=True))
    )


def group_by_name_or_id(name_or_id: str) -> Group:
    identifier = _uuid_or_none(name_or_id)
    lookup = Q(name=name_or_id) | Q(ckan_id=identifier) if identifier else Q(name=name_or_id)
    group = Group.objects.filter(lookup).first()
    if group is None:
        raise Http404
    return group


def download_total(dataset: Dataset) -> int:
    return dataset.resources.aggregate(total=Sum("download_count"))["total"] or 0


# Figures --------------------------------------------------------------------------------------


def _fiscal_year_end(fiscal_year: int) -> datetime:
    _start, end = fiscal_year_bounds(fiscal_year)
    return timezone.make_aware(datetime.combine(end, time.max))


def _published_by_end_of(datasets: QuerySet[Dataset], fiscal_year: int) -> QuerySet[Dataset]:
    end = _fiscal_year_end(fiscal_year)
    return datasets.filter(first_published_at__lte=end, private=False).filter(
        Q(deleted_at__isnull=True) | Q(deleted_at__gt=end)
    )


def first_publication_day(datasets: QuerySet[Dataset]) -> date | None:
    """The day the first of the datasets was published (the start of the platform's record)."""
    first = (
        datasets.filter(first_published_at__isnull=False)
        .order_by("first_published_at")
        .values_list("first_published_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def published_since(organization: Organization) -> date | None:
    return first_publication_day(for_tenant(Dataset, organization))


def municipalities_published_since(prefecture: Organization) -> date | None:
    return first_publication_day(_municipalities_datasets(prefecture))


def published_dataset_count(organization: Organization, fiscal_year: int) -> int:
    return _published_by_end_of(for_tenant(Dataset, organization), fiscal_year).count()


def _municipalities_datasets(prefecture: Organization) -> QuerySet[Dataset]:
    """The datasets of every municipality of the prefecture (the prefecture's own overview)."""
    return Dataset.objects.filter(organization__in=municipalities_of(prefecture))


def publishing_municipality_count(prefecture: Organization, fiscal_year: int) -> int:
    return (
        _published_by_end_of(_municipalities_datasets(prefecture), fiscal_year)
        .values("organization_id")
        .distinct()
        .count()
    )


def municipality_overview(prefecture: Organization) -> list[dict]:
    """For each municipality of the prefecture: how many datasets it publishes and has in draft."""
    rows = []
    counts = {
        row["organization_id"]: row
        for row in _municipalities_datasets(prefecture)
        .filter(deleted_at__isnull=True)
        .values("organization_id")
        .annotate(
            published=Count("pk", filter=Q(private=False)),
            draft=Count("pk", filter=Q(private=True)),
        )
    }
    for organization in municipalities_of(prefecture).order_by("code"):
        row: Mapping[str, object] = counts.get(organization.pk, {})
        rows.append(
            {
                "organization": organization,
                "published": row.get("published", 0),
                "draft": row.get("draft", 0),
            }
        )
    return rows
