"""The background job kinds of automation: a run (``automation.run``) and, every minute, the
scenario schedules (``automation.schedules``)."""

from jichitai.automation import runner
from jichitai.automation.services.scheduling import start_due_schedules
from jichitai.jobs.registry import Schedule, job_kind, schedules


@job_kind("automation.run")
def run_job(context, run_id: int) -> dict:
    run = runner.execute(run_id, progress=context.progress)
    return {"run_id": run.pk, "status": run.status}


@job_kind("automation.schedules")
def schedules_job(context) -> dict:
    return {"started": start_due_schedules()}


# Scenario schedules enabled by a second person are checked every minute.
schedules.register(
    "automation.schedules",
    Schedule(
        name="automation.schedules",
        cron="* * * * *",
        kind="automation.schedules",
        title="RPA シナリオの定期実行",
    ),
)
