"""Signed PDFs made by others — by the signing software of many vendors and member states, and
the tampered and malformed files a signature validator is tested with (see
``realfiles/SOURCES.md``) — are each reported as what they are, and none makes the check fail.
A resident who attaches one must never see their application refused by a server error."""

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jichitai.signatures.pades import verify_pdf

FILES = Path(__file__).parent / "realfiles" / "pdf"
EXPECTED = list(csv.DictReader((FILES / "expected.tsv").open(encoding="utf-8"), delimiter="\t"))


def _verdicts(trusted, row):
    content = (FILES / row["part"] / row["file"]).read_bytes()
    results = verify_pdf(trusted, content, received_at=datetime.now(UTC))
    # Nothing here chains to an anchor the organization trusts.
    assert not any(result.trusted for result in results)
    assert not any(result.summary.startswith("有効な署名") for result in results)
    return results


def _well_formed_untrusted(result) -> bool:
    return (
        result.intact
        and result.valid
        and result.signer_name != ""
        and result.summary.endswith(f"({result.signer_name})")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("row", EXPECTED, ids=lambda row: f"{row['part']}/{row['file']}")
def test_each_real_signed_pdf_gets_the_verdict_of_what_it_is(trusted, row):
    results = _verdicts(trusted, row)
    expected = row["expected"]
    if expected == "untrusted":
        assert results and all(_well_formed_untrusted(result) for result in results)
    elif expected == "timestamped":
        stamps = [result for result in results if "タイムスタンプ" in result.summary]
        assert stamps and all(stamp.signer_name for stamp in stamps)
        assert any(_well_formed_untrusted(result) for result in results if result not in stamps)
    elif expected == "changed":
        assert any(not result.intact for result in results)
    elif expected == "unreadable":
        assert [result.verdict for result in results] == ["unreadable_pdf"]
    elif expected == "broken":
        assert results and not any(result.valid for result in results)
    else:
        pytest.fail(f"unknown verdict {expected}")


@pytest.mark.django_db
def test_signers_names_in_any_script_come_through_as_written(trusted):
    names = {
        row["file"]: {result.signer_name for result in _verdicts(trusted, row)}
        for row in EXPECTED
        if row["file"] in {"pkcs7.pdf", "Signature-P-HU_MIC-1.pdf", "encrypted.pdf"}
    }
    assert names == {
        "pkcs7.pdf": {"Naoto Miyachi"},
        "Signature-P-HU_MIC-1.pdf": {"Géczi Zoltán Csaba"},
        # Encrypted with an empty password (restrictions on copying), as every reader opens it.
        "encrypted.pdf": {"ČR - Český úřad zeměměřický a katastrální"},
    }
