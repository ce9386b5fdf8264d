"""The trust settings page: an administrator registers CA certificates and CRLs in the form a CA
publishes them — PEM or DER (.cer / .crt / .der / .crl) — and anything else is refused with a
message that says what was expected."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import CRLEntryExtensionOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jichitai.signatures import pki
from jichitai.signatures.models import RevocationList, TrustAnchor
from jichitai.tenancy.models import Role


@pytest.fixture
def admin(tsu, make_member, login):
    return login(make_member(tsu, Role.ADMIN))


def _url(organization):
    return reverse("signatures:trust", kwargs={"org_code": organization.code})


def _upload_anchor(client, organization, name, data):
    return client.post(
        _url(organization),
        {
            "kind": "anchor",
            "anchor-name": "テスト署名用認証局",
            "anchor-file": SimpleUploadedFile(name, data),
        },
    )


def _upload_crl(client, organization, name, data):
    return client.post(
        _url(organization), {"kind": "crl", "crl-file": SimpleUploadedFile(name, data)}
    )


@pytest.mark.django_db
class TestFormats:
    @pytest.mark.parametrize("name", ["ca.cer", "ca.der", "ca.crt"])
    def test_a_der_certificate_is_registered(self, admin, tsu, test_pki, name):
        der = test_pki["ca"].certificate.public_bytes(serialization.Encoding.DER)
        response = _upload_anchor(admin, tsu, name, der)
        assert response.status_code == 302
        assert TrustAnchor.objects.get(organization=tsu).certificate_pem == (
            test_pki["ca"].certificate_pem
        )

    def test_a_pem_certificate_is_registered(self, admin, tsu, test_pki):
        response = _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        assert response.status_code == 302 and TrustAnchor.objects.filter(organization=tsu)

    @pytest.mark.parametrize("name", ["ca.crl", "ca-crl.der"])
    def test_a_der_crl_is_registered(self, admin, tsu, test_pki, name):
        _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        response = _upload_crl(admin, tsu, name, test_pki["crl"])
        assert response.status_code == 302
        assert RevocationList.objects.get(organization=tsu).revoked_count == 1

    def test_a_pem_crl_is_registered(self, admin, tsu, test_pki):
        from cryptography import x509

        _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        crl_pem = x509.load_der_x509_crl(test_pki["crl"]).public_bytes(serialization.Encoding.PEM)
        response = _upload_crl(admin, tsu, "ca.crl", crl_pem)
        assert response.status_code == 302 and RevocationList.objects.filter(organization=tsu)


@pytest.mark.django_db
class TestGarbage:
    @pytest.mark.parametrize("encoding", [serialization.Encoding.DER, serialization.Encoding.PEM])
    def test_a_pkcs7_bundle_holding_the_ca_certificate_is_registered(
        self, admin, tsu, test_pki, encoding
    ):
        """Some CAs publish their certificate as a PKCS#7 bundle (.p7b)."""
        from cryptography.hazmat.primitives.serialization import pkcs7

        bundle = pkcs7.serialize_certificates([test_pki["ca"].certificate], encoding)
        response = _upload_anchor(admin, tsu, "ca.p7b", bundle)
        assert response.status_code == 302
        assert TrustAnchor.objects.get(organization=tsu).certificate_pem == (
            test_pki["ca"].certificate_pem
        )

    def test_a_file_of_several_certificates_is_refused_naming_them(self, admin, tsu, test_pki):
        """A chain file holds the signer's or an intermediate certificate beside the CA's:
        registering the first one alone would trust what the administrator did not choose."""
        chain = (test_pki["valid"].certificate_pem + test_pki["ca"].certificate_pem).encode()
        response = _upload_anchor(admin, tsu, "chain.pem", chain)
        assert response.status_code == 422
        page = response.content.decode()
        assert "このファイルには証明書が 2 枚入っています(三重 花子、テスト署名用認証局)" in page
        assert not TrustAnchor.objects.exists()

    @pytest.mark.parametrize(
        "data", [b"\x30\x82\x01\x00" + b"\x00" * 40, b"hello, not a certificate", b"\x00\x01\x02"]
    )
    def test_a_file_that_is_no_certificate_is_refused_with_what_was_expected(
        self, admin, tsu, data
    ):
        response = _upload_anchor(admin, tsu, "ca.cer", data)
        assert response.status_code == 422
        page = response.content.decode()
        assert "認証局の証明書として読み取れません" in page
        assert "PEM" in page and "DER" in page
        assert not TrustAnchor.objects.exists()
        assert "テスト署名用認証局" in page  # the name typed stays in the form

    def test_a_pkcs7_file_holding_data_rather_than_certificates_is_refused(self, admin, tsu):
        """PKCS#7 of content type 「data」 (no certificates in it), in DER and in PEM."""
        data_content_info = bytes.fromhex("300f06092a864886f70d010701a0020400")
        pem_data = (
            b"-----BEGIN PKCS7-----\n"
            + base64.encodebytes(data_content_info)
            + b"-----END PKCS7-----\n"
        )
        for data in (data_content_info, pem_data):
            response = _upload_anchor(admin, tsu, "ca.p7b", data)

            assert response.status_code == 422
            assert "認証局の証明書として読み取れません" in response.content.decode()
        assert not TrustAnchor.objects.exists()

    def test_a_certificate_with_an_extension_given_twice_is_refused(self, admin, tsu, test_pki):
        """RFC 5280 allows each extension once; a certificate naming BasicConstraints twice
        cannot say whether it is a CA's."""
        certificate = asn1_x509.Certificate.load(
            test_pki["ca"].certificate.public_bytes(serialization.Encoding.DER)
        )
        extensions = certificate["tbs_certificate"]["extensions"]
        basic = next(e for e in extensions if e["extn_id"].native == "basic_constraints")
        extensions.append(asn1_x509.Extension.load(basic.dump()))
        twice = asn1_x509.Certificate(
            {
                "tbs_certificate": asn1_x509.TbsCertificate.load(
                    certificate["tbs_certificate"].dump(force=True)
                ),
                "signature_algorithm": certificate["signature_algorithm"],
                "signature_value": certificate["signature_value"],
            }
        ).dump()

        response = _upload_anchor(admin, tsu, "ca.cer", twice)

        assert response.status_code == 422
        assert "同じ拡張" in response.content.decode()
        assert not TrustAnchor.objects.exists()

    def test_a_file_that_is_no_crl_is_refused_with_what_was_expected(self, admin, tsu, test_pki):
        _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        response = _upload_crl(admin, tsu, "ca.crl", b"\x30\x03\x02\x01\x01")
        assert response.status_code == 422
        page = response.content.decode()
        assert "失効リスト(CRL)として読み取れません" in page and "DER" in page
        assert not RevocationList.objects.exists()

    def test_a_certificate_given_as_the_crl_is_named_for_what_it_is(self, admin, tsu, test_pki):
        _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        response = _upload_crl(admin, tsu, "ca.crl", test_pki["ca"].certificate_pem.encode())
        assert response.status_code == 422
        assert "証明書のファイルです" in response.content.decode()

    def test_an_empty_or_oversized_file_is_refused(self, admin, tsu):
        assert "空" in _upload_anchor(admin, tsu, "ca.cer", b"").content.decode()
        oversized = _upload_anchor(admin, tsu, "ca.cer", b"0" * (1024 * 1024 + 1))
        assert oversized.status_code == 422 and "大きすぎます" in oversized.content.decode()

    def test_a_crl_of_another_ca_is_refused(self, admin, tsu, test_pki):
        _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        other = pki.make_crl(test_pki["stranger_ca"])
        response = _upload_crl(admin, tsu, "other.crl", other)
        assert response.status_code == 422
        assert "登録されている認証局のどれでもありません" in response.content.decode()

    def test_a_crl_whose_entry_cannot_be_read_is_refused_not_blamed_on_signatures_later(
        self, admin, tsu, test_pki
    ):
        """An entry with a revocation reason outside the standard's list: registered, it would
        make every signature of that certificate read as a damaged signature file."""
        _upload_anchor(admin, tsu, "ca.pem", test_pki["ca"].certificate_pem.encode())
        crl = _crl_with_reason_code(test_pki["ca"], test_pki["revoked"].certificate, 99)
        response = _upload_crl(admin, tsu, "ca.crl", crl)
        assert response.status_code == 422
        assert "CRL の項目を読み取れません" in response.content.decode()
        assert not RevocationList.objects.filter(organization=tsu).exists()


def _crl_with_reason_code(ca, revoked, code: int) -> bytes:
    """A CRL signed by ``ca`` listing ``revoked`` with the reasonCode ``code`` written as is."""
    now = datetime.now(UTC)
    entry = (
        x509.RevokedCertificateBuilder()
        .serial_number(revoked.serial_number)
        .revocation_date(now - timedelta(minutes=1))
        .add_extension(
            x509.UnrecognizedExtension(CRLEntryExtensionOID.CRL_REASON, bytes([10, 1, code])),
            critical=False,
        )
        .build()
    )
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + timedelta(days=7))
        .add_revoked_certificate(entry)
        .sign(ca.key, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )


@pytest.mark.django_db
def test_removing_a_ca_first_says_which_procedures_will_refuse_signed_applications(admin, trusted):
    from jichitai.procedures.tests.factories import published_procedure

    signed = published_procedure(
        trusted, name="納税証明書の交付申請(電子署名)", needs_signature=True
    )
    published_procedure(trusted, name="市民講座の参加申込")
    anchor = TrustAnchor.objects.get(organization=trusted)
    confirm = reverse(
        "signatures:anchor_remove", kwargs={"org_code": trusted.code, "anchor_id": anchor.pk}
    )
    assert f'href="{confirm}"' in admin.get(_url(trusted)).content.decode()

    page = admin.get(confirm).content.decode()
    assert "「テスト署名用認証局」の登録を解除" in page
    assert signed.name in page and "市民講座の参加申込" not in page
    assert "登録されている認証局はこれだけです" in page
    assert TrustAnchor.objects.filter(pk=anchor.pk).exists()

    assert admin.post(confirm).status_code == 302
    assert not TrustAnchor.objects.filter(pk=anchor.pk).exists()


@pytest.mark.django_db
def test_a_file_that_is_neither_is_refused_in_the_language_of_the_page(admin, tsu):
    admin.cookies["django_language"] = "en"
    certificate = _upload_anchor(admin, tsu, "ca.cer", b"hello").content.decode()
    assert "cannot be read as a CA certificate" in certificate
    crl = _upload_crl(admin, tsu, "ca.crl", b"hello").content.decode()
    assert "cannot be read as a certificate revocation list (CRL)" in crl
