import shutil
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse, UnreadablePostError

from jichitai.core.context import RequestContext, request_context
from jichitai.core.params import InvalidParameter, invalid_parameter_response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind the documented reverse proxy, REMOTE_ADDR is set from
    X-Forwarded-For by the proxy configuration (docs/production.md), never trusted from the header
    here."""
    return request.META.get("REMOTE_ADDR") or None


class IdentifiedRequest(HttpRequest):
    """A request after ``RequestContextMiddleware``: it carries the id echoed as ``X-Request-ID``."""

    request_id: str


class RequestContextMiddleware:
    """Gives every request an id (echoed as ``X-Request-ID``) and makes the id and client address
    available to audit entries and log lines."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: IdentifiedRequest) -> HttpResponse:
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

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if request.method in self.READING_METHODS:
            return None
        if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", set()):
            return None
        _receive_body(request)
        try:
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except InvalidParameter as refusal:
            # An exception leaving a view called from process_view skips the other middlewares'
            # process_exception; the one the product answers there is answered here, after the
            # rollback.
            return invalid_parameter_response(request, refusal)


def _receive_body(request: HttpRequest) -> None:
    """Receives the whole request body now: it arrives at the client's pace (a resident's slow
    upload), and read inside the view it would keep the transaction, and SQLite's write lock, open
    that long. The body is kept in a spooled file (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE) that
    the view then reads as it would have read the connection, with the usual size checks."""
    # ``_read_started`` is a Django internal its stubs do not declare.
    if request._read_started or hasattr(request, "_body"):  # type: ignore[attr-defined]
        return  # already received (CSRF protection parses most forms)
    # Lives as long as the request (the view reads it); removed when the request is freed.
    received = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    try:
        shutil.copyfileobj(request._stream, received)
    except OSError as error:
        raise UnreadablePostError(*error.args) from error
    received.seek(0)
    # The stubs declare the stream a BinaryIO, which typeshed's SpooledTemporaryFile does not claim to
    # be although it offers every method the request reads with.
    request._stream = received  # type: ignore[assignment]
