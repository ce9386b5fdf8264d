"""A procedure names the online payment its payers are offered (``Procedure.payment_method``,
chosen among the methods of ``payments.methods.payment_methods`` a payer starts online): the
applicant's page and the start of the payment use that method; without a choice the first one
registered is used; the edit form offers the choice as soon as there is more than one."""

import pytest
from django.test import Client

from jichitai.payments.methods import PaymentMethod
from jichitai.payments.registry import payment_methods
from jichitai.payments.tests.factories import application_with_payment
from jichitai.payments.tests.test_gateway_security import applicant_url, status_page
from jichitai.procedures.forms import ProcedureForm
from jichitai.tenancy.models import Division

BANK_TRANSFER_URL = "https://furikomi.example.jp/order"


def start_bank_transfer(payment, *, return_url: str, notify_url: str) -> str:
    return f"{BANK_TRANSFER_URL}?number={payment.payment_number}&amount={payment.amount}"


@pytest.fixture
def bank_transfer():
    method = PaymentMethod(
        "bank-transfer",
        "ネットバンキング",
        "金融機関のネットバンキングで納付",
        start=start_bank_transfer,
    )
    payment_methods.register("bank-transfer", method)
    yield method
    payment_methods.unregister("bank-transfer")


@pytest.mark.django_db
class TestTheProcedureChoosesItsMethod:
    def test_the_payer_is_sent_to_the_method_the_procedure_names(self, tsu, bank_transfer):
        # The gateway is not configured here: only the procedure's own method can be offered.
        application = application_with_payment(tsu)
        procedure = application.procedure
        procedure.payment_method = "bank-transfer"
        procedure.save(update_fields=["payment_method"])
        assert "オンラインで支払う" in status_page(application)
        response = Client().get(applicant_url(application, "pay/"))
        assert response.status_code == 302
        payment = application.payment
        assert response["Location"] == (
            f"{BANK_TRANSFER_URL}?number={payment.payment_number}&amount={payment.amount}"
        )

    def test_a_procedure_naming_an_unavailable_method_offers_no_online_payment(
        self, tsu, bank_transfer
    ):
        application = application_with_payment(tsu)
        procedure = application.procedure
        procedure.payment_method = "gateway"
        procedure.save(update_fields=["payment_method"])
        assert "オンラインで支払う" not in status_page(application)
        assert Client().get(applicant_url(application, "pay/")).status_code == 404

    def test_the_slip_stays_available_whatever_the_method(self, tsu, bank_transfer):
        application = application_with_payment(tsu)
        procedure = application.procedure
        procedure.payment_method = "bank-transfer"
        procedure.save(update_fields=["payment_method"])
        response = Client().get(applicant_url(application, "slip.pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
class TestTheEditForm:
    def form(self, organization):
        return ProcedureForm(
            divisions=Division.objects.filter(organization=organization), organization=organization
        )

    def test_with_one_online_method_there_is_nothing_to_choose(self, tsu):
        assert "payment_method" not in self.form(tsu).fields

    def test_with_more_than_one_it_offers_them_the_default_first(self, tsu, bank_transfer):
        assert self.form(tsu).fields["payment_method"].choices == [
            ("", "既定(オンライン決済)"),
            ("gateway", "オンライン決済"),
            ("bank-transfer", "ネットバンキング"),
        ]


def test_how_a_payment_was_made_is_shown_by_the_methods_name():
    from jichitai.payments.models import Payment

    assert Payment(method="gateway").method_label == "オンライン決済"
    assert Payment(method="reconciliation").method_label == "消込"
    assert Payment(method="retired_method").method_label == "retired_method"
