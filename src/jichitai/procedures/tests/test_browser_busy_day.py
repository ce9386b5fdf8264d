"""A clerk's busy day in real Chromium, on a desk screen and on a phone: the work waiting on the
home page, twenty applications taken from 「未割当」 at once, one returned, corrected by the
resident, approved, its 通知書 issued and received on the status page, completed, and the 期限超過
count falling; axe-core on every page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from jichitai.conftest import CONTROLS_OFF_SCREEN
from jichitai.procedures.models import Application
from jichitai.tenancy.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings, live_server):
    call_command("demo", quiet_logins=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    settings.JICHITAI_BASE_URL = live_server.url
    return Organization.objects.get(code="242012")


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill(username)
    page.get_by_label("パスワード").fill("jichitai-demo-2026")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name=re.compile("職員ホーム")).wait_for()


def _counter(page, name) -> int:
    return int(
        page.get_by_role("link", name=re.compile(f"^{name}")).first.locator(".badge").inner_text()
    )


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _every_column_in_view(page):
    """On a desk screen the inbox's status and assignee columns are seen without scrolling sideways."""
    assert page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)"
    ), page.url


@pytest.mark.parametrize("width", [1280, 360])
def test_a_clerks_busy_day(browser, live_server, demo, accessible, width):
    tsu = demo
    context = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    _log_in(page, "tsu-clerk")
    accessible(page)
    _fits(page, width)
    overdue_before = _counter(page, "期限超過")
    assert (
        overdue_before > 0 and _counter(page, "未割当") >= 20 and _counter(page, "自分の担当") == 0
    )

    # Twenty applications from 「未割当」 to myself, in one go.
    page.get_by_role("link", name=re.compile("^未割当")).first.click()
    page.get_by_role("heading", name="受付箱").wait_for()
    accessible(page)
    _fits(page, width)
    if width >= 1280:
        _every_column_in_view(page)
    select_all = page.get_by_label("このページの申請をすべて選択")
    select_all.check()
    boxes = page.locator('input[name="selected"]')
    assert boxes.count() >= 20 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    select_all.uncheck()
    for i in range(20):
        boxes.nth(i).check()
    page.get_by_label("担当者").select_option(label="津 さくら")
    page.get_by_role("button", name="担当者を割り当てる").click()
    page.get_by_text("20 件の担当者を「津 さくら」にしました。").wait_for()
    accessible(page)
    page.get_by_role("link", name=re.compile("^自分の担当")).first.click()
    page.get_by_role("heading", name="受付箱").wait_for()
    assert page.locator('input[name="selected"]').count() == 20

    # The delay report's overdue count opens those applications.
    page.goto(f"/s/{tsu.code}/inbox/delays/")
    accessible(page)
    page.get_by_role("link", name=re.compile("期限超過の申請を見る")).first.click()
    page.get_by_role("heading", name="受付箱").wait_for()
    assert "view=overdue" in page.url and page.locator("tbody tr").count() > 0

    # The oldest overdue application of mine: returned, corrected by the resident, approved, done.
    page.goto(f"/s/{tsu.code}/inbox/?view=overdue&sort=due")
    accessible(page)
    page.locator("tbody tr").first.get_by_role("link").first.click()
    receipt = page.get_by_role("heading", level=1).inner_text().split()[-1]
    accessible(page)
    page.get_by_label("新しい状態").select_option("returned")
    page.get_by_label("申請者へのメッセージ").fill("新しい住所の番地を確認させてください。")
    page.get_by_role("button", name="変更して申請者に通知").click()
    page.locator("#application-status", has_text="差戻し").wait_for()
    accessible(page)

    message = next(m for m in mail.outbox if "差戻し" in m.subject and receipt in m.body)
    status_path = re.search(r"(/o/\d+/status/\S+/)", message.body).group(1)
    resident = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": min(width, 360), "height": 800}
    ).new_page()
    resident.goto(status_path)
    resident.get_by_text("新しい住所の番地を確認させてください。").first.wait_for()
    accessible(resident)
    resident.get_by_role("button", name="修正した内容で再提出する").click()
    resident.locator("#application-status", has_text="受付").wait_for()

    page.reload()
    page.get_by_label("新しい状態").select_option("approved")
    page.get_by_role("button", name="変更して申請者に通知").click()
    page.locator("#application-status", has_text="承認").wait_for()
    # 通知書 issued from the procedure's template; the resident receives it on the status page.
    page.get_by_role("button", name="文書を発行する(PDF)").click()
    page.get_by_role("link", name=f"通知書({receipt}-01)").wait_for()
    accessible(page)
    resident.goto(status_path)
    resident.get_by_role("link", name="通知書(PDF").wait_for()
    accessible(resident)
    page.get_by_label("新しい状態").select_option("completed")
    page.get_by_role("button", name="変更して申請者に通知").click()
    page.locator("#application-status", has_text="完了").wait_for()
    accessible(page)
    assert Application.objects.get(receipt_number=receipt).status == "completed"

    page.goto(f"/s/{tsu.code}/")
    assert _counter(page, "期限超過") == overdue_before - 1
    context.close()


def test_in_english_the_inbox_columns_stay_in_view_on_a_desk_screen(desk, demo):
    """English headings are longer than Japanese ones (Receipt number, Received at, Assignee):
    they wrap between words rather than push the assignee column off a 1280 px screen."""
    page = desk(get_user_model().objects.get(username="pref-admin"), locale="en-US")
    for sort in ("", "?sort=channel"):
        page.goto(f"/s/240001/inbox/{sort}")
        _every_column_in_view(page)
        assert page.evaluate(CONTROLS_OFF_SCREEN) == [], page.url
