"""The effect ledger: per 年度 (April–March) before/after/reduction per task, division and total,
the seeds' R3 figures from the demo, the metric for the PDCA module, and the exports."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from jichitai.automation import selectors, services
from jichitai.core.registry import metrics
from jichitai.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_effect_by_fiscal_year_adds_up_tasks_divisions_and_total(tsu):
    lines = [  # (年度, task, hours before, hours after)
        (2021, "A", 100, 40),
        (2021, "B", 50, 50),
        (2021, "A", 10, 5),
        (2022, "A", 999, 0),
    ]
    for fiscal_year, task, before, after in lines:
        services.add_ledger_line(
            actor=None,
            organization=tsu,
            fiscal_year=fiscal_year,
            task=task,
            division="甲課",
            hours_before=before,
            hours_after=after,
        )
    effect = selectors.effect_by_fiscal_year(tsu, 2021)
    assert [(t["task"], t["before"], t["after"], t["reduction"]) for t in effect["tasks"]] == [
        ("A", Decimal("110.0"), Decimal("45.0"), Decimal("65.0")),
        ("B", Decimal("50.0"), Decimal("50.0"), Decimal("0.0")),
    ]
    assert effect["divisions"][0]["reduction"] == Decimal("65.0")
    assert effect["total"]["before"] == Decimal("160.0") and effect["total"][
        "reduction_percent"
    ] == Decimal("40.6")
    assert metrics.get("automation.hours_saved").compute(tsu, 2021) == Decimal("65.0")
    assert metrics.get("automation.hours_saved").compute(tsu, 2019) is None


def test_the_demo_reproduces_the_seed_r3_effect_and_the_page_and_exports_show_it(
    db, login, make_member
):
    call_command("demo", quiet_logins=True)
    prefecture = Organization.objects.get(code="240001")
    effect = selectors.effect_by_fiscal_year(prefecture, 2021)
    total = effect["total"]
    assert total["tasks"] == 13
    assert (total["before"], total["after"], total["reduction"]) == (
        Decimal("2681.0"),
        Decimal("1479.0"),
        Decimal("1202.0"),
    )
    assert total["reduction_percent"] == Decimal("44.8")
    assert metrics.get("automation.hours_saved").compute(prefecture, 2021) == Decimal("1202.0")
    assert metrics.get("automation.tasks").compute(prefecture, 2021) == 13
    from jichitai.core.japanese import fiscal_year

    assert fiscal_year(date(2022, 3, 31)) == 2021  # lines are filed by 年度 (April–March)

    from jichitai.tenancy.models import Role

    client = login(make_member(prefecture, Role.VIEWER, username="ledger-viewer"))
    page = client.get("/s/240001/automation/ledger/?year=2021").content.decode()
    assert "2,681" in page and "1,479" in page and "1,202" in page and "44.8%" in page
    csv_utf8 = client.get("/s/240001/automation/ledger/?year=2021&format=csv").content
    assert csv_utf8.startswith(b"\xef\xbb\xbf") and b"1202.0" in csv_utf8
    # A record for the office's spreadsheets: the same file whichever language the pages are in.
    english = client.get(
        "/s/240001/automation/ledger/?year=2021&format=csv", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.content == csv_utf8
    english_xlsx = client.get(
        "/s/240001/automation/ledger/?year=2021&format=xlsx", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert load_workbook(io.BytesIO(english_xlsx.content)).sheetnames == ["業務別", "所属別"]
    csv_sjis = client.get("/s/240001/automation/ledger/?year=2021&format=csv-sjis").content
    assert "自動車税送付先変更届に係る情報の入力".encode("cp932") in csv_sjis
    xlsx = client.get("/s/240001/automation/ledger/?year=2021&format=xlsx").content
    workbook = load_workbook(io.BytesIO(xlsx))
    rows = list(workbook["業務別"].iter_rows(values_only=True))
    assert rows[-1][3:6] == (2681, 1479, 1202)
    # The demo is idempotent.
    call_command("demo", quiet_logins=True)
    assert selectors.effect_by_fiscal_year(prefecture, 2021)["total"]["tasks"] == 13


def test_ledger_percentages_come_from_exact_minutes_not_rounded_hours(tsu):
    """30 minutes before and 3 after is a 90% cut, although the hours shown round to 0.5 and 0.1."""
    from jichitai.automation.models import LedgerLine

    LedgerLine.objects.create(
        organization=tsu,
        fiscal_year=2024,
        task="短い業務",
        division="甲課",
        minutes_before=30,
        minutes_after=3,
    )
    effect = selectors.effect_by_fiscal_year(tsu, 2024)
    task = effect["tasks"][0]
    assert (task["before"], task["after"]) == (Decimal("0.5"), Decimal("0.1"))
    assert task["reduction"] == Decimal("0.5")  # 27 minutes
    assert task["reduction_percent"] == Decimal("90.0")
    assert effect["total"]["reduction_percent"] == Decimal("90.0")
