"""Starting, running and recovering background jobs."""

import logging
import threading
from datetime import timedelta

from croniter import croniter
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from jichitai.audit import services as audit
from jichitai.core.context import RequestContext, request_context
from jichitai.core.extras import MissingExtra
from jichitai.jobs.models import Job, ScheduleRun
from jichitai.jobs.registry import job_kinds, schedules

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10


def start_job(*, kind: str, title: str, organization=None, actor=None, **arguments) -> Job:
    """Records the job and queues it once the surrounding transaction commits, so a worker never
    sees a job whose data is not there yet (and a rolled-back action leaves no job behind)."""
    job_kinds.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        arguments=arguments,
    )
    audit.record("jobs.started", actor=actor, organization=organization, target=job, summary=title)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from jichitai.jobs.tasks import run_job

    run_job.enqueue(job_id)


class JobContext:
    """Handed to a job's function: report progress, and read the job's arguments."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        fields = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.job, name, value)


class _Heartbeat(threading.Thread):
    """Keeps ``heartbeat_at`` fresh while a long item runs, so only a dead worker looks stale."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()


def execute_job(job_id: int) -> None:
    if not connection.in_atomic_block:
        # A long-lived worker may hold a connection the database has since dropped (restart,
        # idle timeout); a job run inline inside a transaction must keep its connection.
        close_old_connections()
    now = timezone.now()
    claimed = Job.objects.filter(
        pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.INTERRUPTED]
    ).update(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        logger.info("job %s is not waiting to run; skipped", job_id)
        return
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    kind = job_kinds.get(job.kind)
    heartbeat = _Heartbeat(job_id)
    heartbeat.start()
    try:
        with request_context(RequestContext(channel="task")):
            result = kind.function(JobContext(job), **job.arguments) or {}
    except Exception as error:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            # A missing optional part is the one failure staff can fix: its message says how.
            message=(
                str(error)
                if isinstance(error, MissingExtra)
                else f"処理中にエラーが発生しました: {type(error).__name__}"
            )[:500],
        )
        raise
    finally:
        heartbeat.stopped.set()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, finished_at=timezone.now(), result=result
    )


def recover_stale_jobs(*, stale_after: timedelta | None = None) -> list[int]:
    """Jobs whose worker died (no heartbeat for ``stale_after``, by default the setting
    ``JICHITAI_JOB_STALE_SECONDS``): resumable ones are queued again, the others are marked failed
    with a message, so none is silently lost."""
    if stale_after is None:
        stale_after = timedelta(seconds=settings.JICHITAI_JOB_STALE_SECONDS)
    limit = timezone.now() - stale_after
    recovered = []
    with transaction.atomic():
        stale = Job.objects.select_for_update(skip_locked=True).filter(
            status=Job.Status.RUNNING, heartbeat_at__lt=limit
        )
        for job in stale:
            kind = job_kinds.get(job.kind) if job.kind in job_kinds else None
            if kind is not None and kind.resumable:
                job.status = Job.Status.INTERRUPTED
                job.message = "ワーカーの停止により中断しました。続きから再開します。"
                transaction.on_commit(lambda job_id=job.pk: _enqueue(job_id))
            else:
                job.status = Job.Status.FAILED
                job.finished_at = timezone.now()
                job.message = "ワーカーの停止により中断しました。担当者が確認してください。"
            job.save(update_fields=["status", "message", "finished_at"])
            audit.record(
                "jobs.recovered", organization=job.organization, target=job, summary=job.message
            )
            recovered.append(job.pk)
    return recovered


def enqueue_due_schedules(now=None) -> list[str]:
    """Starts every registered schedule whose next time has come. A schedule seen for the first
    time starts counting from now rather than catching up on the past."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    started = []
    for name, schedule in schedules.items():
        with transaction.atomic():
            run, created = ScheduleRun.objects.select_for_update().get_or_create(name=name)
            if created or run.last_enqueued_at is None:
                run.last_enqueued_at = now
                run.save(update_fields=["last_enqueued_at"])
                continue
            due = croniter(schedule.cron, timezone.localtime(run.last_enqueued_at)).get_next(
                type(local_now)
            )
            if due > local_now:
                continue
            start_job(kind=schedule.kind, title=schedule.title, **schedule.arguments)
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            started.append(name)
    return started
