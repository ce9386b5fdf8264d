"""Figures of many organizations at once (a prefecture's 市町 side by side), each in one query
whatever the number of organizations: datasets published by the end of a 年度 and their 5-star
openness rating (``rating.py``)."""

from decimal import Decimal

from django.db.models import Count

from jichitai.opendata.models import Dataset
from jichitai.opendata.rating import openness_stars
from jichitai.opendata.selectors import _published_by_end_of
from jichitai.tenancy.models import Organization


def published_counts(organizations: list[Organization], fiscal_year: int) -> dict[int, int]:
    """``{organization id: datasets published by the end of the 年度 and not deleted then}``."""
    counts = dict.fromkeys((organization.pk for organization in organizations), 0)
    rows = (
        _published_by_end_of(Dataset.objects.filter(organization__in=organizations), fiscal_year)
        .order_by()
        .values_list("organization_id")
        .annotate(total=Count("id"))
    )
    counts.update(rows)
    return counts


def stars_of_published(organizations: list[Organization], fiscal_year: int) -> dict[int, list[int]]:
    """``{organization id: [the stars of each dataset published by the end of the 年度]}``, rated
    by its license and its resources' formats as they are now."""
    formats: dict[int, tuple[int, str, list[str]]] = {}
    rows = (
        _published_by_end_of(Dataset.objects.filter(organization__in=organizations), fiscal_year)
        .order_by()
        .values_list("id", "organization_id", "license_id", "resources__format")
    )
    for dataset_id, organization_id, license_id, resource_format in rows:
        found = formats.setdefault(dataset_id, (organization_id, license_id, []))
        if resource_format is not None:
            found[2].append(resource_format)
    stars: dict[int, list[int]] = {organization.pk: [] for organization in organizations}
    for organization_id, license_id, resource_formats in formats.values():
        stars[organization_id].append(openness_stars(license_id, resource_formats))
    return stars


def rated_at_least(
    organizations: list[Organization], fiscal_year: int, minimum: int
) -> dict[int, int]:
    return {
        organization_id: sum(1 for rating in ratings if rating >= minimum)
        for organization_id, ratings in stars_of_published(organizations, fiscal_year).items()
    }


def mean_stars(organizations: list[Organization], fiscal_year: int) -> dict[int, Decimal]:
    """The average rating of the published datasets, to one decimal (left out without any)."""
    return {
        organization_id: (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"))
        for organization_id, ratings in stars_of_published(organizations, fiscal_year).items()
        if ratings
    }
