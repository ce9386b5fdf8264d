"""A household form imported from XLSForm, in Portuguese, on a 360 px phone, with JavaScript on
and off: three pages (top-level groups), the children's page asked only when there are children
(the flow jumps over it otherwise), two children in a repeating group on that page with a row's
missing answer shown in its row, and an address filled from its postal code by the 検索 button;
the confirmation lists the rows and the stored application holds them."""

import io

import pytest
from openpyxl import Workbook

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.xlsform import read_xlsform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLUMNS = ["type", "name", "label", "label::Portuguese (pt)", "required", "relevant"]


def household_form():
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append([*COLUMNS, "min_repeat", "max_repeat", "row_unit"])
    for row in [
        ["begin group", "family", "世帯", "Família"],
        ["select_one yn", "has_children", "子どもがいますか", "Tem filhos?", "yes"],
        ["end group"],
        ["begin group", "kids", "子どものこと", "Crianças", None, "${has_children} = 'yes'"],
        ["begin repeat", "children", "子ども", "Filhos", None, None, 1, 3, "人"],
        ["text", "child_name", "氏名", "Nome", "yes"],
        ["date", "birth_date", "生年月日", "Data de nascimento", "yes"],
        ["end repeat"],
        ["end group"],
        ["begin group", "contact", "連絡先", "Contato"],
        ["address", "home", "住所", "Endereço", "yes"],
        ["end group"],
    ]:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label", "label::Portuguese (pt)"])
    choices.append(["yn", "yes", "はい", "Sim"])
    choices.append(["yn", "no", "いいえ", "Não"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return read_xlsform(buffer).fields


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_three_page_household_form_with_children_in_portuguese_on_a_phone(
    phone, tsu, accessible, javascript
):
    procedure = published_procedure(tsu, fields=household_form())
    page = phone(locale="pt-BR", javascript=javascript)

    def check_page() -> None:
        if javascript:  # the accessibility and width checks run scripts in the page
            accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt")
    page.get_by_role("heading", name="Família").wait_for()
    assert page.get_by_text("Página 1 de 2").is_visible()
    check_page()
    page.get_by_role("radio", name="Não").check()
    page.get_by_role("button", name="Próximo").click()
    # No children: the flow jumps over their page.
    page.get_by_role("heading", name="Contato").wait_for()
    assert page.get_by_text("Página 2 de 2").is_visible()
    page.get_by_role("button", name="Voltar").click()

    page.get_by_role("heading", name="Família").wait_for()
    page.get_by_role("radio", name="Sim").check()
    page.get_by_role("button", name="Próximo").click()
    page.get_by_role("heading", name="Crianças").wait_for()
    assert page.get_by_text("Página 2 de 3").is_visible()
    first = page.get_by_role("group", name="Filhos n.º 1")
    first.get_by_label("Nome").fill("Hanako Mie")
    first.get_by_label("Data de nascimento").fill("2018-04-01")
    page.get_by_role("button", name="Adicionar: Filhos").click()
    second = page.get_by_role("group", name="Filhos n.º 2")
    second.get_by_label("Nome").fill("Jiro Mie")
    # Still on the children's page, whether the row was added in place or by a new page.
    assert page.get_by_text("Página 2 de 3").is_visible()
    check_page()
    page.get_by_role("button", name="Próximo").click()
    page.get_by_text("Filhos n.º 2: Preencha “Data de nascimento”.").first.wait_for()
    assert page.get_by_role("group", name="Filhos n.º 2").get_by_label("Nome").input_value() == (
        "Jiro Mie"
    )
    page.get_by_role("group", name="Filhos n.º 2").get_by_label("Data de nascimento").fill(
        "2021-10-10"
    )
    page.get_by_role("button", name="Próximo").click()

    page.get_by_role("heading", name="Contato").wait_for()
    assert page.get_by_text("Página 3 de 3").is_visible()
    page.get_by_label("CEP").fill("5140004")
    page.get_by_role("button", name="Buscar").click()
    address = page.locator("input[name=home__address]")
    assert address.input_value() == "三重県津市栄町"
    address.fill("三重県津市栄町一丁目891")
    check_page()
    page.get_by_role("button", name="Verificar respostas").click()

    page.wait_for_url("**/confirm/")
    page.get_by_text("Filhos n.º 2: Nome").wait_for()
    check_page()
    page.get_by_role("button", name="Enviar").click()
    page.wait_for_url("**/done/")

    assert Application.objects.get().data == {
        "has_children": "yes",
        "children": [
            {"child_name": "Hanako Mie", "birth_date": "2018-04-01"},
            {"child_name": "Jiro Mie", "birth_date": "2021-10-10"},
        ],
        "home": {"postal_code": "514-0004", "address": "三重県津市栄町一丁目891", "building": ""},
    }
