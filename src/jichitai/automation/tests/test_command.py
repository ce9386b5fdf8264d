import pytest
from django.core.management import CommandError, call_command

from jichitai.automation.models import LedgerLine, Run

pytestmark = pytest.mark.django_db


def test_list_add_plan_approve_apply_from_the_command_line(tsu, tsu_manager, reports, capsys):
    call_command("automation", "--organization", tsu.code, "list")
    assert "electricity-summary" in capsys.readouterr().out
    call_command("automation", "--organization", tsu.code, "add", "electricity-summary")
    with pytest.raises(CommandError, match="承認されていません"):
        call_command(
            "automation",
            "--organization",
            tsu.code,
            "run",
            "electricity-summary",
            "--apply",
            "--input",
            f"reports={reports}",
        )
    call_command(
        "automation",
        "--organization",
        tsu.code,
        "run",
        "electricity-summary",
        "--plan",
        "--input",
        f"reports={reports}",
    )
    out = capsys.readouterr().out
    assert "計画(ドライラン): 完了" in out and "Excel ブックを作成: 電気使用量集計.xlsx" in out
    call_command(
        "automation",
        "--organization",
        tsu.code,
        "approve",
        "electricity-summary",
        "--as",
        tsu_manager.username,
    )
    call_command(
        "automation",
        "--organization",
        tsu.code,
        "run",
        "electricity-summary",
        "--apply",
        "--input",
        f"reports={reports}",
        "--as",
        tsu_manager.username,
    )
    out = capsys.readouterr().out
    assert "本番実行: 完了" in out and "出力: 電気使用量集計.xlsx" in out
    run = Run.objects.get(mode=Run.Mode.APPLY)
    assert run.started_by == tsu_manager
    assert LedgerLine.objects.get(run=run).items == 8


def test_a_municipality_is_neither_listed_nor_given_the_prefectures_own_scenarios(tsu, capsys):
    call_command("automation", "--organization", tsu.code, "list")
    listed = capsys.readouterr().out
    assert "electricity-summary" in listed and "vehicle-tax-address" not in listed
    with pytest.raises(CommandError, match="県の業務のためのもの"):
        call_command("automation", "--organization", tsu.code, "add", "vehicle-tax-address")
