"""The applicant's own actions: correcting a returned application and withdrawing it (through
the status page token), drafts and e-mail verification."""

from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from jichitai.audit import services as audit
from jichitai.procedures import notifications
from jichitai.procedures.availability import ProcedureUnavailable
from jichitai.procedures.definitions import persons_field, persons_of
from jichitai.procedures.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    Draft,
    EmailVerification,
    Procedure,
)
from jichitai.procedures.registry import Candidate
from jichitai.procedures.services.processing import (
    WITHDRAWABLE,
    Status,
    _release,
    _resume_due_date,
)
from jichitai.procedures.services.submission import (
    ApplicationInvalid,
    _attach_files,
    _run_acceptance_checks,
    _search_text,
)
from jichitai.procedures.validation import validate_application_data

DRAFT_LIFETIME = timedelta(days=14)
VERIFICATION_LIFETIME = timedelta(hours=24)


@transaction.atomic
def resubmit(
    *,
    application: Application,
    data: dict,
    uploads: dict | None = None,
    pending_files: dict | None = None,
    signature: bytes | None = None,
) -> Application:
    """The applicant corrects a returned application; it goes back to 受付 with its history.
    The corrected data passes the same acceptance checks as a new application."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.RETURNED:
        raise ProcedureUnavailable(gettext_noop("この申請は現在修正できません。"), "not_returned")
    version = application.form_version
    cleaned, errors = validate_application_data(version.fields, version.schema, data)
    files_by_field, _stored_now = _attach_files(
        procedure=application.procedure,
        fields=version.fields,
        data=data,
        cleaned=cleaned,
        errors=errors,
        uploads=uploads,
        pending_files=pending_files,
        kept=application.data,
    )
    accepted = []
    if not errors:
        accepted = _run_acceptance_checks(
            Candidate(
                procedure=application.procedure,
                version=version,
                data=data,
                cleaned=cleaned,
                files=files_by_field,
                evidence={"signature": signature},
                application=application,
            ),
            errors,
        )
    if errors:
        raise ApplicationInvalid(errors)
    persons_name = persons_field(version.fields)  # where a refused increase is told
    persons = persons_of(version.fields, cleaned)
    procedure = application.procedure
    if procedure.capacity is not None and persons != application.persons:
        extra = persons - application.persons
        updated = Procedure.objects.filter(
            pk=procedure.pk, seats_taken__lte=F("capacity") - extra
        ).update(seats_taken=F("seats_taken") + extra)
        if not updated:
            raise ApplicationInvalid(
                {
                    persons_name or NON_FIELD_ERRORS: [
                        "定員の残りが足りないため、人数を増やせません。"
                    ]
                }
            )
    before = application.data
    application.data = cleaned
    application.persons = persons
    application.search_text = _search_text(version.fields, cleaned)
    application.status = Status.RECEIVED
    due_change = _resume_due_date(application)
    application.save(
        update_fields=["data", "persons", "search_text", "status", "due_date", "updated_at"]
    )
    if files_by_field:
        ApplicationFile.objects.filter(pk__in=[f.pk for f in files_by_field.values()]).update(
            application=application, upload_token=""
        )
    for record in accepted:
        record(application)
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.RESUBMITTED,
        from_status=Status.RETURNED,
        to_status=Status.RECEIVED,
    )
    audit.record(
        action="procedures.application.resubmitted",
        target=application,
        changes={**audit.changes_between(before=before, after=cleaned), **due_change},
        summary="申請者が修正して再提出",
    )
    notifications.event_recorded(event, "")
    return application


@transaction.atomic
def withdraw(*, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in WITHDRAWABLE:
        raise ProcedureUnavailable(
            gettext_noop("この申請は取り下げられません。"), "not_withdrawable"
        )
    from_status = application.status
    application.status = Status.WITHDRAWN
    _release(application)
    application.save(update_fields=["status", "one_per_person_key", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.STATUS,
        from_status=from_status,
        to_status=Status.WITHDRAWN,
    )
    audit.record(
        action="procedures.application.withdrawn",
        target=application,
        changes={"status": [from_status, Status.WITHDRAWN]},
    )
    notifications.event_recorded(event, "")
    return application


# --- Drafts and e-mail verification ---------------------------------------------------------------


@transaction.atomic
def save_draft(
    *,
    procedure: Procedure,
    email: str,
    data: dict,
    draft: Draft | None = None,
    language: str = "ja",
) -> Draft:
    if draft is None:
        draft = Draft(procedure=procedure, email=email)
    draft.email = email
    draft.data = data
    draft.language = language
    draft.expires_at = timezone.now() + DRAFT_LIFETIME
    created = draft._state.adding
    draft.save()
    # Which draft and when, never the address or the answers: entries outlive the draft.
    audit.record(
        action="procedures.draft.saved",
        organization=procedure.organization,
        target=draft,
        summary=f"{procedure.name}({'新規' if created else '上書き'})",
    )
    notifications.draft_saved(draft)
    return draft


@transaction.atomic
def request_email_verification(
    *, procedure: Procedure, email: str, language: str = "ja"
) -> EmailVerification:
    verification = EmailVerification.objects.create(
        procedure=procedure,
        email=email,
        language=language,
        expires_at=timezone.now() + VERIFICATION_LIFETIME,
    )
    audit.record(
        action="procedures.email_verification.requested",
        organization=procedure.organization,
        target=verification,
        summary=procedure.name,
    )
    notifications.verification_requested(verification)
    return verification
