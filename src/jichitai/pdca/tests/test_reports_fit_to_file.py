"""Reports fit to file: a live indicator never prints 0 for a 年度 the platform held no data for,
chart labels never overlap, XLSX figures are numbers with number formats, and a missing budget
is 「－」."""

import io
import re
import subprocess
from datetime import datetime
from itertools import combinations

import pytest
from django.utils import translation
from freezegun import freeze_time
from openpyxl import load_workbook

from jichitai.pdca import reports, selectors
from jichitai.pdca.models import ReportSnapshot
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.procedures import services as procedures
from jichitai.procedures.tests.factories import event_data, published_procedure


@pytest.mark.django_db
def test_a_live_indicator_prints_a_dash_with_a_note_for_years_without_data(tsu):
    plan = plan_with_action(tsu, first_year=2021, last_year=2025)
    indicator = plan.indicators.get()
    indicator.metric_name = "procedures.applications"
    indicator.save(update_fields=["metric_name"])
    with freeze_time(datetime(2024, 6, 1, 10, 0)):  # 令和6年度: the first application
        procedure = published_procedure(tsu)
        procedures.submit_application(procedure=procedure, data=event_data())
    with freeze_time(datetime(2025, 5, 1, 10, 0)):
        rows = {row["fiscal_year"]: row for row in selectors.indicator_rows(indicator)}
        assert [rows[year]["actual"] for year in (2021, 2022, 2023)] == [None, None, None]
        assert all(rows[year]["no_data"] for year in (2021, 2022, 2023))
        assert rows[2024]["actual"] == 1 and rows[2024]["measured"]
        report = selectors.evaluation_data(plan, 2025)
    years = {year["fiscal_year"]: year for year in report["indicators"][0]["years"]}
    assert years[2021]["actual"] == "－" and years[2021]["achievement"] == ""
    assert years[2025]["actual"] == "0件"  # a real 0: the platform held data that 年度
    live = report["indicators"][0]["live"]
    assert live["since"] == "令和6年6月1日" and live["metric"] == "電子申請・届出の申請件数"
    assert "記録されていない年度" in report["indicators"][0]["no_data_note"]


def _words(content: bytes) -> list[tuple[str, int, float, float, float, float]]:
    """Every word of the PDF with its page and box (pdftotext from poppler-utils)."""
    html = subprocess.run(
        ["/usr/bin/pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (word, page, float(a), float(b), float(c), float(d))
        for page, text in enumerate(html.split("<page ")[1:])
        for a, b, c, d, word in re.findall(pattern, text)
    ]


@pytest.mark.django_db
def test_chart_value_labels_do_not_intersect(policy):
    data = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2021).data
    content = reports.pdf(data)
    figures = [word for word in _words(content) if re.fullmatch(r"[\d,.]+", word[0])]
    assert any(word[0] == "22,299" for word in figures)
    for word in figures:
        assert re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d)?", word[0]), f"labels run together: {word[0]}"
    for first, second in combinations(figures, 2):
        (text_a, page_a, ax0, ay0, ax1, ay1), (text_b, page_b, bx0, by0, bx1, by1) = first, second
        overlap = ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and ay0 < by1 - 0.5 and by0 < ay1 - 0.5
        assert page_a != page_b or not overlap, f"「{text_a}」 and 「{text_b}」 overlap"


@pytest.mark.django_db
def test_evaluation_xlsx_stores_figures_as_numbers_with_formats(policy):
    data = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2021).data
    book = load_workbook(io.BytesIO(reports.xlsx(data)))
    sheet = book["施策評価表"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "電子申請・届出システムによる申請件数")
    numbers = [cell for cell in row if cell.data_type == "n" and cell.value is not None]
    assert 22299 in [cell.value for cell in numbers] and 22400 in [cell.value for cell in numbers]
    actual = next(cell for cell in numbers if cell.value == 22299)
    assert actual.number_format == '#,##0"件"'
    assert not any(
        isinstance(cell.value, str) and re.fullmatch(r"[\d,]+件", cell.value) for cell in row
    )
    projects = book["主な事業"]
    budgets = [cell.value for row in projects.iter_rows(min_row=2) for cell in row[5:7]]
    assert 177051 in budgets and 64370 in budgets
    assert not any(isinstance(value, str) and re.fullmatch(r"[\d,]+", value) for value in budgets)
    graph = [
        cell
        for row in book["グラフ"].iter_rows()
        for cell in row
        if isinstance(cell.value, int | float)
    ]
    assert 22299 in [cell.value for cell in graph]
    assert all(cell.number_format.startswith("#,##0") for cell in graph)


@pytest.mark.django_db
def test_progress_xlsx_effects_are_numbers(strategy):
    data = selectors.latest_snapshot(strategy, ReportSnapshot.Kind.PROGRESS, 2021).data
    book = load_workbook(io.BytesIO(reports.xlsx(data)))
    effects = list(book["効果"].iter_rows(min_row=2, values_only=True))
    rpa = next(row for row in effects if row[1] and "RPA" in row[1])
    assert rpa[3:7] == (2681, 1479, 1202, 44.8)


@pytest.mark.django_db
def test_no_budget_is_a_dash_not_one_thousand_yen(policy):
    from jichitai.core.tests.pdf import pdf_text

    snapshot = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2020)
    text = re.sub(r"\s+", "", pdf_text(reports.pdf(snapshot.data)))
    assert "(R1)－→(R2)17,300千円" in text
    assert "一千円" not in text


@pytest.mark.django_db
def test_progress_report_schedule_labels_stay_on_one_line(strategy):
    data = selectors.latest_snapshot(strategy, ReportSnapshot.Kind.PROGRESS, 2021).data
    words = [word[0] for word in _words(reports.pdf(data))]
    cells = [
        cell
        for initiative in data["initiatives"]
        for section in initiative["sections"]
        for action in section["actions"]
        for cell in action["schedule"]
    ]
    for label in ("運用", "順次実施"):
        # Each schedule cell reads as one word (before, 運/用 wrapped in a column too narrow).
        assert words.count(label) >= cells.count(label) > 0, label
    sheet = load_workbook(io.BytesIO(reports.xlsx(data)))["進捗報告"]
    assert sheet.column_dimensions["G"].width >= 10


@pytest.mark.django_db
def test_reports_carry_the_date_and_section_lines_of_the_seed_documents(strategy, policy):
    from jichitai.core.tests.pdf import pdf_text

    data = selectors.latest_snapshot(strategy, ReportSnapshot.Kind.PROGRESS, 2021).data
    lines = [line.strip() for line in pdf_text(reports.pdf(data)).splitlines() if line.strip()]
    # Seed 001 opens: 令和4年5月30日 / デジタル戦略企画課 / 現行「みえデジタル戦略推進計画」にかかる報告
    assert lines[:2] == ["令和4年5月30日", "三重県 デジタル戦略企画課"]
    assert lines[2].startswith("「みえデジタル戦略推進計画」にかかる報告")
    sheet = load_workbook(io.BytesIO(reports.xlsx(data)))["進捗報告"]
    assert [sheet["A1"].value, sheet["A2"].value] == ["令和4年5月30日", "三重県 デジタル戦略企画課"]

    with freeze_time(datetime(2022, 8, 1, 9, 0)):
        evaluation = selectors.evaluation_data(policy, 2021)
    text = pdf_text(reports.pdf(evaluation))
    assert (
        text.index("令和4年8月1日")
        < text.index("三重県 スマート改革推進課")
        < text.index("【主担当部局：総務部】")
    )
    sheet = load_workbook(io.BytesIO(reports.xlsx(evaluation)))["施策評価表"]
    assert [sheet["A1"].value, sheet["A2"].value] == ["令和4年8月1日", "三重県 スマート改革推進課"]


@pytest.mark.django_db
def test_a_new_plans_evaluation_sheet_says_what_is_not_written_yet(prefecture):
    """A plan just set up, with no 主担当部局, texts, projects or figures for an indicator, prints
    「記載なし」 and 「未登録」 where a reader would otherwise find a bare heading, empty axes or
    「【主担当部局：】」."""
    from jichitai.core.tests.pdf import pdf_text
    from jichitai.pdca.models import Indicator

    plan = plan_with_action(prefecture)
    Indicator.objects.create(plan=plan, kind="sub", name="研修の受講者数", unit="人")
    text = pdf_text(reports.pdf(selectors.evaluation_data(plan, 2024)))
    assert "主担当部局" not in text
    assert text.count("（記載なし）") == 2
    assert "（令和6年度の主な事業の登録はありません）" in text
    assert "（研修の受講者数の目標値・実績値は未登録です）" in text
    assert "（申請件数の目標値・実績値は未登録です）" not in text  # its target is drawn


@pytest.mark.django_db
def test_a_progress_report_without_actions_says_so(prefecture):
    from jichitai.core.tests.pdf import pdf_text
    from jichitai.pdca.models import Action, Node

    plan = plan_with_action(prefecture)
    Action.objects.filter(plan=plan).delete()
    Node.objects.filter(plan=plan).delete()
    text = pdf_text(reports.pdf(selectors.progress_data(plan, 2024)))
    assert "（この計画には取組が登録されていません）" in text


@pytest.mark.django_db
def test_an_indicators_explanation_and_its_chart_stay_on_one_page(policy):
    """The live 令和4年度 sheet of the demo policy: the main indicator's explanation ends page 1
    unless it moves with its chart, which would otherwise open page 2 without its heading."""
    content = reports.pdf(selectors.evaluation_data(policy, 2022))
    words = [(word, page) for word, page, *_box in _words(content)]
    start = next(i for i, (word, _page) in enumerate(words) if word.startswith("目標項目の説明"))
    legend = next(page for word, page in words[start:] if word == "目標値")  # the chart's key
    assert legend == words[start][1]


@pytest.mark.django_db
def test_a_report_made_by_staff_reading_the_site_in_english_is_the_japanese_filing(policy):
    """The report reproduces the Japanese documents the 議会 receives: its charts' years and
    legends stay in Japanese whatever language the staff member reads the site in."""
    with translation.override("en"):
        data = selectors.evaluation_data(policy, 2021)
        content = reports.pdf(data)
    words = [word[0] for word in _words(content)]
    assert "R2年度" in words and "目標値" in words
    assert not any(word.startswith("FY") for word in words) and "Target" not in words
