"""A procedure names the signature check it uses (``Procedure.signature_check``, chosen among the
checks of ``signatures.verification.signature_checks`` that verify an applicant's signature):
submissions and re-verifications go through that check, and the edit form offers the choice as
soon as there is more than one."""

import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError

from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.forms import ProcedureForm
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures import services
from jichitai.signatures.verification import (
    MESSAGES,
    SignatureCheck,
    SignatureRejected,
    VerifiedSignature,
    signature_checks,
)
from jichitai.tenancy.models import Division

SHARED_KEY = b"key handed to the applicant's signing device"


def verify_shared_key(organization, content: bytes, signature: bytes, *, received_at):
    """A check of another kind than CMS: the signature is an HMAC of the content."""
    expected = hmac.new(SHARED_KEY, content, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise SignatureRejected("共有鍵による署名が一致しません。", "invalid")
    return VerifiedSignature(
        signer_name="共有鍵の端末",
        signer_serial="",
        issuer="",
        signing_time=None,
        received_at=received_at,
        validation_time=received_at,
        timestamped=False,
    )


@pytest.fixture
def shared_key_check():
    check = SignatureCheck(
        "shared-key", "共有鍵による署名", verify_shared_key, applicant_signature=True
    )
    signature_checks.register("shared-key", check)
    yield check
    signature_checks.unregister("shared-key")


@pytest.fixture
def procedure_with_shared_key(tsu, shared_key_check):
    procedure = published_procedure(tsu)
    procedure.signature_check = "shared-key"
    procedure.save(update_fields=["signature_check"])
    return procedure


def signed(procedure, data: dict) -> bytes:
    content = canonical_content(procedure, procedure.current_version.number, data)
    return hmac.new(SHARED_KEY, content, hashlib.sha256).digest()


@pytest.mark.django_db
class TestTheProcedureChoosesItsCheck:
    def test_a_signature_the_chosen_check_accepts_is_kept_with_that_check(
        self, procedure_with_shared_key
    ):
        data = event_data()
        application = procedures.submit_application(
            procedure=procedure_with_shared_key,
            data=data,
            signature=signed(procedure_with_shared_key, data),
        ).application
        assert application.signature.check_name == "shared-key"
        assert application.signature.signer_name == "共有鍵の端末"

    def test_a_signature_the_chosen_check_refuses_is_refused_with_its_message(
        self, procedure_with_shared_key
    ):
        with pytest.raises(ValidationError) as refused:
            procedures.submit_application(
                procedure=procedure_with_shared_key, data=event_data(), signature=b"not it"
            )
        assert refused.value.message_dict["signature"] == ["共有鍵による署名が一致しません。"]

    def test_re_verification_uses_the_check_that_verified_the_signature(
        self, procedure_with_shared_key
    ):
        data = event_data()
        application = procedures.submit_application(
            procedure=procedure_with_shared_key,
            data=data,
            signature=signed(procedure_with_shared_key, data),
        ).application
        record = services.reverify_signature(actor=None, signature=application.signature)
        assert record.recheck_passed is True

    def test_a_check_no_longer_registered_refuses_submissions_with_a_message(self, tsu):
        procedure = published_procedure(tsu)
        procedure.signature_check = "retired-check"
        procedure.save(update_fields=["signature_check"])
        with pytest.raises(ValidationError) as refused:
            procedures.submit_application(
                procedure=procedure, data=event_data(), signature=b"anything"
            )
        assert refused.value.message_dict["signature"] == [MESSAGES["unavailable_check"]]

    def test_a_kept_signature_whose_check_is_gone_fails_re_verification_visibly(
        self, procedure_with_shared_key
    ):
        data = event_data()
        application = procedures.submit_application(
            procedure=procedure_with_shared_key,
            data=data,
            signature=signed(procedure_with_shared_key, data),
        ).application
        signature_checks.unregister("shared-key")
        record = services.reverify_signature(actor=None, signature=application.signature)
        assert record.recheck_passed is False
        assert record.recheck_message == MESSAGES["unavailable_check"]

    def test_requiring_a_signature_without_naming_a_check_takes_the_first_offered(self, tsu):
        procedure = published_procedure(tsu, needs_signature=True)
        assert procedure.signature_check == "cms"
        procedure.needs_signature = False
        assert procedure.signature_check == ""


@pytest.mark.django_db
class TestTheEditForm:
    def form(self, organization):
        return ProcedureForm(
            divisions=Division.objects.filter(organization=organization), organization=organization
        )

    def test_with_one_check_it_asks_only_whether_a_signature_is_needed(self, tsu):
        form = self.form(tsu)
        assert "needs_signature" in form.fields
        assert "signature_check" not in form.fields

    def test_editing_a_procedure_that_needs_a_signature_shows_it_ticked(self, tsu):
        procedure = published_procedure(tsu, needs_signature=True)
        form = ProcedureForm(
            instance=procedure,
            divisions=Division.objects.filter(organization=tsu),
            organization=tsu,
        )
        assert form["needs_signature"].value() is True

    def test_with_more_than_one_check_it_offers_them_by_name(self, tsu, shared_key_check):
        form = self.form(tsu)
        assert "needs_signature" not in form.fields
        assert form.fields["signature_check"].choices == [
            ("", "不要"),
            ("cms", "申請データへの電子署名(CMS 分離署名・内包署名)"),
            ("shared-key", "共有鍵による署名"),
        ]

    def test_the_pdf_check_is_not_offered_for_applications(self, tsu, shared_key_check):
        names = [name for name, _label in self.form(tsu).fields["signature_check"].choices]
        assert "pades" not in names
