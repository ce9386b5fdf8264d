"""The CKAN Action API: the actions CKAN clients and harvesters call, with CKAN's dictionaries.

Each action is a plain function ``action(context, data) -> result`` registered in ``actions``; the
view in ``ckan_views`` parses the request, runs the action in one transaction and wraps the result
in CKAN's envelope. Actions raise ``ValidationError`` (CKAN's 409), ``Http404`` (404) or
``NotAuthorized`` (403)."""

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from jichitai.core import params
from jichitai.core.registry import Registry
from jichitai.opendata import ckan_query, selectors, services, standards
from jichitai.opendata.licenses import LICENSES
from jichitai.opendata.models import Dataset, Group, Resource, Tag
from jichitai.opendata.rating import openness_stars
from jichitai.tenancy.models import Organization, Role

CKAN_VERSION = "2.10.5"
PACKAGE_CACHE_SECONDS = 300
MAX_QUERY_LENGTH = ckan_query.MAX_QUERY_LENGTH
MAX_QUERY_TERMS = ckan_query.MAX_QUERY_TERMS
MAX_SORT_LENGTH = 200
MAX_FACET_LIMIT = 1000
MAX_LIST_LIMIT = 1000
MAX_IDENTIFIER_LENGTH = 200
MAX_FACET_FIELD_LENGTH = 500
# A list parameter holds names or small objects (a resource, an extra): two levels suffice.
MAX_LIST_DEPTH = 4


class NotAuthorized(Exception):
    pass


@dataclass
class Context:
    base_url: str  # scheme://host, no trailing slash
    principal: object | None  # accounts.selectors.ApiPrincipal
    files: dict  # uploaded files of a multipart request

    @property
    def organization(self) -> Organization | None:
        return self.principal.organization if self.principal else None

    def absolute(self, path: str) -> str:
        return self.base_url + path


actions: Registry = Registry("CKAN actions")


def action(name: str):
    def register(function):
        actions.register(name, function)
        return function

    return register


# Parameters -----------------------------------------------------------------------------------


def _required(data: dict, name: str) -> str:
    value = data.get(name)
    if value in (None, ""):
        raise ValidationError({name: ["Missing value"]})
    return params.text(str(value), name=name, max_length=MAX_IDENTIFIER_LENGTH)


def _integer(
    data: dict, name: str, default: int, *, minimum: int = 0, maximum: int, clamp: bool = False
) -> int:
    return params.integer(
        data.get(name), name=name, default=default, minimum=minimum, maximum=maximum, clamp=clamp
    )


def _boolean(data: dict, name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    return str(value).lower() in {"true", "1", "yes", "on"}


def _list(value, name: str) -> list:
    """CKAN's list parameters: a JSON list (in a JSON body, or as text in a query string) or a single
    value."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            parsed = params.json_value(value, name=name, max_depth=MAX_LIST_DEPTH)
        except params.InvalidParameter:
            return [value]
        return parsed if isinstance(parsed, list) else [parsed]
    return value if isinstance(value, list) else [value]


# Dictionaries ---------------------------------------------------------------------------------


def _timestamp(moment: datetime | None) -> str | None:
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
        "created": _timestamp(getattr(organization, "created_at", None)),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


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
        "created": _timestamp(group.created_at),
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
        "created": _timestamp(resource.created_at),
        "last_modified": _timestamp(resource.modified_at),
        "metadata_modified": _timestamp(resource.modified_at),
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
        "metadata_created": _timestamp(dataset.created_at),
        "metadata_modified": _timestamp(dataset.modified_at),
        "creator_user_id": None,
        "tags": [
            {
                "id": str(tag.pk),
                "name": tag.name,
                "display_name": tag.name,
                "state": "active",
                "vocabulary_id": None,
            }
            for tag in tags
        ],
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


# Reading --------------------------------------------------------------------------------------


def _visible(context: Context):
    return selectors.visible_datasets(context.organization)


@action("status_show")
def status_show(context: Context, data: dict) -> dict:
    """The site's CKAN version and identity."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": "jichitai オープンデータカタログ",
        "site_description": "",
        "site_url": context.base_url,
        "error_emails_to": None,
        "locale_default": "ja",
        "extensions": ["jichitai"],
    }


@action("package_list")
def package_list(context: Context, data: dict) -> list[str]:
    """Names of the public datasets (``limit``, ``offset``)."""
    names = selectors.public_datasets().order_by("name").values_list("name", flat=True)
    offset = _integer(data, "offset", 0, maximum=selectors.MAX_START)
    if "limit" in data:
        return list(names[offset : offset + _integer(data, "limit", 0, maximum=MAX_LIST_LIMIT)])
    return list(names[offset:])


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


@action("package_show")
def package_show(context: Context, data: dict) -> dict:
    """One dataset by ``id`` (its id or name)."""
    version = selectors.dataset_version(_visible_with_deleted(context), _required(data, "id"))
    return package_dicts([version], context)[0]


def _visible_with_deleted(context: Context):
    """A deleted dataset stays readable to its own organization (ckanapi load revives one)."""
    if context.organization is None:
        return selectors.public_datasets()
    return Dataset.objects.filter(
        Q(private=False, deleted_at__isnull=True) | Q(organization=context.organization)
    )


@action("package_search")
def package_search(context: Context, data: dict) -> dict:
    """Search: ``q``, ``fq``, ``sort``, ``rows`` (≤ 1000), ``start``, ``facet.field``, ``facet.limit``,
    ``include_private``."""
    query = selectors.SearchQuery(
        sort=params.text(data.get("sort"), name="sort", max_length=MAX_SORT_LENGTH)
        or "score desc, metadata_modified desc",
        rows=_integer(data, "rows", 10, maximum=selectors.MAX_ROWS, clamp=True),
        start=_integer(data, "start", 0, maximum=selectors.MAX_START),
        facet_limit=_integer(data, "facet.limit", 50, minimum=-1, maximum=MAX_FACET_LIMIT),
    )
    # Field terms inside q (``tags:防災``) filter like fq; the rest is free text.
    words = ckan_query.read_query(data.get("q"), parameter="q", query=query)
    ckan_query.read_query(data.get("fq"), parameter="fq", query=query)
    query.text = " ".join(words)
    fields = _list(
        params.text(data.get("facet.field"), name="facet.field", max_length=MAX_FACET_FIELD_LENGTH)
        if isinstance(data.get("facet.field"), str)
        else data.get("facet.field"),
        "facet.field",
    )
    if len(fields) > len(selectors.FACET_FIELDS):
        raise params.InvalidParameter(
            "facet.field", f"facet.field は {len(selectors.FACET_FIELDS)} 個までにしてください。"
        )
    query.facet_fields = tuple(str(f) for f in fields if str(f) in selectors.FACET_FIELDS)
    if _boolean(data, "facet", True) is False:
        query.facet_fields = ()
    visible = (
        _visible(context) if _boolean(data, "include_private") else selectors.public_datasets()
    )
    result = selectors.search(query, visible=visible)
    return {
        "count": result.count,
        "sort": query.sort,
        "results": package_dicts(result.page, context),
        "facets": {
            name: {item.name: item.count for item in items} for name, items in result.facets.items()
        },
        "search_facets": {
            name: {
                "title": name,
                "items": [
                    {"name": item.name, "display_name": item.display_name, "count": item.count}
                    for item in items
                ],
            }
            for name, items in result.facets.items()
        },
    }


@action("resource_show")
def resource_show(context: Context, data: dict) -> dict:
    resource = selectors.resource_by_id(_visible(context), _required(data, "id"))
    return resource_dict(resource, context)


def _public_counts(field: str) -> dict:
    rows = (
        selectors.public_datasets()
        .values(field)
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    return {row[field]: row["count"] for row in rows}


@action("organization_list")
def organization_list(context: Context, data: dict) -> list:
    organizations = Organization.objects.filter(is_active=True).order_by("code")
    offset = _integer(data, "offset", 0, maximum=selectors.MAX_START)
    limit = _integer(data, "limit", MAX_LIST_LIMIT, maximum=MAX_LIST_LIMIT, clamp=True)
    organizations = organizations[offset : offset + limit]
    if not _boolean(data, "all_fields"):
        return [org.code for org in organizations]
    counts = _public_counts("organization_id")
    return [
        organization_dict(org, context, package_count=counts.get(org.pk, 0))
        for org in organizations
    ]


@action("organization_show")
def organization_show(context: Context, data: dict) -> dict:
    identifier = _required(data, "id")
    organization = Organization.objects.filter(code=identifier, is_active=True).first()
    if organization is None:
        raise Http404
    datasets = selectors.public_datasets().filter(organization=organization)
    result = organization_dict(organization, context, package_count=datasets.count())
    if _boolean(data, "include_datasets"):
        result["packages"] = [package_dict(d, context) for d in _related(datasets)[:1000]]
    return result


def _related(datasets):
    return datasets.select_related("organization", "division").prefetch_related(
        "tags", "groups", "resources"
    )


@action("group_list")
def group_list(context: Context, data: dict) -> list:
    groups = selectors.groups()
    if not _boolean(data, "all_fields"):
        return [group.name for group in groups]
    counts = {
        row["groups"]: row["count"]
        for row in selectors.public_datasets()
        .values("groups")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    }
    return [group_dict(g, context, package_count=counts.get(g.pk, 0)) for g in groups]


@action("group_show")
def group_show(context: Context, data: dict) -> dict:
    group = selectors.group_by_name_or_id(_required(data, "id"))
    datasets = selectors.public_datasets().filter(groups=group)
    result = group_dict(group, context, package_count=datasets.count())
    if _boolean(data, "include_datasets"):
        result["packages"] = [package_dict(d, context) for d in _related(datasets)[:1000]]
    return result


@action("tag_list")
def tag_list(context: Context, data: dict) -> list:
    tags = Tag.objects.filter(datasets__in=selectors.public_datasets()).distinct().order_by("name")
    text = params.text(data.get("query"), name="query", max_length=MAX_IDENTIFIER_LENGTH)
    if text:
        tags = tags.filter(name__icontains=text)
    if _boolean(data, "all_fields"):
        return [
            {"id": str(t.pk), "name": t.name, "display_name": t.name, "vocabulary_id": None}
            for t in tags
        ]
    return [tag.name for tag in tags]


@action("license_list")
def license_list(context: Context, data: dict) -> list:
    return [license.as_ckan() for license in LICENSES.values()]


@action("help_show")
def help_show(context: Context, data: dict) -> str:
    name = _required(data, "name")
    if name not in actions:
        raise Http404
    return (actions.get(name).__doc__ or "").strip()


# Writing --------------------------------------------------------------------------------------


def _writer(context: Context):
    principal = context.principal
    if principal is None or not principal.has_role(Role.CLERK):
        raise NotAuthorized
    return principal


def _own_dataset(context: Context, identifier: str) -> Dataset:
    principal = _writer(context)
    dataset = selectors.dataset_by_name_or_id(
        Dataset.objects.filter(organization=principal.organization), identifier
    )
    return dataset


def _tag_names(data: dict) -> list[str] | None:
    if "tags" not in data and "tag_string" not in data:
        return None
    if "tag_string" in data:
        return [t for t in str(data["tag_string"]).split(",") if t.strip()]
    return [t["name"] if isinstance(t, dict) else str(t) for t in _list(data.get("tags"), "tags")]


def _groups(data: dict) -> list[Group] | None:
    if "groups" not in data:
        return None
    found = []
    for item in _list(data.get("groups"), "groups"):
        identifier = item.get("name") or item.get("id") if isinstance(item, dict) else str(item)
        try:
            found.append(selectors.group_by_name_or_id(str(identifier)))
        except Http404:
            raise ValidationError({"groups": [f"Group not found: {identifier}"]}) from None
    return found


def _extras(data: dict) -> dict:
    extras = {
        e.get("key"): e.get("value")
        for e in _list(data.get("extras"), "extras")
        if isinstance(e, dict)
    }
    return {**extras, **{k: data[k] for k in ("frequency", "contact_phone") if k in data}}


def _dataset_fields(data: dict, *, partial: bool) -> dict:
    fields = {}
    mapping = {"title": "title", "notes": "notes", "license_id": "license_id"}
    for key, field in mapping.items():
        if key in data or not partial:
            fields[field] = str(data.get(key) or "")
    if "license_id" in fields and not fields["license_id"]:
        fields["license_id"] = "CC-BY-4.0"
    if "maintainer" in data or not partial:
        fields["contact_name"] = str(data.get("maintainer") or "")
    if "maintainer_email" in data or not partial:
        fields["contact_email"] = str(data.get("maintainer_email") or "")
    extras = _extras(data)
    if "frequency" in extras:
        valid = {choice for choice, _label in Dataset.Frequency.choices}
        if extras["frequency"] not in valid:
            raise ValidationError({"frequency": [f"Must be one of {sorted(valid)}"]})
        fields["frequency"] = extras["frequency"]
    if "contact_phone" in extras:
        fields["contact_phone"] = str(extras["contact_phone"] or "")
    return fields


def _owner(context: Context, data: dict) -> Organization:
    principal = _writer(context)
    owner = str(data.get("owner_org") or principal.organization.code)
    if owner != principal.organization.code:
        raise NotAuthorized
    return principal.organization


def _sync_resources(
    context: Context, dataset: Dataset, items: list, *, remove_missing: bool
) -> None:
    principal = context.principal
    kept = set()
    for item in items:
        if not isinstance(item, dict):
            raise ValidationError({"resources": ["Each resource must be an object"]})
        existing = None
        if item.get("id"):
            existing = dataset.resources.filter(ckan_id=_uuid(item["id"])).first()
        if existing is not None:
            changes = {
                k: str(item[k] or "") for k in ("name", "description", "format") if k in item
            }
            if "url" in item and not existing.is_upload:
                changes["url"] = str(item["url"] or "")
            services.update_resource(actor=principal.user, resource=existing, **changes)
            kept.add(existing.pk)
        else:
            created = _create_linked(principal, dataset, item)
            kept.add(created.pk)
    if remove_missing:
        for resource in dataset.resources.filter(derived_from__isnull=True).exclude(pk__in=kept):
            if resource.derived.filter(pk__in=kept).exists():
                continue
            services.delete_resource(actor=principal.user, resource=resource)


def _create_linked(principal, dataset: Dataset, item: dict) -> Resource:
    return services.add_resource(
        actor=principal.user,
        dataset=dataset,
        url=str(item.get("url") or ""),
        name=str(item.get("name") or ""),
        description=str(item.get("description") or ""),
        format=str(item.get("format") or ""),
    )


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _apply_visibility(
    context: Context, dataset: Dataset, data: dict, *, default_private: bool
) -> Dataset:
    principal = context.principal
    if str(data.get("state", "active")) == "active" and dataset.deleted_at is not None:
        dataset = services.restore_dataset(actor=principal.user, dataset=dataset)
    private = _boolean(data, "private", default_private)
    if private and not dataset.private:
        dataset = services.unpublish_dataset(actor=principal.user, dataset=dataset)
    elif not private and dataset.private:
        dataset = services.publish_dataset(
            actor=principal.user,
            dataset=dataset,
            may_override=principal.has_role(Role.MANAGER),
            override_reason=str(data.get("override_reason") or ""),
        )
    return dataset


@action("package_create")
def package_create(context: Context, data: dict) -> dict:
    """Creates a dataset of the token's organization; ``private`` defaults to false (published)."""
    organization = _owner(context, data)
    principal = context.principal
    dataset = services.create_dataset(
        actor=principal.user,
        organization=organization,
        name=str(data.get("name") or ""),
        tags=_tag_names(data) or [],
        groups=_groups(data) or [],
        **_dataset_fields(data, partial=False),
    )
    _sync_resources(
        context, dataset, _list(data.get("resources"), "resources"), remove_missing=False
    )
    dataset = _apply_visibility(context, dataset, data, default_private=False)
    return _show(context, dataset)


def _show(context: Context, dataset: Dataset) -> dict:
    fresh = selectors.dataset_by_name_or_id(Dataset.objects.all(), str(dataset.ckan_id))
    return package_dict(fresh, context)


def _update(context: Context, data: dict, *, partial: bool) -> dict:
    dataset = _own_dataset(
        context, _required(data, "id") if "id" in data else _required(data, "name")
    )
    if "owner_org" in data:
        _owner(context, data)
    principal = context.principal
    changes = _dataset_fields(data, partial=partial)
    if data.get("name"):
        changes["name"] = str(data["name"])
    services.update_dataset(
        actor=principal.user,
        dataset=dataset,
        tags=_tag_names(data) if partial else (_tag_names(data) or []),
        groups=_groups(data) if partial else (_groups(data) or []),
        **changes,
    )
    if "resources" in data:
        _sync_resources(
            context, dataset, _list(data["resources"], "resources"), remove_missing=True
        )
    if str(data.get("state", "")) == "deleted":
        services.delete_dataset(actor=principal.user, dataset=dataset)
    else:
        dataset = _apply_visibility(context, dataset, data, default_private=dataset.private)
    return _show(context, dataset)


@action("package_update")
def package_update(context: Context, data: dict) -> dict:
    """Replaces a dataset's fields (missing ones are cleared; resources not listed are removed)."""
    return _update(context, data, partial=False)


@action("package_patch")
def package_patch(context: Context, data: dict) -> dict:
    """Changes only the fields given."""
    return _update(context, data, partial=True)


@action("package_delete")
def package_delete(context: Context, data: dict) -> None:
    dataset = _own_dataset(context, _required(data, "id"))
    services.delete_dataset(actor=context.principal.user, dataset=dataset)
    return None


def _standard(data: dict) -> str:
    standard = str(data.get("standard_dataset") or data.get("conforms_to") or "")
    if standard.startswith("http"):
        # A dct:conformsTo URL of this catalog: …/opendata/standards/<key>/<layout>.json
        match = re.search(r"/standards/([a-z0-9-]+)/", standard)
        standard = match.group(1) if match else standard
    if standard and standard not in standards.standard_datasets:
        raise ValidationError({"standard_dataset": [f"Unknown standard dataset: {standard}"]})
    return standard


@action("resource_create")
def resource_create(context: Context, data: dict) -> dict:
    """Adds a file (multipart ``upload``) or a link (``url``) to a dataset (``package_id``)."""
    dataset = _own_dataset(context, _required(data, "package_id"))
    resource = services.add_resource(
        actor=context.principal.user,
        dataset=dataset,
        upload=context.files.get("upload"),
        url=str(data.get("url") or "") if not context.files.get("upload") else "",
        name=str(data.get("name") or ""),
        description=str(data.get("description") or ""),
        format=str(data.get("format") or ""),
        standard=_standard(data),
    )
    resource.refresh_from_db()
    return resource_dict(resource, context)


def _own_resource(context: Context, identifier: str) -> Resource:
    principal = _writer(context)
    return selectors.resource_by_id(
        Dataset.objects.filter(organization=principal.organization), identifier
    )


def _resource_update(context: Context, data: dict, *, partial: bool) -> dict:
    resource = _own_resource(context, _required(data, "id"))
    upload = context.files.get("upload")
    if upload:
        standard = (
            _standard(data) if ("standard_dataset" in data or "conforms_to" in data) else None
        )
        services.replace_resource_file(
            actor=context.principal.user, resource=resource, upload=upload, standard=standard
        )
    changes = {}
    for key in ("name", "description", "format"):
        if key in data or not partial:
            changes[key] = str(data.get(key) or "")
    if not resource.is_upload and ("url" in data or not partial):
        changes["url"] = str(data.get("url") or "")
    if not partial and not changes.get("name"):
        changes["name"] = resource.name
    services.update_resource(actor=context.principal.user, resource=resource, **changes)
    resource.refresh_from_db()
    return resource_dict(resource, context)


@action("resource_update")
def resource_update(context: Context, data: dict) -> dict:
    return _resource_update(context, data, partial=False)


@action("resource_patch")
def resource_patch(context: Context, data: dict) -> dict:
    return _resource_update(context, data, partial=True)


@action("resource_delete")
def resource_delete(context: Context, data: dict) -> None:
    resource = _own_resource(context, _required(data, "id"))
    services.delete_resource(actor=context.principal.user, resource=resource)
    return None
