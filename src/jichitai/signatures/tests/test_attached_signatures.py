"""Some signing software embeds the signed file in the signature (attached, or "enveloping", CMS,
often saved as .p7m) instead of writing a detached .p7s. Such a signature is accepted when the
content it carries is exactly the canonical content of the application submitted."""

import pytest

from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures.tests.signing import signed_cms
from jichitai.signatures.verification import MESSAGES


@pytest.fixture
def signed_procedure(trusted):
    return published_procedure(trusted, needs_signature=True)


def _content(procedure, data):
    return canonical_content(procedure, procedure.current_version.number, data)


@pytest.mark.django_db
def test_an_attached_signature_over_the_canonical_content_is_accepted(signed_procedure, test_pki):
    data = event_data()
    content = _content(signed_procedure, data)
    signature = signed_cms(content, test_pki["valid"], detached=False)
    application = procedures.submit_application(
        procedure=signed_procedure, data=data, signature=signature
    ).application
    assert bytes(application.signature.signed_content) == content
    assert application.signature.signer_name == "三重 花子"


@pytest.mark.django_db
def test_an_attached_signature_over_other_content_is_refused_as_changed(signed_procedure, test_pki):
    data = event_data()
    signed_elsewhere = _content(signed_procedure, {**data, "participants": 2})
    signature = signed_cms(signed_elsewhere, test_pki["valid"], detached=False)
    with pytest.raises(procedures.ApplicationInvalid) as error:
        procedures.submit_application(procedure=signed_procedure, data=data, signature=signature)
    assert error.value.message_dict["signature"] == [MESSAGES["data_changed"]]


@pytest.mark.django_db
def test_an_attached_signature_by_a_revoked_certificate_is_refused(signed_procedure, test_pki):
    data = event_data()
    signature = signed_cms(_content(signed_procedure, data), test_pki["revoked"], detached=False)
    with pytest.raises(procedures.ApplicationInvalid) as error:
        procedures.submit_application(procedure=signed_procedure, data=data, signature=signature)
    assert error.value.message_dict["signature"] == [MESSAGES["revoked"]]


@pytest.mark.django_db
def test_the_signature_file_chooser_offers_attached_signatures_too(signed_procedure):
    """A file chooser limited to .p7s hides the .p7m such software saves."""
    from django.test import Client

    client = Client()
    url = f"/o/{signed_procedure.organization.code}/procedures/{signed_procedure.pk}/"
    answers = {
        "applicant__family": "三重",
        "applicant__given": "太郎",
        "applicant__family_kana": "ミエ",
        "applicant__given_kana": "タロウ",
        "email": "taro@example.jp",
        "participants": "2",
        "agree": "on",
        "_action": "next",
    }
    client.get(url)
    confirm = client.get(client.post(url, answers)["Location"]).content.decode()
    assert 'name="signature" accept=".p7s,.p7m,.der"' in confirm
