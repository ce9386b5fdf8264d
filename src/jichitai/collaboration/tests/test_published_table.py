"""The figures across the 市町 as open data in the prefecture's catalog: the daily job writes the
dataset 「県内市町のスマート自治体指標」 (CC BY 4.0) with a CSV (UTF-8 with BOM) and a JSON file holding
exactly the public page's figures of the previous and the current 年度; running it again updates
the same files, never a second dataset."""

import csv
import io
import json

import pytest
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.japanese import fiscal_year
from jichitai.jobs.models import Job
from jichitai.jobs.registry import schedules
from jichitai.jobs.services import start_job
from jichitai.opendata import demo as opendata_demo
from jichitai.opendata import services as opendata
from jichitai.opendata.models import Dataset
from jichitai.procedures import services as procedures
from jichitai.procedures.tests.factories import event_data, published_procedure

pytestmark = pytest.mark.django_db

NAME = "240001-municipal-figures"


@pytest.fixture
def applications(tsu, ise):
    """津市 received 7 online applications, 伊勢市 2 (too few to show)."""
    for organization, count in ((tsu, 7), (ise, 2)):
        procedure = published_procedure(organization, one_per_email=False)
        for number in range(count):
            procedures.submit_application(procedure=procedure, data=event_data(number))


def run_job(capture):
    with capture(execute=True):
        job = start_job(kind="opendata.refresh_published_tables", title="公開用の表の更新")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    return job


def files(dataset):
    return {
        resource.format: resource.file.open("rb").read() for resource in dataset.resources.all()
    }


def page_figures(client):
    """The public page's figures (its CSV/JSON download) of the previous and current 年度."""
    year = fiscal_year(timezone.localdate())
    fields, rows = None, []
    for shown in (year - 1, year):
        data = client.get(f"/o/240001/municipal-figures.json?year={shown}").json()
        fields = data["fields"]
        rows.extend(data["rows"])
    return fields, rows


def test_the_daily_job_publishes_the_pages_figures_once(
    client, prefecture, tsu, ise, applications, django_capture_on_commit_callbacks
):
    assert schedules.get("opendata.refresh_published_tables").cron == "30 4 * * *"
    run_job(django_capture_on_commit_callbacks)

    dataset = Dataset.objects.get(name=NAME)
    assert dataset.organization == prefecture and dataset.is_public
    assert dataset.title == "県内市町のスマート自治体指標"
    assert dataset.license_id == "CC-BY-4.0" and dataset.frequency == Dataset.Frequency.DAILY
    # The log names the table as people know it, not by its registry code.
    refreshed = AuditEvent.objects.get(action="opendata.published_table_refreshed")
    assert refreshed.summary == "県内市町のスマート自治体指標"
    written = files(dataset)
    assert sorted(written) == ["CSV", "JSON"]
    fields, rows = page_figures(client)
    assert written["CSV"].startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(written["CSV"].decode("utf-8-sig"))))
    assert table == [fields, *[["" if v is None else str(v) for v in row] for row in rows]]
    assert json.loads(written["JSON"]) == {"fields": fields, "rows": rows}
    assert [
        "242039",
        "伊勢市",
        fiscal_year(timezone.localdate()),
        "",
        "申請件数",
        "秘匿",
        "件",
    ] in rows
    for text in (written["CSV"].decode("utf-8-sig"), written["JSON"].decode()):
        for personal in ["太郎", "taro0@example.jp", "タロウ"]:
            assert personal not in text

    # In the public catalog, rated ★3 (CSV and JSON under CC BY), each file downloadable.
    page = client.get(f"/dataset/{NAME}")
    assert page.status_code == 200 and "県内市町のスマート自治体指標" in page.content.decode()
    assert "5段階評価で3つ星" in page.content.decode()
    for resource in dataset.resources.all():
        download = client.get(
            f"/dataset/{dataset.ckan_id}/resource/{resource.ckan_id}/download/{resource.filename}"
        )
        assert b"".join(download) == written[resource.format]

    # Again with the same figures: the same dataset and files, untouched.
    names = sorted(dataset.resources.values_list("file", flat=True))
    run_job(django_capture_on_commit_callbacks)
    assert Dataset.objects.filter(organization=prefecture).count() == 1
    assert sorted(dataset.resources.values_list("file", flat=True)) == names

    # A new application changes the figures: the same two resources carry them.
    procedure = published_procedure(ise, name="別の講座", one_per_email=False)
    for number in range(10, 13):
        procedures.submit_application(procedure=procedure, data=event_data(number))
    run_job(django_capture_on_commit_callbacks)
    assert Dataset.objects.filter(organization=prefecture).count() == 1
    assert dataset.resources.count() == 2
    assert json.loads(files(dataset)["JSON"]) == dict(
        zip(("fields", "rows"), page_figures(client), strict=True)
    )
    assert ["242039", "伊勢市", fiscal_year(timezone.localdate()), "", "申請件数", 5, "件"] in (
        json.loads(files(dataset)["JSON"])["rows"]
    )


def test_an_unpublished_dataset_stays_unpublished(
    prefecture, tsu, applications, django_capture_on_commit_callbacks
):
    run_job(django_capture_on_commit_callbacks)
    opendata.unpublish_dataset(actor=None, dataset=Dataset.objects.get(name=NAME))
    run_job(django_capture_on_commit_callbacks)
    assert not Dataset.objects.get(name=NAME).is_public


def test_the_demo_creates_the_dataset(prefecture, tsu, ise, applications):
    assert opendata_demo.load_published_tables() == [
        "オープンデータ: 三重県「県内市町のスマート自治体指標」を更新"
    ]
    opendata_demo.load_published_tables()
    assert Dataset.objects.filter(name=NAME).count() == 1
