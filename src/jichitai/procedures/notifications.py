"""E-mails to applicants: receipt, status changes, draft and verification links.

They are rendered and sent by a background task queued with the action's transaction
(``jobs.services.enqueue_with_action``): nobody is told about something that was rolled back, a
crash right after the commit loses no mail, and a slow mail server never slows a submission.
"""

import re
from functools import lru_cache

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext, gettext_noop
from django_tasks import task

from jichitai.core.links import absolute_url as absolute
from jichitai.jobs.services import enqueue_with_action, task_row_with_action, task_row_written
from jichitai.procedures.registry import fee_of
from jichitai.procedures.translation_table import procedure_text
from jichitai.procedures.translations import resident_language

# Characters a URL path takes as they are (of the unreserved ones, without "."): a value made only
# of them is put in the path unchanged, as ``reverse`` puts it.
_UNRESERVED = re.compile(r"[A-Za-z0-9_~-]+")
_STATUS_PARTS = ("org_code", "receipt_number", "token")


@lru_cache(maxsize=16)
def _status_path_template(script_prefix: str, urlconf: str | None) -> str:
    """The status page's path as ``reverse`` gives it, with a mark (``org_code0mark`` …) in place
    of each value: ``reverse`` walks the URL configuration on every call, and an API submission
    answers with this link each time."""
    return reverse(
        "procedures_public:status",
        urlconf=urlconf,
        kwargs={name: f"{name}0mark" for name in _STATUS_PARTS},
    )


def status_url(application) -> str:
    values = {
        "org_code": application.organization.code,
        "receipt_number": application.receipt_number,
        "token": application.status_token,
    }
    if all(_UNRESERVED.fullmatch(value) for value in values.values()):
        path = _status_path_template(get_script_prefix(), get_urlconf())
        for name, value in values.items():
            path = path.replace(f"{name}0mark", value)
    else:
        path = reverse("procedures_public:status", kwargs=values)
    return absolute(path)


def _prefix(application) -> str:
    """The procedure's name after its organization's, in the language's own brackets; called in
    the application's language."""
    return _sender_and_procedure(
        application.organization.name,
        procedure_text(application.procedure, "name", application.language),
    )


def _sender_and_procedure(organization: str, procedure: str) -> str:
    return gettext("【%(organization)s】%(procedure)s") % {
        "organization": organization,
        "procedure": procedure,
    }


def mail_applicant(application, context: dict, template: str, subject: str) -> None:
    """Written in the language the application was made in; ``subject`` is a gettext message
    taking the procedure, the receipt number and the context."""
    if not application.applicant_email:
        return
    with resident_language(application.language):
        body = render_to_string(
            template, {"application": application, "status_url": status_url(application), **context}
        )
        subject = gettext(subject) % {
            "procedure": _prefix(application),
            "receipt_number": application.receipt_number,
            **context,
        }
    send_mail(subject, body, None, [application.applicant_email])


@task()
def send_received_mail(application_id: int) -> None:
    from jichitai.procedures.models import Application

    application = Application.objects.select_related("organization", "procedure__division").get(
        pk=application_id
    )
    mail_applicant(
        application,
        {"fee": fee_of(application)},
        "procedures/email/received.txt",
        gettext_noop("%(procedure)s を受け付けました(%(receipt_number)s)"),
    )


@task()
def send_status_mail(event_id: int, message: str = "") -> None:
    """Built from the history entry that caused it, not from the application's status when the
    mail goes out: by then a 差戻し may already have been corrected."""
    from jichitai.procedures.models import ApplicationEvent

    event = ApplicationEvent.objects.select_related(
        "application__organization", "application__procedure__division"
    ).get(pk=event_id)
    application = event.application
    mail_applicant(
        application,
        # The status's name is read in the application's language, while the mail is written.
        {
            "message": message,
            "kind": event.kind,
            "status": event.to_status,
            "status_label": event.to_status_label,
        },
        "procedures/email/status_changed.txt",
        gettext_noop("%(procedure)s: %(status_label)s(%(receipt_number)s)"),
    )


@task()
def send_document_mail(document_id: int) -> None:
    from jichitai.procedures.models import IssuedDocument

    document = IssuedDocument.objects.select_related(
        "application__organization", "application__procedure__division"
    ).get(pk=document_id)
    mail_applicant(
        document.application,
        {"title": document.title},
        "procedures/email/document_issued.txt",
        gettext_noop("%(procedure)s: 文書の発行(%(receipt_number)s)"),
    )


@task()
def send_link_mail(kind: str, object_id: int) -> None:
    from jichitai.procedures.models import Draft, EmailVerification

    if kind == "draft":
        draft = Draft.objects.select_related("procedure__organization").get(pk=object_id)
        organization = draft.procedure.organization
        link = absolute(
            reverse(
                "procedures_public:draft",
                kwargs={"org_code": organization.code, "token": draft.token},
            )
        )
        with resident_language(draft.language):
            body = render_to_string("procedures/email/draft.txt", {"draft": draft, "link": link})
            subject = gettext("%(procedure)s の入力を一時保存しました") % {
                "procedure": _sender_and_procedure(
                    organization.name, procedure_text(draft.procedure, "name", draft.language)
                )
            }
        send_mail(subject, body, None, [draft.email])
    else:
        verification = EmailVerification.objects.select_related("procedure__organization").get(
            pk=object_id
        )
        organization = verification.procedure.organization
        link = absolute(
            reverse(
                "procedures_public:verified",
                kwargs={
                    "org_code": organization.code,
                    "procedure_id": verification.procedure_id,
                    "token": verification.token,
                },
            )
        )
        with resident_language(verification.language):
            body = render_to_string(
                "procedures/email/verify.txt", {"verification": verification, "link": link}
            )
            subject = gettext("【%(organization)s】メールアドレスの確認") % {
                "organization": organization.name
            }
        send_mail(subject, body, None, [verification.email])


@task()
def send_applicant_link_mail(link_id: int) -> None:
    """The link to the list of the address's applications, or, when it has none, a note saying
    so: only the mailbox's owner learns which."""
    from jichitai.procedures import applicant_links as links
    from jichitai.procedures.models import ApplicantLink

    link = ApplicantLink.objects.get(pk=link_id)
    organizations = sorted(
        {application.organization.name for application in links.applications_made_with(link.email)}
    )
    url = absolute(
        reverse("resident:my_applications_open", kwargs={"token": links.sign(link.nonce)})
    )
    with resident_language(link.language):
        body = render_to_string(
            "procedures/email/applicant_link.txt",
            {"link": link, "url": url if organizations else "", "organizations": organizations},
        )
        subject = gettext("申請した手続の一覧")
    send_mail(subject, body, None, [link.email])


def applicant_link_requested(link) -> None:
    enqueue_with_action(send_applicant_link_mail, link.pk)


def application_received(application) -> None:
    if application.applicant_email:
        enqueue_with_action(send_received_mail, application.pk)


def received_mail_row(application):
    """The task row ``application_received`` writes on the database queue, not yet written, for
    the statement that writes it with the new ``application`` (which computes its arguments,
    ``[application.pk]``, from the id it gives; ``received_mail_written`` once written). None
    when there is no address to write to, or the queue is elsewhere (``application_received``
    then, after the application is written)."""
    if not application.applicant_email:
        return None
    return task_row_with_action(task=send_received_mail, args=(application.pk,))


def received_mail_written(row) -> None:
    task_row_written(task=send_received_mail, row=row)


def event_recorded(event, message: str) -> None:
    """Tells the applicant about the history entry ``event`` (its status, with ``message``)."""
    if event.application.applicant_email:
        enqueue_with_action(send_status_mail, event.pk, message)


def document_issued(document) -> None:
    """Tells the applicant a document was issued: it may come after the 承認 mail, and would
    otherwise wait unseen on the status page."""
    if document.application.applicant_email:
        enqueue_with_action(send_document_mail, document.pk)


def draft_saved(draft) -> None:
    enqueue_with_action(send_link_mail, "draft", draft.pk)


def verification_requested(verification) -> None:
    enqueue_with_action(send_link_mail, "verification", verification.pk)
