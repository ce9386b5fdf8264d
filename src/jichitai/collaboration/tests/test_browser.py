"""A 市町 clerk's part in real Chromium: two adoption states and the council survey; then the
prefecture's view and the progress report show the new figures, with nobody's name in them."""

import re

import pytest

from jichitai.collaboration.tests.factories import council
from jichitai.core.tests.pdf import pdf_text
from jichitai.pdca import selectors as pdca_selectors
from jichitai.pdca.models import ActionYear
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill(username)
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()


def test_a_clerk_updates_states_and_answers_and_the_prefecture_sees_it(
    page, accessible, prefecture, tsu, ise, make_member, settings
):
    from django.contrib.auth import get_user_model

    clerk = make_member(tsu, Role.CLERK, username="tsu-clerk-suzuki")
    manager = make_member(prefecture, Role.MANAGER, username="pref-manager-collab")
    get_user_model().objects.filter(pk__in=[clerk.pk, manager.pk]).update(
        is_demo=True, last_name="鈴木"
    )
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    council(prefecture, [tsu, ise])
    plan = plan_with_action(prefecture, first_year=2026)
    ActionYear.objects.filter(action__plan=plan).update(
        status_text="RPA導入済 {{collaboration.adopting_municipalities measure=rpa}}市町、"
        "検討が深まった {{collaboration.survey_positive initiative=council}}市町"
    )

    def report_status():
        data = pdca_selectors.progress_data(plan, 2026)
        return data["initiatives"][0]["sections"][0]["actions"][0]["status"]

    assert report_status() == "RPA導入済 0市町、検討が深まった 0市町"

    _log_in(page, "tsu-clerk-suzuki")
    page.goto("/s/242012/collaboration/?year=2026")
    accessible(page)
    page.get_by_label("RPA").select_option(label="導入済")
    page.get_by_label("テレワーク").select_option(label="試行")
    page.get_by_role("button", name="導入状況を保存").click()
    page.get_by_text("導入状況を保存しました(変更 2 件)。").wait_for()
    assert page.get_by_label("RPA").input_value() == "adopted"
    page.get_by_role("link", name="回答する").click()
    accessible(page)
    page.get_by_role("button", name="回答を送信").click()
    page.get_by_text(
        "このフィールドは必須です。"
    ).first.wait_for()  # nothing chosen: told, not sent
    page.get_by_label("かなり深まった").check()
    page.get_by_role("button", name="回答を送信").click()
    page.get_by_text("アンケートに回答しました。").wait_for()
    assert "回答済み" in page.get_by_role("region", name="県からのアンケート").inner_text()

    page.context.clear_cookies()  # another person, another session
    _log_in(page, "pref-manager-collab")
    page.goto("/s/240001/collaboration/?year=2026")
    accessible(page)
    rpa = page.locator("#adoption-rpa").inner_text().split()
    telework = page.locator("#adoption-telework").inner_text().split()
    assert rpa[1:] == ["0", "0", "0", "1", "1"]  # 未検討 検討中 試行 導入済 未登録
    assert telework[1:] == ["0", "0", "1", "0", "1"]
    assert (
        "100%(1市町 / 回答 1市町 / 依頼 2市町)" in page.locator("#initiative-council").inner_text()
    )
    whole = page.content()
    for personal in ["tsu-clerk-suzuki", "鈴木", "かなり深まった"]:
        assert personal not in whole
    assert report_status() == "RPA導入済 1市町、検討が深まった 1市町"
    # The progress report itself, as the prefecture downloads it.
    report = page.request.get(f"/s/240001/pdca/plans/{plan.pk}/reports/progress/2026.pdf")
    assert report.ok and report.headers["content-type"] == "application/pdf"
    text = re.sub(r"\s+", "", pdf_text(report.body()))
    assert "RPA導入済1市町、検討が深まった1市町" in text
    for personal in ["tsu-clerk-suzuki", "鈴木", "かなり深まった"]:
        assert personal not in text
