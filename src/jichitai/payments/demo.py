"""Demo payments: the fee of the demo's approved meeting-room application paid, as a clerk records
it, by importing the bank's receipts file (消込); the other application's 納付書 stays unpaid."""

from django.db import transaction
from django.utils import timezone

from jichitai.payments import selectors, services
from jichitai.payments.models import Payment
from jichitai.tenancy.models import Organization

BANK = "百五銀行(デモ)"


@transaction.atomic
def load() -> list[str]:
    tsu = Organization.objects.get(code="242012")
    if selectors.profiles_of(tsu).filter(name=BANK).exists():
        return ["手数料: 読込済み"]
    profile = services.add_reconciliation_profile(actor=None, organization=tsu, name=BANK)
    payment = (
        selectors.payments_of(tsu, status=Payment.Status.UNPAID)
        .filter(application__status="approved")
        .first()
    )
    if payment is None:
        return [f"手数料: 入金データの形式「{BANK}」を登録"]
    receipts = f"納付番号,金額,入金日\r\n{payment.payment_number},{payment.amount},{timezone.localdate():%Y/%m/%d}\r\n"
    batch = services.reconcile(
        actor=None,
        organization=tsu,
        profile=profile,
        file_name="入金データ_デモ.csv",
        data=receipts.encode("cp932"),
        kind="csv",
    )
    return [
        f"手数料: 入金データの形式「{BANK}」を登録し、{batch.file_name} で "
        f"{payment.application.receipt_number} の {payment.amount:,}円 を消込"
    ]
