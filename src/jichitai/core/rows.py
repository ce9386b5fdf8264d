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
"""

from typing import TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)


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

    def insert(self, instance: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
        """Inserts the unsaved ``instance`` and sets its id, as ``save()`` would."""
        if not isinstance(instance, self.model) or not instance._state.adding:
            raise ValueError(f"insert takes a new {self.model._meta.label}.")
        # As save(): refuses a related object that has no id yet, and takes the id of one saved
        # since it was assigned (a private method Django's stubs leave undeclared).
        instance._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
        pre_save.send(
            sender=self.model, instance=instance, raw=False, using=using, update_fields=None
        )
        connection = connections[using]
        statement = self.statement(connection)
        values = [
            field.get_db_prep_save(field.pre_save(instance, True), connection)
            for field in self.fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(statement, values)
            if self.id_from_database:
                if connection.features.can_return_columns_from_insert:
                    (instance.pk,) = cursor.fetchone()
                else:
                    instance.pk = connection.ops.last_insert_id(
                        cursor, self.model._meta.db_table, self.pk_column
                    )
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
        return instance
