"""A question may bear any name the form's rules allow, "action", "lang" or "return" among them
(an English XLSForm's "action" taken), and its answer is what the resident typed: the page's own
controls are named so that no question can share their name, whichever button sent the page."""

import pytest

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS = [
    {"name": "action", "type": "text", "label": "対応してほしいこと", "required": True},
    {"name": "lang", "type": "text", "label": "話せる言語", "required": True},
    {"name": "return", "type": "text", "label": "返却方法", "required": True},
]


@pytest.mark.parametrize("send", ["click", "enter"])
def test_questions_named_like_the_pages_controls_keep_their_answers(phone, tsu, send):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = phone()
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.locator("input[type=text][name=action]").fill("段差の解消")
    page.locator("input[type=text][name=lang]").fill("ポルトガル語")
    page.locator("input[type=text][name=return]").fill("郵送")
    if send == "enter":
        page.locator("input[type=text][name=return]").press("Enter")
    else:
        page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_role("button", name="送信する").click()
    page.locator("#receipt-number").wait_for()
    assert Application.objects.get().data == {
        "action": "段差の解消",
        "lang": "ポルトガル語",
        "return": "郵送",
    }
