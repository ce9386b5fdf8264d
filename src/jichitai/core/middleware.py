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
