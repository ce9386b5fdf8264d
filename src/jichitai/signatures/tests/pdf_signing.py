"""Signing a PDF with pyHanko for the tests (PAdES), with a certificate of the test PKI."""

import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from jichitai.core.tests.samples import pdf_bytes


def signed_pdf(signer, ca) -> bytes:
    certificate = asn1_x509.Certificate.load(
        signer.certificate.public_bytes(serialization.Encoding.DER)
    )
    key = asn1_keys.PrivateKeyInfo.load(
        signer.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    store = SimpleCertificateStore()
    if ca is not None:
        store.register(
            asn1_x509.Certificate.load(ca.certificate.public_bytes(serialization.Encoding.DER))
        )
    pdf_signer = signers.SimpleSigner(
        signing_cert=certificate, signing_key=key, cert_registry=store
    )
    output = io.BytesIO()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes()))
    signers.sign_pdf(
        writer,
        signers.PdfSignatureMetadata(field_name="Signature1"),
        signer=pdf_signer,
        output=output,
    )
    return output.getvalue()
