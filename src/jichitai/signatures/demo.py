"""Demo trust: a demo CA (standing in for the JPKI signing CA) trusted by the prefecture, its CRL,
and a demo signer's key and certificate written under var/demo-pki/ so that anyone can try the
signed procedure with `jichitai sign_application`."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from jichitai.signatures import pki, selectors, services
from jichitai.tenancy.models import Organization

DEMO_CA_NAME = "デモ署名用認証局"


def demo_anchors(prefecture):
    return selectors.trust_anchors(prefecture).filter(name=DEMO_CA_NAME)


@transaction.atomic
def load() -> list[str]:
    prefecture = Organization.objects.get(code="240001")
    directory = Path(settings.VAR_DIR) / "demo-pki"
    if demo_anchors(prefecture).exists() and (directory / "signer-key.pem").exists():
        return [f"電子署名: デモ認証局は登録済み({directory})"]
    for anchor in demo_anchors(prefecture):
        services.remove_trust_anchor(actor=None, anchor=anchor)
    ca = pki.make_ca(DEMO_CA_NAME)
    signer = pki.issue(ca, "三重 花子(デモ)")
    services.add_trust_anchor(
        actor=None,
        organization=prefecture,
        name=DEMO_CA_NAME,
        data=ca.certificate_pem.encode(),
    )
    services.add_revocation_list(
        actor=None, organization=prefecture, data=pki.make_crl(ca, [], days=3650)
    )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "signer-key.pem").write_text(signer.key_pem)
    (directory / "signer-key.pem").chmod(0o600)
    (directory / "signer-cert.pem").write_text(signer.certificate_pem)
    (directory / "ca-cert.pem").write_text(ca.certificate_pem)
    return [f"電子署名: デモ認証局を登録し、署名者の鍵と証明書を {directory} に置きました"]
