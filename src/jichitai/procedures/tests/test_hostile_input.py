"""Text carrying HTML or script is shown as text wherever it appears: the resident pages, the
inbox, the PDFs, the e-mails, the open data catalog; and spreadsheet formulas never reach a CSV or
XLSX export alive."""

import io

import pytest
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from jichitai.core.tests.pdf import pdf_text
from jichitai.procedures import services
from jichitai.procedures.tests.factories import event_data, published_procedure

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
MARKUP = "<b>太字</b>"


def hostile_application(organization, **procedure_settings):
    procedure = published_procedure(
        organization, name=f"講座{SCRIPT}", description=MARKUP, **procedure_settings
    )
    data = event_data(
        applicant={
            "family": SCRIPT,
            "given": MARKUP,
            "family_kana": "ミエ",
            "given_kana": "タロウ",
        },
        email="taro@example.jp",
    )
    return services.submit_application(procedure=procedure, data=data).application


def assert_escaped(page: str) -> None:
    assert SCRIPT not in page and MARKUP not in page
    assert "&lt;script&gt;" in page


def test_resident_pages_show_markup_as_text(tsu):
    application = hostile_application(tsu)

    listing = Client().get("/o/242012/procedures/").content.decode()
    form = Client().get(f"/o/242012/procedures/{application.procedure_id}/").content.decode()
    portal = Client().get("/o/242012/").content.decode()

    for page in (listing, form, portal):
        assert_escaped(page)


def test_the_inbox_shows_markup_as_text(tsu, tsu_admin, login):
    application = hostile_application(tsu)
    client = login(tsu_admin)

    inbox = client.get("/s/242012/inbox/").content.decode()
    detail = client.get(f"/s/242012/inbox/{application.pk}/").content.decode()

    assert_escaped(inbox)
    assert_escaped(detail)


def test_e_mails_are_plain_text_and_carry_the_text_as_typed(
    tsu, settings, django_capture_on_commit_callbacks
):
    settings.JICHITAI_BASE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        hostile_application(tsu)

    message = mail.outbox[-1]
    assert not getattr(message, "alternatives", None)  # no HTML part to inject into
    assert SCRIPT in message.body  # plain text: shown literally, never as markup
    assert "&lt;" not in message.body


def test_pdfs_print_markup_as_text(tsu):
    from jichitai.payments.methods import payment_slip

    application = hostile_application(tsu, fee_kind="fixed", fee_amount=1500)

    text = pdf_text(payment_slip(application.payment))

    assert "<script>" in text.replace(" ", "")  # printed as characters, not interpreted


def test_exports_neutralise_formulas_from_residents(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, name="講座")
    services.submit_application(
        procedure=procedure,
        data=event_data(
            applicant={
                "family": '=HYPERLINK("http://evil")',
                "given": "+1",
                "family_kana": "ミエ",
                "given_kana": "タロウ",
            }
        ),
    )
    client = login(tsu_admin)

    csv_text = client.get(f"/s/242012/procedures/{procedure.pk}/export/?format=csv").content
    workbook = load_workbook(
        io.BytesIO(client.get(f"/s/242012/procedures/{procedure.pk}/export/?format=xlsx").content)
    )

    assert b"\n=HYPERLINK" not in csv_text and b",=HYPERLINK" not in csv_text
    assert "'=HYPERLINK" in csv_text.decode("utf-8-sig")
    cells = [c.value for row in workbook.active.iter_rows() for c in row if c.value]
    assert not any(str(v).startswith(("=", "+")) for v in cells)
    assert all(c.data_type != "f" for row in workbook.active.iter_rows() for c in row)


def test_the_open_data_catalog_shows_markup_as_text(tsu):
    from jichitai.opendata.tests.factories import published

    published(tsu, "hostile", title=f"一覧{SCRIPT}", notes=MARKUP)

    catalog = Client().get("/opendata/").content.decode()
    dataset = Client().get("/dataset/hostile").content.decode()

    assert_escaped(catalog)
    assert_escaped(dataset)
