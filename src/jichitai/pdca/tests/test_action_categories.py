"""An action's 区分 is worded from the side of the body whose plan it is: the prefecture's plan
sorts its actions into 県の取組, 市町連携(支援)の取組 and 産学官連携の取組, while a 市's plan speaks of
市の取組 and of working with the prefecture and other 市町 (a 町's of 町の取組). The workbook is the
plan's Japanese form whatever the language of the page it was exported from."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from jichitai.pdca import selectors, workbook, workbook_diff
from jichitai.pdca.models import Action
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Organization, Role
from jichitai.tenancy.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

MUNICIPAL_LABELS = ["市の取組", "県・市町との連携の取組", "産学官連携の取組"]


def _category_cell(sheet):
    """The 区分 cell of the first action's row in the workbook's 取組 sheet."""
    header = [cell.value for cell in sheet[1]]
    return sheet.cell(row=2, column=header.index("区分") + 1)


def _category_of(data: bytes) -> str:
    return _category_cell(load_workbook(io.BytesIO(data))[workbook.ACTIONS]).value


def _with_category(plan, text: str) -> bytes:
    """The plan's workbook with the first action's 区分 edited to ``text``."""
    book = load_workbook(io.BytesIO(workbook.export_workbook(plan)))
    _category_cell(book[workbook.ACTIONS]).value = text
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_a_city_plan_offers_the_citys_own_wording(tsu, make_member, login):
    plan = plan_with_action(tsu)
    page = login(make_member(tsu, Role.MANAGER)).get(
        f"/s/242012/pdca/plans/{plan.pk}/structure/action/"
    )
    options = page.content.decode().split('name="category"')[1].split("</select>")[0]
    for label in MUNICIPAL_LABELS:
        assert f">{label}</option>" in options
    assert "県の取組" not in options


def test_a_town_speaks_of_the_towns_actions(prefecture):
    town = OrganizationFactory(
        code="243035", name="木曽岬町", kind=Organization.Kind.TOWN, parent=prefecture
    )
    plan = plan_with_action(town)
    assert next(label for _, label in plan.category_choices()) == "町の取組"


def test_the_prefectures_plan_keeps_the_seeds_wording(prefecture):
    plan = plan_with_action(prefecture)
    assert [str(label) for _, label in plan.category_choices()] == [
        "県の取組",
        "市町連携(支援)の取組",
        "産学官連携の取組",
    ]


def test_the_progress_report_of_a_city_heads_its_actions_with_the_citys_wording(tsu):
    plan = plan_with_action(tsu)
    sections = selectors.progress_data(plan, plan.first_year)["initiatives"][0]["sections"]
    assert [section["label"] for section in sections] == ["市の取組"]


def test_a_city_workbook_round_trips_its_wording(tsu):
    plan = plan_with_action(tsu)
    assert _category_of(workbook.export_workbook(plan)) == "市の取組"
    entries, problems = workbook_diff.read_workbook(plan, workbook.export_workbook(plan))
    assert problems == []
    assert all(not entry["changes"] for entry in entries)  # nothing was edited


def test_a_workbook_exported_from_the_english_pages_is_still_the_japanese_form(prefecture):
    plan = plan_with_action(prefecture)
    with translation.override("en"):
        data = workbook.export_workbook(plan)
    with translation.override("ja"):
        _, problems = workbook_diff.read_workbook(plan, data)
    assert problems == []
    assert _category_of(data) == "県の取組"


def test_a_wrong_category_is_refused_naming_the_plans_own_choices(tsu):
    plan = plan_with_action(tsu)
    _, problems = workbook_diff.read_workbook(plan, _with_category(plan, "県の取組"))
    assert problems == [
        "取組シート 2行目 「区分」列: 「県の取組」は使えません"
        "(市の取組、県・市町との連携の取組、産学官連携の取組)。"
    ]
    assert Action.objects.get(plan=plan).category == Action.Category.PREFECTURE


def test_a_changed_category_is_previewed_in_the_plans_words(tsu):
    plan = plan_with_action(tsu)
    entries, problems = workbook_diff.read_workbook(
        plan, _with_category(plan, "県・市町との連携の取組")
    )
    assert problems == []
    assert entries[0]["changes"] == [
        {"column": "区分", "old": "市の取組", "new": "県・市町との連携の取組"}
    ]
