"""The demo reproduces the seeds' 市町連携 figures from participation records and the council's
86% from the 市町's own survey answers (seeds 001 and 004)."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from jichitai.collaboration import selectors
from jichitai.core.japanese import fiscal_year
from jichitai.core.tests.pdf import pdf_text
from jichitai.pdca import reports
from jichitai.pdca import selectors as pdca_selectors
from jichitai.pdca.models import Plan, ReportSnapshot
from jichitai.tenancy.models import Organization, Role


@pytest.mark.django_db
def test_the_r3_progress_report_and_the_council_figure_come_from_records(make_member, login):
    call_command("demo", quiet_logins=True)
    prefecture = Organization.objects.get(code="240001")
    strategy = Plan.objects.get(slug="mie-digital-strategy")
    data = pdca_selectors.latest_snapshot(strategy, ReportSnapshot.Kind.PROGRESS, 2021).data
    statuses = {
        action["number"]: action["status"]
        for item in data["initiatives"]
        for section in item["sections"]
        for action in section["actions"]
    }
    assert statuses[5].count("全29市町が参加：年3回実施") == 2
    assert "（R2:14市町参加、R3:3市町参加）" in statuses[17]
    assert "（4市町参加）" in statuses[31] and "（27市町：53名）" in statuses[31]
    assert "{{" not in str(data)
    text = re.sub(r"\s+", "", pdf_text(reports.pdf(data)))
    for figure in ["14市町", "27市町", "53名"]:  # table cells wrap the longer phrases
        assert figure in text, figure

    council = selectors.initiative_by_slug(prefecture, "council-2020")
    assert selectors.survey_figures(council) == {
        "requested": 29,
        "answered": 28,
        "positive": 24,
        "share": Decimal("85.7"),
    }
    client = login(make_member(prefecture, Role.VIEWER))
    meeting_page = client.get("/s/240001/pdca/meetings/").content.decode()
    assert "86%" in meeting_page and "28団体中 24団体" in meeting_page
    overview = client.get("/s/240001/collaboration/").content.decode()
    assert "86%(24市町 / 回答 28市町 / 依頼 29市町)" in overview


@pytest.mark.django_db
def test_the_demo_prefecture_sees_tsus_adoption_states_of_this_year(make_member, login):
    call_command("demo", quiet_logins=True)
    prefecture = Organization.objects.get(code="240001")
    tsu = Organization.objects.get(code="242012")
    year = fiscal_year(timezone.localdate())
    assert selectors.adoption_states(tsu, year)["online_procedures"] == "adopted"
    overview = {
        item["measure"]: item for item in selectors.adoption_overview(prefecture, year)["measures"]
    }
    # 導入済 is the fourth state; 28 市町 have not recorded anything.
    assert overview["online_procedures"]["counts"][3] == 1
    assert overview["online_procedures"]["unrecorded"] == 28
    assert overview["telework"]["unrecorded"] == 29  # what the platform cannot see is left open
    call_command("demo", quiet_logins=True)  # again: nothing recorded twice, nothing changed
    assert len(selectors.adoption_states(tsu, year)) == 4
