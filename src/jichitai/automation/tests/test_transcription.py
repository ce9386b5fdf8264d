"""転記 in real Chromium: approved applications entered into the legacy system through its login,
form and 確認 page; a 503 retried with backoff; a changed page stopping items with the selector
named; a crash mid-run resumed without applying anything twice; secrets redacted."""

import pytest
from django.test import override_settings

from jichitai.audit.models import AuditEvent
from jichitai.automation import samples, services
from jichitai.automation.models import AppliedItem, LedgerLine, Run, RunItem
from jichitai.automation.runner import execute
from jichitai.automation.steps import Step, steps
from jichitai.automation.vault import MASK
from legacy_system import LegacyServer

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

PASSWORD = "s3cret/パス&word"


@pytest.fixture
def legacy():
    server = LegacyServer(password=PASSWORD).start()
    with override_settings(JICHITAI_AUTOMATION_TARGETS={"legacy": server.url}):
        yield server
    server.stop()


@pytest.fixture
def transcription(tsu, shipped, approved, legacy):
    procedure = samples.vehicle_tax_procedure(tsu, approved=3, received=1)
    services.set_secret(actor=None, organization=tsu, name="legacy_password", value=PASSWORD)
    scenario = approved(shipped("vehicle-tax-address"), values={"procedure": str(procedure.pk)})
    return scenario, procedure


def _apply(scenario, procedure, **kwargs):
    run = services.start_run(
        actor=None,
        scenario=scenario,
        mode=Run.Mode.APPLY,
        values={"procedure": str(procedure.pk)},
        background=False,
    )
    return run, execute(run.pk, **kwargs)


def test_plan_lists_the_form_submissions_without_touching_the_system(tsu, shipped, run_now, legacy):
    procedure = samples.vehicle_tax_procedure(tsu, approved=2, received=1)
    scenario = shipped("vehicle-tax-address")
    plan = run_now(scenario, Run.Mode.PLAN, values={"procedure": str(procedure.pk)})
    assert plan.status == Run.Status.FINISHED, plan.message
    assert plan.items.count() == 2  # only approved applications
    item = plan.items.first()
    assert any(line.startswith("入力: #name ← 三重 花子") for line in item.planned)
    assert "送信(書き込み): #register" in item.planned
    assert any("#password ← [秘密情報]" in line for line in plan.planned)
    assert legacy.records == []


def test_approved_applications_are_entered_once_in_real_chromium(transcription, legacy):
    scenario, procedure = transcription
    _run, run = _apply(scenario, procedure)
    assert run.status == Run.Status.FINISHED, (run.message, list(run.items.values("message")))
    assert [r["name"] for r in legacy.records] == ["三重 花子", "津 一郎", "伊勢 美咲"]
    assert legacy.records[0]["address"] == "三重県津市広明町1番地"
    assert legacy.records[1]["reason"] == "住居表示の変更"
    item = run.items.first()
    assert item.result["values"]["record_no"] == "L000001"
    assert item.status == RunItem.Status.DONE and item.attempts == 1
    assert LedgerLine.objects.get(run=run).items == 3
    assert all(
        data == {} for data in run.items.values_list("data", flat=True)
    )  # personal data dropped
    # A second production run finds every item applied and writes nothing.
    _run, again = _apply(scenario, procedure)
    assert set(again.items.values_list("status", flat=True)) == {RunItem.Status.SKIPPED}
    assert len(legacy.records) == 3
    assert not LedgerLine.objects.filter(run=again).exists()
    # The password was typed into the page but appears nowhere in what was kept.
    for text in [
        run.log,
        *run.items.values_list("log", flat=True),
        *AuditEvent.objects.values_list("summary", flat=True),
    ]:
        assert PASSWORD not in text


def test_a_503_from_the_target_is_retried_with_backoff(transcription, legacy):
    scenario, procedure = transcription
    legacy.state.fail_paths = {"POST /records": 1, "GET /records/new": 1, "POST /login": 1}
    _run, run = _apply(scenario, procedure)
    assert run.status == Run.Status.FINISHED, list(run.items.values("message", "log"))
    assert len(legacy.records) == 3  # the refused submission was sent again, once
    first, second = run.items.order_by("position")[:2]
    assert first.attempts == 3 and "HTTP 503" in first.log
    assert second.attempts == 1
    assert "setup 試行 1 回目" in run.log and "503" in run.log


def test_a_target_that_stays_down_is_a_system_error_with_a_screenshot(transcription, legacy):
    scenario, procedure = transcription
    legacy.state.fail_paths = {"GET /records/new": 99}
    _run, run = _apply(scenario, procedure)
    item = run.items.first()
    assert item.status == RunItem.Status.FAILED and item.failure_kind == RunItem.FailureKind.SYSTEM
    assert item.attempts == 3 and "HTTP 503" in item.message
    assert item.screenshot and item.screenshot.read(8) == b"\x89PNG\r\n\x1a\n"
    assert legacy.records == []


def test_a_changed_page_stops_each_item_naming_the_selector(transcription, legacy):
    scenario, procedure = transcription
    legacy.state.layout = "v2"
    _run, run = _apply(scenario, procedure)
    assert run.status == Run.Status.FINISHED_WITH_ERRORS
    for item in run.items.all():
        assert item.failure_kind == RunItem.FailureKind.BUSINESS and item.attempts == 1
        assert "「#name」が見つかりません" in item.message
    assert legacy.records == []
    assert not AppliedItem.objects.exists()  # nothing was written, so nothing is marked


class Crash(BaseException):
    """Stands for the worker process dying (not an exception the runner may catch)."""


def test_a_run_resumed_after_a_crash_applies_nothing_twice(transcription, legacy):
    scenario, procedure = transcription
    source = scenario.current_version.source + (
        '  - step: test.crash\n    with: {key: "{{ item.receipt_number }}"}\n'
    )
    state = {"crash_on": None}

    def crash(ctx, key):
        if key == state["crash_on"]:
            raise Crash

    steps.register("test.crash", Step("test.crash", "crash", crash, {"type": "object"}))
    try:
        version = services.new_version(actor=None, scenario=scenario, source=source)
        from jichitai.automation.selectors import approved_applications

        keys = [
            row["receipt_number"]
            for row in approved_applications(scenario.organization, procedure.pk)
        ]
        run = services.start_run(
            actor=None,
            scenario=scenario,
            mode=Run.Mode.PLAN,
            values={"procedure": str(procedure.pk)},
            background=False,
        )
        execute(run.pk)
        from jichitai.tenancy.models import Membership, Role

        approver = Membership.objects.filter(
            organization=scenario.organization, role=Role.MANAGER
        ).first()
        services.approve_version(actor=approver.user, membership=approver, version=version)
        state["crash_on"] = keys[1]
        run = services.start_run(
            actor=None,
            scenario=scenario,
            mode=Run.Mode.APPLY,
            values={"procedure": str(procedure.pk)},
            background=False,
        )
        with pytest.raises(Crash):
            execute(run.pk)
        # The first item was applied; the second was submitted, then the worker died.
        assert len(legacy.records) == 2
        assert AppliedItem.objects.get(key=keys[1]).state == AppliedItem.State.STARTED
        state["crash_on"] = None
        resumed = execute(run.pk)  # what the job recovery does
        items = list(resumed.items.order_by("position"))
        assert [i.status for i in items] == [
            RunItem.Status.DONE,
            RunItem.Status.FAILED,
            RunItem.Status.DONE,
        ]
        assert items[1].failure_kind == RunItem.FailureKind.BUSINESS
        assert "登録状況を確認" in items[1].message
        assert [r["ref"] for r in legacy.records] == [keys[0], keys[1], keys[2]]  # each once
    finally:
        steps.unregister("test.crash")


def test_secret_values_are_redacted_from_messages_logs_and_exceptions(
    tsu, shipped, approved, legacy
):
    """A failing step whose error contains the secret (as typed and URL-encoded)."""
    services.set_secret(actor=None, organization=tsu, name="api_token", value=PASSWORD)
    source = """
name: redaction-check
title: 秘密情報の伏せ字
manual_minutes_before: 1
manual_minutes_after: 0
secrets: [api_token]
targets: [legacy]
prepare:
  - step: test.leak
    with: {rows: 1}
    save: rows
items: rows
each:
  - step: test.leak
"""

    def leak(ctx, **params):
        from urllib.parse import quote

        value = ctx.secret("api_token")
        if ctx.plan or params:
            return [{"_row": 1}]
        raise RuntimeError(f"GET http://x/?token={quote(value, safe='')} failed for {value}")

    steps.register("test.leak", Step("test.leak", "leak", leak, {"type": "object"}))
    try:
        scenario = services.create_scenario(actor=None, organization=tsu, source=source)
        approved(scenario)
        run = services.start_run(
            actor=None, scenario=scenario, mode=Run.Mode.APPLY, background=False
        )
        run = execute(run.pk)
    finally:
        steps.unregister("test.leak")
    item = run.items.get()
    assert item.failure_kind == RunItem.FailureKind.SYSTEM
    from urllib.parse import quote

    for text in [item.message, item.log, run.message, run.log]:
        assert PASSWORD not in text and quote(PASSWORD, safe="") not in text
    assert MASK in item.message
    stored = services.Secret.objects.get(name="api_token")
    assert PASSWORD not in stored.token and "パス" not in stored.token


def test_browser_read_table_download_and_screenshot_steps(tsu, shipped, run_now, legacy):
    """A staff-written scenario that reads the legacy system's list and downloads its CSV."""
    legacy.state.add(
        {
            "ref": "R-1",
            "name": "三重 花子",
            "postal": "514-0006",
            "address": "津市",
            "plate": "三重 1",
            "reason": "転居",
        }
    )
    services.set_secret(actor=None, organization=tsu, name="legacy_password", value=PASSWORD)
    source = """
name: legacy-list
title: 旧システムの登録一覧の取得
manual_minutes_before: 5
manual_minutes_after: 0
secrets: [legacy_password]
targets: [legacy]
finish:
  - step: browser.open
    with: {target: legacy, path: /login}
  - step: browser.fill
    with: {selector: "#userid", value: robot}
  - step: browser.fill
    with: {selector: "#password", secret: legacy_password}
  - step: browser.click
    with: {selector: "#login"}
  - step: browser.open
    with: {target: legacy, path: /records}
  - step: browser.read_table
    with: {selector: "#records"}
    save: records
  - step: excel.write
    with: {output: 一覧.xlsx, sheets: {一覧: "{{ records }}"}}
  - step: browser.download
    with: {selector: "#download-csv", output: records.csv}
  - step: csv.read
    with: {path: records.csv, columns: [登録番号, 氏名], encoding: cp932}
    save: downloaded
  - step: browser.screenshot
    with: {output: 一覧.png}
  - step: pdf.render
    with:
      html: "<h1>登録一覧</h1>{% for r in rows %}<p>{{ r.氏名 }}</p>{% endfor %}"
      context: {rows: "{{ downloaded }}"}
      output: 一覧.pdf
"""
    scenario = services.create_scenario(actor=None, organization=tsu, source=source)
    from jichitai.automation.tests.conftest import approve_now

    approve_now(scenario, run_now)
    run = run_now(scenario, Run.Mode.APPLY)
    assert run.status == Run.Status.FINISHED, run.message
    assert set(run.files.values_list("name", flat=True)) == {
        "一覧.xlsx",
        "records.csv",
        "一覧.png",
        "一覧.pdf",
    }
    from openpyxl import load_workbook

    with run.files.get(name="一覧.xlsx").file.open("rb") as handle:
        rows = list(load_workbook(handle)["一覧"].iter_rows(values_only=True))
    assert rows[1][:3] == ("L000001", "R-1", "三重 花子")
    from jichitai.core.tests.pdf import pdf_text

    with run.files.get(name="一覧.pdf").file.open("rb") as handle:
        assert "三重 花子" in pdf_text(handle.read())


def test_a_name_the_legacy_system_cannot_store_stops_before_submitting(
    tsu, shipped, approved, legacy
):
    from jichitai.procedures import services as procedures

    procedure = samples.vehicle_tax_procedure(tsu, approved=2, received=0)
    submission = procedures.submit_application(
        procedure=procedure,
        data={
            "applicant": {
                "family": "髙橋",
                "given": "一郎",
                "family_kana": "タカハシ",
                "given_kana": "イチロウ",
            },
            "email": "takahashi@example.jp",
            "address": {
                "postal_code": "514-0006",
                "address": "三重県津市広明町9番地",
                "building": "",
            },
            "plate": "三重 300 さ 9999",
            "reason": "転居",
        },
    )
    procedures.change_status(actor=None, application=submission.application, to_status="approved")
    services.set_secret(actor=None, organization=tsu, name="legacy_password", value=PASSWORD)
    scenario = approved(shipped("vehicle-tax-address"), values={"procedure": str(procedure.pk)})
    _run, run = _apply(scenario, procedure)
    failed = run.items.get(status=RunItem.Status.FAILED)
    assert (
        failed.label.endswith("髙橋 一郎") and failed.failure_kind == RunItem.FailureKind.BUSINESS
    )
    assert "確認画面の氏名が入力と違います" in failed.message and "髙橋 一郎" in failed.message
    assert failed.screenshot
    assert [r["name"] for r in legacy.records] == ["三重 花子", "津 一郎"]
    assert not AppliedItem.objects.filter(key=failed.key).exists()


def test_applications_complete_step_marks_the_application_done(tsu):
    from jichitai.automation.steps import steps as library
    from jichitai.procedures.models import Application

    procedure = samples.vehicle_tax_procedure(tsu, approved=1, received=1)
    approved_app = Application.objects.get(procedure=procedure, status="approved")
    received = Application.objects.get(procedure=procedure, status="received")

    class Ctx:
        organization = tsu

    complete = library.get("applications.complete")
    assert complete.effect_for({}) == "external"
    complete.function(
        Ctx, receipt_number=approved_app.receipt_number, message="旧システムに登録しました(L000001)"
    )
    approved_app.refresh_from_db()
    assert approved_app.status == "completed"
    from jichitai.automation.errors import BusinessError

    with pytest.raises(BusinessError, match="受付"):
        complete.function(Ctx, receipt_number=received.receipt_number)


def test_a_wrong_password_fails_the_run_once_without_showing_it(transcription, legacy):
    scenario, procedure = transcription
    services.set_secret(
        actor=None, organization=scenario.organization, name="legacy_password", value="wrong-pass-1"
    )
    _run, run = _apply(scenario, procedure)
    assert run.status == Run.Status.FAILED
    assert "HTTP 401" in run.message and "業務エラー" in run.message
    assert "wrong-pass-1" not in run.message + run.log
    assert legacy.records == [] and run.items.filter(status=RunItem.Status.PENDING).count() == 3
