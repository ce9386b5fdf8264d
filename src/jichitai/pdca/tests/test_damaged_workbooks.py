"""Workbooks that are damaged or that claim more than they hold: a file that cannot be read is
refused beside the file field with the plan's page kept, a 年度 the platform does not handle is a
problem of its row in the preview, and a sheet is read by the cells it holds, not by the size it
claims (Excel's last row is 1,048,576)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jichitai.core.tests.samples import FIRST_SHEET, with_part_rewritten
from jichitai.pdca import workbook, workbook_diff
from jichitai.pdca.models import ImportBatch, Project, ProjectYear
from jichitai.pdca.tests.factories import plan_with_action

pytestmark = pytest.mark.django_db

# The sheets as export_workbook writes them, in this order.
ACTIONS_PART = FIRST_SHEET
BUDGETS_PART = "xl/worksheets/sheet3.xml"
LAST_ROW = 1_048_576


def _patched(data: bytes, part: str, patch) -> bytes:
    """The workbook with one of its zip members (a sheet's XML …) rewritten by ``patch``."""
    return with_part_rewritten(data, part, lambda content: patch(content.decode()).encode())


def _claiming_the_whole_grid(xml: str, last_cell: str) -> str:
    """The sheet declaring the dimension A1:XFD1048576 and holding ``last_cell`` at its last row."""
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return xml.replace("</sheetData>", f'<row r="{LAST_ROW}">{last_cell}</row></sheetData>')


def _import(client, plan, data: bytes, **options):
    return client.post(
        f"/s/{plan.organization.code}/pdca/plans/{plan.pk}/workbook/import/",
        {"workbook": SimpleUploadedFile("plan.xlsx", data)},
        **options,
    )


@pytest.mark.parametrize(
    ("part", "closing_tag", "message"),
    [
        ("xl/workbook.xml", "</sheets>", "Excel ファイル(.xlsx)として読み取れません。"),
        (ACTIONS_PART, "</row>", "「取組」シートが壊れているため読み取れません。"),
    ],
    ids=["workbook part", "sheet part"],
)
def test_a_workbook_whose_xml_is_broken_is_refused_beside_the_file_field(
    tsu, tsu_admin, login, part, closing_tag, message
):
    """An .xlsx whose XML is not well-formed (a sheet's or the workbook's) is not a preview and
    not a server error: the plan's page comes back with the reason beside the file field, and
    nothing is stored."""
    plan = plan_with_action(tsu)
    # The first such closing tag no longer matches its opening tag.
    broken = _patched(
        workbook.export_workbook(plan),
        part,
        lambda xml: xml.replace(closing_tag, closing_tag.replace(">", "x>"), 1),
    )

    response = _import(login(tsu_admin), plan, broken)

    assert response.status_code == 400
    page = response.content.decode()
    field = page[page.index('name="workbook"') - 700 :][:900]
    assert message in field and 'aria-invalid="true"' in field
    assert plan.name in page  # the plan's page again, not a page of its own
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("year", ["1800年度", "0000年度", "2201年度"])
def test_a_year_the_platform_does_not_handle_is_a_problem_of_its_row(tsu, tsu_admin, login, year):
    """A 評価表 edited to a 年度 before 明治 or past what the platform handles (1900〜2200年度)
    names its sheet, row and column in the preview, like any other wrong value; nothing crashes."""
    plan = plan_with_action(tsu)
    project = Project.objects.create(plan=plan, sheet_year=2024, name="RPA 導入事業")
    ProjectYear.objects.create(project=project, fiscal_year=2024, budget=1200)
    book = load_workbook(io.BytesIO(workbook.export_workbook(plan)))
    budgets = book[workbook.BUDGETS]
    header = [cell.value for cell in budgets[2]]
    budgets.cell(row=3, column=header.index("評価表") + 1, value=year)
    edited = io.BytesIO()
    book.save(edited)

    response = _import(login(tsu_admin), plan, edited.getvalue(), follow=True)

    assert response.status_code == 200
    (batch,) = ImportBatch.objects.all()
    assert batch.problems == [
        f"事業予算シート 3行目 「評価表」列: 「{year}」は扱える年度の範囲外です"
        "(1900年度〜2200年度)。"
    ]
    assert batch.problems[0] in response.content.decode()


def test_a_sheet_claiming_the_whole_grid_is_read_by_the_cells_it_holds(tsu):
    """A sheet that declares A1:XFD1048576 and holds one value at Excel's last row is read in a
    moment: the far row is checked like any other (here: it names no plan), and the rows
    between are nothing."""
    plan = plan_with_action(tsu)
    data = _patched(
        workbook.export_workbook(plan),
        ACTIONS_PART,
        lambda xml: _claiming_the_whole_grid(
            xml, f'<c r="A{LAST_ROW}" t="inlineStr"><is><t>メモ</t></is></c>'
        ),
    )

    entries, problems = workbook_diff.read_workbook(plan, data)

    assert [entry["row"] for entry in entries if entry["sheet"] == "取組"] == [2]
    assert (
        f"取組シート {LAST_ROW}行目 「計画」列: 「メモ」はこの計画({plan.slug})ではありません。"
        in (problems)
    )


def test_an_empty_cell_far_out_adds_nothing_to_read(tsu):
    """A sheet that declares A1:XFD1048576 and holds only an empty (formatted) cell at its far
    corner reads exactly as the workbook without it."""
    plan = plan_with_action(tsu)
    exported = workbook.export_workbook(plan)
    data = _patched(
        exported,
        BUDGETS_PART,
        lambda xml: _claiming_the_whole_grid(xml, f'<c r="XFD{LAST_ROW}" s="0"/>'),
    )

    assert workbook_diff.read_workbook(plan, data) == workbook_diff.read_workbook(plan, exported)
