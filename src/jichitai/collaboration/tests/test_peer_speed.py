"""The figures across the 市町 cost a fixed number of queries, whatever the number of 市町: each
figure is read for all of them at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.automation import services as automation
from jichitai.collaboration.peers import PEER_FIGURES
from jichitai.collaboration.tests.factories import council
from jichitai.core.japanese import fiscal_year
from jichitai.core.registry import metrics
from jichitai.opendata.tests.factories import published as published_dataset
from jichitai.procedures import services as procedures
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# The organization, its 市町, one query per figure (AI-OCR pages included) and one for the
# monthly counts (17 for the public page); the staff page adds the session, the membership, the
# adoption overview (and, while the 年度 is empty, the last 年度 recorded) and the initiatives (28).
MAX_QUERIES = 28


def add_municipalities(prefecture, count, start):
    """``count`` more 市町, each with a procedure, applications and a dataset."""
    for number in range(start, start + count):
        municipality = OrganizationFactory(
            code=f"2{number:04d}0", name=f"市町{number}", parent=prefecture
        )
        procedure = published_procedure(municipality, one_per_email=False, processing_days=5)
        for application in range(6):
            procedures.submit_application(procedure=procedure, data=event_data(application))
        published_dataset(municipality, f"data-{number}")


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_public_page_and_data_do_not_query_per_municipality(
    client, prefecture, django_assert_max_num_queries
):
    add_municipalities(prefecture, 2, 1)
    few = {
        url: queries_for(client, url)
        for url in ("/o/240001/municipal-figures/", "/o/240001/municipal-figures.json")
    }
    add_municipalities(prefecture, 10, 3)
    for url, count in few.items():
        assert queries_for(client, url) == count
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/o/240001/municipal-figures/")


def test_the_prefectures_overview_does_not_query_per_municipality(
    prefecture, make_member, login, django_assert_max_num_queries
):
    """Nor per initiative: two councils cost what one does."""
    staff = login(make_member(prefecture, Role.VIEWER))
    add_municipalities(prefecture, 2, 1)
    council(prefecture, list(prefecture.municipalities.all()))
    few = queries_for(staff, "/s/240001/collaboration/")
    add_municipalities(prefecture, 10, 3)
    council(prefecture, list(prefecture.municipalities.all()), slug="council-2")
    assert queries_for(staff, "/s/240001/collaboration/") == few
    with django_assert_max_num_queries(MAX_QUERIES):
        staff.get("/s/240001/collaboration/")


def test_each_figure_read_for_all_is_what_each_municipality_reads_alone(prefecture):
    """``compute_many`` (all 市町 in one query) and ``compute`` (one 市町) agree."""
    add_municipalities(prefecture, 3, 1)
    municipalities = list(prefecture.municipalities.order_by("code"))
    year = fiscal_year(timezone.localdate())
    automation.add_ledger_line(
        actor=None,
        organization=municipalities[0],
        fiscal_year=year,
        task="照合",
        division="市民課",
        hours_before=10,
        hours_after=2.5,
    )
    for application in Application.objects.filter(organization=municipalities[1])[:5]:
        procedures.change_status(actor=None, application=application, to_status="approved")
        procedures.change_status(actor=None, application=application, to_status="completed")
    checked = 0
    for figure in PEER_FIGURES:
        if figure.metric not in metrics or metrics.get(figure.metric).compute_many is None:
            continue
        metric = metrics.get(figure.metric)
        together = metric.compute_many(municipalities, year, **figure.parameters)
        for municipality in municipalities:
            alone = metric.compute(municipality, year, **figure.parameters)
            assert together.get(municipality.pk) == alone, (figure.key, municipality.code)
        checked += 1
    assert checked >= 11
