"""One rule says which project rows make up a 年度's budget: the executed-budget form staff fill in
lists exactly those rows, and its totals are the planned and executed figures of the public plan
page, its JSON and its CSV, whatever sheets, restatements and budget lists the plan holds."""

import csv
import io
import json
import re

import pytest
from django.test import Client

from jichitai.pdca.models import ProjectYear
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db

TOTALS = re.compile(r"予算額の合計 ([\d,]+) 千円 / 執行額の合計 ([\d,]+) 千円")


def _staff_totals(clerk, plan, year) -> tuple[int, int]:
    page = clerk.get(f"/s/240001/pdca/plans/{plan.pk}/budgets/{year}/executed/").content.decode()
    planned, executed = TOTALS.search(page).groups()
    return int(planned.replace(",", "")), int(executed.replace(",", ""))


def test_the_staff_form_and_the_public_page_give_the_same_totals(policy, login, make_member):
    # Executed amounts on every row, counted or not, so that a row counted on one side only shows.
    for number, row in enumerate(ProjectYear.objects.filter(project__plan=policy), start=1):
        row.executed = number * 1_000
        row.save(update_fields=["executed"])
    clerk = login(make_member(policy.organization, Role.CLERK, username="rule-clerk"))
    public = json.loads(Client().get("/o/240001/plans/smart-government-policy/plan.json").content)
    table = Client().get("/o/240001/plans/smart-government-policy/budgets.csv").content
    in_csv = {
        row["年度"]: (int(row["予算額(千円)"]), int(row["執行額(千円)"]))
        for row in csv.DictReader(io.StringIO(table.decode("utf-8-sig")))
        if row["予算額(千円)"]
    }
    compared = 0
    for row in public["budgets"]:
        if row["planned"] is None:
            continue
        staff = _staff_totals(clerk, policy, row["fiscal_year"])
        assert staff == (row["planned"], row["executed"]) == in_csv[row["label"]], row["label"]
        compared += 1
    assert compared == len(in_csv) == 2  # R2 and R3, the years the evaluation sheets report
