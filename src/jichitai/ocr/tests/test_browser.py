"""A clerk's whole paper intake in real Chromium: upload a batch, watch it read, correct the
flagged field by keyboard only, and find the application in the inbox beside online ones."""

import random

import pytest

from jichitai.ocr import samples
from jichitai.ocr.tests.factories import paper_template
from jichitai.tenancy.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_uploads_corrects_by_keyboard_and_finds_the_application(
    page, accessible, tsu, make_member, settings, tmp_path
):
    from django.contrib.auth import get_user_model

    from jichitai.tenancy.tests.factories import DivisionFactory

    division = DivisionFactory(organization=tsu)
    clerk = make_member(tsu, Role.CLERK, username="tsu-ocr-clerk", division=division)
    get_user_model().objects.filter(pk=clerk.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    paper = paper_template(tsu, division=division)
    written, _truth = samples.random_values("genkyo", random.Random(8))
    written["postal"] = "514-000"  # one digit short: read, but flagged as invalid
    samples.filled_form("genkyo", written).save(tmp_path / "現況届.png")
    (tmp_path / "memo.png").write_bytes(b"this is not an image")

    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill("tsu-ocr-clerk")
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"/s/{tsu.code}/ocr/")
    accessible(page)
    page.get_by_role("link", name=paper.name).click()
    accessible(page)
    page.get_by_label("スキャンしたファイル").set_input_files(
        [str(tmp_path / "現況届.png"), str(tmp_path / "memo.png")]
    )
    page.get_by_role("button", name="読取を開始する").click()
    page.get_by_role("heading", name="読取バッチ").wait_for()
    progress = page.locator("progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "1"
    assert "memo.png" in page.locator("main").inner_text()
    accessible(page)

    page.get_by_role("link", name="現況届.png 1 ページ").click()
    page.get_by_role("heading", name="確認・修正").wait_for()
    accessible(page)
    postal = page.get_by_label("郵便番号")
    assert postal.evaluate("element => element === document.activeElement")
    assert "ocr-flagged" in postal.get_attribute("class")
    page.keyboard.press("Control+A")
    page.keyboard.type("514-0001")
    page.keyboard.press("Enter")
    page.get_by_text("として受け付けました").wait_for()
    receipt = (
        page.get_by_text("として受け付けました").inner_text().split("受付番号 ")[1].split(" ")[0]
    )

    page.goto(f"/s/{tsu.code}/inbox/")
    row = page.locator("tr", has_text=receipt)
    assert "紙(AI-OCR)" in row.inner_text()
    accessible(page)
    row.get_by_role("link").click()
    assert "514-0001" in page.locator("main").inner_text()
