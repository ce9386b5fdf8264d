"""The builder's translation table on a 360 px phone in real Chromium: a clerk translates a
published form into Portuguese beside its Japanese (no more than a label's length is taken),
saves it as a new version, and a resident then answers the form in
Portuguese on a phone: its repeating group's rows are named "Filhos n.º 2", and a row added in
the page hides its conditional question until it applies."""

import re

import pytest

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.tenancy.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELDS = [
    {
        "name": "count",
        "type": "number",
        "label": "子どもの人数",
        "help": "中学生までの子ども",
        "required": True,
        "constraint": ". <= 5",
        "constraint_message": "5人までです",
    },
    {
        "name": "children",
        "type": "repeat",
        "label": "子ども",
        "row_unit": "人",
        "min_repeat": 1,
        "max_repeat": 3,
        "children": [
            {"name": "child_name", "type": "text", "label": "氏名", "required": True},
            {
                "name": "in_school",
                "type": "single_choice",
                "label": "学校に通っている",
                "required": True,
                "choices": [
                    {"value": "yes", "label": "通っている"},
                    {"value": "no", "label": "通っていない"},
                ],
            },
            {
                "name": "school_name",
                "type": "text",
                "label": "学校名",
                "required": True,
                "show_if": {"field": "in_school", "values": ["yes"]},
            },
        ],
    },
]
PORTUGUESE = {
    "子どもの人数": "Número de filhos",
    "中学生までの子ども": "Até o ensino fundamental",
    "5人までです": "No máximo 5",
    "子ども": "Filhos",
    "氏名": "Nome",
    "学校に通っている": "Vai à escola?",
    "通っている": "Sim",
    "通っていない": "Não",
    "学校名": "Nome da escola",
}

CHILD_NAME = re.compile(r"^Nome(?! da escola)")  # the label also says 必須


def fits_the_phone(page, accessible) -> None:
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_clerk_translates_a_form_into_portuguese_and_a_resident_answers_it_on_a_phone(
    phone, tsu, make_member, accessible, settings
):
    from django.contrib.auth import get_user_model

    clerk = make_member(tsu, Role.CLERK, username="tsu-translator")
    get_user_model().objects.filter(pk=clerk.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    procedure = published_procedure(tsu, fields=FIELDS)

    page = phone()
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill("tsu-translator")
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"/s/{tsu.code}/procedures/{procedure.pk}/form/")
    page.get_by_role("link", name="翻訳(やさしい日本語・外国語)").click()
    page.get_by_role("link", name="やさしい日本語").wait_for()
    page.get_by_role("link", name="Português").click()
    page.get_by_role("heading", name="Português(第1版)").wait_for()
    fits_the_phone(page, accessible)

    for japanese, portuguese in PORTUGUESE.items():
        page.get_by_label(f"「{japanese}」のPortuguês訳", exact=True).fill(portuguese)
    # The input takes no more than the builder's limit for a label (the server refuses more).
    school = page.get_by_label("「学校名」のPortuguês訳", exact=True)
    school.fill("Nome da escola " * 20)
    assert len(school.input_value()) == 200
    school.fill("Nome da escola")
    page.get_by_role("button", name="Portuguêsの翻訳を保存して公開").click()
    page.get_by_text("翻訳を保存しました(第2版として公開しました)。").wait_for()
    preview = page.get_by_role("link", name="住民の画面をPortuguêsで見る(新しいタブ)")
    resident_url = preview.get_attribute("href")
    assert resident_url == f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt"

    resident = phone(locale="pt-BR")
    resident.goto(resident_url)
    resident.get_by_label("Número de filhos").wait_for()
    assert resident.locator("form.application-form").get_attribute("lang") == "pt"
    assert resident.get_by_text("Até o ensino fundamental").is_visible()
    first = resident.get_by_role("group", name="Filhos n.º 1")
    assert not first.get_by_label("Nome da escola").is_visible()  # until "Sim" is chosen
    fits_the_phone(resident, accessible)
    resident.get_by_label("Número de filhos").fill("7")
    first.get_by_label(CHILD_NAME).fill("Hanako")
    first.get_by_role("radio", name="Sim").check()
    first.get_by_label("Nome da escola").fill("Escola de Tsu")
    # A row added in the page is named in Portuguese and hides its own conditional question.
    resident.get_by_role("button", name="Adicionar: Filhos").click()
    second = resident.get_by_role("group", name="Filhos n.º 2")
    second.get_by_label(CHILD_NAME).fill("Jiro")
    assert not second.get_by_label("Nome da escola").is_visible()
    second.get_by_role("radio", name="Sim").check()
    assert second.get_by_label("Nome da escola").is_visible()
    second.get_by_role("radio", name="Não").check()
    assert not second.get_by_label("Nome da escola").is_visible()
    fits_the_phone(resident, accessible)
    resident.get_by_role("button", name="Verificar respostas").click()
    resident.get_by_text("No máximo 5").first.wait_for()
    fits_the_phone(resident, accessible)
    resident.get_by_label("Número de filhos").fill("2")
    resident.get_by_role("button", name="Verificar respostas").click()
    resident.wait_for_url("**/confirm/")
    resident.get_by_text("Filhos n.º 2: Vai à escola?").wait_for()
    fits_the_phone(resident, accessible)
    resident.get_by_role("button", name="Enviar").click()
    resident.wait_for_url("**/done/")
    application = Application.objects.get()
    assert application.data == {
        "count": 2,
        "children": [
            {"child_name": "Hanako", "in_school": "yes", "school_name": "Escola de Tsu"},
            {"child_name": "Jiro", "in_school": "no"},
        ],
    }
    assert application.form_version.number == 2
