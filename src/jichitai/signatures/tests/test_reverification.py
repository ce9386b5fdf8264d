"""A kept signature can be verified again, as the documentation promises: against the organization's
current trust anchors and CRLs, at the time the platform originally received it (a certificate
revoked after receipt does not spoil a signature made before). Staff start it from the
application's signature panel; each re-verification is recorded in the audit log."""

from datetime import timedelta

import pytest
from django.urls import reverse

from jichitai.audit.models import AuditEvent
from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures import pki, services
from jichitai.signatures.models import TrustAnchor
from jichitai.signatures.verification import MESSAGES
from jichitai.tenancy.models import Role


@pytest.fixture
def signed_application(trusted, test_pki):
    procedure = published_procedure(trusted, needs_signature=True)
    data = event_data()
    signature = pki.sign_detached(
        canonical_content(procedure, procedure.current_version.number, data), test_pki["valid"]
    )
    return procedures.submit_application(
        procedure=procedure, data=data, signature=signature
    ).application


@pytest.mark.django_db
class TestTheService:
    def test_a_certificate_revoked_after_receipt_still_verifies_at_receipt(
        self, signed_application, test_pki, make_member
    ):
        clerk = make_member(signed_application.organization, Role.CLERK)
        # CRLs give revocation times to the second; this one is clearly after the receipt.
        revoked_at = signed_application.signature.received_at + timedelta(seconds=2)
        services.add_revocation_list(
            actor=None,
            organization=signed_application.organization,
            data=pki.make_crl(
                test_pki["ca"],
                [test_pki["valid"].certificate],
                issued_at=revoked_at,
                revoked_at=revoked_at,
            ),
        )
        record = services.reverify_signature(actor=clerk, signature=signed_application.signature)
        record.refresh_from_db()
        assert record.recheck_passed is True
        assert record.rechecked_at is not None
        event = AuditEvent.objects.get(action="signatures.signature.reverified")
        assert event.actor == clerk and "有効" in event.summary

    def test_a_certificate_revoked_before_receipt_fails(
        self, signed_application, test_pki, make_member
    ):
        clerk = make_member(signed_application.organization, Role.CLERK)
        revoked_at = signed_application.signature.received_at - timedelta(seconds=2)
        services.add_revocation_list(
            actor=None,
            organization=signed_application.organization,
            data=pki.make_crl(
                test_pki["ca"],
                [test_pki["valid"].certificate],
                issued_at=revoked_at,
                revoked_at=revoked_at,
            ),
        )
        record = services.reverify_signature(actor=clerk, signature=signed_application.signature)
        assert record.recheck_passed is False
        assert record.recheck_message == MESSAGES["revoked"]

    def test_a_failure_is_kept_with_its_reason(self, signed_application, make_member):
        clerk = make_member(signed_application.organization, Role.CLERK)
        TrustAnchor.objects.filter(organization=signed_application.organization).delete()
        record = services.reverify_signature(actor=clerk, signature=signed_application.signature)
        record.refresh_from_db()
        assert record.recheck_passed is False
        assert record.recheck_message == MESSAGES["no_trust"]
        event = AuditEvent.objects.get(action="signatures.signature.reverified")
        assert str(MESSAGES["no_trust"]) in event.summary


def _reverify_url(application):
    return reverse(
        "signatures:reverify",
        kwargs={"org_code": application.organization.code, "application_id": application.pk},
    )


def _detail_url(application):
    return reverse(
        "procedures:application",
        kwargs={"org_code": application.organization.code, "application_id": application.pk},
    )


@pytest.mark.django_db
class TestTheStaffAction:
    def test_a_clerk_reverifies_from_the_signature_panel(
        self, signed_application, make_member, login
    ):
        client = login(make_member(signed_application.organization, Role.CLERK))
        page = client.get(_detail_url(signed_application)).content.decode()
        assert _reverify_url(signed_application) in page
        response = client.post(_reverify_url(signed_application), follow=True)
        assert response.redirect_chain[-1][0] == _detail_url(signed_application)
        text = response.content.decode()
        assert "再検証しました" in text and "受信日時の時点で有効です" in text

    def test_a_viewer_may_not(self, signed_application, make_member, login):
        client = login(make_member(signed_application.organization, Role.VIEWER))
        assert (
            _reverify_url(signed_application)
            not in client.get(_detail_url(signed_application)).content.decode()
        )
        assert client.post(_reverify_url(signed_application)).status_code in {403, 404}
        assert not AuditEvent.objects.filter(action="signatures.signature.reverified").exists()

    def test_an_application_without_a_signature_is_not_found(self, trusted, make_member, login):
        application = procedures.submit_application(
            procedure=published_procedure(trusted, name="署名なし"), data=event_data()
        ).application
        client = login(make_member(trusted, Role.CLERK))
        assert client.post(_reverify_url(application)).status_code == 404
