from django.db.models import QuerySet

from jichitai.jobs.models import Job
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def jobs_of(organization: Organization) -> QuerySet[Job]:
    return for_tenant(Job, organization).select_related("created_by")


def job_of(organization: Organization, job_id: int) -> Job:
    return tenant_get(Job, organization, pk=job_id)


def unfinished_jobs_of(organization: Organization) -> QuerySet[Job]:
    return jobs_of(organization).exclude(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED])
