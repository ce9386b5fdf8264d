"""Paper pages read by AI-OCR as a live KPI: an indicator bound to ``ocr.pages_read`` counts the
pages of the organization's batches per 年度 and prints 「－」 for the 年度 before the first one."""

from datetime import datetime

import pytest
from freezegun import freeze_time

from jichitai.core.registry import metrics
from jichitai.ocr.models import Batch, BatchFile, ScanPage
from jichitai.ocr.tests.factories import paper_template
from jichitai.pdca import selectors, services
from jichitai.pdca.tests.factories import plan_with_action


def _batch_of(paper, pages: int) -> None:
    """A batch as the reading job leaves it: its pages stored (no image needed to count them)."""
    batch = Batch.objects.create(organization=paper.organization, template=paper)
    source = BatchFile.objects.create(batch=batch, original_name="scan.pdf", pages=pages)
    for number in range(1, pages + 1):
        ScanPage.objects.create(
            organization=paper.organization, batch=batch, source=source, number=number
        )


@pytest.mark.django_db
def test_pages_read_per_year_bound_to_an_indicator(tsu, ise):
    paper = paper_template(tsu)
    with freeze_time(datetime(2024, 3, 30, 10, 0)):  # 令和5年度
        _batch_of(paper, 2)
    with freeze_time(datetime(2024, 4, 2, 10, 0)):  # 令和6年度
        _batch_of(paper, 3)
        _batch_of(paper, 4)
    _batch_of(paper_template(ise), 5)  # another organization's pages are not counted

    metric = metrics.get("ocr.pages_read")
    assert [metric.compute(tsu, year) for year in (2022, 2023, 2024)] == [0, 2, 7]
    assert metric.unit == "ページ" and str(metric.since(tsu)) == "2024-03-30"

    plan = plan_with_action(tsu, first_year=2022, last_year=2025)
    indicator = plan.indicators.get()
    services.bind_metric(
        actor=None, indicator=indicator, metric_name="ocr.pages_read", parameters={}
    )
    with freeze_time(datetime(2025, 5, 1, 10, 0)):
        years = {
            year["fiscal_year"]: year
            for year in selectors.evaluation_data(plan, 2025)["indicators"][0]["years"]
        }
    assert [years[year]["actual"] for year in (2022, 2023, 2024, 2025)] == [
        "－",
        "2件",
        "7件",
        "0件",  # the indicator's own unit
    ]
