"""The flagship flows in real Chromium: a resident applies to an event with 定員, a clerk returns it,
the resident corrects it on the status page, the clerk approves; survey results are downloaded as
a Shift_JIS CSV that Python's csv module reads with encoding="cp932"."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from jichitai.procedures.models import Application, Procedure
from jichitai.tenancy.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def demo_staff(settings):
    """The demo's organizations and staff; demo accounts log in without a second factor here."""
    call_command("demo", quiet_logins=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    return Organization.objects.get(code="242012")


def staff_login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill(username)
    page.get_by_label("パスワード").fill("jichitai-demo-2026")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name=re.compile("職員ホーム")).wait_for()


def test_event_application_returned_corrected_and_approved(
    browser, live_server, demo_staff, accessible, settings
):
    settings.JICHITAI_BASE_URL = live_server.url
    tsu = demo_staff
    event = Procedure.objects.get(organization=tsu, name="オープンデータ活用講座")
    resident = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 320, "height": 800}
    )
    page = resident.new_page()
    page.goto(f"/o/{tsu.code}/procedures/")
    accessible(page)
    page.get_by_role("link", name="オープンデータ活用講座").click()
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # The support question appears only when support is wanted (the script hides it otherwise).
    assert not page.get_by_label("希望する支援の内容").is_visible()
    page.get_by_label("姓", exact=True).fill("三重")
    page.get_by_label("名", exact=True).fill("花子")
    page.get_by_label("セイ").fill("みえ")
    page.get_by_label("メイ").fill("はなこ")
    page.get_by_role("textbox", name="メールアドレス 必須", exact=True).fill("hanako@example.jp")
    page.get_by_label("参加人数").fill("9")
    page.get_by_label("会場").check()
    page.get_by_label("希望する", exact=True).check()
    assert page.get_by_label("希望する支援の内容").is_visible()
    page.get_by_role("button", name="入力内容を確認する").click()

    # Bad input: messages next to the fields, announced, the input kept.
    page.get_by_role("alert").wait_for()
    assert "5以下の値を入力してください" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("姓", exact=True).input_value() == "三重"
    accessible(page)
    page.get_by_label("参加人数").fill("2")
    page.get_by_label("希望する支援の内容").fill("要約筆記を希望します")
    page.get_by_label("同意する").check()
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("三重 花子(ミエ ハナコ)").wait_for()
    accessible(page)
    page.get_by_role("button", name="送信する").click()
    receipt = page.locator("#receipt-number").inner_text()
    accessible(page)
    application = Application.objects.get(receipt_number=receipt)
    assert application.persons == 2
    event.refresh_from_db()
    assert event.seats_taken == 5  # 3 demo applications + these 2 persons

    # The clerk returns it with a message.
    staff = browser.new_context(locale="ja-JP", base_url=live_server.url)
    clerk = staff.new_page()
    staff_login(clerk, "tsu-admin")
    clerk.goto(f"/s/{tsu.code}/inbox/")
    accessible(clerk)
    clerk.get_by_role("link", name=receipt).click()
    clerk.get_by_label("新しい状態").select_option("returned")
    clerk.get_by_label("申請者へのメッセージ").fill(
        "参加人数が2人の場合、お連れの方のお名前を教えてください。"
    )
    clerk.get_by_role("button", name="変更して申請者に通知").click()
    clerk.locator("#application-status", has_text="差戻し").wait_for()
    accessible(clerk)

    # The resident follows the e-mailed link, corrects and resubmits.
    link = next(m for m in mail.outbox if "差戻し" in m.subject).body
    status_path = re.search(r"(/o/\d+/status/\S+/)", link).group(1)
    page.goto(status_path)
    page.get_by_role("status").get_by_text("お連れの方のお名前を教えてください").wait_for()
    accessible(page)
    page.get_by_label("希望する支援の内容").fill("要約筆記を希望します。同伴者: 三重 一郎")
    page.get_by_role("button", name="修正した内容で再提出する").click()
    page.locator("#application-status", has_text="受付").wait_for()

    # The clerk approves.
    clerk.reload()
    clerk.get_by_label("新しい状態").select_option("approved")
    clerk.get_by_role("button", name="変更して申請者に通知").click()
    clerk.locator("#application-status", has_text="承認").wait_for()
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.data["support_detail"].endswith("同伴者: 三重 一郎")
    resident.close()
    staff.close()


def test_survey_results_download_as_shift_jis_csv(page, demo_staff, accessible):
    staff_login(page, "pref-admin")
    survey = Procedure.objects.get(name="スマート自治体に関する職員アンケート")
    page.goto(f"/s/240001/procedures/{survey.pk}/results/")
    page.get_by_role("heading", name="スマート自治体の進展を実感しますか").wait_for()
    accessible(page)
    page.goto(f"/s/240001/procedures/{survey.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV(Shift_JIS・Excel 向け)").click()
    content = Path(download_info.value.path()).read_bytes()
    rows = list(csv.reader(io.StringIO(content.decode("cp932"))))
    assert rows[0][:5] == ["受付番号", "受付日時", "受付経路", "状態", "人数"]
    assert "スマート自治体の進展を実感しますか" in rows[0]
    answers = [row[rows[0].index("スマート自治体の進展を実感しますか")] for row in rows[1:]]
    stored = [
        application.data["feel_progress"]
        for application in Application.objects.filter(procedure=survey)
    ]
    assert len(answers) == len(stored) > 50
    assert answers.count("実感している") == stored.count("実感している") > 0
