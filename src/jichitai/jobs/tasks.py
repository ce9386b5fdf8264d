from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    """The single django-tasks entry point: every background job runs through it, whichever queue
    backend (database or Redis) carries it."""
    from jichitai.jobs.services import execute_job

    execute_job(job_id)
