"""Mail to applicants is queued with the submission itself on the database queue, so a crash
right after the commit cannot lose the receipt mail."""

import pytest
from django_tasks_db.models import DBTaskResult

from jichitai.procedures import services
from jichitai.procedures.tests.factories import event_data, published_procedure


@pytest.mark.django_db
def test_the_receipt_mail_is_queued_in_the_submissions_transaction(
    tsu, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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
