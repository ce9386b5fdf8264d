"""The language a resident chose for a form stays with them through the form's own buttons,
the confirmation and the completion page, not only the form's labels."""

import copy

import pytest
from django.test import Client

from jichitai.procedures import services
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure, returned_application
from jichitai.procedures.tests.test_correction_pages import status_url
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
    accepted = client.post(url, {"children": "2", "school": "no", "_action": "confirm"})
    confirm = client.get(accepted["Location"]).content.decode()
    assert "Enviar" in confirm and "送信する" not in confirm
    assert '<dl class="details confirm" lang="pt">' in confirm
    done = client.get(client.post(accepted["Location"], {"_action": "submit"})["Location"])
    page = done.content.decode()
    assert "Recebido." in page and "Número de recebimento" in page
    assert "Concluído" in page and "受け付けました" not in page
    application = Application.objects.get()
    assert application.language == "pt"
    status = client.get(status_url(application)).content.decode()
    assert "<dt>Número de filhos</dt>" in status and "子どもの人数" not in status


@pytest.mark.django_db
def test_an_english_submission_uses_the_site_catalogue(tsu):
    fields = copy.deepcopy(FIELDS)
    fields[0]["translations"]["en"] = {"label": "Number of children"}
    procedure = published_procedure(tsu, fields=fields)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    form = client.get(url + "?lang=en").content.decode()
    assert "Number of children" in form and "入力内容を確認する" not in form


@pytest.mark.django_db
def test_a_returned_portuguese_application_is_corrected_in_portuguese(tsu, tsu_admin):
    procedure = published_procedure(tsu, fields=FIELDS)
    application = returned_application(
        procedure,
        actor=tsu_admin,
        data={"children": "2", "school": "no"},
        language="pt",
        message="人数を確認してください。",
    )
    client = Client()
    page = client.get(status_url(application)).content.decode()
    assert 'Número de filhos <span class="required">Obrigatório</span>' in page
    assert ">Não</label>" in page and "子どもの人数" not in page
    refused = client.post(status_url(application), {"children": "7", "school": "no"})
    assert refused.status_code == 422 and "No máximo 5" in refused.content.decode()
    assert "Há erros nas respostas (1)." in refused.content.decode()


@pytest.mark.django_db
def test_a_resident_reading_the_site_in_english_keeps_english_buttons_on_a_japanese_form(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = client.get(f"/o/{tsu.code}/procedures/{procedure.pk}/").content.decode()
    assert "子どもの人数" in form and "入力内容を確認する" not in form


@pytest.mark.django_db
def test_the_clerk_sees_which_language_the_applicant_reads(tsu, tsu_admin, login):
    """Before writing a message to return an application, the clerk knows the applicant reads
    the mails and the status page in Portuguese, and that the message goes as written."""
    procedure = published_procedure(tsu, fields=FIELDS)
    portuguese = services.submit_application(
        procedure=procedure, data={"children": "2", "school": "no"}, language="pt"
    ).application
    japanese = services.submit_application(
        procedure=procedure, data={"children": "1", "school": "no"}
    ).application
    client = login(tsu_admin)
    page = client.get(f"/s/{tsu.code}/inbox/{portuguese.pk}/").content.decode()
    assert '<dt>申請者が読む言語</dt><dd><span lang="pt">Português</span>(ポルトガル語)' in page
    assert "職員が書くメッセージは、書いたとおりに届きます。" in page
    assert (
        "申請者が読む言語" not in client.get(f"/s/{tsu.code}/inbox/{japanese.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_a_confirmation_sent_after_the_answers_expired_says_so_in_the_residents_language(tsu):
    """The answers live in the browser's session (8 hours): 送信 pressed after it ended sends
    nothing and says why, in the language the confirmation was read in, on the form again."""
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client.get(url + "?lang=pt")
    confirm_url = client.post(url, {"children": "2", "school": "no", "_action": "next"})["Location"]
    confirmation = client.get(confirm_url).content.decode()
    assert '<input type="hidden" name="_lang" value="pt">' in confirmation
    client.cookies.clear()
    sent = client.post(confirm_url, {"_lang": "pt"})
    assert sent.status_code == 302 and sent["Location"] == url + "?lang=pt"
    page = client.get(sent["Location"]).content.decode()
    assert "Suas respostas expiraram e o formulário não foi enviado." in page
    assert "Número de filhos" in page
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_an_expired_confirmation_in_japanese_says_so_in_japanese(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    sent = client.post(f"/o/{tsu.code}/procedures/{procedure.pk}/confirm/", {"_lang": "ja"})
    page = client.get(sent["Location"]).content.decode()
    assert "入力内容の保存期間が過ぎたため、送信できませんでした。" in page


@pytest.mark.django_db
def test_a_later_page_sent_after_the_answers_expired_says_so_on_the_first_page(tsu):
    """Page 2 sent without the session that held page 1's answers: the form starts again from
    page 1 with the reason, rather than asking for page 1's answers later without a word."""
    fields = [
        FIELDS[0],
        {
            "name": "school_page",
            "type": "page",
            "label": "学校",
            "translations": {"pt": {"label": "Escola"}},
        },
        FIELDS[1],
    ]
    procedure = published_procedure(tsu, fields=fields)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client.get(url + "?lang=pt")
    second = client.post(url, {"children": "2", "_action": "next"})["Location"]
    assert '<input type="hidden" name="_lang" value="pt">' in client.get(second).content.decode()
    client.cookies.clear()
    sent = client.post(second, {"school": "no", "_lang": "pt", "_action": "next"})
    assert sent.status_code == 302 and sent["Location"] == url + "?lang=pt"
    page = client.get(sent["Location"]).content.decode()
    assert "Suas respostas expiraram e o formulário não foi enviado." in page
    assert "Número de filhos" in page


@pytest.mark.django_db
def test_sending_again_from_a_confirmation_already_sent_shows_the_receipt_not_an_expiry(tsu):
    """The browser's back button after 完了 brings the confirmation back: 送信 pressed there
    again sends nothing twice and shows the 受付番号 of what was sent."""
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client.get(url + "?lang=pt")
    confirm_url = client.post(url, {"children": "2", "school": "no", "_action": "next"})["Location"]
    done_url = client.post(confirm_url, {"_lang": "pt"})["Location"]
    again = client.post(confirm_url, {"_lang": "pt"})
    assert again.status_code == 302 and again["Location"] == done_url
    page = client.get(done_url).content.decode()
    assert Application.objects.get().receipt_number in page
    assert "expiraram" not in page
