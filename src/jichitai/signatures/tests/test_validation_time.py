"""The time a signature is validated at is one the platform can vouch for: when it received the
signature, or the time in an RFC 3161 timestamp from a trusted time-stamping authority. The
signingTime inside the signature is only the signer's claim and never moves that time."""

from datetime import UTC, datetime, timedelta

import pytest

from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures.models import ApplicationSignature
from jichitai.signatures.tests.signing import signed_cms, timestamper
from jichitai.signatures.verification import MESSAGES


@pytest.fixture
def signed_procedure(trusted):
    return published_procedure(trusted, needs_signature=True)


def _content(procedure, data):
    return canonical_content(procedure, procedure.current_version.number, data)


def _refusal(procedure, data, signature) -> list[str]:
    with pytest.raises(procedures.ApplicationInvalid) as error:
        procedures.submit_application(procedure=procedure, data=data, signature=signature)
    return error.value.message_dict["signature"]


@pytest.mark.django_db
class TestTheSignersClockIsNotTrusted:
    def test_a_certificate_revoked_before_receipt_is_refused_despite_a_backdated_signing_time(
        self, signed_procedure, test_pki
    ):
        data = event_data()
        signature = signed_cms(
            _content(signed_procedure, data),
            test_pki["revoked"],
            signing_time=datetime.now(UTC) - timedelta(days=1),
        )
        assert _refusal(signed_procedure, data, signature) == [MESSAGES["revoked"]]
        assert ApplicationSignature.objects.count() == 0

    def test_an_expired_certificate_is_refused_despite_a_signing_time_inside_its_validity(
        self, signed_procedure, test_pki
    ):
        data = event_data()
        signature = signed_cms(
            _content(signed_procedure, data),
            test_pki["expired"],
            signing_time=datetime.now(UTC) - timedelta(days=100),
        )
        assert _refusal(signed_procedure, data, signature) == [MESSAGES["expired"]]

    def test_the_claimed_signing_time_is_kept_but_validation_is_at_receipt(
        self, signed_procedure, test_pki
    ):
        data = event_data()
        claimed = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
        signature = signed_cms(
            _content(signed_procedure, data), test_pki["valid"], signing_time=claimed
        )
        application = procedures.submit_application(
            procedure=signed_procedure, data=data, signature=signature
        ).application
        record = application.signature
        assert record.signing_time == claimed
        assert record.validation_time == record.received_at <= application.submitted_at
        assert not record.timestamped


@pytest.mark.django_db
class TestTrustedTimestamps:
    def test_a_trusted_timestamp_before_revocation_is_the_validation_time(
        self, signed_procedure, test_pki
    ):
        data = event_data()
        stamped_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
        signature = signed_cms(
            _content(signed_procedure, data),
            test_pki["revoked"],
            timestamped_by=timestamper(test_pki["tsa"], test_pki["ca"], stamped_at),
        )
        application = procedures.submit_application(
            procedure=signed_procedure, data=data, signature=signature
        ).application
        assert application.signature.validation_time == stamped_at
        assert application.signature.timestamped

    def test_a_timestamp_from_an_untrusted_authority_is_ignored(self, signed_procedure, test_pki):
        data = event_data()
        signature = signed_cms(
            _content(signed_procedure, data),
            test_pki["revoked"],
            timestamped_by=timestamper(
                test_pki["stranger_tsa"],
                test_pki["stranger_ca"],
                datetime.now(UTC) - timedelta(hours=2),
            ),
        )
        assert _refusal(signed_procedure, data, signature) == [MESSAGES["revoked"]]
