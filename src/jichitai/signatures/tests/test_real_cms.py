"""Applicants' CMS signatures made by other signing software — CAdES with signature timestamps,
archive timestamps and revocation values in their unsigned attributes (see
``realfiles/SOURCES.md``) — are read and judged on what they are: a signature by a certificate
the organization does not trust is refused as untrusted, one over other content as changed, and
only one that cannot be parsed as unreadable."""

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms

from jichitai.signatures.verification import SignatureRejected, verify_cms

FILES = Path(__file__).parent / "realfiles" / "cms"
EXPECTED = list(csv.DictReader((FILES / "expected.tsv").open(encoding="utf-8"), delimiter="\t"))


def _signed_content(row) -> tuple[bytes, bytes]:
    """The signature and the content it signed: the file beside a detached signature, or the
    content an attached one carries."""
    signature = (FILES / row["part"] / row["signature"]).read_bytes()
    if row["content"] != "attached":
        return signature, (FILES / row["part"] / row["content"]).read_bytes()
    try:
        carried = cms.ContentInfo.load(signature)["content"]["encap_content_info"]["content"]
        return signature, carried.native
    except ValueError:
        return signature, b""


def _refusal(organization, content: bytes, signature: bytes) -> str:
    with pytest.raises(SignatureRejected) as refused:
        verify_cms(organization, content, signature, received_at=datetime.now(UTC))
    return refused.value.code


@pytest.mark.django_db
@pytest.mark.parametrize("row", EXPECTED, ids=lambda row: f"{row['part']}/{row['signature']}")
def test_each_real_signature_is_judged_on_what_it_is(trusted, row):
    signature, content = _signed_content(row)
    assert _refusal(trusted, content, signature) == row["expected"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row",
    [row for row in EXPECTED if row["content"] != "attached"],
    ids=lambda row: f"{row['part']}/{row['signature']}",
)
def test_a_real_detached_signature_over_other_content_is_refused_as_changed(trusted, row):
    signature, content = _signed_content(row)
    assert _refusal(trusted, content + b"!", signature) == "data_changed"
