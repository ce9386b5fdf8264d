"""The plan workbook round trip for everything a planner edits: exported with indicators and
budgets as numbers, edited cell by cell with openpyxl, previewed as exactly those old → new
changes, applied without touching anything else; live actuals, unknown rows and sheets and closed
years refused with row and reason."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jichitai.audit.models import AuditEvent
from jichitai.pdca import services, workbook, workbook_diff
from jichitai.pdca.models import IndicatorYear, ProjectYear

TELEWORK = "テレワーク(モバイルワークやサテライトオフィス等)を利用した所属数"
APPLICATIONS = "電子申請・届出システムによる申請件数"


def _book(plan):
    return load_workbook(io.BytesIO(workbook.export_workbook(plan)))


def _saved(book) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _row(sheet, **where):
    header = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if all(row[header.index(name)].value == value for name, value in where.items()):
            return {name: row[index] for index, name in enumerate(header)}
    raise AssertionError(f"no row {where}")


def _figures(plan) -> dict:
    return {
        "indicators": {
            (row.indicator.name, row.fiscal_year): (row.target, row.actual, row.rationale)
            for row in IndicatorYear.objects.filter(indicator__plan=plan).select_related(
                "indicator"
            )
        },
        "budgets": {
            (row.project.group, row.project.sheet_year, row.project.name, row.fiscal_year): (
                row.budget,
                row.executed,
            )
            for row in ProjectYear.objects.filter(project__plan=plan).select_related("project")
        },
    }


@pytest.mark.django_db
def test_export_edit_preview_apply_changes_exactly_the_edited_cells(policy):
    book = _book(policy)
    assert {"取組", "指標", "事業予算"} <= set(book.sheetnames)
    indicators, budgets = book["指標"], book["事業予算"]

    telework = _row(indicators, 目標項目=TELEWORK, 年度="令和4年度")
    assert telework["目標値"].value is None
    r3 = _row(indicators, 目標項目=TELEWORK, 年度="令和3年度")
    assert r3["目標値"].value == 95 and r3["目標値"].data_type == "n"
    assert r3["目標値"].number_format == '#,##0"所属"'
    budget = _row(
        budgets, 評価表="令和3年度", 事業名="情報ネットワーク基盤維持管理費", 年度="令和3年度"
    )
    assert (
        budget["予算額(千円)"].value == 624387 and budget["予算額(千円)"].number_format == "#,##0"
    )

    before = _figures(policy)
    telework["目標値"].value = 130
    telework["目標値の考え方"].value = "令和5年度の目標に向けて段階的に増やします。"
    budget["執行額(千円)"].value = 598_120
    it_investment = _row(budgets, 評価表="令和3年度", 事業名="IT投資の効率化事業", 年度="令和3年度")
    it_investment["予算額(千円)"].value = "16,500"

    batch = services.preview_import(
        actor=None, plan=policy, file_name="plan.xlsx", data=_saved(book)
    )

    assert batch.problems == []
    changed = {row["label"]: row["changes"] for row in batch.rows if row["status"] != "unchanged"}
    assert changed == {
        f"{TELEWORK} 令和4年度": [
            {"column": "目標値", "old": "(空欄)", "new": "130所属", "year": 2022},
            {
                "column": "目標値の考え方",
                "old": "(空欄)",
                "new": "令和5年度の目標に向けて段階的に増やします。",
                "year": 2022,
            },
        ],
        "情報ネットワーク基盤維持管理費 令和3年度": [
            {"column": "執行額(千円)", "old": "(空欄)", "new": "598,120千円", "year": 2021}
        ],
        "IT投資の効率化事業 令和3年度": [
            {"column": "予算額(千円)", "old": "16,196千円", "new": "16,500千円", "year": 2021}
        ],
    }
    unchanged = [row for row in batch.rows if row["status"] == "unchanged"]
    assert len(unchanged) > 40 and all(row["changes"] == [] for row in unchanged)

    summary = services.apply_workbook(batch=batch)

    assert summary == {"created": 0, "updated": 3, "unchanged": len(unchanged)}
    after = _figures(policy)
    expected = {
        **before["indicators"],
        (TELEWORK, 2022): (
            Decimal(130),
            None,
            "令和5年度の目標に向けて段階的に増やします。",
        ),
    }
    assert after["indicators"] == expected
    assert after["budgets"] == {
        **before["budgets"],
        ("", 2021, "情報ネットワーク基盤維持管理費", 2021): (624387, 598120),
        ("", 2021, "IT投資の効率化事業", 2021): (16500, None),
    }
    events = [
        event.action
        for event in AuditEvent.objects.filter(action__startswith="pdca.").order_by("-id")[:4]
    ]
    assert events == [
        "pdca.workbook.imported",
        "pdca.project_year.updated",
        "pdca.project_year.updated",
        "pdca.indicator_year.updated",
    ]
    # Applying the same batch again writes nothing twice.
    assert services.apply_workbook(batch=batch) == summary


@pytest.mark.django_db
def test_a_live_actual_is_locked_in_the_sheet_and_refused_on_import(policy):
    book = _book(policy)
    sheet = book["指標"]
    assert "自動計測" in sheet["A1"].value and "変更できません" in sheet["A1"].value
    assert sheet.protection.sheet
    live = _row(sheet, 目標項目=APPLICATIONS, 年度="令和2年度")
    assert live["実績値の入力"].value == "自動計測(変更できません)"
    assert live["実績値"].value == 22299 and live["実績値"].protection.locked
    assert not live["目標値"].protection.locked
    manual = _row(sheet, 目標項目=TELEWORK, 年度="令和3年度")
    assert manual["実績値の入力"].value == "手入力" and not manual["実績値"].protection.locked

    _row(sheet, 目標項目=APPLICATIONS, 年度="令和3年度")["実績値"].value = 30000
    _rows, problems = workbook_diff.read_workbook(policy, _saved(book))

    assert len(problems) == 1
    assert problems[0].startswith("指標シート ")
    assert (
        "「実績値」列: 自動計測(「電子申請・届出の申請件数」)の実績値は変更できません"
        in (problems[0])
    )


@pytest.mark.django_db
def test_unknown_rows_sheets_bad_numbers_and_closed_years_are_refused_with_row_and_reason(
    policy,
):
    book = _book(policy)
    indicators, budgets = book["指標"], book["事業予算"]
    indicators.append(["smart-government-policy", "副指標", "存在しない指標", "件", "令和3年度", 1])
    budgets.append(["smart-government-policy", "", "", "架空の事業", "総務部", "令和3年度", 100])
    it_investment = _row(budgets, 評価表="令和3年度", 事業名="IT投資の効率化事業", 年度="令和3年度")
    it_investment["執行額(千円)"].value = "たくさん"
    _row(indicators, 目標項目=TELEWORK, 年度="令和2年度")["目標値"].value = 70  # R2 is closed
    _row(indicators, 目標項目=TELEWORK, 年度="令和4年度")["年度"].value = "令和9年度"
    book.create_sheet("メモ")
    last_indicator, last_budget = indicators.max_row, budgets.max_row

    batch = services.preview_import(
        actor=None, plan=policy, file_name="plan.xlsx", data=_saved(book)
    )

    problems = set(batch.problems)
    assert (
        "メモシート: このシートは取り込めません(取組・指標・事業予算のシートだけを読みます)。"
        in (problems)
    )
    assert (
        f"指標シート {last_indicator}行目 「目標項目」列: 「存在しない指標」はこの計画の指標に"
        "ありません。指標の追加・名前の変更は計画の画面で行ってください。"
    ) in problems
    assert (
        f"事業予算シート {last_budget}行目 「事業名」列: 「架空の事業」はこの計画の事業に"
        "ありません。事業の追加・名前の変更は計画の画面で行ってください。"
    ) in problems
    assert any(
        p.endswith("「執行額(千円)」列: 「たくさん」は数値ではありません。") for p in problems
    )
    assert any(
        p.endswith("「目標値」列: 令和2年度は締め切られているため変更できません。")
        for p in problems
    )
    assert any(
        p.endswith("「年度」列: 「令和9年度」はこの表の年度ではありません。") for p in problems
    )
    assert len(problems) == 6
    with pytest.raises(Exception, match="問題のある行"):
        services.confirm_import(actor=None, batch=batch)


@pytest.mark.django_db
def test_a_workbook_exported_before_a_column_was_added_says_to_export_it_again(policy):
    book = _book(policy)
    book["事業予算"].delete_cols([cell.value for cell in book["事業予算"][2]].index("評価表") + 1)

    batch = services.preview_import(
        actor=None, plan=policy, file_name="plan.xlsx", data=_saved(book)
    )

    assert (
        "事業予算シート 2行目 「評価表」列: この列がありません。以前に書き出したブックのときは、"
        "計画の画面から書き出し直したブックに入力してください。"
    ) in batch.problems


@pytest.mark.django_db
def test_a_column_copied_beside_the_sheet_is_refused_rather_than_one_copy_ignored(policy):
    # A planner copies the 年度 figures column to the right to compare; edits in either copy
    # must not be dropped without a word.
    book = _book(policy)
    sheet = book["指標"]
    header = [cell.value for cell in sheet[2]]
    copy_at = len(header) + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, copy_at, sheet.cell(row, header.index("目標値") + 1).value)

    batch = services.preview_import(
        actor=None, plan=policy, file_name="plan.xlsx", data=_saved(book)
    )

    assert (
        "指標シート 2行目 「目標値」列: この列が2つあります。1つにしてから取り込んでください。"
    ) in batch.problems
