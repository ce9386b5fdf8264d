"""The platform's JSON API (django-ninja): OpenAPI at /api/openapi.json, docs at /api/docs.
Every error answers JSON: ``{"detail": …, "code": …}`` (422 adds ``errors`` per field)."""

import inspect
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DEFAULT_DB_ALIAS
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import PathView

from jichitai.api.parsing import TextJsonParser, UnpairedSurrogate
from jichitai.api.registry import routers
from jichitai.core.decorators import public_view

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="jichitai API",
    version="1",
    description="電子申請・届出の手続一覧、申請の送信と状況照会、団体職員向けの受付データ。",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=TextJsonParser(),
)


@api.exception_handler(ValidationError)
def request_invalid(request, error: ValidationError):
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [
            str(part)
            for part in item.get("loc", [])
            if part not in ("body", "query", "path", "header")
        ]
        errors.setdefault(".".join(location) or "request", []).append(
            item.get("msg", "不正な値です。")
        )
    return api.create_response(
        request,
        {
            "detail": _("リクエストの形式が正しくありません。"),
            "code": "invalid_request",
            "errors": errors,
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    return api.create_response(
        request,
        {
            "detail": _(
                "APIトークンが必要です。有効なトークンを Authorization ヘッダーに入れてください。"
            ),
            "code": "unauthenticated",
        },
        status=401,
    )


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(
        request, {"detail": _("見つかりません。"), "code": "not_found"}, status=404
    )


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    if error.status_code == 400 and isinstance(error.__cause__, UnpairedSurrogate):
        detail, code = UnpairedSurrogate.message, "bad_request"
    elif error.status_code == 400:
        detail, code = "リクエストの本文を JSON として読み取れません。", "bad_request"
    else:
        detail, code = str(error), "error"
    return api.create_response(request, {"detail": detail, "code": code}, status=error.status_code)


@api.exception_handler(RequestDataTooBig)
def too_large(request, error):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return api.create_response(
        request,
        {
            "detail": _("リクエストの本文が大きすぎます(%(limit)s MB まで)。")
            % {"limit": f"{limit:g}"},
            "code": "too_large",
        },
        status=413,
    )


@api.exception_handler(Exception)
def server_error(request, error: Exception):
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request,
        {
            "detail": _("サーバーでエラーが発生しました。時間をおいて再度お試しください。"),
            "code": "server_error",
        },
        status=500,
    )


STAFF_PREFIX = "v1/staff/"
_mounted: set[str] = set()


def url_patterns():
    """The API's URL patterns. Everything outside ``/api/v1/staff/`` is public by design (published
    procedures, submitting, status by token) and is marked so for the tenant-isolation walk;
    the staff part authenticates with organization tokens. The routers the apps registered are
    mounted here, once the apps are ready."""
    for name, entry in routers.items():
        if name not in _mounted:
            api.add_router(entry.prefix, entry.router)
            _mounted.add(name)
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if not str(pattern.pattern).startswith(STAFF_PREFIX):
            public_view(pattern.callback)
        _mark_non_atomic(pattern.callback)
    return patterns, app_name, namespace


def _mark_non_atomic(callback) -> None:
    """Marks the view ninja serves a path with (one for all its methods) as Django's
    ``transaction.non_atomic_requests`` marks a view, for the request's transaction
    (``core.middleware.WriteTransactionMiddleware``), when every operation on the path is marked."""
    if not inspect.isfunction(callback):
        return  # the OpenAPI document and its page
    path_view = inspect.getclosurevars(callback).nonlocals.get("self")
    if not isinstance(path_view, PathView) or not path_view.operations:
        return
    marks = [
        getattr(operation.view_func, "_non_atomic_requests", set())
        for operation in path_view.operations
    ]
    if all(DEFAULT_DB_ALIAS in mark for mark in marks):
        callback._non_atomic_requests = {DEFAULT_DB_ALIAS}
