"""Writes of the paper intake: templates and their field zones, batches (read by the background
job ``ocr.batch``), and the verification steps that turn a page into an application."""

import hashlib
import json
import threading
from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.files import delete_files_on_commit
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.jobs.services import start_job
from jichitai.ocr import pages as page_io
from jichitai.ocr import postprocess, selectors
from jichitai.ocr import template as template_format
from jichitai.ocr.extract import Extractor
from jichitai.ocr.models import Batch, BatchFile, PaperTemplate, ScanPage
from jichitai.tenancy.models import Organization

if TYPE_CHECKING:
    from jichitai.procedures.models import Application, Procedure

SCAN_KINDS = ["pdf", "png", "jpeg", "tiff"]
MAX_SCAN_BYTES = 50 * 1024 * 1024
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024


# --- Templates -------------------------------------------------------------------------------------


def _blank_page(upload: UploadedFile, dpi: int) -> tuple[bytes, int, int]:
    try:
        checked = check_upload(
            upload, allowed=SCAN_KINDS, max_bytes=MAX_TEMPLATE_BYTES, pdf_dpi=dpi
        )
    except UploadRejected as rejection:
        raise ValidationError({"blank": rejection.messages}) from None
    upload.seek(0)
    try:
        image = next(page_io.load_pages(upload.read(), dpi=dpi))
    except (page_io.PageError, StopIteration) as error:
        raise ValidationError({"blank": [f"「{checked.name}」: {error}"]}) from None
    return page_io.encode_png(image), image.shape[1], image.shape[0]


@transaction.atomic
def create_template(
    *,
    actor: User | None,
    organization: Organization,
    procedure: "Procedure",
    name: str,
    blank: UploadedFile,
    dpi: int = 200,
    double_entry: bool = False,
    definition: bytes | None = None,
) -> PaperTemplate:
    """Registers a blank form (PDF page 1 or an image). ``definition`` is a template JSON whose
    fields are taken over (the import of a shared template)."""
    fields = []
    if definition is not None:
        try:
            imported = template_format.loads(definition)
        except template_format.TemplateError as error:
            raise ValidationError({"definition": [str(error)]}) from None
        dpi = imported.dpi
        name = name or imported.name
        fields = [f.to_dict() for f in imported.fields]
    png, width, height = _blank_page(blank, dpi)
    if definition is not None:
        try:
            template_format.from_dict({"dpi": dpi, "fields": fields}).check_boxes(width, height)
        except template_format.TemplateError as error:
            raise ValidationError({"definition": [str(error)]}) from None
        allowed = {name for name, _label in selectors.procedure_field_choices(procedure)}
        unknown = [f["name"] for f in fields if f["name"] not in allowed]
        if unknown:
            raise ValidationError(
                {
                    "definition": [
                        _("手続のフォームにない項目です: %(items)s") % {"items": "、".join(unknown)}
                    ]
                }
            )
    if not name.strip():
        raise ValidationError({"name": [_("様式名を入力してください。")]})
    paper = PaperTemplate(
        organization=organization,
        procedure=procedure,
        name=name.strip()[:200],
        dpi=dpi,
        width=width,
        height=height,
        fields=fields,
        double_entry=double_entry,
    )
    paper.reference.save("blank.png", ContentFile(png), save=False)
    paper.save()
    audit.record(
        action="ocr.template.created",
        actor=actor,
        organization=organization,
        target=paper,
        summary=name,
    )
    return paper


@transaction.atomic
def save_field(*, actor: User, paper: PaperTemplate, data: dict[str, Any]) -> PaperTemplate:
    """Adds the zone, or replaces the zone of the same name."""
    try:
        field = template_format.parse_field(data)
        template_format.Template(name="", dpi=paper.dpi, fields=[field]).check_boxes(
            paper.width, paper.height
        )
    except template_format.TemplateError as error:
        raise ValidationError(str(error)) from None
    choices = dict(selectors.procedure_field_choices(paper.procedure))
    if field.name not in choices:
        raise ValidationError({"name": [_("手続のフォームの項目を選んでください。")]})
    if not field.label:
        field.label = choices[field.name]
    fields = [f for f in paper.fields if f["name"] != field.name]
    position = next((i for i, f in enumerate(paper.fields) if f["name"] == field.name), len(fields))
    fields.insert(position, field.to_dict())
    paper.fields = fields
    paper.save(update_fields=["fields"])
    audit.record(
        action="ocr.template.field_saved",
        actor=actor,
        organization=paper.organization,
        target=paper,
        summary=field.name,
    )
    return paper


@transaction.atomic
def delete_field(*, actor: User, paper: PaperTemplate, name: str) -> None:
    paper.fields = [f for f in paper.fields if f["name"] != name]
    paper.save(update_fields=["fields"])
    audit.record(
        action="ocr.template.field_deleted",
        actor=actor,
        organization=paper.organization,
        target=paper,
        summary=name,
    )


# --- Batches ---------------------------------------------------------------------------------------


@transaction.atomic
def start_batch(
    *,
    actor: User | None,
    paper: PaperTemplate,
    uploads: Sequence[UploadedFile],
    received_on: date | None = None,
) -> Batch:
    """Stores the scans and starts the background reading. A file refused here (wrong type, too
    large, content not matching its name) is kept as an error line; the others go on. The papers
    were received on ``received_on`` (default today), which their applications are judged by."""
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("受付日に先の日付は入力できません。")]})
    if not uploads:
        raise ValidationError({"scans": [_("スキャンしたファイルを選んでください。")]})
    if not paper.fields:
        raise ValidationError(_("この様式には読取項目がありません。先に項目を定義してください。"))
    batch = Batch.objects.create(
        organization=paper.organization,
        template=paper,
        created_by=actor,
        received_on=received_on,
    )
    refused = 0
    for upload in uploads:
        try:
            # A refused file's reason is kept for the colleagues who read the batch later, in
            # the platform's language as the job's title is, whichever language the uploader reads.
            with translation.override(settings.LANGUAGE_CODE):
                checked = check_upload(
                    upload, allowed=SCAN_KINDS, max_bytes=MAX_SCAN_BYTES, pdf_dpi=paper.dpi
                )
        except UploadRejected as rejection:
            BatchFile.objects.create(
                batch=batch,
                original_name=str(getattr(upload, "name", ""))[:200],
                error=" ".join(rejection.messages)[:500],
                processed=True,
            )
            refused += 1
            continue
        upload.seek(0)
        stored = BatchFile(batch=batch, original_name=checked.name)
        stored.file.save(checked.name, upload, save=False)
        stored.save()
    # The job's progress counts the files it reads: the title says so, beside those refused now.
    counted = f"{len(uploads) - refused}ファイル" + (
        f"、読めないファイル {refused} 件" if refused else ""
    )
    batch.job = start_job(
        kind="ocr.batch",
        title=f"AI-OCR 読取: {paper.name}({counted})",
        organization=paper.organization,
        actor=actor,
        batch_id=batch.pk,
    )
    batch.save(update_fields=["job"])
    audit.record(
        action="ocr.batch.started",
        actor=actor,
        organization=paper.organization,
        target=batch,
        summary=f"{paper.name}: {len(uploads)}",
    )
    return batch


_extractors: dict[tuple, Extractor] = {}
_extractors_lock = threading.Lock()


def extractor_for(*, paper: PaperTemplate) -> Extractor:
    """One Extractor per template version in this process (the blank page's features are
    computed once)."""
    key = (paper.pk, hashlib.sha256(json.dumps(paper.fields).encode()).hexdigest())
    with _extractors_lock:
        if key not in _extractors:
            with paper.reference.open("rb") as handle:
                reference = next(page_io.load_pages(handle.read()))
            _extractors.clear()
            _extractors[key] = Extractor(paper.as_template(), reference)
        return _extractors[key]


def read_page(
    *, batch: Batch, stored: BatchFile, number: int, image: np.ndarray, extractor: Extractor
) -> ScanPage:
    page = page_read(batch=batch, stored=stored, number=number, image=image, extractor=extractor)
    page.save()
    return page


def page_read(
    *, batch: Batch, stored: BatchFile, number: int, image: np.ndarray, extractor: Extractor
) -> ScanPage:
    """The page as read, not yet saved (its image file is stored): the batch job saves it in the
    transaction that checks it still holds the job."""
    result = extractor.extract(image)
    shown = result.image if result.aligned and result.image is not None else image
    results = {name: r.to_dict() for name, r in result.fields.items()}
    if result.aligned:
        _check_against_form(batch.template, results)
    page = ScanPage(
        organization=batch.organization,
        batch=batch,
        source=stored,
        number=number,
        aligned=result.aligned,
        alignment_score=round(result.alignment_score, 4),
        reason=result.reason,
        results=results,
        status=ScanPage.Status.REVIEW if result.aligned else ScanPage.Status.NOT_ALIGNED,
    )
    page.image.save(f"page-{number}.png", ContentFile(page_io.encode_png(shown)), save=False)
    return page


def _check_against_form(paper: PaperTemplate, results: dict) -> None:
    """Validates the values read against the procedure's form (required, ranges, formats): a value
    the form would refuse is flagged with the form's own message."""
    from jichitai.procedures.validation import validate_application_data

    version = paper.procedure.current_version
    if version is None:
        return
    values = {name: result["value"] for name, result in results.items()}
    _cleaned, errors = validate_application_data(
        version.fields, version.schema, _application_data(paper, values)
    )
    for name, result in results.items():
        messages = errors.get(name.split("__")[0])
        if messages:
            result["valid"] = False
            result["error"] = str(messages[0])


# --- Verification ----------------------------------------------------------------------------------


def _normalised(
    paper: PaperTemplate, typed: dict[str, Any], names: Collection[str] | None = None
) -> dict[str, Any]:
    """The values a person typed, normalised like the engine's; invalid ones raise per field."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in paper.fields:
        name = spec["name"]
        if names is not None and name not in names:
            continue
        raw = typed.get(name)
        if spec["type"] == "checkbox":
            values[name] = bool(raw) and raw not in ("0", "false", "off")
            continue
        value, valid = postprocess.normalise(spec["type"], str(raw or ""), "")
        if not valid:
            errors[name] = [f"「{spec['label'] or name}」の値を確認してください。"]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def verify_page(*, actor: User, page: ScanPage, typed: dict) -> ScanPage:
    """確認・修正: the first person's values. With ベリファイ on and critical fields on the form the
    page waits for a second person; otherwise it becomes an application now."""
    page = ScanPage.objects.select_for_update().get(pk=page.pk)
    if page.status not in (ScanPage.Status.REVIEW, ScanPage.Status.NOT_ALIGNED):
        raise ValidationError(_("このページはすでに確認されています。"))
    paper = page.batch.template
    page.values = _normalised(paper, typed)
    page.first_by = actor
    if paper.double_entry and paper.critical_fields:
        page.status = ScanPage.Status.SECOND_ENTRY
        page.save(update_fields=["values", "first_by", "status"])
        audit.record(
            action="ocr.page.verified", actor=actor, organization=page.organization, target=page
        )
        return page
    return _submit(page, actor)


@transaction.atomic
def second_entry(*, actor: User, page: ScanPage, typed: dict) -> ScanPage:
    """ベリファイ: a second person types the critical fields without seeing the first values."""
    page = ScanPage.objects.select_for_update().get(pk=page.pk)
    if page.status != ScanPage.Status.SECOND_ENTRY:
        raise ValidationError(_("このページはベリファイ待ちではありません。"))
    if page.first_by_id == actor.pk:
        raise ValidationError(_("ベリファイは最初に確認した職員とは別の職員が行ってください。"))
    paper = page.batch.template
    names = {f["name"] for f in paper.critical_fields}
    page.second_values = _normalised(paper, typed, names)
    page.second_by = actor
    if all(selectors.same_value(page.values.get(n), page.second_values.get(n)) for n in names):
        page.save(update_fields=["second_values", "second_by"])
        return _submit(page, actor)
    page.status = ScanPage.Status.CONFLICT
    page.save(update_fields=["second_values", "second_by", "status"])
    audit.record(
        action="ocr.page.conflict", actor=actor, organization=page.organization, target=page
    )
    return page


@transaction.atomic
def resolve_conflict(*, actor: User, page: ScanPage, typed: dict) -> ScanPage:
    """A third person decides the critical fields on which the two entries disagreed."""
    page = ScanPage.objects.select_for_update().get(pk=page.pk)
    if page.status != ScanPage.Status.CONFLICT:
        raise ValidationError(_("このページは判定待ちではありません。"))
    if actor.pk in (page.first_by_id, page.second_by_id):
        raise ValidationError(_("不一致の判定は、入力した2人以外の職員が行ってください。"))
    paper = page.batch.template
    names = set(selectors.conflicting_names(page))
    page.values = {**page.values, **_normalised(paper, typed, names)}
    page.resolved_by = actor
    page.save(update_fields=["values", "resolved_by"])
    return _submit(page, actor)


@transaction.atomic
def discard_page(*, actor: User, page: ScanPage) -> ScanPage:
    """A page that is not an application (a cover letter, another form, an empty sheet)."""
    page = ScanPage.objects.select_for_update().get(pk=page.pk)
    if page.status == ScanPage.Status.DONE:
        raise ValidationError(_("受け付けたページは取り下げられません。"))
    page.status = ScanPage.Status.DISCARDED
    page.save(update_fields=["status"])
    audit.record(
        action="ocr.page.discarded", actor=actor, organization=page.organization, target=page
    )
    return page


def _application_data(paper: PaperTemplate, values: dict) -> dict:
    data: dict[str, Any] = {}
    for spec in paper.fields:
        value = values.get(spec["name"])
        if "__" in spec["name"]:
            base, part = spec["name"].split("__", 1)
            data.setdefault(base, {})[part] = "" if value is None else str(value)
        else:
            data[spec["name"]] = value
    return data


def _submit(page: ScanPage, actor: User) -> ScanPage:
    from jichitai.procedures.models import Application, ApplicationFile
    from jichitai.procedures.services import (
        ApplicationInvalid,
        ProcedureUnavailable,
        submit_application,
    )

    paper = page.batch.template
    with page.image.open("rb") as handle:
        content = handle.read()
    name = f"{page.source.original_name.rsplit('.', 1)[0]}-p{page.number}.png"
    scan = ApplicationFile(
        organization=page.organization,
        field_name="paper_scan",
        original_name=name,
        content_type="image/png",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    scan.file.save(name, ContentFile(content), save=False)
    scan.save()
    try:
        submission = submit_application(
            procedure=paper.procedure,
            data=_application_data(paper, page.values),
            channel=Application.Channel.PAPER,
            idempotency_key=f"ocr-page-{page.pk}",
            pending_files={"paper_scan": scan},
            actor=actor,
            received_on=page.batch.received_on,
        )
    except ApplicationInvalid as invalid:
        scan.file.delete(save=False)
        errors: dict[str, list[str]] = {}
        for field, messages in invalid.message_dict.items():
            target = next(
                (f["name"] for f in paper.fields if f["name"].split("__")[0] == field), None
            )
            errors.setdefault(target or "__all__", []).extend(messages)
        raise ValidationError(errors) from None
    except ProcedureUnavailable as unavailable:
        scan.file.delete(save=False)
        raise ValidationError(unavailable.message) from None
    page.application = submission.application
    page.status = ScanPage.Status.DONE
    page.save(update_fields=["application", "status"])
    audit.record(
        action="ocr.page.submitted",
        actor=actor,
        organization=page.organization,
        target=page,
        summary=submission.application.receipt_number,
    )
    return page


def erase_scans(*, application: "Application") -> None:
    """Erasure hook (``procedures.registry.erasure_hooks``): a paper application's page images and
    the values read and typed from them are deleted, and so is the uploaded scan they came from
    once it has been read (its pages are already images of their own). The pages stay, so the
    batch still counts them; the values in their audit entries are redacted."""
    pages = list(ScanPage.objects.filter(application=application).select_related("source"))
    sources = {page.source_id: page.source for page in pages if page.source.processed}
    delete_files_on_commit([page.image for page in pages])
    delete_files_on_commit([source.file for source in sources.values()])
    ScanPage.objects.filter(pk__in=[page.pk for page in pages]).update(
        image="", results={}, values={}, second_values={}
    )
    BatchFile.objects.filter(pk__in=list(sources)).update(file="")
    audit.redact_changes(model=ScanPage, ids=[page.pk for page in pages])
