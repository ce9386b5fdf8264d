"""The database task queue, with its row written by a statement built once per process.

django-tasks-db's backend writes each task row with ``DBTaskResult.objects.create()``, which
compiles the same INSERT anew every time, and ``enqueue`` builds the task's result twice (once for
the ``task_enqueued`` signal, once to return it); on a submission (whose receipt mail is queued in
its own transaction) that was the costliest single write. This backend writes the same row with the
same values through ``core.rows``, builds the result once, and otherwise behaves as the one it
extends (validation, the signal, the worker that reads the rows). What the library works out anew
for every task it queues and is the same each time (whether a task is valid for this backend, the
task a row runs, which its result names) is worked out once per process for tasks that run as soon
as a worker takes them; a deferred task (its own ``run_after``) is checked and resolved each time,
so the remembered ones stay few.
"""

from typing import Any

from django_tasks_db import DatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import Task, TaskResultStatus, normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import normalize_uuid

from jichitai.core.rows import RowInsert

# The task rows, written by ``enqueue`` or with other rows in one statement (``jobs.services``).
task_rows = RowInsert(DBTaskResult)


class DatabaseQueue(DatabaseBackend):
    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self._valid: set[Task[Any, Any]] = set()
        self._resolved: dict[tuple, Task[Any, Any]] = {}

    def validate_task(self, task: Task[Any, Any]) -> None:
        """As the library's: raises InvalidTaskError. What it checks (the function, the priority,
        the queue, against this backend's options) is fixed for a task, so a task that passed once
        is not checked again (a task is a frozen dataclass: equal tasks are the same task)."""
        if task in self._valid:
            return
        super().validate_task(task)
        if task.run_after is None:
            self._valid.add(task)

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
        result = self.new_task_result(row)
        task_enqueued.send(type(self), task_result=result)
        return result

    def new_task_result(self, row: DBTaskResult) -> TaskResult[Any, Any]:
        """``row.task_result`` for a row just written (not run, so without errors or a return
        value), with the task it names resolved once per process: the library imports the task
        and rebuilds it with the row's priority, queue and backend (``Task.using``, which
        validates it again) for every row."""
        key = (row.task_path, row.priority, row.queue_name, row.run_after, row.backend_name)
        task = self._resolved.get(key)
        if task is None:
            task = row.task
            if row.run_after == get_date_max():
                self._resolved[key] = task
        return TaskResult(
            db_result=row,
            task=task,
            id=normalize_uuid(row.id),
            status=TaskResultStatus[row.status],
            enqueued_at=row.enqueued_at,
            started_at=row.started_at,
            last_attempted_at=row.started_at,
            finished_at=row.finished_at,
            args=row.args_kwargs["args"],
            kwargs=row.args_kwargs["kwargs"],
            backend=row.backend_name,
            errors=[],
            worker_ids=row.worker_ids,
        )
