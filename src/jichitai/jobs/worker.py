"""The task loops ``jichitai worker`` runs: django-tasks-db's database queue loop made to survive
transient database errors, and RQ's worker; both record the worker heartbeat."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, close_old_connections, connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception
from rq.worker import Worker as RQWorker

from jichitai.jobs import liveness

logger = logging.getLogger(__name__)

# Consecutive failed rounds before the worker gives up and exits non-zero for its supervisor
# (systemd, the container runtime) to restart it: with the backoff below, about ten minutes.
MAX_CONSECUTIVE_FAILURES = 25
MAX_BACKOFF_SECONDS = 30.0


class WorkerGaveUp(RuntimeError):
    pass


def _back_off(failures: int, error: DatabaseError, doing: str) -> None:
    """After the ``failures``-th database error in a row: waits longer each time, on a fresh
    connection, or gives up for the supervisor to restart the worker."""
    if failures >= MAX_CONSECUTIVE_FAILURES:
        raise WorkerGaveUp(
            f"{doing}: the database failed {failures} times in a row: {error}"
        ) from error
    delay = min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (failures - 1))
    logger.warning("database error in %s (%s); retrying in %.1f s", doing, error, delay)
    connections.close_all()
    time.sleep(delay)


class DatabaseQueueWorker(Worker):
    """django-tasks-db's loop lets a "database is locked" (SQLite busy past its timeout) or a
    dropped connection escape and end it, while the process stays up with nothing taking tasks.
    Here every database error of a round is retried with exponential backoff, a heartbeat is
    recorded each round, and only a database unreachable for minutes ends the worker — with a
    non-zero exit, so it is restarted rather than left silently idle."""

    def run(self) -> None:
        logger.info("starting database queue worker %s", self.worker_id)
        liveness.register_worker()
        failures = 0
        while self.running:
            try:
                claimed, task_result = self._claim_next()
                liveness.beat()
                if task_result is not None:
                    self.run_task(task_result)
            except DatabaseError as error:
                failures += 1
                _back_off(failures, error, "the task loop")
                continue
            failures = 0
            if self.batch and claimed and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """django-tasks-db records a task's outcome once: meeting a locked database there, it
        would leave the task RUNNING for ever (a receipt mail neither sent again nor counted as
        sent). The outcome is recorded here until the database takes it."""
        for method in ("set_successful", "set_failed"):
            setattr(db_task_result, method, self._until_recorded(getattr(db_task_result, method)))
        super().run_task(db_task_result)

    def _until_recorded(self, record: Callable[[Any], None]) -> Callable[[Any], None]:
        def recorded(outcome: Any) -> None:
            failures = 0
            while True:
                try:
                    record(outcome)
                    return
                except DatabaseError as error:
                    failures += 1
                    _back_off(failures, error, "recording a task's outcome")

        return recorded

    def _claim_next(self) -> tuple[bool, DBTaskResult | None]:
        """(whether the queue could be read, the task claimed or None)."""
        tasks = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                # Another writer holds the lock: try again next round, without backing off.
                return False, None
            raise
        return True, task_result


class RedisQueueWorker(RQWorker):
    """RQ's worker, recording the jichitai worker heartbeat with RQ's own."""

    def heartbeat(self, *args, **kwargs):
        super().heartbeat(*args, **kwargs)
        try:
            liveness.beat()
        except DatabaseError:
            logger.warning("could not record the worker heartbeat; retrying at the next one")
            connections.close_all()
