"""How any application enters the platform (resident page, API, paper intake): one validator, the
files sent with it, the registered acceptance checks, availability and one-per-person, then the
application, its history and its audit entry in one transaction."""

import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core import japanese, rows
from jichitai.core.uploads import UploadRejected
from jichitai.procedures import notifications, published, validation, workload
from jichitai.procedures.availability import ProcedureUnavailable, accepting, unavailable_reason
from jichitai.procedures.definitions import asked_names, file_fields, persons_of
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    FormVersion,
    Procedure,
)
from jichitai.procedures.registry import Candidate, acceptance_checks, field_types, submission_hooks
from jichitai.procedures.services import insertion
from jichitai.procedures.services.processing import Status
from jichitai.procedures.services.uploads import store_upload


class ApplicationInvalid(ValidationError):
    """The data does not satisfy the form; ``error_dict`` holds the messages per field."""


class IdempotencyKeyReused(Exception):
    """The idempotency key was already used for this procedure with a different request."""

    message = (
        "この Idempotency-Key は、この手続への別の内容の送信にすでに使われています。"
        "新しい送信には新しいキーを使ってください。"
    )


@dataclass(frozen=True)
class Submission:
    application: Application
    created: bool


# What an acceptance check that passed records about the application once it is written.
AcceptedRecord = Callable[[Application], None]


SUBMITTED_ACTION = "procedures.application.submitted"

# Labels of a plain text field that holds the applicant's name (paper forms read by AI-OCR
# have no structured name field).
NAME_LABELS = {"氏名", "名前", "お名前", "申請者", "申請者氏名", "届出人氏名", "請求者氏名"}


def _applicant(fields: list[FieldSpec], data: dict, name: str, email: str) -> tuple[str, str]:
    """Who applied: the name and address given by the caller, else those the form holds."""
    for spec in fields:
        value = data.get(spec["name"])
        if spec["type"] == "name" and value and not name:
            name = f"{value['family']} {value['given']}"
        if spec["type"] == "text" and spec["label"] in NAME_LABELS and value and not name:
            name = str(value)[:200]
        if spec["type"] == "email" and value and not email:
            email = value
    return name, email


def _search_text(fields: list[FieldSpec], data: dict) -> str:
    parts = []
    for spec in fields:
        if spec["name"] in data:
            parts.append(field_types.get(spec["type"]).display(data[spec["name"]], spec))
    return " ".join(parts)[:4000]


def _attach_files(
    *,
    procedure: Procedure,
    fields: list[FieldSpec],
    data: dict,
    cleaned: dict,
    errors: dict,
    uploads: dict[str, File[bytes]] | None,
    pending_files: dict[str, ApplicationFile] | None,
    kept: dict | None = None,
) -> tuple[dict[str, ApplicationFile], list[ApplicationFile]]:
    """Puts the references of the files sent with this submission into ``cleaned`` (and their
    messages into ``errors``). Files travel beside the data, never in it: a reference in the data
    is accepted only to a file this submission sent or, on a resubmission, the one it keeps.
    Returns the files by field and those stored now."""
    questions = file_fields(fields)
    if not questions:
        # No question takes a file: which ones the answers ask does not matter.
        return dict(pending_files or {}), []
    # A file question the answers skip (its condition, its page's) keeps no file; a file beside
    # the form's questions (a paper application's scan) is kept.
    asked = asked_names(fields, cleaned)
    skipped = {spec["name"] for spec in questions} - asked
    files_by_field = {n: f for n, f in (pending_files or {}).items() if n not in skipped}
    stored_now = []
    for spec in questions:
        name = spec["name"]
        # The validator only saw the data's claim; which file is attached is decided here.
        errors.pop(name, None)
        cleaned.pop(name, None)
        if name not in asked:
            continue
        upload = (uploads or {}).get(name)
        if upload is not None:
            try:
                stored = store_upload(
                    procedure=procedure, field_name=name, upload=upload, accept=spec.get("accept")
                )
            except UploadRejected as rejection:
                errors[name] = rejection.messages
                continue
            stored_now.append(stored)
            files_by_field[name] = stored
        reference: dict[str, Any] | None
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
        elif validation.is_required(spec, cleaned):
            errors[name] = [validation.required_message(spec)]
    return files_by_field, stored_now


def _discard(stored_now: list[ApplicationFile]) -> None:
    """Deletes files this submission stored, with their rows, when it is refused after storing
    them: they belong to no application and no input page."""
    for stored in stored_now:
        stored.file.delete(save=False)
    # A transaction that must roll back takes the rows with it.
    if stored_now and not transaction.get_connection().needs_rollback:
        ApplicationFile.objects.filter(pk__in=[stored.pk for stored in stored_now]).delete()


def _request_sha256(data: dict, signature: bytes | None) -> str:
    content = json.dumps(
        {"data": data, "signature": signature.hex() if signature else None},
        sort_keys=True,
        ensure_ascii=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def _replayed(
    *, procedure: Procedure, idempotency_key: str, request_sha256: str
) -> Application | None:
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
    applicant_name: str = "",
    applicant_email: str | None = None,
    uploads: dict[str, File[bytes]] | None = None,
    pending_files: dict[str, ApplicationFile] | None = None,
    actor: User | None = None,
    reject_unknown: bool = False,
    signature: bytes | None = None,
    language: str = "ja",
    received_on: date | None = None,
) -> Submission:
    """Validates and records an application from any channel, in one transaction.

    The same ``idempotency_key`` returns the application it first created and writes nothing.
    ``uploads`` are files not yet stored (checked first); ``pending_files`` are files already
    stored on the input page. ``applicant_name`` names who applied when the form asks no name (an
    organization answering a survey). Raises ``ApplicationInvalid`` (messages per field) or
    ``ProcedureUnavailable`` (closed, full, already applied). A paper application is judged by the
    day it was received (``received_on``), not by the day staff enter it.
    """
    if received_on is not None and channel != Application.Channel.PAPER:
        raise ValueError("received_on is the day a paper application arrived")
    request_sha256 = _request_sha256(data, signature)
    try:
        return _submit(
            procedure=procedure,
            data=data,
            channel=channel,
            idempotency_key=idempotency_key,
            request_sha256=request_sha256,
            applicant_name=applicant_name,
            applicant_email=applicant_email,
            uploads=uploads,
            pending_files=pending_files,
            actor=actor,
            reject_unknown=reject_unknown,
            signature=signature,
            language=language,
            received_on=received_on,
        )
    except (ApplicationInvalid, ProcedureUnavailable):
        # A retry may find the procedure closed (perhaps by its own first attempt taking the last
        # seat) or its form changed since: the application that attempt created is still the answer.
        if idempotency_key:
            existing = _replayed(
                procedure=procedure, idempotency_key=idempotency_key, request_sha256=request_sha256
            )
            if existing is not None:
                return Submission(existing, created=False)
        raise


def _submit(
    *,
    procedure: Procedure,
    data: dict,
    channel: str,
    idempotency_key: str | None,
    request_sha256: str,
    applicant_name: str,
    applicant_email: str | None,
    uploads: dict[str, File[bytes]] | None,
    pending_files: dict[str, ApplicationFile] | None,
    actor: User | None,
    reject_unknown: bool,
    signature: bytes | None,
    language: str,
    received_on: date | None,
) -> Submission:
    # Refused before any file is stored. A procedure with 定員 is checked once more, atomically,
    # when its seats are taken (``_record``).
    paper = channel == Application.Channel.PAPER
    reason = unavailable_reason(procedure, paper=paper, received_on=received_on)
    if reason is not None:
        raise reason
    # ``unavailable_reason`` refuses a procedure without a published version.
    version = cast(FormVersion, procedure.current_version)
    cleaned, errors = validation.validate_application_data(
        version.fields, version.schema, data, reject_unknown=reject_unknown
    )

    files_by_field, stored_now = _attach_files(
        procedure=procedure,
        fields=version.fields,
        data=data,
        cleaned=cleaned,
        errors=errors,
        uploads=uploads,
        pending_files=pending_files,
    )
    # A refusal from here on leaves none of the files stored for this submission behind.
    try:
        accepted: list[AcceptedRecord] = []
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
            raise ApplicationInvalid(errors)

        persons = persons_of(version.fields, cleaned)
        name, email = _applicant(version.fields, cleaned, applicant_name, applicant_email or "")
        hooks = [hook.run for _name, hook in submission_hooks.items() if hook.applies_to(procedure)]
        # A statement is a transaction of its own: an application written in one, with nothing
        # to write after it, is sent without BEGIN and COMMIT (two round trips fewer). Otherwise
        # one transaction, joined without a savepoint when the caller has one (a request's): the
        # only write that can be refused after another one is the taking of 定員 seats.
        alone = (
            insertion.written_in_one_statement()
            and procedure.capacity is None
            and not files_by_field
            and not accepted
            and not hooks
        )
        with (
            nullcontext() if alone else transaction.atomic(savepoint=procedure.capacity is not None)
        ):
            application = _record(
                procedure=procedure,
                version=version,
                cleaned=cleaned,
                channel=channel,
                persons=persons,
                name=name,
                email=email,
                idempotency_key=idempotency_key,
                request_sha256=request_sha256,
                files_by_field=files_by_field,
                actor=actor,
                accepted=accepted,
                hooks=hooks,
                language=language,
                received_on=received_on,
            )
        if application is None:
            if idempotency_key:
                existing = _replayed(
                    procedure=procedure,
                    idempotency_key=idempotency_key,
                    request_sha256=request_sha256,
                )
                if existing is not None:
                    # The first submission keeps the files it stored; these copies are not needed.
                    _discard(stored_now)
                    return Submission(existing, created=False)
            if procedure.one_per_email and email:
                raise ProcedureUnavailable(
                    gettext_noop("このメールアドレスではすでに申し込まれています。"), "duplicate"
                )
            raise IntegrityError("the application conflicts with one already stored")
    except BaseException:
        _discard(stored_now)
        raise
    return Submission(application, created=True)


def _run_acceptance_checks(
    candidate: Candidate, errors: dict[str, list[str]]
) -> list[AcceptedRecord]:
    """Runs every registered acceptance check; their messages go into ``errors``. Returns what
    the checks that passed will record about the application."""
    accepted: list[AcceptedRecord] = []
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
    *,
    procedure: Procedure,
    version: FormVersion,
    cleaned: dict,
    channel: str,
    persons: int,
    name: str,
    email: str,
    idempotency_key: str | None,
    request_sha256: str,
    files_by_field: dict[str, ApplicationFile],
    actor: User | None,
    accepted: list[AcceptedRecord],
    hooks: list[Callable[[Application], None]],
    language: str,
    received_on: date | None,
) -> Application | None:
    """Writes the application with its files, the records of its acceptance checks, its history,
    audit entry and receipt mail, taking its 定員 seats. Returns None, writing nothing, when a
    unique key (idempotency key, one per person) is already taken."""
    now = timezone.now()
    fiscal_year = japanese.fiscal_year(timezone.localdate(now))
    application = Application(
        organization=procedure.organization,
        procedure=procedure,
        form_version=version,
        channel=channel,
        data=cleaned,
        persons=persons,
        applicant_email=email,
        applicant_name=name,
        language=language,
        search_text=_search_text(version.fields, cleaned),
        idempotency_key=idempotency_key or None,
        request_sha256=request_sha256 if idempotency_key else "",
        one_per_person_key=f"{procedure.pk}:{email.lower()}"
        if (procedure.one_per_email and email)
        else None,
        submitted_at=now,
        due_date=workload.due_date_for(procedure, timezone.localdate(now)),
        fiscal_year=fiscal_year,
    )
    # Human-readable and unique per organization without a shared counter row that every
    # submission would have to lock: the application's own id, after the code and 年度.
    receipt_prefix = f"{procedure.organization.code}-{fiscal_year}-"
    # Its history event, audit entry and receipt mail's task (on the database queue) are written
    # with it, first: the application is never stored without its receipt mail queued.
    # The enum's label: get_channel_display() rebuilds a dict of every choice on each call.
    summary = f"{procedure.name}({Application.Channel(channel).label})"
    if insertion.written_in_one_statement():
        # All four in one statement, which computes what they take from the application.
        receipt_mail = notifications.received_mail_row(application)
        if not insertion.insert_submitted(
            application=application,
            receipt_prefix=receipt_prefix,
            event={
                "kind": ApplicationEvent.Kind.SUBMITTED.value,
                "to_status": Status.RECEIVED.value,
                "actor_id": actor.pk if actor is not None else None,
            },
            entry=audit.entry_values(
                action=SUBMITTED_ACTION,
                actor=actor,
                organization=procedure.organization,
                target=application,
                summary=summary,
            ),
            receipt_mail=receipt_mail,
        ):
            return None
        if receipt_mail is not None:
            notifications.received_mail_written(receipt_mail)
        else:
            notifications.application_received(application)
    else:
        if not insertion.insert_application(application=application, receipt_prefix=receipt_prefix):
            return None
        with rows.written_together():
            insertion.insert_event(
                event=ApplicationEvent(
                    application=application,
                    kind=ApplicationEvent.Kind.SUBMITTED,
                    to_status=Status.RECEIVED,
                    actor=actor,
                )
            )
            audit.record(
                action=SUBMITTED_ACTION,
                actor=actor,
                organization=procedure.organization,
                target=application,
                summary=summary,
            )
            notifications.application_received(application)
    if procedure.capacity is not None:
        paper = channel == Application.Channel.PAPER
        # Refused here, the rows above go with the savepoint the caller opens for this. Taken
        # atomically: the row only changes while the whole rule still holds for these seats,
        # so neither a concurrent submission nor the staff closing it can slip in between.
        taken = (
            Procedure.objects.filter(pk=procedure.pk)
            .filter(accepting(persons=persons, paper=paper, received_on=received_on))
            .update(seats_taken=F("seats_taken") + persons)
        )
        procedure.refresh_from_db(fields=["seats_taken", "capacity", "status"])
        if not taken:
            raise unavailable_reason(
                procedure, persons=persons, paper=paper, received_on=received_on
            ) or ProcedureUnavailable(gettext_noop("この手続は現在受け付けていません。"), "closed")
        if procedure.seats_taken >= procedure.capacity:
            Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.CLOSED)
            published.changed()
            procedure.status = Procedure.Status.CLOSED
    if files_by_field:
        ApplicationFile.objects.filter(pk__in=[f.pk for f in files_by_field.values()]).update(
            application=application, upload_token=""
        )
    for record in accepted:
        record(application)
    for hook in hooks:
        hook(application)
    return application
