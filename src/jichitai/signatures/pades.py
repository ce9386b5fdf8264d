"""Signatures embedded in PDF attachments (PAdES) and the document timestamps long-term signing
software adds after them, checked with pyHanko against the organization's trust anchors at the
time the platform received the file. A PDF comes from anyone: nothing in it makes the check
fail. What cannot be read, and a document changed after it was signed, is said beside the file
for staff; the resident's application is never refused for it."""

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.utils.translation import gettext_lazy as _

from jichitai.core.templatetags.japanese import wareki_datetime
from jichitai.signatures.registry import signature_checks
from jichitai.signatures.verification import (
    SignatureCheck,
    SignatureRejected,
    Trust,
    Validation,
    run_validation,
    signer_name,
    signing_usage,
    validated_at_trusted_time,
)

# Each signature takes pyHanko tens of milliseconds, inside the submission's transaction: a
# PDF carrying thousands would hold it for minutes. Real documents carry a handful (the
# long-term files of other vendors kept for the tests, up to 25 with their timestamps).
MAX_CHECKED = 30

# What staff read beside a signed PDF attachment, by verdict: {name} is the signer's or the
# time-stamping authority's, {time} the timestamp's.
VERDICTS = {
    "valid": _("有効な署名({name})"),
    "altered": _("署名後に文書が変更されています({name})"),
    "changed": _("署名後に、内容が変わった可能性のある更新があります({name})"),
    "uncompared": _("署名後の変更の有無を確認できません({name})"),
    "invalid": _("署名の値が正しくありません({name})"),
    "expired": _("証明書の有効期限切れ({name})"),
    "revoked": _("証明書が失効しています({name})"),
    "key_usage": _("証明書が電子署名用ではありません({name})"),
    "untrusted": _("信頼できない証明書による署名です({name})"),
    "no_revocation": _("失効リスト(CRL)がなく、証明書の失効を確認できません({name})"),
    "stale_revocation": _("失効リスト(CRL)が古いため、証明書の失効を確認できません({name})"),
    "timestamp_valid": _("文書タイムスタンプ({name}、{time})"),
    "timestamp_altered": _("タイムスタンプの後に文書が変更されています({name})"),
    "timestamp_changed": _(
        "タイムスタンプの後に、内容が変わった可能性のある更新があります({name})"
    ),
    "timestamp_uncompared": _("タイムスタンプの後の変更の有無を確認できません({name})"),
    "timestamp_invalid": _("タイムスタンプの値が正しくありません({name})"),
    "timestamp_expired": _("文書タイムスタンプ: 証明書の有効期限切れ({name})"),
    "timestamp_revoked": _("文書タイムスタンプ: 証明書が失効しています({name})"),
    "timestamp_key_usage": _("文書タイムスタンプ: 証明書が時刻認証用ではありません({name})"),
    "timestamp_untrusted": _("信頼できない時刻認証局による文書タイムスタンプです({name})"),
    "timestamp_no_revocation": _(
        "文書タイムスタンプ: 失効リスト(CRL)がなく、証明書の失効を確認できません({name})"
    ),
    "timestamp_stale_revocation": _(
        "文書タイムスタンプ: 失効リスト(CRL)が古いため、証明書の失効を確認できません({name})"
    ),
    "no_trust": _("信頼する認証局が登録されていないため、署名を確認できません"),
    "unreadable_pdf": _("PDF の構造を読み取れないため、電子署名を確認できません"),
    "unreadable_signature": _("署名のデータを読み取れないため、検証できません"),
    "unchecked": _("これより後の署名は確認していません(1 つの PDF で確認するのは {limit} 件まで)"),
}


# Verdicts an administrator can change by registering a CA's certificate or its current CRL.
SETTLED_BY_TRUST_SETTINGS = {
    "untrusted",
    "no_revocation",
    "stale_revocation",
    "timestamp_untrusted",
    "timestamp_no_revocation",
    "timestamp_stale_revocation",
    "no_trust",
}


def describe(verdict: str, *, name: str = "", time: datetime | None = None) -> str:
    """A verdict as staff read it, in the language active now."""
    return str(VERDICTS[verdict]).format(
        name=name, time=wareki_datetime(time) if time else "", limit=MAX_CHECKED
    )


def described(kept) -> str:
    """A kept ``AttachmentSignature`` as staff read it in the language active now; one kept
    before verdicts were is read as it was written."""
    if kept.verdict not in VERDICTS:
        return kept.summary
    return describe(kept.verdict, name=kept.signer_name, time=kept.signing_time)


@dataclass(frozen=True)
class PdfSignatureResult:
    field_name: str
    valid: bool
    trusted: bool
    intact: bool
    signer_name: str
    signing_time: datetime | None
    verdict: str

    @property
    def summary(self) -> str:
        return describe(self.verdict, name=self.signer_name, time=self.signing_time)


def _unverified(field_name: str, verdict: str) -> PdfSignatureResult:
    return PdfSignatureResult(field_name, False, False, False, "", None, verdict)


def verify_pdf(
    organization, pdf_bytes: bytes, *, received_at: datetime
) -> list[PdfSignatureResult]:
    """Every signature and document timestamp embedded in a PDF, in the order they were added.
    An unsigned PDF gives an empty list; one that cannot be read gives a single result saying
    so when it looks signed (it names a signature's /ByteRange), else an empty list."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        if reader.encrypted:
            # Restrictions on printing or copying encrypt a PDF with an empty password, which
            # every reader opens; a PDF that needs a real password stays unreadable here.
            reader.decrypt("")
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception:  # a malformed PDF can fail pyHanko's reader in any of a dozen ways
        if b"/ByteRange" not in pdf_bytes:
            return []
        return [_unverified("", "unreadable_pdf")]
    # Each field on its own (pyHanko's own list fails as a whole on one malformed signature).
    embedded, unreadable = [], []
    for name, _object, field in fields:
        try:
            embedded.append(EmbeddedPdfSignature(reader, field, name))
        except Exception:
            unreadable.append(_unverified(name or "", "unreadable_signature"))
    embedded.sort(key=lambda signature: signature.signed_revision)
    trust = _trust_of(organization) if embedded else None
    checked = [_result(trust, signature, received_at) for signature in embedded[:MAX_CHECKED]]
    if len(embedded) > MAX_CHECKED:
        checked.append(_unverified("", "unchecked"))
    return checked + unreadable


def _trust_of(organization) -> Trust | None:
    """What the organization trusts, read once for every signature of a PDF; None when it has
    registered no CA, so that no signature can be checked."""
    try:
        return Trust.of(organization)
    except SignatureRejected:
        return None


def _result(trust: Trust | None, embedded, received_at: datetime) -> PdfSignatureResult:
    field_name = embedded.field_name or ""
    if trust is None:
        return _unverified(field_name, "no_trust")
    timestamp = _is_document_timestamp(embedded)

    def validate(skip_diff: bool) -> Validation:
        if timestamp:
            from pyhanko.sign.validation import async_validate_pdf_timestamp

            status = run_validation(
                async_validate_pdf_timestamp(
                    embedded,
                    validation_context=trust.context(received_at),
                    diff_policy=_diff_policy(),
                    skip_diff=skip_diff,
                )
            )
            return Validation(status, trust, received_at, False)
        return validated_at_trusted_time(
            trust,
            received_at,
            lambda context: _validate_signature(embedded, context, skip_diff=skip_diff),
        )

    try:
        try:
            validation, compared = validate(False), True
        except Exception:
            # pyHanko's comparison of the revisions after the signature fails on some files
            # whose signature is sound: checked without it, the signature is still reported.
            validation, compared = validate(True), False
    except Exception:  # the signature's own bytes are malformed: pyHanko fails on them variously
        return _unverified(field_name, "unreadable_signature")
    status = validation.status
    changed = compared and _changed_after(status)
    if not status.intact:
        verdict = "altered"
    elif changed:
        verdict = "changed"
    elif not compared:
        verdict = "uncompared"
    elif not status.valid:
        verdict = "invalid"
    elif status.trusted:
        verdict = "valid"
    else:
        verdict = validation.failure()
    return PdfSignatureResult(
        field_name,
        bool(status.valid),
        bool(status.trusted),
        bool(status.intact) and compared and not changed,
        signer_name(status.signing_cert),
        status.timestamp if timestamp else getattr(status, "signer_reported_dt", None),
        f"timestamp_{verdict}" if timestamp else verdict,
    )


def _validate_signature(embedded, context, *, skip_diff: bool):
    from pyhanko.sign.validation import async_validate_pdf_signature

    return run_validation(
        async_validate_pdf_signature(
            embedded,
            signer_validation_context=context,
            key_usage_settings=signing_usage(),
            diff_policy=_diff_policy(),
            skip_diff=skip_diff,
        )
    )


@cache
def _diff_policy():
    """pyHanko's standard comparison of the revisions after a signature, except that freeing
    objects is allowed: Acrobat and electronic contract services free unused objects when they
    save a signed PDF, and what is freed no longer shows."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, StandardDiffPolicy

    return StandardDiffPolicy(
        global_rules=DEFAULT_DIFF_POLICY.global_rules,
        form_rule=DEFAULT_DIFF_POLICY.form_rule,
        reject_object_freeing=False,
    )


def _is_document_timestamp(embedded) -> bool:
    return (
        embedded.sig_object.get("/Type") == "/DocTimeStamp"
        or embedded.sig_object.get("/SubFilter") == "/ETSI.RFC3161"
    )


def _changed_after(status) -> bool:
    """Whether what a reader sees may differ from what was signed: updates after the signature
    that pyHanko's comparison of revisions cannot explain as long-term validation data, further
    signatures, or form filling and comments the signer permitted (a certification's DocMDP
    level; a timestamp has none). A signature over only part of the bytes before it, or over
    bytes it cannot place in a revision, is changed too."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return False
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return True
    return status.docmdp_ok is False or status.modification_level == ModificationLevel.OTHER


signature_checks.register(
    "pades", SignatureCheck("pades", "PDF 添付ファイルの電子署名(PAdES)", verify_pdf)
)
