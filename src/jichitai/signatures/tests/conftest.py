import pytest

from jichitai.signatures import pki, services


@pytest.fixture(scope="session")
def test_pki():
    """A CA with a valid, an expired, a revoked and an encryption-only signer and a time-stamping
    authority, another CA nobody trusts with its own signer and time-stamping authority, and the
    CA's CRL listing the revoked certificate (revoked a minute before the session started)."""
    from datetime import UTC, datetime, timedelta

    ca = pki.make_ca()
    now = datetime.now(UTC)
    revoked = pki.issue(ca, "失効 太郎")
    stranger_ca = pki.make_ca("見知らぬ認証局")
    return {
        "ca": ca,
        "valid": pki.issue(ca, "三重 花子"),
        "expired": pki.issue(
            ca,
            "期限 切子",
            not_before=now - timedelta(days=400),
            not_after=now - timedelta(days=30),
        ),
        "revoked": revoked,
        "encryption_only": pki.issue(ca, "暗号 用子", for_signing=False),
        "tsa": pki.issue(ca, "テスト時刻認証局", for_time_stamping=True),
        "stranger_ca": stranger_ca,
        "stranger": pki.issue(stranger_ca, "他人 次郎"),
        "stranger_tsa": pki.issue(stranger_ca, "見知らぬ時刻認証局", for_time_stamping=True),
        "crl": pki.make_crl(ca, [revoked.certificate]),
    }


@pytest.fixture
def trusted(tsu, test_pki):
    """津市 trusts the test CA and has its CRL."""
    services.add_trust_anchor(
        actor=None,
        organization=tsu,
        name="テスト署名用認証局",
        data=test_pki["ca"].certificate_pem.encode(),
    )
    services.add_revocation_list(actor=None, organization=tsu, data=test_pki["crl"])
    return tsu
