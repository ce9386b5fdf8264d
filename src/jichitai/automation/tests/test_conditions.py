"""Conditions: ``item.skip_if`` leaves out the items a value rules out — shown in the plan, not
written in production, not queued as errors, and not counted in the ledger."""

import pytest
from django.core import mail

from jichitai.automation import samples, services
from jichitai.automation.models import LedgerLine, Run, RunItem
from jichitai.automation.tests.conftest import approve_now

pytestmark = pytest.mark.django_db

SOURCE = """
name: notice-unless-moved
title: 転居以外の届出に通知する
manual_minutes_before: 5
manual_minutes_after: 1
inputs:
  - name: procedure
    label: 手続
    kind: procedure
prepare:
  - step: applications.approved
    with: {procedure: "{{ inputs.procedure }}"}
    save: applications
items: applications
key: "{{ item.receipt_number }}"
each:
  - step: item.skip_if
    with: {value: "{{ item.data.reason }}", in: [転居], reason: 転居は窓口で案内する}
  - step: email.send
    with: {to: "{{ item.email }}", subject: 送付先の変更, body: 受け付けました。}
"""


def test_a_condition_skips_items_in_the_plan_and_in_production(tsu, run_now):
    procedure = samples.vehicle_tax_procedure(tsu, approved=3, received=0)
    scenario = services.create_scenario(actor=None, organization=tsu, source=SOURCE)
    values = {"procedure": str(procedure.pk)}
    plan = run_now(scenario, Run.Mode.PLAN, values=values)
    statuses = list(plan.items.order_by("position").values_list("status", flat=True))
    assert statuses == [RunItem.Status.SKIPPED, RunItem.Status.PLANNED, RunItem.Status.SKIPPED]
    skipped = plan.items.filter(status=RunItem.Status.SKIPPED).first()
    assert "転居は窓口で案内する" in skipped.message
    assert mail.outbox == []

    approve_now(scenario, run_now, values=values)
    run = run_now(scenario, Run.Mode.APPLY, values=values)
    assert run.status == Run.Status.FINISHED, run.message
    assert len(mail.outbox) == 1
    assert not run.items.filter(status=RunItem.Status.FAILED).exists()
    assert LedgerLine.objects.get(run=run).items == 1
