"""The online gateway exists only with a strong shared secret; its notifications are signed and
fresh, and the 納付番号 they name cannot be guessed from anything public."""

import itertools
import json
import secrets
import time
import uuid

import pytest
from django.core.checks import Error, run_checks
from django.test import Client

from jichitai.payments import services
from jichitai.payments.models import GatewayNotification, Payment
from jichitai.payments.numbers import is_valid_payment_number
from jichitai.payments.tests.factories import application_with_payment

STRONG_SECRET = secrets.token_urlsafe(32)
GATEWAY_URL = "https://pay.example.jp/pay"


def gateway_settings(secret: str, url: str = GATEWAY_URL) -> dict:
    return {"url": url, "merchant": "tsu", "secret": secret}


def notify(payment, *, secret: str, timestamp: int | None = None, **fields):
    event = {
        "event_id": uuid.uuid4().hex,
        "payment_number": payment.payment_number,
        "amount": str(payment.amount),
        "status": "paid",
        "timestamp": int(time.time()) if timestamp is None else timestamp,
        **fields,
    }
    body = json.dumps({key: value for key, value in event.items() if value is not None}).encode()
    return Client().post(
        "/payments/gateway/notify",
        body,
        content_type="application/json",
        HTTP_X_GATEWAY_SIGNATURE="sha256=" + services.sign(secret, body),
    )


def status_page(application) -> str:
    return (
        Client()
        .get(
            f"/o/{application.organization.code}/status/{application.receipt_number}/{application.status_token}/"
        )
        .content.decode()
    )


def gateway_errors() -> list:
    return [
        message
        for message in run_checks(include_deployment_checks=True)
        if message.id == "jichitai.E002"
    ]


def applicant_url(application, tail: str) -> str:
    return f"/o/{application.organization.code}/status/{application.receipt_number}/{application.status_token}/payment/{tail}"


@pytest.mark.django_db
class TestWithoutAStrongSecret:
    def test_a_notice_signed_with_the_empty_key_marks_nothing_paid_and_issues_no_receipt(
        self, tsu, settings
    ):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings("")
        application = application_with_payment(tsu)
        response = notify(application.payment, secret="")
        assert response.status_code == 404
        assert Payment.objects.get().status == Payment.Status.UNPAID
        assert not GatewayNotification.objects.exists()
        assert Client().get(applicant_url(application, "receipt.pdf")).status_code == 404

    @pytest.mark.parametrize("secret", ["", "short-shared-secret", "a" * 64])
    def test_the_gateway_is_neither_offered_nor_listening(self, tsu, settings, secret):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings(secret)
        application = application_with_payment(tsu)
        assert "オンラインで支払う" not in status_page(application)
        assert Client().get(applicant_url(application, "pay/")).status_code == 404
        assert notify(application.payment, secret=secret).status_code == 404
        assert Payment.objects.get().status == Payment.Status.UNPAID

    def test_a_strong_secret_offers_it(self, tsu, settings):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings(STRONG_SECRET)
        application = application_with_payment(tsu)
        assert "オンラインで支払う" in status_page(application)
        assert Client().get(applicant_url(application, "pay/")).status_code == 302


@pytest.mark.django_db
class TestNotificationsAreFresh:
    @pytest.fixture(autouse=True)
    def _gateway(self, settings):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings(STRONG_SECRET)

    def test_a_fresh_signed_notice_marks_the_payment_paid(self, tsu):
        payment = application_with_payment(tsu).payment
        assert notify(payment, secret=STRONG_SECRET).status_code == 200
        assert Payment.objects.get().status == Payment.Status.PAID

    @pytest.mark.parametrize("age", [10 * 60, -10 * 60, 24 * 60 * 60])
    def test_an_old_or_future_notice_is_refused(self, tsu, age):
        payment = application_with_payment(tsu).payment
        response = notify(payment, secret=STRONG_SECRET, timestamp=int(time.time()) - age)
        assert response.status_code == 400
        assert Payment.objects.get().status == Payment.Status.UNPAID
        assert not GatewayNotification.objects.exists()

    @pytest.mark.parametrize("timestamp", [None, "yesterday"])
    def test_a_notice_without_a_readable_timestamp_is_refused(self, tsu, timestamp):
        payment = application_with_payment(tsu).payment
        body = {
            "event_id": "evt-1",
            "payment_number": payment.payment_number,
            "amount": "1500",
            "status": "paid",
        }
        if timestamp is not None:
            body["timestamp"] = timestamp
        raw = json.dumps(body).encode()
        response = Client().post(
            "/payments/gateway/notify",
            raw,
            content_type="application/json",
            HTTP_X_GATEWAY_SIGNATURE="sha256=" + services.sign(STRONG_SECRET, raw),
        )
        assert response.status_code == 400
        assert Payment.objects.get().status == Payment.Status.UNPAID


@pytest.mark.django_db
def test_payment_numbers_do_not_follow_the_applications(tsu):
    applications = [application_with_payment(tsu, n, name=f"講座{n}") for n in range(5)]
    numbers = [application.payment.payment_number for application in applications]
    assert all(is_valid_payment_number(number) for number in numbers)
    assert all(number.startswith(tsu.code) for number in numbers)
    serials = [int(number[8:-1]) for number in numbers]
    assert len(set(serials)) == len(serials)
    # Neither the application's id nor a neighbour's number gives the next one away.
    assert not any(b - a == 1 for a, b in itertools.pairwise(serials))
    assert not any(
        number[8:-1].endswith(f"{application.pk:07d}")
        for number, application in zip(numbers, applications, strict=True)
    )


class TestDeployCheck:
    def test_the_gateway_off_needs_no_secret(self, settings):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings("", url="")
        assert gateway_errors() == []

    @pytest.mark.parametrize(
        ("url", "secret"),
        [
            (GATEWAY_URL, ""),
            (GATEWAY_URL, "short-shared-secret"),
            ("", "short-shared-secret"),
            (GATEWAY_URL, "a" * 64),
        ],
    )
    def test_a_gateway_meant_to_be_on_fails_without_a_strong_secret(self, settings, url, secret):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings(secret, url=url)
        [error] = gateway_errors()
        assert isinstance(error, Error) and error.id == "jichitai.E002"

    def test_a_strong_secret_passes(self, settings):
        settings.JICHITAI_PAYMENT_GATEWAY = gateway_settings(STRONG_SECRET)
        assert gateway_errors() == []
