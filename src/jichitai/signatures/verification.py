"""Verifying signatures: applicants' CMS signatures (detached or attached) over the canonical
application content with pyHanko against the organization's own trust anchors and uploaded CRLs
— offline, nothing is fetched — and what the check of signed PDF attachments (``pades``) shares
with it: the trust, and the time a certificate is validated at."""

import asyncio
import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from asn1crypto import cms, pem
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext_lazy as _

from jichitai.signatures import selectors
from jichitai.signatures.registry import signature_checks

if TYPE_CHECKING:
    from django.utils.functional import Promise
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

CLOCK_SKEW = timedelta(minutes=10)
# The parts of a CMS SignerInfo its signature value covers or identifies it by.
SIGNED_PARTS = ("sid", "digest_algorithm", "signed_attrs", "signature_algorithm", "signature")


# pyHanko is imported by the functions that verify, on the first signature a process checks, not
# by every process that starts (it is large, and most requests never need it).
@cache
def signing_usage() -> "KeyUsageConstraints":
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(
        key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
    )


class SignatureRejected(Exception):
    """A signature that cannot be accepted; ``message`` is for the applicant, in the language
    active where it is shown (the resident's, on the confirmation page)."""

    def __init__(self, message: "str | Promise", code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def display_name(subject: asn1_x509.Name) -> str:
    """Who a certificate's subject or issuer is, as a person reads it: the common name, else the
    organization, else the whole name."""
    attributes = subject.native
    for kind in ("common_name", "organization_name"):
        value = attributes.get(kind)
        if value:
            # An attribute given more than once comes as a list.
            return " ".join(value) if isinstance(value, list) else value
    return subject.human_friendly


# 公的個人認証 (JPKI): the 署名用電子証明書 of a マイナンバーカード carries an opaque identifier as
# its subject's CN and the holder's 氏名 in subjectAltName as an otherName of this type (J-LIS
# certificate profile). The other 基本4情報 beside it — birth date, sex, address — are not read.
JPKI_HOLDER_NAME = "1.2.392.200149.8.5.5.1"


def signer_name(certificate: asn1_x509.Certificate) -> str:
    """Who signed, as staff read it: the holder's name a JPKI certificate carries, else the
    subject's ``display_name``."""
    for general_name in certificate.subject_alt_name_value or []:
        if (
            general_name.name == "other_name"
            and general_name.chosen["type_id"].dotted == JPKI_HOLDER_NAME
        ):
            try:
                holder = general_name.chosen["value"].native
            except ValueError:
                continue
            if isinstance(holder, str) and holder.strip():
                return holder.strip()
    return display_name(certificate.subject)


@dataclass(frozen=True)
class VerifiedSignature:
    signer_name: str
    signer_serial: str
    issuer: str
    # What the signer's software wrote into the signature; shown, never used to validate.
    signing_time: datetime | None
    # When the platform received the signature: the latest time validation may happen at.
    received_at: datetime
    # The time the certificate was validated at: ``received_at``, or the time of a trusted
    # RFC 3161 timestamp on the signature when one verifies.
    validation_time: datetime
    timestamped: bool


@dataclass(frozen=True)
class SignatureCheck:
    name: str
    label: str
    verify: Callable
    # Whether it verifies an applicant's signature over an application's canonical content,
    # ``verify(organization, content, signature, received_at=…) -> VerifiedSignature``: those are
    # what a procedure can name as its ``signature_check``.
    applicant_signature: bool = False


def applicant_signature_choices() -> list[tuple[str, str]]:
    return [
        (name, check.label) for name, check in signature_checks.items() if check.applicant_signature
    ]


MESSAGES = {
    "malformed": _(
        "署名ファイルを読み取れません。署名ソフトで作成した署名ファイル(.p7s または .p7m、DER 形式)を選んでください。"
    ),
    "no_trust": _(
        "この手続の電子署名を確認するための認証局が登録されていません。担当課にお問い合わせください。"
    ),
    "data_changed": _(
        "署名したあとに申請内容が変わっています。確認画面の「署名用データ」をもう一度ダウンロードして署名し直してください。"
    ),
    "invalid": _("署名の値が正しくありません。署名ソフトで署名し直してください。"),
    "expired": _(
        "署名に使われた証明書の有効期間が切れています(または署名日時が有効期間外です)。有効な電子証明書で署名し直してください。"
    ),
    "revoked": _("署名に使われた証明書は失効しています。有効な電子証明書で署名し直してください。"),
    "untrusted": _(
        "署名に使われた証明書の発行者を確認できません(信頼する認証局の証明書ではありません)。"
    ),
    "key_usage": _("この証明書は電子署名用ではありません。署名用の電子証明書で署名してください。"),
    "future": _(
        "署名日時が現在より後になっています。パソコンの時計を確認して署名し直してください。"
    ),
    "no_revocation": _(
        "証明書の失効情報(CRL)を確認できないため、署名を受け付けられません。担当課にお問い合わせください。"
    ),
    "stale_revocation": _(
        "団体に登録されている失効リスト(CRL)が古い(次回更新予定を過ぎている)ため、証明書が失効していないことを確認できません。担当課にお問い合わせください。"
    ),
    "unavailable_check": _(
        "この手続の電子署名の検証方式が使えなくなっています。担当課にお問い合わせください。"
    ),
}


def rejected(code: str) -> SignatureRejected:
    return SignatureRejected(MESSAGES[code], code)


def applicant_check(name: str) -> SignatureCheck:
    """The applicant-signature check registered as ``name``; a procedure or a kept signature may
    name one that is no longer registered, which refuses rather than fails."""
    if name not in signature_checks or not signature_checks.get(name).applicant_signature:
        raise rejected("unavailable_check")
    return signature_checks.get(name)


def run_validation(coroutine):
    """pyHanko validates asynchronously; run it whether or not this thread already has a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def load_certificate(pem_or_der: bytes) -> asn1_x509.Certificate:
    if pem.detect(pem_or_der):
        _, _, pem_or_der = pem.unarmor(pem_or_der)
    return asn1_x509.Certificate.load(pem_or_der)


def load_crl(pem_or_der: bytes) -> asn1_crl.CertificateList:
    if pem.detect(pem_or_der):
        _, _, pem_or_der = pem.unarmor(pem_or_der)
    return asn1_crl.CertificateList.load(pem_or_der)


@dataclass(frozen=True)
class Trust:
    """What an organization trusts: its anchors and the CRLs it uploaded, parsed once per check."""

    anchors: list[asn1_x509.Certificate]
    crls: list[asn1_crl.CertificateList]

    @classmethod
    def of(cls, organization) -> "Trust":
        anchors = [
            load_certificate(anchor.certificate_pem.encode())
            for anchor in selectors.trust_anchors(organization)
        ]
        if not anchors:
            raise rejected("no_trust")
        crls = [load_crl(bytes(item.crl_der)) for item in selectors.revocation_lists(organization)]
        return cls(anchors, crls)

    def context(self, moment: datetime) -> "ValidationContext":
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=self.anchors,
            crls=self.crls,
            allow_fetching=False,
            # Revocation must be established from the uploaded CRLs; without them nothing is
            # trusted.
            revocation_mode="require",
            moment=moment,
            retroactive_revinfo=True,
        )

    def only_stale_crls_for(self, certificate: asn1_x509.Certificate, moment: datetime) -> bool:
        """Whether the issuer of ``certificate`` has CRLs here, all past their nextUpdate at
        ``moment`` (so none can show the certificate was not revoked then)."""
        own = [crl for crl in self.crls if crl.issuer == certificate.issuer]
        return bool(own) and all(
            (next_update := crl["tbs_cert_list"]["next_update"].native) is not None
            and next_update < moment
            for crl in own
        )


@dataclass(frozen=True)
class Validation:
    status: object  # pyHanko's signature status
    trust: Trust
    moment: datetime
    timestamped: bool

    def failure(self) -> str:
        """The code of why a signature that is intact and valid is still not trusted."""
        from pyhanko.sign.ades.report import AdESIndeterminate

        status = self.status
        if status.revoked:
            return "revoked"
        indication = status.trust_problem_indic
        if indication in {
            AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
            AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        }:
            return "expired"
        if indication in {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}:
            return "revoked"
        if indication in {
            AdESIndeterminate.TRY_LATER,
            AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
        }:
            if self.trust.only_stale_crls_for(status.signing_cert, self.moment):
                return "stale_revocation"
            return "no_revocation"
        if indication == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
            usage = status.signing_cert.key_usage_value
            allowed = set(usage.native) if usage is not None else set()
            if not allowed & {"digital_signature", "non_repudiation"}:
                return "key_usage"
        return "untrusted"


def validated_at_trusted_time(trust: Trust, received_at: datetime, validate: Callable):
    """Runs ``validate(context)`` with the certificate validated at ``received_at``, or — when the
    signature carries an RFC 3161 timestamp from an authority ``trust`` holds, intact and
    earlier than receipt — at that timestamp's time. The signer's own signingTime plays no part:
    a signer could backdate it past their certificate's revocation or expiry."""
    status = validate(trust.context(received_at))
    stamp = getattr(status, "timestamp_validity", None)
    if (
        stamp is not None
        and stamp.intact
        and stamp.valid
        and stamp.trusted
        and stamp.timestamp < received_at
    ):
        return Validation(validate(trust.context(stamp.timestamp)), trust, stamp.timestamp, True)
    return Validation(status, trust, received_at, False)


def verify_cms(
    organization, content: bytes, signature_der: bytes, *, received_at: datetime
) -> VerifiedSignature:
    """Verifies a CMS signature over ``content``, detached or attached: the content digest, the
    signature value, the certificate chain up to the organization's trust anchors, validity at the
    time the platform received it (or at a trusted timestamp), key usage and revocation from the
    uploaded CRLs."""
    from pyhanko.sign.validation import async_validate_detached_cms
    from pyhanko.sign.validation.generic_cms import extract_self_reported_ts

    try:
        content_info = cms.ContentInfo.load(signature_der)
        if content_info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed_data = content_info["content"]
        signer_info = signed_data["signer_infos"][0]
        signing_time = extract_self_reported_ts(signer_info)
        # What the signature covers is parsed now, so garbage fails here. The unsigned
        # attributes are left to pyHanko, which reads those it uses (the signature timestamp):
        # long-term signatures (CAdES-LT, -LTA) carry archive timestamps and revocation values
        # there that asn1crypto cannot parse, and that change nothing the signer signed.
        for part in SIGNED_PARTS:
            signer_info[part].native  # noqa: B018
        encapsulated = signed_data["encap_content_info"]
        attached = encapsulated["content"].native
        if attached is not None and encapsulated["content_type"].native != "data":
            raise ValueError("encapsulates something other than data")
    except Exception:
        raise rejected("malformed") from None
    if attached is not None:
        # An attached signature carries the content it signed: it must be exactly this one.
        # Validated as the detached signature it contains (the signature value covers the signed
        # attributes and through them the content's digest, not where the content is kept).
        if attached != content:
            raise rejected("data_changed")
        signed_data = signed_data.copy()
        # The same ASN.1 class as before: asn1crypto types it by the SignedData version.
        signed_data["encap_content_info"] = type(encapsulated)({"content_type": "data"})
    if signing_time is not None and signing_time > received_at + CLOCK_SKEW:
        raise rejected("future")

    def validate(context):
        try:
            return run_validation(
                async_validate_detached_cms(
                    content,
                    signed_data,
                    signer_validation_context=context,
                    key_usage_settings=signing_usage(),
                )
            )
        except Exception as error:  # pyHanko raises for key usage and for unusable signer data
            if "key usage" in str(error).lower() or "KeyUsage" in type(error).__name__:
                raise rejected("key_usage") from None
            raise rejected("malformed") from None

    validation = validated_at_trusted_time(Trust.of(organization), received_at, validate)
    status = validation.status
    if not status.intact:
        raise rejected("data_changed")
    if not status.valid:
        raise rejected("invalid")
    if not status.trusted:
        raise rejected(validation.failure())
    certificate = status.signing_cert
    return VerifiedSignature(
        signer_name=signer_name(certificate),
        signer_serial=format(certificate.serial_number, "X"),
        issuer=display_name(certificate.issuer),
        signing_time=signing_time,
        received_at=received_at,
        validation_time=validation.moment,
        timestamped=validation.timestamped,
    )


signature_checks.register(
    "cms",
    SignatureCheck(
        "cms",
        "申請データへの電子署名(CMS 分離署名・内包署名)",
        verify_cms,
        applicant_signature=True,
    ),
)
