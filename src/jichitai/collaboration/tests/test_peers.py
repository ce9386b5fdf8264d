"""Figures across the 市町: computed from the platform, small counts hidden, each 市町 beside the
median and range, public as a page and as CSV/JSON, with no applicant in them."""

from decimal import Decimal

import pytest
from django.utils import translation

from jichitai.collaboration import peers
from jichitai.procedures import services as procedures
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(tsu, ise, kameyama):
    """津市 received 7 online applications, 伊勢市 2 (too few to show), 亀山市 none."""
    for organization, count in ((tsu, 7), (ise, 2)):
        procedure = published_procedure(organization, one_per_email=False)
        for number in range(count):
            procedures.submit_application(procedure=procedure, data=event_data(number))


def column(table, key):
    index = [item["key"] for item in table["figures"]].index(key)
    return {row["name"]: row["texts"][index] for row in table["rows"]}, table["summary_texts"][
        index
    ]


def test_small_counts_are_hidden_and_left_out_of_median_and_range(
    prefecture, tsu, ise, kameyama, applications
):
    table = peers.peer_table(prefecture, 2026)
    values, summary = column(table, "applications")
    assert values == {"津市": "7", "伊勢市": "秘匿", "亀山市": "0"}
    # Over the figures shown (7 and 0): a hidden count cannot be recovered from these.
    assert summary["median"] == Decimal("3.5") and summary["range_text"] == "0〜7"
    assert "total" not in summary
    with translation.override("en"):
        english = column(peers.peer_table(prefecture, 2026), "applications")[1]
    assert english["range_text"] == "0–7"
    online, _summary = column(table, "online_applications")
    assert online["津市"] == "7"


def test_each_municipality_sees_its_own_figures_beside_the_prefecture(
    prefecture, tsu, ise, kameyama, applications, make_member, login
):
    own = {item["key"]: item for item in peers.own_beside_peers(ise, 2026)}
    # 伊勢市 knows its own 2 applications; it is told that the published table hides them.
    assert own["applications"]["own_text"] == "2" and own["applications"]["hidden_in_table"]
    assert not own["procedures"]["hidden_in_table"]
    ise_page = login(make_member(ise, Role.VIEWER)).get("/s/242039/collaboration/?year=2026")
    ise_row = ise_page.content.decode().split('id="own-applications"')[1].split("</tr>")[0]
    assert '<td class="number">2<span class="figure-note">(公開する表では「秘匿」)' in ise_row
    page = login(make_member(tsu, Role.VIEWER)).get("/s/242012/collaboration/?year=2026")
    row = page.content.decode().split('id="own-applications"')[1].split("</tr>")[0]
    assert ">7<" in row and ">3.5<" in row and "0〜7" in row


def test_the_public_page_and_open_data_carry_no_applicant(
    client, prefecture, tsu, ise, kameyama, applications
):
    page = client.get("/o/240001/municipal-figures/?year=2026")
    assert page.status_code == 200
    csv = client.get("/o/240001/municipal-figures.csv?year=2026")
    assert csv.content.startswith("\ufeff".encode()) and "秘匿" in csv.content.decode("utf-8-sig")
    data = client.get("/o/240001/municipal-figures.json?year=2026").json()
    assert data["fields"][0] == "全国地方公共団体コード"
    assert ["242012", "津市", 2026, "", "申請件数", 7, "件"] in data["rows"]
    assert ["242039", "伊勢市", 2026, "", "申請件数", "秘匿", "件"] in data["rows"]
    for text in [page.content.decode(), csv.content.decode("utf-8-sig"), str(data)]:
        for personal in ["三重", "太郎", "taro0@example.jp", "タロウ"]:
            assert personal not in text.replace("三重県", "")
    # Open data is the same file for everyone: a reader of English got 「Applications」 rows
    # under Japanese headings.
    for reader in ("en", "pt"):
        assert (
            client.get(
                "/o/240001/municipal-figures.csv?year=2026", HTTP_ACCEPT_LANGUAGE=reader
            ).content
            == csv.content
        )
        assert (
            client.get(
                "/o/240001/municipal-figures.json?year=2026", HTTP_ACCEPT_LANGUAGE=reader
            ).json()
            == data
        )
    assert client.get("/o/242012/municipal-figures/").status_code == 404
    assert client.get("/o/240001/municipal-figures.xml").status_code == 404
    assert client.get("/o/240001/municipal-figures/?year=99999").status_code == 404


def test_the_year_is_shown_and_typed_in_wareki_as_well_as_western_years(
    client, prefecture, tsu, ise, kameyama, applications, make_member, login
):
    staff = login(make_member(prefecture, Role.VIEWER))
    for asked in ("令和8年度", "R8", "2026"):
        for response in (
            client.get(f"/o/240001/municipal-figures/?year={asked}"),
            staff.get(f"/s/240001/collaboration/?year={asked}"),
        ):
            assert 'name="year" type="text" value="令和8年度"' in response.content.decode(), asked
    # The English page shows FY2026 in the box; sent back unchanged, it is the same year.
    english = staff.get("/s/240001/collaboration/?year=FY2026", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="year" type="text" value="FY2026"' in english.content.decode()
    # Units beside the figures' names are in the page's language too.
    assert " (count)" in english.content.decode() and "(件)" not in english.content.decode()
