"""Writes about fees and payments: creating what is owed, marking it paid from a receipts file
(消込) or a gateway notification, cancelling and refunding. Each is one transaction, audited."""

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core import japanese
from jichitai.payments import gateway, notifications
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
    "encoding",
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


@dataclass(frozen=True)
class ReceiptRow:
    """One line of a receipts file, as read (before matching)."""

    row: int
    number: str
    amount: str
    paid_on: str


# A line of a receipts file by column heading: text from a CSV, cell values from a workbook.
Row = Mapping[str, object]


def _rows_from_csv(data: bytes, profile: ReconciliationProfile) -> list[tuple[int, Row]]:
    text = data.decode(profile.encoding)
    lines = list(csv.reader(io.StringIO(text)))
    header_index = profile.header_row - 1
    if header_index >= len(lines):
        raise ValidationError(
            {"file": _("%(row)s行目に見出しがありません。") % {"row": profile.header_row}}
        )
    header = [cell.strip() for cell in lines[header_index]]
    return [
        (header_index + 2 + offset, dict(zip(header, line, strict=False)))
        for offset, line in enumerate(lines[header_index + 1 :])
        if any(cell.strip() for cell in line)
    ]


def _rows_from_xlsx(data: bytes, profile: ReconciliationProfile) -> list[tuple[int, Row]]:
    from openpyxl import load_workbook  # with numpy: only where a workbook is read

    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    if sheet is None:
        raise ValidationError({"file": _("Excel ファイルにシートがありません。")})
    rows = list(sheet.iter_rows(values_only=True))
    header_index = profile.header_row - 1
    if header_index >= len(rows):
        raise ValidationError(
            {"file": _("%(row)s行目に見出しがありません。") % {"row": profile.header_row}}
        )
    header = ["" if cell is None else str(cell).strip() for cell in rows[header_index]]
    result: list[tuple[int, Row]] = []
    for offset, values in enumerate(rows[header_index + 1 :]):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        result.append(
            (
                header_index + 2 + offset,
                {header[i]: value for i, value in enumerate(values) if i < len(header)},
            )
        )
    return result


def _read_receipts(data: bytes, kind: str, profile: ReconciliationProfile) -> list[ReceiptRow]:
    try:
        rows = _rows_from_xlsx(data, profile) if kind == "xlsx" else _rows_from_csv(data, profile)
    except UnicodeDecodeError:
        raise ValidationError(
            {
                "file": _(
                    "文字コードが %(encoding)s ではないようです。取込設定を確認してください。"
                )
                % {"encoding": profile.get_encoding_display()}
            }
        ) from None
    columns = (profile.number_column, profile.amount_column, profile.paid_on_column)
    if rows:
        missing = [column for column in columns if column not in rows[0][1]]
        if missing:
            raise ValidationError(
                {
                    "file": _(
                        "列「%(columns)s」が見つかりません(見出しは %(row)s 行目として読んでいます)。"
                    )
                    % {
                        "columns": "」「".join(missing),
                        "row": profile.header_row,
                    }
                }
            )
    return [
        ReceiptRow(
            row=number,
            number=japanese.normalize_width(str(values.get(profile.number_column) or ""))
            .strip()
            .replace("-", ""),
            amount=japanese.normalize_width(str(values.get(profile.amount_column) or ""))
            .strip()
            .replace(",", "")
            .replace("円", ""),
            paid_on=str(values.get(profile.paid_on_column) or "").strip(),
        )
        for number, values in rows
    ]


def _paid_at(text: str) -> datetime:
    """The receipt's date (和暦 or 西暦, a time after it is ignored); today when it is unreadable."""
    try:
        day = (
            japanese.parse_date(text.replace("T", " ").split(" ")[0])
            if text
            else timezone.localdate()
        )
    except ValueError:
        day = timezone.localdate()
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


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
    reported (unknown number, different amount, already paid) for a person to follow up."""
    receipts = _read_receipts(data, kind, profile)
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
        try:
            amount = int(receipt.amount)
        except ValueError:
            amount = None
        if payment is None:
            entry.update(result="unmatched", message="この納付番号の納付はありません。")
            batch.unmatched += 1
        elif payment.status == Payment.Status.PAID:
            entry.update(
                result="already_paid",
                message=f"すでに支払済です({payment.method})。二重入金の可能性があります。",
            )
            batch.already_paid += 1
        elif payment.status != Payment.Status.UNPAID:
            entry.update(
                result="mismatched", message=f"この納付は「{payment.get_status_display()}」です。"
            )
            batch.mismatched += 1
        elif amount != payment.amount:
            entry.update(
                result="mismatched",
                message=f"金額が違います(請求 {payment.amount:,}円、入金 {receipt.amount}円)。",
            )
            batch.mismatched += 1
        else:
            _mark_paid(
                payment,
                amount=amount,
                paid_at=_paid_at(receipt.paid_on),
                method="reconciliation",
                reference=f"{file_name} {receipt.row}行目",
                actor=actor,
            )
            entry.update(
                result="matched",
                message=f"{payment.application.receipt_number} を支払済にしました。",
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
