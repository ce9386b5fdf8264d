"""Which middleware serves which path, through the WSGI application gunicorn serves."""

import io
import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.http import HttpRequest, JsonResponse
from django.test import Client
from django.urls import path

from jichitai.core.decorators import public_view
from jichitai.core.handlers import PathDispatchingWSGIHandler


@public_view
def probe(request: HttpRequest) -> JsonResponse:
    """What the middleware that ran left on the request."""
    return JsonResponse(
        {
            "session": hasattr(request, "session"),
            "user": hasattr(request, "user"),
            "messages": hasattr(request, "_messages"),
            "tenant": hasattr(request, "tenant"),
            "request_id": hasattr(request, "request_id"),
            "in_transaction": transaction.get_connection().in_atomic_block,
        }
    )


urlpatterns = [path("probe", probe), path("api/probe", probe)]


def serve(method: str, path_info: str, **headers: str) -> tuple[str, dict[str, str], bytes]:
    """One request through ``jichitai.wsgi.application``, as gunicorn makes it."""
    from jichitai.wsgi import application

    answered: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status, response_headers, exc_info=None):
        answered.append((status, response_headers))

    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "2",
        "wsgi.input": io.BytesIO(b"{}"),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    # The signals would close the test's database connection, as Django's test client avoids too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, response_headers = answered[0]
    return status, dict(response_headers), body


def test_gunicorn_serves_the_dispatching_handler():
    from jichitai.wsgi import application

    assert isinstance(application, PathDispatchingWSGIHandler)
    assert application.api.middleware == tuple(settings.API_MIDDLEWARE)


def test_the_url_patterns_are_ready_before_gunicorn_forks_its_workers():
    """Loading the WSGI application (what ``--preload`` does once, before the workers are forked)
    imports the URL patterns and indexes them for reversing in the site's language, so no worker's
    first request does it."""
    check = (
        "import sys\n"
        "import jichitai.wsgi\n"
        "from django.conf import settings\n"
        "from django.urls import get_resolver\n"
        "print('jichitai.urls' in sys.modules,"
        " settings.LANGUAGE_CODE in get_resolver()._reverse_dict)"
    )
    answer = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    ).stdout
    assert answer.split() == ["True", "True"]


def test_the_api_middleware_is_a_part_of_the_full_list_in_its_order():
    kept = [name for name in settings.MIDDLEWARE if name in settings.API_MIDDLEWARE]
    assert kept == settings.API_MIDDLEWARE
    assert len(settings.API_MIDDLEWARE) < len(settings.MIDDLEWARE)


@pytest.mark.urls(__name__)
def test_pages_run_the_whole_middleware():
    status, _headers, body = serve("GET", "/probe")
    assert status.startswith("200")
    assert json.loads(body) == {
        "session": True,
        "user": True,
        "messages": True,
        "tenant": True,
        "request_id": True,
        "in_transaction": False,
    }


@pytest.mark.urls(__name__)
def test_api_requests_run_only_the_api_middleware():
    status, _headers, body = serve("GET", "/api/probe")
    assert status.startswith("200")
    assert json.loads(body) == {
        "session": False,
        "user": False,
        "messages": False,
        "tenant": False,
        "request_id": True,
        "in_transaction": False,
    }


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_csrf_is_checked_on_pages_and_not_on_the_api():
    # A page's POST without a CSRF token is refused; the API has no cookie-borne identity to forge.
    assert serve("POST", "/probe")[0].startswith("403")
    status, _headers, body = serve("POST", "/api/probe")
    assert status.startswith("200")
    # One transaction per writing request, on the API too.
    assert json.loads(body)["in_transaction"] is True


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("path_info", ["/probe", "/api/probe"])
def test_both_carry_the_security_headers_request_id_and_language(path_info):
    _status, headers, _body = serve("GET", path_info, accept_language="en")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert len(headers["X-Request-ID"]) == 32
    assert headers["Content-Language"] == "en"
    assert headers["Content-Length"] == str(len(_body))


@pytest.mark.urls(__name__)
def test_the_test_client_dispatches_as_the_wsgi_application():
    client = Client()
    assert json.loads(client.get("/api/probe").content)["session"] is False
    assert json.loads(client.get("/probe").content)["session"] is True


def test_api_patterns_are_tried_before_any_page_pattern():
    from django.urls import URLResolver, get_resolver

    def routes(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from routes(pattern.url_patterns, route)
            else:
                yield route

    order = [
        "api" if route.startswith("api/") else "page"
        for route in routes(get_resolver().url_patterns)
    ]
    assert order.index("page") == order.count("api")
