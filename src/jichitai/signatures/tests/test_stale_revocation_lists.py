"""A CRL past its nextUpdate cannot show that a certificate is not revoked now: a signature whose
revocation only such a CRL could establish is refused, and the reason says the CRL is stale rather
than that there is none. The trust page says so when the CRL is registered and as long as it is
listed, so an administrator knows to register the new one."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures import pki, services
from jichitai.signatures.pades import verify_pdf
from jichitai.signatures.tests.signing import signed_pdf
from jichitai.signatures.verification import MESSAGES
from jichitai.tenancy.models import Role


def _stale_crl(test_pki) -> bytes:
    """Issued two weeks ago, to be replaced a week ago."""
    return pki.make_crl(test_pki["ca"], days=7, issued_at=datetime.now(UTC) - timedelta(days=14))


@pytest.fixture
def stale_trust(tsu, test_pki):
    """津市 trusts the test CA, but its only CRL should have been replaced a week ago."""
    services.add_trust_anchor(
        actor=None, organization=tsu, name="CA", data=test_pki["ca"].certificate_pem.encode()
    )
    services.add_revocation_list(actor=None, organization=tsu, data=_stale_crl(test_pki))
    return tsu


def _trust_page(client, organization):
    return client.get(reverse("signatures:trust", kwargs={"org_code": organization.code}))


@pytest.mark.django_db
class TestTheTrustPage:
    def test_a_stale_crl_is_marked_in_the_list(self, stale_trust, make_member, login):
        text = _trust_page(login(make_member(stale_trust, Role.ADMIN)), stale_trust)
        text = text.content.decode()
        assert "次回更新予定を過ぎています" in text
        assert "新しい CRL を登録してください" in text

    def test_a_fresh_crl_is_not_marked(self, trusted, make_member, login):
        text = _trust_page(login(make_member(trusted, Role.ADMIN)), trusted).content.decode()
        assert "次回更新予定を過ぎています" not in text

    def test_registering_a_stale_crl_warns_at_once(self, tsu, test_pki, make_member, login):
        client = login(make_member(tsu, Role.ADMIN))
        services.add_trust_anchor(
            actor=None, organization=tsu, name="CA", data=test_pki["ca"].certificate_pem.encode()
        )
        response = client.post(
            reverse("signatures:trust", kwargs={"org_code": tsu.code}),
            {"kind": "crl", "crl-file": SimpleUploadedFile("ca.crl", _stale_crl(test_pki))},
            follow=True,
        )
        next_update = x509.load_der_x509_crl(_stale_crl(test_pki)).next_update_utc
        text = response.content.decode()
        assert "この CRL は次回更新予定" in text and "を過ぎています" in text
        assert str(next_update.year - 2018) in text  # 令和 year of the nextUpdate


@pytest.mark.django_db
class TestVerification:
    def test_a_signature_whose_revocation_only_a_stale_crl_could_show_is_refused(
        self, stale_trust, test_pki
    ):
        procedure = published_procedure(stale_trust, needs_signature=True)
        data = event_data()
        signature = pki.sign_detached(
            canonical_content(procedure, procedure.current_version.number, data),
            test_pki["valid"],
        )
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(procedure=procedure, data=data, signature=signature)
        assert error.value.message_dict["signature"] == [MESSAGES["stale_revocation"]]

    def test_a_signed_pdf_checked_against_a_stale_crl_says_so(self, stale_trust, test_pki):
        [result] = verify_pdf(
            stale_trust,
            signed_pdf(test_pki["valid"], test_pki["ca"]),
            received_at=datetime.now(UTC),
        )
        assert not result.trusted
        assert "失効リスト(CRL)が古い" in result.summary
