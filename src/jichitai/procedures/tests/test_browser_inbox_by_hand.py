"""The inbox on a 360 px phone and from the keyboard, in real Chromium: every control a finger
aims at is at least 44 px tall, the language switcher stays on one line, and j / k / x / Enter
move between rows, tick one and open it (issue 17)."""

import pytest
from django.contrib.auth import get_user_model

from jichitai.procedures import services
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import DivisionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Everything a finger aims at, except the boxes of the table's rows: their cell is the target.
TARGETS = (
    "button, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), "
    "nav a, .tabs a, .inbox-table th a, .menu a, .menu button"
)

SMALL_TARGETS = """selector => [...document.querySelectorAll(selector)]
  .filter(element => element.offsetParent !== null)
  .map(element => [element.outerHTML.slice(0, 80), element.getBoundingClientRect().height])
  .filter(([_html, height]) => height < 44)"""


@pytest.fixture
def inbox(tsu, make_member, settings):
    division = DivisionFactory(organization=tsu, name="市民課")
    clerk = make_member(tsu, Role.CLERK, username="tsu-clerk-hands", division=division)
    get_user_model().objects.filter(pk=clerk.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    procedure = published_procedure(tsu, division=division, processing_days=3)
    return [
        services.submit_application(procedure=procedure, data=event_data(n)).application
        for n in range(3)
    ]


def _clerk_logged_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill("tsu-clerk-hands")
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    return page


def test_the_inbox_by_finger_and_by_keyboard(phone, inbox, accessible):
    page = _clerk_logged_in(phone())
    page.goto("/s/242012/inbox/?sort=received")
    page.get_by_role("heading", name="受付箱").wait_for()
    accessible(page)

    page.locator(".menu summary").click()  # the person's menu: password, mail settings, logout
    assert page.evaluate(SMALL_TARGETS, TARGETS) == []
    page.locator(".menu summary").click()
    label = page.locator(".language-form label").bounding_box()
    select = page.locator("#language-select").bounding_box()
    assert abs(label["y"] + label["height"] / 2 - (select["y"] + select["height"] / 2)) < 8

    rows = page.locator("tbody tr")
    first = rows.nth(0).get_by_role("link").first
    second = rows.nth(1).get_by_role("link").first
    page.locator("h1").click()  # nothing focused that takes letters
    page.keyboard.press("j")
    assert first.evaluate("link => link === document.activeElement")
    page.keyboard.press("j")
    assert second.evaluate("link => link === document.activeElement")
    page.keyboard.press("x")
    assert rows.nth(1).locator('input[name="selected"]').is_checked()
    assert not rows.nth(0).locator('input[name="selected"]').is_checked()
    page.keyboard.press("k")
    assert first.evaluate("link => link === document.activeElement")
    receipt = first.inner_text()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name=receipt).wait_for()
    # The receipt number is read aloud on the phone and typed elsewhere: never split over lines.
    assert page.locator("h1 .receipt-number").evaluate("n => n.getClientRects().length") == 1


def test_on_a_phone_each_application_reads_as_one_labelled_block(phone, inbox, accessible):
    page = _clerk_logged_in(phone())
    page.goto("/s/242012/inbox/")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the inbox scrolls sideways"
    row = page.locator("tbody tr").first
    shown_labels = row.evaluate(
        "row => [...row.cells].map(cell => getComputedStyle(cell, '::before').content)"
    )
    assert shown_labels[2:] == [
        f'"{label}: "'
        for label in ["手続", "申請者", "受付日時", "処理期限", "経路", "状態", "担当者"]
    ]
    cells = row.locator("td")
    assert all(cells.nth(i).bounding_box()["x"] < 360 for i in range(cells.count()))
    sort = page.locator("thead").get_by_role("link", name="処理期限", exact=True)
    assert sort.is_visible() and sort.bounding_box()["height"] >= 44
    accessible(page)


def test_the_residents_form_and_the_finder_offer_44_px_targets(phone, tsu, prefecture):
    procedure = published_procedure(tsu, name="子育て講座")
    page = phone()
    for path in ["/procedures/", f"/o/{tsu.code}/procedures/{procedure.pk}/"]:
        page.goto(path)
        assert page.evaluate(SMALL_TARGETS, TARGETS + ", .choice") == [], path


def test_on_a_phone_the_filters_fold_behind_one_button_unless_one_is_set(phone, inbox, accessible):
    page = _clerk_logged_in(phone())
    page.goto("/s/242012/inbox/")
    toggle = page.get_by_role("button", name="絞り込み")
    filters = page.get_by_role("form", name="絞り込み")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not filters.is_visible()
    assert page.locator("tbody tr").first.bounding_box()["y"] < 800  # the list on the first screen
    toggle.click()
    assert filters.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    accessible(page)

    page.get_by_label("キーワード").fill("三重")
    page.get_by_role("button", name="絞り込む").click()
    page.wait_for_url("**text=*")
    assert page.get_by_role("form", name="絞り込み").is_visible()
    assert page.get_by_label("キーワード").input_value() == "三重"
