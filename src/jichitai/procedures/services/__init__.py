"""Writes about procedures and applications. Each public function is one transaction with its
audit entries; applicants' e-mails go out after commit.

The functions live by subject (``catalog``, ``translation``, ``submission``, ``processing``,
``applicant``, ``resident_links``, ``uploads``); this package gives them all under one name, so callers write
``services.submit_application(...)`` whatever module holds it."""

from jichitai.procedures.availability import ProcedureUnavailable
from jichitai.procedures.services.applicant import (
    DRAFT_LIFETIME,
    VERIFICATION_LIFETIME,
    request_email_verification,
    resubmit,
    save_draft,
    withdraw,
)
from jichitai.procedures.services.catalog import (
    PROCEDURE_FIELDS,
    close_procedure,
    copy_procedure,
    create_procedure,
    publish_procedure,
    save_form_fields,
    update_procedure,
)
from jichitai.procedures.services.form_import import (
    accept_form_import,
    record_form_import,
    start_form_import,
)
from jichitai.procedures.services.processing import (
    RELEASED,
    TRANSITIONS,
    WITHDRAWABLE,
    add_closed_day,
    add_comment,
    assign,
    bulk_assign,
    bulk_change_status,
    change_status,
    remove_closed_day,
)
from jichitai.procedures.services.resident_links import (
    request_applicant_link,
    use_applicant_link,
)
from jichitai.procedures.services.submission import (
    ApplicationInvalid,
    IdempotencyKeyReused,
    Submission,
    submit_application,
)
from jichitai.procedures.services.translation import save_translations
from jichitai.procedures.services.uploads import store_pending_upload, store_upload

__all__ = [
    "DRAFT_LIFETIME",
    "PROCEDURE_FIELDS",
    "RELEASED",
    "TRANSITIONS",
    "VERIFICATION_LIFETIME",
    "WITHDRAWABLE",
    "ApplicationInvalid",
    "IdempotencyKeyReused",
    "ProcedureUnavailable",
    "Submission",
    "accept_form_import",
    "add_closed_day",
    "add_comment",
    "assign",
    "bulk_assign",
    "bulk_change_status",
    "change_status",
    "close_procedure",
    "copy_procedure",
    "create_procedure",
    "publish_procedure",
    "record_form_import",
    "remove_closed_day",
    "request_applicant_link",
    "request_email_verification",
    "resubmit",
    "save_draft",
    "save_form_fields",
    "save_translations",
    "start_form_import",
    "store_pending_upload",
    "store_upload",
    "submit_application",
    "update_procedure",
    "use_applicant_link",
    "withdraw",
]
