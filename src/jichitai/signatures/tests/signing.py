"""Signing with pyHanko for the tests, with certificates of the test PKI: PDFs (PAdES) and CMS
signatures over arbitrary content whose signingTime, attachment and RFC 3161 timestamp the test
chooses (what a signer's own software could put there). pyHanko signs asynchronously; its
coroutines are run as the product runs its checks (``run_validation``), so a test thread where a
browser's event loop already runs (after a browser test) signs too."""

import io
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from jichitai.core.tests.samples import pdf_bytes
from jichitai.signatures.verification import run_validation


def asn1_certificate(issued) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(issued.certificate.public_bytes(serialization.Encoding.DER))


def asn1_key(issued) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        issued.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _signer(signer, ca) -> signers.SimpleSigner:
    store = SimpleCertificateStore()
    if ca is not None:
        store.register(asn1_certificate(ca))
    return signers.SimpleSigner(
        signing_cert=asn1_certificate(signer), signing_key=asn1_key(signer), cert_registry=store
    )


def signed_pdf(signer, ca) -> bytes:
    return signed_again(pdf_bytes(), signer, ca, "Signature1")


def timestamper(tsa, ca, at: datetime) -> DummyTimeStamper:
    """A time-stamping authority answering with the time ``at``."""
    return DummyTimeStamper(
        tsa_cert=asn1_certificate(tsa),
        tsa_key=asn1_key(tsa),
        certs_to_embed=[asn1_certificate(ca)],
        fixed_dt=at,
    )


def signed_cms(
    content: bytes,
    signer,
    *,
    signing_time: datetime | None = None,
    detached: bool = True,
    timestamped_by: DummyTimeStamper | None = None,
) -> bytes:
    """A CMS SignedData (DER) over ``content``, with the signingTime the signer claims."""
    signed = run_validation(
        _signer(signer, None).async_sign_general_data(
            content,
            "sha256",
            detached=detached,
            timestamper=timestamped_by,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=signing_time),
        )
    )
    return signed.dump()


def changed_after_signing(pdf: bytes) -> bytes:
    """``pdf`` with text drawn over its first page in an incremental update after the
    signature: the signed bytes stay as they were, what a reader sees does not."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"0 0 m 200 200 l S"))
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def signed_and_stamped(test_pki, *, tsa: str, tsa_ca: str, at: datetime) -> bytes:
    """A PDF signed by the test PKI's valid signer, then given a document timestamp at ``at``
    by the PKI's time-stamping authority named ``tsa``, issued by ``tsa_ca``."""
    return with_document_timestamp(
        signed_pdf(test_pki["valid"], test_pki["ca"]),
        timestamper(test_pki[tsa], test_pki[tsa_ca], at),
    )


def with_document_timestamp(pdf: bytes, stamper: DummyTimeStamper) -> bytes:
    """``pdf`` with a document timestamp (/DocTimeStamp) added after its signatures, as
    long-term (PAdES-LTA) signing software and electronic contract services add one."""
    output = io.BytesIO()
    run_validation(
        signers.PdfTimeStamper(stamper).async_timestamp_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)), "sha256", output=output
        )
    )
    return output.getvalue()


def signed_again(pdf: bytes, signer, ca, field_name: str) -> bytes:
    """``pdf`` with one more signature, in a new field, as a second signer adds theirs."""
    output = io.BytesIO()
    run_validation(
        signers.async_sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            signers.PdfSignatureMetadata(field_name=field_name),
            signer=_signer(signer, ca),
            output=output,
        )
    )
    return output.getvalue()
