"""A form offered in the resident's language: labels, hints, choices and the form's own
messages in Portuguese (or any translated language), answers stored once by value, staff pages
in Japanese."""

import pytest
from django.test import Client

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.translations import form_languages, translate

FIELDS = [
    {
        "name": "children",
        "type": "number",
        "label": "子どもの人数",
        "required": True,
        "constraint": ". <= 5",
        "constraint_message": "5人までです",
        "translations": {
            "pt": {
                "label": "Número de filhos",
                "constraint_message": "No máximo 5",
            }
        },
    },
    {
        "name": "school",
        "type": "single_choice",
        "label": "学校",
        "required": True,
        "choices": [
            {"value": "yes", "label": "通っている", "translations": {"pt": {"label": "Sim"}}},
            {"value": "no", "label": "通っていない", "translations": {"pt": {"label": "Não"}}},
        ],
        "translations": {"pt": {"label": "Vai à escola?"}},
    },
]


def test_a_form_is_offered_in_japanese_and_its_translated_languages():
    assert form_languages(FIELDS) == [("ja", "日本語"), ("pt", "Português")]
    shown = translate(FIELDS, "pt")
    assert shown[0]["label"] == "Número de filhos" and shown[1]["choices"][0]["label"] == "Sim"
    assert FIELDS[0]["label"] == "子どもの人数"  # the stored form is unchanged


@pytest.mark.django_db
def test_a_resident_reads_and_answers_in_portuguese_and_staff_see_japanese(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    page = client.get(url + "?lang=pt").content.decode()
    assert 'lang="pt"' in page and "Número de filhos" in page and ">Não</label>" in page
    refused = client.post(url, {"children": "7", "school": "no", "_action": "confirm"})
    assert refused.status_code == 422 and "No máximo 5" in refused.content.decode()
    accepted = client.post(url, {"children": "2", "school": "no", "_action": "confirm"})
    assert accepted.status_code == 302
    confirm = client.get(accepted["Location"]).content.decode()
    assert "Vai à escola?" in confirm and "Não" in confirm
    client.post(accepted["Location"], {"_action": "submit"})
    application = Application.objects.get()
    assert application.data == {"children": 2, "school": "no"}
    detail = login(tsu_admin).get(f"/s/{tsu.code}/inbox/{application.pk}/").content.decode()
    assert "子どもの人数" in detail and "通っていない" in detail and "Não" not in detail


@pytest.mark.django_db
def test_staff_preview_the_form_being_edited_in_each_language(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = login(tsu_admin)
    url = f"/s/{tsu.code}/procedures/{procedure.pk}/preview/"
    japanese = client.get(url).content.decode()
    assert "子どもの人数" in japanese and 'href="?lang=pt"' in japanese
    portuguese = client.get(url + "?lang=pt").content.decode()
    assert "Número de filhos" in portuguese and 'lang="pt"' in portuguese


@pytest.mark.django_db
def test_staff_download_the_form_as_xlsform_and_it_reads_back_the_same(tsu, tsu_admin, login):
    import io

    from jichitai.procedures.xlsform import read_xlsform

    procedure = published_procedure(tsu, fields=FIELDS)
    response = login(tsu_admin).get(f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/download/")
    assert response.status_code == 200
    fields = read_xlsform(io.BytesIO(response.content)).fields
    assert fields[1] == FIELDS[1]
    assert fields[0]["translations"] == FIELDS[0]["translations"]
    assert fields[0]["constraint"] == ". <= 5"


@pytest.mark.django_db
def test_a_resident_asking_for_a_language_the_form_lacks_is_told_so_in_that_language(tsu):
    """A link with ?lang=es to a form translated only into Portuguese shows the Japanese form
    with a notice in Spanish, rather than silently in Japanese."""
    procedure = published_procedure(tsu, fields=FIELDS)
    page = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=es").content.decode()
    assert '<p class="notice" lang="es">' in page
    assert "Este formulario no está disponible en este idioma" in page
    assert "子どもの人数" in page  # the form itself, in Japanese
    offered = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt").content.decode()
    assert "no está disponible" not in offered and "não está disponível" not in offered
