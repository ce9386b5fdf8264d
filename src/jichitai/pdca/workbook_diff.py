"""Reading an edited plan workbook back: every row is checked and compared with the plan as it is
now, cell by cell. The result lists, per row, each change as old → new (or 変更なし) and what to
write; every problem names its sheet, row, column and reason in Japanese, and a workbook with any
problem is applied not at all. Rows are matched by action NO (取組), by 目標項目 and 年度 (指標),
by 区分, 評価表, 事業名 and 年度 (事業予算); a row matching nothing in the plan, other than a new action,
is refused, and so is a sheet the workbook does not have. A file or a sheet that cannot be read at
all is refused as a whole (``workbook_sheets.Unreadable``)."""

import math
from collections import Counter
from decimal import Decimal, InvalidOperation

from jichitai.core import japanese, params
from jichitai.pdca import figures, selectors
from jichitai.pdca.indicators import bound_metric, indicator_rows
from jichitai.pdca.models import Plan
from jichitai.pdca.workbook import (
    ACTIONS,
    BUDGET_COLUMNS,
    BUDGETS,
    INDICATOR_COLUMNS,
    INDICATORS,
    MAX_NUMBER,
    SHEETS,
    category_labels,
    category_names,
    columns,
    project_years,
    sheet_label,
    sheet_year_of,
    year_label,
)
from jichitai.pdca.workbook_sheets import Problem, Sheet, open_workbook

EMPTY = "(空欄)"
# What the models hold: DecimalField(max_digits=16, decimal_places=3) and BigIntegerField.
MAX_FIGURE = Decimal(10) ** 13
MAX_BUDGET = 2**63 - 1


class _Refused(ValueError):
    pass


def _decimal(value, unit: str = "") -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Refused("数値で入力してください。")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused("数値で入力してください。")
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = japanese.normalize_width(str(value)).replace(",", "").strip()
        if unit and text.endswith(unit):
            text = text[: -len(unit)].strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Refused(f"「{value}」は数値ではありません。") from None
    if not number.is_finite() or abs(number) >= MAX_FIGURE:
        raise _Refused(f"「{value}」は大きすぎるか、数値ではありません。")
    if number != number.quantize(Decimal("0.001")):
        raise _Refused("小数点以下は3桁までにしてください。")
    return number


def _budget(value) -> int | None:
    number = _decimal(value, "千円")
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0 or number > MAX_BUDGET:
        raise _Refused("千円単位の0以上の整数で入力してください。")
    return int(number)


def _figure_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return EMPTY
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return figures.number_text(value, places) + unit


def _budget_text(value: int | None) -> str:
    return EMPTY if value is None else f"{value:,}千円"


def _plain(value: str) -> str:
    return value if value else EMPTY


class _Current:
    """The plan as it is now, read once for the whole workbook."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.categories = category_names(plan)
        self.category_labels = category_labels(plan)
        self.locked = selectors.locked_years(plan)
        self.nodes = {node.number: node for node in plan.nodes.filter(parent__isnull=True)}
        self.actions = {
            action.number: action
            for action in plan.actions.select_related("node").prefetch_related("years")
        }
        self.indicators = list(plan.indicators.prefetch_related("years"))
        self.projects = list(plan.projects.prefetch_related("years"))
        self._shown: dict[int, dict[int, Decimal | None]] = {}

    def shown_actual(self, indicator, year: int) -> Decimal | None:
        """The 実績値 the workbook shows for a live indicator (entered, else measured)."""
        if indicator.pk not in self._shown:
            self._shown[indicator.pk] = {
                row["fiscal_year"]: row["actual"] for row in indicator_rows(indicator)
            }
        return self._shown[indicator.pk].get(year)


def read_workbook(plan: Plan, data: bytes) -> tuple[list[dict], list[str]]:
    """Reads and checks every row; returns (one entry per row with its changes, problems).
    ``Unreadable`` when the file, or one of its sheets, cannot be read at all."""
    book = open_workbook(data)
    problems = [
        Problem(
            name, 0, "", "このシートは取り込めません(取組・指標・事業予算のシートだけを読みます)。"
        )
        for name in book.sheetnames
        if name not in SHEETS
    ]
    if not any(name in book.sheetnames for name in SHEETS):
        problems.append(
            Problem(
                ACTIONS, 0, "", "シートがありません。書き出したファイルの形のまま編集してください。"
            )
        )
    entries: list[dict] = []
    current = _Current(plan)
    readers = ((ACTIONS, _actions), (INDICATORS, _indicators), (BUDGETS, _budgets))
    for name, reader in readers:
        if name not in book.sheetnames:
            continue
        expected = {ACTIONS: columns(plan), INDICATORS: INDICATOR_COLUMNS, BUDGETS: BUDGET_COLUMNS}
        sheet = Sheet(name, book[name], expected[name])
        problems += sheet.problems
        if sheet.problems:
            continue
        for number, values in sheet.rows:
            row_problems: list[Problem] = []
            if sheet.text(values, "計画") != plan.slug:
                row_problems.append(
                    Problem(
                        name,
                        number,
                        "計画",
                        f"「{sheet.text(values, '計画')}」はこの計画({plan.slug})ではありません。",
                    )
                )
            entry = reader(current, sheet, number, values, row_problems)
            for change in entry["changes"] if entry else []:
                if change.get("year") in current.locked:
                    row_problems.append(
                        Problem(
                            name,
                            number,
                            change["column"],
                            f"{japanese.fiscal_year_label(change['year'])}は締め切られているため変更できません。",
                        )
                    )
            problems += row_problems
            if entry and not row_problems:
                entries.append(entry)
    problems += _duplicates(entries)
    return entries, [problem.as_text() for problem in problems]


def _duplicates(entries: list[dict]) -> list[Problem]:
    counts = Counter((entry["sheet"], entry["key"]) for entry in entries)
    return [
        Problem(entry["sheet"], entry["row"], "", f"{entry['label']} が2回出てきます。")
        for entry in entries
        if counts[(entry["sheet"], entry["key"])] > 1
    ]


def _entry(sheet: str, row: int, key: str, label: str, changes: list, apply: dict, new=False):
    status = "new" if new else "changed" if changes else "unchanged"
    return {
        "sheet": sheet,
        "row": row,
        "key": key,
        "label": label,
        "status": status,
        "changes": changes,
        "apply": apply,
    }


def _actions(current, sheet, number, values, problems) -> dict | None:
    plan, nodes = current.plan, current.nodes
    try:
        action_number = params.integer(sheet.text(values, "NO"), name="NO", maximum=MAX_NUMBER)
    except params.InvalidParameter:
        problems.append(
            Problem(ACTIONS, number, "NO", f"「{sheet.text(values, 'NO')}」は番号ではありません。")
        )
        action_number = None
    try:
        node_number = params.integer(
            sheet.text(values, "階層番号"), name="階層番号", maximum=MAX_NUMBER
        )
    except params.InvalidParameter:
        node_number = None
    if node_number not in nodes:
        missing = f"{plan.level_name}「{sheet.text(values, '階層番号')}」はこの計画にありません。"
        problems.append(Problem(ACTIONS, number, "階層番号", missing))
    category = sheet.text(values, "区分")
    if category not in current.categories:
        allowed = "、".join(current.category_labels.values())
        problems.append(
            Problem(ACTIONS, number, "区分", f"「{category}」は使えません({allowed})。")
        )
    for column in ("取組内容", "担当課"):
        if not sheet.text(values, column):
            problems.append(Problem(ACTIONS, number, column, f"{column}を入力してください。"))
    if problems:
        return None
    action = current.actions.get(action_number)
    new_fields = {
        "node": node_number,
        "category": current.categories[category],
        "policies": sheet.text(values, "基本方針"),
        "title": sheet.text(values, "取組内容"),
        "division_name": sheet.text(values, "担当課"),
    }
    old_fields = (
        {
            "node": action.node.number,
            "category": action.category,
            "policies": action.policies,
            "title": action.title,
            "division_name": action.division_name,
        }
        if action
        else dict.fromkeys(new_fields, "")
    )
    headings = {
        "node": "階層番号",
        "category": "区分",
        "policies": "基本方針",
        "title": "取組内容",
        "division_name": "担当課",
    }
    changes, fields = [], {}
    for field, heading in headings.items():
        old, new = old_fields[field], new_fields[field]
        if old != new:
            fields[field] = new
            if field == "category":  # shown as the workbook words it, not as the stored code
                old, new = current.category_labels.get(old, old), current.category_labels[new]
            changes.append({"column": heading, "old": _plain(str(old)), "new": _plain(str(new))})
    by_year = {row.fiscal_year: row for row in action.years.all()} if action else {}
    years: dict[str, dict] = {}
    for year in plan.fiscal_years:
        current = by_year.get(year)
        for field, heading in (("schedule", "スケジュール"), ("status_text", "取組状況")):
            column = f"{heading} {year_label(year)}"
            old = getattr(current, field) if current else ""
            new = sheet.text(values, column)
            if old != new:
                years.setdefault(str(year), {})[field] = new
                changes.append(
                    {"column": column, "old": _plain(old), "new": _plain(new), "year": year}
                )
    return _entry(
        ACTIONS,
        number,
        str(action_number),
        f"NO {action_number} {new_fields['title']}",
        changes,
        {"kind": "action", "number": action_number, "fields": fields, "years": years},
        new=action is None,
    )


def _year(sheet, values, column, number, allowed, problems) -> int | None:
    text = sheet.text(values, column)
    try:
        year = japanese.parse_fiscal_year(text)
    except ValueError:
        year = None
    if year not in allowed:
        problems.append(
            Problem(sheet.name, number, column, f"「{text}」はこの表の年度ではありません。")
        )
        return None
    return year


def _indicators(current, sheet, number, values, problems) -> dict | None:
    plan, name = current.plan, sheet.text(values, "目標項目")
    found = [indicator for indicator in current.indicators if indicator.name == name]
    if len(found) != 1:
        problems.append(
            Problem(
                INDICATORS,
                number,
                "目標項目",
                f"「{name}」はこの計画の指標にありません。指標の追加・名前の変更は計画の画面で行ってください。"
                if not found
                else f"「{name}」という指標が複数あるため、どれか決められません。",
            )
        )
        return None
    indicator = found[0]
    year = _year(sheet, values, "年度", number, plan.fiscal_years, problems)
    if year is None:
        return None
    stored = next((row for row in indicator.years.all() if row.fiscal_year == year), None)
    metric = bound_metric(indicator)
    changes, fields = [], {}
    for field, column in (("target", "目標値"), ("actual", "実績値")):
        try:
            new = _decimal(sheet.raw(values, column), indicator.unit)
        except _Refused as refusal:
            problems.append(Problem(INDICATORS, number, column, str(refusal)))
            continue
        old = getattr(stored, field) if stored else None
        if field == "actual" and metric is not None:
            shown = current.shown_actual(indicator, year)
            if new != shown:
                problems.append(
                    Problem(
                        INDICATORS,
                        number,
                        column,
                        f"自動計測(「{metric.label}」)の実績値は変更できません"
                        f"(現在 {_figure_text(shown, indicator.unit)})。"
                        "書き出した後に計測値が変わったときは、書き出し直してください。",
                    )
                )
            continue
        if old != new:
            fields[field] = None if new is None else str(new)
            changes.append(
                {
                    "column": column,
                    "old": _figure_text(old, indicator.unit),
                    "new": _figure_text(new, indicator.unit),
                    "year": year,
                }
            )
    old_rationale = stored.rationale if stored else ""
    new_rationale = sheet.text(values, "目標値の考え方")
    if old_rationale != new_rationale:
        fields["rationale"] = new_rationale
        changes.append(
            {
                "column": "目標値の考え方",
                "old": _plain(old_rationale),
                "new": _plain(new_rationale),
                "year": year,
            }
        )
    label = f"{indicator.name} {japanese.fiscal_year_label(year)}"
    return _entry(
        INDICATORS,
        number,
        f"{indicator.pk}:{year}",
        label,
        changes,
        {
            "kind": "indicator_year",
            "indicator": indicator.pk,
            "fiscal_year": year,
            "fields": fields,
        },
    )


def _budgets(current, sheet, number, values, problems) -> dict | None:
    plan, group, name = current.plan, sheet.text(values, "区分"), sheet.text(values, "事業名")
    try:
        on_sheet = sheet_year_of(sheet.text(values, "評価表"))
    except ValueError as error:  # neither blank nor a 年度
        problems.append(Problem(BUDGETS, number, "評価表", str(error)))
        return None
    key = (group, name, on_sheet)
    found = [p for p in current.projects if (p.group, p.name, p.sheet_year) == key]
    if len(found) != 1:
        where = f"区分「{group}」の" if group else ""
        where += f"{sheet_label(on_sheet)}評価表の" if on_sheet else ""
        problems.append(
            Problem(
                BUDGETS,
                number,
                "事業名",
                f"{where}「{name}」はこの計画の事業にありません。事業の追加・名前の変更は計画の画面で行ってください。"
                if not found
                else f"{where}「{name}」という事業が複数あるため、どれか決められません。",
            )
        )
        return None
    project = found[0]
    year = _year(sheet, values, "年度", number, project_years(plan, project), problems)
    if year is None:
        return None
    stored = next((row for row in project.years.all() if row.fiscal_year == year), None)
    changes, fields = [], {}
    for field, column in (("budget", "予算額(千円)"), ("executed", "執行額(千円)")):
        try:
            new = _budget(sheet.raw(values, column))
        except _Refused as refusal:
            problems.append(Problem(BUDGETS, number, column, str(refusal)))
            continue
        old = getattr(stored, field) if stored else None
        if old != new:
            fields[field] = new
            changes.append(
                {"column": column, "old": _budget_text(old), "new": _budget_text(new), "year": year}
            )
    return _entry(
        BUDGETS,
        number,
        f"{project.pk}:{year}",
        f"{project.name} {japanese.fiscal_year_label(year)}",
        changes,
        {"kind": "project_year", "project": project.pk, "fiscal_year": year, "fields": fields},
    )
