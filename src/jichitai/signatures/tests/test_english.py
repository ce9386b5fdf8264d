"""Staff who switch to English read the signature details of an application in English."""

import pytest

from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures import pki


@pytest.fixture
def signed_application(trusted, test_pki):
    procedure = published_procedure(trusted, needs_signature=True)
    data = event_data()
    content = canonical_content(procedure, procedure.current_version.number, data)
    return procedures.submit_application(
        procedure=procedure, data=data, signature=pki.sign_detached(content, test_pki["valid"])
    ).application


def english_page(client, application) -> str:
    client.cookies["django_language"] = "en"
    url = f"/s/{application.procedure.organization.code}/inbox/{application.pk}/"
    return client.get(url).content.decode()


@pytest.mark.django_db
def test_signature_details_read_in_english(signed_application, tsu_admin, login):
    page = english_page(login(tsu_admin), signed_application)
    assert "Signed at (as stated by the signer)" in page
    assert "Verified as of" in page
    assert "Re-verify the signature" in page
    assert "署名日時" not in page and "受信日時" not in page


@pytest.mark.django_db
def test_a_signature_over_changed_data_reads_invalid_in_english(
    signed_application, tsu_admin, login
):
    procedure = signed_application.procedure
    returned = procedures.change_status(
        actor=tsu_admin,
        application=signed_application,
        to_status=Application.Status.RETURNED,
        message="人数を確認してください。",
    )
    procedures.update_procedure(actor=tsu_admin, procedure=procedure, needs_signature=False)
    application = procedures.resubmit(application=returned, data=event_data(participants=2))
    page = english_page(login(tsu_admin), application)
    assert "The application was changed after it was signed." in page
    assert '<span class="badge badge--error">Invalid</span>' in page


@pytest.mark.django_db
def test_the_verdicts_on_signed_pdf_attachments_read_in_english(
    trusted, test_pki, tsu_admin, login
):
    """Kept by verdict, not as a sentence: staff read them in the language they chose."""
    from jichitai.signatures.tests.signing import changed_after_signing, signed_pdf
    from jichitai.signatures.tests.test_signed_applications import application_with_pdf

    changed = changed_after_signing(signed_pdf(test_pki["valid"], test_pki["ca"]))
    application = application_with_pdf(trusted, changed, "proof.pdf")
    page = english_page(login(tsu_admin), application)
    assert "Updated after signing in a way that may have changed its content (三重 花子)" in page
    assert "署名後" not in page
