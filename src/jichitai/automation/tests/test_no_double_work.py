"""No double work: an item a person entered by hand is never entered again by a later run, and an
item stopped by a 業務エラー waits in the work queue (it is not retried by every scheduled run)
until a person releases it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from jichitai.automation import samples, services
from jichitai.automation.models import LedgerLine, Run, RunItem
from jichitai.automation.services import scheduling
from jichitai.automation.tests.conftest import approve_now
from jichitai.procedures.models import Application
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db

SOURCE = """
name: notice-by-reason
title: 変更理由を確認して通知する
manual_minutes_before: 6
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
label: "{{ item.receipt_number }} {{ item.name }}"
each:
  - step: check.equals
    with: {actual: "{{ item.data.reason }}", expected: "EXPECTED", what: 変更理由}
  - step: email.send
    with: {to: "{{ item.email }}", subject: 送付先の変更, body: 受け付けました。}
"""


def _scenario(tsu, run_now, procedure, *, expected):
    scenario = services.create_scenario(
        actor=None, organization=tsu, source=SOURCE.replace("EXPECTED", expected)
    )
    return approve_now(scenario, run_now, values={"procedure": str(procedure.pk)})


def test_an_item_resolved_by_hand_is_not_entered_again_by_the_next_run(tsu, run_now, make_member):
    procedure = samples.vehicle_tax_procedure(tsu, approved=3, received=0)
    scenario = _scenario(tsu, run_now, procedure, expected="転居")
    values = {"procedure": str(procedure.pk)}
    first = run_now(scenario, Run.Mode.APPLY, values=values)
    failed = first.items.get(status=RunItem.Status.FAILED)
    assert failed.failure_kind == RunItem.FailureKind.BUSINESS
    assert len(mail.outbox) == 2
    # The ledger: 2 items × 6 manual minutes before; 1 minute each after plus the measured time.
    line = LedgerLine.objects.get(run=first)
    measured = (
        Decimal(
            sum(
                first.items.filter(status=RunItem.Status.DONE).values_list("duration_ms", flat=True)
            )
        )
        / 60000
    )
    assert line.items == 2 and line.minutes_before == 12
    assert line.minutes_after == 2 + measured.quantize(Decimal("0.1"))
    assert "自動処理の実測" in line.note

    clerk = make_member(tsu, Role.CLERK, username="resolving-clerk")
    services.resolve_item(actor=clerk, item=failed, resolution="申請者に電話で確認し、手で通知した")
    # The application is corrected afterwards: the check would now pass.
    application = Application.objects.get(receipt_number=failed.key)
    application.data = {**application.data, "reason": "転居"}
    application.save(update_fields=["data"])

    second = run_now(scenario, Run.Mode.APPLY, values=values)
    again = second.items.get(key=failed.key)
    assert again.status == RunItem.Status.SKIPPED
    assert "手作業" in again.message
    assert len(mail.outbox) == 2  # nobody is notified twice


def test_scheduled_runs_do_not_requeue_business_errors_until_released(
    tsu, tsu_manager, make_member, run_now, django_capture_on_commit_callbacks
):
    procedure = samples.vehicle_tax_procedure(tsu, approved=3, received=0)
    scenario = _scenario(tsu, run_now, procedure, expected="住居表示の変更")
    schedule = scheduling.request_schedule(
        actor=tsu_manager,
        scenario=scenario,
        cron="0 6 * * *",
        values={"procedure": str(procedure.pk)},
    )
    other = make_member(tsu, Role.MANAGER, username="enabling-manager")
    scheduling.enable_schedule(actor=other, membership=other.memberships.get(), schedule=schedule)
    schedule.refresh_from_db()
    start = timezone.localtime(schedule.enabled_at).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    for day in range(1, 5):
        with django_capture_on_commit_callbacks(execute=True):
            assert len(scheduling.start_due_schedules(now=start + timedelta(days=day))) == 1
    from jichitai.automation import selectors

    queue = list(selectors.work_queue(tsu))
    assert len(queue) == 2  # one entry per application, not one per run
    later_runs = Run.objects.filter(version__scenario=scenario, mode=Run.Mode.APPLY)
    assert later_runs.count() == 4
    skipped = RunItem.objects.filter(run__in=later_runs, status=RunItem.Status.SKIPPED)
    assert skipped.filter(message__contains="対応待ち").count() == 6  # 2 items × 3 later runs
    assert len(mail.outbox) == 1

    # A person corrects one application and releases its item: the next run processes it again.
    released = queue[0]
    application = Application.objects.get(receipt_number=released.key)
    application.data = {**application.data, "reason": "住居表示の変更"}
    application.save(update_fields=["data"])
    services.resolve_item(
        actor=tsu_manager, item=released, resolution="申請内容を訂正した", release=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.start_due_schedules(now=start + timedelta(days=5))
    last = later_runs.order_by("-pk").first()
    assert last.items.get(key=released.key).status == RunItem.Status.DONE
    assert len(mail.outbox) == 2
    assert len(list(selectors.work_queue(tsu))) == 1
