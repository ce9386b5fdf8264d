"""CRLs we did not make: the 173 CRLs of NIST's Public Key Interoperability Test Suite (PKITS),
each offered for registration after the certificates named as its issuer, as an administrator
would register a CA and then its CRL. Each is registered or refused beside the file with the
reason its name and PKITS say it has (``realfiles/pkits/expected.tsv``, written from the suite's
descriptions and RFC 5280 before any was run); none raises an error. The held-out part (the first
hex digit of the SHA-1 of the file name below 5) is never used to adjust the reading."""

import contextlib
import csv
import hashlib
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from django.core.exceptions import ValidationError
from django.db import transaction

from jichitai.signatures import services

PKITS = Path(__file__).parent / "realfiles" / "pkits"
EXPECTED = {
    row["file"]: row for row in csv.DictReader((PKITS / "expected.tsv").open(), delimiter="\t")
}
CERTIFICATES = {
    path.name: asn1_x509.Certificate.load(path.read_bytes())
    for path in sorted((PKITS / "certs").iterdir())
}
REASONS = {
    "signature": "CRL の署名を認証局の証明書で確認できません",
    "issuer": "登録されている認証局のどれでもありません",
    "crl_sign": "CRL の署名に使えない",
    "delta": "差分",
    "critical": "理解できない重要な拡張",
}


# Where the platform answers otherwise than the expectation written beforehand, and why; kept so
# that any change in these answers is noticed.
KNOWN_DIFFERENCES = {
    # The CA signs its CRLs with a second, self-issued certificate that is no CA certificate: a
    # separate CRL-signing key, which registration does not support (as for the
    # SeparateCertificateandCRLKeys CRLs).
    "BasicSelfIssuedCRLSigningKeyCACRL.crl": ("refused", "signature"),
    # DSA with SHA-1: the cryptography library here does not verify it, so no signature check
    # could rely on the CRL either.
    "DSACACRL.crl": ("refused", "signature"),
}


def held_out(name: str) -> bool:
    return hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[0] < "5"


class Rollback(Exception):
    pass


def register(organization, name: str) -> tuple[str, str]:
    """("registered", "") or ("refused", the reason's key), the database left as it was."""
    data = (PKITS / "crls" / name).read_bytes()
    issuer = asn1_crl.CertificateList.load(data).issuer
    outcome = ("registered", "")
    try:
        with transaction.atomic():
            for file_name, certificate in CERTIFICATES.items():
                if certificate.subject == issuer:
                    # A certificate that is no CA is refused, as it would be on the page.
                    with contextlib.suppress(ValidationError):
                        services.add_trust_anchor(
                            actor=None,
                            organization=organization,
                            name=file_name,
                            data=certificate.dump(),
                        )
            try:
                services.add_revocation_list(actor=None, organization=organization, data=data)
            except ValidationError as error:
                message = " ".join(error.messages)
                found = [key for key, words in REASONS.items() if words in message]
                outcome = ("refused", found[0] if found else message)
            raise Rollback
    except Rollback:
        pass
    return outcome


@pytest.mark.django_db
def test_every_pkits_crl_is_registered_or_refused_for_its_reason(tsu):
    wrong = {}
    for name, expected in EXPECTED.items():
        outcome = register(tsu, name)
        if expected["verdict"] == "either":
            assert outcome[0] == "registered" or outcome[1] in REASONS, (name, outcome)
            continue
        wanted = KNOWN_DIFFERENCES.get(name, (expected["verdict"], expected["reason"]))
        if outcome != wanted:
            wrong[name] = (outcome, expected["verdict"], expected["reason"], held_out(name))
    assert wrong == {}
