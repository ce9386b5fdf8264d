"""The plan's actions as an Excel workbook: export and re-import use the same columns, so staff can
edit a year's schedule and status in Excel and bring it back. Re-import matches rows by plan and
action number, and every problem is reported with sheet, row and column before anything is written."""

import io
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from jichitai.core import japanese, params
from jichitai.core.exports import neutralise_formula
from jichitai.pdca.models import Action, Plan

SHEET = "取組"
# The largest number the NO and 階層番号 columns (PositiveIntegerField) can hold.
MAX_NUMBER = 2_147_483_647
FIXED = ["計画", "階層番号", "階層名", "区分", "NO", "基本方針", "取組内容", "担当課"]
CATEGORIES = {label: value for value, label in Action.Category.choices} | {
    value: value for value, _ in Action.Category.choices
}


def _year_label(year: int) -> str:
    return japanese.fiscal_year_label(year, style="short").replace("年度", "")


def columns(plan: Plan) -> list[str]:
    years = plan.fiscal_years
    return (
        FIXED
        + [f"スケジュール {_year_label(y)}" for y in years]
        + [f"取組状況 {_year_label(y)}" for y in years]
    )


def export_workbook(plan: Plan) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    header = columns(plan)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
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
                    action.get_category_display(),
                    action.number,
                    action.policies,
                    action.title,
                    action.division_name,
                ]
            ]
            + [neutralise_formula(by_year[y].schedule) if y in by_year else "" for y in years]
            + [neutralise_formula(by_year[y].status_text) if y in by_year else "" for y in years]
        )
    for column, width in zip("ABCDEFGH", (24, 8, 30, 16, 6, 10, 40, 20), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_text(self) -> str:
        where = f"{SHEET}シート {self.row}行目" + (f" 「{self.column}」列" if self.column else "")
        return f"{where}: {self.message}"


def read_workbook(plan: Plan, data: bytes) -> tuple[list[dict], list[str]]:
    """Reads and checks every row; returns (rows to apply, problems in Japanese)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return [], ["Excel ファイル(.xlsx)として読み取れません。"]
    if SHEET not in book.sheetnames:
        return [], [
            f"「{SHEET}」シートがありません。書き出したファイルの形のまま編集してください。"
        ]
    rows = list(book[SHEET].iter_rows(values_only=True))
    if not rows:
        return [], [f"「{SHEET}」シートが空です。"]
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    expected = columns(plan)
    missing = [name for name in expected if name not in header]
    problems: list[Problem] = [Problem(1, name, "この列がありません。") for name in missing]
    if problems:
        return [], [p.as_text() for p in problems]
    index = {name: header.index(name) for name in expected}
    nodes = {node.number: node for node in plan.nodes.filter(parent__isnull=True)}
    existing = set(plan.actions.values_list("number", flat=True))
    result = []
    seen = set()
    for number, values in enumerate(rows[1:], start=2):
        if all(value is None or str(value).strip() == "" for value in values):
            continue

        def cell(name, values=values):
            value = values[index[name]] if index[name] < len(values) else None
            return "" if value is None else str(value).strip()

        row_problems = []
        if cell("計画") != plan.slug:
            row_problems.append(
                Problem(
                    number, "計画", f"「{cell('計画')}」はこの計画({plan.slug})ではありません。"
                )
            )
        try:
            action_number = params.integer(cell("NO"), name="NO", maximum=MAX_NUMBER)
        except params.InvalidParameter:
            row_problems.append(Problem(number, "NO", f"「{cell('NO')}」は番号ではありません。"))
            action_number = None
        if action_number in seen:
            row_problems.append(Problem(number, "NO", f"NO {action_number} が2回出てきます。"))
        try:
            node_number = params.integer(cell("階層番号"), name="階層番号", maximum=MAX_NUMBER)
        except params.InvalidParameter:
            node_number = None
        if node_number not in nodes:
            row_problems.append(
                Problem(
                    number,
                    "階層番号",
                    f"{plan.level_name}「{cell('階層番号')}」はこの計画にありません。",
                )
            )
        if cell("区分") not in CATEGORIES:
            row_problems.append(
                Problem(
                    number,
                    "区分",
                    f"「{cell('区分')}」は使えません(県の取組・市町連携(支援)の取組・産学官連携の取組)。",
                )
            )
        if not cell("取組内容"):
            row_problems.append(Problem(number, "取組内容", "取組内容を入力してください。"))
        if not cell("担当課"):
            row_problems.append(Problem(number, "担当課", "担当課を入力してください。"))
        problems += row_problems
        if row_problems:
            continue
        seen.add(action_number)
        result.append(
            {
                "row": number,
                "number": action_number,
                "new": action_number not in existing,
                "node": node_number,
                "category": CATEGORIES[cell("区分")],
                "policies": cell("基本方針"),
                "title": cell("取組内容"),
                "division": cell("担当課"),
                "years": {
                    str(year): {
                        "schedule": cell(f"スケジュール {_year_label(year)}"),
                        "status": cell(f"取組状況 {_year_label(year)}"),
                    }
                    for year in plan.fiscal_years
                },
            }
        )
    return result, [p.as_text() for p in problems]
