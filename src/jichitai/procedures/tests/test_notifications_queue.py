"""Mail to applicants is queued with the submission itself on the database queue, so a crash
right after the commit cannot lose the receipt mail."""

import pytest
from django.db import DatabaseError
from django_tasks.base import TASK_MAX_PRIORITY
from django_tasks.exceptions import InvalidTaskError
from django_tasks_db.models import DBTaskResult

from jichitai.audit.models import AuditEvent
from jichitai.jobs.queue import DatabaseQueue
from jichitai.procedures import services
from jichitai.procedures.models import Application, ApplicationEvent
from jichitai.procedures.tests.factories import event_data, published_procedure


@pytest.mark.django_db
def test_the_receipt_mail_is_queued_in_the_submissions_transaction(
    tsu, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"}}
    settings.TASKS_BACKEND = "database"
    procedure = published_procedure(tsu)
    with django_capture_on_commit_callbacks(execute=False):
        application = services.submit_application(
            procedure=procedure, data=event_data()
        ).application
        queued = DBTaskResult.objects.filter(
            task_path="jichitai.procedures.notifications.send_received_mail"
        )
        assert [row.args_kwargs["args"] for row in queued] == [[application.pk]]


@pytest.mark.django_db(transaction=True)
def test_a_submission_whose_receipt_mail_cannot_be_queued_is_not_kept(tsu, settings, monkeypatch):
    """The application and its receipt mail commit together: outside any caller's transaction
    (paper intake, a job) there is no moment where one is stored without the other."""
    settings.TASKS = {"default": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"}}
    settings.TASKS_BACKEND = "database"
    procedure = published_procedure(tsu)

    made = DatabaseQueue.task_row

    def refused(self, task, args, kwargs):
        # Outside the priorities the table's check constraint allows: on PostgreSQL refused by
        # the database in the statement that writes the application's rows; elsewhere refused
        # when the row, written after the application's, is read back as the queue's result.
        row = made(self, task, args, kwargs)
        row.priority = TASK_MAX_PRIORITY + 1
        return row

    monkeypatch.setattr(DatabaseQueue, "task_row", refused)
    with pytest.raises((DatabaseError, InvalidTaskError)):
        services.submit_application(procedure=procedure, data=event_data())
    assert not Application.objects.exists()
    assert not ApplicationEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="procedures.application.submitted").exists()
