from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from jichitai.core.decorators import public_view
from jichitai.core.registry import health_reports


@public_view
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise; what the
    apps register in ``health_reports`` is reported too (the worker's state: see
    ``jobs.views.healthz_worker``)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        reports = {}
        for _name, report in health_reports.items():
            reports.update(report())
    except Exception as error:
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **reports})
