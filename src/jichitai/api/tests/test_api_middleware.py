"""The API served through ``API_MIDDLEWARE`` still enforces everything it did through the full
middleware: staff tokens, no staff access by session, JSON errors, rate limits, the request id, the
security headers and one transaction per writing request."""

import pytest
from django.core.cache import cache
from django.test import Client

from jichitai.accounts import services as accounts
from jichitai.audit.models import AuditEvent
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role

STAFF_LIST = "/api/v1/staff/applications"


@pytest.fixture
def event(tsu):
    return published_procedure(tsu, capacity=3)


@pytest.fixture
def token(tsu_admin):
    return accounts.create_api_token(
        actor=None, membership=tsu_admin.memberships.get(), name="連携", role=Role.CLERK
    )[1]


def submit(client, tsu, event, body, key):
    return client.post(
        f"/api/v1/o/{tsu.code}/procedures/{event.pk}/applications",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def served_by_the_api_middleware(response) -> bool:
    # The full middleware gives every request a session and a user; the API's gives neither.
    request = response.wsgi_request
    return not hasattr(request, "session") and not hasattr(request, "user")


@pytest.mark.django_db
def test_the_staff_api_takes_an_organization_token(tsu, event, token):
    answered = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(STAFF_LIST)
    assert answered.status_code == 200 and answered.json()["count"] == 0
    assert served_by_the_api_middleware(answered)
    for authorization in ("", "Bearer not-a-token", f"{token}x"):
        refused = Client(HTTP_AUTHORIZATION=authorization).get(STAFF_LIST)
        assert refused.status_code == 401
        assert refused.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_a_session_without_the_second_factor_gets_401_json(tsu, tsu_admin):
    client = Client()
    client.force_login(tsu_admin)  # the password step only
    refused = client.get(STAFF_LIST)
    assert refused.status_code == 401
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_a_verified_session_is_no_api_credential(tsu, tsu_admin, login):
    refused = login(tsu_admin).get(STAFF_LIST)
    assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"


@pytest.mark.django_db
def test_an_unknown_api_path_answers_json_404_to_a_post_without_csrf_token():
    refused = Client(enforce_csrf_checks=True).post(
        "/api/v9/nothing", "{}", content_type="application/json"
    )
    assert refused.status_code == 404
    assert refused.json() == {"detail": "この API はありません。", "code": "not_found"}


@pytest.mark.django_db
def test_submissions_are_still_rate_limited(tsu, event, settings):
    cache.clear()
    settings.JICHITAI_API_SUBMIT_RATE = "1/m"
    client = Client(REMOTE_ADDR="192.0.2.9")
    assert submit(client, tsu, event, event_data(1), "limit-1").status_code == 201
    refused = submit(client, tsu, event, event_data(2), "limit-2")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert Application.objects.count() == 1
    cache.clear()


@pytest.mark.django_db
def test_a_submission_carries_the_request_id_into_its_audit_entry(tsu, event):
    answered = submit(Client(REMOTE_ADDR="192.0.2.10"), tsu, event, event_data(), "audit-1")
    assert answered.status_code == 201 and served_by_the_api_middleware(answered)
    request_id = answered["X-Request-ID"]
    assert len(request_id) == 32
    entry = AuditEvent.objects.get(action="procedures.application.submitted")
    assert (entry.request_id, entry.channel, entry.ip_address) == (request_id, "api", "192.0.2.10")


@pytest.mark.django_db
def test_api_answers_carry_the_security_headers(tsu, event):
    for answered in (
        Client().get(f"/api/v1/o/{tsu.code}/procedures"),
        Client().get("/api/v9/nothing"),
        submit(Client(), tsu, event, event_data(), "headers-1"),
    ):
        assert "default-src 'self'" in answered["Content-Security-Policy"]
        assert answered["X-Frame-Options"] == "DENY"
        assert answered["X-Content-Type-Options"] == "nosniff"
        assert answered["Referrer-Policy"] == "same-origin"
        assert answered["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_a_refused_submission_writes_nothing(tsu):
    # The last seat: the second submission is refused after its row was inserted, and the
    # submission's transaction takes that row back.
    full = published_procedure(tsu, capacity=1)
    client = Client()
    assert submit(client, tsu, full, event_data(1), "seat-1").status_code == 201
    refused = submit(client, tsu, full, event_data(2), "seat-2")
    assert refused.status_code == 409
    assert Application.objects.filter(procedure=full).count() == 1
    assert AuditEvent.objects.filter(action="procedures.application.submitted").count() == 1


def test_only_the_submission_opens_its_own_transaction():
    """Every other writing path of the API (the staff's status change, CKAN's package_create …)
    runs inside the request's transaction; the submission decides its own (one statement alone
    needs none)."""
    from jichitai.api.api import url_patterns

    patterns, _app, _namespace = url_patterns()
    own = sorted(
        str(pattern.pattern)
        for pattern in patterns
        if getattr(pattern.callback, "_non_atomic_requests", None)
    )
    assert own == ["v1/o/<code>/procedures/<procedure_id>/applications"]
