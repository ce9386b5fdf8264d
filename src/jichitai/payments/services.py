"""Writes about fees and payments: creating what is owed, marking it paid from a receipts file
(消込), a gateway notification or a record of money received at the counter, cancelling and
refunding. Each is one transaction, audited."""

import hashlib
import hmac
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core import japanese
from jichitai.payments import gateway, notifications, receipts_files
from jichitai.payments.models import (
    GatewayNotification,
    Payment,
    ReconciliationBatch,
    ReconciliationProfile,
)
from jichitai.payments.numbers import payment_number
from jichitai.procedures.models import Application, ApplicationEvent, Procedure
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant

PROFILE_FIELDS = [
    "name",
    "number_column",
    "amount_column",
    "paid_on_column",
    "header_row",
]


def _fee_event(payment: Payment, kind: str, actor: User | None) -> None:
    ApplicationEvent.objects.create(
        application_id=payment.application_id,
        kind=kind,
        actor=actor,  # a signed-in member, or None for the gateway and the demo
    )


def _amount_for(application: Application) -> int | None:
    procedure = application.procedure
    if procedure.fee_kind == Procedure.FeeKind.FIXED:
        return procedure.fee_amount
    if procedure.fee_kind == Procedure.FeeKind.PER_PERSON:
        return None if procedure.fee_amount is None else procedure.fee_amount * application.persons
    return None


def _unused_payment_number(application: Application) -> str:
    """A fresh random 納付番号; drawing one already given is rare, and then another is drawn (the
    unique constraint still guards the rarer race between two drawing the same at once)."""
    while True:
        number = payment_number(application.organization.code, application.fiscal_year)
        if not Payment.objects.filter(payment_number=number).exists():
            return number


def _create(application: Application, amount: int, actor: User | None = None) -> Payment:
    procedure = application.procedure
    payment = Payment.objects.create(
        organization=application.organization,
        application=application,
        procedure=procedure,
        payment_number=_unused_payment_number(application),
        amount=amount,
        due_date=timezone.localdate() + timedelta(days=procedure.payment_due_days),
        fiscal_year=application.fiscal_year,
    )
    audit.record(
        action="payments.payment.created",
        actor=actor,
        organization=application.organization,
        target=payment,
        changes={"amount": [None, amount], "status": [None, payment.status]},
        summary=f"{application.receipt_number} {amount:,}円",
    )
    return payment


def fee_on_submission(*, application: Application) -> None:
    """Submission hook: a fixed or per-person fee is owed as soon as the application arrives."""
    amount = _amount_for(application)
    if amount:
        _create(application, amount)


@transaction.atomic
def set_fee(*, actor: User, application: Application, amount: int) -> Payment:
    """事後決済: the clerk sets the fee after review; the applicant is told by e-mail."""
    if application.procedure.fee_kind != Procedure.FeeKind.AFTER_REVIEW:
        raise ValidationError({"amount": _("この手続の手数料は審査後に決める方式ではありません。")})
    if hasattr(application, "payment"):
        raise ValidationError(
            {
                "amount": _(
                    "手数料はすでに設定されています。変える場合は取り消してから設定してください。"
                )
            }
        )
    if amount <= 0:
        raise ValidationError({"amount": _("1円以上の金額を入力してください。")})
    payment = _create(application, amount, actor)
    _fee_event(payment, ApplicationEvent.Kind.FEE_CHARGED, actor)
    notifications.fee_charged(payment)
    return payment


def _mark_paid(
    payment: Payment,
    *,
    amount: int,
    paid_at: datetime,
    method: str,
    reference: str = "",
    actor: User | None = None,
) -> None:
    before = payment.status
    payment.status = Payment.Status.PAID
    payment.paid_amount = amount
    payment.paid_at = paid_at
    payment.method = method
    payment.reference = reference[:100]
    payment.save(
        update_fields=["status", "paid_amount", "paid_at", "method", "reference", "updated_at"]
    )
    _fee_event(payment, ApplicationEvent.Kind.FEE_PAID, actor)
    notifications.payment_confirmed(payment)
    audit.record(
        action="payments.payment.paid",
        actor=actor,
        organization=payment.organization,
        target=payment,
        changes={"status": [before, payment.status], "paid_amount": [None, amount]},
        summary=f"{method} {reference}".strip(),
    )


@transaction.atomic
def cancel(*, actor: User, payment: Payment) -> Payment:
    if payment.status != Payment.Status.UNPAID:
        raise ValidationError(_("未払の納付だけを取り消せます。"))
    payment.status = Payment.Status.CANCELLED
    payment.save(update_fields=["status", "updated_at"])
    _fee_event(payment, ApplicationEvent.Kind.FEE_CANCELLED, actor)
    audit.record(
        action="payments.payment.cancelled",
        actor=actor,
        target=payment,
        changes={"status": ["unpaid", "cancelled"]},
    )
    return payment


@transaction.atomic
def refund(*, actor: User, payment: Payment, reason: str) -> Payment:
    if payment.status != Payment.Status.PAID:
        raise ValidationError(_("支払済の納付だけを返金できます。"))
    if not reason.strip():
        raise ValidationError({"reason": _("返金の理由を入力してください。")})
    payment.status = Payment.Status.REFUNDED
    payment.save(update_fields=["status", "updated_at"])
    _fee_event(payment, ApplicationEvent.Kind.FEE_REFUNDED, actor)
    audit.record(
        action="payments.payment.refunded",
        actor=actor,
        target=payment,
        changes={"status": ["paid", "refunded"]},
        summary=reason[:200],
    )
    return payment


def _paid_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@transaction.atomic
def record_payment_received(
    *, actor: User, payment: Payment, paid_on: date, amount: int, reference: str
) -> Payment:
    """Money the office received outside the platform's own methods — cash or 収入証紙 at the
    counter, a transfer the receipts file could not match — recorded from where it is written
    down. Only the whole amount owed, on a day between the fee's creation and today."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.UNPAID:
        raise ValidationError(_("未払の納付だけに入金を記録できます。"))
    errors = {}
    owed_on = timezone.localdate(payment.created_at)
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("入金日に未来の日付は入力できません。")
    elif paid_on < owed_on:
        errors["paid_on"] = _("入金日が手数料の発生した日(%(day)s)より前です。") % {
            "day": japanese.format_wareki(owed_on)
        }
    if amount != payment.amount:
        errors["amount"] = _(
            "金額が請求額(%(amount)s円)と違います。一部の入金や過不足は記録できません。"
        ) % {"amount": f"{payment.amount:,}"}
    if not reference.strip():
        errors["reference"] = _("領収の控えの番号など、入金を確かめられる記録を入力してください。")
    if errors:
        raise ValidationError(errors)
    _mark_paid(
        payment,
        amount=amount,
        paid_at=_paid_at(paid_on),
        method="received",
        reference=reference.strip(),
        actor=actor,
    )
    return payment


@transaction.atomic
def change_due_date(*, actor: User, payment: Payment, due_date: date) -> Payment:
    """A later 納付期限 the office agreed to for an unpaid fee; the applicant is mailed the new
    period with the way to the slip, as when the fee was charged."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.UNPAID:
        raise ValidationError(_("未払の納付だけ納付期限を変更できます。"))
    if due_date <= timezone.localdate():
        raise ValidationError({"due_date": _("新しい納付期限は明日以降の日付にしてください。")})
    before = payment.due_date
    payment.due_date = due_date
    payment.save(update_fields=["due_date", "updated_at"])
    audit.record(
        action="payments.payment.due_date_changed",
        actor=actor,
        organization=payment.organization,
        target=payment,
        changes={"due_date": [before.isoformat(), due_date.isoformat()]},
        summary=f"{payment.application.receipt_number} 納付期限 {japanese.format_wareki(before)} → {japanese.format_wareki(due_date)}",
    )
    notifications.fee_charged(payment)
    return payment


# --- 消込: matching a receipts file ------------------------------------------------------------


@transaction.atomic
def add_reconciliation_profile(
    *, actor: User, organization: Organization, **values: Any
) -> ReconciliationProfile:
    """Where the columns are in one bank's or collection agent's receipts file."""
    profile = ReconciliationProfile(organization=organization)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, values[name])
    profile.full_clean()
    profile.save()
    audit.record_created(instance=profile, fields=PROFILE_FIELDS, actor=actor)
    return profile


@transaction.atomic
def reconcile(
    *,
    actor: User,
    organization: Organization,
    profile: ReconciliationProfile,
    file_name: str,
    data: bytes,
    kind: str,
) -> ReconciliationBatch:
    """Matches each receipt by 納付番号 and amount. Matches become 支払済; everything else is
    reported (unknown number, different amount, already paid) for a person to follow up. Each
    line's outcome is kept as a reason code with its figures (``batch.rows``), read in the
    language of whoever looks (``templatetags.payments_labels.receipt_outcome``)."""
    receipts = receipts_files.read_receipts(data, kind, profile)
    batch = ReconciliationBatch(
        organization=organization, profile=profile, file_name=file_name, uploaded_by=actor
    )
    report = []
    for receipt in receipts:
        entry = {
            "row": receipt.row,
            "number": receipt.number,
            "amount": receipt.amount,
            "paid_on": receipt.paid_on,
        }
        payment = (
            for_tenant(Payment.objects.select_for_update(), organization)
            .filter(payment_number=receipt.number)
            .first()
        )
        amount = receipts_files.whole_yen(receipt.amount)
        paid_on = receipts_files.day_paid(receipt.paid_on)
        if payment is not None:
            entry["application_id"] = payment.application_id
        if receipt.number_rounded:
            entry.update(result="unmatched", reason="number_rounded")
            batch.unmatched += 1
        elif payment is None:
            entry.update(result="unmatched", reason="no_payment")
            batch.unmatched += 1
        elif payment.status == Payment.Status.PAID:
            entry.update(result="already_paid", reason="already_paid", method=payment.method)
            batch.already_paid += 1
        elif payment.status != Payment.Status.UNPAID:
            entry.update(result="mismatched", reason="not_unpaid", status=payment.status)
            batch.mismatched += 1
        elif amount is None:
            entry.update(result="mismatched", reason="amount_unreadable")
            batch.mismatched += 1
        elif amount != payment.amount:
            entry.update(
                result="mismatched", reason="amount_differs", owed=payment.amount, received=amount
            )
            batch.mismatched += 1
        elif paid_on is None:
            entry.update(result="mismatched", reason="date_unreadable")
            batch.mismatched += 1
        else:
            _mark_paid(
                payment,
                amount=amount,
                paid_at=_paid_at(paid_on),
                method="reconciliation",
                reference=f"{file_name} {receipt.row}行目",
                actor=actor,
            )
            entry.update(
                result="matched",
                reason="matched",
                receipt_number=payment.application.receipt_number,
            )
            batch.matched += 1
        report.append(entry)
    batch.rows = report
    batch.save()
    audit.record(
        action="payments.reconciled",
        actor=actor,
        organization=organization,
        target=batch,
        summary=f"{file_name}: 消込 {batch.matched} 件、不一致 {batch.mismatched} 件、該当なし {batch.unmatched} 件、支払済 {batch.already_paid} 件",
    )
    return batch


# --- Online gateway ----------------------------------------------------------------------------

# A notification is accepted only this close to the time it says it was signed: a captured one
# cannot be replayed later. Gateways sign each delivery (retries included) with its own time.
NOTIFICATION_TOLERANCE = timedelta(minutes=5)


def sign(*, secret: str, payload: bytes) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def gateway_start_url(*, payment: Payment, return_url: str, notify_url: str) -> str:
    """Where to send the applicant to pay online: the gateway's payment page with the order
    signed by the shared secret, so the amount cannot be altered on the way."""
    secret = gateway.secret()
    configuration = gateway.gateway_settings()
    order = {
        "merchant": configuration["merchant"],
        "payment_number": payment.payment_number,
        "amount": str(payment.amount),
        "return_url": return_url,
        "notify_url": notify_url,
    }
    order["signature"] = sign(secret=secret, payload=urlencode(sorted(order.items())).encode())
    return f"{configuration['url']}?{urlencode(order)}"


class NotificationRejected(Exception):
    pass


def handle_gateway_notification(*, body: bytes, signature_header: str) -> str:
    """Processes one signed notification. The same event twice changes nothing the second time
    (gateways retry until they get 200); a bad signature, or one signed too long ago or ahead,
    changes nothing at all. Without a configured gateway this raises ``GatewayUnavailable``."""
    expected = sign(secret=gateway.secret(), payload=body)
    given = signature_header.removeprefix("sha256=")
    if not hmac.compare_digest(expected, given):
        raise NotificationRejected("signature does not match")
    try:
        event = json.loads(body)
        event_id = str(event["event_id"])[:100]
        number = str(event["payment_number"])
        amount = int(event["amount"])
        status = event["status"]
        signed_at = datetime.fromtimestamp(int(event["timestamp"]), tz=UTC)
    except (ValueError, KeyError, TypeError, OverflowError, OSError):
        raise NotificationRejected("malformed notification") from None
    if abs(timezone.now() - signed_at) > NOTIFICATION_TOLERANCE:
        raise NotificationRejected(f"signed at {signed_at.isoformat()}, outside the time window")
    try:
        with transaction.atomic():
            notification = GatewayNotification.objects.create(
                event_id=event_id, payload=event, outcome="processing"
            )
            payment = Payment.objects.select_for_update().filter(payment_number=number).first()
            if payment is None:
                outcome = "unknown payment"
            elif status != "paid":
                outcome = f"ignored status {status}"
            elif payment.status == Payment.Status.PAID:
                outcome = "already paid"
            elif amount != payment.amount or payment.status != Payment.Status.UNPAID:
                outcome = "amount or status mismatch"
                audit.record(
                    action="payments.gateway.mismatch",
                    organization=payment.organization,
                    target=payment,
                    summary=f"入金 {amount}円",
                )
            else:
                _mark_paid(
                    payment,
                    amount=amount,
                    paid_at=timezone.now(),
                    method="gateway",
                    reference=str(event.get("reference", ""))[:100],
                )
                outcome = "paid"
            notification.payment = payment
            notification.outcome = outcome
            notification.save(update_fields=["payment", "outcome"])
    except IntegrityError:
        return GatewayNotification.objects.get(event_id=event_id).outcome
    return outcome
