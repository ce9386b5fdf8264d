"""Survey tallies and the live metrics the plan/KPI module reads."""

from decimal import Decimal

import pytest

from jichitai.core.registry import metrics
from jichitai.procedures import selectors, services
from jichitai.procedures.models import Procedure
from jichitai.procedures.tests.factories import published_procedure

CHOICES = ["実感している", "やや実感している", "あまり実感していない", "実感していない"]
SURVEY = [
    {
        "name": "feel",
        "type": "single_choice",
        "label": "スマート自治体の進展を実感しますか",
        "required": True,
        "choices": [{"value": c, "label": c} for c in CHOICES],
    },
    {
        "name": "tools",
        "type": "multiple_choice",
        "label": "使ったもの",
        "required": False,
        "choices": [{"value": "RPA", "label": "RPA"}, {"value": "チャット", "label": "チャット"}],
    },
]


@pytest.fixture
def survey(prefecture):
    procedure = published_procedure(
        prefecture, name="職員アンケート", fields=SURVEY, category=Procedure.Category.SURVEY
    )
    for number, answer in enumerate([0, 0, 1, 2, 2, 2, 3, 3, 1, 2]):
        services.submit_application(
            procedure=procedure,
            data={"feel": CHOICES[answer], "tools": ["RPA"] if number % 2 else ["RPA", "チャット"]},
        )
    return procedure


@pytest.mark.django_db
def test_the_tally_counts_each_choice(survey):
    tally = selectors.survey_tally(survey)
    feel = tally[0]
    assert feel["respondents"] == 10
    assert [(c["label"], c["count"], c["percent"]) for c in feel["choices"]] == [
        ("実感している", 2, Decimal("20.0")),
        ("やや実感している", 2, Decimal("20.0")),
        ("あまり実感していない", 4, Decimal("40.0")),
        ("実感していない", 2, Decimal("20.0")),
    ]
    tools = tally[1]
    assert tools["multiple"] and [c["count"] for c in tools["choices"]] == [10, 5]


@pytest.mark.django_db
def test_the_main_indicator_is_the_share_choosing_positive_answers(survey, prefecture):
    year = survey.applications.first().fiscal_year
    metric = metrics.get("procedures.survey_answer_share")
    share = metric.compute(
        prefecture, year, procedure_id=survey.pk, question="feel", answers=CHOICES[:2]
    )
    assert share == Decimal("40.0")
    assert (
        metric.compute(
            prefecture, year - 1, procedure_id=survey.pk, question="feel", answers=CHOICES[:2]
        )
        is None
    )


@pytest.mark.django_db
def test_application_count_and_online_share_metrics(survey, prefecture):
    year = survey.applications.first().fiscal_year
    assert metrics.get("procedures.applications").compute(prefecture, year) == 10
    assert (
        metrics.get("procedures.applications").compute(
            prefecture, year, procedure_ids=[str(survey.pk)]
        )
        == 10
    )
    paper_only = published_procedure(prefecture, name="窓口のみの手続", online=False)
    assert paper_only.pk
    assert metrics.get("procedures.online_share").compute(prefecture, year) == Decimal("50.0")


@pytest.mark.django_db
def test_results_page_draws_a_bar_chart(survey, prefecture, make_member, login):
    from jichitai.tenancy.models import Role

    page = (
        login(make_member(prefecture, Role.VIEWER))
        .get(f"/s/{prefecture.code}/procedures/{survey.pk}/results/")
        .content.decode()
    )
    assert '<svg class="bar-chart" role="img"' in page
    assert "実感している 2人(20.0%)" in page


@pytest.mark.django_db
def test_the_charts_description_reads_in_english(survey, prefecture, make_member, login):
    """What a screen reader says for the chart follows the page's language (the answers
    themselves stay as the form wrote them)."""
    from jichitai.tenancy.models import Role

    viewer = login(make_member(prefecture, Role.VIEWER))
    viewer.cookies["django_language"] = "en"
    page = viewer.get(f"/s/{prefecture.code}/procedures/{survey.pk}/results/").content.decode()
    description = page.split('-desc">', 1)[1].split("</desc>", 1)[0]
    assert "実感している: 2 (20.0%); " in description
    assert "人(" not in description and "、" not in description
