"""Retention: applications whose procedure's retention period is over lose their personal data
(content, files, messages, the applicant's drafts and e-mail verifications, the values in their
audit entries, and whatever other modules keep through ``registry.erasure_hooks``) while the rows
and audit entries stay, so every statistic keeps counting them. Runs every night as a background
job (``jobs.py``), which also deletes expired drafts and e-mail verifications; a clerk can also erase one
application on request. Files chosen on the input page but never sent are deleted every hour, as
are stored files a rolled-back transaction left without their row."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jichitai.audit import services as audit
from jichitai.core.files import delete_files_on_commit
from jichitai.procedures.models import (
    Application,
    ApplicationFile,
    Draft,
    EmailVerification,
    Procedure,
)
from jichitai.procedures.registry import erasure_hooks

# Only finished applications are erased: one still being processed is not.
FINISHED = [Application.Status.COMPLETED, Application.Status.REJECTED, Application.Status.WITHDRAWN]
PURGED_TEXT = "(保存期間の経過により削除)"


def erase_application(application: Application) -> int:
    files = list(ApplicationFile.objects.filter(application=application))
    delete_files_on_commit([stored.file for stored in files])
    ApplicationFile.objects.filter(application=application).delete()
    if application.applicant_email:
        # The applicant's half-way answers and address checks for this procedure, made while the
        # application was live (not a later one begun for a new application).
        mine = {
            "procedure_id": application.procedure_id,
            "email__iexact": application.applicant_email,
            "created_at__lte": application.updated_at,
        }
        Draft.objects.filter(**mine).delete()
        EmailVerification.objects.filter(**mine).delete()
    application.events.exclude(message="").update(message=PURGED_TEXT)
    audit.redact_changes(model=Application, ids=[application.pk])
    for _name, erase in erasure_hooks.items():
        erase(application)
    Application.objects.filter(pk=application.pk).update(
        data={},
        applicant_name="",
        applicant_email="",
        search_text="",
        one_per_person_key=None,
        purged_at=timezone.now(),
    )
    return len(files)


@transaction.atomic
def purge_application(*, actor, application: Application, reason: str) -> None:
    """Erases one application's personal data now (e.g. at the applicant's request)."""
    files = erase_application(application)
    audit.record(
        action="procedures.application.purged",
        actor=actor,
        target=application,
        summary=f"{reason}(添付 {files} 件も削除)",
    )


def expired_applications(procedure: Procedure, now):
    cutoff = now - timedelta(days=365 * procedure.retention_years)
    return procedure.applications.filter(
        purged_at__isnull=True, status__in=FINISHED, submitted_at__lt=cutoff
    )
