"""The Content-Security-Policy header, built once per process from the settings.

django-csp's middleware builds the header anew for every response (copying and sorting the
settings' directives, twice: the policy and the report-only one), though for almost every response
it is the same text. This middleware answers those responses with the text built once; a response
that brings its own policy (``csp_update``, ``csp_replace``, ``csp_override`` and the like), a page
that used a nonce, the debug pages and a policy excluding URL prefixes go through the library's
own ``process_response`` as before.
"""

from functools import cache
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# Set on a response by django-csp's view decorators.
_RESPONSE_POLICY_ATTRIBUTES = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)
_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@cache
def settings_policies() -> tuple[str, str] | None:
    """The header texts of the policy and the report-only policy in settings, as django-csp
    builds them; None when a policy excludes URL prefixes (checked per request by the library)."""
    if any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") for name in _SETTINGS):
        return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _policy_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in _SETTINGS:
        settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        policies = settings_policies()
        if (
            policies is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _RESPONSE_POLICY_ATTRIBUTES)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        policy, report_only = policies
        if policy and HEADER not in response and getattr(response, "_csp_exempt", False) is False:
            response[HEADER] = policy
        if (
            report_only
            and HEADER_REPORT_ONLY not in response
            and getattr(response, "_csp_exempt_ro", False) is False
        ):
            response[HEADER_REPORT_ONLY] = report_only
        # As the library's: a nonce asked for once the header is written is a programming error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
