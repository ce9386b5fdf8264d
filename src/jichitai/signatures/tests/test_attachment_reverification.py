"""A PDF that arrived signed by a CA the organization did not trust yet is verified again once an
administrator registers that CA: staff start it from the application's signature panel, the PDF
is read again from storage with the current trust settings at the time it was received, the new
verdicts replace the old ones and the change is in the audit log."""

from datetime import timedelta

import pytest

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.samples import pdf_bytes
from jichitai.signatures import pki, services
from jichitai.signatures.tests.signing import signed_pdf
from jichitai.signatures.tests.test_signed_applications import application_with_pdf
from jichitai.tenancy.models import Role


def trust_the_stranger(organization, test_pki, **crl):
    services.add_trust_anchor(
        actor=None,
        organization=organization,
        name="見知らぬ認証局",
        data=test_pki["stranger_ca"].certificate_pem.encode(),
    )
    services.add_revocation_list(
        actor=None, organization=organization, data=pki.make_crl(test_pki["stranger_ca"], **crl)
    )


@pytest.fixture
def untrusted_pdf_application(trusted, test_pki):
    return application_with_pdf(trusted, signed_pdf(test_pki["stranger"], None), "委任状.pdf")


def verdicts(application):
    return [kept.verdict for kept in application.files.get().pdf_signatures.all()]


@pytest.mark.django_db
class TestTheService:
    def test_a_ca_registered_after_receipt_makes_the_signature_trusted(
        self, untrusted_pdf_application, test_pki, tsu_clerk
    ):
        assert verdicts(untrusted_pdf_application) == ["untrusted"]
        trust_the_stranger(untrusted_pdf_application.organization, test_pki)

        services.reverify_pdf_attachments(actor=tsu_clerk, application=untrusted_pdf_application)

        [kept] = untrusted_pdf_application.files.get().pdf_signatures.all()
        assert (kept.verdict, kept.valid, kept.trusted, kept.intact) == ("valid", True, True, True)
        assert "他人 次郎" in kept.summary
        event = AuditEvent.objects.get(action="signatures.attachments.reverified")
        assert event.actor == tsu_clerk and event.target_id == str(untrusted_pdf_application.pk)
        assert "委任状.pdf" in event.summary
        assert event.changes == {"委任状.pdf": [["untrusted"], ["valid"]]}

    def test_it_is_judged_at_the_time_the_pdf_was_received(
        self, untrusted_pdf_application, test_pki, tsu_clerk
    ):
        """A signer's certificate revoked after the PDF arrived does not spoil it; the CA's CRL
        is read as it is now."""
        received_at = untrusted_pdf_application.files.get().created_at
        revoked_at = received_at + timedelta(seconds=2)
        trust_the_stranger(
            untrusted_pdf_application.organization,
            test_pki,
            revoked=[test_pki["stranger"].certificate],
            issued_at=revoked_at,
            revoked_at=revoked_at,
        )

        services.reverify_pdf_attachments(actor=tsu_clerk, application=untrusted_pdf_application)

        assert verdicts(untrusted_pdf_application) == ["valid"]

    def test_an_application_without_signed_pdfs_has_nothing_to_verify(self, trusted, tsu_clerk):
        application = application_with_pdf(trusted, pdf_bytes())

        assert services.reverify_pdf_attachments(actor=tsu_clerk, application=application) == []
        assert not AuditEvent.objects.filter(action="signatures.attachments.reverified").exists()


@pytest.mark.django_db
class TestThePanel:
    def test_staff_verify_again_from_the_application(
        self, untrusted_pdf_application, test_pki, make_member, login
    ):
        tsu = untrusted_pdf_application.organization
        client = login(make_member(tsu, Role.MANAGER))
        url = f"/s/{tsu.code}/inbox/{untrusted_pdf_application.pk}/"
        page = client.get(url).content.decode()
        action = f"/s/{tsu.code}/signatures/applications/{untrusted_pdf_application.pk}/attachments/reverify/"
        assert f'action="{action}"' in page
        trust_the_stranger(tsu, test_pki)

        response = client.post(action, follow=True)

        assert response.redirect_chain[-1][0] == url
        body = response.content.decode()
        assert "添付 PDF の電子署名を再検証しました" in body
        assert "有効な署名" in body and "信頼できない証明書" not in body

    def test_a_viewer_cannot_start_it(self, untrusted_pdf_application, make_member, login):
        tsu = untrusted_pdf_application.organization
        viewer = make_member(tsu, Role.VIEWER)
        action = f"/s/{tsu.code}/signatures/applications/{untrusted_pdf_application.pk}/attachments/reverify/"

        assert login(viewer).post(action).status_code == 403
        assert not AuditEvent.objects.filter(action="signatures.attachments.reverified").exists()
