"""CKAN's dictionaries of the catalog's objects, as CKAN's own API returns them. They are built only
here; ``package_dicts`` keeps each dataset's per version in the cache, as CKAN keeps them in its
search index."""

import hashlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.urls import reverse

from jichitai.opendata import selectors
from jichitai.opendata.ckan.params import Context
from jichitai.opendata.licenses import LICENSES
from jichitai.opendata.models import Dataset, Group, Resource, Tag
from jichitai.opendata.rating import openness_stars
from jichitai.tenancy.models import Organization

PACKAGE_CACHE_SECONDS = 300


def timestamp(moment: datetime | None) -> str | None:
    """CKAN's timestamps: UTC, ISO 8601 without a zone."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization_dict(organization: Organization, context: Context, *, package_count=None) -> dict:
    result = {
        "id": organization.code,
        "name": organization.code,
        "title": organization.name,
        "display_name": organization.name,
        "description": "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": timestamp(getattr(organization, "created_at", None)),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def tag_dict(tag: Tag) -> dict:
    return {
        "id": str(tag.pk),
        "name": tag.name,
        "display_name": tag.name,
        "state": "active",
        "vocabulary_id": None,
    }


def group_dict(group: Group, context: Context, *, package_count=None) -> dict:
    result = {
        "id": str(group.ckan_id),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "description": group.description,
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": timestamp(group.created_at),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def standard_schema_url(context: Context, standard: str, layout: str) -> str:
    return context.absolute(
        reverse("opendata_public:standard_schema", kwargs={"key": standard, "layout": layout})
    )


def resource_url(resource: Resource, context: Context) -> str:
    if not resource.is_upload:
        return resource.url
    return context.absolute(
        reverse(
            "opendata_public:download",
            kwargs={
                "dataset_id": resource.dataset.ckan_id,
                "resource_id": resource.ckan_id,
                "filename": resource.filename or "data",
            },
        )
    )


def resource_dict(resource: Resource, context: Context) -> dict:
    conforms_to = ""
    if resource.standard and resource.validation.get("layout"):
        conforms_to = standard_schema_url(context, resource.standard, resource.validation["layout"])
    return {
        "id": str(resource.ckan_id),
        "package_id": str(resource.dataset.ckan_id),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "url": resource_url(resource, context),
        "url_type": "upload" if resource.is_upload else None,
        "mimetype": resource.mimetype or None,
        "size": resource.size,
        "hash": resource.sha256,
        "created": timestamp(resource.created_at),
        "last_modified": timestamp(resource.modified_at),
        "metadata_modified": timestamp(resource.modified_at),
        "position": resource.position,
        "state": "active",
        "datastore_active": False,
        "conforms_to": conforms_to,
        "standard_dataset": resource.standard,
        "validation_status": resource.validation_status,
        "download_count": resource.download_count,
    }


def package_dict(dataset: Dataset, context: Context) -> dict:
    license = LICENSES.get(dataset.license_id)
    resources = [resource_dict(r, context) for r in dataset.resources.all()]
    tags = list(dataset.tags.all())
    groups = list(dataset.groups.all())
    return {
        "id": str(dataset.ckan_id),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": "deleted" if dataset.deleted_at else "active",
        "private": dataset.private,
        "license_id": dataset.license_id,
        "license_title": str(license.title) if license else dataset.license_id,
        "license_url": license.url if license else "",
        "isopen": license is not None,
        "owner_org": dataset.organization.code,
        "organization": organization_dict(dataset.organization, context),
        "author": dataset.division.name if dataset.division else "",
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email or None,
        "url": context.absolute(reverse("opendata_public:dataset", kwargs={"name": dataset.name})),
        "version": None,
        "metadata_created": timestamp(dataset.created_at),
        "metadata_modified": timestamp(dataset.modified_at),
        "creator_user_id": None,
        "tags": [tag_dict(tag) for tag in tags],
        "groups": [group_dict(group, context) for group in groups],
        "resources": resources,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "frequency": dataset.frequency,
        "contact_phone": dataset.contact_phone,
        "openness_score": openness_stars(dataset.license_id, [r["format"] for r in resources]),
        "extras": [
            {"key": "frequency", "value": dataset.frequency},
            {"key": "contact_phone", "value": dataset.contact_phone},
        ],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def package_dicts(page: list[tuple[int, object]], context: Context) -> list[dict]:
    """The CKAN dictionaries of ``page`` [(id, modified_at)], built once per version of each
    dataset and kept in the cache, as CKAN keeps them in its search index. Every change to a dataset
    or its resources moves ``modified_at``, so a changed dataset is never served from an old entry
    (only the download count inside may lag, by up to PACKAGE_CACHE_SECONDS)."""
    site = hashlib.sha256(context.base_url.encode()).hexdigest()[:12]
    keys = {pk: f"opendata:package:{site}:{pk}:{modified.timestamp()}" for pk, modified in page}
    cached = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        built = {
            keys[dataset.pk]: package_dict(dataset, context)
            for dataset in selectors.datasets_with_relations(missing)
        }
        cache.set_many(built, timeout=PACKAGE_CACHE_SECONDS)
        cached.update(built)
    return [cached[keys[pk]] for pk, _ in page if keys[pk] in cached]
