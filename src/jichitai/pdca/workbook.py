"""The plan as an Excel workbook, for everything a planner edits: the actions with their schedule
and status per 年度 (sheet 取組), the indicators' targets and actuals per 年度 (指標) and the
projects' budgets planned and executed per 年度 (事業予算). Figures are numbers with number
formats. An indicator measured live keeps its 実績値 locked: the sheet says so, and the import
(``workbook_diff``) refuses a change to it."""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from jichitai.core import japanese, params
from jichitai.core.exports import neutralise_formula
from jichitai.pdca import figures
from jichitai.pdca.indicators import bound_metric, indicator_rows
from jichitai.pdca.models import Action, Plan

ACTIONS = "取組"
INDICATORS = "指標"
BUDGETS = "事業予算"
SHEETS = (ACTIONS, INDICATORS, BUDGETS)
# The largest number the NO and 階層番号 columns (PositiveIntegerField) can hold.
MAX_NUMBER = 2_147_483_647
FIXED = ["計画", "階層番号", "階層名", "区分", "NO", "基本方針", "取組内容", "担当課"]
INDICATOR_COLUMNS = [
    "計画",
    "種類",
    "目標項目",
    "単位",
    "年度",
    "目標値",
    "実績値",
    "実績値の入力",
    "目標値の考え方",
]
BUDGET_COLUMNS = [
    "計画",
    "区分",
    "評価表",
    "事業名",
    "部局",
    "年度",
    "予算額(千円)",
    "執行額(千円)",
]
# A column the sheet lacks: most often a workbook exported before the column was added.
MISSING_COLUMN = (
    "この列がありません。以前に書き出したブックのときは、"
    "計画の画面から書き出し直したブックに入力してください。"
)
LIVE = "自動計測(変更できません)"
MANUAL = "手入力"
READ_ONLY_FILL = PatternFill("solid", fgColor="E6E6E6")
BUDGET_FORMAT = "#,##0"


def year_label(year: int) -> str:
    return japanese.fiscal_year_label(year, style="short").replace("年度", "")


def columns(plan: Plan) -> list[str]:
    years = plan.fiscal_years
    return (
        FIXED
        + [f"スケジュール {year_label(y)}" for y in years]
        + [f"取組状況 {year_label(y)}" for y in years]
    )


def project_years(plan: Plan, project) -> list[int]:
    """The 年度 a project has a row for in the workbook: those it holds a budget for, and the
    年度 of its evaluation sheet and the one before (the two the sheet reports), or the plan
    period for a project on no sheet."""
    stored = {row.fiscal_year for row in project.years.all()}
    if project.sheet_year:
        return sorted(stored | {project.sheet_year - 1, project.sheet_year})
    return sorted(set(plan.fiscal_years) | stored)


def sheet_label(sheet_year: int | None) -> str:
    """The 評価表 column: the 年度 of the project's evaluation sheet, blank for none."""
    return japanese.fiscal_year_label(sheet_year) if sheet_year else ""


def sheet_year_of(text: str) -> int | None:
    """The 評価表 column read back; ValueError when it is neither blank nor a 年度 the platform
    handles (a year before 明治 has no 和暦 label to name it by)."""
    if not text:
        return None
    year = japanese.parse_fiscal_year(text)
    if not params.MIN_YEAR <= year <= params.MAX_YEAR:
        raise ValueError(
            _("「%(text)s」は扱える年度の範囲外です(%(first)s年度〜%(last)s年度)。")
            % {"text": text, "first": params.MIN_YEAR, "last": params.MAX_YEAR}
        )
    return year


def category_labels(plan: Plan) -> dict[str, str]:
    """Each category of the plan's actions by the label the workbook writes, in Japanese, the
    workbook's language."""
    with translation.override("ja"):
        return {value: str(label) for value, label in plan.category_choices()}


def category_names(plan: Plan) -> dict[str, str]:
    """The 区分 a workbook row may give, each to the category it names: the plan's own labels
    (what the workbook is written with), the same without 「の取組」, and for the prefecture the
    seeds' short 区分 (県, 市町連携, 産学官連携)."""
    labels = {label: value for value, label in category_labels(plan).items()}
    names = labels | {label.removesuffix("の取組"): value for label, value in labels.items()}
    if plan.organization.is_prefecture:
        names |= {value: value for value in Action.Category.values}
    return names


def export_workbook(plan: Plan) -> bytes:
    """The plan as the Japanese workbook planners edit, whatever the language of the page that
    asked for it: its column names and 区分 are what the import reads back."""
    book = Workbook()
    with translation.override("ja"):
        _actions_sheet(book.active, plan)
        _indicators_sheet(book.create_sheet(INDICATORS), plan)
        _budgets_sheet(book.create_sheet(BUDGETS), plan)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _header(sheet, names: list[str], row: int = 1) -> None:
    for column, name in enumerate(names, start=1):
        sheet.cell(row=row, column=column, value=name).font = Font(bold=True)


def _widths(sheet, widths: tuple[int, ...]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _actions_sheet(sheet, plan: Plan) -> None:
    sheet.title = ACTIONS
    _header(sheet, columns(plan))
    years = plan.fiscal_years
    for action in plan.actions.select_related("node").prefetch_related("years").order_by("number"):
        by_year = {row.fiscal_year: row for row in action.years.all()}
        sheet.append(
            [
                neutralise_formula(value)
                for value in [
                    plan.slug,
                    action.node.number,
                    action.node.title,
                    action.category_label,
                    action.number,
                    action.policies,
                    action.title,
                    action.division_name,
                ]
            ]
            + [neutralise_formula(by_year[y].schedule) if y in by_year else "" for y in years]
            + [neutralise_formula(by_year[y].status_text) if y in by_year else "" for y in years]
        )
    _widths(sheet, (24, 8, 30, 16, 6, 10, 40, 20))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _indicators_sheet(sheet, plan: Plan) -> None:
    """One row per indicator and 年度. The sheet is protected with only 目標値, 実績値 (when
    entered by hand) and 目標値の考え方 open for input; a live 実績値 is grey and locked."""
    sheet.append(
        [
            "目標値・実績値・目標値の考え方を編集できます。「実績値の入力」が「自動計測」の実績値は"
            "プラットフォームのデータから計測した値のため、変更できません(取込でも受け付けません)。"
        ]
    )
    _header(sheet, INDICATOR_COLUMNS, row=2)
    editable = {
        INDICATOR_COLUMNS.index(name) + 1 for name in ("目標値", "実績値", "目標値の考え方")
    }
    for indicator in plan.indicators.prefetch_related("years"):
        live = bound_metric(indicator) is not None
        number_format = figures.excel_number_format(indicator.unit, indicator.decimals)
        for row in indicator_rows(indicator):
            sheet.append(
                [
                    plan.slug,
                    indicator.get_kind_display(),
                    neutralise_formula(indicator.name),
                    indicator.unit,
                    japanese.fiscal_year_label(row["fiscal_year"]),
                    _number(row["target"]),
                    _number(row["actual"]),
                    LIVE if live else MANUAL,
                    neutralise_formula(row["rationale"]),
                ]
            )
            cells = sheet[sheet.max_row]
            for cell in cells[5:7]:
                cell.number_format = number_format
            for cell in cells:
                if cell.column in editable and not (live and cell.column == 7):
                    cell.protection = Protection(locked=False)
                else:
                    cell.fill = READ_ONLY_FILL
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True
    # Columns can still be widened and rows filtered; only the cells stay locked.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    _widths(sheet, (24, 8, 40, 8, 12, 14, 14, 24, 40))
    sheet.freeze_panes = "A3"


def _budgets_sheet(sheet, plan: Plan) -> None:
    sheet.append(
        [
            "予算額(当初予算)と執行額を千円単位で編集できます。空欄は「なし」です。"
            "「評価表」は事業を載せた施策評価表の年度です(変更しないでください)。"
        ]
    )
    _header(sheet, BUDGET_COLUMNS, row=2)
    for project in plan.projects.prefetch_related("years").order_by("order", "id"):
        by_year = {row.fiscal_year: row for row in project.years.all()}
        for year in project_years(plan, project):
            row = by_year.get(year)
            sheet.append(
                [
                    plan.slug,
                    neutralise_formula(project.group),
                    sheet_label(project.sheet_year),
                    neutralise_formula(project.name),
                    neutralise_formula(project.department),
                    japanese.fiscal_year_label(year),
                    row.budget if row else None,
                    row.executed if row else None,
                ]
            )
            for cell in sheet[sheet.max_row][6:8]:
                cell.number_format = BUDGET_FORMAT
    _widths(sheet, (24, 30, 12, 36, 14, 12, 16, 16))
    sheet.freeze_panes = "A3"


def _number(value):
    """A Decimal as a spreadsheet number: an int when whole, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
