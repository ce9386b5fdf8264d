"""A form imported from XLSForm, in Portuguese, on a 360 px phone, with JavaScript on and off:
a group as a page of its own, a question asked only for some answers, the form's own message for
a broken constraint, and an address (on the next page) filled from its postal code by the 検索
button."""

import io

import pytest
from openpyxl import Workbook

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.xlsform import read_xlsform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def household_form():
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            "label",
            "label::Portuguese (pt)",
            "required",
            "relevant",
            "constraint",
            "constraint_message",
            "constraint_message::Portuguese (pt)",
        ]
    )
    survey.append(["begin group", "family", "世帯", "Família"])
    survey.append(
        [
            "integer",
            "children",
            "子どもの人数",
            "Número de filhos",
            "yes",
            None,
            ". <= 5",
            "5人までです",
            "No máximo 5",
        ]
    )
    survey.append(["select_one yn", "school", "学校に通っていますか", "Vai à escola?", "yes"])
    survey.append(["text", "school_name", "学校名", "Nome da escola", "yes", "${school} = 'yes'"])
    survey.append(["end group"])
    survey.append(["address", "home", "住所", "Endereço", "yes"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "label::Portuguese (pt)"])
    choices.append(["yn", "yes", "はい", "Sim"])
    choices.append(["yn", "no", "いいえ", "Não"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return read_xlsform(buffer).fields


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_household_form_in_portuguese_on_a_phone(phone, tsu, accessible, javascript):
    procedure = published_procedure(tsu, fields=household_form())
    page = phone(locale="pt-BR", javascript=javascript)
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.get_by_role("button", name="Português").click()
    page.get_by_role("heading", name="Família").wait_for()
    if javascript:  # the accessibility and width checks run scripts in the page
        accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Número de filhos").fill("7")
    page.get_by_role("radio", name="Sim").check()
    page.get_by_label("Nome da escola").fill("Escola Municipal")
    page.get_by_role("button", name="Próximo").click()
    page.get_by_text("No máximo 5").first.wait_for()
    page.get_by_label("Número de filhos").fill("2")
    page.get_by_role("button", name="Próximo").click()

    page.get_by_text("Página 2 de 2").wait_for()
    # The address's parts are labelled in Portuguese; the address itself stays as Japan Post
    # writes it.
    page.get_by_label("CEP").fill("5140004")
    page.get_by_role("button", name="Buscar").click()
    assert page.get_by_label("Endereço", exact=True).input_value() == "三重県津市栄町"
    page.get_by_label("Endereço", exact=True).fill("三重県津市栄町一丁目891")
    page.get_by_role("button", name="Verificar respostas").click()
    page.get_by_text("Vai à escola?").wait_for()
    page.get_by_role("button", name="Enviar").click()
    page.wait_for_url("**/done/")

    application = Application.objects.get()
    assert application.data == {
        "children": 2,
        "school": "yes",
        "school_name": "Escola Municipal",
        "home": {"postal_code": "514-0004", "address": "三重県津市栄町一丁目891", "building": ""},
    }
