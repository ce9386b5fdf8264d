"""XLSForm imports: the upload is kept and read in the background (``procedures.xlsform_import``),
never while a transaction holds the database's write lock; what was read is applied to the form
being edited at once, or after the clerk has accepted its warnings."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.core.uploads import check_upload
from jichitai.jobs.services import start_job
from jichitai.procedures import xlsform
from jichitai.procedures.models import FormImport, Procedure
from jichitai.procedures.services.catalog import save_form_fields


@transaction.atomic
def start_form_import(
    *, actor: User | None, procedure: Procedure, upload: UploadedFile
) -> FormImport:
    """Keeps the checked workbook and queues its reading; raises ``UploadRejected``."""
    checked = check_upload(upload, allowed=["xlsx", "xls"], max_bytes=xlsform.MAX_BYTES)
    upload.seek(0)
    form_import = FormImport.objects.create(
        organization=procedure.organization,
        procedure=procedure,
        file_name=checked.name,
        workbook=upload.read(),
        created_by=signed_in(actor),
    )
    form_import.job = start_job(
        kind="procedures.xlsform_import",
        title=f"XLSForm の読み取り: {checked.name}",
        organization=procedure.organization,
        actor=actor,
        import_id=form_import.pk,
    )
    form_import.save(update_fields=["job"])
    audit.record(
        action="procedures.xlsform.uploaded",
        actor=actor,
        target=procedure,
        summary=checked.name,
    )
    return form_import


@transaction.atomic
def record_form_import(
    *, form_import: FormImport, outcome: xlsform.XLSFormError | xlsform.ImportedForm
) -> FormImport:
    """Stores what the job read (``XLSFormError`` or ``ImportedForm``), each finding kept to be
    told in the language of whoever reads the result; a form without warnings is applied at
    once."""
    if isinstance(outcome, xlsform.XLSFormError):
        form_import.status = FormImport.Status.REFUSED
        form_import.problems = [problem.as_kept() for problem in outcome.found]
    else:
        form_import.fields = outcome.fields
        form_import.warnings = [warning.as_kept() for warning in outcome.left_out]
        form_import.languages = outcome.languages
        form_import.status = FormImport.Status.WARNED
    form_import.save(update_fields=["status", "problems", "fields", "warnings", "languages"])
    if form_import.status == FormImport.Status.WARNED and not form_import.warnings:
        try:
            _apply(actor=form_import.created_by, form_import=form_import)
        except ValidationError as error:
            form_import.status = FormImport.Status.REFUSED
            form_import.problems = error.messages
            form_import.save(update_fields=["status", "problems"])
    return form_import


@transaction.atomic
def accept_form_import(*, actor: User | None, form_import: FormImport) -> FormImport:
    """The clerk has read the warnings: the fields replace the form being edited."""
    if form_import.status != FormImport.Status.WARNED:
        raise ValidationError(_("この取り込みは確認待ちではありません。"))
    _apply(actor=actor, form_import=form_import)
    return form_import


def _apply(*, actor: User | None, form_import: FormImport) -> None:
    save_form_fields(actor=actor, procedure=form_import.procedure, fields=form_import.fields)
    form_import.status = FormImport.Status.APPLIED
    form_import.save(update_fields=["status"])
    audit.record(
        action="procedures.xlsform.applied",
        actor=actor,
        target=form_import.procedure,
        summary=f"{form_import.file_name}: {len(form_import.fields)} 項目"
        + (f"(警告 {len(form_import.warnings)} 件を確認済み)" if form_import.warnings else ""),
    )
