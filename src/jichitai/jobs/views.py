from django.shortcuts import render

from jichitai.jobs import selectors
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
