"""A household's children in a repeating group, on a 360 px phone, with JavaScript on and off: rows
are added and removed (in place with JavaScript, by re-rendering the page without), each named
「子ども 2 人目」 for assistive technology, a missing answer is shown in its row, and the stored
application holds the rows in the order shown."""

import pytest

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_repeats import HOUSEHOLD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_children_are_added_removed_and_sent_on_a_phone(phone, tsu, accessible, javascript):
    procedure = published_procedure(tsu, fields=HOUSEHOLD)
    page = phone(locale="ja-JP", javascript=javascript)
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.get_by_label("世帯主").fill("三重 一郎")
    first = page.get_by_role("group", name="子ども 1 人目")
    first.get_by_label("氏名").fill("三重 花子")
    first.get_by_label("生年月日").fill("平成30年4月1日")

    page.get_by_role("button", name="子どもを追加").click()
    second = page.get_by_role("group", name="子ども 2 人目")
    second.get_by_label("氏名").fill("取り消す子")
    page.get_by_role("button", name="子どもを追加").click()
    third = page.get_by_role("group", name="子ども 3 人目")
    third.get_by_label("氏名").fill("三重 次郎")
    # At the most rows the form takes, no more can be added.
    assert page.get_by_role("button", name="子どもを追加").is_disabled()
    if javascript:
        accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="子ども 2 人目を削除").click()
    assert page.get_by_role("group", name="子ども 3 人目").count() == 0
    second = page.get_by_role("group", name="子ども 2 人目")
    assert second.get_by_label("氏名").input_value() == "三重 次郎"
    assert page.get_by_role("group", name="子ども 1 人目").get_by_label("氏名").input_value() == (
        "三重 花子"
    )

    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("子ども 2 人目: 「生年月日」を入力してください。").first.wait_for()
    page.get_by_role("group", name="子ども 2 人目").get_by_label("生年月日").fill("2021-10-10")
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_text("子ども 2 人目: 氏名").wait_for()
    page.get_by_role("button", name="送信する").click()
    page.wait_for_url("**/done/")

    assert Application.objects.get().data["children"] == [
        {"child_name": "三重 花子", "birth_date": "2018-04-01"},
        {"child_name": "三重 次郎", "birth_date": "2021-10-10"},
    ]
