"""Signatures embedded in PDF attachments (PAdES) and the document timestamps long-term signing
software adds after them, checked with pyHanko against the organization's trust anchors at the
time the platform received the file. A PDF comes from anyone: nothing in it makes the check
fail. What cannot be read, and a document changed after it was signed, is said beside the file
for staff; the resident's application is never refused for it."""

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache

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

# What staff read beside a signed PDF attachment when its signature is not trusted.
PDF_FAILURES = {
    "expired": "証明書の有効期限切れ",
    "revoked": "証明書が失効しています",
    "key_usage": "証明書が電子署名用ではありません",
    "untrusted": "信頼できない証明書による署名です",
    "no_revocation": "失効リスト(CRL)がなく、証明書の失効を確認できません",
    "stale_revocation": "失効リスト(CRL)が古いため、証明書の失効を確認できません",
}
UNREADABLE_PDF = "PDF の構造を読み取れないため、電子署名を確認できません"
UNREADABLE_SIGNATURE = "署名のデータを読み取れないため、検証できません"
# Each signature takes pyHanko tens of milliseconds, inside the submission's transaction: a
# PDF carrying thousands would hold it for minutes. Real documents carry a handful (the
# long-term files of other vendors kept for the tests, up to 25 with their timestamps).
MAX_CHECKED = 30


@dataclass(frozen=True)
class PdfSignatureResult:
    field_name: str
    valid: bool
    trusted: bool
    intact: bool
    signer_name: str
    signing_time: datetime | None
    summary: str


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
        return [PdfSignatureResult("", False, False, False, "", None, UNREADABLE_PDF)]
    # Each field on its own (pyHanko's own list fails as a whole on one malformed signature).
    embedded, unreadable = [], []
    for name, _, field in fields:
        try:
            embedded.append(EmbeddedPdfSignature(reader, field, name))
        except Exception:
            unreadable.append(
                PdfSignatureResult(name or "", False, False, False, "", None, UNREADABLE_SIGNATURE)
            )
    embedded.sort(key=lambda signature: signature.signed_revision)
    checked = [
        _result(organization, signature, received_at) for signature in embedded[:MAX_CHECKED]
    ]
    if len(embedded) > MAX_CHECKED:
        skipped = len(embedded) - MAX_CHECKED
        checked.append(
            PdfSignatureResult(
                "",
                False,
                False,
                False,
                "",
                None,
                f"ほかに {skipped:,} 件の署名があります(確認していません)",
            )
        )
    return checked + unreadable


def _result(organization, embedded, received_at: datetime) -> PdfSignatureResult:
    field_name = embedded.field_name or ""
    timestamp = _is_document_timestamp(embedded)
    trust = Trust.of(organization) if timestamp else None

    def validate(skip_diff: bool) -> Validation:
        if trust is not None:
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
            organization,
            received_at,
            lambda context: _validate_signature(embedded, context, skip_diff=skip_diff),
        )

    try:
        try:
            validation, compared = validate(False), True
        except SignatureRejected:
            raise
        except Exception:
            # pyHanko's comparison of the revisions after the signature fails on some files
            # whose signature is sound: checked without it, the signature is still reported.
            validation, compared = validate(True), False
    except SignatureRejected as error:
        return PdfSignatureResult(field_name, False, False, False, "", None, str(error.message))
    except Exception:  # the signature's own bytes are malformed: pyHanko fails on them variously
        return PdfSignatureResult(field_name, False, False, False, "", None, UNREADABLE_SIGNATURE)
    status = validation.status
    name = signer_name(status.signing_cert)
    changed = not status.intact or (compared and _changed_after(status))
    summaries = _TIMESTAMP_SUMMARIES if timestamp else _SIGNATURE_SUMMARIES
    if not status.intact:
        summary = summaries["altered"]
    elif changed:
        summary = summaries["changed"]
    elif not compared:
        summary = summaries["uncompared"]
    elif not status.valid:
        summary = summaries["invalid"]
    elif status.trusted:
        summary = summaries["trusted"]
    else:
        failure = validation.failure()
        summary = (
            summaries.get(failure) or f"{summaries['failure']}{PDF_FAILURES[failure]}({{name}})"
        )
    when = status.timestamp if timestamp else getattr(status, "signer_reported_dt", None)
    return PdfSignatureResult(
        field_name,
        bool(status.valid),
        bool(status.trusted),
        compared and not changed,
        name,
        when,
        summary.format(name=name, time=wareki_datetime(when) if when else ""),
    )


_SIGNATURE_SUMMARIES = {
    "altered": "署名後に文書が変更されています({name})",
    "changed": "署名後に、内容が変わった可能性のある更新があります({name})",
    "uncompared": "署名後の変更の有無を確認できません({name})",
    "invalid": "署名の値が正しくありません({name})",
    "trusted": "有効な署名({name})",
}
_SIGNATURE_SUMMARIES.update({code: text + "({name})" for code, text in PDF_FAILURES.items()})
_TIMESTAMP_SUMMARIES = {
    "altered": "タイムスタンプの後に文書が変更されています({name})",
    "changed": "タイムスタンプの後に、内容が変わった可能性のある更新があります({name})",
    "uncompared": "タイムスタンプの後の変更の有無を確認できません({name})",
    "invalid": "タイムスタンプの値が正しくありません({name})",
    "trusted": "文書タイムスタンプ({name}、{time})",
    "untrusted": "信頼できない時刻認証局による文書タイムスタンプです({name})",
    "failure": "文書タイムスタンプ: ",
}


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
