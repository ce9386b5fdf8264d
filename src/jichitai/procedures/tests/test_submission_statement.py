"""What a submission sends to the database: on PostgreSQL the application, its history event, its
audit entry and its receipt mail's task in one statement (``insertion.insert_submitted``), on the
other databases one statement per row; the same rows either way, and all of them or none."""

from datetime import datetime

import pytest
from django.db import DatabaseError, connection
from django.db.models.signals import pre_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from jichitai.audit.models import AuditEvent
from jichitai.procedures import services
from jichitai.procedures.availability import ProcedureUnavailable
from jichitai.procedures.models import Application, ApplicationEvent
from jichitai.procedures.services import insertion
from jichitai.procedures.tests.factories import event_data, published_procedure

RECEIPT_MAIL = "jichitai.procedures.notifications.send_received_mail"


@pytest.fixture
def database_queue(settings):
    """The receipt mail queued on the database, as in production (the tests run tasks at once)."""
    settings.TASKS = {"default": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"}}
    settings.TASKS_BACKEND = "database"


def _submitted_rows(application: Application) -> dict:
    """The rows a submission wrote, without what differs between two submissions of the same data
    (ids, times, the random status token), after checking what they take from the application."""
    event = ApplicationEvent.objects.filter(application=application).values().get()
    entry = (
        AuditEvent.objects.filter(
            action="procedures.application.submitted", target_id=str(application.pk)
        )
        .values()
        .get()
    )
    mail = (
        DBTaskResult.objects.filter(task_path=RECEIPT_MAIL, args_kwargs__args=[application.pk])
        .values()
        .get()
    )
    assert entry["target_repr"] == application.receipt_number
    assert mail["args_kwargs"] == {"args": [application.pk], "kwargs": {}}
    stored = Application.objects.filter(pk=application.pk).values().get()
    assert stored["receipt_number"] == application.receipt_number

    def kept(row: dict, *differing: str) -> dict:
        return {
            name: value
            for name, value in row.items()
            if name not in {"id", *differing} and not isinstance(value, datetime)
        }

    return {
        "application": kept(stored, "receipt_number", "status_token"),
        "event": kept(event, "application_id"),
        "audit": kept(entry, "target_id", "target_repr"),
        "mail": kept(mail, "args_kwargs"),
        # The one datetime that does not tell when: the queue's "run now".
        "mail_runs_after": mail["run_after"],
    }


@pytest.mark.django_db
def test_the_rows_written_in_one_statement_are_those_written_one_by_one(
    tsu, database_queue, monkeypatch
):
    procedure = published_procedure(tsu)
    # This database's own way, then one statement per row (the only way on SQLite).
    first = services.submit_application(procedure=procedure, data=event_data()).application
    monkeypatch.setattr(insertion, "written_in_one_statement", lambda: False)
    second = services.submit_application(procedure=procedure, data=event_data()).application
    assert second.pk != first.pk
    assert _submitted_rows(first) == _submitted_rows(second)


@pytest.mark.django_db(transaction=True)
def test_an_api_submission_sends_one_statement_on_postgresql(tsu, database_queue):
    procedure = published_procedure(tsu)
    client = Client()
    path = f"/api/v1/o/{tsu.code}/procedures/{procedure.pk}/applications"

    def submit(key: str):
        return client.post(
            path, event_data(), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )

    assert submit("first").status_code == 201  # the published procedure is now cached
    with CaptureQueriesContext(connection) as queries:
        assert submit("second").status_code == 201
    statements = [query["sql"] for query in queries]
    if connection.vendor == "postgresql":
        # One statement is a transaction of its own: no BEGIN and COMMIT round trips around it.
        assert len(statements) == 1, statements
        assert statements[0].startswith("WITH"), statements
    else:
        # BEGIN IMMEDIATE on SQLite (settings: writers queue for the lock), a row per statement.
        assert statements[0].startswith("BEGIN") and statements[-1] == "COMMIT", statements
        assert len(statements) == 4 + 2, statements
    application = Application.objects.get(idempotency_key="api-second")
    assert ApplicationEvent.objects.filter(application=application).count() == 1
    assert DBTaskResult.objects.filter(args_kwargs__args=[application.pk]).count() == 1
    # A retry writes nothing: the statement answers with no row, and the first one is read.
    again = submit("second")
    assert again.status_code == 201
    assert again.json()["receipt_number"] == application.receipt_number
    assert Application.objects.count() == 2
    assert ApplicationEvent.objects.count() == 2
    assert DBTaskResult.objects.filter(task_path=RECEIPT_MAIL).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_submission_whose_history_cannot_be_written_is_not_kept(tsu, database_queue):
    """Outside any caller's transaction: the rows written before the failing one (all of them in
    the same statement on PostgreSQL) are not kept either."""
    procedure = published_procedure(tsu)

    def refuse(sender, instance, **kwargs):
        raise DatabaseError("the audit table cannot be written")

    pre_save.connect(refuse, sender=AuditEvent, weak=False)
    try:
        with pytest.raises(DatabaseError):
            services.submit_application(procedure=procedure, data=event_data())
    finally:
        pre_save.disconnect(refuse, sender=AuditEvent)
    assert not Application.objects.exists()
    assert not ApplicationEvent.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=RECEIPT_MAIL).exists()


@pytest.mark.django_db(transaction=True)
def test_seats_refused_after_the_statement_take_its_rows_back(tsu, database_queue):
    """定員 is taken after the application is written (it needs its row): refused there, the
    application, its history, audit entry and mail task written with it go too."""
    procedure = published_procedure(tsu, capacity=2)
    services.submit_application(procedure=procedure, data=event_data(1))
    with pytest.raises(ProcedureUnavailable):
        # Two more persons than the one seat left: refused only when the seats are taken.
        services.submit_application(procedure=procedure, data=event_data(2, participants=2))
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action="procedures.application.submitted").count() == 1
    assert DBTaskResult.objects.filter(task_path=RECEIPT_MAIL).count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_api_submission_that_writes_more_than_one_statement_is_one_transaction(
    tsu, database_queue
):
    """A fee owed on receipt is written after the application (it needs its id): both in one
    transaction, whatever the database."""
    procedure = published_procedure(tsu, fee_kind="fixed", fee_amount=300)
    path = f"/api/v1/o/{tsu.code}/procedures/{procedure.pk}/applications"
    with CaptureQueriesContext(connection) as queries:
        answer = Client().post(path, event_data(), content_type="application/json")
    assert answer.status_code == 201, answer.content
    statements = [query["sql"] for query in queries]
    begins = [n for n, sql in enumerate(statements) if sql.startswith("BEGIN")]
    assert len(begins) == 1 and statements.count("COMMIT") == 1, statements
    inside = statements[begins[0] : statements.index("COMMIT")]
    assert any("procedures_application" in sql and "INSERT" in sql for sql in inside)
    assert any('INSERT INTO "payments_payment"' in sql for sql in inside), statements
