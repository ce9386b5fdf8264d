"""A resident who applied in Portuguese reads the fee and the documents issued to them in
Portuguese on the status page and on the gateway's return page: the payment panel, its status
names, the amount, the issued document's line. The 納付書, 領収書 and the issued document itself
stay the official Japanese papers."""

import re

import pytest
from django.test import Client

from jichitai.payments.services import _mark_paid
from jichitai.procedures import services as procedures
from jichitai.procedures.services import documents
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.languages import JAPANESE
from jichitai.procedures.translations import LANGUAGES

FIELDS = [
    {
        "name": "full_name",
        "type": "text",
        "label": "氏名",
        "required": True,
        "translations": {code: {"label": "Name"} for code in LANGUAGES if code != "ja"},
    },
    {
        "name": "born",
        "type": "date",
        "label": "生年月日",
        "required": False,
        "translations": {code: {"label": "Date"} for code in LANGUAGES if code != "ja"},
    },
    {
        "name": "email",
        "type": "email",
        "label": "メールアドレス",
        "required": False,
        "translations": {code: {"label": "E-mail"} for code in LANGUAGES if code != "ja"},
    },
]


def main_text(html: str, *names: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    for name in names:
        text = text.replace(name, "")
    return text


@pytest.fixture
def fee_procedure(tsu):
    procedure = published_procedure(
        tsu, fields=FIELDS, name="会議室の使用申請", fee_kind="fixed", fee_amount=1200
    )
    documents.save_document_template(
        actor=None, procedure=procedure, kind="permit", title="使用許可証", body="{申請者} 様"
    )
    return procedure


def applied(procedure, language: str):
    return procedures.submit_application(
        procedure=procedure, data={"full_name": "Maria"}, language=language
    ).application


@pytest.mark.django_db
def test_the_fee_and_the_issued_document_read_in_portuguese(tsu, fee_procedure):
    application = applied(fee_procedure, "pt")
    status = f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    names = (fee_procedure.name, tsu.name, fee_procedure.division.name, "使用許可証")

    unpaid = Client().get(status).content.decode()
    assert (
        "Pagamento da taxa" in unpaid and "Não pago" in unpaid and "¥1.200" in unpaid
    )  # Portuguese groups thousands with a point
    assert not JAPANESE.search(main_text(unpaid, *names))

    procedures.change_status(actor=None, application=application, to_status="approved")
    documents.issue_document(actor=None, application=application)
    payment = application.payment
    _mark_paid(payment, amount=1200, paid_at=payment.created_at, method="reconciliation")
    issued = Client().get(status).content.decode()
    assert "Documentos emitidos" in issued and "Pagamento da taxa confirmado" in issued
    assert "Recibo (PDF)" in issued
    assert not JAPANESE.search(main_text(issued, *names))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "example"), [("pt", "ex.: 2026-04-01"), ("ja-easy", "れい: 令和8年4月1日")]
)
def test_a_date_question_shows_an_example_the_resident_can_read(
    tsu, fee_procedure, language, example
):
    page = Client().get(f"/o/{tsu.code}/procedures/{fee_procedure.pk}/?lang={language}")
    assert f'placeholder="{example}"' in page.content.decode()


@pytest.mark.django_db
def test_the_gateway_return_page_reads_in_the_applications_language(tsu, fee_procedure):
    application = applied(fee_procedure, "pt")
    payment = application.payment
    payment.gateway_token = "return-token-0123456789"
    payment.save(update_fields=["gateway_token"])
    page = (
        Client()
        .get(f"/payments/gateway/return/{payment.payment_number}/{payment.gateway_token}/")
        .content.decode()
    )
    assert "Voltar à página da situação do pedido" in page
    assert not JAPANESE.search(main_text(page))


@pytest.mark.django_db
def test_the_completion_page_and_the_receipt_mail_say_a_fee_is_owed(
    tsu, fee_procedure, settings, django_capture_on_commit_callbacks
):
    """A resident learns on 完了 and in the receipt mail that a fee is owed, by when, and where
    the 納付書 is, instead of finding it only on the status page."""
    from django.core import mail

    settings.JICHITAI_BASE_URL = "http://testserver"
    client = Client()
    url = f"/o/{tsu.code}/procedures/{fee_procedure.pk}/"
    client.post(url, {"full_name": "三重 花子", "_action": "next"})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url + "confirm/", {}, follow=True).content.decode()
    owed = "手数料 1,200 円のお支払いが必要です(納付期限 令和"
    assert owed in done and "納付書は手続の状況のページで表示できます。" in done

    with django_capture_on_commit_callbacks(execute=True):
        application = procedures.submit_application(
            procedure=fee_procedure,
            data={"full_name": "Maria", "email": "maria@example.jp"},
            language="pt",
        ).application
    body = mail.outbox[-1].body
    assert "¥1.200" in body and application.payment.due_date.isoformat() in body
    names = (fee_procedure.name, tsu.name, fee_procedure.division.name)
    assert not JAPANESE.search(main_text(f"<main>{body}</main>", *names))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "owed"),
    [("ja", "手数料 1,200 円のお支払いが必要です"), ("pt", "É preciso pagar a taxa de ¥1.200")],
)
def test_the_receipt_slip_says_a_fee_is_owed(tsu, fee_procedure, language, owed):
    from jichitai.core.tests.pdf import pdf_text

    application = applied(fee_procedure, language)
    slip = Client().get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/receipt.pdf"
    )
    assert owed in " ".join(pdf_text(slip.content).split())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("ja", "手数料 1,200 円の納付を確認しました。"),
        ("pt", "Confirmamos o pagamento da taxa de ¥1.200"),
    ],
)
def test_the_applicant_is_mailed_when_the_fee_is_found_paid(
    tsu, fee_procedure, settings, django_capture_on_commit_callbacks, language, said
):
    """A 納付書 paid at a bank counter is matched days later (消込): the applicant is told
    then, with the way to the 領収書, instead of having to look."""
    from django.core import mail

    settings.JICHITAI_BASE_URL = "http://testserver"
    application = procedures.submit_application(
        procedure=fee_procedure,
        data={"full_name": "Maria", "email": "maria@example.jp"},
        language=language,
    ).application
    payment = application.payment
    with django_capture_on_commit_callbacks(execute=True):
        _mark_paid(payment, amount=1200, paid_at=payment.created_at, method="reconciliation")
    message = mail.outbox[-1]
    assert said in message.body and application.receipt_number in message.subject
    assert f"/status/{application.receipt_number}/{application.status_token}/" in message.body
    if language != "ja":
        names = (fee_procedure.name, tsu.name, fee_procedure.division.name)
        assert not JAPANESE.search(
            main_text(f"<main>{message.subject} {message.body}</main>", *names)
        )


@pytest.mark.django_db
def test_a_fee_set_after_review_is_mailed_in_the_applications_language(
    tsu, tsu_clerk, settings, django_capture_on_commit_callbacks
):
    """The mail asking for a fee set after review was a Japanese sentence whatever the applicant's
    language; it is written in theirs, with the amount, the due date and the way to the 納付書."""
    from django.core import mail

    from jichitai.payments import services

    settings.JICHITAI_BASE_URL = "http://testserver"
    procedure = published_procedure(
        tsu, fields=FIELDS, name="審査後に手数料が決まる申請", fee_kind="after_review"
    )
    application = procedures.submit_application(
        procedure=procedure,
        data={"full_name": "Maria", "email": "maria@example.jp"},
        language="pt",
    ).application
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.set_fee(actor=tsu_clerk, application=application, amount=3200)
    message = mail.outbox[-1]
    assert "¥3.200" in message.body and payment.due_date.isoformat() in message.body
    assert f"/status/{application.receipt_number}/{application.status_token}/" in message.body
    names = (procedure.name, tsu.name, procedure.division.name)
    assert not JAPANESE.search(main_text(f"<main>{message.subject} {message.body}</main>", *names))
