"""The language a resident chose for a form stays with them through the form's own buttons,
the confirmation and the completion page, not only the form's labels."""

import copy

import pytest
from django.test import Client

from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_form_languages import FIELDS


@pytest.mark.django_db
def test_a_portuguese_submission_shows_portuguese_buttons_confirmation_and_completion(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    form = client.get(url + "?lang=pt").content.decode()
    assert "Obrigatório" in form and "Verificar respostas" in form
    assert 'Número de filhos <span class="required">Obrigatório</span>' in form
    assert "入力内容を確認する" not in form
    accepted = client.post(url, {"children": "2", "school": "no", "action": "confirm"})
    confirm = client.get(accepted["Location"]).content.decode()
    assert "Enviar" in confirm and "送信する" not in confirm
    done = client.get(client.post(accepted["Location"], {"action": "submit"})["Location"])
    page = done.content.decode()
    assert "Recebido." in page and "Número de recebimento" in page
    assert "Concluído" in page and "受け付けました" not in page


@pytest.mark.django_db
def test_an_english_submission_uses_the_site_catalogue(tsu):
    fields = copy.deepcopy(FIELDS)
    fields[0]["translations"]["en"] = {"label": "Number of children"}
    procedure = published_procedure(tsu, fields=fields)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    form = client.get(url + "?lang=en").content.decode()
    assert "Number of children" in form and "入力内容を確認する" not in form
