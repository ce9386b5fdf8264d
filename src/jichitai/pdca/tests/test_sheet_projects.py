"""Each evaluation sheet (評価表) keeps its own projects: seed 000 (R2 sheet) and seed 002 (R3
sheet) both list 「スマート自治体推進事業」, with R2 budgets of 17,300 and 64,370 千円 (the R3 sheet
restates R2 in its own structure). The R2 sheet's figures stay as published; the workbook's 事業予算
sheet carries a 「評価表」 column so that an edited row goes back to the project of its own sheet."""

import io

import pytest
from openpyxl import load_workbook

from jichitai.pdca import selectors, services, workbook
from jichitai.pdca.models import ProjectYear

pytestmark = pytest.mark.django_db

SMART = "スマート自治体推進事業"


def _budget(plan, sheet_year, name, year):
    return ProjectYear.objects.get(
        project__plan=plan, project__sheet_year=sheet_year, project__name=name, fiscal_year=year
    )


def _rows(book, **where):
    sheet = book["事業予算"]
    header = [cell.value for cell in sheet[2]]
    return [
        {name: row[index] for index, name in enumerate(header)}
        for row in sheet.iter_rows(min_row=3)
        if all(row[header.index(name)].value == value for name, value in where.items())
    ]


def _saved(book) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_each_sheet_keeps_the_figures_it_published(policy):
    assert _budget(policy, 2020, SMART, 2020).budget == 17_300  # seed 000
    assert _budget(policy, 2021, SMART, 2020).budget == 64_370  # seed 002
    assert _budget(policy, 2021, SMART, 2021).budget == 177_051
    # The R2 report drawn from the live data lists the R2 sheet's five projects as published.
    r2 = selectors.evaluation_data(policy, 2020)["projects"]
    assert [(p["name"], p["budget_value"]) for p in r2] == [
        (SMART, 17_300),
        ("申請・届出等オンライン受付システム整備推進事業", 18_137),
        ("情報ネットワーク維持管理費", 904_542),
        ("セキュリティ対策推進事業", 132_215),
        ("IT投資の効率化事業", 44_338),
    ]
    r3 = selectors.evaluation_data(policy, 2021)["projects"]
    assert (r3[0]["name"], r3[0]["previous_budget_value"]) == (SMART, 64_370)


def test_the_workbook_round_trip_keeps_which_sheet_a_project_belongs_to(policy):
    policy.locks.filter(fiscal_year=2020).delete()  # R2 reopened to record its executed amounts
    book = load_workbook(io.BytesIO(workbook.export_workbook(policy)))
    r2_sheet, r3_sheet = (
        _rows(book, 事業名=SMART, 年度="令和2年度", 評価表=label)
        for label in ("令和2年度", "令和3年度")
    )
    assert len(r2_sheet) == len(r3_sheet) == 1
    assert r2_sheet[0]["予算額(千円)"].value == 17_300
    assert r3_sheet[0]["予算額(千円)"].value == 64_370
    r2_sheet[0]["執行額(千円)"].value = 17_012
    r3_sheet[0]["執行額(千円)"].value = 63_904

    batch = services.preview_import(
        actor=None, plan=policy, file_name="plan.xlsx", data=_saved(book)
    )
    assert batch.problems == []
    services.apply_workbook(batch=batch)

    assert _budget(policy, 2020, SMART, 2020).executed == 17_012
    assert _budget(policy, 2021, SMART, 2020).executed == 63_904
    again = load_workbook(io.BytesIO(workbook.export_workbook(policy)))
    assert [
        row["執行額(千円)"].value
        for label in ("令和2年度", "令和3年度")
        for row in _rows(again, 事業名=SMART, 年度="令和2年度", 評価表=label)
    ] == [17_012, 63_904]


def test_a_row_naming_no_sheet_of_the_project_is_refused(policy):
    book = load_workbook(io.BytesIO(workbook.export_workbook(policy)))
    (row,) = _rows(book, 事業名=SMART, 年度="令和3年度", 評価表="令和3年度")
    row["評価表"].value = "令和4年度"
    (other,) = _rows(book, 事業名="IT投資の効率化事業", 年度="令和3年度", 評価表="令和3年度")
    other["評価表"].value = "いつか"
    batch = services.preview_import(
        actor=None, plan=policy, file_name="plan.xlsx", data=_saved(book)
    )
    assert sorted(batch.problems) == sorted(
        [
            f"事業予算シート {row['評価表'].row}行目 「事業名」列: 令和4年度評価表の"
            f"「{SMART}」はこの計画の事業にありません。事業の追加・名前の変更は計画の画面で"
            "行ってください。",
            f"事業予算シート {other['評価表'].row}行目 「評価表」列: 「いつか」を年度として"
            "読み取れません。例: 令和3年度、R3年度、2021年度",
        ]
    )


def test_copying_the_structure_takes_the_newest_sheets_projects_once(policy, tsu):
    plan = services.create_plan(
        actor=None,
        organization=tsu,
        name="津市スマート自治体の推進",
        slug="tsu-smart",
        kind="policy",
        first_year=2024,
        last_year=2027,
        copy_from=policy,
    )
    copied = list(plan.projects.values_list("group", "sheet_year", "name"))
    # The R3 sheet's four projects (not the R2 sheet's five as well), on no sheet of the new plan
    # yet, and the budget list's 細事業.
    assert [name for group, _sheet, name in copied if not group] == [
        SMART,
        "行政サービス提供事業",
        "情報ネットワーク基盤維持管理費",
        "IT投資の効率化事業",
    ]
    assert {sheet for _group, sheet, _name in copied} == {None}
    assert not ProjectYear.objects.filter(project__plan=plan).exists()
