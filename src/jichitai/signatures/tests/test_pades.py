"""Signatures embedded in PDF attachments (PAdES) are judged like the applicant's own signature and
labelled with the actual reason when they fail."""

from datetime import UTC, datetime, timedelta

import pytest

from jichitai.signatures import pades
from jichitai.signatures.pades import verify_pdf
from jichitai.signatures.tests.signing import (
    changed_after_signing,
    signed_again,
    signed_and_stamped,
    signed_pdf,
)


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


@pytest.mark.django_db
def test_a_pdf_changed_after_it_was_signed_is_not_reported_valid(trusted, test_pki):
    """The signed bytes are intact, but an update after the signature draws over the page:
    the document staff open is not the one signed."""
    changed = changed_after_signing(signed_pdf(test_pki["valid"], test_pki["ca"]))
    [result] = verify_pdf(trusted, changed, received_at=datetime.now(UTC))
    assert not result.intact
    assert "有効な署名" not in result.summary
    assert result.summary == "署名後に、内容が変わった可能性のある更新があります(三重 花子)"


@pytest.mark.django_db
def test_a_document_timestamp_is_reported_beside_the_signature(trusted, test_pki):
    now = datetime.now(UTC)
    stamped = signed_and_stamped(test_pki, tsa="tsa", tsa_ca="ca", at=now)
    signature, stamp = verify_pdf(trusted, stamped, received_at=now + timedelta(minutes=1))
    assert signature.summary == "有効な署名(三重 花子)" and signature.intact
    assert stamp.valid and stamp.trusted and stamp.intact
    assert stamp.summary.startswith("文書タイムスタンプ(テスト時刻認証局、")


@pytest.mark.django_db
def test_a_document_timestamp_from_an_authority_nobody_trusts_is_not_trusted(trusted, test_pki):
    now = datetime.now(UTC)
    stamped = signed_and_stamped(test_pki, tsa="stranger_tsa", tsa_ca="stranger_ca", at=now)
    _, stamp = verify_pdf(trusted, stamped, received_at=now + timedelta(minutes=1))
    assert not stamp.trusted
    assert stamp.summary == "信頼できない時刻認証局による文書タイムスタンプです(見知らぬ時刻認証局)"


@pytest.mark.django_db
def test_a_signature_that_cannot_be_parsed_is_reported_not_raised(trusted, test_pki):
    signed = signed_pdf(test_pki["valid"], test_pki["ca"])
    start = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", start)
    blanked = signed[:start] + b"0" * (end - start) + signed[end:]
    [result] = verify_pdf(trusted, blanked, received_at=datetime.now(UTC))
    assert not result.valid and not result.trusted
    assert result.summary == "署名のデータを読み取れないため、検証できません"


@pytest.mark.django_db
def test_a_signed_pdf_that_cannot_be_read_says_so(trusted, test_pki):
    signed = signed_pdf(test_pki["valid"], test_pki["ca"])
    broken = signed.replace(b"/Type /Catalog", b"/Type /Catalxg").replace(b"xref", b"xxef")
    [result] = verify_pdf(trusted, broken, received_at=datetime.now(UTC))
    assert not result.valid
    assert result.summary == "PDF の構造を読み取れないため、電子署名を確認できません"


@pytest.mark.django_db
def test_an_unreadable_pdf_without_a_signature_has_nothing_to_report(trusted):
    assert verify_pdf(trusted, b"%PDF-1.7\n garbage", received_at=datetime.now(UTC)) == []


@pytest.mark.django_db(transaction=True)  # read from the loop's own database connection
def test_a_pdf_is_verified_the_same_in_a_thread_that_runs_an_event_loop(
    trusted, test_pki, monkeypatch
):
    """A server thread may already run an event loop (an ASGI server, a browser driven from the
    same thread); the signature is still verified, not reported as unreadable."""
    import asyncio
    import concurrent.futures

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    signed = signed_pdf(test_pki["valid"], test_pki["ca"])

    async def verify_in_the_loop():
        from django.db import connections

        try:
            return verify_pdf(trusted, signed, received_at=datetime.now(UTC))
        finally:
            connections.close_all()  # the loop's own, which nothing else would close

    # A thread of its own, whose loop is the only one running in it (the test's thread may
    # already run a browser's).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
        [result] = thread.submit(asyncio.run, verify_in_the_loop()).result()
    assert result.summary == "有効な署名(三重 花子)"


@pytest.mark.django_db
def test_signatures_beyond_the_most_a_submission_checks_are_counted_not_checked(
    trusted, test_pki, monkeypatch
):
    """A PDF carrying thousands of signatures would hold the submission for minutes."""
    monkeypatch.setattr(pades, "MAX_CHECKED", 2)
    pdf = signed_pdf(test_pki["valid"], test_pki["ca"])
    for number in (2, 3, 4):
        pdf = signed_again(pdf, test_pki["valid"], test_pki["ca"], f"Signature{number}")
    results = verify_pdf(trusted, pdf, received_at=datetime.now(UTC))
    assert [result.field_name for result in results[:2]] == ["Signature1", "Signature2"]
    assert [result.summary for result in results[2:]] == [
        "これより後の署名は確認していません(1 つの PDF で確認するのは 2 件まで)"
    ]


@pytest.mark.django_db
def test_an_organization_that_trusts_no_ca_has_each_signature_reported_unchecked(tsu, test_pki):
    pdf = signed_again(
        signed_pdf(test_pki["valid"], test_pki["ca"]),
        test_pki["valid"],
        test_pki["ca"],
        "Signature2",
    )
    results = verify_pdf(tsu, pdf, received_at=datetime.now(UTC))
    assert [result.verdict for result in results] == ["no_trust", "no_trust"]
