"""The further figures across the 市町: how long applications took against their 標準処理期間,
open datasets and their 5-star rating, paper pages read by AI-OCR (「－」 while no module counts
them), applications per month and channel; and a hidden count never recoverable from the totals."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from jichitai.collaboration import peers
from jichitai.core.japanese import fiscal_year, fiscal_year_bounds
from jichitai.core.metrics import Metric
from jichitai.core.registry import metrics
from jichitai.opendata import services as opendata
from jichitai.opendata.tests.factories import published as published_dataset
from jichitai.procedures import services as procedures
from jichitai.procedures.models import Application, ApplicationEvent
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db


def column(table, key):
    index = [item["key"] for item in table["figures"]].index(key)
    return {row["name"]: row["texts"][index] for row in table["rows"]}, table["summary_texts"][
        index
    ]


def completed(procedure, number, *, received, took_days, due):
    """An application received on ``received`` and completed ``took_days`` later."""
    application = procedures.submit_application(
        procedure=procedure, data=event_data(number)
    ).application
    procedures.change_status(actor=None, application=application, to_status="approved")
    procedures.change_status(actor=None, application=application, to_status="completed")
    at = timezone.make_aware(datetime.combine(received, datetime.min.time())) + timedelta(hours=10)
    Application.objects.filter(pk=application.pk).update(submitted_at=at, due_date=due)
    ApplicationEvent.objects.filter(application=application).update(
        at=at + timedelta(days=took_days)
    )
    return application


def test_median_days_to_completion_against_the_standard_period(tsu, ise, kameyama, prefecture):
    # The first day of this 年度, so the applications stay in the 年度 they were submitted in.
    received = fiscal_year_bounds(fiscal_year(timezone.localdate()))[0]
    due = received + timedelta(days=14)
    procedure = published_procedure(tsu, processing_days=10, one_per_email=False)
    for number, days in enumerate((2, 4, 6, 8, 30)):
        completed(procedure, number, received=received, took_days=days, due=due)
    # Received and not finished yet: not counted.
    procedures.submit_application(procedure=procedure, data=event_data(9))
    few = published_procedure(ise, processing_days=10, one_per_email=False)
    for number, days in enumerate((1, 3)):
        completed(few, number, received=received, took_days=days, due=due)
    # A procedure without 標準処理期間: its days count, its share does not exist.
    none = published_procedure(kameyama, one_per_email=False)
    for number in range(5):
        completed(none, number, received=received, took_days=number + 1, due=None)

    table = peers.peer_table(prefecture, fiscal_year(timezone.localdate()))
    count, _summary = column(table, "completed")
    days, days_summary = column(table, "processing_days")
    share, _summary = column(table, "within_period")
    assert count == {"津市": "5", "伊勢市": "秘匿", "亀山市": "5"}
    assert days == {"津市": "6", "伊勢市": "秘匿", "亀山市": "3"}
    assert share == {"津市": "80", "伊勢市": "秘匿", "亀山市": "－"}
    assert days_summary["median_text"] == "4.5" and days_summary["range_text"] == "3〜6"


def test_open_datasets_and_their_star_rating(tsu, ise, kameyama, prefecture):
    published_dataset(tsu, "tsu-aed")  # a CSV under CC BY: ★3
    report = opendata.create_dataset(
        actor=None, organization=tsu, name="tsu-report", title="PDFの報告書"
    )
    opendata.add_resource(
        actor=None, dataset=report, url="https://example.jp/report.pdf", format="PDF"
    )
    opendata.publish_dataset(actor=None, dataset=report)  # ★1
    published_dataset(ise, "ise-aed")
    opendata.create_dataset(actor=None, organization=ise, name="ise-draft", title="非公開")

    table = peers.peer_table(prefecture, fiscal_year(timezone.localdate()))
    assert column(table, "datasets")[0] == {"津市": "2", "伊勢市": "1", "亀山市": "0"}
    assert column(table, "datasets_3stars")[0] == {"津市": "1", "伊勢市": "1", "亀山市": "0"}
    assert column(table, "mean_stars")[0] == {"津市": "2", "伊勢市": "3", "亀山市": "－"}


@pytest.fixture
def pages_read():
    """``ocr.pages_read`` as the paper intake counts it: here, pages per 市町 given by the test;
    whatever was registered before is put back afterwards."""
    before = metrics.get("ocr.pages_read") if "ocr.pages_read" in metrics else None
    metrics.unregister("ocr.pages_read")
    pages: dict[str, int] = {}
    metrics.register(
        "ocr.pages_read",
        Metric(
            name="ocr.pages_read",
            label="AI-OCRで読み取ったページ数",
            unit="枚",
            compute=lambda organization, fiscal_year: pages.get(organization.code),
        ),
    )
    yield pages
    metrics.unregister("ocr.pages_read")
    if before is not None:
        metrics.register("ocr.pages_read", before)


def test_paper_pages_read_are_shown_when_counted_and_small_counts_hidden(
    tsu, ise, kameyama, prefecture, pages_read
):
    pages_read.update({"242012": 120, "242039": 3})
    table = peers.peer_table(prefecture, 2026)
    assert column(table, "ocr_pages")[0] == {"津市": "120", "伊勢市": "秘匿", "亀山市": "－"}


def test_paper_pages_are_a_dash_while_no_module_counts_them(tsu, ise, prefecture, pages_read):
    metrics.unregister("ocr.pages_read")
    table = peers.peer_table(prefecture, 2026)
    pages, summary = column(table, "ocr_pages")
    assert pages == {"津市": "－", "伊勢市": "－"}
    assert summary["median_text"] == "－" and summary["range_text"] == "－"


def test_a_hidden_count_cannot_be_worked_out_from_the_totals(tsu, ise, prefecture):
    """津市: 7 online and 2 on paper, all this month. The 2 is hidden; with the year's 9 and the
    API's 0 shown the online count must be hidden too, and then its month as well (the other
    months are 0, so the year's online count would be that month's)."""
    procedure = published_procedure(tsu, one_per_email=False)
    for number in range(7):
        procedures.submit_application(procedure=procedure, data=event_data(number))
    for number in range(7, 9):
        procedures.submit_application(procedure=procedure, data=event_data(number), channel="paper")
    table = peers.peer_table(prefecture, fiscal_year(timezone.localdate()))
    row = next(row for row in table["rows"] if row["name"] == "津市")
    figures = dict(zip([item["key"] for item in table["figures"]], row["texts"], strict=True))
    assert figures["applications"] == "9" and figures["api_applications"] == "0"
    assert figures["paper_applications"] == "秘匿" and figures["online_applications"] == "秘匿"
    month = table["months"].index(timezone.localdate().strftime("%Y-%m"))
    lines = {line["channel"]: line["texts"] for line in row["month_texts"]}
    assert lines["online"][month] == "秘匿" and lines["paper"][month] == "秘匿"
    assert [text for index, text in enumerate(lines["online"]) if index != month] == ["0"] * 11
    # Every published sum (a channel's year and its months; the year and its channels) hides
    # none or at least two of its numbers.
    for line in row["month_texts"]:
        assert [figures[f"{line['channel']}_applications"], *line["texts"]].count("秘匿") != 1
    channels = ["applications", "online_applications", "paper_applications", "api_applications"]
    assert [figures[key] for key in channels].count("秘匿") != 1


def test_protection_hides_a_second_count_in_each_sum_with_one_hidden():
    counts = {"total": 20, "a": 2, "b": 8, "c": 10, "d": 0}
    assert peers.protect(counts, [("total", ["a", "b", "c", "d"])]) == {"a", "b"}
    assert peers.protect({"total": 0, "a": 0}, [("total", ["a"])]) == set()
    # Two hidden already: nothing more to hide.
    assert peers.protect({"total": 5, "a": 2, "b": 3}, [("total", ["a", "b"])]) == {"a", "b"}


def test_procedures_in_each_municipalitys_catalog_are_counted(tsu, ise, kameyama, prefecture):
    published_procedure(tsu, name="子育て講座")
    published_procedure(tsu, name="スマホ教室", online=False)  # paper only: still in the catalog
    procedures.close_procedure(actor=None, procedure=published_procedure(tsu, name="終了した講座"))
    published_procedure(ise)
    procedures.create_procedure(  # a draft is not in the catalog
        actor=None,
        organization=kameyama,
        division=DivisionFactory(organization=kameyama),
        name="下書き",
        category="event",
    )

    table = peers.peer_table(prefecture, fiscal_year(timezone.localdate()))
    counts, summary = column(table, "procedures")
    assert counts == {"津市": "3", "伊勢市": "1", "亀山市": "0"}
    assert summary["median_text"] == "1" and summary["range_text"] == "0〜3"
    shares, _summary = column(table, "online_share")
    assert shares["津市"] == "66.7"  # of the same three procedures, two accept online
