"""A resident on a 360 px phone, with JavaScript on and off: finds the procedure in the
prefecture-wide finder by postal code, applies, keeps the 受付番号, and later comes back to the
status by that number and the e-mail address; axe-core on every page."""

import re

import pytest
from django.core.cache import cache

from jichitai.procedures.resident import public_views
from jichitai.procedures.tests.factories import published_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_from_the_finder_to_done_and_back_by_receipt_number(
    browser, live_server, prefecture, tsu, ise, accessible, monkeypatch, javascript
):
    monkeypatch.setattr(public_views, "LOOKUP_ANSWER_SECONDS", 0.0)
    cache.clear()
    published_procedure(prefecture, name="県のセミナー")
    published_procedure(tsu, name="津市 子育て講座")
    published_procedure(ise, name="伊勢市 スマホ教室")
    context = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 360, "height": 780}
    )
    if not javascript:
        # The site's scripts never arrive, as in a browser with JavaScript off; axe-core and the
        # width check still run from the test's side.
        context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()

    def fits():
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url

    page.goto("/procedures/")
    accessible(page)
    fits()
    # On a phone the finder's fields stand one under the other at one width, none sized to its
    # own label (the keyword box was half as wide as the others).
    widths = page.eval_on_selector_all(
        "form.filters input:not([type=hidden]), form.filters select",
        "controls => controls.map(control => control.getBoundingClientRect().width)",
    )
    assert len(widths) == 4 and len(set(widths)) == 1, widths
    page.get_by_label("お住まいの郵便番号").fill("514-0006")
    page.get_by_role("button", name="さがす").click()
    page.get_by_text("津市 と三重県の手続を表示しています").wait_for()
    assert page.get_by_role("link", name="伊勢市 スマホ教室").count() == 0
    accessible(page)
    page.get_by_role("link", name="津市 子育て講座").click()

    page.get_by_label("姓", exact=True).fill("三重")
    page.get_by_label("名", exact=True).fill("花子")
    page.get_by_label("セイ").fill("みえ")
    page.get_by_label("メイ").fill("はなこ")
    page.get_by_role("textbox", name=re.compile("^メールアドレス")).fill("hanako@example.jp")
    page.get_by_label("参加人数").fill("1")
    page.get_by_label("同意する").check()
    accessible(page)
    fits()
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("三重 花子(ミエ ハナコ)").wait_for()
    accessible(page)
    page.get_by_role("button", name="送信する").click()
    receipt = page.locator("#receipt-number").inner_text()
    accessible(page)
    fits()
    # The number is copied down whole: on one line, not broken at a hyphen.
    assert (
        page.locator("#receipt-number").evaluate("element => element.getClientRects().length") == 1
    )
    assert page.get_by_role("link", name="受付票(PDF)を保存・印刷する").count() == 1

    # Later, without the link: back by 受付番号 and the e-mail address.
    page.goto("/status/")
    accessible(page)
    page.get_by_label("受付番号").fill(receipt)
    page.get_by_label("申請したときのメールアドレス").fill("someone-else@example.jp")
    page.get_by_role("button", name="状況を確認する").click()
    page.get_by_text("組み合わせを確認できませんでした").wait_for()
    accessible(page)
    if javascript:
        assert page.evaluate("document.activeElement.id") == "error-summary"
    page.get_by_label("申請したときのメールアドレス").fill("hanako@example.jp")
    page.get_by_role("button", name="状況を確認する").click()
    page.locator("#application-status", has_text="受付").wait_for()
    assert receipt in page.content()
    accessible(page)
    fits()
    context.close()
