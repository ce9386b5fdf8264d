"""The database queue writes the task row django-tasks-db's own backend writes, and is read back
and announced as that backend's rows are."""

import dataclasses
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
from django_tasks.exceptions import InvalidTaskError
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from jichitai.jobs.tasks import run_job


@pytest.fixture
def queues(settings):
    settings.TASKS = {
        "default": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"},
        "library": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


@pytest.mark.django_db
def test_the_task_row_is_the_one_the_library_backend_writes(queues):
    ours = run_job.using(priority=5, queue_name="default").enqueue(7)
    theirs = run_job.using(priority=5, queue_name="default", backend="library").enqueue(7)
    unlike = ["id", "enqueued_at", "backend_name"]
    stored = DBTaskResult.objects.get(pk=ours.id)
    assert model_to_dict(stored, exclude=unlike) == model_to_dict(
        DBTaskResult.objects.get(pk=theirs.id), exclude=unlike
    )
    assert stored.backend_name == "default" and stored.enqueued_at is not None
    assert stored.args_kwargs == {"args": [7], "kwargs": {}}


@pytest.mark.django_db
def test_the_queued_task_is_announced_and_found_again(queues):
    announced = []

    def listener(sender, task_result, **kwargs):
        announced.append(task_result.id)

    task_enqueued.connect(listener, weak=False)
    try:
        result = run_job.enqueue(8)
    finally:
        task_enqueued.disconnect(listener)
    assert announced == [result.id]
    found = run_job.get_backend().get_result(result.id)
    assert found.status == "READY" and found.args == [8]


def _fields(result) -> dict:
    return {field.name: getattr(result, field.name) for field in dataclasses.fields(result)}


@pytest.mark.django_db
@pytest.mark.parametrize("deferred", [False, True])
def test_the_announced_result_is_the_one_the_library_reads_from_the_row(queues, deferred):
    task = run_job.using(priority=3)
    if deferred:
        task = task.using(run_after=timezone.now() + timedelta(hours=1))
    for _ in range(2):  # the second time with what the first one resolved
        result = task.enqueue(9)
        assert _fields(result) == _fields(DBTaskResult.objects.get(pk=result.id).task_result)
        assert result.task == task.using(backend="default")


@pytest.mark.django_db
def test_a_task_the_backend_cannot_run_is_refused_every_time(queues):
    backend = run_job.get_backend()
    backend.validate_task(run_job)
    for _ in range(2):
        with pytest.raises(InvalidTaskError):
            run_job.using(queue_name="elsewhere", backend="default")
    backend.validate_task(run_job)  # remembered, and still valid
