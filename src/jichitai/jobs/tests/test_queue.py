"""The database queue writes the task row django-tasks-db's own backend writes, and is read back
and announced as that backend's rows are."""

import pytest
from django.forms.models import model_to_dict
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
