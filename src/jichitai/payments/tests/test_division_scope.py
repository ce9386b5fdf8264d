"""Fees follow the inbox's division scope: a clerk of a division (所属) sees, and prints slips and
receipts for, only the payments of that division's procedures; managers see the organization's."""

import pytest

from jichitai.payments import services
from jichitai.payments.tests.factories import application_with_payment
from jichitai.tenancy.models import Role


@pytest.fixture
def fees(tsu, tsu_clerk):
    """One unpaid and one paid payment in the clerk's division, and the same in another one."""
    division = tsu_clerk.memberships.get().division
    mine = application_with_payment(tsu, 1, name="自分の課の講座", division=division).payment
    mine_paid = application_with_payment(tsu, 2, name="自分の課の講座", division=division).payment
    other = application_with_payment(tsu, 3, name="他の課の講座").payment
    other_paid = application_with_payment(tsu, 4, name="他の課の講座").payment
    for payment in (mine_paid, other_paid):
        services._mark_paid(
            payment, amount=payment.amount, paid_at=payment.created_at, method="reconciliation"
        )
    return mine, mine_paid, other, other_paid


def document_url(tsu, payment, kind: str) -> str:
    return f"/s/{tsu.code}/payments/{payment.pk}/{kind}.pdf"


@pytest.mark.django_db
class TestADivisionClerk:
    def test_the_fee_list_and_totals_show_only_the_divisions_payments(
        self, tsu, tsu_clerk, login, fees
    ):
        mine, mine_paid, other, other_paid = fees
        page = login(tsu_clerk).get(f"/s/{tsu.code}/payments/").content.decode()
        assert mine.payment_number in page and mine_paid.payment_number in page
        assert other.payment_number not in page and other_paid.payment_number not in page
        assert "自分の課の講座" in page and "他の課の講座" not in page

    def test_slips_and_receipts_of_other_divisions_are_not_found(self, tsu, tsu_clerk, login, fees):
        mine, mine_paid, other, other_paid = fees
        client = login(tsu_clerk)
        assert client.get(document_url(tsu, mine, "slip")).status_code == 200
        assert client.get(document_url(tsu, mine_paid, "receipt")).status_code == 200
        assert client.get(document_url(tsu, other, "slip")).status_code == 404
        assert client.get(document_url(tsu, other_paid, "receipt")).status_code == 404


@pytest.mark.django_db
def test_a_manager_attached_to_a_division_sees_every_payment(
    tsu, tsu_clerk, make_member, login, fees
):
    _mine, _mine_paid, other, other_paid = fees
    manager = make_member(tsu, Role.MANAGER, division=tsu_clerk.memberships.get().division)
    client = login(manager)
    page = client.get(f"/s/{tsu.code}/payments/").content.decode()
    assert all(payment.payment_number in page for payment in fees)
    assert client.get(document_url(tsu, other, "slip")).status_code == 200
    assert client.get(document_url(tsu, other_paid, "receipt")).status_code == 200
