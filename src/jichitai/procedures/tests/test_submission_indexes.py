"""Every submission writes into every index of the tables it writes: a resident's submission (no
signed-in actor, nobody assigned yet, no one-per-person key) goes only into the indexes that the
staff's lists, the status page, the receipt number, the idempotency key and the audit log read.
The indexes of the actor, the person assigned and the one-per-person key hold only the rows that
have one."""

import pytest
from django.db import connection

from jichitai.audit.models import AuditEvent
from jichitai.procedures import services
from jichitai.procedures.tests.factories import event_data, published_procedure

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="index predicates are read from PostgreSQL"
)


def indexes_holding(table: str, row_id: int) -> set[str]:
    """The indexes of ``table`` that have an entry for the row ``row_id``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass",
            [table],
        )
        holding = set()
        for name, predicate in cursor.fetchall():
            # Names from the catalog; the id is a parameter.
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE id = %s AND ({predicate or 'true'})",  # noqa: S608
                [row_id],
            )
            if cursor.fetchone()[0]:
                holding.add(name)
    return holding


@pytest.mark.django_db
def test_a_residents_submission_goes_only_into_the_indexes_a_query_reads(tsu):
    procedure = published_procedure(tsu, one_per_email=False)
    application = services.submit_application(
        procedure=procedure, data=event_data(), idempotency_key="k1"
    ).application
    event = application.events.get()
    entry = AuditEvent.objects.get(action="procedures.application.submitted")
    assert indexes_holding("procedures_application", application.pk) == {
        "procedures_application_pkey",
        "receipt_number_unique",
        "idempotency_key_per_procedure",
        "application_status_token_unique",
        "procedures__organiz_36dea9_idx",  # the staff's lists
        "procedures_application_submitted_at_ebe58d90",
        "procedures_application_due_date_9e172cb2",
        "procedures_application_fiscal_year_222d7fca",
        "procedures_application_form_version_id_c1c7fbab",
    }
    assert indexes_holding("procedures_applicationevent", event.pk) == {
        "procedures_applicationevent_pkey",
        "procedures_applicationevent_application_id_0e81e5cf",
    }
    assert indexes_holding("audit_auditevent", entry.pk) == {
        "audit_auditevent_pkey",
        "audit_audit_organiz_5f9fea_idx",  # the organization's log, newest first
    }


@pytest.mark.django_db
def test_the_indexes_of_what_is_set_hold_the_rows_that_have_it(tsu, tsu_admin):
    procedure = published_procedure(tsu, one_per_email=True)
    application = services.submit_application(procedure=procedure, data=event_data()).application
    assert "application_one_per_person_unique" in indexes_holding(
        "procedures_application", application.pk
    )
    services.assign(actor=tsu_admin, application=application, assignee=tsu_admin)
    assert "application_assigned_to" in indexes_holding("procedures_application", application.pk)
    assigned = application.events.get(kind="assigned")
    assert "application_event_actor" in indexes_holding("procedures_applicationevent", assigned.pk)
    entry = AuditEvent.objects.filter(actor=tsu_admin).latest("id")
    assert "audit_event_actor" in indexes_holding("audit_auditevent", entry.pk)
