"""Reads of the public catalog that only the CKAN API asks for: whole lists by last change, one tag,
autocompletion and the resource search. The catalog's own reads are in ``selectors``."""

from django.db.models import Q, QuerySet
from django.http import Http404

from jichitai.opendata.models import Dataset, Group, Resource, Tag
from jichitai.opendata.selectors import public_datasets
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import public_organizations

# resource_search's fields and the resource columns they search.
RESOURCE_SEARCH_FIELDS = {"name": "name", "format": "format", "description": "description"}


def dataset_versions(datasets: QuerySet[Dataset]) -> QuerySet:
    """(id, last modification) of ``datasets``, most recently changed first."""
    return datasets.order_by("-modified_at", "pk").values_list("pk", "modified_at")


def public_dataset_versions(*, offset: int, limit: int) -> list:
    return list(dataset_versions(public_datasets())[offset : offset + limit])


def public_tag(name_or_id: str) -> Tag:
    tags = Tag.objects.filter(datasets__in=public_datasets()).distinct()
    lookup = (
        Q(name=name_or_id) | Q(pk=int(name_or_id)) if name_or_id.isdigit() else Q(name=name_or_id)
    )
    tag = tags.filter(lookup).first()
    if tag is None:
        raise Http404
    return tag


def public_datasets_with_tag(tag: Tag) -> QuerySet[Dataset]:
    return public_datasets().filter(tags=tag)


def public_dataset_titles_containing(text: str, *, limit: int) -> list[tuple[str, str]]:
    found = public_datasets().filter(Q(title__contains=text) | Q(name__contains=text))
    return list(found.order_by("name").values_list("name", "title")[:limit])


def public_formats_containing(text: str, *, limit: int) -> list[str]:
    formats = (
        Resource.objects.filter(dataset__in=public_datasets(), format__icontains=text)
        .values_list("format", flat=True)
        .distinct()
        .order_by("format")
    )
    return [f.lower() for f in formats[:limit]]


def ckan_ids(datasets: QuerySet[Dataset]) -> list:
    return list(datasets.order_by("name").values_list("ckan_id", flat=True))


def public_resources_matching(conditions: list[tuple[str, str]]) -> QuerySet[Resource]:
    """Resources of public datasets matching every (field, text): case-insensitive containment, as
    CKAN's resource_search."""
    resources = Resource.objects.filter(dataset__in=public_datasets()).select_related(
        "dataset", "dataset__organization"
    )
    for field, text in conditions:
        resources = resources.filter(**{f"{RESOURCE_SEARCH_FIELDS[field]}__icontains": text})
    return resources.order_by("dataset__name", "position", "pk")


def groups_containing(text: str, *, limit: int) -> list[Group]:
    found = Group.objects.filter(Q(title__contains=text) | Q(name__contains=text))
    return list(found.order_by("name")[:limit])


def organizations_containing(text: str, *, limit: int) -> list[Organization]:
    found = public_organizations().filter(Q(name__contains=text) | Q(code__startswith=text))
    return list(found.order_by("code")[:limit])
