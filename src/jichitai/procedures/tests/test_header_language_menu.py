"""The language menu at the top of a resident's page, where people look for their language,
says the language the page is in and switches to the languages the page can be read in: a
Portuguese page does not say 日本語 there, nor offer a switch that leaves it in Portuguese."""

import re

import pytest
from django.test import Client

from jichitai.procedures import services
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_correction_pages import status_url
from jichitai.procedures.tests.test_form_languages import FIELDS

SITE_SWITCH = 'action="/i18n/setlang/"'


def header(response) -> str:
    assert response.status_code == 200
    return re.search(r'<header class="site-header">.*?</header>', response.content.decode(), re.S)[
        0
    ]


def options(menu: str) -> list[tuple[str, bool]]:
    """(value, selected) of each choice of the header's language menu."""
    return [
        (value, "selected" in rest)
        for value, rest in re.findall(r'<option value="([^"]*)"([^>]*)>', menu)
    ]


@pytest.mark.django_db
def test_a_translated_form_offers_its_languages_at_the_top_with_the_chosen_one_selected(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    top = header(Client().get(url + "?lang=pt"))
    assert SITE_SWITCH not in top
    assert '<form class="language-form" method="get">' in top
    assert '<select id="language-select" name="lang">' in top
    assert options(top) == [("ja", False), ("pt", True)]
    assert '<label for="language-select">Idioma</label>' in top
    # Japanese is chosen by the same menu, which brings the page back in Japanese.
    japanese = Client().get(url + "?lang=ja")
    assert options(header(japanese)) == [("ja", True), ("pt", False)]
    assert "子どもの人数" in japanese.content.decode()


@pytest.mark.django_db
def test_a_form_only_in_japanese_keeps_the_sites_own_language_switch(tsu):
    procedure = published_procedure(tsu, fields=[FIELDS[0] | {"translations": {}}])
    top = header(Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/"))
    assert SITE_SWITCH in top and options(top) == [("ja", True), ("en", False)]


@pytest.mark.django_db
def test_the_finder_in_portuguese_switches_language_keeping_the_search(tsu):
    published_procedure(tsu, fields=FIELDS)
    top = header(Client().get("/procedures/?lang=pt&q=escola&municipality="))
    assert SITE_SWITCH not in top
    assert options(top) == [("ja", False), ("pt", True)]
    assert '<input type="hidden" name="q" value="escola">' in top
    assert '<input type="hidden" name="municipality" value="">' in top
    assert 'name="lang" value' not in top


@pytest.mark.django_db
def test_the_finder_asked_for_in_japanese_by_that_menu_shows_every_procedure(tsu):
    published_procedure(tsu, fields=FIELDS)
    page = Client().get("/procedures/?lang=ja")
    assert page.status_code == 200
    assert 'class="errorlist' not in page.content.decode()
    assert SITE_SWITCH in header(page)


@pytest.mark.django_db
def test_the_status_lookup_in_portuguese_offers_every_resident_language(tsu):
    top = header(Client().get("/status/?lang=pt"))
    assert SITE_SWITCH not in top
    assert [value for value, _ in options(top)] == [
        "ja",
        "ja-easy",
        "en",
        "pt",
        "es",
        "vi",
        "zh",
        "tl",
    ]
    assert ("pt", True) in options(top)


@pytest.mark.django_db
def test_a_page_whose_language_the_application_fixes_names_it_without_a_switch(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    application = services.submit_application(
        procedure=procedure, data={"children": "2", "school": "no"}, language="pt"
    ).application
    top = header(Client().get(status_url(application)))
    assert SITE_SWITCH not in top and "<select" not in top
    assert (
        '<p class="language-form"><span>Idioma</span> <strong lang="pt">Português</strong></p>'
        in top
    )


@pytest.mark.django_db
def test_the_status_page_of_a_japanese_application_keeps_the_sites_switch(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    application = services.submit_application(
        procedure=procedure, data={"children": "2", "school": "no"}
    ).application
    assert SITE_SWITCH in header(Client().get(status_url(application)))


@pytest.mark.django_db
def test_choosing_a_language_on_a_form_page_keeps_what_was_typed_on_it(tsu):
    """The form sent with ``language:<code>`` (what the page's script does when a language is
    chosen) keeps the page's answers, unchecked, and shows it again in that language."""
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client.get(url)
    switched = client.post(url, {"children": "3", "_action": "language:pt"})
    assert switched.status_code == 302 and switched["Location"] == url + "?lang=pt"
    page = client.get(switched["Location"]).content.decode()
    assert "Número de filhos" in page and 'value="3"' in page
    assert 'class="errorlist' not in page and 'id="error-summary"' not in page
    # A language the form is not offered in changes nothing and keeps the answers too.
    kept = client.post(url, {"children": "4", "_action": "language:vi"})
    assert kept["Location"] == url
    assert 'value="4"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_resident_reading_the_site_in_english_gets_a_form_offered_in_english_in_english(tsu):
    """The site's English carries into a form that has it, as the menu at the top then says;
    a form without English stays in Japanese with English buttons."""
    fields = [FIELDS[0] | {"translations": {"en": {"label": "Number of children"}}}]
    procedure = published_procedure(tsu, fields=fields)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    assert "Number of children" in response.content.decode()
    assert options(header(response)) == [("ja", False), ("en", True)]
    japanese = client.get(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=ja")
    assert "子どもの人数" in japanese.content.decode()
    # Chosen once, Japanese stays chosen for the form.
    again = client.get(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    assert "子どもの人数" in again.content.decode()


@pytest.mark.django_db
def test_a_form_opened_in_english_from_the_sites_english_is_applied_for_in_english(tsu):
    fields = [FIELDS[0] | {"translations": {"en": {"label": "Number of children"}}}]
    procedure = published_procedure(tsu, fields=fields)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client.get(url)
    confirm = client.get(client.post(url, {"children": "2", "_action": "next"})["Location"])
    assert "<dt>Number of children</dt>" in confirm.content.decode()
    client.post(confirm.request["PATH_INFO"], {"_action": "submit"})
    assert Application.objects.get().language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["ja", "en"])
def test_the_sites_own_switch_names_each_language_in_itself(accept):
    """Someone who cannot read the page finds their language by its own name: English reads
    「English」 on a Japanese page, not 「英語」, and Japanese reads 「日本語」 on an English one."""
    top = header(Client(HTTP_ACCEPT_LANGUAGE=accept).get("/"))
    assert SITE_SWITCH in top
    assert '<option value="ja"' in top and 'lang="ja">日本語</option>' in top
    assert 'lang="en">English</option>' in top
