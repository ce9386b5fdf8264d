import contextlib

from django.core.exceptions import RequestDataTooBig
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse

from jichitai.core.context import RequestContext, request_context


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind the documented reverse proxy, REMOTE_ADDR is set from
    X-Forwarded-For by the proxy configuration (docs/production.md), never trusted from the header
    here."""
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (echoed as ``X-Request-ID``) and makes the id and client address
    available to audit entries and log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        context = RequestContext(ip_address=client_ip(request), channel=channel)
        request.request_id = context.request_id
        with request_context(context):
            response = self.get_response(request)
        response["X-Request-ID"] = context.request_id
        return response


class WriteTransactionMiddleware:
    """One transaction per user action, opened only for requests that may write.

    ``ATOMIC_REQUESTS`` would open one for every request; on SQLite a transaction takes the
    database's single write lock at BEGIN (IMMEDIATE, so writers queue instead of failing), and a
    slow page read would then hold every submission and the worker behind it. Reads (GET, HEAD,
    OPTIONS) therefore run without a transaction; a service a read calls still opens its own. The
    view is called inside the transaction here, as ``ATOMIC_REQUESTS`` does, so an exception from
    it rolls everything back. Place it last, so every other middleware's ``process_view`` runs
    first. A view marked ``transaction.non_atomic_requests`` opens its own (one service call)."""

    READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in self.READING_METHODS:
            return None
        if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", set()):
            return None
        _receive_body(request)
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)


FORM_CONTENT_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def _receive_body(request: HttpRequest) -> None:
    """Reads the whole request body now: it arrives at the client's pace (a resident's slow
    upload), and read inside the view it would keep the transaction, and SQLite's write lock, open
    that long. Forms are parsed (uploads go to temporary files past FILE_UPLOAD_MAX_MEMORY_SIZE);
    other bodies are read once and kept, within DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.content_type in FORM_CONTENT_TYPES:
        request.POST  # noqa: B018 - parsing reads the body (as CSRF protection does for most forms)
        return
    # A body refused from its declared length is not read at all: the view meets the refusal again
    # and answers in its own way (the API: 413 with a JSON error).
    with contextlib.suppress(RequestDataTooBig):
        request.body  # noqa: B018 - reading caches the body on the request
