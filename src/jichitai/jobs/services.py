"""Starting, running and recovering background jobs."""

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from croniter import croniter
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.jobs.models import Job, ScheduleRun
from jichitai.jobs.queue import DatabaseQueue
from jichitai.jobs.registry import job_kinds, schedules
from jichitai.jobs.tasks import run_job
from jichitai.tenancy.models import Organization

if TYPE_CHECKING:
    from jichitai.accounts.models import User

logger = logging.getLogger(__name__)


def start_job(
    *,
    kind: str,
    title: str,
    organization: Organization | None = None,
    actor: "User | AnonymousUser | None" = None,
    **arguments: Any,
) -> Job:
    """Records the job and queues it with the surrounding transaction (``enqueue_with_action``):
    a worker never sees a job whose data is not there yet, and a rolled-back action leaves no job
    behind."""
    job_kinds.get(kind)  # an unknown kind is a programming error: fail here, not in the worker
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        organization=organization,
        created_by=signed_in(actor),
        arguments=arguments,
    )
    audit.record(
        action="jobs.started", actor=actor, organization=organization, target=job, summary=title
    )
    _enqueue(job.pk)
    return job


def enqueue_with_action(task: Task[..., Any], *args: object) -> None:
    """Queues ``task`` as part of the action's transaction. On the database queue the task row
    commits or rolls back with the action, so a crash right after the commit loses nothing; a
    queue elsewhere (Redis) or one that runs tasks at once is told only after the commit, so no
    worker looks for data that is not there yet."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def task_row_with_action(*, task: Task[..., Any], args: tuple) -> DBTaskResult | None:
    """The task row ``enqueue_with_action(task, *args)`` writes on the database queue, not yet
    written: for a statement that writes it with the action's own rows (``queue.task_rows``
    writes it), after which ``task_row_written`` tells it as enqueuing does. None for a queue
    elsewhere, which ``enqueue_with_action`` tells after the commit."""
    backend = task.get_backend()
    if not isinstance(backend, DatabaseQueue):
        return None
    backend.validate_task(task)
    return backend.task_row(task, args, {})


def task_row_written(*, task: Task[..., Any], row: DBTaskResult) -> None:
    """Tells that ``row`` (from ``task_row_with_action``) is written, as enqueuing does."""
    cast(DatabaseQueue, task.get_backend()).enqueued(row)


def _enqueue(job_id: int) -> None:
    enqueue_with_action(run_job, job_id)


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


def enqueue_due_schedules(*, now: datetime | None = None) -> list[str]:
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
