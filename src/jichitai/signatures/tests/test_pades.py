"""Signatures embedded in PDF attachments (PAdES) are judged like the applicant's own signature and
labelled with the actual reason when they fail."""

from datetime import UTC, datetime

import pytest

from jichitai.signatures.tests.signing import signed_pdf
from jichitai.signatures.verification import verify_pdf


def _only_result(organization, signer, ca):
    [result] = verify_pdf(organization, signed_pdf(signer, ca), received_at=datetime.now(UTC))
    return result


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signer", "label"),
    [
        ("expired", "有効期限切れ"),
        ("revoked", "失効しています"),
        ("encryption_only", "電子署名用ではありません"),
        ("stranger", "信頼できない証明書"),
    ],
)
def test_a_failing_signer_is_labelled_with_the_reason(trusted, test_pki, signer, label):
    result = _only_result(trusted, test_pki[signer], test_pki["ca"])
    assert not result.trusted
    assert label in result.summary
    if signer != "stranger":
        assert "信頼できない" not in result.summary
