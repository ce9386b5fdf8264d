"""E-mails to applicants: receipt, status changes, draft and verification links. Sent after the
transaction commits, so nobody is told about something that was rolled back."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.JICHITAI_BASE_URL.rstrip("/") + path


def status_url(application) -> str:
    return absolute(
        reverse(
            "procedures_public:status",
            kwargs={
                "org_code": application.organization.code,
                "receipt_number": application.receipt_number,
                "token": application.status_token,
            },
        )
    )


def _send_on_commit(to: str, subject: str, template: str, context: dict) -> None:
    if not to:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def application_received(application) -> None:
    _send_on_commit(
        application.applicant_email,
        f"【{application.organization.name}】{application.procedure.name} を受け付けました({application.receipt_number})",
        "procedures/email/received.txt",
        {"application": application, "status_url": status_url(application)},
    )


def status_changed(application, message: str) -> None:
    _send_on_commit(
        application.applicant_email,
        f"【{application.organization.name}】{application.procedure.name}: {application.get_status_display()}({application.receipt_number})",
        "procedures/email/status_changed.txt",
        {"application": application, "message": message, "status_url": status_url(application)},
    )


def draft_saved(draft) -> None:
    link = absolute(
        reverse(
            "procedures_public:draft",
            kwargs={"org_code": draft.procedure.organization.code, "token": draft.token},
        )
    )
    _send_on_commit(
        draft.email,
        f"【{draft.procedure.organization.name}】{draft.procedure.name} の入力を一時保存しました",
        "procedures/email/draft.txt",
        {"draft": draft, "link": link},
    )


def verification_requested(verification) -> None:
    link = absolute(
        reverse(
            "procedures_public:verified",
            kwargs={
                "org_code": verification.procedure.organization.code,
                "procedure_id": verification.procedure_id,
                "token": verification.token,
            },
        )
    )
    _send_on_commit(
        verification.email,
        f"【{verification.procedure.organization.name}】メールアドレスの確認",
        "procedures/email/verify.txt",
        {"verification": verification, "link": link},
    )
