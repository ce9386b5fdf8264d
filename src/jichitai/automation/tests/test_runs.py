"""Plan → approve → apply with the 集計 and 帳票発行 reference scenarios, approval rules, bad
input stopping only its item, and the effect ledger rows of production runs."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from jichitai.automation import samples, services
from jichitai.automation.models import AppliedItem, LedgerLine, Run, RunItem
from jichitai.core.tests.pdf import all_fonts_embedded, pdf_text
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _workbook(run, name):
    output = run.files.get(name=name)
    with output.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def test_electricity_summary_plan_writes_nothing_then_apply_builds_the_summary(
    shipped, run_now, approved, reports, tsu_clerk
):
    scenario = shipped("electricity-summary")
    plan = run_now(scenario, Run.Mode.PLAN, paths={"reports": str(reports)}, actor=tsu_clerk)
    assert plan.status == Run.Status.FINISHED, plan.message
    assert plan.items.count() == 8
    assert set(plan.items.values_list("status", flat=True)) == {RunItem.Status.PLANNED}
    assert not plan.files.exists()  # a plan writes nothing
    assert any("電気使用量集計.xlsx" in line and "所属別 8 行" in line for line in plan.planned), (
        plan.planned
    )
    assert not LedgerLine.objects.exists()

    with pytest.raises(ValidationError):  # not approved yet
        services.start_run(
            actor=tsu_clerk, scenario=scenario, mode=Run.Mode.APPLY, paths={"reports": str(reports)}
        )

    approved(scenario, paths={"reports": str(reports)})
    run = run_now(scenario, Run.Mode.APPLY, paths={"reports": str(reports)}, actor=tsu_clerk)
    assert run.status == Run.Status.FINISHED, run.message
    workbook = _workbook(run, "電気使用量集計.xlsx")
    rows = list(workbook["所属別"].iter_rows(values_only=True))
    assert rows[0] == ("所属", "年月", "使用量(kWh)", "施設数")
    assert ("地球温暖化対策課", "2021-04", 3123, 3) in rows
    monthly = list(workbook["月別合計"].iter_rows(values_only=True))
    assert monthly[1][0] == "2021-04" and monthly[1][1] == sum(
        3 * 1000 + 3 * 137 * seed + 41 * 3 for seed in range(4)
    )
    line = LedgerLine.objects.get(run=run)
    assert line.items == 8 and line.minutes_before == 160 and line.minutes_after == 16
    assert line.division == "地球温暖化対策課"


def test_a_malformed_workbook_or_missing_column_stops_only_its_item(
    shipped, run_now, approved, reports
):
    (reports / "2021-04_壊れた報告.xlsx").write_bytes(b"this is not a workbook")
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "電気使用量"
    workbook.active.append(["所属", "年月", "施設"])  # no 使用量(kWh)
    workbook.active.append(["道路管理課", "2021-04", "本庁舎"])
    workbook.save(reports / "2021-04_列なし.xlsx")
    workbook = Workbook()
    workbook.active.title = "電気使用量"
    workbook.active.append(["所属", "年月", "施設", "使用量(kWh)"])
    workbook.active.append(["道路管理課", "2021-04", "本庁舎", "たくさん"])
    workbook.save(reports / "2021-04_文字.xlsx")
    scenario = approved(shipped("electricity-summary"), paths={"reports": str(reports)})
    run = run_now(scenario, Run.Mode.APPLY, paths={"reports": str(reports)})
    assert run.status == Run.Status.FINISHED_WITH_ERRORS
    failed = {item.label: item for item in run.items.filter(status=RunItem.Status.FAILED)}
    assert set(failed) == {"2021-04_壊れた報告.xlsx", "2021-04_列なし.xlsx", "2021-04_文字.xlsx"}
    assert all(item.failure_kind == RunItem.FailureKind.BUSINESS for item in failed.values())
    assert "2021-04_壊れた報告.xlsx" in failed["2021-04_壊れた報告.xlsx"].message
    assert "Excel ブック" in failed["2021-04_壊れた報告.xlsx"].message
    assert "列「使用量(kWh)」がありません" in failed["2021-04_列なし.xlsx"].message
    assert "2行目 列「使用量(kWh)」" in failed["2021-04_文字.xlsx"].message
    assert failed["2021-04_列なし.xlsx"].attempts == 1  # 業務エラー: not retried
    assert run.items.filter(status=RunItem.Status.DONE).count() == 8
    assert run.files.filter(name="電気使用量集計.xlsx").exists()


def test_scholarship_notices_make_a_notice_and_slip_per_row_and_a_merged_pdf(
    shipped, run_now, approved, tmp_path
):
    csv_path = tmp_path / "list.csv"
    csv_path.write_bytes(samples.notice_list_csv(3, encoding="cp932"))
    scenario = shipped("scholarship-notices")
    plan = run_now(scenario, Run.Mode.PLAN, paths={"list": str(csv_path)})
    assert "PDF を結合: 3 ファイル → 通知文・納付書_一括印刷用.pdf" in plan.planned
    assert not plan.files.exists()
    scenario = approved(scenario, paths={"list": str(csv_path)})
    run = run_now(scenario, Run.Mode.APPLY, paths={"list": str(csv_path)})
    assert run.status == Run.Status.FINISHED, run.message
    names = set(run.files.values_list("name", flat=True))
    assert {
        "通知_0001.pdf",
        "通知_0002.pdf",
        "通知_0003.pdf",
        "通知文・納付書_一括印刷用.pdf",
    } <= names
    with run.files.get(name="通知文・納付書_一括印刷用.pdf").file.open("rb") as handle:
        merged = handle.read()
    assert len(PdfReader(io.BytesIO(merged)).pages) == 6  # notice + slip per row
    text = pdf_text(merged)
    assert "奨学金返還金の納付について" in text and "伊勢 一郎" in text and "13,000" in text
    assert "領収済通知書" in text
    assert all_fonts_embedded(merged)
    assert LedgerLine.objects.get(run=run).items == 3


def test_approval_needs_a_plan_a_manager_and_someone_other_than_the_author(
    shipped, run_now, tsu_clerk, tsu_manager, tsu, reports
):
    scenario = shipped("electricity-summary")
    manager_membership = tsu_manager.memberships.get()
    with pytest.raises(ValidationError, match="計画"):
        services.approve_version(
            actor=tsu_manager, membership=manager_membership, version=scenario.current_version
        )
    run_now(scenario, Run.Mode.PLAN, paths={"reports": str(reports)})
    with pytest.raises(ValidationError, match="所属長・推進担当以上"):
        services.approve_version(
            actor=tsu_clerk,
            membership=tsu_clerk.memberships.get(),
            version=scenario.current_version,
        )
    source = scenario.current_version.source.replace(
        "manual_minutes_after: 2", "manual_minutes_after: 3"
    )
    version = services.new_version(actor=tsu_manager, scenario=scenario, source=source)
    assert version.number == 2 and scenario.versions.get(number=1).source != version.source
    run_now(scenario, Run.Mode.PLAN, paths={"reports": str(reports)})
    with pytest.raises(ValidationError, match="作成・変更した職員"):
        services.approve_version(actor=tsu_manager, membership=manager_membership, version=version)
    other = tsu_manager.__class__.objects.create(username="other-manager")
    from jichitai.tenancy.models import Membership

    membership = Membership.objects.create(user=other, organization=tsu, role=Role.ADMIN)
    services.approve_version(actor=other, membership=membership, version=version)
    version.refresh_from_db()
    assert version.is_approved
    with pytest.raises(ValidationError, match="変更がありません"):
        services.new_version(actor=tsu_clerk, scenario=scenario, source=source)


def test_a_change_needs_a_new_approval_before_production(
    shipped, run_now, approved, reports, tsu_clerk
):
    scenario = approved(shipped("electricity-summary"), paths={"reports": str(reports)})
    services.new_version(
        actor=tsu_clerk,
        scenario=scenario,
        source=scenario.current_version.source.replace(
            "title: 電気使用量の集計", "title: 電気使用量の集計(改)"
        ),
    )
    with pytest.raises(ValidationError, match="承認されていません"):
        services.start_run(
            actor=tsu_clerk, scenario=scenario, mode=Run.Mode.APPLY, paths={"reports": str(reports)}
        )


def test_runs_as_a_background_job_with_progress(
    shipped, reports, django_capture_on_commit_callbacks
):
    scenario = shipped("electricity-summary")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(
            actor=None, scenario=scenario, mode=Run.Mode.PLAN, paths={"reports": str(reports)}
        )
    run.refresh_from_db()
    run.job.refresh_from_db()
    assert run.status == Run.Status.FINISHED
    assert run.job.status == "succeeded" and run.job.done == run.job.total == 8
    assert not AppliedItem.objects.exists()


def test_a_run_started_from_the_english_pages_is_recorded_in_japanese(shipped, reports, tsu_clerk):
    """The job list and the audit log are records shared by every member: their texts do not
    change language with whoever started the run."""
    from django.utils import translation

    from jichitai.audit.models import AuditEvent

    scenario = shipped("electricity-summary")
    with translation.override("en"):
        run = services.start_run(
            actor=tsu_clerk, scenario=scenario, mode=Run.Mode.PLAN, paths={"reports": str(reports)}
        )
    assert run.job.title == "電気使用量の集計(計画(ドライラン))"
    started = AuditEvent.objects.get(action="automation.run.started")
    assert started.summary == "電気使用量の集計 第1版 計画(ドライラン)"
