"""The WSGI application: requests under ``/api/`` through ``settings.API_MIDDLEWARE``, every other
request through the full ``settings.MIDDLEWARE``.

An API request is anonymous JSON, or carries an organization token in a header: it has no session,
no signed-in user, no CSRF cookie, no flash messages and no login form, so the middleware for those
(nine of the seventeen) would only spend CPU on it. What it does need stays: security headers, the
request id and client address for audit entries, the language of labels, the tenant-free error
answers and one transaction per writing request. The API authenticates its staff endpoints itself
(``api.auth.OrganizationToken``), and no view under ``/api/`` reads ``request.user``; a session cookie
sent there is simply not read, so a half-signed-in staff session (password without the second
factor) cannot reach the staff API either.
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string

API_PREFIX = "/api/"


def is_api_path(path_info: str) -> bool:
    return path_info.startswith(API_PREFIX)


class MiddlewareChain(BaseHandler):
    """Answers a request through the given middleware, as ``BaseHandler`` does through
    ``settings.MIDDLEWARE`` (whose ``load_middleware`` reads that one setting only). Synchronous, as
    the WSGI server that calls it."""

    def __init__(self, middleware: Sequence[str]) -> None:
        super().__init__()
        self.middleware = tuple(middleware)

    def load_middleware(self, is_async: bool = False) -> None:
        if is_async:
            raise ImproperlyConfigured("MiddlewareChain serves WSGI requests only.")
        self._view_middleware: list[Callable[..., HttpResponseBase | None]] = []
        self._template_response_middleware: list[Callable[..., HttpResponseBase]] = []
        self._exception_middleware: list[Callable[..., HttpResponseBase | None]] = []
        # The view's own handling (URL resolution, view middleware, the view), which Django's stubs
        # leave undeclared.
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(self.middleware):
            middleware = import_string(path)
            if not getattr(middleware, "sync_capable", True):
                raise ImproperlyConfigured(f"Middleware {path} cannot serve WSGI requests.")
            try:
                instance = middleware(handler)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                raise ImproperlyConfigured(f"Middleware factory {path} returned None.")
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


class PathDispatch(BaseHandler):
    """Mixed into a handler that loads ``settings.MIDDLEWARE``: hands API requests to a second
    chain built from ``settings.API_MIDDLEWARE``."""

    api: MiddlewareChain

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async)
        self.api = MiddlewareChain(settings.API_MIDDLEWARE)
        self.api.load_middleware(is_async)

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        if is_api_path(request.path_info):
            return self.api.get_response(request)
        return super().get_response(request)


class PathDispatchingWSGIHandler(PathDispatch, WSGIHandler):
    """What gunicorn serves (``jichitai.wsgi.application``)."""
