"""Signed applications: a detached CMS signature over the canonical content is verified against
the organization's trust anchors and CRLs; every failure gives a specific Japanese message and
stores nothing. The PKI is real (made with cryptography at test time); nothing is mocked."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from jichitai.procedures import retention
from jichitai.procedures import services as procedures
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.signatures import pki
from jichitai.signatures.models import ApplicationSignature
from jichitai.signatures.verification import MESSAGES, verify_cms


@pytest.fixture
def signed_procedure(trusted):
    return published_procedure(trusted, needs_signature=True)


def application_with_pdf(organization, pdf: bytes, file_name: str = "契約書.pdf") -> Application:
    """An application to a procedure of ``organization`` that asks for one PDF, submitted with
    ``pdf`` attached as ``file_name``."""
    fields = [{"name": "proof", "type": "file", "label": "添付書類", "required": True}]
    procedure = published_procedure(organization, fields=fields, attachment_kinds=["pdf"])
    uploads = {"proof": SimpleUploadedFile(file_name, pdf)}
    return procedures.submit_application(procedure=procedure, data={}, uploads=uploads).application


def sign(procedure, data, signer):
    return pki.sign_detached(
        canonical_content(procedure, procedure.current_version.number, data), signer
    )


@pytest.mark.django_db
class TestSubmission:
    def test_a_valid_signature_is_accepted_and_kept(self, signed_procedure, test_pki):
        data = event_data()
        application = procedures.submit_application(
            procedure=signed_procedure,
            data=data,
            signature=sign(signed_procedure, data, test_pki["valid"]),
        ).application
        record = application.signature
        assert "三重 花子" in record.signer_name
        assert record.signer_serial == format(test_pki["valid"].certificate.serial_number, "X")
        assert "テスト署名用認証局" in record.issuer
        # The original signature and content are kept and verify again later.
        again = verify_cms(
            signed_procedure.organization,
            bytes(record.signed_content),
            bytes(record.signature_der),
            received_at=record.received_at,
        )
        assert again.signer_serial == record.signer_serial

    def test_erasing_the_application_erases_its_signature(self, signed_procedure, test_pki):
        data = event_data()
        application = procedures.submit_application(
            procedure=signed_procedure,
            data=data,
            signature=sign(signed_procedure, data, test_pki["valid"]),
        ).application
        retention.purge_application(actor=None, application=application, reason="本人からの依頼")
        assert not ApplicationSignature.objects.exists()

    @pytest.mark.parametrize(
        ("signer", "tamper", "code"),
        [
            ("valid", True, "data_changed"),
            ("expired", False, "expired"),
            ("revoked", False, "revoked"),
            ("stranger", False, "untrusted"),
            ("encryption_only", False, "key_usage"),
        ],
    )
    def test_each_failure_has_its_own_message_and_stores_nothing(
        self, signed_procedure, test_pki, signer, tamper, code
    ):
        data = event_data()
        signature = sign(signed_procedure, data, test_pki[signer])
        submitted = {**data, "participants": 2} if tamper else data
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(
                procedure=signed_procedure, data=submitted, signature=signature
            )
        assert error.value.message_dict["signature"] == [MESSAGES[code]]
        assert Application.objects.count() == 0 and ApplicationSignature.objects.count() == 0

    def test_missing_or_garbage_signatures(self, signed_procedure):
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(procedure=signed_procedure, data=event_data())
        assert "電子署名が必要です" in error.value.message_dict["signature"][0]
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(
                procedure=signed_procedure, data=event_data(), signature=b"\x30\x82junk"
            )
        assert error.value.message_dict["signature"] == [MESSAGES["malformed"]]

    def test_a_signature_for_another_procedure_is_refused(
        self, trusted, signed_procedure, test_pki
    ):
        other = published_procedure(trusted, name="別の手続", needs_signature=True)
        data = event_data()
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(
                procedure=other,
                data=data,
                signature=sign(signed_procedure, data, test_pki["valid"]),
            )
        assert error.value.message_dict["signature"] == [MESSAGES["data_changed"]]

    def test_without_a_crl_revocation_cannot_be_established(self, ise, test_pki):
        from jichitai.signatures import services

        services.add_trust_anchor(
            actor=None, organization=ise, name="CA", data=test_pki["ca"].certificate_pem.encode()
        )
        procedure = published_procedure(ise, needs_signature=True)
        data = event_data()
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(
                procedure=procedure, data=data, signature=sign(procedure, data, test_pki["valid"])
            )
        assert error.value.message_dict["signature"] == [MESSAGES["no_revocation"]]

    def test_another_organizations_trust_does_not_count(self, ise, test_pki):
        procedure = published_procedure(ise, needs_signature=True)
        data = event_data()
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.submit_application(
                procedure=procedure, data=data, signature=sign(procedure, data, test_pki["valid"])
            )
        assert error.value.message_dict["signature"] == [MESSAGES["no_trust"]]


@pytest.mark.django_db
def test_the_api_takes_the_signature_in_a_header(signed_procedure, test_pki):
    data = event_data()
    url = f"/api/v1/o/{signed_procedure.organization.code}/procedures/{signed_procedure.pk}/applications"
    detail = Client().get(url.rsplit("/", 1)[0]).json()
    assert detail["needs_signature"] is True
    unsigned = Client().post(url, data, content_type="application/json")
    assert (
        unsigned.status_code == 422
        and "電子署名が必要です" in unsigned.json()["errors"]["signature"][0]
    )
    signature = base64.b64encode(sign(signed_procedure, data, test_pki["revoked"])).decode()
    revoked = Client().post(url, data, content_type="application/json", HTTP_X_SIGNATURE=signature)
    assert revoked.json()["errors"]["signature"] == [MESSAGES["revoked"]]
    signature = base64.b64encode(sign(signed_procedure, data, test_pki["valid"])).decode()
    accepted = Client().post(url, data, content_type="application/json", HTTP_X_SIGNATURE=signature)
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_the_command_line_signer_makes_an_acceptable_signature(
    signed_procedure, test_pki, tmp_path
):
    data = event_data()
    (tmp_path / "key.pem").write_text(test_pki["valid"].key_pem)
    (tmp_path / "cert.pem").write_text(test_pki["valid"].certificate_pem)
    (tmp_path / "data.json").write_text(json.dumps(data, ensure_ascii=False))
    call_command(
        "sign_application",
        key=str(tmp_path / "key.pem"),
        cert=str(tmp_path / "cert.pem"),
        procedure=f"{signed_procedure.organization.code}/{signed_procedure.pk}",
        form_version=1,
        data=str(tmp_path / "data.json"),
        output=str(tmp_path / "application.p7s"),
    )
    signature = (tmp_path / "application.p7s").read_bytes()
    assert procedures.submit_application(
        procedure=signed_procedure, data=data, signature=signature
    ).created


@pytest.mark.django_db
def test_signed_pdf_attachments_are_verified_with_pyhanko(trusted, test_pki, tmp_path):
    from jichitai.signatures.tests.signing import signed_pdf

    good = signed_pdf(test_pki["valid"], test_pki["ca"])
    application = application_with_pdf(trusted, good, "signed.pdf")
    [result] = application.files.get().pdf_signatures.all()
    assert result.valid and result.trusted and result.intact
    assert "有効な署名" in result.summary and "三重 花子" in result.summary
    application = application_with_pdf(trusted, signed_pdf(test_pki["stranger"], None), "other.pdf")
    [result] = application.files.get().pdf_signatures.all()
    assert not result.trusted and "信頼できない証明書" in result.summary


@pytest.mark.django_db
def test_an_attached_pdf_with_a_document_timestamp_is_accepted_and_reported(trusted, test_pki):
    """Long-term signing software and electronic contract services add a document timestamp
    after the signature; the application it is attached to is received, with both reported."""
    from datetime import UTC, datetime

    from jichitai.signatures.tests.signing import signed_and_stamped

    stamped = signed_and_stamped(test_pki, tsa="tsa", tsa_ca="ca", at=datetime.now(UTC))
    application = application_with_pdf(trusted, stamped)
    summaries = [result.summary for result in application.files.get().pdf_signatures.all()]
    assert summaries[0] == "有効な署名(三重 花子)"
    assert summaries[1].startswith("文書タイムスタンプ(テスト時刻認証局、令和")


@pytest.mark.django_db
class TestResubmission:
    """A returned application is corrected under the same checks as a new one."""

    @pytest.fixture
    def returned(self, signed_procedure, test_pki, tsu_admin):
        data = event_data()
        application = procedures.submit_application(
            procedure=signed_procedure,
            data=data,
            signature=sign(signed_procedure, data, test_pki["valid"]),
        ).application
        return procedures.change_status(
            actor=tsu_admin,
            application=application,
            to_status=Application.Status.RETURNED,
            message="人数を確認してください。",
        )

    def test_a_correction_needs_a_signature_over_the_corrected_data(
        self, signed_procedure, returned, test_pki
    ):
        corrected = event_data(participants=2)
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.resubmit(application=returned, data=corrected)
        assert "電子署名が必要です" in error.value.message_dict["signature"][0]
        with pytest.raises(procedures.ApplicationInvalid) as error:
            procedures.resubmit(
                application=returned,
                data=corrected,
                signature=sign(signed_procedure, event_data(), test_pki["valid"]),
            )
        assert error.value.message_dict["signature"] == [MESSAGES["data_changed"]]
        returned.refresh_from_db()
        assert returned.status == "returned" and returned.persons == 1
        application = procedures.resubmit(
            application=returned,
            data=corrected,
            signature=sign(signed_procedure, corrected, test_pki["valid"]),
        )
        assert application.status == "received" and application.persons == 2
        record = ApplicationSignature.objects.get(application=application)
        assert bytes(record.signed_content) == canonical_content(
            signed_procedure, signed_procedure.current_version.number, corrected
        )

    def test_the_staff_page_never_shows_an_old_verification_over_changed_data(
        self, signed_procedure, returned, tsu_admin, login
    ):
        # The procedure stops requiring signatures; the correction then carries none.
        procedures.update_procedure(
            actor=tsu_admin, procedure=signed_procedure, needs_signature=False
        )
        application = procedures.resubmit(application=returned, data=event_data(participants=2))
        page = (
            login(tsu_admin)
            .get(f"/s/{signed_procedure.organization.code}/inbox/{application.pk}/")
            .content.decode()
        )
        assert "検証済み" not in page
        assert "署名のあとで申請内容が変更されています" in page

    def test_an_unchanged_signed_application_shows_as_verified(
        self, signed_procedure, returned, tsu_admin, login
    ):
        page = (
            login(tsu_admin)
            .get(f"/s/{signed_procedure.organization.code}/inbox/{returned.pk}/")
            .content.decode()
        )
        assert "検証済み" in page

    def test_the_status_page_takes_the_corrected_datas_signature(
        self, signed_procedure, returned, test_pki
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        url = (
            f"/o/{signed_procedure.organization.code}/status/"
            f"{returned.receipt_number}/{returned.status_token}/"
        )
        corrected = {
            "applicant__family": "三重",
            "applicant__given": "太郎0",
            "applicant__family_kana": "ミエ",
            "applicant__given_kana": "タロウ",
            "email": "taro0@example.jp",
            "participants": "2",
            "agree": "on",
        }
        client = Client()
        unsigned = client.post(url, {**corrected, "_action": "resubmit"})
        assert unsigned.status_code == 422
        assert "電子署名が必要です" in unsigned.content.decode()
        content = client.post(url, {**corrected, "_action": "signing_content"})
        assert content["Content-Type"] == "application/json"
        signature = pki.sign_detached(content.content, test_pki["valid"])
        signed = client.post(
            url,
            {
                **corrected,
                "_action": "resubmit",
                "signature": SimpleUploadedFile("application.p7s", signature),
            },
        )
        assert signed.status_code == 302
        returned.refresh_from_db()
        assert returned.status == "received" and returned.persons == 2
        assert returned.signature.covers(returned)


@pytest.mark.django_db
def test_a_pdf_with_several_signatures_is_named_once_with_each_verdict_under_it(
    trusted, test_pki, tsu_admin, login
):
    from jichitai.signatures.tests.signing import signed_again, signed_pdf

    twice = signed_again(
        signed_pdf(test_pki["valid"], test_pki["ca"]), test_pki["stranger"], None, "Signature2"
    )
    application = application_with_pdf(trusted, twice)
    page = login(tsu_admin).get(f"/s/{trusted.code}/inbox/{application.pk}/").content.decode()
    panel = page[page.index("添付 PDF の電子署名") :]
    assert panel.count("契約書.pdf") == 1
    assert panel.index("有効な署名(三重 花子)") < panel.index(
        "信頼できない証明書による署名です(他人 次郎)"
    )


@pytest.mark.django_db(transaction=True)
def test_attached_pdfs_are_verified_before_the_submissions_transaction_opens(
    trusted, test_pki, monkeypatch
):
    """pyHanko takes tens of milliseconds a signature; inside the transaction that would hold
    the database's write lock (SQLite's, for every other resident) as long."""
    from django.db import connection

    from jichitai.signatures import services
    from jichitai.signatures.tests.signing import signed_pdf

    in_transaction = []
    verify = services.verify_pdf

    def verify_watching_the_transaction(*args, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return verify(*args, **kwargs)

    monkeypatch.setattr(services, "verify_pdf", verify_watching_the_transaction)
    application = application_with_pdf(trusted, signed_pdf(test_pki["valid"], test_pki["ca"]))
    assert in_transaction == [False]
    [kept] = application.files.get().pdf_signatures.all()
    assert kept.verdict == "valid"


@pytest.mark.django_db
def test_an_administrator_is_led_from_an_untrusted_pdf_signature_to_the_trust_settings(
    trusted, test_pki, tsu_admin, tsu_clerk, login
):
    from jichitai.signatures.tests.signing import signed_pdf

    application = application_with_pdf(trusted, signed_pdf(test_pki["stranger"], None))
    url = f"/s/{trusted.code}/inbox/{application.pk}/"
    settings_link = f'href="/s/{trusted.code}/signatures/"'
    assert settings_link in login(tsu_admin).get(url).content.decode()
    # A clerk cannot change what the organization trusts: nothing to follow.
    assert settings_link not in login(tsu_clerk).get(url).content.decode()
