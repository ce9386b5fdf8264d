"""Staff pages on a phone.

The staff menu: twelve destinations wrapped over six lines pushed every page's heading
below the first screen. At 360 px the menu folds behind one 「メニュー」 button that names the current
page, opens by keyboard and says whether it is open; at 1280 px (or without JavaScript) every link
shows, in one row: the organization's settings are one entry, 管理, away.

A table wider than the screen scrolls sideways inside its wrap; the wrap then takes keyboard focus
under the table's name, so it can be scrolled without a mouse (axe: scrollable-region-focusable)."""

import re

import pytest
from django.conf import settings

from jichitai.conftest import CONTROLS_OFF_SCREEN, verified_client
from jichitai.procedures.services import submit_application
from jichitai.signatures import pki, services
from jichitai.tenancy.tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff_page(browser, live_server, user, *, width, javascript=True):
    session = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale="ja-JP",
        base_url=live_server.url,
        viewport={"width": width, "height": 800},
        java_script_enabled=javascript,
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto("/s/242012/procedures/")
    return page


def test_on_a_phone_the_menu_folds_behind_one_button(browser, live_server, tsu_admin, accessible):
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    menu = page.get_by_role("navigation", name="メニュー")
    toggle = menu.get_by_role("button", name="メニュー: 手続・フォーム")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.get_by_role("link", name="受付箱").is_visible()
    heading_top = page.get_by_role("heading", level=1).bounding_box()["y"]
    assert heading_top < 300, f"the page heading starts {heading_top:.0f} px down"

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "ホーム"
    accessible(page)
    menu.get_by_role("link", name="受付箱").click()
    page.wait_for_url("**/s/242012/inbox/**")


def test_on_a_desktop_every_link_shows_in_one_row(browser, live_server, tsu_admin, accessible):
    page = _staff_page(browser, live_server, tsu_admin, width=1280)
    menu = page.get_by_role("navigation", name="メニュー")
    assert not menu.get_by_role("button").is_visible()
    assert menu.get_by_role("link", name="受付箱").is_visible()
    assert menu.get_by_role("link", name="手続・フォーム").get_attribute("aria-current") == "page"
    # The organization's settings are gathered under 管理, so an administrator's menu is one row.
    rows = {round(link.bounding_box()["y"]) for link in menu.get_by_role("link").all()}
    assert len(rows) == 1, f"the menu takes {len(rows)} rows"
    menu.get_by_role("link", name="管理").click()
    page.get_by_role("link", name="監査ログ").click()
    assert menu.get_by_role("link", name="管理").get_attribute("aria-current") == "page"


def test_without_javascript_the_phone_menu_stays_open(browser, live_server, tsu_admin):
    page = _staff_page(browser, live_server, tsu_admin, width=360, javascript=False)
    menu = page.get_by_role("navigation", name="メニュー")
    assert menu.get_by_role("link", name="受付箱").is_visible()
    assert not menu.get_by_role("button").is_visible()


def test_a_table_wider_than_the_phone_scrolls_by_keyboard(
    browser, live_server, tsu_admin, accessible
):
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    page.goto("/o/240001/municipal-figures/")  # figures month by month: to scroll, not a list
    wrap = page.locator(".table-wrap").first
    assert page.evaluate("w => w.scrollWidth > w.clientWidth", wrap.element_handle())
    assert wrap.get_attribute("tabindex") == "0"
    assert wrap.get_attribute("role") == "region"
    assert wrap.get_attribute("aria-label") or wrap.get_attribute("aria-labelledby")
    wrap.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("w => w.scrollLeft > 0", arg=wrap.element_handle())
    accessible(page)


def test_a_table_that_fits_adds_no_tab_stop(browser, live_server, tsu_admin):
    page = _staff_page(browser, live_server, tsu_admin, width=1280)
    assert page.locator(".table-wrap").first.get_attribute("tabindex") is None


def test_hidden_words_in_a_wide_table_do_not_widen_the_page(browser, live_server, tsu, tsu_admin):
    """A 登録解除 button names its row to a screen reader in words hidden off-screen; placed from
    the page instead of from the table's wrap, those words pushed a phone's page 186 px sideways."""
    services.add_trust_anchor(
        actor=None,
        organization=tsu,
        name="津市の認証局",
        data=pki.make_ca().certificate_pem.encode(),
    )
    # Without scripts the list of 認証局 stays a table, wider than the phone.
    page = _staff_page(browser, live_server, tsu_admin, width=360, javascript=False)
    page.goto("/s/242012/signatures/")
    wrap = page.locator(".table-wrap").first
    assert page.evaluate("w => w.scrollWidth > w.clientWidth", wrap.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_on_a_phone_a_trusted_authority_and_its_removal_are_in_view(
    browser, live_server, tsu, tsu_admin, accessible
):
    """The list of 認証局 and of CRLs: the long names of their subjects and issuers wrap, and the
    登録解除 button, once off to the right of a table to scroll, is on the screen."""
    services.add_trust_anchor(
        actor=None,
        organization=tsu,
        name="津市の認証局",
        data=pki.make_ca().certificate_pem.encode(),
    )
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    page.goto("/s/242012/signatures/")
    remove = page.get_by_role("link", name=re.compile("登録解除.*津市の認証局"))
    box = remove.bounding_box()
    assert box["x"] + box["width"] <= 360
    subject = page.locator("td[data-label='主体者']").first.bounding_box()
    assert subject["x"] + subject["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    accessible(page)


def test_a_list_on_a_phone_shows_each_row_as_labelled_lines(
    browser, live_server, tsu, tsu_admin, accessible
):
    """The list of procedures: each one's 状態 and 受付終了 in view, labelled with its column's
    heading, where the table used to push them off the screen. Without JavaScript the list scrolls
    sideways as any wide table does."""
    from jichitai.procedures.tests.factories import published_procedure

    published_procedure(tsu, name="市民講座の参加申込")
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    status = page.locator("td[data-label='状態']").first
    assert status.inner_text() == "公開中"
    box = status.bounding_box()
    assert box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".table-wrap").first.get_attribute("tabindex") is None
    accessible(page)

    plain = _staff_page(browser, live_server, tsu_admin, width=360, javascript=False)
    wrap = plain.locator(".table-wrap").first
    assert plain.evaluate("w => w.scrollWidth > w.clientWidth", wrap.element_handle())


def test_on_a_phone_the_buttons_in_a_plans_and_a_scenarios_lists_are_in_view(
    browser, live_server, tsu, tsu_admin, accessible
):
    """The 報告書 of a plan (この内容で公開 per 年度) and a scenario's 版と承認 (第1版を承認する)."""
    from jichitai.automation import services as automation
    from jichitai.automation.registry import scenarios
    from jichitai.pdca.tests.factories import plan_with_action

    plan = plan_with_action(tsu)
    scenario = automation.create_scenario(
        actor=None, organization=tsu, source=scenarios.get("electricity-summary").source
    )
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    for url in [
        f"/s/242012/pdca/plans/{plan.pk}/",
        f"/s/242012/automation/scenarios/{scenario.pk}/",
    ]:
        page.goto(url)
        assert page.evaluate(CONTROLS_OFF_SCREEN) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        accessible(page)


MENU_LINKS_OFF_SCREEN = """() => [...document.querySelectorAll('details.menu[open] li > *')].filter(
  item => { const box = item.getBoundingClientRect();
            return box.left < 0 || box.right > document.documentElement.clientWidth; }
).map(item => item.textContent.trim())"""


def test_on_a_phone_the_header_menus_open_within_the_screen(
    browser, live_server, tsu_admin, ise, accessible
):
    """A member of two governments has the government switcher and the person's menu side by
    side in the header; either one opened on a 360 px phone lists its links inside the screen,
    not cut off at its right edge."""
    MembershipFactory(user=tsu_admin, organization=ise)
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    for summary in ("団体を切り替え", tsu_admin.display_name):
        menu = page.locator("details.menu", has=page.get_by_text(summary, exact=True))
        menu.locator("summary").click()
        assert page.evaluate(MENU_LINKS_OFF_SCREEN) == [], summary
        accessible(page)
        menu.locator("summary").click()


def test_the_delay_report_a_paper_forms_items_and_the_automation_steps_are_lists_on_a_phone(
    browser, live_server, tsu, tsu_admin
):
    """Procedure names broke into two or three characters a line in the delay report, the
    delete buttons of a paper form's items lay off the screen's right edge, and the automation
    steps' descriptions were cut at the edge: on a phone each row is a block of labelled lines,
    every control within the screen."""
    from jichitai.ocr.tests.factories import paper_template
    from jichitai.procedures.tests.factories import event_data, published_procedure

    procedure = published_procedure(tsu, name="住民票の写しの交付請求(郵送)", processing_days=5)
    submit_application(procedure=procedure, data=event_data())
    paper = paper_template(tsu, division=procedure.division)
    page = _staff_page(browser, live_server, tsu_admin, width=360)
    for path in (
        "/s/242012/inbox/delays/",
        f"/s/242012/ocr/templates/{paper.pk}/",
        "/s/242012/automation/scenarios/new/",
    ):
        page.goto(path)
        wrap = page.locator(".table-wrap").first
        assert not page.evaluate("w => w.scrollWidth > w.clientWidth", wrap.element_handle()), path
        assert page.evaluate(CONTROLS_OFF_SCREEN) == [], path
    page.goto("/s/242012/inbox/delays/")
    name = page.get_by_role("link", name="住民票の写しの交付請求(郵送)").bounding_box()
    assert name["height"] < 60, f"the procedure's name takes {name['height']:.0f} px"


def test_the_effect_ledger_and_the_prefectures_initiatives_are_lists_on_a_phone(
    browser, live_server, prefecture, prefecture_admin
):
    """The ledger's division and task broke every three characters with the hours off the
    screen, the totals included; the initiatives' names stood alone with their figures out of
    sight. On a phone each row, the ledger's total too, is a block of labelled lines."""
    from django.utils import timezone

    from jichitai.automation.services import add_ledger_line
    from jichitai.collaboration.services import create_initiative
    from jichitai.core.japanese import fiscal_year

    year = fiscal_year(timezone.localdate())
    add_ledger_line(
        actor=None,
        organization=prefecture,
        fiscal_year=year,
        task="県の電気使用量集計、省エネ法定期報告等",
        division="地球温暖化対策課",
        hours_before=260,
        hours_after=40,
    )
    create_initiative(
        actor=None,
        organization=prefecture,
        slug="e-learning",
        name="e-learningライセンスの配付(デジタル人材育成)",
        kind="licence",
        fiscal_year=year,
    )
    page = _staff_page(browser, live_server, prefecture_admin, width=360)
    for path, table in (
        (f"/s/{prefecture.code}/automation/ledger/?year={year}", "#effect-table"),
        (f"/s/{prefecture.code}/collaboration/", "#initiatives"),
    ):
        page.goto(path)
        wrap = page.locator(".table-wrap", has=page.locator(table))
        assert not page.evaluate("w => w.scrollWidth > w.clientWidth", wrap.element_handle()), path
    page.goto(f"/s/{prefecture.code}/automation/ledger/?year={year}")
    total = page.locator("#total-reduction")
    assert total.get_attribute("data-label") and total.bounding_box()["x"] < 360
    # The table's name spans the screen, not one character a line above the blocks.
    caption = page.locator("#effect-table caption").bounding_box()
    assert caption["width"] > 250 and caption["height"] < 60
