"""A link dressed as a primary button (「手続を作成」, 「紙の様式を登録する」…) is read as white on blue
in real Chromium: the plain link colour must not win over the button's, or the words vanish into the
button (a contrast of 1:1) while it still looks like something to press."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/s/242012/procedures/",
    "/s/242012/ocr/",
    "/s/242012/opendata/",
    "/s/242012/payments/",
    "/s/242012/members/",
]
CONTRAST = """
a => {
  const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = rgb => {
    const [r, g, b] = rgb.match(/\\d+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const style = getComputedStyle(a);
  const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
"""


@pytest.fixture
def demo(settings, live_server):
    call_command("demo", quiet_logins=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True


def test_primary_link_buttons_are_readable(browser, live_server, demo, accessible):
    page = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ).new_page()
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill("tsu-admin")
    page.get_by_label("パスワード").fill("jichitai-demo-2026")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/s/242012/")
    seen = 0
    for path in PAGES:
        page.goto(path)
        for button in page.locator("a.button:not(.button--secondary):not(.button--danger)").all():
            seen += 1
            assert button.evaluate(CONTRAST) >= 4.5, (path, button.inner_text())
        accessible(page)
    assert seen >= len(PAGES)
