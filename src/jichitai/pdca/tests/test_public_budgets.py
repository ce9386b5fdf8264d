"""The planned budget per 年度 on the public plan page counts each spending once.

The seeds report R2 three times: the R2 evaluation sheet (seed 000: 5 主要事業, initial figures),
the R2 column of the R3 evaluation sheet (seed 002: the same spending restated in the R3 project
structure — renamed 行政サービス提供事業 and 情報ネットワーク基盤維持管理費, セキュリティ対策推進事業
folded in — totalling 1,116,009 against 1,116,532) and the cross-department budget list of related
細事業 (seed 003, 合計 312,451), parts of which are inside those same projects. The newest
evaluation sheet reporting a 年度 is authoritative; a budget list is a separate view, never added."""

import json

import pytest
from django.test import Client

from jichitai.pdca.models import Plan, Project, ProjectYear
from jichitai.pdca.public import public_plan_data
from jichitai.pdca.tests.factories import plan_with_action

pytestmark = pytest.mark.django_db


def _planned(data) -> dict[int, int | None]:
    return {row["fiscal_year"]: row["planned"] for row in data["budgets"]}


def test_each_year_of_the_demo_policy_shows_the_newest_evaluation_sheets_figures(policy):
    client = Client()
    data = json.loads(client.get("/o/240001/plans/smart-government-policy/plan.json").content)
    # R2: seed 002 「(R2) 64,370 / 22,717 / 1,008,782 / 20,140 千円」; R3: seed 002 「(R3) 177,051 /
    # 23,093 / 624,387 / 16,196千円」; R4 and R5 have no budget reported yet.
    assert _planned(data) == {
        2020: 64_370 + 22_717 + 1_008_782 + 20_140,
        2021: 177_051 + 23_093 + 624_387 + 16_196,
        2022: None,
        2023: None,
    }
    html = client.get("/o/240001/plans/smart-government-policy/").content.decode()
    assert "<td>1,116,009</td>" in html and "<td>840,727</td>" in html
    assert "2,483,354" not in html


def test_executed_amounts_count_on_the_same_rows_as_the_planned_budget(policy):
    counted = ProjectYear.objects.get(
        project__plan=policy, project__name="行政サービス提供事業", fiscal_year=2020
    )
    superseded = ProjectYear.objects.get(
        project__plan=policy, project__name="セキュリティ対策推進事業", fiscal_year=2020
    )
    listed = ProjectYear.objects.get(
        project__plan=policy, project__name="児童扶養手当事業費", fiscal_year=2020
    )
    for row, executed in ((counted, 20_000), (superseded, 130_000), (listed, 7_000)):
        row.executed = executed
        row.save(update_fields=["executed"])
    r2 = next(row for row in public_plan_data(policy)["budgets"] if row["fiscal_year"] == 2020)
    assert r2["executed"] == 20_000


def test_a_plan_without_evaluation_sheets_sums_its_projects_but_not_its_budget_lists(tsu):
    plan: Plan = plan_with_action(tsu, slug="budgeted", first_year=2024, last_year=2025)
    for name, group, budget in (("窓口DX事業", "", 1_200), ("庁内LAN更新", "", 800)):
        project = Project.objects.create(plan=plan, name=name, group=group)
        ProjectYear.objects.create(project=project, fiscal_year=2024, budget=budget)
    listed = Project.objects.create(plan=plan, name="窓口DX事業費", group="1. 窓口のデジタル化")
    ProjectYear.objects.create(project=listed, fiscal_year=2024, budget=600)
    assert _planned(public_plan_data(plan)) == {2024: 2_000, 2025: None}
