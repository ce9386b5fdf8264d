"""A fee not paid by its 納付期限: the resident's status page says the period has passed and whom
to ask, instead of offering the slip as if nothing were wrong; when the office agrees to a later
day, a manager sets it on the application, the change is audited and the resident is mailed the
new period with the way to the slip."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core import japanese
from jichitai.payments import services
from jichitai.payments.models import Payment
from jichitai.payments.tests.factories import application_with_payment
from jichitai.payments.tests.test_resident_languages import FIELDS, applied, main_text
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.languages import JAPANESE


def overdue(payment: Payment) -> Payment:
    Payment.objects.filter(pk=payment.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    payment.refresh_from_db()
    return payment


def status_page(application, query: str = "") -> str:
    organization = application.organization
    return (
        Client()
        .get(
            f"/o/{organization.code}/status/{application.receipt_number}/{application.status_token}/{query}"
        )
        .content.decode()
    )


@pytest.mark.django_db
class TestTheResidentsStatusPage:
    def test_a_fee_past_its_period_says_so_and_whom_to_ask(self, tsu):
        application = application_with_payment(tsu)
        assert "を過ぎています。お支払いの方法は" not in status_page(application)

        overdue(application.payment)

        page = status_page(application)
        assert "を過ぎています。お支払いの方法は" in page
        assert "納付書(PDF)を表示" not in page

    @pytest.mark.parametrize(
        ("language", "words"),
        [
            ("pt", "O prazo de pagamento"),
            ("es", "El plazo de pago"),
            ("vi", "Đã quá hạn nộp tiền"),
            ("zh", "已超过缴费期限"),
            ("tl", "Lumipas na ang takdang petsa"),
            ("ja-easy", "しめきり"),
        ],
    )
    def test_in_the_residents_language(self, tsu, language, words):
        procedure = published_procedure(
            tsu, fields=FIELDS, name="会議室の使用申請", fee_kind="fixed", fee_amount=1200
        )
        application = applied(procedure, language)
        overdue(application.payment)

        page = status_page(application)

        assert words in page
        if language not in ("zh", "ja-easy"):  # both are written with kanji
            names = (procedure.name, tsu.name, procedure.division.name)
            assert not JAPANESE.search(main_text(page, *names))


@pytest.mark.django_db
class TestANewPeriod:
    def test_a_manager_sets_a_later_day_and_the_resident_is_mailed_it(
        self, tsu, tsu_admin, django_capture_on_commit_callbacks
    ):
        payment = overdue(application_with_payment(tsu).payment)
        new_day = timezone.localdate() + timedelta(days=14)
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            services.change_due_date(actor=tsu_admin, payment=payment, due_date=new_day)

        payment.refresh_from_db()
        assert payment.due_date == new_day and not payment.is_overdue
        event = AuditEvent.objects.get(action="payments.payment.due_date_changed")
        assert event.actor == tsu_admin
        assert event.changes["due_date"][1] == new_day.isoformat()
        [message] = mail.outbox
        assert japanese.format_wareki(new_day) in message.body

    @pytest.mark.parametrize("days", [-1, 0])
    def test_a_day_that_is_not_after_today_is_refused(self, tsu, tsu_admin, days):
        payment = overdue(application_with_payment(tsu).payment)

        with pytest.raises(ValidationError) as refused:
            services.change_due_date(
                actor=tsu_admin,
                payment=payment,
                due_date=timezone.localdate() + timedelta(days=days),
            )

        assert "明日以降" in refused.value.message_dict["due_date"][0]

    def test_only_an_unpaid_fee_gets_a_new_period(self, tsu, tsu_admin):
        payment = application_with_payment(tsu).payment
        services._mark_paid(payment, amount=1500, paid_at=payment.created_at, method="gateway")

        with pytest.raises(ValidationError, match="未払"):
            services.change_due_date(
                actor=tsu_admin,
                payment=payment,
                due_date=timezone.localdate() + timedelta(days=7),
            )

    def test_from_the_application_page_typed_in_wareki(self, tsu, tsu_admin, login):
        payment = overdue(application_with_payment(tsu).payment)
        client = login(tsu_admin)
        assert (
            'name="due_date"'
            in client.get(f"/s/{tsu.code}/inbox/{payment.application_id}/").content.decode()
        )
        new_day = timezone.localdate() + timedelta(days=10)

        response = client.post(
            f"/s/{tsu.code}/payments/{payment.pk}/due-date/",
            {"due_date": japanese.format_wareki(new_day)},
        )

        assert response.status_code == 302
        payment.refresh_from_db()
        assert payment.due_date == new_day

    def test_a_refused_day_comes_back_beside_its_field(self, tsu, tsu_admin, login):
        payment = overdue(application_with_payment(tsu).payment)

        response = login(tsu_admin).post(
            f"/s/{tsu.code}/payments/{payment.pk}/due-date/", {"due_date": "昨日"}
        )

        assert response.status_code == 422
        page = response.content.decode()
        assert 'value="昨日"' in page and 'aria-invalid="true"' in page
