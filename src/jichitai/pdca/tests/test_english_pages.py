"""A manager who reads the staff pages in English sees an indicator's achievement and the live
metrics in English, while the reports the plan publishes (施策評価表, 進捗報告) stay Japanese
whatever the language of the page they were published from."""

import pytest
from django.utils import translation

from jichitai.pdca import selectors, services
from jichitai.pdca.models import IndicatorYear
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tsu):
    plan = plan_with_action(tsu, first_year=2024)
    IndicatorYear.objects.filter(fiscal_year=2024).update(actual=120)  # target 100: achieved
    return plan


def test_the_staff_pages_read_in_english(tsu, plan, make_member, login):
    plan.indicators.update(baseline_year=2023, baseline_value=80)
    services.publish_report(actor=None, plan=plan, kind="progress", fiscal_year=2024)
    client = login(make_member(tsu, Role.MANAGER))
    client.cookies["django_language"] = "en"
    detail = client.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    assert "<td>Achieved" in detail and "達成" not in detail
    # Words and figures in English order, not joined around Japanese brackets.
    assert "Baseline (FY2023)" in detail
    assert "Progress report for FY2024 (published " in detail
    indicator = plan.indicators.get()
    page = client.get(f"/s/242012/pdca/plans/{plan.pk}/indicators/{indicator.pk}/").content.decode()
    assert "<legend>Conditions of “Applications received”</legend>" in page
    assert "Procedures (all when none is chosen)" in page
    assert "電子申請・届出の申請件数" not in page


def test_a_report_published_from_an_english_page_stays_japanese(plan):
    services.bind_metric(
        actor=None,
        indicator=plan.indicators.get(),
        metric_name="procedures.applications",
        parameters={},
    )
    with translation.override("en"):
        snapshot = services.publish_report(
            actor=None, plan=plan, kind="evaluation", fiscal_year=2025
        )
        progress = selectors.report_data(plan, "progress", 2025)
    indicator = snapshot.data["indicators"][0]
    assert indicator["live"]["metric"] == "電子申請・届出の申請件数"
    assert progress["initiatives"][0]["sections"][0]["label"] == "市の取組"


def test_years_read_as_fiscal_years_on_english_pages(tsu, plan, make_member, login):
    from jichitai.pdca.models import Project, ProjectYear

    project = Project.objects.create(plan=plan, group="1. 推進", name="RPA 導入事業")
    ProjectYear.objects.create(project=project, fiscal_year=2024, budget=1200)
    services.publish_report(actor=None, plan=plan, kind="evaluation", fiscal_year=2024)
    client = login(make_member(tsu, Role.MANAGER))
    client.cookies["django_language"] = "en"
    staff = client.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    assert "Projects (FY2024 initial budgets)" in staff
    public = client.get(f"/o/242012/plans/{plan.slug}/").content.decode()
    assert "Plan period: FY2024〜FY2028" in public
    assert '<th scope="row">FY2024</th>' in public and "令和6年度" not in public
