"""Rows inserted with a statement built once write what ``save()`` writes."""

import pytest
from django.db import connection, models
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.rows import Following, RowInsert, insert_following, written_together
from jichitai.tenancy.models import Organization
from jichitai.tenancy.tests.factories import UserFactory


def entry(organization, actor, **changes) -> AuditEvent:
    return AuditEvent(
        action="tests.inserted",
        actor=actor,
        actor_name=str(actor),
        organization=organization,
        target_type="tests.Thing",
        target_id="7",
        target_repr="もの",
        summary="概要",
        changes={"名前": ["前", "後"], **changes},
        ip_address="192.0.2.1",
        request_id="a" * 32,
        channel="api",
    )


@pytest.mark.django_db
def test_the_row_is_the_one_save_writes(tsu):
    actor = UserFactory()
    saved = entry(tsu, actor)
    saved.save()
    inserted = RowInsert(AuditEvent).insert(entry(tsu, actor))
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    # auto_now_add is honoured, as by save()
    assert inserted.at is not None
    stored = AuditEvent.objects.get(pk=inserted.pk)
    assert stored.at == inserted.at
    expected = model_to_dict(AuditEvent.objects.get(pk=saved.pk), exclude=["id", "at"])
    assert model_to_dict(stored, exclude=["id", "at"]) == expected


@pytest.mark.django_db
def test_the_statement_is_built_once():
    rows = RowInsert(AuditEvent)
    first = rows.statement(connection)
    assert rows.statement(connection) is first
    assert first.startswith('INSERT INTO "audit_auditevent"')


@pytest.mark.django_db
def test_an_unsaved_related_object_is_refused_as_save_refuses_it(tsu):
    unsaved = Organization(code="999999", name="未保存", name_kana="みほぞん")
    with pytest.raises(ValueError, match="unsaved related object 'organization'"):
        RowInsert(AuditEvent).insert(entry(unsaved, None))
    assert not AuditEvent.objects.filter(action="tests.inserted").exists()


@pytest.mark.django_db
def test_a_saved_row_is_not_inserted_again(tsu):
    saved = entry(tsu, None)
    saved.save()
    with pytest.raises(ValueError, match="new"):
        RowInsert(AuditEvent).insert(saved)


@pytest.mark.django_db
def test_save_signals_are_sent_as_save_sends_them(tsu):
    """A pre_save receiver's change is written; post_save tells receivers the row was created."""
    sent = []

    def before(sender, instance, **kwargs):
        instance.summary = "受信側で変更"
        sent.append(("pre_save", kwargs["raw"], kwargs["update_fields"]))

    def after(sender, instance, created, **kwargs):
        sent.append(("post_save", created, instance.pk is not None))

    pre_save.connect(before, sender=AuditEvent, weak=False)
    post_save.connect(after, sender=AuditEvent, weak=False)
    try:
        inserted = RowInsert(AuditEvent).insert(entry(tsu, None))
    finally:
        pre_save.disconnect(before, sender=AuditEvent)
        post_save.disconnect(after, sender=AuditEvent)
    assert sent == [("pre_save", False, None), ("post_save", True, True)]
    assert AuditEvent.objects.get(pk=inserted.pk).summary == "受信側で変更"


@pytest.mark.django_db
def test_an_id_made_in_python_is_written_as_given():
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="jichitai.jobs.tasks.run_job",
        run_after=timezone.now(),
        backend_name="default",
    )
    made = row.pk
    RowInsert(DBTaskResult).insert(row)
    assert row.pk == made
    assert DBTaskResult.objects.get(pk=made).task_path == "jichitai.jobs.tasks.run_job"
    assert "RETURNING" not in RowInsert(DBTaskResult).statement(connection)


@pytest.mark.django_db
def test_rows_written_together_are_written_when_the_block_ends(tsu):
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="jichitai.jobs.tasks.run_job",
        run_after=timezone.now(),
        backend_name="default",
    )
    written = []

    def after(sender, instance, created: bool, **kwargs):
        stored = AuditEvent.objects.filter(pk=instance.pk).exists()
        written.append((created, instance.pk is not None, stored))

    post_save.connect(after, sender=AuditEvent, weak=False)
    try:
        with CaptureQueriesContext(connection) as queries, written_together():
            first = RowInsert(AuditEvent).insert(entry(tsu, None, 順番=["1", "1"]))
            RowInsert(DBTaskResult).insert(task)
            second = RowInsert(AuditEvent).insert(entry(tsu, None, 順番=["2", "2"]))
            # Kept, not yet written: no id from the database, no post_save.
            assert first.pk is None and second.pk is None and written == []
            assert len(queries) == 0
    finally:
        post_save.disconnect(after, sender=AuditEvent)
    # One statement on PostgreSQL; the other databases take the rows one by one (the receiver's
    # own reads aside).
    writes = [query for query in queries if not query["sql"].startswith("SELECT")]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3)
    assert first.pk is not None and second.pk > first.pk
    assert not first._state.adding and first._state.db == "default"
    assert written == [(True, True, True), (True, True, True)]
    assert AuditEvent.objects.get(pk=first.pk).changes["順番"] == ["1", "1"]
    assert AuditEvent.objects.get(pk=second.pk).changes["順番"] == ["2", "2"]
    assert DBTaskResult.objects.get(pk=task.pk).task_path == "jichitai.jobs.tasks.run_job"


@pytest.mark.django_db
def test_rows_of_a_block_that_raises_are_not_written(tsu):
    with pytest.raises(RuntimeError), written_together():
        RowInsert(AuditEvent).insert(entry(tsu, None))
        raise RuntimeError("refused")
    assert not AuditEvent.objects.filter(action="tests.inserted").exists()
    # The next insert outside a block is written at once again.
    assert RowInsert(AuditEvent).insert(entry(tsu, None)).pk is not None


@pytest.mark.django_db
def test_a_block_inside_another_adds_its_rows_to_the_outer_one(tsu):
    with written_together():
        with written_together():
            inner = RowInsert(AuditEvent).insert(entry(tsu, None))
        assert inner.pk is None
        outer = RowInsert(AuditEvent).insert(entry(tsu, None))
    assert AuditEvent.objects.filter(pk__in=[inner.pk, outer.pk]).count() == 2


@pytest.mark.django_db
def test_prepared_values_are_those_save_prepares(tsu):
    """Texts (an enum member among them) are taken as they are; a lazy text and every other
    field go through the field's own preparation, and the values are the same either way."""
    from django.utils.translation import gettext_lazy

    from jichitai.core.rows import prepared_values
    from jichitai.procedures.models import Application

    made = entry(tsu, None)
    made.summary = gettext_lazy("受付終了")
    made.channel = Application.Channel.API
    fields = [field for field in AuditEvent._meta.local_concrete_fields if field.name != "at"]
    expected = [field.get_db_prep_save(field.pre_save(made, True), connection) for field in fields]
    values = prepared_values(fields, made, connection)

    def comparable(value):
        return getattr(value, "obj", value)  # PostgreSQL's JSON wrapper compares by identity

    assert list(map(comparable, values)) == list(map(comparable, expected))
    assert [type(value) for value in values] == [type(value) for value in expected]
    assert type(values[[field.name for field in fields].index("summary")]) is str


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="an INSERT inside WITH")
@pytest.mark.parametrize("leading_writes", [True, False], ids=["written", "nothing written"])
def test_following_rows_are_written_exactly_when_the_leading_one_is(tsu, leading_writes):
    """Each following row takes its computed columns from the leading row, its other values
    (a NULL actor, an address, a JSON object among them) as ``insert`` writes them."""
    leading = (("lead", "SELECT %s::bigint AS id, %s::text AS label WHERE %s"),)
    following = entry(tsu, None)
    computed = {"target_id": "lead.id::text", "target_repr": "lead.label"}
    with CaptureQueriesContext(connection) as queries:
        row = insert_following(
            leading=leading,
            values=[41, "受付 41", leading_writes],
            following=[Following(RowInsert(AuditEvent), following, computed)],
        )
    assert len(queries) == 1
    if not leading_writes:
        assert row is None and following.pk is None
        assert not AuditEvent.objects.filter(action="tests.inserted").exists()
        return
    assert row == (41, "受付 41")
    assert (following.target_id, following.target_repr) == ("41", "受付 41")
    stored = AuditEvent.objects.get(pk=following.pk)
    assert model_to_dict(stored) == model_to_dict(following)
    assert stored.actor is None and stored.changes == {"名前": ["前", "後"]}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="an INSERT inside WITH")
@pytest.mark.parametrize("leading_writes", [True, False], ids=["written", "nothing written"])
def test_a_following_row_given_by_its_values_is_only_written(tsu, leading_writes):
    """A row given by its values returns nothing (nothing would read it), and is still written
    exactly when the leading one is."""
    leading = (("lead", "SELECT %s::bigint AS id, %s::text AS label WHERE %s"),)
    given = {
        name: getattr(entry(tsu, None), name)
        for name in ("action", "target_type", "summary", "request_id", "channel")
    }
    computed = {"target_id": "lead.id::text", "target_repr": "lead.label"}
    with CaptureQueriesContext(connection) as queries:
        row = insert_following(
            leading=leading,
            values=[42, "受付 42", leading_writes],
            following=[Following(RowInsert(AuditEvent), computed=computed, values=given)],
        )
    (statement,) = [query["sql"] for query in queries]
    assert statement.count("RETURNING") == 0
    stored = AuditEvent.objects.filter(action="tests.inserted")
    if not leading_writes:
        assert row is None and not stored.exists()
        return
    assert row == (42, "受付 42")
    assert stored.values_list("target_id", "target_repr").get() == ("42", "受付 42")


def _comparable(value):
    return getattr(value, "obj", value)  # PostgreSQL's JSON wrapper compares by identity


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["audit entry", "application event"])
def test_values_without_an_instance_are_those_the_instance_writes(tsu, kind):
    """The row built from values by column is the one the model's instance writes: the given
    values prepared alike, every other field its default, ``auto_now_add`` the time now; so a
    field added to the model cannot be written otherwise by the one than by the other."""
    from jichitai.core.rows import prepared_values
    from jichitai.procedures.models import ApplicationEvent

    model: type[models.Model] = AuditEvent if kind == "audit entry" else ApplicationEvent
    if model is AuditEvent:
        given = {
            **{name: getattr(entry(tsu, None), name) for name in ("action", "target_type")},
            "organization_id": tsu.pk,
            "changes": {"名前": ["前", "後"]},
            "ip_address": "192.0.2.1",
            "kind": AuditEvent.Kind.READ,
        }
    else:
        given = {"kind": "submitted", "to_status": "received", "actor_id": None}
    rows = RowInsert(model)
    values = rows.values(given, connection)
    expected = prepared_values(rows.fields, model(**given), connection)
    for field, value, written in zip(rows.fields, values, expected, strict=True):
        if isinstance(field, models.DateTimeField) and written is not None:
            # The time now, taken a moment apart; as each database takes a time.
            assert value is not None and type(value) is type(written), field.name
        else:
            assert (_comparable(value), type(value)) == (_comparable(written), type(written))


def test_values_refuse_a_column_the_model_does_not_have():
    with pytest.raises(TypeError, match="no field"):
        RowInsert(AuditEvent).values({"organization": None}, connection)


def test_rows_are_built_from_instances_while_a_save_signal_has_a_receiver():
    rows = RowInsert(AuditEvent)
    assert not rows.signalled()

    def receiver(sender, instance, **kwargs):
        pass

    post_save.connect(receiver, sender=AuditEvent)
    try:
        assert rows.signalled()
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)
