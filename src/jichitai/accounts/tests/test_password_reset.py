"""Staff reset a forgotten password by e-mail; the form neither floods a mailbox nor tells whether an
address belongs to an account."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from jichitai.tenancy.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def page_without_csrf_token(response) -> str:
    """The page as a person reads it: the CSRF token is masked differently on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def ask_for_reset(client: Client, address: str):
    return client.post("/accounts/password/reset/", {"email": address})


@pytest.mark.django_db
def test_reset_mails_are_limited_per_address_whether_or_not_it_has_an_account(settings):
    settings.JICHITAI_MAIL_RATE_PER_ADDRESS = "3/h"
    settings.JICHITAI_MAIL_RATE_PER_CLIENT = "100/h"
    UserFactory(username="tsu-staff", email="staff@city.tsu.example.jp")
    client = Client(REMOTE_ADDR="192.0.2.20")
    answers = {}
    for address in ("staff@city.tsu.example.jp", "nobody@city.tsu.example.jp"):
        statuses = [ask_for_reset(client, address).status_code for _ in range(3)]
        assert statuses == [302] * 3
        answers[address] = ask_for_reset(client, address)
    known, unknown = answers.values()
    assert known.status_code == unknown.status_code == 429
    assert page_without_csrf_token(known) == page_without_csrf_token(unknown)
    assert "メールの送信が短時間に続いたため" in known.content.decode()
    assert len(mail.outbox) == 3
    # Another machine asking for the same address is refused too.
    assert (
        ask_for_reset(Client(REMOTE_ADDR="192.0.2.21"), "staff@city.tsu.example.jp").status_code
        == 429
    )


@pytest.mark.django_db
def test_one_machine_cannot_ask_for_many_addresses(settings):
    settings.JICHITAI_MAIL_RATE_PER_ADDRESS = "3/h"
    settings.JICHITAI_MAIL_RATE_PER_CLIENT = "4/h"
    client = Client(REMOTE_ADDR="192.0.2.22")
    statuses = [ask_for_reset(client, f"person{n}@example.jp").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
    assert ask_for_reset(Client(REMOTE_ADDR="192.0.2.23"), "person9@example.jp").status_code == 302


@pytest.mark.django_db
def test_the_reset_link_points_at_the_sites_public_address_not_the_requests_host(settings):
    settings.JICHITAI_BASE_URL = "https://shinsei.example.lg.jp"
    settings.ALLOWED_HOSTS = ["*"]
    UserFactory(username="tsu-staff", email="staff@city.tsu.example.jp")
    Client(REMOTE_ADDR="192.0.2.30", HTTP_HOST="attacker.example").post(
        "/accounts/password/reset/", {"email": "staff@city.tsu.example.jp"}
    )
    assert "https://shinsei.example.lg.jp/accounts/password/reset/" in mail.outbox[0].body
    assert "attacker.example" not in mail.outbox[0].body
