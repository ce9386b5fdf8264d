"""The budget list of seed 003 (スマート自治体関連事業一覧表, 令和2年度 当初予算額) is shown on the
staff plan page and the public plan page through one template, and given in the public JSON; its
subtotals and its total of 312,451 千円 are summed from the project rows, not typed in."""

import json

import pytest
from django.test import Client

from jichitai.pdca.models import ProjectYear
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db

SEED_TOTAL = 312_451  # seed 003: 「合計 312,451」


def test_the_public_json_gives_the_budget_list_with_its_seed_total(policy):
    data = json.loads(Client().get("/o/240001/plans/smart-government-policy/plan.json").content)
    (budget_list,) = data["budget_lists"]
    assert budget_list["fiscal_year"] == 2020 and budget_list["label"] == "令和2年度"
    assert budget_list["total"] == SEED_TOTAL
    assert [group["name"] for group in budget_list["groups"]][:2] == [
        "1. スマート改革の推進",
        "2. モバイルワーク・Web会議システム等の導入",
    ]
    # Every figure is the sum of its rows (seed 003's group 5 subtotal: 210,321).
    assert sum(p["budget"] for g in budget_list["groups"] for p in g["projects"]) == SEED_TOTAL
    assert budget_list["groups"][4]["subtotal"] == 210_321
    # A budget list is never added to the plan's own budget of the year.
    r2 = next(row for row in data["budgets"] if row["fiscal_year"] == 2020)
    assert r2["planned"] == 1_116_009


def test_the_staff_and_public_plan_pages_show_the_same_list(policy, login, make_member):
    viewer = login(make_member(policy.organization, Role.VIEWER, username="list-viewer"))
    staff = viewer.get(f"/s/240001/pdca/plans/{policy.pk}/").content.decode()
    public = Client().get("/o/240001/plans/smart-government-policy/").content.decode()
    for page in (staff, public):
        assert "事業一覧(令和2年度 当初予算額)" in page
        assert 'id="budget-total-2020">312,451<' in page
        assert 'id="subtotal-2020-5">210,321<' in page
        assert "児童虐待法的対応推進事業費" in page


def test_the_total_follows_the_rows(policy):
    row = ProjectYear.objects.get(project__plan=policy, project__name="報道等事業費")
    row.budget += 1_000
    row.save(update_fields=["budget"])
    public = Client().get("/o/240001/plans/smart-government-policy/").content.decode()
    assert 'id="budget-total-2020">313,451<' in public
