"""The rows of a submission written with statements built once per process.

The application row is written in one statement: the receipt number is computed by the database
from the id the same statement takes, so the row is never written with a placeholder and updated
afterwards; a unique key already taken (a retried Idempotency-Key, a second application of the same
person) is answered by no row rather than by an error, so the caller's transaction stays usable and
the submission needs no savepoint and no SELECT before the INSERT. On PostgreSQL its history event,
audit entry and receipt mail's task are written by the same statement (``insert_submitted``), which
computes what they take from the application; elsewhere they follow one by one through ``core.rows``.
"""

from functools import cache
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field
from django_tasks_db.models import DBTaskResult

from jichitai.audit import services as audit
from jichitai.core.rows import (
    Following,
    RowInsert,
    insert_following,
    prepared_values,
    statement_cursor,
)
from jichitai.jobs.queue import task_rows
from jichitai.procedures.models import Application, ApplicationEvent

# The next id, taken by the statement itself: from the sequence on PostgreSQL; on SQLite from the
# AUTOINCREMENT counter, read while the statement holds the database's write lock.
_NEXT_ID = {
    "postgresql": "SELECT nextval(pg_get_serial_sequence('{table}', '{pk}')) AS id",
    "sqlite": "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0) + 1 AS id",
}
# The id after the prefix, at least six digits (as ``f"{id:06d}"``).
_PADDED_ID = {
    "postgresql": "lpad(id::text, greatest(6, length(id::text)), '0')",
    "sqlite": "printf('%%06d', id)",
}

_events = RowInsert(ApplicationEvent)


@cache
def _application_insert(vendor: str) -> tuple[tuple[tuple[str, str], ...], list[Field]]:
    """The statement for ``vendor``'s database, as the parts of its WITH (the last one the
    INSERT), and the fields whose values it takes, in order."""
    options = Application._meta
    quote = connection.ops.quote_name
    # Concrete fields always have a column (the stubs allow None for the others).
    table, pk = options.db_table, cast(str, options.pk.column)
    fields = [
        field
        for field in options.concrete_fields
        if field is not options.pk and field.name != "receipt_number"
    ]
    columns = ", ".join(quote(cast(str, field.column)) for field in fields)
    next_id = _NEXT_ID[vendor].format(table=table, pk=pk)
    padded = _PADDED_ID[vendor]
    # Only names from the model and the fixed texts above are put into the statement; every value
    # is a parameter.
    insert = (
        f"INSERT INTO {quote(table)} ({quote(pk)}, {quote('receipt_number')}, {columns}) "  # noqa: S608
        f"VALUES ((SELECT id FROM new), %s || (SELECT {padded} FROM new), "
        f"{', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT DO NOTHING RETURNING {quote(pk)}, {quote('receipt_number')}"
    )
    return (("new", next_id), ("application", insert)), fields


@cache
def _application_statement(vendor: str) -> tuple[str, list[Field]]:
    """``_application_insert`` as one statement, for the application written alone."""
    parts, fields = _application_insert(vendor)
    return (
        f"WITH {', '.join(f'{name} AS ({part})' for name, part in parts[:-1])} {parts[-1][1]}",
        fields,
    )


# What the rows written with the application take from it, computed by the statement from the
# row it writes (``application``: its id and receipt number), as the Python of the other
# databases computes them: the event's application; the audit entry's ``str(target.pk)`` and
# ``str(target)[:200]`` (an application's text is its receipt number); the receipt mail's
# arguments, ``(application.pk,)`` (``notifications.received_mail_row``).
_EVENT_FROM_APPLICATION = {"application_id": "application.id"}
_AUDIT_FROM_APPLICATION = {
    "target_id": "application.id::text",
    "target_repr": "left(application.receipt_number, 200)",
}
_RECEIPT_MAIL_FROM_APPLICATION = {
    "args_kwargs": "jsonb_build_object('args', jsonb_build_array(application.id), 'kwargs', '{}'::jsonb)"
}


def written_in_one_statement() -> bool:
    """Whether the database writes a submission's rows in one statement (``insert_submitted``):
    PostgreSQL takes INSERTs inside a WITH, the others do not."""
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def insert_application(*, application: Application, receipt_prefix: str) -> bool:
    """Inserts the unsaved ``application`` with the receipt number ``receipt_prefix`` followed by
    its id. Sets its id and receipt number and returns True; writes nothing and returns False when
    one of the table's unique keys is already taken."""
    # The connection itself, not the proxy: every field asks it for its operations, and each
    # question through ``django.db.connection`` looks the connection up again.
    database = connections[DEFAULT_DB_ALIAS]
    statement, fields = _application_statement(database.vendor)
    values = prepared_values(fields, application, database)
    with statement_cursor(database) as cursor:
        cursor.execute(statement, [receipt_prefix, *values])
        row = cursor.fetchone()
    if row is None:
        return False
    _inserted(application, row, database.alias)
    return True


def insert_submitted(
    *,
    application: Application,
    receipt_prefix: str,
    event: dict[str, Any],
    entry: dict[str, Any],
    receipt_mail: DBTaskResult | None,
) -> bool:
    """As ``insert_application``, and with the application, in the same statement (PostgreSQL),
    its history event and its audit entry, given by their values by column (``event`` without its
    application, ``entry`` from ``audit.entry_values`` with the unsaved application as its
    target), and the task row of its ``receipt_mail``: all of them, their columns taken from the
    application computed from the row written, or none."""
    database = connections[DEFAULT_DB_ALIAS]
    leading, fields = _application_insert(database.vendor)
    following = [
        _following(_events, event, _EVENT_FROM_APPLICATION),
        _following(audit.entries, entry, _AUDIT_FROM_APPLICATION),
    ]
    if receipt_mail is not None:
        following.append(Following(task_rows, receipt_mail, _RECEIPT_MAIL_FROM_APPLICATION))
    row = insert_following(
        leading=leading,
        values=[receipt_prefix, *prepared_values(fields, application, database)],
        following=following,
    )
    if row is None:
        return False
    _inserted(application, row, database.alias)
    return True


def _following(rows: RowInsert, values: dict[str, Any], computed: dict[str, str]) -> Following:
    """The row written from ``values`` as they are, without building the model's instance;
    from the instance, which sends them, when a ``pre_save``/``post_save`` receiver listens."""
    if rows.signalled():
        return Following(rows, rows.model(**values), computed)
    return Following(rows, computed=computed, values=values)


def _inserted(application: Application, row: tuple, alias: str) -> None:
    application.pk, application.receipt_number = row
    application._state.adding = False
    application._state.db = alias


def insert_event(*, event: ApplicationEvent) -> ApplicationEvent:
    """Inserts the application's new history event, as ``save()`` would."""
    return _events.insert(event)
