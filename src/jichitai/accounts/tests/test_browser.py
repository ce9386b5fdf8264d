"""A member of staff logs in for the first time in real Chromium: password, authenticator
enrolment with the administrator's enrolment code, dashboard; the pages are usable by keyboard and pass axe-core."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts import services
from jichitai.accounts.tests.test_login import PASSWORD, current_code
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_login_with_an_authenticator_by_keyboard(page, accessible, prefecture):
    from jichitai.tenancy.tests.factories import OrganizationFactory

    tsu = OrganizationFactory(code="242012", name="津市", name_kana="つし", parent=prefecture)
    user = UserFactory(username="tsu-newcomer", full_name="津 新人")
    membership = MembershipFactory(user=user, organization=tsu, role=Role.CLERK)
    # Handed over by the administrator in person or by phone.
    enrolment_code = services.issue_enrolment_code(actor=None, membership=membership)

    page.goto("/accounts/login/")
    accessible(page)
    # The first Tab reaches the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "本文へ移動"

    page.get_by_label("ログインID").fill("tsu-newcomer")
    page.get_by_label("パスワード").fill("wrong-password")
    page.get_by_label("パスワード").press("Enter")
    page.get_by_text("ログインIDまたはパスワードが正しくありません").wait_for()
    assert page.get_by_label("ログインID").input_value() == "tsu-newcomer"
    accessible(page)

    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_label("パスワード").press("Enter")
    page.get_by_role("heading", name="二要素認証の登録").wait_for()
    accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("登録コード").fill(enrolment_code)
    page.get_by_label("確認コード(6桁)").fill(current_code(device))
    page.get_by_label("確認コード(6桁)").press("Enter")

    page.get_by_role("heading", name="津市 職員ホーム").wait_for()
    assert page.get_by_text("二要素認証を登録しました。").is_visible()
    accessible(page)


def test_public_pages_work_on_a_phone_and_in_english(browser, live_server, accessible, prefecture):
    context = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    try:
        page.goto("/")
        accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.get_by_label("言語").select_option("en")
        page.get_by_role("button", name="切替").click()
        page.get_by_role("link", name="Staff login").wait_for()
        assert page.evaluate("document.documentElement.lang") == "en"
        accessible(page)
    finally:
        context.close()
