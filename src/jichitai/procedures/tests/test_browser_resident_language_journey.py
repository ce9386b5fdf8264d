"""A Portuguese-speaking resident on a 360 px phone reads the whole journey in Portuguese: the
form with a missing answer, the 一時保存 block, the confirmation (a time and a date-and-time
answer included), the receipt and the status page.
Japanese may remain only in what the municipality wrote itself (the procedure's, the
organization's and the division's names), anywhere in the page: text, titles, labels for
assistive technology, the site's frame."""

import pytest

from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.languages import JAPANESE
from jichitai.procedures.translations import LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


FIELDS = [
    {
        "name": "full_name",
        "type": "text",
        "label": "氏名",
        "required": True,
        "translations": {"pt": {"label": "Nome"}},
    },
    {
        "name": "email",
        "type": "email",
        "label": "メールアドレス",
        "required": True,
        "translations": {"pt": {"label": "E-mail"}},
    },
    {
        "name": "starts_at",
        "type": "time",
        "label": "開始時刻",
        "translations": {"pt": {"label": "Horário de início"}},
    },
    {
        "name": "seen_at",
        "type": "datetime",
        "label": "目撃した日時",
        "translations": {"pt": {"label": "Data e hora"}},
    },
    {
        "name": "children",
        "type": "repeat",
        "label": "子ども",
        "row_unit": "人",
        "min_repeat": 0,
        "max_repeat": 3,
        "translations": {"pt": {"label": "Filhos"}},
        "children": [
            {
                "name": "child_name",
                "type": "text",
                "label": "子どもの氏名",
                "required": True,
                "translations": {"pt": {"label": "Nome da criança"}},
            }
        ],
    },
]


def japanese_left(page, *allowed: str) -> list[str]:
    """Japanese words in the page (its whole HTML), the municipality's own names set aside."""
    text = page.content()
    for name in allowed:
        text = text.replace(name, "")
    return JAPANESE.findall(text)


def test_a_portuguese_resident_reads_the_whole_journey_in_portuguese(phone, tsu, accessible):
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    # The language menu names each language in itself (日本語 among them).
    names = (procedure.name, tsu.name, procedure.division.name, *LANGUAGES.values())
    page = phone(locale="pt-BR")

    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt")
    page.get_by_role("heading", name=procedure.name).wait_for()
    assert japanese_left(page, *names) == []
    assert page.get_by_role("button", name="Adicionar: Filhos").is_visible()

    page.get_by_role("button", name="Verificar respostas").click()
    page.locator("#error-summary").wait_for()
    assert page.get_by_text("Preencha “Nome”.").first.is_visible()
    assert japanese_left(page, *names) == []
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("input[name=full_name]").fill("Maria Silva")
    page.get_by_text("Salvar e continuar depois").click()
    page.locator("#id_draft-email").fill("maria@example.jp")
    page.get_by_role("button", name="Salvar rascunho").click()
    page.get_by_text("Suas respostas foram salvas.").wait_for()
    assert japanese_left(page, *names) == []

    page.locator("input[name=email]").fill("maria@example.jp")
    page.get_by_label("Horário de início").fill("09:30")
    page.get_by_label("Data e hora").fill("2026-04-01T18:05")
    page.get_by_role("button", name="Verificar respostas").click()
    page.get_by_text("Maria Silva").wait_for()
    # Times as a clock shows them, the date without the Japanese era.
    assert page.get_by_text("09:30", exact=True).is_visible()
    assert page.get_by_text("2026-04-01 18:05", exact=True).is_visible()
    assert japanese_left(page, *names) == []

    page.get_by_role("button", name="Enviar").click()
    page.locator("#receipt-number").wait_for()
    assert japanese_left(page, *names) == []

    page.get_by_role("link", name="Ver a situação do pedido").click()
    page.locator("#application-status").wait_for()
    assert page.locator("#application-status").inner_text() == "Recebido"
    assert japanese_left(page, *names) == []
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_resident_who_reads_no_japanese_finds_their_language_first(phone, tsu, accessible):
    """From the top page, the finder lists the forms offered in Portuguese, each opening in it.
    On a 360 px phone the form's languages come right under its name, before anything
    written in Japanese, as a few rows of tappable names rather than a bulleted column of
    eight; the language being read is marked by more than colour."""
    every_language = {code: {"label": name} for code, name in LANGUAGES.items() if code != "ja"}
    fields = [{**FIELDS[0], "translations": every_language}]
    published_procedure(
        tsu, fields=fields, name="児童手当の届出", description="毎年6月に届け出てください。"
    )
    page = phone(locale="pt-BR")
    page.goto("/")
    accessible(page)
    page.locator(".entrances").get_by_role("link", name="Português").click()
    page.wait_for_url("**/procedures/?lang=pt")
    accessible(page)
    page.get_by_role("link", name="児童手当の届出").click()
    menu = page.get_by_role("navigation", name="Idioma do formulário")
    box = menu.bounding_box()
    assert box["y"] < page.locator(".steps").bounding_box()["y"]
    assert box["height"] < 160, f"the languages take {box['height']:.0f} px"
    names = menu.get_by_role("button")
    assert names.count() == len(LANGUAGES)
    assert all(names.nth(i).bounding_box()["height"] >= 44 for i in range(names.count()))
    current = menu.get_by_role("button", name="Português")
    assert current.get_attribute("aria-current") == "true"
    weight = current.evaluate("link => getComputedStyle(link).fontWeight")
    other = menu.get_by_role("button", name="Español")
    assert weight != other.evaluate("link => getComputedStyle(link).fontWeight")
    assert menu.get_by_role("button", name="やさしい日本語").get_attribute("lang") == "ja"
    accessible(page)


def test_the_language_menu_at_the_top_turns_a_japanese_form_into_the_residents_language(
    phone, tsu, accessible
):
    """Where a phone's visitor looks for a language first: the header's menu, which on a
    translated form offers the form's languages rather than only the site's 日本語 / English."""
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    page = phone(locale="pt-BR")
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    menu = page.get_by_label("言語", exact=True)
    assert menu.input_value() == "ja"
    menu.select_option("pt")
    page.get_by_role("button", name="切替").click()
    page.get_by_role("button", name="Verificar respostas").wait_for()
    assert page.get_by_label("Idioma", exact=True).input_value() == "pt"
    assert page.locator("html").get_attribute("lang") == "pt"
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_resident_who_switches_language_halfway_keeps_what_they_typed(phone, tsu):
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    page = phone(locale="pt-BR")
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.locator("[name=full_name]").fill("Maria Silva")
    page.get_by_role("navigation", name="フォームの言語").get_by_role(
        "button", name="Português"
    ).click()
    page.get_by_role("button", name="Verificar respostas").wait_for()
    assert page.locator("[name=full_name]").input_value() == "Maria Silva"
    page.locator("[name=email]").fill("maria@example.jp")
    page.get_by_label("Idioma", exact=True).select_option("ja")
    page.get_by_role("button", name="Mudar").click()
    page.get_by_role("button", name="入力内容を確認する").wait_for()
    assert page.locator("[name=email]").input_value() == "maria@example.jp"
    assert page.locator("[name=full_name]").input_value() == "Maria Silva"


def test_without_javascript_the_languages_under_the_title_still_keep_what_was_typed(phone, tsu):
    """The form's languages send the page's answers with them, JavaScript or not; Enter in a
    field still goes on to the confirmation, never to another language."""
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    page = phone(locale="pt-BR", javascript=False)
    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.locator("[name=full_name]").fill("Maria Silva")
    languages = page.get_by_role("navigation", name="フォームの言語")
    languages.get_by_role("button", name="Português").click()
    page.get_by_role("button", name="Verificar respostas").wait_for()
    assert page.locator("[name=full_name]").input_value() == "Maria Silva"
    menu = page.get_by_role("navigation", name="Idioma do formulário")
    assert menu.get_by_role("button", name="Português").get_attribute("aria-current") == "true"
    page.locator("[name=email]").fill("maria@example.jp")
    page.locator("[name=email]").press("Enter")
    page.get_by_role("button", name="Enviar").wait_for()
    assert page.get_by_text("Maria Silva").is_visible()


# The text of each select's chosen option against the room inside it, less the arrow's.
CHOSEN_OPTIONS_CUT_OFF = """() => [...document.querySelectorAll('main select')].flatMap(select => {
  const style = getComputedStyle(select);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const text = select.options[select.selectedIndex].text;
  const room = select.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight) - 24;
  return pen.measureText(text).width > room ? [text] : [];
})"""


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "ja"])
def test_on_a_phone_the_finders_choices_read_whole_in_every_language(phone, tsu, language):
    """「すべての市町と県」 said in English, Spanish or Tagalog ran under the select's arrow."""
    page = phone()
    page.goto(f"/procedures/?lang={language}")
    assert page.evaluate(CHOSEN_OPTIONS_CUT_OFF) == []
