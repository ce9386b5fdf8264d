"""Rendering report data (live or from a frozen snapshot) as PDF (WeasyPrint, Japanese fonts
embedded) and XLSX (openpyxl, with a native chart per indicator)."""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jichitai.core.pdf import render_pdf
from jichitai.pdca import figures
from jichitai.pdca.charts import has_figures, target_actual_svg

HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")


def _with_charts(data: dict) -> dict:
    if data["kind"] != "evaluation":
        return data
    indicators = [
        {
            **item,
            "svg": target_actual_svg(
                item["chart"], title=item["name"], unit=item["unit"], decimals=item.get("decimals")
            )
            if has_figures(item["chart"])
            else "",
        }
        for item in data["indicators"]
    ]
    return {**data, "indicators": indicators}


def pdf(data: dict) -> bytes:
    # The Japanese filing whatever language the staff member reads the site in: the charts'
    # legends are the site's texts.
    with translation.override("ja"):
        return render_pdf(
            f"pdca/pdf/{data['kind']}.html",
            {"report": _with_charts(data), "kinds": [("main", "主指標"), ("sub", "副指標")]},
        )


def xlsx(data: dict) -> bytes:
    book = Workbook()
    book.remove(book.active)
    (_evaluation_sheets if data["kind"] == "evaluation" else _progress_sheets)(book, data)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _figure(entry: dict, value_key: str, text_key: str):
    """The number itself for a cell (a report frozen before numbers were kept gives its text);
    「－」 and blanks stay text."""
    value = entry.get(value_key)
    if value is not None:
        return value
    return entry.get(text_key) or None


def _number_formats(cells, effect: dict) -> None:
    for cell in cells:
        if isinstance(cell.value, int | float):
            cell.number_format = "#,##0" if float(cell.value).is_integer() else "#,##0.0"


def _bold_row(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _heading_lines(sheet, data: dict) -> None:
    """The date and the 所属 at the top, as on the seed documents (a report frozen before they
    were kept has the organization alone)."""
    if data.get("dated"):
        sheet.append([data["dated"]])
    sheet.append([" ".join(filter(None, [data["organization"], data.get("division", "")]))])


def _evaluation_sheets(book: Workbook, data: dict) -> None:
    sheet = book.create_sheet("施策評価表")
    _heading_lines(sheet, data)
    sheet.append([f"{data['fiscal_year_label']} 施策評価表"])
    sheet.append(["施策", data["plan"]["name"]])
    sheet.append(["主担当部局", data["plan"]["department"]])
    sheet.append(
        [f"めざす姿({data['plan']['last_year_label']}末での到達目標)", data["plan"]["goal"]]
    )
    for kind, heading in (("main", "主指標"), ("sub", "副指標")):
        sheet.append([])
        sheet.append([heading])
        header = ["目標項目", "現状値の年度", "現状値"]
        for label in data["year_labels"]:
            header += [f"{label} 目標値", f"{label} 実績値", f"{label} 達成状況"]
        sheet.append(header)
        _bold_row(sheet, sheet.max_row)
        for item in (i for i in data["indicators"] if i["kind"] == kind):
            number_format = figures.excel_number_format(item["unit"], item.get("decimals", 0))
            row = [
                item["name"],
                item["baseline"]["label"],
                _figure(item["baseline"], "value", "text"),
            ]
            for year in item["years"]:
                row += [
                    _figure(year, "target_value", "target"),
                    _figure(year, "actual_value", "actual"),
                    year["achievement"],
                ]
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, int | float):
                    cell.number_format = number_format
        for item in (i for i in data["indicators"] if i["kind"] == kind and i.get("live")):
            since = f"、{item['live']['since']}以降の記録" if item["live"]["since"] else ""
            sheet.append(
                [
                    f"※ {item['name']}の実績値は、プラットフォームのデータから自動計測した値です"
                    f"(「{item['live']['metric']}」{since})。{item.get('no_data_note', '')}"
                ]
            )
    sheet.append([])
    sheet.append([data["issues_heading"]])
    for text in data["issues"]:
        sheet.append(["", text])
    sheet.append([data["direction_heading"]])
    for group in data["direction"]:
        if group.get("department"):
            sheet.append([group["department"]])
        for text in group["items"]:
            sheet.append(["", text])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 60
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    projects = book.create_sheet("主な事業")
    header = ["新規等", "事業名", "部局", "基本事業コード", "基本事業名"]
    if data["projects"]:
        header += [
            f"予算額 {data['projects'][0]['previous_label']}(千円)",
            f"予算額 {data['projects'][0]['current_label']}(千円)",
            "事業概要",
        ]
    projects.append(header)
    _bold_row(projects, 1)
    for project in data["projects"]:
        projects.append(
            [
                project["flag"],
                project["name"],
                project["department"],
                project["code"],
                project["code_name"],
                _figure(project, "previous_budget_value", "previous_budget"),
                _figure(project, "budget_value", "budget"),
                project["summary"],
            ]
        )
        for cell in projects[projects.max_row][5:7]:
            cell.number_format = "#,##0"

    charts = book.create_sheet("グラフ")
    row = 1
    for item in data["indicators"]:
        charts.cell(row=row, column=1, value=item["name"])
        charts.cell(row=row + 1, column=1, value="年度")
        charts.cell(row=row + 1, column=2, value="目標値")
        charts.cell(row=row + 1, column=3, value="実績値")
        number_format = figures.excel_number_format("", item.get("decimals", 0))
        for offset, point in enumerate(item["chart"], start=2):
            charts.cell(row=row + offset, column=1, value=point["label"])
            for column, key in ((2, "target"), (3, "actual")):
                cell = charts.cell(row=row + offset, column=column, value=point[key])
                cell.number_format = number_format
        chart = BarChart()
        chart.title = item["name"][:40]
        chart.y_axis.title = item["unit"]
        last = row + 1 + len(item["chart"])
        chart.add_data(
            Reference(charts, min_col=2, max_col=3, min_row=row + 1, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(charts, min_col=1, min_row=row + 2, max_row=last))
        charts.add_chart(chart, f"E{row}")
        row = last + 16


def _progress_sheets(book: Workbook, data: dict) -> None:
    sheet = book.create_sheet("進捗報告")
    _heading_lines(sheet, data)
    sheet.append([f"{data['plan']['name']} {data['fiscal_year_label']}の取組状況"])
    header = (
        ["個別取組", "区分", "NO", "基本方針", "取組内容", "担当課"]
        + [f"スケジュール {label}" for label in data["year_labels"]]
        + [f"取組状況({data['fiscal_year_label']}まで)"]
    )
    sheet.append(header)
    _bold_row(sheet, sheet.max_row)
    for initiative in data["initiatives"]:
        for section in initiative["sections"]:
            for action in section["actions"]:
                title = action["title"] + (
                    "(再掲)" if action.get("reprint") and "再掲" not in action["title"] else ""
                )
                sheet.append(
                    [
                        f"({initiative['number']}) {initiative['title']}",
                        section["label"],
                        action["number"],
                        action["policies"],
                        title,
                        action["division"],
                        *action["schedule"],
                        action["status"],
                    ]
                )
    effects = book.create_sheet("効果")
    effects.append(["個別取組", "表題", "指標", "前", "後", "削減", "削減率(%)", "単位"])
    _bold_row(effects, 1)
    for initiative in data["initiatives"]:
        for effect in initiative["effects"]:
            if effect["kind"] == "before_after":
                effects.append(
                    [
                        initiative["number"],
                        effect["title"],
                        effect["measure"],
                        _figure(effect, "before_value", "before"),
                        _figure(effect, "after_value", "after"),
                        _figure(effect, "reduction_value", "reduction"),
                        _figure(effect, "percent_value", "percent"),
                        effect["unit"],
                    ]
                )
                _number_formats(effects[effects.max_row][3:7], effect)
                for item in effect["items"]:
                    effects.append(["", "", f"{item['division']}: {item['label']}"])
            else:
                effects.append(
                    [
                        initiative["number"],
                        effect["title"],
                        effect["measure"],
                        _figure(effect, "part_value", "part"),
                        _figure(effect, "whole_value", "whole"),
                        "",
                        _figure(effect, "percent_value", "percent"),
                        effect["unit"],
                    ]
                )
                _number_formats(effects[effects.max_row][3:7], effect)
    for name in ("A", "B", "C", "E"):
        sheet.column_dimensions[name].width = 30
    # Schedule labels (検討, 順次実施 …) on one line: a full-width character is two columns wide.
    first_schedule = 7
    for offset, _label in enumerate(data["year_labels"]):
        letter = get_column_letter(first_schedule + offset)
        longest = max(
            [len(str(cell.value or "")) for cell in sheet[letter][1:]] or [0],
        )
        sheet.column_dimensions[letter].width = max(10, longest * 2 + 2)
