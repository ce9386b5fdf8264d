from django_tasks import task

from jichitai.jobs.execution import execute_job


@task()
def run_job(job_id: int) -> None:
    """The single django-tasks entry point: every background job runs through it, whichever queue
    backend (database or Redis) carries it."""
    execute_job(job_id)
