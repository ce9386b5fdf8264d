"""Staff who switch to English read what became of each line of a receipts file in English, as
they read the rest of the fees pages; the file's own values stay as the bank wrote them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jichitai.payments import services
from jichitai.payments.models import Payment, ReconciliationProfile
from jichitai.payments.tests.factories import application_with_payment
from jichitai.procedures.tests.languages import JAPANESE


@pytest.mark.django_db
def test_each_lines_outcome_reads_in_english(tsu, tsu_admin, login):
    matched, short, paid, cancelled, undated = (
        application_with_payment(tsu, n).payment for n in range(5)
    )
    services._mark_paid(paid, amount=1500, paid_at=paid.created_at, method="gateway")
    Payment.objects.filter(pk=cancelled.pk).update(status=Payment.Status.CANCELLED)
    profile = ReconciliationProfile.objects.create(organization=tsu, name="Bank")
    lines = [
        "number,amount,day",
        f"{matched.payment_number},1500,2026-11-20",
        f"{short.payment_number},1000,2026-11-20",
        f"{paid.payment_number},1500,2026-11-20",
        f"{cancelled.payment_number},1500,2026-11-20",
        f"{undated.payment_number},1500,12/01",
        f"{undated.payment_number},15OO,2026-11-20",
        "0000,1500,2026-11-20",
    ]
    profile.number_column, profile.amount_column, profile.paid_on_column = "number", "amount", "day"
    profile.save()
    client = login(tsu_admin)
    client.cookies["django_language"] = "en"

    page = client.post(
        f"/s/{tsu.code}/payments/reconcile/",
        {
            "kind": "receipts",
            "profile": profile.pk,
            "file": SimpleUploadedFile("receipts.csv", "\n".join(lines).encode()),
        },
        follow=True,
    ).content.decode()

    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert not JAPANESE.search(table), JAPANESE.findall(table)
    for words in (
        f"Marked {matched.application.receipt_number} paid.",
        "The amount differs (charged 1,500 yen, received 1,000 yen).",
        "Already paid (Online payment)",
        "This payment is Cancelled.",
        "The payment date “12/01” cannot be read",
        "The amount “15OO” cannot be read",
        "No payment has this payment number.",
    ):
        assert words in table, words
