"""The procedure's own name and description are translated in the same table as its form's
texts, above them, and a resident who reads the form in that language reads them too: the
form's heading and introduction, the confirmation, the completion page, the status page and the
receipt mail. A translation belongs to the Japanese it was made from: once staff rename the
procedure, residents read the new Japanese name until it is translated again."""

import html
import re

import pytest
from django.test import Client

from jichitai.procedures import services
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_correction_pages import status_url
from jichitai.procedures.tests.test_form_languages import FIELDS
from jichitai.procedures.translations import LANGUAGES
from jichitai.tenancy.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

NAME = "児童手当の届出"
DESCRIPTION = "毎年6月に届け出てください。"


def table_url(procedure, language):
    return (
        f"/s/{procedure.organization.code}/procedures/{procedure.pk}/translations/?lang={language}"
    )


def translate_name(client, procedure, **texts):
    """Posts the Portuguese table as a clerk would: the form's translations as the table shows
    them, the procedure's own ``texts`` typed in."""
    page = client.get(table_url(procedure, "pt")).content.decode()
    shown = {
        name: html.unescape(value)
        for name, value in re.findall(r'name="(text_\d+)"[^>]*?value="([^"]*)"', page)
    }
    return client.post(
        table_url(procedure, "pt"),
        {"version": str(procedure.current_version.pk), **shown, **texts},
    )


def test_the_name_and_the_description_head_the_translation_table(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS, name=NAME, description=DESCRIPTION)
    page = login(tsu_admin).get(table_url(procedure, "pt")).content.decode()
    name, description = (
        page.index('name="procedure_name"'),
        page.index('name="procedure_description"'),
    )
    assert name < description < page.index('name="text_0"')
    assert "手続名" in page and "手続の説明" in page and "<textarea" in page[description - 300 :]


def test_a_portuguese_resident_reads_the_translated_name_from_the_form_to_the_receipt_mail(
    tsu, tsu_admin, login, mailoutbox, django_capture_on_commit_callbacks
):
    procedure = published_procedure(tsu, fields=FIELDS, name=NAME, description=DESCRIPTION)
    version = procedure.current_version
    response = translate_name(
        login(tsu_admin),
        procedure,
        procedure_name="Declaração do abono familiar",
        procedure_description="Declare todo ano em junho.",
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.current_version == version  # the form's texts did not change

    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    form = client.get(url + "?lang=pt").content.decode()
    assert "<h1>Declaração do abono familiar</h1>" in form
    assert "Declare todo ano em junho." in form and DESCRIPTION not in form
    japanese = Client().get(url).content.decode()
    assert f"<h1>{NAME}</h1>" in japanese and DESCRIPTION in japanese
    accepted = client.post(url, {"children": "2", "school": "no", "_action": "confirm"})
    confirm = client.get(accepted["Location"]).content.decode()
    assert "<h1>Declaração do abono familiar</h1>" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.get(client.post(accepted["Location"], {"_action": "submit"})["Location"])
    assert "<h1>Declaração do abono familiar</h1>" in done.content.decode()
    status = client.get(status_url(Application.objects.get())).content.decode()
    assert "Declaração do abono familiar" in status and NAME not in status


def test_the_receipt_mail_names_the_procedure_in_the_residents_language(
    tsu, tsu_admin, login, mailoutbox, django_capture_on_commit_callbacks
):
    procedure = published_procedure(tsu, name=NAME)
    translate_name(login(tsu_admin), procedure, procedure_name="Curso aberto")
    data = {
        "applicant": {
            "family": "Silva",
            "given": "Ana",
            "family_kana": "シルバ",
            "given_kana": "アナ",
        },
        "email": "ana@example.jp",
        "participants": 1,
        "agree": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(procedure=procedure, data=data, language="pt")
    assert "Curso aberto" in mailoutbox[0].body and NAME not in mailoutbox[0].body


def test_a_renamed_procedure_shows_its_new_japanese_name_until_translated_again(
    tsu, tsu_admin, login
):
    procedure = published_procedure(tsu, fields=FIELDS, name=NAME)
    client = login(tsu_admin)
    translate_name(client, procedure, procedure_name="Declaração do abono familiar")
    services.update_procedure(actor=tsu_admin, procedure=procedure, name="児童手当の現況届")
    form = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt").content.decode()
    assert "<h1>児童手当の現況届</h1>" in form
    table = client.get(table_url(procedure, "pt")).content.decode()
    assert "Declaração do abono familiar" not in table


def test_a_name_too_long_is_refused_next_to_it_with_what_was_typed_kept(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS, name=NAME)
    too_long = "x" * 201
    response = translate_name(login(tsu_admin), procedure, procedure_name=too_long)
    assert response.status_code == 422
    page = response.content.decode()
    assert (
        "200 文字以内にしてください(いま 201 文字です)。" in page and f'value="{too_long}"' in page
    )
    procedure.refresh_from_db()
    assert procedure.translations == {}


def test_the_lists_of_procedures_offer_each_forms_other_languages_as_links_to_it(tsu):
    """A resident who reads no Japanese spots their language's name on the procedure's card, in
    the prefecture-wide finder and the municipality's list, and opens the form in it."""
    translated = published_procedure(tsu, fields=FIELDS, name=NAME)
    published_procedure(tsu, name="テスト講座")
    form = f"/o/{tsu.code}/procedures/{translated.pk}/"
    for url in ("/procedures/", f"/o/{tsu.code}/procedures/"):
        page = Client().get(url).content.decode()
        assert f'<a href="{form}?lang=pt" hreflang="pt" lang="pt">Português</a>' in page
        assert page.count('/?lang=pt" hreflang="pt"') == 1  # the untranslated course offers none


def test_a_shared_form_is_copied_with_the_translations_of_its_name(tsu, ise, tsu_admin, login):
    """フォームシェア: the municipality copying a shared form gets its name and description in
    every language, as it gets its fields' translations."""
    procedure = published_procedure(
        tsu, fields=FIELDS, name=NAME, description=DESCRIPTION, is_shared_template=True
    )
    translate_name(login(tsu_admin), procedure, procedure_name="Declaração do abono familiar")
    procedure.refresh_from_db()
    division = DivisionFactory(organization=ise)
    copy = services.copy_procedure(
        actor=None, source=procedure, organization=ise, division=division
    )
    assert copy.translations == procedure.translations != {}


def test_a_resident_finds_a_procedure_by_its_translated_name(tsu, tsu_admin, login):
    """A Portuguese speaker types Portuguese words into the finder and the municipality's
    search; words of the Japanese name still find it, and words of no name find nothing."""
    procedure = published_procedure(tsu, fields=FIELDS, name=NAME, description=DESCRIPTION)
    translate_name(
        login(tsu_admin),
        procedure,
        procedure_name="Declaração do abono familiar",
        procedure_description="Declare todo ano em junho.",
    )
    published_procedure(tsu, name="テスト講座")
    link = f'href="/o/{tsu.code}/procedures/{procedure.pk}/"'
    for url in ("/procedures/?q=", f"/o/{tsu.code}/procedures/?q="):
        for words in ("ABONO familiar", "junho", "児童手当"):
            assert link in Client().get(url + words).content.decode(), (url, words)
        assert link not in Client().get(url + "mudança").content.decode()


def test_the_finder_lists_the_procedures_offered_in_one_language(tsu, ise, tsu_admin, login):
    """The finder names the languages some form is offered in, each a link listing only those
    forms, their names in that language and each opening the form in it; a language no form is
    offered in is neither linked nor a choice that finds anything."""
    procedure = published_procedure(tsu, fields=FIELDS, name=NAME)
    translate_name(login(tsu_admin), procedure, procedure_name="Declaração do abono familiar")
    published_procedure(ise, name="テスト講座")
    page = Client().get("/procedures/").content.decode()
    assert 'href="?lang=pt" hreflang="pt" lang="pt">Português</a>' in page
    assert 'href="?lang=es"' not in page

    portuguese = Client().get("/procedures/?lang=pt").content.decode()
    assert "1 procedimento encontrado." in portuguese
    assert (
        f'<a href="/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt" lang="pt">'
        "Declaração do abono familiar</a>" in portuguese
    )
    assert "テスト講座" not in portuguese
    spanish = Client().get("/procedures/?lang=es").content.decode()
    assert "No se encontraron trámites." in spanish
    refused = Client().get("/procedures/?lang=xx").content.decode()
    assert 'class="error-summary"' in refused and "テスト講座" in refused


def test_the_top_page_leads_a_resident_to_the_forms_in_their_language(tsu):
    """The first page a resident opens names, under 「手続をさがす」, each language some form is
    offered in, in that language, as a link to the forms offered in it."""
    published_procedure(tsu, fields=FIELDS, name=NAME)
    page = Client().get("/").content.decode()
    assert '<a href="/procedures/?lang=pt" hreflang="pt" lang="pt">Português</a>' in page
    assert "/procedures/?lang=es" not in page


def test_the_finder_for_one_language_speaks_it(tsu, tsu_admin, login):
    """The list of forms offered in Portuguese is itself in Portuguese: its heading, its search
    fields, its count and its links; Japanese remains only in the names of governments."""
    from jichitai.procedures.tests.languages import JAPANESE

    procedure = published_procedure(tsu, fields=FIELDS, name=NAME)
    translate_name(login(tsu_admin), procedure, procedure_name="Declaração do abono familiar")
    page = Client().get("/procedures/?lang=pt").content.decode()
    assert '<html lang="pt">' in page
    assert "Procurar procedimentos de 三重県 e dos municípios" in page
    assert "Palavras-chave" in page and "1 procedimento encontrado." in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    for name in sorted(("三重県", tsu.name, *LANGUAGES.values()), key=len, reverse=True):
        text = text.replace(name, "")
    assert JAPANESE.findall(text) == []
    japanese = Client().get("/procedures/").content.decode()
    assert '<html lang="ja">' in japanese and "キーワード" in japanese


def test_the_finder_and_the_top_page_read_as_many_queries_for_many_forms_as_for_few(tsu):
    """Every card names its form's languages: read with the cards, not one query per form."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured.captured_queries)

    published_procedure(tsu, fields=FIELDS, name="届出 1")
    few = [queries(url) for url in ("/", "/procedures/", "/procedures/?lang=pt")]
    for number in range(2, 7):
        published_procedure(tsu, fields=FIELDS, name=f"届出 {number}")
    assert [queries(url) for url in ("/", "/procedures/", "/procedures/?lang=pt")] == few


def test_the_status_lookup_reached_from_the_portuguese_finder_speaks_portuguese(tsu):
    """「手続の状況を確認する」 from the finder in Portuguese opens the lookup in Portuguese; its
    mistakes are told in Portuguese too, next to the fields, what was typed kept."""
    from jichitai.procedures.tests.languages import JAPANESE

    published_procedure(tsu, fields=FIELDS, name=NAME)
    finder = Client().get("/procedures/?lang=pt").content.decode()
    assert 'href="/status/?lang=pt"' in finder
    page = Client().get("/status/?lang=pt").content.decode()
    assert '<html lang="pt">' in page and "Ver a situação" in page
    main = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>", 1)[0])
    assert JAPANESE.findall(main) == []
    refused = Client().post(
        "/status/?lang=pt", {"receipt_number": "", "email": "ana@", "birth_date": ""}
    )
    answer = refused.content.decode()
    assert refused.status_code == 422
    assert "Informe o número de recebimento." in answer
    assert "E-mail inválido. Exemplo: taro@example.jp" in answer
    assert 'value="ana@"' in answer
