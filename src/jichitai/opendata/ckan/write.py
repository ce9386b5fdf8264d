"""The CKAN actions that write: datasets (create, update, patch, delete) and resources (create,
update, patch, delete) of the token's organization. Each action calls ``opendata.services`` and the
endpoint runs it in one transaction; a clerk's token or better is needed."""

import re

from django.core.exceptions import ValidationError
from django.http import Http404

from jichitai.opendata import selectors, services, standards
from jichitai.opendata.ckan.dicts import package_dict, resource_dict
from jichitai.opendata.ckan.params import Context, NotAuthorized, boolean, listed, required
from jichitai.opendata.models import Dataset, Group, Resource
from jichitai.opendata.registry import ckan_action
from jichitai.tenancy.models import Organization, Role


def _writer(context: Context):
    principal = context.principal
    if principal is None or not principal.has_role(Role.CLERK):
        raise NotAuthorized
    return principal


def _own_dataset(context: Context, identifier: str) -> Dataset:
    return selectors.own_dataset(_writer(context).organization, identifier)


def _tag_names(data: dict) -> list[str] | None:
    if "tags" not in data and "tag_string" not in data:
        return None
    if "tag_string" in data:
        return [t for t in str(data["tag_string"]).split(",") if t.strip()]
    return [t["name"] if isinstance(t, dict) else str(t) for t in listed(data.get("tags"), "tags")]


def _groups(data: dict) -> list[Group] | None:
    if "groups" not in data:
        return None
    found = []
    for item in listed(data.get("groups"), "groups"):
        identifier = item.get("name") or item.get("id") if isinstance(item, dict) else str(item)
        try:
            found.append(selectors.group_by_name_or_id(str(identifier)))
        except Http404:
            raise ValidationError({"groups": [f"Group not found: {identifier}"]}) from None
    return found


def _extras(data: dict) -> dict:
    extras = {
        e.get("key"): e.get("value")
        for e in listed(data.get("extras"), "extras")
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
        existing = selectors.dataset_resource(dataset, item["id"]) if item.get("id") else None
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
        for resource in selectors.unlisted_resources(dataset, kept=kept):
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


def _apply_visibility(
    context: Context, dataset: Dataset, data: dict, *, default_private: bool
) -> Dataset:
    principal = context.principal
    if str(data.get("state", "active")) == "active" and dataset.deleted_at is not None:
        dataset = services.restore_dataset(actor=principal.user, dataset=dataset)
    private = boolean(data, "private", default_private)
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


@ckan_action("package_create", writes=True)
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
        context, dataset, listed(data.get("resources"), "resources"), remove_missing=False
    )
    dataset = _apply_visibility(context, dataset, data, default_private=False)
    return _show(context, dataset)


def _show(context: Context, dataset: Dataset) -> dict:
    return package_dict(selectors.own_dataset(dataset.organization, str(dataset.ckan_id)), context)


def _update(context: Context, data: dict, *, partial: bool) -> dict:
    dataset = _own_dataset(
        context, required(data, "id") if "id" in data else required(data, "name")
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
            context, dataset, listed(data["resources"], "resources"), remove_missing=True
        )
    if str(data.get("state", "")) == "deleted":
        services.delete_dataset(actor=principal.user, dataset=dataset)
    else:
        dataset = _apply_visibility(context, dataset, data, default_private=dataset.private)
    return _show(context, dataset)


@ckan_action("package_update", writes=True)
def package_update(context: Context, data: dict) -> dict:
    """Replaces a dataset's fields (missing ones are cleared; resources not listed are removed)."""
    return _update(context, data, partial=False)


@ckan_action("package_patch", writes=True)
def package_patch(context: Context, data: dict) -> dict:
    """Changes only the fields given."""
    return _update(context, data, partial=True)


@ckan_action("package_delete", writes=True)
def package_delete(context: Context, data: dict) -> None:
    dataset = _own_dataset(context, required(data, "id"))
    services.delete_dataset(actor=context.principal.user, dataset=dataset)
    return None


def _standard(data: dict) -> str:
    standard = str(data.get("standard_dataset") or data.get("conforms_to") or "")
    if standard.startswith("http"):
        # A dct:conformsTo URL of this catalog: …/opendata/standards/<key>/<layout>.json
        match = re.search(r"/standards/([a-z0-9-]+)/", standard)
        standard = match.group(1) if match else standard
    # The official Japanese name (AED設置箇所一覧) names the same standard as its key (aed).
    standard = standards.KEYS.get(standard.strip(), standard)
    if standard and standard not in standards.standard_datasets:
        raise ValidationError({"standard_dataset": [f"Unknown standard dataset: {standard}"]})
    return standard


@ckan_action("resource_create", writes=True)
def resource_create(context: Context, data: dict) -> dict:
    """Adds a file (multipart ``upload``) or a link (``url``) to a dataset (``package_id``)."""
    dataset = _own_dataset(context, required(data, "package_id"))
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
    return selectors.own_resource(_writer(context).organization, identifier)


def _resource_update(context: Context, data: dict, *, partial: bool) -> dict:
    resource = _own_resource(context, required(data, "id"))
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


@ckan_action("resource_update", writes=True)
def resource_update(context: Context, data: dict) -> dict:
    return _resource_update(context, data, partial=False)


@ckan_action("resource_patch", writes=True)
def resource_patch(context: Context, data: dict) -> dict:
    return _resource_update(context, data, partial=True)


@ckan_action("resource_delete", writes=True)
def resource_delete(context: Context, data: dict) -> None:
    resource = _own_resource(context, required(data, "id"))
    services.delete_resource(actor=context.principal.user, resource=resource)
    return None
