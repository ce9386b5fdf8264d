from django.urls import include, path
from django.views.i18n import set_language

from jichitai.accounts.middleware import before_second_factor
from jichitai.api.api import url_patterns as api_url_patterns
from jichitai.api.views import unknown_endpoint
from jichitai.core.decorators import public_view
from jichitai.core.views import healthz
from jichitai.jobs.views import healthz_worker
from jichitai.tenancy.urls import audit_urlpatterns

# Staff pages live under /s/<org_code>/: the tenant middleware resolves the organization from that
# code for every view below it.
tenant_urlpatterns = [
    path("", include("jichitai.tenancy.urls")),
    path("audit/", include((audit_urlpatterns, "audit"))),
    path("jobs/", include("jichitai.jobs.urls")),
    path("api-tokens/", include("jichitai.accounts.urls")),
    path("", include("jichitai.procedures.urls")),
    path("signatures/", include("jichitai.signatures.urls")),
    path("", include("jichitai.payments.urls")),
    path("", include("jichitai.opendata.urls")),
    path("", include("jichitai.pdca.urls")),
    path("", include("jichitai.ocr.urls")),
    path("automation/", include("jichitai.automation.urls")),
    path("collaboration/", include("jichitai.collaboration.urls")),
]

urlpatterns = [
    # First: resolution tries the patterns in order, and the API is where most requests go.
    # The CKAN-compatible /api/action/… and /api/3/action/… must come before the platform's own API.
    path("", include("jichitai.opendata.ckan.public_urls")),
    path("api/", api_url_patterns()),
    path("api/<path:rest>", unknown_endpoint),
    path("", include("jichitai.portal.public_urls")),
    path("o/<str:org_code>/", include("jichitai.procedures.public_urls")),
    path("", include("jichitai.procedures.resident.public_urls")),
    path("o/<str:org_code>/", include("jichitai.pdca.public_urls")),
    path("", include("jichitai.payments.public_urls")),
    path("healthz", healthz, name="healthz"),
    path("healthz/worker", healthz_worker, name="healthz_worker"),
    path("", include("jichitai.opendata.public_urls")),
    path("", include("jichitai.collaboration.public_urls")),
    path("i18n/setlang/", public_view(before_second_factor(set_language)), name="set_language"),
    path("accounts/", include("jichitai.accounts.public_urls")),
    path("s/", include("jichitai.dashboard.urls")),
    path("s/<str:org_code>/", include(tenant_urlpatterns)),
]
