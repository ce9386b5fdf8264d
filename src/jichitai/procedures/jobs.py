"""The background job kinds of procedures: the nightly retention run (``procedures.retention``),
the hourly deletion of files never sent (``procedures.expire_uploads``; see ``retention``), the
hourly digest of new applications to staff (``procedures.staff_digest``) and the reading of an
uploaded XLSForm workbook (``procedures.xlsform_import``)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jichitai.audit import services as audit
from jichitai.core.files import delete_files_on_commit
from jichitai.jobs.registry import Schedule, job_kind, schedules
from jichitai.procedures import xlsform
from jichitai.procedures.digest import send_staff_digest
from jichitai.procedures.models import (
    ApplicantLink,
    ApplicationFile,
    Draft,
    EmailVerification,
    FormImport,
    Procedure,
)
from jichitai.procedures.retention import erase_application, expired_applications
from jichitai.procedures.services import record_form_import

# The stored files the sweep looks at: those of the months that may hold files written since the
# previous runs (hourly), with a margin for runs missed.
SWEPT_DAYS = 62


@job_kind("procedures.retention")
def purge_expired(context, **arguments) -> dict:
    """The nightly run. Each application is erased in its own transaction, so an interrupted run
    simply continues with what is left."""
    now = timezone.now()
    procedures = list(Procedure.objects.all())
    total = sum(expired_applications(procedure, now).count() for procedure in procedures)
    done = 0
    context.progress(0, total, "保存期間を過ぎた申請を確認しています")
    for procedure in procedures:
        for application in expired_applications(procedure, now).iterator():
            # The entry is written with the erasure it tells of: a run that stops half-way has
            # an entry for exactly the applications it erased.
            with transaction.atomic():
                files = erase_application(application)
                # About the procedure: the application's own entries stay exactly as they were.
                audit.record(
                    action="procedures.retention.run",
                    target=procedure,
                    summary=f"保存期間を過ぎた申請 {application.receipt_number} の個人情報を削除"
                    f"(添付 {files} 件も削除)",
                )
            done += 1
            context.progress(done)
    expired_drafts, _ = Draft.objects.filter(expires_at__lte=now).delete()
    expired_verifications, _ = EmailVerification.objects.filter(expires_at__lte=now).delete()
    # An expired link can no longer be used, and it holds the address it was mailed to.
    expired_links, _ = ApplicantLink.objects.filter(expires_at__lte=now).delete()
    return {
        "purged": done,
        "expired_drafts": expired_drafts,
        "expired_verifications": expired_verifications,
        "expired_applicant_links": expired_links,
    }


schedules.register(
    "procedures.retention",
    Schedule(
        "procedures.retention", "30 3 * * *", "procedures.retention", "保存期間を過ぎた申請の削除"
    ),
)


@job_kind("procedures.expire_uploads")
def expire_pending_uploads(context, **arguments) -> dict:
    """Deletes files chosen on the input page but never confirmed, with their stored content,
    once JICHITAI_PENDING_UPLOAD_HOURS have passed (the input page tells the resident so). Each
    file is looked at again, locked, in its own transaction: one that an application took in the
    meantime is left alone. Stored files left without a row by a rolled-back transaction go
    after the same time."""
    cutoff = timezone.now() - timedelta(hours=settings.JICHITAI_PENDING_UPLOAD_HOURS)
    expired = ApplicationFile.objects.filter(application__isnull=True, created_at__lt=cutoff)
    ids = list(expired.values_list("pk", flat=True))
    context.progress(0, len(ids), "送信されなかった添付ファイルを削除しています")
    deleted = 0
    for done, file_id in enumerate(ids, start=1):
        with transaction.atomic():
            waiting = (
                ApplicationFile.objects.select_for_update()
                .filter(pk=file_id, application__isnull=True)
                .first()
            )
            if waiting is not None:
                delete_files_on_commit([waiting.file])
                waiting.delete()
                deleted += 1
        context.progress(done)
    storage = ApplicationFile._meta.get_field("file").storage
    for name in _files_without_row(storage, cutoff):
        storage.delete(name)
        deleted += 1
    return {"deleted": deleted}


def _files_without_row(storage, cutoff) -> list[str]:
    """Stored application files older than ``cutoff`` that no row refers to. A file and its row
    are written together, but when the transaction around them rolls back only the row goes;
    a younger file may still belong to a transaction that has not committed yet."""
    candidates = []
    month = (cutoff - timedelta(days=SWEPT_DAYS)).date().replace(day=1)
    while month <= timezone.now().date():
        directory = f"applications/{month:%Y}/{month:%m}"
        if storage.exists(directory):
            candidates += [f"{directory}/{name}" for name in storage.listdir(directory)[1]]
        month = (month + timedelta(days=32)).replace(day=1)
    known = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        known.update(ApplicationFile.objects.filter(file__in=chunk).values_list("file", flat=True))
    return [
        name
        for name in candidates
        if name not in known and storage.get_modified_time(name) < cutoff
    ]


schedules.register(
    "procedures.expire_uploads",
    Schedule(
        "procedures.expire_uploads",
        "10 * * * *",
        "procedures.expire_uploads",
        "送信されなかった添付ファイルの削除",
    ),
)


@job_kind("procedures.xlsform_import")
def read_form_import(context, *, import_id: int) -> dict:
    """Reads the workbook with no transaction open (reading is bounded in rows and seconds, and
    a slow workbook must not hold up residents' submissions), then stores the outcome in one
    short transaction."""
    form_import = FormImport.objects.select_related("procedure", "created_by").get(pk=import_id)
    context.progress(0, 1, "Excel ファイルを読み取っています")
    try:
        outcome = xlsform.read_xlsform(bytes(form_import.workbook))
    except xlsform.XLSFormError as error:
        outcome = error
    form_import = record_form_import(form_import=form_import, outcome=outcome)
    context.progress(1)
    return {
        "status": form_import.status,
        "fields": len(form_import.fields),
        "warnings": len(form_import.warnings),
        "problems": len(form_import.problems),
    }


@job_kind("procedures.staff_digest")
def staff_digest(context, **arguments) -> dict:
    """New and resubmitted applications, one e-mail per person (see ``procedures.digest``)."""
    context.progress(0, 1, "新しい申請を職員にお知らせしています")
    outcome = send_staff_digest()
    context.progress(1)
    return outcome


schedules.register(
    "procedures.staff_digest",
    Schedule(
        "procedures.staff_digest",
        "0 * * * *",
        "procedures.staff_digest",
        "新しい申請・再提出の職員へのお知らせ(1時間ごと)",
    ),
)
