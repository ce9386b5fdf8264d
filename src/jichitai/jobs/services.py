"""Starting, running and recovering background jobs."""

import logging
import threading
from datetime import timedelta

from croniter import croniter
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from jichitai.audit import services as audit
from jichitai.core.context import RequestContext, request_context
from jichitai.core.extras import MissingExtra
from jichitai.jobs import liveness
from jichitai.jobs.models import Job, ScheduleRun
from jichitai.jobs.registry import job_kinds, schedules

logger = logging.getLogger(__name__)


def start_job(*, kind: str, title: str, organization=None, actor=None, **arguments) -> Job:
    """Records the job and queues it with the surrounding transaction (``enqueue_with_action``):
    a worker never sees a job whose data is not there yet, and a rolled-back action leaves no job
    behind."""
    job_kinds.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        organization=organization,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        arguments=arguments,
    )
    audit.record(
        action="jobs.started", actor=actor, organization=organization, target=job, summary=title
    )
    _enqueue(job.pk)
    return job


def enqueue_with_action(task, *args) -> None:
    """Queues ``task`` as part of the action's transaction. On the database queue the task row
    commits or rolls back with the action, so a crash right after the commit loses nothing; a
    queue elsewhere (Redis) or one that runs tasks at once is told only after the commit, so no
    worker looks for data that is not there yet."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _enqueue(job_id: int) -> None:
    from jichitai.jobs.tasks import run_job

    enqueue_with_action(run_job, job_id)


class JobLeaseLost(Exception):
    """The job was taken for dead and handed to another attempt; this one must stop writing."""


class JobContext:
    """Handed to a job's function: report progress, and read the job's arguments.

    ``job.attempts`` is the attempt's lease: every write of the attempt is conditional on it, so
    an attempt whose job was recovered and started again (by a later attempt) finds out at its
    next progress report, stops, and never writes its outcome over the later one's."""

    def __init__(self, job: Job):
        self.job = job

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        fields = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:500]
        if not _leased(self.job).update(**fields):
            raise JobLeaseLost(self.job.pk)
        for name, value in fields.items():
            setattr(self.job, name, value)


def _leased(job: Job):
    """The job's row, as long as this attempt still holds it."""
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


class _Heartbeat(threading.Thread):
    """Keeps ``heartbeat_at`` fresh while a long item runs, so only a dead worker looks stale. A
    failed write (database locked or restarting) is retried at the next beat rather than ending
    the heartbeat, which would let recovery start the job a second time."""

    def __init__(self, job: Job):
        super().__init__(daemon=True, name=f"job-{job.pk}-heartbeat")
        self.job = job
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.JICHITAI_JOB_HEARTBEAT_SECONDS
        try:
            while not self.stopped.wait(interval):
                try:
                    if not _leased(self.job).update(heartbeat_at=timezone.now()):
                        return  # taken over: the attempt finds out at its next write
                    liveness.beat()
                except DatabaseError:
                    logger.warning("job %s: heartbeat not recorded; retrying", self.job.pk)
                    connection.close()
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
    ).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        logger.info("job %s is not waiting to run; skipped", job_id)
        return
    job = Job.objects.get(pk=job_id)
    kind = job_kinds.get(job.kind)
    heartbeat = _Heartbeat(job)
    heartbeat.start()
    try:
        with request_context(RequestContext(channel="task")):
            result = kind.function(JobContext(job), **job.arguments) or {}
    except JobLeaseLost:
        logger.warning("job %s attempt %s was taken over; it stopped", job_id, job.attempts)
        return
    except Exception as error:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        _leased(job).update(
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
    if not _leased(job).update(
        status=Job.Status.SUCCEEDED, finished_at=timezone.now(), result=result
    ):
        logger.warning("job %s attempt %s was taken over; outcome discarded", job_id, job.attempts)


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
                _enqueue(job.pk)
            else:
                job.status = Job.Status.FAILED
                job.finished_at = timezone.now()
                job.message = "ワーカーの停止により中断しました。担当者が確認してください。"
            job.save(update_fields=["status", "message", "finished_at"])
            audit.record(
                action="jobs.recovered",
                organization=job.organization,
                target=job,
                summary=job.message,
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
