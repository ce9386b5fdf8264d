"""Writes to the open data catalog. Each function is one user action in one transaction; a refused
action raises ``ValidationError`` with the field it concerns and writes nothing (files included)."""

import csv
import hashlib
import io
import os
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit import services as audit
from jichitai.core.japanese import fiscal_year_label
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.opendata import standards
from jichitai.opendata.licenses import DEFAULT_LICENSE, LICENSES
from jichitai.opendata.models import Dataset, Group, Resource, Tag
from jichitai.opendata.selectors import normalize_search
from jichitai.opendata.tabular import Table, UnreadableTable, read_table

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


def max_upload_bytes() -> int:
    return getattr(settings, "OPENDATA_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)


# Datasets -------------------------------------------------------------------------------------


def _tags(names) -> list[Tag]:
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


def refresh_search_text(dataset: Dataset) -> None:
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
    Dataset.objects.filter(pk=dataset.pk).update(search_text=text, search_title=title)
    dataset.search_text, dataset.search_title = text, title


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
    actor,
    organization,
    name: str,
    title: str,
    tags=(),
    groups=(),
    license_id: str = DEFAULT_LICENSE,
    **fields,
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
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    if Dataset.objects.filter(name=dataset.name).exists():
        raise ValidationError(
            {"name": _("URL名「%(name)s」はすでに使われています。") % {"name": dataset.name}}
        )
    _save_dataset(dataset)
    dataset.tags.set(_tags(tags))
    dataset.groups.set(groups)
    refresh_search_text(dataset)
    audit.record(
        "opendata.dataset_created",
        actor=actor,
        organization=organization,
        target=dataset,
        summary=dataset.title,
    )
    return dataset


@transaction.atomic
def update_dataset(*, actor, dataset: Dataset, tags=None, groups=None, **changes) -> Dataset:
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
    refresh_search_text(dataset)
    audit.record(
        "opendata.dataset_updated",
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


def publication_problems(dataset: Dataset) -> list[str]:
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
    *, actor, dataset: Dataset, may_override: bool = False, override_reason: str = ""
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
        "opendata.dataset_published",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
        summary=_("検証エラーを承知で公開: %(reason)s") % {"reason": override_reason}
        if has_invalid
        else dataset.title,
    )
    return dataset


@transaction.atomic
def unpublish_dataset(*, actor, dataset: Dataset) -> Dataset:
    dataset.private = True
    dataset.save(update_fields=["private", "modified_at"])
    audit.record(
        "opendata.dataset_unpublished",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
    )
    return dataset


@transaction.atomic
def delete_dataset(*, actor, dataset: Dataset) -> Dataset:
    """CKAN's delete: the dataset leaves every list but its name stays reserved, and an update
    with ``state: active`` brings it back."""
    dataset.deleted_at = timezone.now()
    dataset.save(update_fields=["deleted_at", "modified_at"])
    audit.record(
        "opendata.dataset_deleted", actor=actor, organization=dataset.organization, target=dataset
    )
    return dataset


@transaction.atomic
def restore_dataset(*, actor, dataset: Dataset) -> Dataset:
    dataset.deleted_at = None
    dataset.save(update_fields=["deleted_at", "modified_at"])
    audit.record(
        "opendata.dataset_restored", actor=actor, organization=dataset.organization, target=dataset
    )
    return dataset


# Resources ------------------------------------------------------------------------------------


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
        "findings": [
            {"message": f.message, "row": f.row, "column": f.column} for f in table.findings
        ],
        "notes": table.notes,
    }


def _check_standard(standard: str) -> None:
    if standard and standard not in standards.standard_datasets:
        raise ValidationError(
            {"standard": _("標準データセット「%(key)s」はありません。") % {"key": standard}}
        )


def _read_upload(upload) -> tuple[object, bytes]:
    try:
        checked = check_upload(upload, allowed=UPLOAD_KINDS, max_bytes=max_upload_bytes())
    except UploadRejected as error:
        raise ValidationError({"upload": error.messages}) from None
    upload.seek(0)
    return checked, upload.read()


def _table(content: bytes, filename: str) -> Table:
    try:
        return read_table(content, filename)
    except UnreadableTable as error:
        raise ValidationError(
            {
                "upload": _("「%(name)s」を表として読めません: %(error)s")
                % {"name": filename, "error": error}
            }
        ) from None


def _refuse_invalid_on_public(dataset: Dataset, fields: dict) -> None:
    if (
        dataset.is_public
        and not dataset.override_reason
        and fields.get("validation_status") == Resource.Validation.INVALID
    ):
        first = fields["validation"]["errors"][:3]
        detail = " / ".join(f"{i['row'] or '-'}行目 {i['column']}: {i['message']}" for i in first)
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

    def __init__(self):
        self.names: list[tuple[object, str]] = []

    def save(self, resource: Resource, filename: str, content: bytes) -> None:
        resource.file.save(filename, ContentFile(content), save=False)
        self.names.append((resource.file.storage, resource.file.name))

    def discard(self) -> None:
        for storage, name in self.names:
            storage.delete(name)


def _store_upload(resource: Resource, checked, content: bytes, files: _StoredFiles) -> Table | None:
    """Puts the uploaded content on ``resource``. A table is read first: a CSV is stored as clean
    UTF-8 whatever it came in; an Excel file is stored as it is and returned for conversion."""
    kind = checked.kind.name
    table = _table(content, checked.name) if kind in TABLE_KINDS else None
    resource.format = FORMATS[kind]
    resource.filename = checked.name
    resource.mimetype = checked.kind.content_type
    if kind == "csv":
        content = table.to_csv()
        resource.conversion = _conversion(table, source_format="CSV")
        resource.mimetype = "text/csv"
    files.save(resource, checked.name, content)
    resource.size = len(content)
    resource.sha256 = _sha256(content)
    resource.url = ""
    return table


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
    actor,
    dataset: Dataset,
    upload=None,
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
                resource.name = resource.name or checked.name
                table = _store_upload(resource, checked, content, files)
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
                "opendata.resource_created",
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
    *, actor, resource: Resource, upload, standard: str | None = None
) -> Resource:
    standard = resource_standard(resource) if standard is None else standard
    _check_standard(standard)
    files = _StoredFiles()
    old = [(r.file.storage, r.file.name) for r in [resource, *resource.derived.all()] if r.file]
    try:
        with transaction.atomic():
            checked, content = _read_upload(upload)
            table = _store_upload(resource, checked, content, files)
            _apply_table_checks(resource, table, standard)
            derived = _sync_derived_csv(resource, table, standard, files)
            _refuse_invalid_on_public(resource.dataset, _validation_of(derived or resource))
            _full_clean(resource)
            resource.save()
            if derived is not None:
                derived.save()
            _touch(resource.dataset)
            audit.record(
                "opendata.resource_replaced",
                actor=actor,
                organization=resource.organization,
                target=resource,
                summary=checked.name,
            )
    except BaseException:
        files.discard()
        raise
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in old])
    return resource


@transaction.atomic
def update_resource(*, actor, resource: Resource, **changes) -> Resource:
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
        "opendata.resource_updated",
        actor=actor,
        organization=resource.organization,
        target=resource,
    )
    return resource


@transaction.atomic
def delete_resource(*, actor, resource: Resource) -> None:
    dataset = resource.dataset
    names = [(r.file.storage, r.file.name) for r in [resource, *resource.derived.all()] if r.file]
    audit.record(
        "opendata.resource_deleted",
        actor=actor,
        organization=resource.organization,
        target=resource,
    )
    resource.delete()
    _touch(dataset)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def resource_standard(resource: Resource) -> str:
    derived = resource.derived.first()
    return derived.standard if derived else resource.standard


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


def _touch(dataset: Dataset) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(modified_at=timezone.now())
    refresh_search_text(Dataset.objects.get(pk=dataset.pk))


def _guess_format(url: str) -> str:
    extension = os.path.splitext(url.split("?")[0])[1].lower().lstrip(".")
    return FORMATS.get("jpeg" if extension == "jpg" else extension, extension.upper() or "HTML")


def record_download(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


# Groups ---------------------------------------------------------------------------------------


@transaction.atomic
def create_group(*, actor, name: str, title: str, description: str = "") -> Group:
    group = Group(name=(name or "").strip(), title=(title or "").strip(), description=description)
    if Group.objects.filter(name=group.name).exists():
        raise ValidationError(
            {"name": _("URL名「%(name)s」はすでに使われています。") % {"name": group.name}}
        )
    try:
        group.full_clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    group.save()
    audit.record("opendata.group_created", actor=actor, target=group, summary=group.title)
    return group


# Statistics from procedures -------------------------------------------------------------------


def statistics_rows(dataset: Dataset) -> list[list[str]]:
    """Aggregate counts of the source procedure's applications: per 年度 and channel, and per
    answer of each choice question. No answer text and nothing about a person leaves; a count
    under the threshold is shown as 「秘匿」 (and so are totals that would reveal it)."""
    from jichitai.procedures import selectors as procedures
    from jichitai.procedures.models import Application

    procedure = dataset.source_procedure
    threshold = dataset.suppression_threshold
    channel_labels = dict(Application.Channel.choices)
    rows = []
    counts = procedures.counts_by_fiscal_year_and_channel(procedure)
    for (year, channel), count in sorted(counts.items()):
        rows.append(
            [
                fiscal_year_label(year),
                _("受付件数"),
                str(channel_labels.get(channel, channel)),
                _suppressed(count, threshold),
            ]
        )
    for question in procedures.survey_tally(procedure):
        for answer in question["choices"]:
            rows.append(
                [
                    _("全期間"),
                    question["label"],
                    answer["label"],
                    _suppressed(answer["count"], threshold),
                ]
            )
    return rows


def _suppressed(count: int, threshold: int) -> str:
    return str(count) if count == 0 or count >= threshold else _("秘匿")


STATISTICS_HEADER = ["期間", "集計項目", "区分", "件数"]


@transaction.atomic
def create_statistics_dataset(
    *,
    actor,
    organization,
    procedure,
    name: str,
    title: str,
    suppression_threshold: int = 5,
    **fields,
) -> Dataset:
    if procedure.organization_id != organization.pk:
        raise ValidationError({"source_procedure": _("自団体の手続を選んでください。")})
    if suppression_threshold < 1:
        raise ValidationError({"suppression_threshold": _("1以上の数を入力してください。")})
    dataset = create_dataset(
        actor=actor,
        organization=organization,
        name=name,
        title=title,
        source_procedure=procedure,
        suppression_threshold=suppression_threshold,
        notes=fields.pop("notes", "")
        or _(
            "手続「%(procedure)s」の受付件数と選択式の設問の回答数を集計したものです。%(threshold)d件未満の数は個人が特定されないよう「秘匿」としています。"
        )
        % {"procedure": procedure.name, "threshold": suppression_threshold},
        **fields,
    )
    refresh_statistics(dataset, actor=actor)
    return dataset


@transaction.atomic
def refresh_statistics(dataset: Dataset, *, actor=None) -> Resource:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STATISTICS_HEADER)
    writer.writerows(statistics_rows(dataset))
    content = buffer.getvalue().encode("utf-8")
    resource = dataset.resources.filter(derived_from__isnull=True, format="CSV").first()
    old = (resource.file.storage, resource.file.name) if resource and resource.file else None
    if resource is None:
        resource = Resource(
            organization=dataset.organization,
            dataset=dataset,
            name=_("集計結果"),
            description=_("定期的に自動で更新されます。"),
            format="CSV",
            position=0,
        )
    elif resource.sha256 == _sha256(content):
        return resource
    files = _StoredFiles()
    try:
        files.save(resource, f"{dataset.name}.csv", content)
        resource.filename = f"{dataset.name}.csv"
        resource.mimetype = "text/csv"
        resource.size = len(content)
        resource.sha256 = _sha256(content)
        resource.save()
        _touch(dataset)
    except BaseException:
        files.discard()
        raise
    if old:
        transaction.on_commit(lambda: old[0].delete(old[1]))
    audit.record(
        "opendata.statistics_refreshed",
        actor=actor,
        organization=dataset.organization,
        target=dataset,
    )
    return resource
