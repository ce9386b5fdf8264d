"""Datasets generated from the tables other modules offer (``core.registry.published_tables``):
one dataset per table and organization, created and published on the first run, whose CSV (UTF-8
with BOM) and JSON files the daily job ``opendata.refresh_published_tables`` regenerates in place.
Running again with the same figures changes nothing; the dataset is never duplicated, and one
that staff unpublished stays unpublished."""

import json
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.exports import export_csv
from jichitai.core.files import delete_stored_on_commit
from jichitai.core.published_tables import PublishedTable
from jichitai.opendata.models import Dataset, Resource
from jichitai.opendata.services.datasets import _touch, create_dataset, publish_dataset
from jichitai.opendata.services.resources import _sha256, _StoredFiles
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant

# Marks the resources the job writes (``Resource.conversion``), so it finds them again.
MARKER = "published_table"


def _files(header: list[str], rows: list[list]) -> list[tuple[str, str, bytes]]:
    """(format, mimetype, content) of each file of the table."""
    document = {"fields": header, "rows": rows}
    return [
        ("CSV", "text/csv", export_csv(header, rows).content),
        (
            "JSON",
            "application/json",
            json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
        ),
    ]


@transaction.atomic
def refresh_published_table(
    *,
    table: PublishedTable,
    organization: Organization,
    today: date | None = None,
    actor: User | None = None,
) -> Dataset:
    """The organization's dataset of ``table`` with its files as of ``today``."""
    today = today or timezone.localdate()
    name = table.dataset_name(organization)
    dataset = for_tenant(Dataset, organization).filter(name=name).first()
    created = dataset is None
    if dataset is None:
        dataset = create_dataset(
            actor=actor,
            organization=organization,
            name=name,
            title=str(table.title),
            notes=str(table.notes),
            license_id=table.license_id,
            tags=table.tags,
            frequency=Dataset.Frequency.DAILY,
        )
    header, rows = table.rows(organization, today)
    changed = False
    for position, (file_format, mimetype, content) in enumerate(_files(header, rows)):
        changed |= _store(dataset, table, position, file_format, mimetype, content)
    if created:
        publish_dataset(actor=actor, dataset=dataset)
    if changed:
        _touch(dataset)
        audit.record(
            action="opendata.published_table_refreshed",
            actor=actor,
            organization=organization,
            target=dataset,
            summary=str(table.title),
        )
    return dataset


def _store(
    dataset: Dataset,
    table: PublishedTable,
    position: int,
    file_format: str,
    mimetype: str,
    content: bytes,
) -> bool:
    """Writes one file of the table unless it is unchanged; True when it wrote."""
    resource = dataset.resources.filter(
        format=file_format, **{f"conversion__{MARKER}": table.name}
    ).first()
    if resource is not None and resource.sha256 == _sha256(content):
        return False
    old = (resource.file.storage, resource.file.name) if resource and resource.file else None
    if resource is None:
        resource = Resource(
            organization=dataset.organization,
            dataset=dataset,
            name=f"{table.title}({file_format})",
            description=_("毎日自動で更新されます。"),
            format=file_format,
            position=position,
            conversion={MARKER: table.name},
        )
    filename = f"{dataset.name}.{file_format.lower()}"
    files = _StoredFiles()
    try:
        files.save(resource, filename, content)
        resource.filename = filename
        resource.mimetype = mimetype
        resource.size = len(content)
        resource.sha256 = _sha256(content)
        resource.save()
    except BaseException:
        files.discard()
        raise
    if old:
        delete_stored_on_commit([old])
    return True
