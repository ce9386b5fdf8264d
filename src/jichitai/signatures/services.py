"""Administering trust (anchors and CRLs) and recording verified signatures."""

from collections.abc import Callable
from typing import TypeVar

from asn1crypto import pem
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.models import Application, ApplicationFile
from jichitai.procedures.registry import Candidate
from jichitai.signatures import selectors
from jichitai.signatures.canonical import data_sha256
from jichitai.signatures.crl_checks import checked_crl
from jichitai.signatures.models import (
    ApplicationSignature,
    AttachmentSignature,
    RevocationList,
    TrustAnchor,
)
from jichitai.signatures.pades import PdfSignatureResult, verify_pdf
from jichitai.signatures.verification import (
    SignatureRejected,
    VerifiedSignature,
    applicant_check,
)
from jichitai.tenancy.models import Organization

NOT_A_CERTIFICATE = gettext_lazy(
    "認証局の証明書として読み取れません。PEM 形式(「-----BEGIN CERTIFICATE-----」で始まるテキスト)"
    "、DER 形式(.cer、.crt、.der)か PKCS#7 形式(.p7b)の証明書ファイルを選んでください。"
)
NOT_A_CRL = gettext_lazy(
    "失効リスト(CRL)として読み取れません。PEM 形式(「-----BEGIN X509 CRL-----」で始まるテキスト)"
    "か DER 形式(.crl)の CRL ファイルを選んでください。"
)

Loaded = TypeVar("Loaded")


def _pem_or_der(
    data: bytes, load_pem: Callable[[bytes], Loaded], load_der: Callable[[bytes], Loaded]
) -> Loaded | None:
    """What ``cryptography`` reads from ``data`` in whichever of the two encodings it is in (the
    file's extension says nothing reliable: CAs publish DER as .cer and PEM as .crt alike)."""
    load = load_pem if pem.detect(data) else load_der
    try:
        return load(data)
    except (ValueError, UnsupportedAlgorithm):  # also PKCS#7 of another content than certificates
        return None


def _certificates_in(data: bytes) -> list[x509.Certificate]:
    """Every certificate ``data`` holds: one in PEM or DER, several PEM blocks one after the
    other, or a PKCS#7 bundle (.p7b, as some CAs publish theirs) in either encoding."""
    return (
        _pem_or_der(
            data, x509.load_pem_x509_certificates, lambda der: [x509.load_der_x509_certificate(der)]
        )
        or _pem_or_der(data, pkcs7.load_pem_pkcs7_certificates, pkcs7.load_der_pkcs7_certificates)
        or []
    )


def _certificate_from(data: bytes) -> x509.Certificate:
    certificates = _certificates_in(data)
    if not certificates:
        raise ValidationError({"file": NOT_A_CERTIFICATE})
    if len(certificates) > 1:
        # A chain file holds a signer's or an intermediate certificate beside the CA's: taking
        # the first alone would trust what the administrator did not choose.
        names = "、".join(_common_name(certificate) for certificate in certificates)
        raise ValidationError(
            {
                "file": _(
                    "このファイルには証明書が %(count)s 枚入っています(%(names)s)。"
                    "信頼する認証局の証明書だけのファイルを選んでください。"
                )
                % {"count": len(certificates), "names": names}
            }
        )
    return certificates[0]


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def _crl_from(data: bytes) -> x509.CertificateRevocationList:
    crl = _pem_or_der(data, x509.load_pem_x509_crl, x509.load_der_x509_crl)
    if crl is not None:
        return crl
    if _pem_or_der(data, x509.load_pem_x509_certificate, x509.load_der_x509_certificate):
        raise ValidationError(
            {
                "file": _(
                    "これは証明書のファイルです。ここには認証局が公開している失効リスト(CRL)を登録します。"
                    "認証局の証明書は上の「信頼する認証局」で登録してください。"
                )
            }
        )
    raise ValidationError({"file": NOT_A_CRL})


@transaction.atomic
def add_trust_anchor(
    *, actor: User, organization: Organization, name: str, data: bytes
) -> TrustAnchor:
    certificate = _certificate_from(data)
    try:
        is_ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    except (x509.DuplicateExtension, ValueError):
        raise ValidationError(
            {
                "file": _(
                    "証明書の拡張領域を読み取れません(同じ拡張が二度書かれているなど)。認証局が公開している証明書を、そのまま選んでください。"
                )
            }
        ) from None
    if not is_ca:
        raise ValidationError(
            {
                "file": _(
                    "認証局(CA)の証明書ではありません。署名者の証明書ではなく、発行元の認証局の証明書を登録してください。"
                )
            }
        )
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    if selectors.trust_anchors(organization).filter(fingerprint=fingerprint).exists():
        raise ValidationError({"file": _("この証明書はすでに登録されています。")})
    anchor = TrustAnchor.objects.create(
        organization=organization,
        name=name,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        subject=certificate.subject.rfc4514_string(),
        fingerprint=fingerprint,
        not_after=certificate.not_valid_after_utc,
        uploaded_by=actor,
    )
    audit.record_created(instance=anchor, fields=["name", "subject", "fingerprint"], actor=actor)
    return anchor


@transaction.atomic
def add_revocation_list(*, actor: User, organization: Organization, data: bytes) -> RevocationList:
    crl = _crl_from(data)
    anchors = [
        x509.load_pem_x509_certificate(anchor.certificate_pem.encode())
        for anchor in selectors.trust_anchors(organization)
    ]
    der = checked_crl(crl, anchors)
    revocation_list = RevocationList.objects.create(
        organization=organization,
        issuer=crl.issuer.rfc4514_string(),
        crl_der=der,
        this_update=crl.last_update_utc,
        next_update=crl.next_update_utc,
        revoked_count=len(list(crl)),
        uploaded_by=actor,
    )
    audit.record(
        action="signatures.crl.uploaded",
        actor=actor,
        target=revocation_list,
        summary=f"{revocation_list.issuer} 失効 {revocation_list.revoked_count} 件",
    )
    return revocation_list


@transaction.atomic
def remove_trust_anchor(*, actor: User, anchor: TrustAnchor) -> None:
    audit.record(
        action="signatures.trust_anchor.removed", actor=actor, target=anchor, summary=anchor.subject
    )
    anchor.delete()


def accept_application_signature(
    *, candidate: Candidate
) -> Callable[[Application], ApplicationSignature] | None:
    """Acceptance check: a procedure that needs signatures accepts data (new or corrected) only
    with the applicant's signature over the canonical content of exactly that data."""
    procedure = candidate.procedure
    if not procedure.signature_check:
        return None
    signature = candidate.evidence.get("signature")
    if not signature:
        raise ValidationError(
            {
                "signature": [
                    _("この手続には電子署名が必要です。署名ファイル(.p7s)を添付してください。")
                ]
            }
        )
    content = canonical_content(procedure, candidate.version.number, candidate.data)
    try:
        check = applicant_check(procedure.signature_check)
        verified = check.verify(
            procedure.organization, content, signature, received_at=timezone.now()
        )
    except SignatureRejected as rejection:
        raise ValidationError({"signature": [rejection.message]}) from None
    return lambda application: record_signature(
        application=application,
        check=check.name,
        content=content,
        signature=signature,
        verified=verified,
    )


def record_signature(
    *,
    application: Application,
    check: str,
    content: bytes,
    signature: bytes,
    verified: VerifiedSignature,
) -> ApplicationSignature:
    """Called inside the submission's (or resubmission's) transaction; a corrected application's
    new signature replaces the one over its old data."""
    signed, _created = ApplicationSignature.objects.update_or_create(
        application=application,
        defaults={
            "check_name": check,
            "signed_content": content,
            "signature_der": signature,
            "signer_name": verified.signer_name,
            "signer_serial": verified.signer_serial,
            "issuer": verified.issuer,
            "signing_time": verified.signing_time,
            "received_at": verified.received_at,
            "validation_time": verified.validation_time,
            "timestamped": verified.timestamped,
            "verified_at": timezone.now(),
            "data_sha256": data_sha256(application.data),
        },
    )
    return signed


def verify_pdf_attachments(
    *, candidate: Candidate
) -> Callable[[Application], list[list[AttachmentSignature]]] | None:
    """Acceptance check: PDFs attached now have their embedded signatures verified and the result
    kept beside them (an invalid one is shown to staff, not refused). They are verified here,
    before the submission's transaction opens: pyHanko takes tens of milliseconds a signature,
    which inside it would hold the database's write lock as long; only the results are written
    in it."""
    pdfs = [f for f in candidate.files.values() if f.original_name.lower().endswith(".pdf")]
    if not pdfs:
        return None
    verified = [(stored, _verify_stored_pdf(stored)) for stored in pdfs]
    return lambda application: [_keep_pdf_results(stored, results) for stored, results in verified]


@transaction.atomic
def reverify_signature(*, actor: User, signature: ApplicationSignature) -> ApplicationSignature:
    """Verifies a kept signature again over the content it signed, with the organization's current
    trust anchors and CRLs, at the time the platform originally received it (or at its trusted
    timestamp): a certificate revoked after receipt does not spoil it, one revoked before does.
    The outcome is kept on the record and in the audit log."""
    application = signature.application
    try:
        verified = applicant_check(signature.check_name).verify(
            application.organization,
            bytes(signature.signed_content),
            bytes(signature.signature_der),
            received_at=signature.received_at,
        )
    except SignatureRejected as rejection:
        # A record staff share: written in the platform's language, not in that of who asked.
        with translation.override(settings.LANGUAGE_CODE):
            signature.recheck_passed, signature.recheck_message = False, str(rejection.message)
    else:
        signature.recheck_passed = True
        signature.recheck_message = (
            "タイムスタンプの時刻の時点で有効です。"
            if verified.timestamped
            else "受信日時の時点で有効です。"
        )
        signature.signer_name, signature.issuer = verified.signer_name, verified.issuer
    signature.rechecked_at = timezone.now()
    signature.save(
        update_fields=[
            "recheck_passed",
            "recheck_message",
            "rechecked_at",
            "signer_name",
            "issuer",
        ]
    )
    audit.record(
        action="signatures.signature.reverified",
        actor=actor,
        organization=application.organization,
        target=application,
        summary=f"電子署名の再検証: {signature.recheck_message}",
    )
    return signature


def reverify_pdf_attachments(*, actor: User, application: Application) -> list[AttachmentSignature]:
    """Verifies the signed PDFs of an application again from storage, with the organization's
    current trust anchors and CRLs, each at the time it was received: a CA registered after the
    PDF arrived now counts, a certificate revoked after receipt does not spoil it. The new
    verdicts replace the old ones; the change is in the audit log. PDFs are read and verified
    before the transaction that writes the verdicts opens, as on submission."""
    files = selectors.signed_pdf_files(application)
    if not files:
        return []
    verified = [(stored, _verify_stored_pdf(stored)) for stored in files]
    with transaction.atomic():
        changes = {}
        kept: list[AttachmentSignature] = []
        for stored, results in verified:
            before = [old.verdict for old in stored.pdf_signatures.all()]
            stored.pdf_signatures.all().delete()
            kept += _keep_pdf_results(stored, results)
            changes[stored.original_name] = [before, [result.verdict for result in results]]
        audit.record(
            action="signatures.attachments.reverified",
            actor=actor,
            organization=application.organization,
            target=application,
            changes=changes,
            summary="添付 PDF の電子署名の再検証: " + "、".join(changes),
        )
    return kept


def _verify_stored_pdf(stored_file: ApplicationFile) -> list[PdfSignatureResult]:
    with stored_file.file.open("rb") as handle:
        content = handle.read()
    return verify_pdf(stored_file.organization, content, received_at=stored_file.created_at)


def _keep_pdf_results(
    stored_file: ApplicationFile, results: list[PdfSignatureResult]
) -> list[AttachmentSignature]:
    """Keeps the verdicts on a PDF attachment's signatures beside the file."""
    # Kept for staff in the platform's language, whichever language the applicant read.
    with translation.override(settings.LANGUAGE_CODE):
        summaries = [str(result.summary)[:500] for result in results]
    return [
        AttachmentSignature.objects.create(
            file=stored_file,
            field_name=result.field_name or "",
            valid=result.valid,
            trusted=result.trusted,
            intact=result.intact,
            signer_name=result.signer_name[:500],
            signing_time=result.signing_time,
            verdict=result.verdict,
            summary=summary,
        )
        for result, summary in zip(results, summaries, strict=True)
    ]


def erase_signatures(*, application: Application) -> None:
    """Erasure hook (``procedures.registry.erasure_hooks``): the signed content and the signer's
    certificate details are the applicant's personal data."""
    signature = selectors.kept_signature(application)
    if signature is not None:
        signature.delete()
