"""Everything fixed that a resident reads follows the language they chose for the form: the
generic messages, the signature step, the status page and its status names, the e-mails and the
receipt PDF (the last three from ``Application.language``). Staff keep Japanese."""

import io
import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.translation import gettext, ngettext, to_locale
from pypdf import PdfReader

from jichitai.core.tests.pdf import all_fonts_embedded, pdf_fonts
from jichitai.procedures.models import Application
from jichitai.procedures.services import change_status, submit_application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.languages import JAPANESE
from jichitai.procedures.translations import LANGUAGES, resident_language, translate
from jichitai.procedures.validation import validate_application_data

pytestmark = pytest.mark.django_db

FIELDS = [
    {
        "name": "full_name",
        "type": "text",
        "label": "氏名",
        "required": True,
        "max_length": 5,
        "translations": {
            "pt": {"label": "Nome"},
            "es": {"label": "Nombre"},
            "vi": {"label": "Họ tên"},
        },
    },
    {
        "name": "email",
        "type": "email",
        "label": "メールアドレス",
        "required": True,
        "translations": {"pt": {"label": "E-mail"}, "es": {"label": "Correo"}},
    },
]


PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LOCALE = Path(__file__).resolve().parents[1] / "locale"
# The languages whose journey comes from this app's catalogues (English has the site's own).
RESIDENT_CATALOGUE_LANGUAGES = set(LANGUAGES) - {"ja", "en"}
# The messages whose %(counter)s is the repeating group's Japanese row unit (人, 件): a language
# that does not count with such a unit leaves it out.
ROW_UNIT_MESSAGES = {
    "%(most)s %(counter)s分を入力してください。",
    "%(fewest)s〜%(most)s %(counter)sを入力してください。",
    "%(most)s %(counter)sまで入力できます。",
    "「%(label)s」は %(fewest)s %(counter)s分を入力してください。",
    "「%(label)s」を %(fewest)s %(counter)s以上入力してください。",
    "「%(label)s」は %(most)s %(counter)sまでです。",
}


def compiled_catalogue(code: str) -> dict[str | tuple[str, int], str]:
    with (LOCALE / to_locale(code) / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue = GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in catalogue.items() if key != ""}


def messages(catalogue: dict[str | tuple[str, int], str]) -> set[str]:
    return {key if isinstance(key, str) else key[0] for key in catalogue}


def test_every_resident_language_has_every_journey_text_with_its_placeholders():
    """The Portuguese catalogue covers the journey (the browser journey, the status page, the
    e-mails and the PDF leave no Japanese below); every other language has the same texts."""
    journey = messages(compiled_catalogue("pt"))
    for code in RESIDENT_CATALOGUE_LANGUAGES:
        catalogue = compiled_catalogue(code)
        assert messages(catalogue) == journey, code
        for key, text in catalogue.items():
            message = key if isinstance(key, str) else key[0]
            expected = set(PLACEHOLDER.findall(message))
            if message in ROW_UNIT_MESSAGES:
                assert set(PLACEHOLDER.findall(text)) in (expected, expected - {"counter"})
            else:
                assert set(PLACEHOLDER.findall(text)) == expected, (code, text)
            assert text and text.count("<") == message.count("<"), (code, text)


@pytest.mark.parametrize("language", sorted(RESIDENT_CATALOGUE_LANGUAGES))
def test_django_finds_each_resident_catalogue_for_texts_of_every_app(language):
    """Whichever app's templates or code a text comes from (the site's frame, payments, the
    form), the resident's language gives the catalogue's text, not another app's Japanese."""
    catalogue = compiled_catalogue(language)
    with resident_language(language):
        for key, text in catalogue.items():
            if isinstance(key, str):
                assert gettext(key) == text, (language, key)
            else:
                assert ngettext(key[0], key[0], 1) == catalogue[(key[0], 0)], (language, key)


@pytest.mark.parametrize(
    ("language", "required", "too_long"),
    [
        ("pt", "Preencha “Nome”.", "Use no máximo 5 caracteres."),
        ("es", "Rellene «Nombre».", "Use como máximo 5 caracteres."),
        ("vi", "Vui lòng nhập “Họ tên”.", "Nhập tối đa 5 ký tự."),
        ("ja", "「氏名」を入力してください。", "5文字以内で入力してください。"),
    ],
)
def test_generic_messages_are_in_the_residents_language(tsu, language, required, too_long):
    procedure = published_procedure(tsu, fields=FIELDS)
    version = procedure.current_version
    fields = translate(version.fields, language)
    with resident_language(language):
        _, missing = validate_application_data(fields, version.schema, {})
        _, long = validate_application_data(fields, version.schema, {"full_name": "abcdefg"})
    assert missing["full_name"] == [required]
    assert long["full_name"] == [too_long]


def submitted(tsu, language: str) -> Application:
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    return submit_application(
        procedure=procedure,
        data={"full_name": "Maria", "email": "maria@example.jp"},
        language=language,
    ).application


def without_names(text: str, application: Application) -> str:
    for name in (
        application.procedure.name,
        application.organization.name,
        application.procedure.division.name,
    ):
        text = text.replace(name, "")
    return text


@pytest.mark.parametrize(
    ("language", "received", "returned"),
    [
        ("pt", "Recebemos", "Devolvido para correção"),
        ("es", "Hemos recibido", "Devuelta para corregir"),
    ],
)
def test_mails_are_written_in_the_application_language(
    tsu, settings, django_capture_on_commit_callbacks, language, received, returned
):
    settings.JICHITAI_BASE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(tsu, language)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(actor=None, application=application, to_status="reviewing")
    with django_capture_on_commit_callbacks(execute=True):
        change_status(
            actor=None, application=application, to_status="returned", message="Falta a foto."
        )
    receipt, reviewing, back = mail.outbox[-3:]
    assert received in receipt.body and application.receipt_number in receipt.subject
    # The sender in brackets as the language writes them, not Japanese 【】.
    assert all(m.subject.startswith(f"[{tsu.name}] ") for m in (receipt, reviewing, back))
    assert returned in back.subject and returned in back.body
    for message in (receipt, reviewing, back):
        assert not JAPANESE.search(without_names(message.subject + message.body, application))


def test_resubmitting_and_withdrawing_are_told_in_the_application_language(
    tsu, settings, django_capture_on_commit_callbacks
):
    """The mails after a correction is sent and after a withdrawal, and the status page's
    history, carried Japanese sentences as if from the clerk; they read in Portuguese."""
    from jichitai.procedures.services import resubmit, withdraw

    settings.JICHITAI_BASE_URL = "http://testserver"
    application = submitted(tsu, "pt")
    change_status(
        actor=None, application=application, to_status="returned", message="Falta a foto."
    )
    with django_capture_on_commit_callbacks(execute=True):
        resubmit(application=application, data={"full_name": "Maria", "email": "maria@example.jp"})
    corrected = mail.outbox[-1]
    assert "Recebemos o pedido corrigido." in corrected.body
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(application=application)
    withdrawn = mail.outbox[-1]
    for message in (corrected, withdrawn):
        assert not JAPANESE.search(without_names(message.subject + message.body, application))
    status = Client().get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    )
    main = status.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    history = main.split('class="history"', 1)[1].split("</ol>", 1)[0]
    assert not JAPANESE.search(without_names(re.sub(r"<[^>]+>", " ", history), application))


def test_a_japanese_application_keeps_japanese_mails(
    tsu, settings, django_capture_on_commit_callbacks
):
    settings.JICHITAI_BASE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        submitted(tsu, "ja")
    assert "を受け付けました" in mail.outbox[-1].subject
    assert mail.outbox[-1].subject.startswith(f"【{tsu.name}】")


@pytest.mark.parametrize(
    ("language", "title"), [("pt", "Número de recebimento"), ("vi", "Số tiếp nhận")]
)
def test_the_receipt_pdf_is_in_the_application_language(tsu, language, title):
    application = submitted(tsu, language)
    response = Client().get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/receipt.pdf"
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert title in text
    assert not JAPANESE.search(without_names(text, application))


def test_the_status_page_and_the_signature_step_speak_portuguese(tsu):
    application = submitted(tsu, "pt")
    status = Client().get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    )
    main = status.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert ">Recebido<" in main
    assert not JAPANESE.search(without_names(re.sub(r"<[^>]+>", " ", main), application))

    signed = published_procedure(tsu, fields=FIELDS, needs_signature=True)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{signed.pk}/"
    client.get(url + "?lang=pt")
    client.post(url, {"full_name": "Maria", "email": "maria@example.jp", "_action": "next"})
    refused = client.post(url + "confirm/", {})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Assinatura eletrônica" in page and "Escolha o arquivo de assinatura" in page
    # A signature the platform cannot accept is explained in Portuguese too.
    unreadable = SimpleUploadedFile("assinatura.p7s", b"\x30\x82\x00\x03\x02\x01\x00")
    refused = client.post(url + "confirm/", {"signature": unreadable})
    assert refused.status_code == 422
    reason = refused.content.decode().split('id="signature-error"', 1)[1].split("</ul>", 1)[0]
    assert "assinatura" in reason.lower() and not JAPANESE.search(reason)


def test_a_draft_is_mailed_and_resumed_in_the_language_it_was_saved_in(
    tsu, settings, django_capture_on_commit_callbacks
):
    settings.JICHITAI_BASE_URL = "http://testserver"
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client = Client()
    client.get(url + "?lang=pt")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"_action": "save_draft", "draft-email": "maria@example.jp", "full_name": "Maria"}
        )
    message = mail.outbox[-1]
    assert "respostas salvas" in message.subject and "válido até" in message.body
    names = (procedure.name, tsu.name)
    text = message.subject + message.body
    for name in names:
        text = text.replace(name, "")
    assert not JAPANESE.search(text)

    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    resumed = Client().get(link, follow=True).content.decode()  # another device
    assert "Suas respostas salvas foram carregadas." in resumed and 'value="Maria"' in resumed
    assert "Próximo" in resumed or "Verificar respostas" in resumed


def test_a_form_in_easy_japanese_is_marked_as_japanese_and_reads_easy(tsu):
    easy = [{**FIELDS[0], "translations": {"ja-easy": {"label": "なまえ"}}}]
    procedure = published_procedure(tsu, fields=easy)
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client = Client()
    page = client.get(url + "?lang=ja-easy").content.decode()
    assert '<html lang="ja">' in page and "書いたことを たしかめる" in page
    refused = client.post(url, {"_action": "next"}).content.decode()
    assert "「なまえ」を 書いてください。" in refused


def test_a_date_is_checked_and_confirmed_in_portuguese_without_japanese_eras(tsu):
    born = {
        "name": "born",
        "type": "date",
        "label": "生年月日",
        "required": True,
        "translations": {"pt": {"label": "Data de nascimento"}},
    }
    procedure = published_procedure(tsu, fields=[born])
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client = Client()
    client.get(url + "?lang=pt")
    refused = client.post(url, {"born": "2024-02-30", "_action": "next"}).content.decode()
    assert "A data “2024-02-30” não existe." in refused
    client.post(url, {"born": "2018-04-01", "_action": "next"})
    confirm = client.get(url + "confirm/").content.decode()
    assert "<dd>2018-04-01</dd>" in confirm and "平成" not in confirm


@pytest.mark.parametrize(
    ("language", "lettered", "han"),
    [
        ("pt", "DejaVu-Sans", "IPAexGothic"),
        ("zh", None, "Noto-Sans-CJK-SC"),
        ("ja", None, "IPAexGothic"),
    ],
)
def test_the_receipt_pdf_is_set_in_fonts_made_for_its_language(tsu, language, lettered, han):
    """Portuguese letters and quotation marks in a font drawn for letters (a Japanese font's
    “ ” are as wide as a kanji), Chinese in simplified Chinese glyphs, Japanese as it was; the
    names the municipality wrote still in a font that has their kanji, every font embedded."""
    application = submitted(tsu, language)
    response = Client().get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/receipt.pdf"
    )
    fonts = " ".join(line.split()[0] for line in pdf_fonts(response.content))
    assert all_fonts_embedded(response.content)
    assert han in fonts
    if lettered:
        assert lettered in fonts
    else:
        assert "DejaVu" not in fonts
