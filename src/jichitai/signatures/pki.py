"""A small certification authority for the demo and the tests: a CA, signer certificates (valid,
expired, revoked, for the wrong purpose), a time-stamping authority and CRLs, made with
``cryptography``. Production trust anchors are real CAs' certificates uploaded by an administrator;
this only stands in for them."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto.core import UTF8String
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from jichitai.signatures.verification import JPKI_HOLDER_NAME


@dataclass
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def key_pem(self) -> str:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "jichitai test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_ca(common_name: str = "テスト署名用認証局", *, days: int = 3650) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(certificate, key)


def issue(
    ca: Issued,
    common_name: str,
    *,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    for_signing: bool = True,
    for_time_stamping: bool = False,
    card_holder_name: str | None = None,
) -> Issued:
    """A certificate for ``common_name`` signed by ``ca``. With ``card_holder_name`` it is made as
    a マイナンバーカード's 署名用電子証明書: ``common_name`` is then the opaque identifier its
    subject carries, and the holder's name is in subjectAltName (``JPKI_HOLDER_NAME``)."""
    # A time-stamping authority signs with RSA, as the ones in service do (and pyHanko's test time
    # stamper requires); signers use ECDSA keys.
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if for_time_stamping
        else ec.generate_private_key(ec.SECP256R1())
    )
    now = datetime.now(UTC)
    usage = (
        x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        if for_signing
        else x509.KeyUsage(False, False, True, False, True, False, False, False, False)
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    if card_holder_name is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.OtherName(
                        ObjectIdentifier(JPKI_HOLDER_NAME), UTF8String(card_holder_name).dump()
                    )
                ]
            ),
            critical=False,
        )
    if for_time_stamping:
        # RFC 3161 §2.3: a time-stamping authority's certificate has only this purpose, critical.
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def make_crl(
    ca: Issued,
    revoked: list[x509.Certificate] = (),
    *,
    days: int = 7,
    issued_at: datetime | None = None,
    revoked_at: datetime | None = None,
) -> bytes:
    """A CRL issued at ``issued_at`` (five minutes ago by default), next updated ``days`` later,
    listing ``revoked`` as revoked at ``revoked_at`` (a minute ago by default)."""
    now = datetime.now(UTC)
    issued_at = issued_at or now - timedelta(minutes=5)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(issued_at)
        .next_update(issued_at + timedelta(days=days))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    for certificate in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(revoked_at or now - timedelta(minutes=1))
            .build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def sign_detached(content: bytes, signer: Issued, chain: list[x509.Certificate] = ()) -> bytes:
    """A detached CMS SignedData (DER) over ``content``, as JPKI signing software makes."""
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(signer.certificate, signer.key, hashes.SHA256())
    )
    for certificate in chain:
        builder = builder.add_certificate(certificate)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
