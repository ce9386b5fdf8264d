"""Enter pressed in an answer does what the page's main button does (次へ / 入力内容を確認する),
as people expect from any form, with JavaScript on or off: not the 検索 of an address's postal
code, nor the 追加 of a repeating group, which come earlier in the page."""

import pytest

from jichitai.procedures.tests.factories import published_procedure, returned_application
from jichitai.procedures.tests.test_correction_pages import status_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS = [
    {"name": "home", "type": "address", "label": "住所", "required": True},
    {
        "name": "children",
        "type": "repeat",
        "label": "子ども",
        "min_repeat": 0,
        "max_repeat": 3,
        "children": [{"name": "child_name", "type": "text", "label": "子どもの氏名"}],
    },
    {"name": "full_name", "type": "text", "label": "氏名", "required": True},
]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_enter_in_an_answer_goes_on_to_the_confirmation(phone, tsu, javascript):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = phone(javascript=javascript)
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.locator("[name=home__postal_code]").fill("514-0006")
    page.locator("[name=home__address]").fill("三重県津市広明町13番地")
    page.locator("[name=full_name]").fill("山田 花子")
    page.locator("[name=full_name]").press("Enter")
    page.get_by_role("button", name="送信する").wait_for()
    assert page.get_by_text("山田 花子").is_visible()


def test_enter_in_a_correction_sends_it_again(phone, tsu, tsu_admin):
    procedure = published_procedure(tsu, fields=FIELDS)
    application = returned_application(
        procedure,
        actor=tsu_admin,
        data={
            "home": {"postal_code": "514-0006", "address": "三重県津市広明町13番地"},
            "full_name": "山田 花子",
        },
        message="氏名を確認してください。",
    )
    page = phone()
    page.goto(status_url(application))
    page.locator("[name=full_name]").fill("山田 花")
    page.locator("[name=full_name]").press("Enter")
    page.locator("#application-status").wait_for()
    application.refresh_from_db()
    assert application.data["full_name"] == "山田 花"
