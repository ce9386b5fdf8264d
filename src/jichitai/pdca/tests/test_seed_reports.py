"""The demo reproduces the seeds: the reports generated from it show the seeds' figures exactly,
read back from the PDF text and the XLSX cells."""

import io
import re

import pytest
from openpyxl import load_workbook

from jichitai.core.tests.pdf import all_fonts_embedded, pdf_fonts, pdf_text
from jichitai.pdca import reports, selectors
from jichitai.pdca.models import ReportSnapshot


def text_of(content: bytes) -> str:
    return re.sub(r"\s+", "", pdf_text(content))


def cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


@pytest.mark.django_db
class TestEvaluationSheets:
    def test_r3_sheet_matches_seed_002(self, policy):
        snapshot = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2021)
        content = reports.pdf(snapshot.data)
        assert all_fonts_embedded(content)
        text = text_of(content)
        for figure in [
            "10.0%",
            "20.0%",
            "60.0%",
            "60所属",
            "95所属",
            "167所属",
            "18,765件",
            "22,400件",
            "22,299件",
            "22,600件",
            "23,000件",
            "未達成",
        ]:
            assert figure in text, figure
        for budget in [
            "(R2)64,370千円→(R3)177,051千円",
            "(R2)22,717千円→(R3)23,093千円",
            "(R2)1,008,782千円→(R3)624,387千円",
            "(R2)20,140千円→(R3)16,196千円",
        ]:
            assert budget in text, budget
        assert "令和3年度の取組方向" in text and "現状と課題" in text
        assert "スマート自治体の進展を実感する" in text and "職員の割合" in text  # the cell wraps

    def test_charts_and_page_numbers_are_drawn_in_the_reports_own_fonts(self, policy):
        # Left to the system's default, the charts' text took whichever font fontconfig found
        # first (DejaVu Sans for digits, a handwriting-style font for 年度 where one is installed).
        snapshot = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2021)
        content = reports.pdf(snapshot.data)
        families = {line.split()[0].split("+", 1)[1] for line in pdf_fonts(content)}
        assert families <= {"IPAexGothic", "IPAexGothic-Bold", "IPAexMincho"}, families

    def test_r2_sheet_stays_as_published_in_seed_000(self, policy):
        snapshot = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2020)
        text = text_of(reports.pdf(snapshot.data))
        assert "22,000件" in text and "23,000" not in text  # the R5 target before its revision
        for budget in [
            "(R1)－→(R2)17,300千円",
            "(R1)17,961千円→(R2)18,137千円",
            "(R1)302,962千円→(R2)904,542千円",
            "(R1)102,142千円→(R2)132,215千円",
            "(R1)207,727千円→(R2)44,338千円",
        ]:
            assert budget in text, budget
        assert "令和2年度の実行方針" in text and "総務部" in text and "地域連携部" in text

    def test_xlsx_has_the_same_figures(self, policy):
        data = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2021).data
        values = cells(reports.xlsx(data))
        for figure in ["18765", "22400", "22299", "未達成", "22600", "23000", "177051", "64370"]:
            assert figure in values, figure  # numbers stored as numbers


@pytest.mark.django_db
class TestProgressReport:
    def test_r3_progress_report_matches_seed_001(self, strategy):
        data = selectors.latest_snapshot(strategy, ReportSnapshot.Kind.PROGRESS, 2021).data
        assert [item["number"] for item in data["initiatives"]] == list(range(1, 9))
        numbers = sorted(
            {
                action["number"]
                for item in data["initiatives"]
                for section in item["sections"]
                for action in section["actions"]
                if not action.get("reprint")
            }
        )
        assert numbers == list(range(1, 35))
        text = text_of(reports.pdf(data))
        for figure in [
            "2,681時間",
            "1,479時間",
            "44.8%の削減(1,202時間の削減)",
            "18,392枚",
            "11,047枚",
            "40%の削減",
            "66/330所属",
        ]:
            assert figure in text, figure
        for division in ["自動車税事務所", "少子化対策課", "道路管理課", "県立病院課"]:
            assert division in text
        assert "R2年度：28業務、R3年度：13業務にRPAを導入" in text
        assert "91セット公開" in text

    def test_progress_xlsx_lists_every_action(self, strategy):
        data = selectors.latest_snapshot(strategy, ReportSnapshot.Kind.PROGRESS, 2021).data
        book = load_workbook(io.BytesIO(reports.xlsx(data)))
        rows = list(
            book["進捗報告"].iter_rows(min_row=5, values_only=True)
        )  # date, 所属, title, header
        assert len(rows) == 35  # 34 actions and the reprint of action 4 in (8)
        effects = list(book["効果"].iter_rows(min_row=2, values_only=True))
        rpa = next(row for row in effects if row[1] and "RPA" in row[1])
        assert rpa[3:7] == (2681, 1479, 1202, 44.8)


@pytest.mark.django_db
def test_budget_list_of_seed_003_adds_up(policy, login, make_member):
    from jichitai.tenancy.models import Role

    viewer = make_member(policy.organization, Role.VIEWER)
    page = login(viewer).get(f"/s/240001/pdca/plans/{policy.pk}/budgets/2020/").content.decode()
    assert 'id="subtotal-2020-5">210,321<' in page
    assert 'id="budget-total-2020">312,451<' in page


@pytest.mark.django_db
def test_the_meeting_of_seed_004_with_its_survey(policy, login, make_member):
    from jichitai.tenancy.models import Role

    page = (
        login(make_member(policy.organization, Role.VIEWER))
        .get("/s/240001/pdca/meetings/")
        .content.decode()
    )
    assert "86%" in page and "28団体中 24団体" in page
    assert "令和2年6月17日" in page and "オープンデータマニュアルについて" in page
    assert "参加団体 29" in page
