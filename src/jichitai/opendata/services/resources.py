"""Writes to resources: an uploaded file or a link added, a file replaced, a resource's fields
changed, a resource deleted, a download counted. A table upload is read and repaired
(``tabular.read_table``), stored as clean UTF-8 CSV (an Excel file keeps its file and gets a derived
CSV) and validated against the standard dataset it declares. Files written by an action that fails
are removed again."""

import hashlib
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.files import delete_stored, delete_stored_on_commit
from jichitai.core.kept_texts import told
from jichitai.core.uploads import CheckedUpload, UploadRejected, check_upload
from jichitai.opendata import standards
from jichitai.opendata.models import Dataset, Resource
from jichitai.opendata.selectors import made_from, resource_standard
from jichitai.opendata.services.datasets import _touch
from jichitai.opendata.tabular import Table, UnreadableTable, read_table, read_text_table

UPLOAD_KINDS = ["csv", "xlsx", "json", "geojson", "pdf", "zip", "txt", "png", "jpeg"]
FORMATS = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "json": "JSON",
    "geojson": "GeoJSON",
    "pdf": "PDF",
    "zip": "ZIP",
    "txt": "TXT",
    "png": "PNG",
    "jpeg": "JPEG",
}
TABLE_KINDS = {"csv", "xlsx"}


def _max_upload_bytes() -> int:
    return getattr(settings, "OPENDATA_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)


def _validation_fields(table: Table, standard: str) -> dict:
    if not standard:
        return {"validation_status": Resource.Validation.NOT_APPLICABLE, "validation": {}}
    report = standards.validate(table, standard)
    status = (
        Resource.Validation.INVALID
        if report.errors
        else Resource.Validation.WARNINGS
        if report.warnings
        else Resource.Validation.VALID
    )
    data = report.as_dict()
    data["errors"] = [i for i in data["issues"] if i["severity"] == "error"]
    data["warnings"] = [i for i in data["issues"] if i["severity"] == "warning"]
    del data["issues"]
    return {"validation_status": status, "validation": data}


def _conversion(table: Table, *, source_format: str) -> dict:
    return {
        "source_format": source_format,
        "encoding": table.encoding,
        "sheet": table.sheet,
        "rows": len(table.rows),
        "columns": len(table.header),
        "findings": [finding.kept() for finding in table.findings],
        "notes": table.notes,
    }


def _check_standard(standard: str) -> None:
    if standard and standard not in standards.standard_datasets:
        raise ValidationError(
            {"standard": _("標準データセット「%(key)s」はありません。") % {"key": standard}}
        )


def _read_upload(upload: UploadedFile) -> tuple[CheckedUpload, bytes]:
    try:
        checked = check_upload(upload, allowed=UPLOAD_KINDS, max_bytes=_max_upload_bytes())
    except UploadRejected as error:
        raise ValidationError({"upload": error.messages}) from None
    upload.seek(0)
    return checked, upload.read()


def _table(content: bytes, filename: str) -> Table:
    try:
        return read_table(content, filename)
    except UnreadableTable as error:
        raise _unreadable(filename, error) from None


def _upload_table(kind: str, content: bytes, filename: str, *, declared: bool) -> Table | None:
    """The table an upload holds: a CSV or Excel file is one; a text file is one when Excel saved
    it with tabs between the cells or its uploader ``declared`` a standard dataset for it."""
    if kind == "txt":
        try:
            return read_text_table(content, declared=declared)
        except UnreadableTable as error:
            raise _unreadable(filename, error) from None
    return _table(content, filename) if kind in TABLE_KINDS else None


def _unreadable(filename: str, error: UnreadableTable) -> ValidationError:
    return ValidationError(
        {
            "upload": _("「%(name)s」を表として読めません: %(error)s")
            % {"name": filename, "error": error}
        }
    )


def _issue_text(issue: dict) -> str:
    """A validation issue led by its row and column, each where it has one."""
    row, column = issue["row"], issue["column"]
    if row and column:
        where = _("%(row)s行目「%(column)s」列") % {"row": row, "column": column}
    elif row:
        where = _("%(row)s行目") % {"row": row}
    elif column:
        where = _("「%(column)s」列") % {"column": column}
    else:
        return told(issue)
    return f"{where}: {told(issue)}"


def _refuse_invalid_on_public(dataset: Dataset, fields: dict) -> None:
    if (
        dataset.is_public
        and not dataset.override_reason
        and fields.get("validation_status") == Resource.Validation.INVALID
    ):
        first = fields["validation"]["errors"][:3]
        detail = " / ".join(_issue_text(issue) for issue in first)
        raise ValidationError(
            {
                "upload": _(
                    "公開中のデータセットには、標準データセットの検証でエラーになるファイルを登録できません。非公開に戻してから直すか、エラーを直してください。(%(detail)s)"
                )
                % {"detail": detail}
            }
        )


class _StoredFiles:
    """Files written during an action, removed again if the action's transaction fails."""

    def __init__(self) -> None:
        self.names: list[tuple[Storage, str | None]] = []

    def save(self, resource: Resource, filename: str, content: bytes) -> None:
        resource.file.save(filename, ContentFile(content), save=False)
        self.names.append((resource.file.storage, resource.file.name))

    def discard(self) -> None:
        delete_stored(self.names)


def _store_upload(
    resource: Resource, checked: CheckedUpload, content: bytes, files: _StoredFiles, standard: str
) -> Table | None:
    """Puts the uploaded content on ``resource``. A table is read first: a CSV, or a text file
    that is a table, is stored as a clean UTF-8 CSV whatever it came in; an Excel file is stored as
    it is and returned for conversion."""
    kind = checked.kind.name
    table = _upload_table(kind, content, checked.name, declared=bool(standard))
    resource.format = FORMATS[kind]
    resource.filename = checked.name
    resource.mimetype = checked.kind.content_type
    if kind in {"csv", "txt"} and table is not None:
        content = table.to_csv()
        resource.conversion = {
            **_conversion(table, source_format=FORMATS[kind]),
            "source_file": checked.name,
        }
        resource.format, resource.mimetype = "CSV", "text/csv"
        resource.filename = _csv_filename(checked.name)
    files.save(resource, checked.name, content)
    resource.size = len(content)
    resource.sha256 = _sha256(content)
    resource.url = ""
    return table


def _stored_files_of(resource: Resource) -> list[tuple[Storage, str | None]]:
    """The stored files of a resource and of what was made from it."""
    return [(r.file.storage, r.file.name) for r in [resource, *made_from(resource)] if r.file]


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _csv_filename(filename: str) -> str:
    return os.path.splitext(filename)[0] + ".csv"


def _sync_derived_csv(
    resource: Resource, table: Table | None, standard: str, files: _StoredFiles
) -> Resource | None:
    """The machine-readable CSV of an Excel resource, created or refreshed beside it."""
    existing = resource.derived.first() if resource.pk else None
    if resource.format != "XLSX" or table is None:
        if existing is not None:
            existing.delete()
        return None
    if existing is not None:
        # Its conversion to the current layout was made from the content being replaced.
        existing.derived.all().delete()
    derived = existing or Resource(
        organization=resource.organization,
        dataset=resource.dataset,
        derived_from=resource,
        position=resource.position,
    )
    derived.name = _("%(name)s(CSV)") % {"name": resource.name}
    derived.description = _("「%(file)s」から変換した機械判読可能な CSV(UTF-8)") % {
        "file": resource.filename
    }
    derived.format = "CSV"
    derived.filename = _csv_filename(resource.filename)
    derived.mimetype = "text/csv"
    derived.standard = standard
    content = table.to_csv()
    files.save(derived, derived.filename, content)
    derived.size = len(content)
    derived.sha256 = _sha256(content)
    derived.conversion = _conversion(table, source_format="XLSX")
    for name, value in _validation_fields(table, standard).items():
        setattr(derived, name, value)
    return derived


def add_resource(
    *,
    actor: User | None,
    dataset: Dataset,
    upload: UploadedFile | None = None,
    url: str = "",
    name: str = "",
    description: str = "",
    format: str = "",
    standard: str = "",
) -> Resource:
    """Adds an uploaded file or a link. An Excel table also gets its CSV; a table declared to follow
    a standard dataset is validated (the CSV carries the report)."""
    _check_standard(standard)
    if not upload and not (url or "").strip():
        raise ValidationError({"upload": _("ファイルを選ぶか、リンク先URLを入力してください。")})
    files = _StoredFiles()
    try:
        with transaction.atomic():
            resource = Resource(
                organization=dataset.organization,
                dataset=dataset,
                name=(name or "").strip(),
                description=description or "",
                position=dataset.resources.count(),
            )
            table = None
            if upload:
                checked, content = _read_upload(upload)
                table = _store_upload(resource, checked, content, files, standard)
                resource.name = resource.name or resource.filename
            else:
                resource.url = url.strip()
                resource.format = (format or _guess_format(url)).upper()[:20]
                resource.name = resource.name or url.strip()[:200]
            _apply_table_checks(resource, table, standard)
            derived = _sync_derived_csv(resource, table, standard, files)
            _refuse_invalid_on_public(dataset, _validation_of(derived or resource))
            _full_clean(resource)
            resource.save()
            if derived is not None:
                derived.derived_from = resource
                derived.save()
            _touch(dataset)
            audit.record(
                action="opendata.resource_created",
                actor=actor,
                organization=dataset.organization,
                target=resource,
                summary=f"{dataset.title}: {resource.name}",
            )
            return resource
    except BaseException:
        files.discard()
        raise


def replace_resource_file(
    *, actor: User, resource: Resource, upload: UploadedFile, standard: str | None = None
) -> Resource:
    standard = resource_standard(resource) if standard is None else standard
    _check_standard(standard)
    files = _StoredFiles()
    old = _stored_files_of(resource)
    try:
        with transaction.atomic():
            checked, content = _read_upload(upload)
            table = _store_upload(resource, checked, content, files, standard)
            _apply_table_checks(resource, table, standard)
            derived = _sync_derived_csv(resource, table, standard, files)
            _refuse_invalid_on_public(resource.dataset, _validation_of(derived or resource))
            _full_clean(resource)
            resource.save()
            if derived is not None:
                derived.save()
            _touch(resource.dataset)
            audit.record(
                action="opendata.resource_replaced",
                actor=actor,
                organization=resource.organization,
                target=resource,
                summary=checked.name,
            )
    except BaseException:
        files.discard()
        raise
    delete_stored_on_commit(old)
    return resource


@transaction.atomic
def update_resource(*, actor: User, resource: Resource, **changes: Any) -> Resource:
    allowed = {"name", "description", "url", "format"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(resource, name, (value or "").strip() if name != "description" else value or "")
    if resource.is_upload and "url" in changes:
        resource.url = ""
    _full_clean(resource)
    resource.save()
    _touch(resource.dataset)
    audit.record(
        action="opendata.resource_updated",
        actor=actor,
        organization=resource.organization,
        target=resource,
    )
    return resource


@transaction.atomic
def delete_resource(*, actor: User, resource: Resource) -> None:
    dataset = resource.dataset
    names = _stored_files_of(resource)
    audit.record(
        action="opendata.resource_deleted",
        actor=actor,
        organization=resource.organization,
        target=resource,
    )
    resource.delete()
    _touch(dataset)
    delete_stored_on_commit(names)


def _apply_table_checks(resource: Resource, table: Table | None, standard: str) -> None:
    if resource.format == "XLSX":
        # The CSV made from it carries the standard and its report.
        resource.standard = ""
        resource.validation_status, resource.validation = Resource.Validation.NOT_APPLICABLE, {}
        resource.conversion = _conversion(table, source_format="XLSX") if table else {}
        return
    if standard and table is None:
        raise ValidationError(
            {
                "standard": _(
                    "標準データセットへの準拠を確かめられるのは CSV と Excel のファイルです。"
                )
            }
        )
    resource.standard = standard
    fields = _validation_fields(table, standard) if table is not None else {}
    for name, value in fields.items():
        setattr(resource, name, value)


def _validation_of(resource: Resource) -> dict:
    return {"validation_status": resource.validation_status, "validation": resource.validation}


def _full_clean(resource: Resource) -> None:
    try:
        resource.full_clean(exclude=["organization", "dataset", "derived_from", "file"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def _guess_format(url: str) -> str:
    extension = os.path.splitext(url.split("?")[0])[1].lower().lstrip(".")
    return FORMATS.get("jpeg" if extension == "jpg" else extension, extension.upper() or "HTML")


def record_download(*, resource: Resource) -> None:
    """Counts a public download: one atomic UPDATE, and not audited, since it is no person's
    action on the catalog but a resident fetching published data."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
