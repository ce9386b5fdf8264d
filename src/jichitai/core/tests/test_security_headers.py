import pytest
from csp.constants import NONCE
from csp.exceptions import CSPNonceError
from csp.utils import build_policy
from django.http import HttpResponse, JsonResponse
from django.test import Client

from jichitai.core.csp import ContentSecurityPolicyMiddleware


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz"])
def test_pages_carry_the_security_headers(path, prefecture):
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(prefecture):
    page = Client().get("/").content.decode()
    assert "<script>" not in page and "style=" not in page and "<style" not in page


def _answered(request, response):
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    middleware.process_request(request)
    return request, middleware.process_response(request, response)


def test_the_policy_is_the_text_django_csp_builds_from_the_settings(rf):
    _request, response = _answered(rf.post("/api/v1/"), JsonResponse({}))
    assert response["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_changed_policy_setting_is_followed(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    _request, response = _answered(rf.get("/api/v1/"), JsonResponse({}))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_a_response_with_its_own_policy_keeps_it(rf):
    response = HttpResponse()
    response._csp_replace = {"frame-ancestors": ["'self'"]}
    _request, response = _answered(rf.get("/"), response)
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_page_that_used_a_nonce_gets_the_policy_django_csp_builds_with_it(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    request = rf.get("/")
    response = HttpResponse()
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    middleware.process_request(request)
    nonce = str(request.csp_nonce)
    middleware.process_response(request, response)
    assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_refused(rf):
    request, _response = _answered(rf.get("/"), HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
