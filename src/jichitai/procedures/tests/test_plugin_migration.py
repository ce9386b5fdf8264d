"""Migration 0006 turns the settings procedures had into the plug-ins they name, so nothing changes
for them: a procedure that needed a signature uses the CMS check, one with a fee offers the online
gateway (whenever it is configured), the others name nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jichitai.procedures.models import Procedure
from jichitai.procedures.tests.factories import published_procedure

BEFORE = [("procedures", "0005_idempotency_key_per_procedure")]


def latest():
    """Every app's last migration: later migrations add columns the models read."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_procedures_keep_their_signature_and_their_online_payment(tsu):
    signed = published_procedure(tsu, name="署名が必要")
    paid = published_procedure(tsu, name="手数料あり")
    plain = published_procedure(tsu, name="どちらもなし")
    old_apps = migrate(BEFORE)
    try:
        OldProcedure = old_apps.get_model("procedures", "Procedure")
        OldProcedure.objects.filter(pk=signed.pk).update(needs_signature=True)
        OldProcedure.objects.filter(pk=paid.pk).update(fee_kind="after_review")
    finally:
        migrate(latest())
    stored = {p.pk: (p.signature_check, p.payment_method) for p in Procedure.objects.all()}
    assert stored == {signed.pk: ("cms", ""), paid.pk: ("", "gateway"), plain.pk: ("", "")}
