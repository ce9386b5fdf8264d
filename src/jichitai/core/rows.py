"""Rows written on every submission (its history event, its audit entry, its receipt mail's task),
inserted with a statement whose text is built once per process and database, instead of by
``Model.save()``.

``save()`` compiles the same INSERT anew for every row: it walks the model's fields, builds a query
object and has the compiler turn it into SQL, several times the CPU of sending the row itself. The
values go through the same preparation as in ``save()`` (``pre_save`` with ``add=True``, so
``auto_now_add`` and the like are honoured, then ``get_db_prep_save``), and the row gets its id back
from the statement, or keeps the one it was made with when the model's id has a Python default (a
UUID). ``pre_save`` and ``post_save`` are sent as ``save()`` sends them (nothing is spent on them
when no receiver listens). Only for models that ``save()`` would write as one plain INSERT: no
parent model, no database defaults or generated columns.

Inside ``written_together()`` the rows are kept and written when the block ends: on PostgreSQL in
one statement (each INSERT a part of one ``WITH``), one round trip instead of one per row; elsewhere
one after the other, as outside. A row kept there gets its id (one the database gives) when the
block ends, so the block holds only rows whose id nothing reads before then.

``insert_following`` writes rows that need the id of another one written in the same statement
(PostgreSQL): each computes those columns in SQL from what the leading INSERT returns, and none is
written when the leading INSERT writes nothing (a unique key already taken). Such a row may be given
by its values by column instead of an instance (``RowInsert.values``): the same values, prepared
the same way, without building a model instance that nothing reads afterwards; no save signal is
sent for it, so this is for models no receiver listens to (``RowInsert.signalled``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# The rows kept by the innermost ``written_together()`` block, with their database and values.
_kept: ContextVar["list[tuple[RowInsert, models.Model, str, list[Any]]] | None"] = ContextVar(
    "jichitai_rows_kept", default=None
)
# The combined statement of each sequence of row kinds, per database.
_combined: dict[tuple[str, tuple["RowInsert", ...]], str] = {}
# The statement of each leading INSERT with its following rows (``insert_following``), per database.
_following_statements: dict[tuple, str] = {}


# Field classes whose preparation (``get_db_prep_save``) hands a value of these exact types back
# as it is on every database: a text as it is (a lazy text cast, then ``to_python``), an integer or
# a boolean as it is, an integer key as its target's integer; exactly these classes, so a subclass
# that prepares its values otherwise is not taken for one. ``None`` is written as NULL by each.
_TEXT_FIELDS = frozenset({models.CharField, models.EmailField, models.TextField})
_INTEGER_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
    }
)
# Dates and times only for NULL: a value is adapted by each database its own way.
_NULL_ONLY_FIELDS = frozenset({models.DateTimeField, models.DateField})
# Per field (by id: the entry keeps the field, so its id is not reused; a field's own hash is a
# Python call): the field, the exact types of the values it writes unchanged, and whether any
# text (an enum member among them) is written unchanged.
_unchanged_types: dict[int, tuple[models.Field, tuple[type, ...], bool]] = {}


def _unchanged(field: models.Field) -> tuple[models.Field, tuple[type, ...], bool]:
    """What ``field`` writes as it is (see above): nothing for a field that fills its own value
    (``auto_now``) or whose class prepares otherwise."""
    kind = type(field)
    if kind is models.ForeignKey:
        target = cast(models.ForeignKey, field).target_field
        kind = type(target) if type(target) in _INTEGER_FIELDS else kind
    types: tuple[type, ...] = ()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        pass
    elif kind in _TEXT_FIELDS:
        types = (str, type(None))
    elif kind in _INTEGER_FIELDS:
        types = (int, type(None))
    elif kind is models.BooleanField:
        types = (bool, type(None))
    elif kind in _NULL_ONLY_FIELDS:
        types = (type(None),)
    entry = (field, types, str in types)
    _unchanged_types[id(field)] = entry
    return entry


def prepared_values(
    fields: list[models.Field], instance: models.Model, connection: BaseDatabaseWrapper
) -> list[Any]:
    """The values ``save()`` writes for ``fields`` of the new ``instance`` (``pre_save`` with
    ``add=True``, then ``get_db_prep_save``); a value that preparation would hand back unchanged
    (``_unchanged``) is taken as it is, without the calls that would return it."""
    values = []
    for field in fields:
        value = getattr(instance, field.attname)
        # Inline, not a function: it runs for every column of every row written.
        _field, types, text = _unchanged_types.get(id(field)) or _unchanged(field)
        # A text field hands any text back (Django's own check is isinstance); the others only
        # the exact types (an integer field turns True into 1).
        if type(value) in types or (text and isinstance(value, str)):
            values.append(value)
        else:
            values.append(field.get_db_prep_save(field.pre_save(instance, True), connection))
    return values


# Fields whose ``pre_save`` reads the value the instance holds, or sets the time (``auto_now``):
# the only ones ``RowInsert.values`` writes without an instance.
_PLAIN_PRE_SAVE = frozenset(
    {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}
)


def statement_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """The cursor for a statement written once and run on every submission: on PostgreSQL one
    the server prepares once per connection (``core.postgresql``), elsewhere the usual one."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


class RowInsert:
    """The INSERT of one whole row of ``model``."""

    def __init__(self, model: type[models.Model]) -> None:
        options = model._meta
        if options.parents:
            raise ImproperlyConfigured(f"{options.label}: a child model is written in two tables.")
        self.model = model
        # An id made in Python (``default=uuid4``) is written as any other value; otherwise the
        # database gives it and the statement returns it.
        self.id_from_database = not options.pk.has_default()
        self.fields = [
            field
            for field in options.local_concrete_fields
            if field is not options.pk or not self.id_from_database
        ]
        if any(field.generated or field.has_db_default() for field in self.fields):
            raise ImproperlyConfigured(f"{options.label}: a column the database fills itself.")
        # Concrete fields always have a column (the stubs allow None for the others).
        self.columns = [cast(str, field.column) for field in self.fields]
        self.pk_column = cast(str, options.pk.column)
        self._attnames = frozenset(field.attname for field in options.concrete_fields)
        self._statements: dict[str, str] = {}

    def statement(self, connection: BaseDatabaseWrapper) -> str:
        """The statement for ``connection``'s database, built on first use."""
        statement = self._statements.get(connection.alias)
        if statement is None:
            options = self.model._meta
            quote = connection.ops.quote_name
            columns = ", ".join(quote(column) for column in self.columns)
            placeholders = ", ".join(["%s"] * len(self.fields))
            # Only names from the model are put into the statement; every value is a parameter.
            statement = f"INSERT INTO {quote(options.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
            if self.id_from_database and connection.features.can_return_columns_from_insert:
                statement += f" RETURNING {quote(self.pk_column)}"
            self._statements[connection.alias] = statement
        return statement

    def values(
        self,
        given: dict[str, Any],
        connection: BaseDatabaseWrapper,
        fields: list[models.Field] | None = None,
    ) -> list[Any]:
        """The values ``insert`` writes for ``self.model(**given)`` (``given`` keyed by column
        attribute: ``organization_id``, not ``organization``), of ``fields`` (all by default),
        built without the instance: a field not given takes its default as the instance would,
        an ``auto_now``/``auto_now_add`` one the time now, and each is prepared as ``save()``
        prepares it. No ``pre_save``/``post_save`` is sent (there is no instance to send):
        for rows whose model has no receivers (``signalled``)."""
        unknown = given.keys() - self._attnames
        if unknown:
            raise TypeError(f"{self.model._meta.label} has no field {sorted(unknown)}.")
        values = []
        for field in self.fields if fields is None else fields:
            attname = field.attname
            value = given[attname] if attname in given else field.get_default()
            _field, types, text = _unchanged_types.get(id(field)) or _unchanged(field)
            if type(value) in types or (text and isinstance(value, str)):  # as prepared_values
                values.append(value)
                continue
            pre_save = type(field).pre_save
            if pre_save not in _PLAIN_PRE_SAVE:
                raise ImproperlyConfigured(f"{field}: its value is made by saving an instance.")
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = timezone.now() if isinstance(field, models.DateTimeField) else date.today()
            values.append(field.get_db_prep_save(value, connection))
        return values

    def signalled(self) -> bool:
        """Whether a receiver listens to this model's ``pre_save`` or ``post_save``: its rows
        are then written from instances (``insert``), which send them."""
        return pre_save.has_listeners(self.model) or post_save.has_listeners(self.model)

    def insert(self, instance: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
        """Inserts the unsaved ``instance`` and sets its id, as ``save()`` would."""
        values = self._prepared(instance, using, self.fields)
        kept = _kept.get()
        if kept is not None:
            kept.append((self, instance, using, values))
        else:
            self._write_one(instance, using, values)
        return instance

    def _prepared(self, instance: M, using: str, fields: list[models.Field]) -> list[Any]:
        """Checks the new ``instance`` and sends ``pre_save`` as ``save()`` does; the values of
        ``fields`` to write."""
        if not isinstance(instance, self.model) or not instance._state.adding:
            raise ValueError(f"insert takes a new {self.model._meta.label}.")
        # As save(): refuses a related object that has no id yet, and takes the id of one saved
        # since it was assigned (a private method Django's stubs leave undeclared).
        instance._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
        pre_save.send(
            sender=self.model, instance=instance, raw=False, using=using, update_fields=None
        )
        return prepared_values(fields, instance, connections[using])

    def _write_one(self, instance: models.Model, using: str, values: list[Any]) -> None:
        connection = connections[using]
        with statement_cursor(connection) as cursor:
            cursor.execute(self.statement(connection), values)
            if self.id_from_database:
                if connection.features.can_return_columns_from_insert:
                    (instance.pk,) = cursor.fetchone()
                else:
                    instance.pk = connection.ops.last_insert_id(
                        cursor, self.model._meta.db_table, self.pk_column
                    )
        self._inserted(instance, using)

    def _inserted(self, instance: models.Model, using: str) -> None:
        instance._state.adding = False
        instance._state.db = using
        post_save.send(
            sender=self.model,
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )


@contextmanager
def written_together() -> Iterator[None]:
    """Keeps the rows ``RowInsert.insert`` is given inside the block and writes them when it ends
    without an exception, in the order they were given (see the module's docstring). Nothing is
    written when the block raises; a block inside another one adds its rows to the outer one's."""
    if _kept.get() is not None:
        yield
        return
    kept: list[tuple[RowInsert, models.Model, str, list[Any]]] = []
    token = _kept.set(kept)
    try:
        yield
    finally:
        _kept.reset(token)
    for using in dict.fromkeys(using for _rows, _instance, using, _values in kept):
        _write([row for row in kept if row[2] == using], using)


def _write(kept: list[tuple[RowInsert, models.Model, str, list[Any]]], using: str) -> None:
    connection = connections[using]
    if len(kept) == 1 or connection.vendor != "postgresql":
        # The other databases take no INSERT inside WITH.
        for rows, instance, _using, values in kept:
            rows._write_one(instance, using, values)
        return
    kinds = tuple(rows for rows, _instance, _using, _values in kept)
    statement = _combined.get((using, kinds))
    if statement is None:
        parts = ", ".join(
            f"row{n} AS ({rows.statement(connection)})" for n, rows in enumerate(kinds)
        )
        # Every INSERT in a WITH runs whether or not the query reads it; this one reads the ids
        # the database gave.
        ids = ", ".join(
            f"(SELECT {connection.ops.quote_name(rows.pk_column)} FROM row{n})"  # noqa: S608
            for n, rows in enumerate(kinds)
            if rows.id_from_database
        )
        # Only names from the models are put into the statement; every value is a parameter.
        statement = f"WITH {parts} SELECT {ids or 'NULL'}"
        _combined[(using, kinds)] = statement
    with statement_cursor(connection) as cursor:
        cursor.execute(
            statement, [value for _rows, _instance, _using, values in kept for value in values]
        )
        ids_given = iter(cursor.fetchone())
    for rows, instance, _using, _values in kept:
        if rows.id_from_database:
            instance.pk = next(ids_given)
        rows._inserted(instance, using)


@dataclass(frozen=True)
class Following:
    """A new row of ``rows``' model written by the statement of a leading INSERT, and only when
    that INSERT writes its row (``insert_following``). ``computed`` maps columns to the SQL
    expression, over the columns the leading INSERT returns, that gives their value (e.g.
    ``"id::text"``); every other column is written from ``instance`` as ``RowInsert.insert``
    writes it, or, without an instance, from ``values`` as ``RowInsert.values`` writes them (the
    row is then only written: it gets no id back and sends no signal)."""

    rows: RowInsert
    instance: models.Model | None = None
    computed: dict[str, str] = dataclass_field(default_factory=dict)
    values: dict[str, Any] | None = None


def _parameter(field: models.Field, connection: BaseDatabaseWrapper) -> str:
    """The placeholder of ``field``'s value in a SELECT list, where PostgreSQL takes a value of
    unknown type (a text, a NULL) for a text: cast to the column's type without its modifier, so
    the column applies its length or scale as it does to a value in VALUES (a too-long text is an
    error, not cut)."""
    cast_type = field.cast_db_type(connection) or ""
    return f"%s::{cast_type.split('(')[0]}" if cast_type else "%s"


def _following_statement(
    connection: BaseDatabaseWrapper,
    leading: tuple[tuple[str, str], ...],
    following: list[Following],
) -> str:
    key = (
        connection.alias,
        leading,
        tuple((f.rows, tuple(f.computed.items()), f.instance is None) for f in following),
    )
    statement = _following_statements.get(key)
    if statement is not None:
        return statement
    quote = connection.ops.quote_name
    lead = leading[-1][0]
    parts = [f"{name} AS ({part})" for name, part in leading]
    read = [f"{lead}.*"]
    for n, row in enumerate(following):
        rows = row.rows
        selected = [
            row.computed[column] if column in row.computed else _parameter(field, connection)
            for field, column in zip(rows.fields, rows.columns, strict=True)
        ]
        # A row written from its values is only written: nothing it would return is read.
        returned = []
        if row.instance is not None:
            returned = [rows.pk_column] if rows.id_from_database else []
            returned += [column for column in rows.columns if column in row.computed]
        # Only names from the models and the callers' fixed expressions are put into the
        # statement; every value is a parameter.
        part = (
            f"INSERT INTO {quote(rows.model._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(column) for column in rows.columns)}) "
            f"SELECT {', '.join(selected)} FROM {lead}"
        )
        if returned:  # as many as _returned_count(row)
            part += f" RETURNING {', '.join(quote(column) for column in returned)}"
            read.append(f"following{n}.*")
        parts.append(f"following{n} AS ({part})")
    # Every INSERT in a WITH runs whether or not the query reads it; the leading row is read with
    # what the others return, and no row comes back when the leading INSERT wrote none.
    sources = ", ".join(
        [lead, *(f"following{n}" for n, row in enumerate(following) if _returned_count(row))]
    )
    statement = f"WITH {', '.join(parts)} SELECT {', '.join(read)} FROM {sources}"  # noqa: S608
    _following_statements[key] = statement
    return statement


def insert_following(
    *,
    leading: tuple[tuple[str, str], ...],
    values: list[Any],
    following: list[Following],
    using: str = DEFAULT_DB_ALIAS,
) -> tuple | None:
    """Writes, in one statement on PostgreSQL, the row of a leading INSERT and the rows of
    ``following``, these only when the leading one is written.

    ``leading`` are the parts of the statement's WITH as ``(name, statement)``, the last one an
    INSERT … RETURNING writing at most one row (e.g. ``ON CONFLICT DO NOTHING``); ``values`` their
    parameters. Returns the columns that INSERT returns, after giving each following row its id
    and its computed columns (from the database) and sending ``post_save``; None, with nothing
    written, when the leading INSERT writes no row."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("Only PostgreSQL takes an INSERT inside WITH.")
    parameters = list(values)
    for row in following:
        fields = [
            field
            for field, column in zip(row.rows.fields, row.rows.columns, strict=True)
            if column not in row.computed
        ]
        if row.instance is None:
            parameters += row.rows.values(row.values or {}, connection, fields)
        else:
            parameters += row.rows._prepared(row.instance, using, fields)
    statement = _following_statement(connection, leading, following)
    with statement_cursor(connection) as cursor:
        cursor.execute(statement, parameters)
        written = cursor.fetchone()
    if written is None:
        return None
    leading_count = len(written) - sum(_returned_count(row) for row in following)
    given = iter(written[leading_count:])
    for row in following:
        instance = row.instance
        if instance is None:
            continue  # only written: it returns nothing
        rows = row.rows
        if rows.id_from_database:
            instance.pk = next(given)
        for field, column in zip(rows.fields, rows.columns, strict=True):
            if column in row.computed:
                value = next(given)
                if hasattr(field, "from_db_value"):
                    value = field.from_db_value(value, None, connection)
                setattr(instance, field.attname, value)
        rows._inserted(instance, using)
    return tuple(written[:leading_count])


def _returned_count(row: Following) -> int:
    if row.instance is None:
        return 0
    return int(row.rows.id_from_database) + len(row.computed)
