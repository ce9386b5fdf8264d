"""On PostgreSQL the statements written once and run on every submission are prepared by the server
once per connection; every other statement keeps Django's cursor (values written into the text,
nothing prepared); ``"prepare_threshold": None`` in OPTIONS turns the preparing off."""

import pytest
from django.db import connection, connections

from jichitai.core.postgresql.base import DatabaseWrapper
from jichitai.core.rows import statement_cursor

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements of the PostgreSQL backend"
)

STATEMENT = "SELECT %s::int + %s::int AS total"


def prepared_here(cursor) -> list[str]:
    cursor.execute("SELECT statement FROM pg_prepared_statements")
    return [statement for (statement,) in cursor.fetchall()]


def run_twice(wrapper) -> list[int]:
    totals = []
    for first in (1, 2):
        with statement_cursor(wrapper) as cursor:
            cursor.execute(STATEMENT, [first, 40])
            totals.append(cursor.fetchone()[0])
    return totals


@pytest.mark.django_db
def test_a_statement_of_every_submission_is_prepared_once_per_connection():
    assert run_twice(connection) == [41, 42]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text AS unprepared", ["値"])
        assert [s for s in prepared_here(cursor) if "AS total" in s] == [
            "SELECT $1::int + $2::int AS total"
        ]
        assert not [s for s in prepared_here(cursor) if "unprepared" in s]


@pytest.mark.django_db
def test_prepare_threshold_none_in_options_prepares_nothing(django_db_blocker):
    wrapper = DatabaseWrapper(
        {**connections["default"].settings_dict, "OPTIONS": {"prepare_threshold": None}},
        alias="unprepared",
    )
    try:
        with django_db_blocker.unblock():
            assert run_twice(wrapper) == [41, 42]
            with wrapper.cursor() as cursor:
                assert prepared_here(cursor) == []
    finally:
        wrapper.close()


@pytest.mark.django_db
def test_a_long_statement_is_not_parsed_again_on_every_execute(monkeypatch):
    """psycopg numbers the ``%s`` of a statement with more than 50 values anew on each execute
    (it caches only shorter ones); a submission's rows written together have more."""
    import psycopg._queries

    parsed = []
    numbering = psycopg._queries._query2pg_nocache
    monkeypatch.setattr(
        psycopg._queries,
        "_query2pg_nocache",
        lambda *args: parsed.append(args) or numbering(*args),
    )
    statement = "SELECT " + " + ".join(["%s::int"] * 60) + ", '100%%' AS long_total"
    for _ in range(2):
        with statement_cursor(connection) as cursor:
            cursor.execute(statement, [1] * 60)
            assert cursor.fetchone() == (60, "100%")
    assert parsed == []
