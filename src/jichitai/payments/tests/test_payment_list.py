"""The fees list as the clerk who chases them reads it: which unpaid fees are past their 納付期限
(marked, and listed on their own), when and how each paid one was paid, and every payment of the
年度 reachable page by page, not only the first screenful."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jichitai.payments import services, views
from jichitai.payments.models import Payment
from jichitai.payments.tests.factories import application_with_payment


@pytest.fixture
def fees(tsu):
    """An unpaid fee within its period, one past it and one paid at the counter."""
    current, overdue, paid = (application_with_payment(tsu, n).payment for n in range(3))
    Payment.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    services._mark_paid(
        paid, amount=paid.amount, paid_at=paid.created_at, method="received", reference="窓口"
    )
    return current, overdue, paid


def row_of(page: str, payment: Payment) -> str:
    return re.search(rf"<tr>(?:(?!</tr>).)*{payment.payment_number}.*?</tr>", page, re.S)[0]


@pytest.mark.django_db
def test_an_unpaid_fee_past_its_period_is_marked_and_the_paid_one_says_when_and_how(
    tsu, tsu_admin, login, fees
):
    current, overdue, paid = fees

    page = login(tsu_admin).get(f"/s/{tsu.code}/payments/").content.decode()

    assert "期限切れ" in row_of(page, overdue)
    assert "期限切れ" not in row_of(page, current)
    paid_row = row_of(page, paid)
    assert "窓口等での受領" in paid_row and "令和" in paid_row.split("支払済", 1)[1]


@pytest.mark.django_db
def test_the_unpaid_fees_past_their_period_are_listed_on_their_own(tsu, tsu_admin, login, fees):
    current, overdue, paid = fees

    page = login(tsu_admin).get(f"/s/{tsu.code}/payments/?status=overdue").content.decode()

    assert overdue.payment_number in page
    assert current.payment_number not in page and paid.payment_number not in page
    assert '<option value="overdue" selected>' in page


@pytest.mark.django_db
def test_every_payment_of_the_year_is_reached_page_by_page(tsu, tsu_admin, login, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    payments = [application_with_payment(tsu, n).payment for n in range(3)]
    client = login(tsu_admin)

    first = client.get(f"/s/{tsu.code}/payments/?status=unpaid").content.decode()
    second = client.get(f"/s/{tsu.code}/payments/?status=unpaid&page=2").content.decode()

    listed = [p for p in payments if p.payment_number in first]
    assert len(listed) == 2 and "1 / 2 ページ" in first
    assert 'href="?status=unpaid&amp;page=2"' in first
    assert [p for p in payments if p.payment_number in second] == [
        p for p in payments if p not in listed
    ]
