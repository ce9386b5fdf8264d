"""Public plan pages: /o/<code>/plans/<slug>/ with progress per action, indicator charts with their
targets, budgets planned vs executed and a timeline per 年度, readable on a phone, with the same
data as JSON and CSV; a plan appears only once one of its reports is published."""

import json

import pytest
from django.test import Client

from jichitai.pdca.models import ActionYear, ProjectYear
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def test_the_published_policy_has_a_public_page_with_progress_charts_budgets_and_timeline(
    policy, login, make_member
):
    action_year = ActionYear.objects.filter(action__plan__slug="mie-digital-strategy").first()
    project_year = ProjectYear.objects.filter(project__plan=policy, fiscal_year=2021).first()
    project_year.executed = project_year.budget // 2
    project_year.save(update_fields=["executed"])
    client = Client()
    page = client.get("/o/240001/plans/smart-government-policy/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "スマート自治体の推進" in html and "令和2年度〜令和5年度" in html
    assert html.count('class="kpi-chart"') == 3
    assert "22,400件" in html and "22,299件" in html
    assert "執行額(千円)" in html and "執行率" in html
    assert "自動計測" in html
    # The policy registers no actions: no empty schedule 年度 by 年度 under its 取組の進捗.
    assert "取組の登録はありません" in html and "年度ごとの予定" not in html

    # The strategy's actions report their state in words (取組状況), no percentage: the page
    # shows none rather than 「進捗率: －」 on every action.
    before = client.get("/o/240001/plans/mie-digital-strategy/").content.decode()
    assert "取組状況" in before and "進捗率" not in before

    # A clerk enters the action's progress on its staff page; the public page shows it.
    action = action_year.action
    staff = login(make_member(policy.organization, Role.CLERK, username="progress-clerk"))
    url = f"/s/240001/pdca/plans/{action.plan_id}/actions/{action.pk}/"
    year = action_year.fiscal_year
    refused = staff.post(url, {"fiscal_year": year, f"y{year}-progress": "140"})
    assert refused.status_code == 422 and "100" in refused.content.decode()
    staff.post(
        url,
        {
            "fiscal_year": year,
            f"y{year}-schedule": action_year.schedule,
            f"y{year}-status_text": action_year.status_text,
            f"y{year}-progress": "40",
        },
    )
    action_year.refresh_from_db()
    assert action_year.progress == 40
    strategy = client.get("/o/240001/plans/mie-digital-strategy/").content.decode()
    assert "40%" in strategy and "年度ごとの予定" in strategy and "運用" in strategy

    data = json.loads(client.get("/o/240001/plans/smart-government-policy/plan.json").content)
    applications = next(i for i in data["indicators"] if i["name"].startswith("電子申請"))
    r2 = next(year for year in applications["years"] if year["fiscal_year"] == 2020)
    assert (r2["target"], r2["actual"]) == (22400, 22299)
    r3 = next(row for row in data["budgets"] if row["fiscal_year"] == 2021)
    assert r3["executed"] is not None and r3["planned"] >= r3["executed"]

    csv = client.get("/o/240001/plans/smart-government-policy/indicators.csv").content
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "電子申請・届出システムによる申請件数,副指標,令和2年度,22400,22299".encode() in csv
    # Open data is the same file for every reader: 「Sub-indicator」 and 「FY2020」 crept into
    # the JSON and CSV that an English or Portuguese browser fetched.
    for path in ("plan.json", "indicators.csv", "budgets.csv"):
        url = f"/o/240001/plans/smart-government-policy/{path}"
        japanese = client.get(url).content
        for reader in ("en", "pt"):
            assert client.get(url, HTTP_ACCEPT_LANGUAGE=reader).content == japanese, (path, reader)

    home = client.get("/o/240001/").content.decode()
    assert "/o/240001/plans/smart-government-policy/" in home


def test_the_list_of_public_plans_says_what_each_covers_when_and_how_far_it_has_come(
    policy, strategy
):
    ActionYear.objects.filter(action__plan=strategy, fiscal_year=2021).update(progress=60)
    html = Client().get("/o/240001/plans/").content.decode()
    policy_card = html.partition("スマート自治体の推進</a>")[2].partition("</article>")[0]
    strategy_card = html.partition("みえデジタル戦略推進計画</a>")[2].partition("</article>")[0]
    assert "総務部" in policy_card and "令和2年度〜令和5年度" in policy_card
    assert "ICTの新しい技術の活用により" in policy_card
    assert "指標 3件" in policy_card and "取組 0件" not in policy_card
    assert "最新の公表" in policy_card and "令和3年度 施策評価表" in policy_card
    assert f"取組 {strategy.actions.count()}件" in strategy_card
    assert "指標" not in strategy_card and "進捗率を入力した取組の平均: 60%" in strategy_card
    assert '<progress max="100" value="60"' in strategy_card
    assert "令和3年度 進捗報告" in strategy_card


def test_an_unpublished_plan_or_another_organizations_plan_is_not_public(tsu, policy):
    plan_with_action(tsu, slug="draft-plan")
    client = Client()
    assert client.get("/o/242012/plans/draft-plan/").status_code == 404
    assert client.get("/o/242012/plans/smart-government-policy/").status_code == 404
    assert client.get("/o/240001/plans/unknown/").status_code == 404


def test_an_indicator_without_figures_is_said_in_words_not_drawn_empty(tsu):
    from jichitai.pdca import services
    from jichitai.pdca.models import Indicator

    plan = plan_with_action(tsu, slug="tsu-plan")
    Indicator.objects.create(plan=plan, kind="sub", name="テレワークの所属数", unit="所属")
    services.publish_report(actor=None, plan=plan, kind="evaluation", fiscal_year=2024)
    html = Client().get("/o/242012/plans/tsu-plan/").content.decode()
    measured = html.partition('aria-label="申請件数"')[2].partition("</section>")[0]
    empty = html.partition('aria-label="テレワークの所属数"')[2].partition("</section>")[0]
    assert 'class="kpi-chart"' in measured
    assert 'class="kpi-chart"' not in empty and "目標値・実績値はまだありません。" in empty


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_plan_pages_read_on_a_360_px_phone_without_scrolling_sideways(
    page, demo, accessible
):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/o/240001/plans/")
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/o/240001/plans/smart-government-policy/")
    budgets = page.locator("table", has=page.get_by_role("columnheader", name="執行率"))
    rate = budgets.get_by_role("columnheader", name="執行率").bounding_box()
    assert rate is not None and rate["x"] + rate["width"] <= 360
    assert page.get_by_text("取組の登録はありません。").is_visible()
    page.goto("/o/240001/plans/mie-digital-strategy/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Figures written into status texts are filled from the records, never shown as markup.
    assert "{{" not in page.locator("main").inner_text()


def test_the_public_plan_page_in_english_names_years_as_fy_in_its_charts_too(policy):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/o/240001/plans/smart-government-policy/")
    html = html.content.decode()
    assert "FY2020–FY2023" in html or "FY2020〜FY2023" in html
    assert ">FY2020</text>" in html
    assert "R2年度" not in html and "令和2年度" not in html
