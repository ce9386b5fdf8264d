"""Staff see who signed by name — the certificate subject's common name, or its organization when
it has none — with the serial number as a secondary detail."""

from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.urls import reverse

from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures import pki
from jichitai.signatures.pades import verify_pdf
from jichitai.signatures.tests.signing import signed_pdf
from jichitai.signatures.verification import display_name
from jichitai.tenancy.models import Role


def _subject(*attributes):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes])


@pytest.mark.parametrize(
    ("subject", "name"),
    [
        (
            _subject(
                (NameOID.COUNTRY_NAME, "JP"),
                (NameOID.ORGANIZATION_NAME, "株式会社三重"),
                (NameOID.COMMON_NAME, "三重 花子"),
            ),
            "三重 花子",
        ),
        (_subject((NameOID.COUNTRY_NAME, "JP"), (NameOID.ORGANIZATION_NAME, "津市")), "津市"),
        (
            _subject((NameOID.COUNTRY_NAME, "JP"), (NameOID.LOCALITY_NAME, "津市")),
            "Locality: 津市, Country: JP",
        ),
    ],
)
def test_the_name_is_the_common_name_else_the_organization(subject, name):
    from asn1crypto import x509 as asn1_x509

    assert display_name(asn1_x509.Name.load(subject.public_bytes())) == name


@pytest.mark.django_db
def test_the_signature_panel_names_the_signer_and_gives_the_serial_second(
    trusted, test_pki, make_member, login
):
    procedure = published_procedure(trusted, needs_signature=True)
    data = event_data()
    signature = pki.sign_detached(
        canonical_content(procedure, procedure.current_version.number, data), test_pki["valid"]
    )
    application = procedures.submit_application(
        procedure=procedure, data=data, signature=signature
    ).application
    assert application.signature.signer_name == "三重 花子"
    page = login(make_member(trusted, Role.VIEWER)).get(
        reverse(
            "procedures:application",
            kwargs={"org_code": trusted.code, "application_id": application.pk},
        )
    )
    text = page.content.decode()
    serial = format(test_pki["valid"].certificate.serial_number, "X")
    assert "Common Name:" not in text
    assert text.index("三重 花子") < text.index(serial)


@pytest.mark.django_db
def test_a_signed_pdf_names_its_signer(trusted, test_pki):
    [result] = verify_pdf(
        trusted, signed_pdf(test_pki["valid"], test_pki["ca"]), received_at=datetime.now(UTC)
    )
    assert result.signer_name == "三重 花子"
    assert result.summary == "有効な署名(三重 花子)"


@pytest.fixture(scope="module")
def card_signer(test_pki):
    """A signing certificate made as a マイナンバーカード's 署名用電子証明書 is (公的個人認証, J-LIS
    profile): its subject's CN is an opaque identifier, the holder's 氏名 is in subjectAltName."""
    return pki.issue(test_pki["ca"], "JPN0123456789ABCDEF0123456789", card_holder_name="三重 花子")


@pytest.mark.django_db
def test_a_signature_with_a_my_number_card_names_the_holder_not_the_certificates_identifier(
    trusted, card_signer
):
    procedure = published_procedure(trusted, needs_signature=True)
    data = event_data()
    signature = pki.sign_detached(
        canonical_content(procedure, procedure.current_version.number, data), card_signer
    )
    application = procedures.submit_application(
        procedure=procedure, data=data, signature=signature
    ).application
    assert application.signature.signer_name == "三重 花子"


@pytest.mark.django_db
def test_a_pdf_signed_with_a_my_number_card_names_the_holder(trusted, test_pki, card_signer):
    [result] = verify_pdf(
        trusted, signed_pdf(card_signer, test_pki["ca"]), received_at=datetime.now(UTC)
    )
    assert result.summary == "有効な署名(三重 花子)"
