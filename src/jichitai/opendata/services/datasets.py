"""Writes to datasets: create, update, publish (refused while a resource fails its standard-dataset
check, unless a manager gives a reason), unpublish, delete (CKAN's soft delete) and restore."""

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.opendata.licenses import DEFAULT_LICENSE, LICENSES
from jichitai.opendata.models import Dataset, Group, Resource, Tag
from jichitai.opendata.search_index import keys_of
from jichitai.opendata.selectors import normalize_search
from jichitai.tenancy.models import Organization

DATASET_FIELDS = {
    "title",
    "notes",
    "license_id",
    "frequency",
    "contact_name",
    "contact_email",
    "contact_phone",
    "division",
}


def _tags(names: Iterable[str] | None) -> list[Tag]:
    cleaned = []
    for name in names or []:
        name = unicodedata.normalize("NFKC", str(name)).strip()
        if not name:
            continue
        if len(name) > 100 or any(ch in name for ch in ",\n\r\t"):
            raise ValidationError(
                {
                    "tags": _("タグ「%(tag)s」は使えません(100文字以内、カンマ・改行なし)。")
                    % {"tag": name[:40]}
                }
            )
        if name not in cleaned:
            cleaned.append(name)
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


def _check_license(license_id: str) -> None:
    if license_id not in LICENSES:
        raise ValidationError(
            {"license_id": _("ライセンス「%(id)s」は選べません。") % {"id": license_id}}
        )


def _refresh_search_text(dataset: Dataset) -> None:
    """Writes what a search reads of the dataset: its normalized text and title, and its search
    keys (``search_index.keys_of``), from its fields, tags, groups and resources as they are now."""
    parts = [
        dataset.name,
        dataset.title,
        dataset.notes,
        dataset.organization.name,
        *(tag.name for tag in dataset.tags.all()),
        *(group.title for group in dataset.groups.all()),
        *(f"{r.name} {r.description} {r.format}" for r in dataset.resources.all()),
    ]
    text = normalize_search(" ".join(part for part in parts if part))
    title = normalize_search(dataset.title)
    keys = keys_of(dataset)
    Dataset.objects.filter(pk=dataset.pk).update(
        search_text=text, search_title=title, search_keys=keys
    )
    dataset.search_text, dataset.search_title, dataset.search_keys = text, title, keys


def _save_dataset(dataset: Dataset) -> None:
    try:
        dataset.full_clean(exclude=["organization", "created_by", "override_by"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    try:
        with transaction.atomic():
            dataset.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("URL名「%(name)s」はすでに使われています。") % {"name": dataset.name}}
        ) from None


@transaction.atomic
def create_dataset(
    *,
    actor: User | None,
    organization: Organization,
    name: str,
    title: str,
    tags: Iterable[str] = (),
    groups: Iterable[Group] = (),
    license_id: str = DEFAULT_LICENSE,
    **fields: Any,
) -> Dataset:
    _check_license(license_id)
    unknown = (
        set(fields) - DATASET_FIELDS - {"private", "source_procedure", "suppression_threshold"}
    )
    if unknown:
        raise TypeError(f"unknown dataset fields: {sorted(unknown)}")
    dataset = Dataset(
        organization=organization,
        name=(name or "").strip(),
        title=(title or "").strip(),
        license_id=license_id,
        created_by=signed_in(actor),
        **fields,
    )
    if Dataset.objects.filter(name=dataset.name).exists():
        raise ValidationError(
            {"name": _("URL名「%(name)s」はすでに使われています。") % {"name": dataset.name}}
        )
    _save_dataset(dataset)
    dataset.tags.set(_tags(tags))
    dataset.groups.set(groups)
    _refresh_search_text(dataset)
    audit.record(
        action="opendata.dataset_created",
        actor=actor,
        organization=organization,
        target=dataset,
        summary=dataset.title,
    )
    return dataset


@transaction.atomic
def update_dataset(
    *,
    actor: User,
    dataset: Dataset,
    tags: Iterable[str] | None = None,
    groups: Iterable[Group] | None = None,
    **changes: Any,
) -> Dataset:
    unknown = set(changes) - DATASET_FIELDS - {"name"}
    if unknown:
        raise TypeError(f"unknown dataset fields: {sorted(unknown)}")
    if "license_id" in changes:
        _check_license(changes["license_id"])
    before = {name: getattr(dataset, name) for name in changes}
    for name, value in changes.items():
        setattr(dataset, name, value.strip() if isinstance(value, str) else value)
    if (
        "name" in changes
        and Dataset.objects.filter(name=dataset.name).exclude(pk=dataset.pk).exists()
    ):
        raise ValidationError(
            {"name": _("URL名「%(name)s」はすでに使われています。") % {"name": dataset.name}}
        )
    _save_dataset(dataset)
    if tags is not None:
        dataset.tags.set(_tags(tags))
    if groups is not None:
        dataset.groups.set(groups)
    _refresh_search_text(dataset)
    audit.record(
        action="opendata.dataset_updated",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
        changes={
            name: [str(before[name]), str(getattr(dataset, name))]
            for name in changes
            if before[name] != getattr(dataset, name)
        },
    )
    return dataset


def publication_problems(*, dataset: Dataset) -> list[str]:
    """Why the dataset cannot be published as it is (empty when it can)."""
    return _problems(list(dataset.resources.all()))


def _problems(resources: list[Resource]) -> list[str]:
    problems = []
    if not resources:
        problems.append(_("リソース(ファイルまたはリンク)が1つもありません。"))
    for resource in resources:
        if resource.validation_status == Resource.Validation.INVALID:
            problems.append(
                _("「%(name)s」は標準データセットの検証でエラーがあります(%(count)d件)。")
                % {"name": resource.name, "count": len(resource.validation.get("errors", []))}
            )
    return problems


@transaction.atomic
def publish_dataset(
    *,
    actor: User | None,
    dataset: Dataset,
    may_override: bool = False,
    override_reason: str = "",
) -> Dataset:
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    resources = list(dataset.resources.all())
    problems = _problems(resources)
    has_invalid = any(r.validation_status == Resource.Validation.INVALID for r in resources)
    override_reason = (override_reason or "").strip()
    if not resources:
        raise ValidationError({"__all__": problems})
    if has_invalid:
        if not override_reason:
            raise ValidationError({"__all__": problems})
        if not may_override:
            raise ValidationError(
                {
                    "override_reason": _(
                        "検証エラーのまま公開できるのは管理者(マネージャー以上)だけです。エラーを直すか、管理者に依頼してください。"
                    )
                }
            )
        dataset.override_reason = override_reason
        dataset.override_by = actor
    dataset.private = False
    if dataset.first_published_at is None:
        dataset.first_published_at = timezone.now()
    dataset.save()
    audit.record(
        action="opendata.dataset_published",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
        summary=f"検証エラーを承知で公開: {override_reason}" if has_invalid else dataset.title,
    )
    return dataset


@transaction.atomic
def unpublish_dataset(*, actor: User, dataset: Dataset) -> Dataset:
    dataset.private = True
    dataset.save(update_fields=["private", "modified_at"])
    audit.record(
        action="opendata.dataset_unpublished",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
    )
    return dataset


@transaction.atomic
def delete_dataset(*, actor: User, dataset: Dataset) -> Dataset:
    """CKAN's delete: the dataset leaves every list but its name stays reserved, and an update
    with ``state: active`` brings it back."""
    dataset.deleted_at = timezone.now()
    dataset.save(update_fields=["deleted_at", "modified_at"])
    audit.record(
        action="opendata.dataset_deleted",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
    )
    return dataset


@transaction.atomic
def restore_dataset(*, actor: User, dataset: Dataset) -> Dataset:
    dataset.deleted_at = None
    dataset.save(update_fields=["deleted_at", "modified_at"])
    audit.record(
        action="opendata.dataset_restored",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
    )
    return dataset


def _touch(dataset: Dataset) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(modified_at=timezone.now())
    _refresh_search_text(Dataset.objects.get(pk=dataset.pk))
