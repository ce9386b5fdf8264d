"""Money that arrives outside the platform's own methods: a fee paid in cash at the counter, with
収入証紙, or transferred with a 納付番号 the receipts file could not match. A manager records it
on the application (the date, the amount owed and where it is written down), the resident gets
the same receipt mail and 領収書 as for any other payment, and nothing is recorded that the
office could not have received."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.pdf import pdf_text
from jichitai.payments import services
from jichitai.payments.methods import receipt
from jichitai.payments.models import Payment
from jichitai.payments.tests.factories import application_with_payment
from jichitai.procedures.models import ApplicationEvent


@pytest.fixture
def payment(tsu):
    return application_with_payment(tsu).payment


def record(payment, actor, **values):
    values.setdefault("paid_on", timezone.localdate())
    values.setdefault("amount", payment.amount)
    values.setdefault("reference", "窓口領収番号 0123")
    return services.record_payment_received(actor=actor, payment=payment, **values)


@pytest.mark.django_db
class TestRecordingAPaymentReceived:
    def test_the_payment_is_paid_on_the_day_received_and_the_resident_is_told(
        self, payment, tsu_admin, django_capture_on_commit_callbacks
    ):
        received = timezone.localdate()
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            record(payment, tsu_admin, paid_on=received, reference="収入証紙")

        payment.refresh_from_db()
        assert payment.status == Payment.Status.PAID
        assert timezone.localtime(payment.paid_at).date() == received
        assert (payment.paid_amount, payment.method, payment.reference) == (
            1500,
            "received",
            "収入証紙",
        )
        assert payment.method_label == "窓口等での受領"
        assert payment.application.events.filter(kind=ApplicationEvent.Kind.FEE_PAID).exists()
        event = AuditEvent.objects.get(action="payments.payment.paid")
        assert event.actor == tsu_admin and "収入証紙" in event.summary
        assert [message.subject for message in mail.outbox] == [
            f"【津市】手数料のある講座: 手数料の納付を確認({payment.application.receipt_number})"
        ]

    def test_an_amount_other_than_the_one_owed_is_refused(self, payment, tsu_admin):
        with pytest.raises(ValidationError) as refused:
            record(payment, tsu_admin, amount=1000)

        assert "1,500円" in refused.value.message_dict["amount"][0]
        payment.refresh_from_db()
        assert payment.status == Payment.Status.UNPAID

    @pytest.mark.parametrize("days", [1, 30])
    def test_a_day_in_the_future_is_refused(self, payment, tsu_admin, days):
        with pytest.raises(ValidationError) as refused:
            record(payment, tsu_admin, paid_on=timezone.localdate() + timedelta(days=days))

        assert "未来" in refused.value.message_dict["paid_on"][0]

    def test_a_day_before_the_fee_was_owed_is_refused(self, payment, tsu_admin):
        owed_on = timezone.localdate(payment.created_at)

        with pytest.raises(ValidationError) as refused:
            record(payment, tsu_admin, paid_on=owed_on - timedelta(days=1))

        assert "より前" in refused.value.message_dict["paid_on"][0]

    def test_where_it_is_written_down_is_required(self, payment, tsu_admin):
        with pytest.raises(ValidationError) as refused:
            record(payment, tsu_admin, reference="  ")

        assert refused.value.message_dict["reference"]

    def test_a_payment_already_paid_is_not_paid_twice(
        self, payment, tsu_admin, django_capture_on_commit_callbacks
    ):
        record(payment, tsu_admin)
        mail.outbox.clear()

        with (
            pytest.raises(ValidationError, match="未払"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            record(payment, tsu_admin)

        assert AuditEvent.objects.filter(action="payments.payment.paid").count() == 1
        assert mail.outbox == []


@pytest.mark.django_db
class TestTheFormOnTheApplication:
    def url(self, tsu, payment):
        return f"/s/{tsu.code}/payments/{payment.pk}/received/"

    def test_a_manager_records_it_typed_in_wareki(self, tsu, tsu_admin, login, payment):
        client = login(tsu_admin)
        page = client.get(f"/s/{tsu.code}/inbox/{payment.application_id}/").content.decode()
        assert "入金を記録する" in page and 'name="paid_on"' in page

        today = timezone.localdate()
        typed = f"令和{today.year - 2018}年{today.month}月{today.day}日"
        response = client.post(
            self.url(tsu, payment),
            {"paid_on": typed, "amount": "1,500", "reference": "窓口領収番号 0123"},
        )

        assert response.status_code == 302
        payment.refresh_from_db()
        assert payment.status == Payment.Status.PAID
        assert payment.reference == "窓口領収番号 0123"

    def test_a_refused_form_keeps_what_was_typed_with_the_error_beside_it(
        self, tsu, tsu_admin, login, payment
    ):
        response = login(tsu_admin).post(
            self.url(tsu, payment),
            {"paid_on": "12月1日", "amount": "1,000", "reference": "窓口"},
        )

        assert response.status_code == 422
        page = response.content.decode()
        assert 'value="12月1日"' in page and 'value="1,000"' in page
        assert page.count('aria-invalid="true"') == 1
        assert "日付として読み取れません" in page
        payment.refresh_from_db()
        assert payment.status == Payment.Status.UNPAID

    def test_the_amount_is_checked_once_the_date_reads(self, tsu, tsu_admin, login, payment):
        response = login(tsu_admin).post(
            self.url(tsu, payment),
            {"paid_on": timezone.localdate().isoformat(), "amount": "1,000", "reference": "窓口"},
        )

        assert response.status_code == 422
        assert "請求額" in response.content.decode()

    def test_a_clerk_cannot_record_money_received(self, tsu, tsu_clerk, login, payment):
        client = login(tsu_clerk)
        page = client.get(f"/s/{tsu.code}/inbox/{payment.application_id}/").content.decode()
        assert "入金を記録する" not in page

        response = client.post(
            self.url(tsu, payment),
            {"paid_on": timezone.localdate().isoformat(), "amount": "1500", "reference": "窓口"},
        )

        assert response.status_code == 403
        payment.refresh_from_db()
        assert payment.status == Payment.Status.UNPAID


@pytest.mark.django_db
def test_the_receipt_says_it_was_received_at_the_counter(payment, tsu_admin):
    record(payment, tsu_admin)
    payment.refresh_from_db()

    text = re.sub(r"\s+", "", pdf_text(receipt(payment)))

    assert "納付方法窓口等" in text and "¥1,500-" in text
