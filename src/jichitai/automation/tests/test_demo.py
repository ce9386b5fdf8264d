"""The demo shows automation at work, not only scenarios waiting: 電気使用量の集計 was planned by
the prefecture's clerk, approved by its manager and run once on the sample reports, so its run,
its workbook and this 年度's line in the effect ledger are there to open."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.accounts.models import User
from jichitai.automation.models import LedgerLine, Run
from jichitai.core.japanese import fiscal_year
from jichitai.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demos_electricity_summary_was_planned_approved_and_run_once(login):
    call_command("demo", quiet_logins=True)
    call_command("demo", quiet_logins=True)  # a second load adds no second run
    prefecture = Organization.objects.get(code="240001")
    runs = Run.objects.filter(
        organization=prefecture, version__scenario__name="electricity-summary"
    )
    assert [(run.mode, run.status) for run in runs.order_by("pk")] == [
        (Run.Mode.PLAN, Run.Status.FINISHED),
        (Run.Mode.APPLY, Run.Status.FINISHED),
    ]
    clerk = User.objects.get(username="pref-clerk")
    assert {run.started_by for run in runs} == {clerk}
    version = runs.first().version
    assert version.is_approved and version.approved_by == User.objects.get(username="pref-manager")

    line = LedgerLine.objects.get(run=runs.get(mode=Run.Mode.APPLY))
    assert line.fiscal_year == fiscal_year(timezone.localdate()) and line.items > 0

    client = login(clerk)
    run = runs.get(mode=Run.Mode.APPLY)
    page = client.get(f"/s/240001/automation/runs/{run.pk}/").content.decode()
    output = run.files.get()
    assert output.name in page
    workbook = client.get(f"/s/240001/automation/runs/{run.pk}/files/{output.pk}/")
    assert workbook.status_code == 200
    sheets = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).sheetnames
    assert sheets
    home = client.get("/s/240001/automation/").content.decode()
    assert "実行はまだありません" not in home
