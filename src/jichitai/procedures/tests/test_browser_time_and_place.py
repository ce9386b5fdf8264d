"""A sighting report on a 360 px phone without JavaScript: the time and date-and-time are picked
with the browser's own inputs, the place typed as latitude and longitude, and the confirmation
shows them in 和暦 and 時・分."""

import pytest
from playwright.sync_api import expect

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS = [
    {"name": "opens_at", "type": "time", "label": "開始時刻", "required": True},
    {"name": "seen_at", "type": "datetime", "label": "目撃した日時", "required": True},
    {"name": "place", "type": "geopoint", "label": "場所", "required": True},
]


def test_time_datetime_and_place_on_a_phone_without_javascript(phone, tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = phone(javascript=False)
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    # Without JavaScript the 現在地を入力 button stays hidden: the numbers are typed.
    assert not page.get_by_role("button", name="現在地を入力").is_visible()
    for label in ("開始時刻", "目撃した日時", "緯度", "経度"):
        box = page.get_by_label(label).bounding_box()
        # Nothing runs off the screen, and each input is a finger's height.
        assert box is not None and box["x"] + box["width"] <= 360 and box["height"] >= 44

    page.get_by_label("開始時刻").fill("09:30")
    page.get_by_label("目撃した日時").fill("2026-04-01T18:05")
    page.get_by_label("緯度").fill("134.7303")
    page.get_by_label("経度").fill("136.5086")
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("緯度は-90〜90の数で入力してください。", exact=True).wait_for()
    assert page.get_by_label("開始時刻").input_value() == "09:30"
    assert page.get_by_label("目撃した日時").input_value() == "2026-04-01T18:05"
    assert page.get_by_label("経度").input_value() == "136.5086"

    page.get_by_label("緯度").fill("34.7303")
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("令和8年4月1日 18時05分").wait_for()
    page.get_by_text("緯度 34.7303、経度 136.5086").wait_for()
    page.get_by_text("9時30分").wait_for()
    page.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/done/")

    assert Application.objects.get().data == {
        "opens_at": "09:30",
        "seen_at": "2026-04-01T18:05",
        "place": {"latitude": 34.7303, "longitude": 136.5086},
    }


@pytest.fixture
def located_phone(browser, live_server):
    """A 360 px phone with JavaScript that lets pages read where it is (津市役所)."""
    context = browser.new_context(
        locale="ja-JP",
        base_url=live_server.url,
        viewport={"width": 360, "height": 800},
        geolocation={"latitude": 34.730283, "longitude": 136.508588},
        permissions=["geolocation"],
    )
    yield context
    context.close()


def test_with_javascript_the_current_location_button_fills_latitude_and_longitude(
    located_phone, tsu, accessible
):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = located_phone.new_page()
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="現在地を入力").click()
    # Locator assertions poll without evaluating strings, which the page's CSP forbids.
    expect(page.get_by_label("緯度")).to_have_value("34.730283")
    expect(page.get_by_label("経度")).to_have_value("136.508588")


SITES = [
    {
        "name": "sites",
        "type": "repeat",
        "label": "発見場所",
        "row_unit": "か所",
        "min_repeat": 1,
        "max_repeat": 3,
        "children": [{"name": "spot", "type": "geopoint", "label": "場所", "required": True}],
    }
]


def test_a_row_added_in_the_page_has_its_own_current_location_button(
    located_phone, tsu, accessible
):
    procedure = published_procedure(tsu, fields=SITES)
    located_phone.set_default_timeout(15_000)
    page = located_phone.new_page()
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    first = page.get_by_role("group", name="発見場所 1 か所目")
    first.get_by_label("緯度").fill("35.0")
    first.get_by_label("経度").fill("136.0")
    page.get_by_role("button", name="発見場所を追加").click()
    second = page.get_by_role("group", name="発見場所 2 か所目")
    second.get_by_role("button", name="現在地を入力").click()
    expect(second.get_by_label("緯度")).to_have_value("34.730283")
    expect(second.get_by_label("経度")).to_have_value("136.508588")
    accessible(page)
    # The first row keeps what was typed in it.
    assert first.get_by_label("緯度").input_value() == "35.0"

    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/done/")
    assert Application.objects.get().data["sites"] == [
        {"spot": {"latitude": 35.0, "longitude": 136.0}},
        {"spot": {"latitude": 34.730283, "longitude": 136.508588}},
    ]
