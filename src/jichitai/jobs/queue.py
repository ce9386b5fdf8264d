"""The database task queue, with its row written by a statement built once per process.

django-tasks-db's backend writes each task row with ``DBTaskResult.objects.create()``, which
compiles the same INSERT anew every time, and ``enqueue`` builds the task's result twice (once for
the ``task_enqueued`` signal, once to return it); on a submission (whose receipt mail is queued in
its own transaction) that was the costliest single write. This backend writes the same row with the
same values through ``core.rows``, builds the result once, and otherwise behaves as the one it
extends (validation, the signal, the worker that reads the rows).
"""

from typing import Any

from django_tasks_db import DatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import Task, normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult

from jichitai.core.rows import RowInsert

# The task rows, written by ``enqueue`` or with other rows in one statement (``jobs.services``).
task_rows = RowInsert(DBTaskResult)


class DatabaseQueue(DatabaseBackend):
    def task_row(self, task: Task[Any, Any], args: Any, kwargs: Any) -> DBTaskResult:
        """The row that queues ``task``, not yet written."""
        # The values of django_tasks_db.DatabaseBackend._task_to_db_task.
        return DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # None (run now) becomes the library's far date in its pre_save receiver.
            run_after=task.run_after,  # type: ignore[misc]
            backend_name=self.alias,
        )

    def _task_to_db_task(self, task: Task[Any, Any], args: Any, kwargs: Any) -> DBTaskResult:
        return task_rows.insert(self.task_row(task, args, kwargs))

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        return self.enqueued(self._task_to_db_task(task, args, kwargs))

    def enqueued(self, row: DBTaskResult) -> TaskResult[Any, Any]:
        """Tells that the written ``row`` queues its task, as ``enqueue`` does."""
        result = row.task_result
        task_enqueued.send(type(self), task_result=result)
        return result
