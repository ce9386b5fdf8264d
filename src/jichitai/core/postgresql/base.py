"""Django's PostgreSQL backend, with a connection health check that sends nothing and a cursor
whose statements the server prepares once per connection.

Django checks a kept connection before the first query of each request with ``SELECT 1``: a round
trip on every request. Here the check asks the socket instead: an idle connection the server has
closed or is closing (a restart, an idle timeout, a killed backend) has something to read (the
server's farewell message, or the end of the stream), while a healthy idle connection has nothing.
A connection that fails in between still fails its query, as it would after a ``SELECT 1``.

Django sends every statement with its values written into the text (client-side binding), so the
server parses and plans it anew each time. ``prepared_cursor()`` gives a cursor that sends the
values apart from the statement (server-side binding) and has the server prepare each statement on
its first use on the connection: what a submission writes every time (its application, history
event, audit entry and mail task) is then only bound and executed. Every other statement keeps
Django's cursor (a client-side cursor is never prepared). ``"prepare_threshold": None`` in the
database's ``OPTIONS`` turns the preparing off (a connection pooler that cannot keep prepared
statements, docs/production.md); the statements are then bound by the server without being kept.
"""

import itertools
import re
import select
from functools import lru_cache
from typing import Any, cast

import psycopg
from django.db.backends.postgresql import base, operations
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from psycopg.abc import Params, Query, QueryNoTemplate
from psycopg.pq import Format

_PLACEHOLDER = re.compile(r"%[s%]")


@lru_cache(maxsize=256)
def _numbered(statement: str) -> str:
    """``statement`` with its ``%s`` written as the server takes them, ``$1``, ``$2`` … (and
    ``%%`` as ``%``)."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(
        lambda found: "%" if found.group() == "%%" else f"${next(numbers)}", statement
    )


class PreparedStatementCursor(psycopg.RawCursor):
    """The cursor of ``prepared_cursor()``: its statements' ``%s`` are numbered once per process
    (their texts are fixed) instead of on every execute, as psycopg does for a statement longer
    than 4 KiB or with more than 50 values, such as a submission's rows written together."""

    def execute(
        self,
        query: Query,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> "PreparedStatementCursor":
        if isinstance(query, str):
            query = _numbered(query)
        # The statements written once for prepared_cursor() are texts, never templates.
        super().execute(cast(QueryNoTemplate, query), params, prepare=prepare, binary=binary)
        return self


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:
        # A prepared statement's cursor keeps no text with the values in it: composed here, as
        # Django does when every cursor binds on the server (the statement alone when its values
        # cannot be written into it).
        if isinstance(cursor, psycopg.Cursor) and not isinstance(cursor, psycopg.ClientCursor):
            try:
                return str(self.compose_sql(sql, params))
            except psycopg.errors.DataError:
                return sql
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        # Django turns psycopg's preparing off unless OPTIONS names it; only the cursors of
        # ``prepared_cursor()`` prepare anything, so they prepare a statement on its first use.
        if "prepare_threshold" not in self.settings_dict["OPTIONS"]:
            params["prepare_threshold"] = 0
        return params

    def prepared_cursor(self) -> CursorWrapper:
        """A cursor, as ``cursor()`` gives, whose statements are bound and prepared by the server
        (see the module's docstring): for a statement run on every request with ``%s`` for each
        value and the same types each time."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            connection = self.connection
            # Any: django-stubs type make_cursor()'s argument as the wrapper it returns.
            cursor: Any = PreparedStatementCursor(connection)
            # As Django's create_cursor(): the cursor reads timestamps in the connection's zone.
            loader = connection.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != loader.timezone:
                register_tzloader(self.timezone, cursor)
        # As Django's _prepare_cursor(): logged like every other cursor when queries are.
        self.validate_thread_sharing()
        if self.queries_logged:
            return self.make_debug_cursor(cursor)
        return self.make_cursor(cursor)

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
