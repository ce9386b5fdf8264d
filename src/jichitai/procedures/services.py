"""Writes about procedures and applications. Each public function is one transaction with its
audit entries; applicants' e-mails go out after commit."""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from jichitai.audit import services as audit
from jichitai.core import japanese
from jichitai.core.files import delete_files_on_commit
from jichitai.core.uploads import UploadRejected, check_upload, human_size, safe_filename
from jichitai.procedures import notifications
from jichitai.procedures.availability import ProcedureUnavailable, accepting, unavailable_reason
from jichitai.procedures.definitions import (
    build_schema,
    check_definition,
    file_fields,
    persons_field,
)
from jichitai.procedures.fields import field_types
from jichitai.procedures.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    Draft,
    EmailVerification,
    FormVersion,
    Procedure,
)
from jichitai.procedures.registry import Candidate, acceptance_checks, submission_hooks
from jichitai.procedures.validation import validate_application_data

Status = Application.Status

# Which status a clerk may move an application to from each status. 差戻し goes back to 受付
# when the applicant resubmits; 取下げ is the applicant's own action.
TRANSITIONS = {
    Status.RECEIVED: {Status.REVIEWING, Status.RETURNED, Status.APPROVED, Status.REJECTED},
    Status.REVIEWING: {Status.RETURNED, Status.APPROVED, Status.REJECTED},
    Status.RETURNED: {Status.REVIEWING, Status.REJECTED},
    Status.APPROVED: {Status.COMPLETED},
    Status.REJECTED: set(),
    Status.COMPLETED: set(),
    Status.WITHDRAWN: set(),
}
WITHDRAWABLE = {Status.RECEIVED, Status.REVIEWING, Status.RETURNED}
# Statuses in which an application no longer holds a seat or the one-per-person slot.
RELEASED = {Status.REJECTED, Status.WITHDRAWN}

PROCEDURE_FIELDS = [
    "division",
    "name",
    "description",
    "category",
    "online",
    "opens_at",
    "closes_at",
    "capacity",
    "one_per_email",
    "needs_signature",
    "identity",
    "fee_kind",
    "fee_amount",
    "payment_due_days",
    "attachment_kinds",
    "attachment_max_mb",
    "retention_years",
    "is_shared_template",
]
DRAFT_LIFETIME = timedelta(days=14)
VERIFICATION_LIFETIME = timedelta(hours=24)


class ApplicationInvalid(ValidationError):
    """The data does not satisfy the form; ``error_dict`` holds the messages per field."""


class IdempotencyKeyReused(Exception):
    """The idempotency key was already used for this procedure with a different request."""

    message = (
        "この Idempotency-Key は、この手続への別の内容の送信にすでに使われています。"
        "新しい送信には新しいキーを使ってください。"
    )


# --- Procedures ---------------------------------------------------------------------------------


def _check_procedure(procedure: Procedure) -> None:
    if procedure.division.organization_id != procedure.organization_id:
        raise ValidationError({"division": "別の団体の所属は選べません。"})
    if procedure.opens_at and procedure.closes_at and procedure.closes_at <= procedure.opens_at:
        raise ValidationError({"closes_at": "受付終了は受付開始より後にしてください。"})
    if (
        procedure.fee_kind in {Procedure.FeeKind.FIXED, Procedure.FeeKind.PER_PERSON}
        and not procedure.fee_amount
    ):
        raise ValidationError(
            {"fee_amount": "定額・1人あたりの手数料では、金額を入力してください。"}
        )
    if procedure.is_shared_template and not procedure.organization.is_prefecture:
        raise ValidationError({"is_shared_template": "様式を共有できるのは県の手続です。"})


@transaction.atomic
def create_procedure(*, actor, organization, fields: list | None = None, **values) -> Procedure:
    procedure = Procedure(organization=organization, draft_fields=fields or [])
    for name in PROCEDURE_FIELDS:
        if name in values:
            setattr(procedure, name, values[name])
    _check_procedure(procedure)
    procedure.save()
    audit.record_created(procedure, ["name", "category", "division"], actor=actor)
    return procedure


@transaction.atomic
def update_procedure(*, actor, procedure: Procedure, **values) -> Procedure:
    stored = Procedure.objects.get(pk=procedure.pk)
    before = audit.snapshot(stored, PROCEDURE_FIELDS)
    for name in PROCEDURE_FIELDS:
        if name in values:
            setattr(procedure, name, values[name])
    _check_procedure(procedure)
    if procedure.capacity is not None and procedure.capacity < stored.seats_taken:
        raise ValidationError(
            {
                "capacity": f"すでに {stored.seats_taken} 人の申込みがあります。それより少ない定員にはできません。"
            }
        )
    procedure.save()
    changes = audit.changes_between(before, audit.snapshot(procedure, PROCEDURE_FIELDS))
    if changes:
        audit.record("procedures.procedure.updated", actor=actor, target=procedure, changes=changes)
    return procedure


@transaction.atomic
def save_form_fields(*, actor, procedure: Procedure, fields: list[dict]) -> Procedure:
    """Stores the form being edited. What residents see changes only when it is published."""
    problems = check_definition(fields)
    if problems:
        raise ValidationError(problems)
    before = procedure.draft_fields
    procedure.draft_fields = fields
    procedure.save(update_fields=["draft_fields", "updated_at"])
    audit.record(
        "procedures.form.edited",
        actor=actor,
        target=procedure,
        changes={"fields": [len(before), len(fields)]},
        summary=f"項目数 {len(fields)}",
    )
    return procedure


@transaction.atomic
def publish_procedure(*, actor, procedure: Procedure) -> Procedure:
    """Publishes the form being edited. If it differs from the published one it becomes a new
    version; applications already received keep the version they were made with."""
    fields = procedure.draft_fields
    problems = check_definition(fields)
    if not fields:
        problems.insert(0, "項目が1つもありません。")
    if problems:
        raise ValidationError(problems)
    current = procedure.current_version
    if current is None or current.fields != fields:
        number = (
            procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = FormVersion.objects.create(
            procedure=procedure,
            number=number,
            fields=fields,
            schema=build_schema(fields, title=procedure.name),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        procedure.current_version = version
    old_status = procedure.status
    procedure.status = Procedure.Status.PUBLISHED
    procedure.save(update_fields=["current_version", "status", "updated_at"])
    audit.record(
        "procedures.procedure.published",
        actor=actor,
        target=procedure,
        changes={
            "status": [old_status, procedure.status],
            "version": [current.number if current else None, procedure.current_version.number],
        },
    )
    return procedure


@transaction.atomic
def close_procedure(*, actor, procedure: Procedure) -> Procedure:
    old = procedure.status
    procedure.status = Procedure.Status.CLOSED
    procedure.save(update_fields=["status", "updated_at"])
    audit.record(
        "procedures.procedure.closed",
        actor=actor,
        target=procedure,
        changes={"status": [old, procedure.status]},
    )
    return procedure


@transaction.atomic
def copy_procedure(*, actor, source: Procedure, organization, division) -> Procedure:
    """フォームシェア: a municipality copies a procedure the prefecture shares, as a draft of its
    own that it can adapt before publishing."""
    if not (source.is_shared_template or source.organization_id == organization.pk):
        raise ValidationError("共有されていない手続は複製できません。")
    fields = source.current_version.fields if source.current_version else source.draft_fields
    copy = Procedure(
        organization=organization,
        division=division,
        name=source.name,
        description=source.description,
        category=source.category,
        online=source.online,
        capacity=source.capacity,
        one_per_email=source.one_per_email,
        needs_signature=source.needs_signature,
        fee_kind=source.fee_kind,
        fee_amount=source.fee_amount,
        payment_due_days=source.payment_due_days,
        identity=source.identity,
        attachment_kinds=source.attachment_kinds,
        attachment_max_mb=source.attachment_max_mb,
        retention_years=source.retention_years,
        draft_fields=fields,
        copied_from=source,
    )
    _check_procedure(copy)
    copy.save()
    audit.record_created(
        copy,
        ["name", "category"],
        actor=actor,
        summary=f"{source.organization.name}「{source.name}」から複製",
    )
    return copy


# --- Submissions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    application: Application
    created: bool


def store_upload(
    *, procedure: Procedure, field_name: str, upload, upload_token: str = ""
) -> ApplicationFile:
    """Checks an uploaded file against the procedure's attachment policy, then stores it (waiting
    for its application). Nothing is stored when the check fails."""
    kinds = procedure.attachment_kinds or ["pdf", "jpeg", "png"]
    checked = check_upload(
        upload, allowed=kinds, max_bytes=procedure.attachment_max_mb * 1024 * 1024
    )
    stored = ApplicationFile(
        organization=procedure.organization,
        field_name=field_name,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        upload_token=upload_token,
    )
    stored.file.save(checked.name, upload, save=False)
    stored.save()
    return stored


def _applicant(fields: list[dict], data: dict, given_email: str | None) -> tuple[str, str]:
    name = ""
    email = given_email or ""
    for spec in fields:
        value = data.get(spec["name"])
        if spec["type"] == "name" and value and not name:
            name = f"{value['family']} {value['given']}"
        if spec["type"] == "email" and value and not email:
            email = value
    return name, email


def _search_text(fields: list[dict], data: dict) -> str:
    parts = []
    for spec in fields:
        if spec["name"] in data:
            parts.append(field_types.get(spec["type"]).display(data[spec["name"]], spec))
    return " ".join(parts)[:4000]


def _attach_files(
    procedure, fields, data, cleaned, errors, uploads, pending_files, kept=None
) -> tuple[dict, list]:
    """Puts the references of the files sent with this submission into ``cleaned`` (and their
    messages into ``errors``). Files travel beside the data, never in it: a reference in the data
    is accepted only to a file this submission sent or, on a resubmission, the one it keeps.
    Returns the files by field and those stored now."""
    files_by_field = dict(pending_files or {})
    stored_now = []
    for spec in file_fields(fields):
        name = spec["name"]
        # The validator only saw the data's claim; which file is attached is decided here.
        errors.pop(name, None)
        cleaned.pop(name, None)
        upload = (uploads or {}).get(name)
        if upload is not None:
            try:
                stored = store_upload(procedure=procedure, field_name=name, upload=upload)
            except UploadRejected as rejection:
                errors[name] = rejection.messages
                continue
            stored_now.append(stored)
            files_by_field[name] = stored
        if name in files_by_field:
            reference = {
                "file_id": files_by_field[name].pk,
                "name": files_by_field[name].original_name,
            }
        else:
            reference = (kept or {}).get(name)
        claimed = data.get(name)
        if claimed not in (None, "", {}, reference):
            errors[name] = [
                f"「{spec['label']}」に指定された添付ファイルは、この申請で送られたものではありません。"
                "ファイルそのものを添付してください。"
            ]
        elif reference is not None:
            cleaned[name] = reference
        elif spec.get("required"):
            errors[name] = [f"「{spec['label']}」のファイルを添付してください。"]
    return files_by_field, stored_now


def _request_sha256(data: dict, signature: bytes | None) -> str:
    content = json.dumps(
        {"data": data, "signature": signature.hex() if signature else None},
        sort_keys=True,
        ensure_ascii=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def _replayed(procedure: Procedure, idempotency_key: str, request_sha256: str):
    """The application a retry of the same request already created, if any. Applications kept
    from before requests were hashed (no hash) are taken as the same request."""
    existing = Application.objects.filter(
        procedure=procedure, idempotency_key=idempotency_key
    ).first()
    if existing is not None and existing.request_sha256 not in ("", request_sha256):
        raise IdempotencyKeyReused(IdempotencyKeyReused.message)
    return existing


def submit_application(
    *,
    procedure: Procedure,
    data: dict,
    channel: str = Application.Channel.ONLINE,
    idempotency_key: str | None = None,
    applicant_email: str | None = None,
    uploads: dict | None = None,
    pending_files: dict | None = None,
    actor=None,
    reject_unknown: bool = False,
    signature: bytes | None = None,
) -> Submission:
    """Validates and records an application from any channel, in one transaction.

    The same ``idempotency_key`` returns the application it first created and writes nothing.
    ``uploads`` are files not yet stored (checked first); ``pending_files`` are files already
    stored on the input page. Raises ``ApplicationInvalid`` (messages per field) or
    ``ProcedureUnavailable`` (closed, full, already applied).
    """
    request_sha256 = _request_sha256(data, signature)
    if idempotency_key:
        existing = _replayed(procedure, idempotency_key, request_sha256)
        if existing is not None:
            return Submission(existing, created=False)

    # Refused before any file is stored. A procedure with 定員 is checked once more, atomically,
    # when its seats are taken (``_record``).
    reason = unavailable_reason(procedure)
    if reason is not None:
        raise reason
    version = procedure.current_version
    cleaned, errors = validate_application_data(
        version.fields, version.schema, data, reject_unknown=reject_unknown
    )

    files_by_field, stored_now = _attach_files(
        procedure, version.fields, data, cleaned, errors, uploads, pending_files
    )
    accepted = []
    if not errors:
        accepted = _run_acceptance_checks(
            Candidate(
                procedure=procedure,
                version=version,
                data=data,
                cleaned=cleaned,
                files=files_by_field,
                evidence={"signature": signature},
            ),
            errors,
        )
    if errors:
        for stored in stored_now:
            stored.file.delete(save=False)
            stored.delete()
        raise ApplicationInvalid(errors)

    persons_name = persons_field(version.fields)
    persons = int(cleaned.get(persons_name) or 1) if persons_name else 1
    name, email = _applicant(version.fields, cleaned, applicant_email)
    try:
        with transaction.atomic():
            application = _record(
                procedure,
                version,
                cleaned,
                channel,
                persons,
                name,
                email,
                idempotency_key,
                request_sha256,
                files_by_field,
                actor,
                accepted,
            )
    except IntegrityError:
        if idempotency_key:
            existing = _replayed(procedure, idempotency_key, request_sha256)
            if existing is not None:
                return Submission(existing, created=False)
        if procedure.one_per_email and email:
            raise ProcedureUnavailable(
                "このメールアドレスではすでに申し込まれています。", "duplicate"
            ) from None
        raise
    notifications.application_received(application)
    return Submission(application, created=True)


def _run_acceptance_checks(candidate: Candidate, errors: dict) -> list:
    """Runs every registered acceptance check; their messages go into ``errors``. Returns what
    the checks that passed will record about the application."""
    accepted = []
    for _name, check in acceptance_checks.items():
        try:
            record = check(candidate)
        except ValidationError as refusal:
            for field_name, messages in refusal.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
            continue
        if record is not None:
            accepted.append(record)
    return accepted


def _record(
    procedure,
    version,
    cleaned,
    channel,
    persons,
    name,
    email,
    idempotency_key,
    request_sha256,
    files_by_field,
    actor,
    accepted,
):
    if procedure.capacity is not None:
        # Taken atomically: the row only changes while the whole rule still holds for these seats,
        # so neither a concurrent submission nor the staff closing it can slip in between.
        taken = (
            Procedure.objects.filter(pk=procedure.pk)
            .filter(accepting(persons=persons))
            .update(seats_taken=F("seats_taken") + persons)
        )
        procedure.refresh_from_db(fields=["seats_taken", "capacity", "status"])
        if not taken:
            raise unavailable_reason(procedure, persons=persons) or ProcedureUnavailable(
                "この手続は現在受け付けていません。", "closed"
            )
        if procedure.seats_taken >= procedure.capacity:
            Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.CLOSED)
            procedure.status = Procedure.Status.CLOSED
    now = timezone.now()
    fiscal_year = japanese.fiscal_year(timezone.localdate(now))
    application = Application.objects.create(
        organization=procedure.organization,
        procedure=procedure,
        form_version=version,
        receipt_number=uuid.uuid4().hex,
        channel=channel,
        data=cleaned,
        persons=persons,
        applicant_email=email,
        applicant_name=name,
        search_text=_search_text(version.fields, cleaned),
        idempotency_key=idempotency_key or None,
        request_sha256=request_sha256 if idempotency_key else "",
        one_per_person_key=f"{procedure.pk}:{email.lower()}"
        if (procedure.one_per_email and email)
        else None,
        submitted_at=now,
        fiscal_year=fiscal_year,
    )
    # Human-readable and unique per organization without a shared counter row that every
    # submission would have to lock: the application's own id, after the code and 年度.
    application.receipt_number = f"{procedure.organization.code}-{fiscal_year}-{application.pk:06d}"
    Application.objects.filter(pk=application.pk).update(receipt_number=application.receipt_number)
    if files_by_field:
        ApplicationFile.objects.filter(pk__in=[f.pk for f in files_by_field.values()]).update(
            application=application, upload_token=""
        )
    for record in accepted:
        record(application)
    for _name, hook in submission_hooks.items():
        hook(application)
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.SUBMITTED,
        to_status=Status.RECEIVED,
        actor=actor,
    )
    audit.record(
        "procedures.application.submitted",
        actor=actor,
        organization=procedure.organization,
        target=application,
        summary=f"{procedure.name}({application.get_channel_display()})",
    )
    return application


# --- Processing (staff) ---------------------------------------------------------------------------


def _release(application: Application) -> None:
    """A rejected or withdrawn application gives back its seats and its one-per-person slot."""
    procedure = application.procedure
    if procedure.capacity is not None:
        Procedure.objects.filter(pk=procedure.pk).update(
            seats_taken=F("seats_taken") - application.persons
        )
    application.one_per_person_key = None


@transaction.atomic
def change_status(
    *, actor, application: Application, to_status: str, message: str = ""
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    from_status = application.status
    if to_status not in TRANSITIONS[Status(from_status)]:
        raise ValidationError(
            {
                "to_status": f"「{Status(from_status).label}」から「{Status(to_status).label}」には変更できません。"
            }
        )
    if to_status == Status.RETURNED and not message.strip():
        raise ValidationError(
            {"message": "差戻しの理由と修正してほしい点を、申請者へのメッセージに書いてください。"}
        )
    application.status = to_status
    if to_status in RELEASED:
        _release(application)
    application.save(update_fields=["status", "one_per_person_key", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.STATUS,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        message=message.strip(),
    )
    audit.record(
        "procedures.application.status_changed",
        actor=actor,
        target=application,
        changes={"status": [from_status, to_status]},
        summary=message[:200],
    )
    notifications.event_recorded(event, message.strip())
    return application


@transaction.atomic
def bulk_change_status(
    *, actor, applications, to_status: str, message: str = ""
) -> tuple[int, list[str]]:
    """Changes every application that may move to ``to_status``; returns how many changed and the
    receipt numbers skipped with the reason."""
    changed = 0
    skipped = []
    for application in applications:
        if to_status not in TRANSITIONS[Status(application.status)]:
            skipped.append(
                f"{application.receipt_number}(現在「{application.get_status_display()}」)"
            )
            continue
        change_status(actor=actor, application=application, to_status=to_status, message=message)
        changed += 1
    return changed, skipped


@transaction.atomic
def add_comment(*, actor, application: Application, text: str) -> ApplicationEvent:
    if not text.strip():
        raise ValidationError({"text": "メモを入力してください。"})
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.COMMENT,
        actor=actor,
        message=text.strip(),
        internal=True,
    )
    audit.record(
        "procedures.application.commented", actor=actor, target=application, summary=text[:200]
    )
    return event


@transaction.atomic
def assign(*, actor, application: Application, assignee) -> Application:
    if (
        assignee is not None
        and not assignee.memberships.filter(
            organization=application.organization, is_active=True
        ).exists()
    ):
        raise ValidationError({"assignee": "この団体の職員を選んでください。"})
    before = application.assigned_to
    application.assigned_to = assignee
    application.save(update_fields=["assigned_to", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.ASSIGNED,
        actor=actor,
        message=str(assignee) if assignee else "",
        internal=True,
    )
    audit.record(
        "procedures.application.assigned",
        actor=actor,
        target=application,
        changes={"assigned_to": [before, assignee]},
    )
    return application


# --- The applicant's own actions (through the status page token) --------------------------------


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
        raise ProcedureUnavailable("この申請は現在修正できません。", "not_returned")
    version = application.form_version
    cleaned, errors = validate_application_data(version.fields, version.schema, data)
    files_by_field, _stored_now = _attach_files(
        application.procedure,
        version.fields,
        data,
        cleaned,
        errors,
        uploads,
        pending_files,
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
    persons_name = persons_field(version.fields)
    persons = int(cleaned.get(persons_name) or 1) if persons_name else 1
    procedure = application.procedure
    if procedure.capacity is not None and persons != application.persons:
        extra = persons - application.persons
        updated = Procedure.objects.filter(
            pk=procedure.pk, seats_taken__lte=F("capacity") - extra
        ).update(seats_taken=F("seats_taken") + extra)
        if not updated:
            raise ApplicationInvalid(
                {persons_name: ["定員の残りが足りないため、人数を増やせません。"]}
            )
    before = application.data
    application.data = cleaned
    application.persons = persons
    application.search_text = _search_text(version.fields, cleaned)
    application.status = Status.RECEIVED
    application.save(update_fields=["data", "persons", "search_text", "status", "updated_at"])
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
        "procedures.application.resubmitted",
        target=application,
        changes=audit.changes_between(before, cleaned),
        summary="申請者が修正して再提出",
    )
    notifications.event_recorded(event, "修正された申請を受け付けました。")
    return application


@transaction.atomic
def withdraw(*, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in WITHDRAWABLE:
        raise ProcedureUnavailable("この申請は取り下げられません。", "not_withdrawable")
    from_status = application.status
    application.status = Status.WITHDRAWN
    _release(application)
    application.save(update_fields=["status", "one_per_person_key", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.STATUS,
        from_status=from_status,
        to_status=Status.WITHDRAWN,
        message="申請者が取り下げました。",
    )
    audit.record(
        "procedures.application.withdrawn",
        target=application,
        changes={"status": [from_status, Status.WITHDRAWN]},
    )
    notifications.event_recorded(event, "申請の取下げを受け付けました。")
    return application


# --- Drafts and e-mail verification ---------------------------------------------------------------


@transaction.atomic
def save_draft(
    *, procedure: Procedure, email: str, data: dict, draft: Draft | None = None
) -> Draft:
    if draft is None:
        draft = Draft(procedure=procedure, email=email)
    draft.email = email
    draft.data = data
    draft.expires_at = timezone.now() + DRAFT_LIFETIME
    draft.save()
    notifications.draft_saved(draft)
    return draft


@transaction.atomic
def request_email_verification(*, procedure: Procedure, email: str) -> EmailVerification:
    verification = EmailVerification.objects.create(
        procedure=procedure, email=email, expires_at=timezone.now() + VERIFICATION_LIFETIME
    )
    notifications.verification_requested(verification)
    return verification


# --- Files waiting on the input page --------------------------------------------------------------


@transaction.atomic
def store_pending_upload(
    *, procedure: Procedure, field_name: str, upload, upload_token: str, replaces: int | None = None
) -> ApplicationFile:
    """A file chosen on the input page, kept under the browser session's upload token until the
    applicant confirms (``retention.expire_pending_uploads`` deletes it otherwise). A session keeps
    at most JICHITAI_PENDING_UPLOAD_MAX_FILES files and JICHITAI_PENDING_UPLOAD_MAX_BYTES bytes, so
    forms never sent cannot fill the disk before they expire. ``replaces`` is the id of the file
    this one takes the place of: it is deleted and does not count."""
    waiting = ApplicationFile.objects.filter(application__isnull=True, upload_token=upload_token)
    replaced = waiting.filter(pk=replaces).first() if replaces is not None else None
    if replaced is not None:
        waiting = waiting.exclude(pk=replaced.pk)
    totals = waiting.aggregate(files=Count("pk"), size=Sum("size"))
    shown = safe_filename(getattr(upload, "name", "") or "") or "(名前のないファイル)"
    most_files = settings.JICHITAI_PENDING_UPLOAD_MAX_FILES
    if totals["files"] >= most_files:
        raise UploadRejected(
            f"「{shown}」を添付できません。送信前に添付しておけるファイルは {most_files} 件まで"
            "です(このブラウザでほかの手続に添付したものを含みます)。"
        )
    most_bytes = settings.JICHITAI_PENDING_UPLOAD_MAX_BYTES
    used = totals["size"] or 0
    if used + upload.size > most_bytes:
        raise UploadRejected(
            f"「{shown}」を添付できません。送信前に添付しておけるファイルは合計 "
            f"{human_size(most_bytes)} までです(添付済み {human_size(used)}、"
            f"このファイル {human_size(upload.size)})。"
        )
    stored = store_upload(
        procedure=procedure, field_name=field_name, upload=upload, upload_token=upload_token
    )
    if replaced is not None:
        delete_files_on_commit([replaced.file])
        replaced.delete()
    return stored
