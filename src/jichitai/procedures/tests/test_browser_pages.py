"""A 3-page form with a routing condition on a 360 px phone, with JavaScript on and off: the
resident goes forward, back (what was typed is kept), changes an answer so the flow jumps over a
page, corrects a page from the confirmation and sends; the skipped page's answers are not
stored."""

import re

import pytest

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_pages import HOUSEHOLD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_three_page_form_with_a_jump_on_a_phone(phone, tsu, accessible, javascript):
    procedure = published_procedure(tsu, fields=HOUSEHOLD, name="児童手当の相談")
    page = phone(locale="ja-JP", javascript=javascript)

    def check_page() -> None:
        if javascript:  # the accessibility and width checks run scripts in the page
            accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.get_by_text("ページ 1 / 2").wait_for()
    check_page()
    page.get_by_label("申請者の氏名").fill("三重 花子")
    page.get_by_role("radio", name="いる").check()
    page.get_by_role("button", name="次へ").click()

    page.get_by_role("heading", name="お子さんのこと").wait_for()
    assert page.get_by_text("ページ 2 / 3").is_visible()
    check_page()
    page.get_by_role("button", name="次へ").click()  # nothing typed: this page's error only
    page.get_by_role(
        "link", name="お子さんの人数: 「お子さんの人数」を入力してください。"
    ).wait_for()
    page.get_by_label("お子さんの人数").fill("2")
    page.get_by_label("学校名").fill("津市立南小学校")
    page.get_by_role("button", name="戻る").click()

    page.get_by_text("ページ 1 / 3").wait_for()
    assert page.get_by_label("申請者の氏名").input_value() == "三重 花子"
    page.get_by_role("radio", name="いない").check()
    page.get_by_role("button", name="次へ").click()

    # No children: the flow jumps over their page.
    page.get_by_role("heading", name="連絡先").wait_for()
    assert page.get_by_text("ページ 2 / 2").is_visible()
    page.get_by_role("textbox", name="メールアドレス 必須").fill("hanako@example")
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("メールアドレスの形式が正しくありません。").first.wait_for()
    page.get_by_role("textbox", name="メールアドレス 必須").fill("hanako@example.jp")
    page.get_by_role("button", name="入力内容を確認する").click()

    page.wait_for_url("**/confirm/")
    check_page()
    assert page.get_by_text("お子さんのこと").count() == 0
    page.get_by_role("link", name=re.compile(r"^修正\s?: 連絡先$")).click()
    assert (
        page.get_by_role("textbox", name="メールアドレス 必須").input_value() == "hanako@example.jp"
    )
    page.get_by_role("textbox", name="メールアドレス 必須").fill("hanako.mie@example.jp")
    page.get_by_role("button", name="入力内容を確認する").click()
    page.wait_for_url("**/confirm/")
    page.get_by_text("hanako.mie@example.jp").wait_for()
    page.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/done/")

    assert Application.objects.get().data == {
        "applicant": "三重 花子",
        "has_children": "no",
        "email": "hanako.mie@example.jp",
    }
