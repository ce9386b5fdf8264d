"""A 市町 runs a plan of its own, from nothing or from the prefecture's structure, and the
prefecture sees which 市町 have plans and how their indicators fare — as counts."""

import pytest
from django.core.exceptions import ValidationError

from jichitai.pdca import municipal_plans, services
from jichitai.pdca.models import IndicatorYear, Node, Plan
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def test_a_municipality_copies_the_prefectures_structure_without_its_figures(
    prefecture, tsu, ise, make_member, login
):
    source = plan_with_action(prefecture, first_year=2026, last_year=2028)
    source.indicators.update(metric_name="procedures.applications")
    Node.objects.create(plan=source, parent=source.nodes.get(), number=1, title="RPA")
    client = login(make_member(tsu, Role.MANAGER))
    form = client.get("/s/242012/pdca/plans/new/").content.decode()
    assert f"三重県: {source.name}" in form
    response = client.post(
        "/s/242012/pdca/plans/new/",
        {
            "name": "津市DX推進計画",
            "slug": "tsu-dx",
            "kind": "plan",
            "first_year": "2026",
            "last_year": "2028",
            "copy_from": source.pk,
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(organization=tsu, slug="tsu-dx")
    assert [action.title for action in plan.actions.all()] == ["RPA の導入"]
    assert plan.nodes.get(parent__isnull=False).parent.title == "業務改善"
    indicator = plan.indicators.get()
    assert indicator.metric_name == "procedures.applications"  # now measures 津市
    assert not IndicatorYear.objects.filter(indicator=indicator).exists()
    assert not plan.actions.get().years.exists()
    # The same plan page and reports as the prefecture's.
    assert client.get(f"/s/242012/pdca/plans/{plan.pk}/").status_code == 200
    assert (
        client.get(f"/s/242012/pdca/plans/{plan.pk}/reports/progress/2026.pdf").status_code == 200
    )


def test_plan_creation_keeps_the_input_and_says_what_is_wrong(tsu, ise, make_member, login):
    other = plan_with_action(ise)
    client = login(make_member(tsu, Role.MANAGER))
    bad = client.post(
        "/s/242012/pdca/plans/new/",
        {"name": "計画", "slug": "p", "kind": "plan", "first_year": "2028", "last_year": "2026"},
    )
    assert bad.status_code == 400 and "最終年度は初年度と同じか" in bad.content.decode()
    assert 'value="計画"' in bad.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(
        "/s/242012/pdca/plans/new/",
        {"name": "計画", "slug": "p", "kind": "plan", "first_year": "2028", "last_year": "2026"},
    ).content.decode()
    assert "The last fiscal year must be the same as or later than the first." in english
    with pytest.raises(ValidationError):
        services.create_plan(
            actor=None,
            organization=tsu,
            name="x",
            slug="x",
            kind="plan",
            first_year=2026,
            last_year=2026,
            copy_from=other,  # another 市町's plan is not offered nor accepted
        )
    assert login(make_member(tsu, Role.CLERK)).get("/s/242012/pdca/plans/new/").status_code in (
        403,
        404,
    )


def test_a_municipality_without_plans_sees_the_way_to_create_one(tsu, make_member, login):
    """The page's actions stand as buttons under its title, as on the other staff lists, rather
    than as a link below the prefecture's table of 29 市町."""
    link = '<a class="button" href="/s/242012/pdca/plans/new/">計画を作成</a>'
    page = login(make_member(tsu, Role.MANAGER)).get("/s/242012/pdca/").content.decode()
    assert "計画はまだありません。" in page and link in page
    assert page.index(link) < page.index('<ul class="procedure-list">')
    assert link not in login(make_member(tsu, Role.CLERK)).get("/s/242012/pdca/").content.decode()


def test_the_prefecture_sees_municipal_plans_as_counts(prefecture, tsu, ise, make_member, login):
    plan = plan_with_action(tsu, first_year=2026)
    indicator = plan.indicators.get()
    IndicatorYear.objects.filter(indicator=indicator, fiscal_year=2026).update(actual=120)
    overview = {row["municipality"]: row for row in municipal_plans.overview(prefecture, 2026)}
    assert overview["津市"] == {
        "municipality": "津市",
        "plans": 1,
        "achieved": 1,
        "missed": 0,
        "no_actual": 0,
        "no_target": 0,
    }
    assert overview["伊勢市"]["plans"] == 0
    page = login(make_member(prefecture, Role.VIEWER)).get("/s/240001/pdca/").content.decode()
    assert 'id="municipal-plan-table"' in page and "津市" in page
    assert plan.name not in page  # counts only, not the 市町's own plan pages
    assert "計画を登録した市町: 2 市町のうち 1 市町" in page
    totals = page.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "合計" in totals and '<td class="number">1</td>' in totals


def test_an_indicator_measured_without_a_target_is_not_counted_as_lacking_a_result(prefecture, tsu):
    """津市's copy of a plan measures its applications live but has no target yet: the prefecture
    sees that indicator as lacking a target, not as lacking a result."""
    plan = plan_with_action(tsu, first_year=2026)
    indicator = plan.indicators.get()
    IndicatorYear.objects.filter(indicator=indicator, fiscal_year=2026).update(
        target=None, actual=35
    )
    row = {row["municipality"]: row for row in municipal_plans.overview(prefecture, 2026)}["津市"]
    assert (row["no_actual"], row["no_target"]) == (0, 1)
    IndicatorYear.objects.filter(indicator=indicator, fiscal_year=2026).update(actual=None)
    row = {row["municipality"]: row for row in municipal_plans.overview(prefecture, 2026)}["津市"]
    assert (row["no_actual"], row["no_target"]) == (1, 0)


def test_a_chart_of_zeros_is_drawn():
    from jichitai.pdca.charts import target_actual_svg

    svg = target_actual_svg([{"label": "R8", "target": None, "actual": 0.0}], title="t", unit="件")
    assert svg.startswith("<svg")


def test_in_the_demo_tsu_runs_a_copy_of_the_prefectures_policy_measuring_itself(demo):
    from django.utils import timezone

    from jichitai.core import japanese
    from jichitai.pdca.indicators import indicator_rows
    from jichitai.procedures import selectors
    from jichitai.tenancy.models import Organization

    prefecture, tsu = (
        Organization.objects.get(code="240001"),
        Organization.objects.get(code="242012"),
    )
    plan = Plan.objects.get(organization=tsu)
    assert plan.name == "津市スマート自治体推進計画" and plan.indicators.count() == 3
    this_year = japanese.fiscal_year(timezone.localdate())
    applications = plan.indicators.get(name="電子申請・届出システムによる申請件数")
    row = next(r for r in indicator_rows(applications) if r["fiscal_year"] == this_year)
    tsu_online = selectors.total_applications(tsu, this_year, channel="online")
    assert row["measured"] and row["actual"] == tsu_online > 0
    overview = {row["municipality"]: row for row in municipal_plans.overview(prefecture, this_year)}
    assert overview["津市"]["plans"] == 1 and overview["津市"]["no_target"] == 1
