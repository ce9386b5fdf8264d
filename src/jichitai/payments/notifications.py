"""What the applicant is told about their fee by e-mail, in the language of the application."""

from django.utils.translation import gettext_noop
from django_tasks import task

from jichitai.jobs.services import enqueue_with_action
from jichitai.procedures.notifications import mail_applicant

# Each fee mail: its template and its subject (a gettext message taking the procedure and the
# receipt number).
FEE_MAILS = {
    "charged": (
        "payments/email/charged.txt",
        gettext_noop("%(procedure)s: 手数料のお支払いのお願い(%(receipt_number)s)"),
    ),
    "paid": (
        "payments/email/paid.txt",
        gettext_noop("%(procedure)s: 手数料の納付を確認(%(receipt_number)s)"),
    ),
}


@task()
def send_fee_mail(payment_id: int, kind: str) -> None:
    from jichitai.payments.models import Payment

    payment = Payment.objects.select_related(
        "application__organization", "application__procedure__division"
    ).get(pk=payment_id)
    template, subject = FEE_MAILS[kind]
    mail_applicant(payment.application, {"payment": payment}, template, subject)


def _tell(payment, kind: str) -> None:
    if payment.application.applicant_email:
        enqueue_with_action(send_fee_mail, payment.pk, kind)


def fee_charged(payment) -> None:
    """A fee set after review: the applicant learns the amount, the due date and where the 納付書
    is."""
    _tell(payment, "charged")


def payment_confirmed(payment) -> None:
    """A 納付書 paid at a bank or store is matched days later: the applicant learns it then, with
    the way to the 領収書."""
    _tell(payment, "paid")
