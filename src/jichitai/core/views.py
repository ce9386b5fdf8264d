from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from jichitai.jobs.liveness import worker_state
from jichitai.tenancy.middleware import public_view


@public_view
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 otherwise; the
    worker's state is reported too (see ``healthz_worker``)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state = worker_state()
    except Exception as error:
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", **state})


@public_view
@never_cache
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """For monitoring the background work: 503 when no worker's task loop has recorded a
    heartbeat lately (stopped, stuck, or cut off from the database), so mail, OCR and automation
    jobs are not waiting unnoticed. Kept apart from ``/healthz`` so a load balancer does not take
    the web processes out because of the worker."""
    try:
        state = worker_state()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    healthy = state["worker"] in {"ok", "inline"}
    return JsonResponse(
        {"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503
    )
