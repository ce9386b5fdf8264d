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


def test_a_zone_is_drawn_on_the_blank_page_or_typed(page, accessible, tsu, make_member, settings):
    from django.contrib.auth import get_user_model

    clerk = make_member(tsu, Role.CLERK, username="tsu-ocr-drawer")
    get_user_model().objects.filter(pk=clerk.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    paper = paper_template(tsu)
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill("tsu-ocr-drawer")
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"/s/{tsu.code}/ocr/templates/{paper.pk}/")
    sheet = page.locator("#ocr-zones")
    sheet.scroll_into_view_if_needed()
    box = sheet.bounding_box()
    scale = paper.width / box["width"]
    page.mouse.move(box["x"] + 100, box["y"] + 200)
    page.mouse.down()
    page.mouse.move(box["x"] + 300, box["y"] + 240, steps=5)
    page.mouse.up()
    x = int(page.get_by_label("左端 x(ピクセル)").input_value())
    width = int(page.get_by_label("幅(ピクセル)").input_value())
    assert abs(x - 100 * scale) < 4 and abs(width - 200 * scale) < 4
    assert page.evaluate("document.activeElement.id") == "id_zone-name"
    page.get_by_label("手続のフォームの項目").select_option("phone")
    page.get_by_label("読取の種類").select_option("phone")
    page.get_by_label("左端 x(ピクセル)").fill("200")  # the keyboard way: type the numbers
    page.get_by_role("button", name="枠を保存する").click()
    page.get_by_text("項目の枠を保存しました。").wait_for()
    accessible(page)
    paper.refresh_from_db()
    assert next(f for f in paper.fields if f["name"] == "phone")["box"][0] == 200
