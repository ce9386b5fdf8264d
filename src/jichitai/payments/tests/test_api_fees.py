"""The JSON API tells what a procedure charges and what each application owes: the amount, whether
it is paid, and the 納付番号 and due date the applicant pays with."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jichitai.accounts import services as accounts
from jichitai.payments import services
from jichitai.payments.tests.factories import application_with_payment, paid_procedure
from jichitai.procedures import services as procedures
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role


def status_lookup(application) -> dict:
    response = Client().get(
        f"/api/v1/applications/{application.receipt_number}",
        {"token": application.status_token},
    )
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
class TestPublic:
    def test_the_procedure_says_what_it_charges(self, tsu):
        fixed = paid_procedure(tsu, name="定額")
        per_person = paid_procedure(tsu, name="1人あたり", fee_kind="per_person", fee_amount=500)
        after_review = paid_procedure(tsu, name="審査後", fee_kind="after_review", fee_amount=None)
        free = published_procedure(tsu, name="無料")

        def fee(procedure):
            return Client().get(f"/api/v1/o/{tsu.code}/procedures/{procedure.pk}").json()["fee"]

        assert fee(fixed) == {"kind": "fixed", "label": "定額", "amount": 1500}
        assert fee(per_person) == {"kind": "per_person", "label": "1人あたり", "amount": 500}
        assert fee(after_review) == {
            "kind": "after_review",
            "label": "審査後に金額を決定(事後決済)",
            "amount": None,
        }
        assert fee(free) is None

    def test_the_status_lookup_shows_the_fee_and_whether_it_is_paid(self, tsu):
        application = application_with_payment(tsu)
        payment = application.payment
        fee = status_lookup(application)["fee"]
        assert fee == {
            "amount": 1500,
            "status": "unpaid",
            "status_label": "未払",
            "payment_number": payment.payment_number,
            "due_date": payment.due_date.isoformat(),
            "paid_amount": None,
            "paid_at": None,
        }
        services._mark_paid(payment, amount=1500, paid_at=payment.created_at, method="gateway")
        fee = status_lookup(application)["fee"]
        assert fee["status"] == "paid" and fee["status_label"] == "支払済"
        assert fee["paid_amount"] == 1500 and fee["paid_at"] is not None

    def test_an_application_without_a_fee_has_none(self, tsu):
        application = procedures.submit_application(
            procedure=published_procedure(tsu), data=event_data()
        ).application
        assert status_lookup(application)["fee"] is None


@pytest.mark.django_db
def test_staff_see_each_applications_fee_in_the_list_and_alone(tsu, tsu_admin):
    token = accounts.create_api_token(
        actor=None, membership=tsu_admin.memberships.get(), name="連携", role=Role.CLERK
    )[1]
    paid = application_with_payment(tsu, 1, name="講座A")
    services._mark_paid(
        paid.payment, amount=1500, paid_at=paid.payment.created_at, method="reconciliation"
    )
    unpaid = [application_with_payment(tsu, n, name=f"講座{n}") for n in range(2, 6)]
    free = procedures.submit_application(
        procedure=published_procedure(tsu, name="無料の講座"), data=event_data(9)
    ).application
    client = Client(HTTP_AUTHORIZATION=token)

    listing = client.get("/api/v1/staff/applications").json()
    fees = {item["receipt_number"]: item["fee"] for item in listing["items"]}
    assert fees[paid.receipt_number]["status"] == "paid"
    assert all(fees[a.receipt_number]["status"] == "unpaid" for a in unpaid)
    assert fees[free.receipt_number] is None
    # The fees come with the list, not one query per application.
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/staff/applications")
    application_with_payment(tsu, 7, name="講座7")
    with CaptureQueriesContext(connection) as after:
        assert client.get("/api/v1/staff/applications").json()["count"] == 7
    assert len(after.captured_queries) == len(before.captured_queries)

    one = client.get(f"/api/v1/staff/applications/{paid.receipt_number}").json()
    assert one["fee"]["amount"] == 1500 and one["fee"]["status_label"] == "支払済"
