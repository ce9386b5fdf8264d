"""The OpenAPI documents (the platform's API and the CKAN Action API), fuzzed with schemathesis: no
request may cause a server error, and every 4xx answer carries a JSON error body."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from jichitai.accounts import services as accounts
from jichitai.procedures.tests.factories import published_procedure
from jichitai.tenancy.models import Role
from jichitai.wsgi import application as served_application

EXAMPLES_PER_OPERATION = 30
CKAN_EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes database connections at the end of each request, which would
    close the test's own transaction; Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_server_errors_and_json_errors_on_every_operation(tsu, tsu_admin, keep_test_connection):
    published_procedure(tsu, capacity=50)
    token = accounts.create_api_token(
        actor=None, membership=tsu_admin.memberships.get(), name="fuzz", role=Role.CLERK
    )[1]
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", served_application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def exercise(case):
            response = case.call(headers={"Authorization": token})
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, (
                f"{where}: {response.status_code} {response.text[:300]}"
            )
            if 400 <= response.status_code < 500:
                body = response.json()
                assert isinstance(body, dict) and body.get("detail"), (
                    f"{where}: {response.text[:200]}"
                )

        exercise()


@pytest.mark.django_db
def test_no_server_errors_and_ckan_errors_on_every_ckan_action(tsu, keep_test_connection):
    """The CKAN Action API's own document, fuzzed within and outside its parameters' bounds:
    every answer is CKAN's envelope, and a refusal says what was wrong."""
    from jichitai.opendata.tests.factories import published

    published(tsu, "tsu-aed", tags=["AED"])
    schema = schemathesis.openapi.from_wsgi("/api/3/openapi.json", served_application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:
        # Without parameters or a body there is nothing to get wrong.
        has_input = any(True for _ in operation.iter_parameters()) or operation.method == "post"
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if has_input else [])
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=CKAN_EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def exercise(case):
                response = case.call()
                where = f"{case.method} {case.formatted_path} {case.query}"
                assert response.status_code < 500, (
                    f"{where}: {response.status_code} {response.text[:300]}"
                )
                body = response.json()
                assert body["success"] is (response.status_code == 200), where
                if response.status_code >= 400:
                    assert body["error"]["__type"], where

            exercise()
