from django.db import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from jichitai.core.decorators import public_view
from jichitai.jobs import selectors
from jichitai.jobs.liveness import worker_state
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@requires_role(Role.VIEWER)
def job_list(request, org_code):
    jobs = selectors.jobs_of(request.tenant)[:100]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@requires_role(Role.VIEWER)
def job_detail(request, org_code, job_id):
    job = selectors.job_of(request.tenant, job_id)
    template = (
        "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/job_detail.html"
    )
    return render(request, template, {"job": job})


@public_view
@never_cache
def healthz_worker(request):
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
