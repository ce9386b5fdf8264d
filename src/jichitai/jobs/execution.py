"""Running one attempt of a background job: claiming it, the lease every write of the attempt
is conditional on, progress, the heartbeat and the outcome. ``jobs.tasks.run_job`` calls
``execute_job``; starting and recovering jobs is in ``jobs.services``."""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from jichitai.core.context import RequestContext, request_context
from jichitai.core.extras import MissingExtra
from jichitai.jobs import liveness
from jichitai.jobs.models import Job
from jichitai.jobs.registry import job_kinds

logger = logging.getLogger(__name__)


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

    @contextmanager
    def item(self) -> Iterator[None]:
        """One item's writes, in one transaction that first takes the job's row while this
        attempt still holds it: an attempt that was taken over writes nothing more (its item
        rolls back), and recovery, which skips locked rows, cannot hand the job on between an
        item's "already done?" check and its write."""
        with transaction.atomic():
            if not _leased(self.job).update(heartbeat_at=timezone.now()):
                raise JobLeaseLost(self.job.pk)
            yield


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
        # What a job writes is read later by colleagues: in the platform's language, whether a
        # worker runs it or it runs at once after the page that started it.
        with (
            request_context(RequestContext(channel="task")),
            translation.override(settings.LANGUAGE_CODE),
        ):
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
    # The progress message said what was being done (「…しています」, the item at hand); a job
    # that has succeeded is doing nothing, and its result says what came of it.
    if not _leased(job).update(
        status=Job.Status.SUCCEEDED, finished_at=timezone.now(), result=result, message=""
    ):
        logger.warning("job %s attempt %s was taken over; outcome discarded", job_id, job.attempts)
