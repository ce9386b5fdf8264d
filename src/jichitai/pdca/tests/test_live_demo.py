"""The demo's KPIs are measured live from the platform's own data: the staff survey's answers per
年度 in the plan period, the applications received online, and the RPA hours saved from the effect
ledger (its R3 lines imported history); years without data print 「－」, never 0."""

import pytest

from jichitai.pdca import selectors
from jichitai.pdca.models import EffectFigure, ReportSnapshot

pytestmark = pytest.mark.django_db


def _indicator(report: dict, name: str) -> dict:
    return next(item for item in report["indicators"] if item["name"] == name)


def test_a_new_year_of_the_policy_shows_live_figures_and_a_dash_for_years_without_data(policy):
    report = selectors.evaluation_data(policy, 2023)
    survey = _indicator(report, "スマート自治体の進展を実感する職員の割合")
    years = {year["fiscal_year"]: year for year in survey["years"]}
    assert [years[year]["actual"] for year in (2020, 2021, 2022, 2023)] == [
        "－",
        "20.0%",
        "35.6%",
        "62.0%",
    ]
    assert all(years[year]["measured"] for year in (2021, 2022, 2023))
    assert years[2021]["achievement"] == "達成"  # 20.0% of the staff, as targeted
    assert years[2022]["achievement"] == ""  # no target for R4: nothing to compare with
    assert survey["live"] == {
        "metric": "アンケートで特定の回答を選んだ人の割合",
        "since": "令和3年11月10日",
    }
    assert survey["no_data_note"]

    applications = _indicator(report, "電子申請・届出システムによる申請件数")
    years = {year["fiscal_year"]: year for year in applications["years"]}
    assert years[2020]["actual"] == "22,299件" and not years[2020]["measured"]  # as entered
    assert years[2021]["actual"] == "40件" and years[2021]["measured"]  # answers sent online


def test_the_xlsx_of_a_new_year_notes_the_live_figures(policy):
    import io

    from openpyxl import load_workbook

    from jichitai.pdca import reports

    sheet = load_workbook(io.BytesIO(reports.xlsx(selectors.evaluation_data(policy, 2023))))[
        "施策評価表"
    ]
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if str(row[0]).startswith("※")]
    assert any("令和3年11月10日以降の記録" in note and "「－」は" in note for note in notes)


def test_the_published_r3_sheet_keeps_the_seed_figures(policy):
    snapshot = selectors.latest_snapshot(policy, ReportSnapshot.Kind.EVALUATION, 2021)
    survey = _indicator(snapshot.data, "スマート自治体の進展を実感する職員の割合")
    assert [year["actual"] for year in survey["years"]] == ["", "", "", ""]


def test_the_rpa_effect_comes_from_the_ledger_with_its_imported_lines(strategy):
    from jichitai.automation import selectors as automation

    effect = strategy.effects.get(kind=EffectFigure.Kind.BEFORE_AFTER, unit="時間")
    assert effect.source_metric == "automation.hours_saved"
    data = selectors.effect_data(effect)
    assert (data["before"], data["after"], data["reduction"], data["percent"]) == (
        "2,681",
        "1,479",
        "1,202",
        "44.8",
    )
    lines = automation.ledger_lines(strategy.organization, 2021)
    assert lines.count() == 13 and all(line.note.startswith("取込") for line in lines)
