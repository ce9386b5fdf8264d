"""A command-line signer for testing signed procedures: produces the detached CMS signature
(.p7s, DER) that a card-reader application would produce over the canonical content."""

import json
from pathlib import Path

import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "申請データに電子署名(CMS 分離署名、DER)を付けます(テスト用)。確認画面でダウンロードした署名用データ"
        "(--content)か、手続と申請データ(--procedure/--form-version/--data)を指定します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--key", required=True, help="Signer's private key (PEM).")
        parser.add_argument("--cert", required=True, help="Signer's certificate (PEM).")
        parser.add_argument(
            "--chain", nargs="*", default=[], help="Intermediate certificates (PEM)."
        )
        parser.add_argument("--content", help="The canonical content to sign, as downloaded.")
        parser.add_argument("--procedure", help="<団体コード>/<procedure id>, with --data.")
        parser.add_argument("--form-version", type=int, help="Form version number, with --data.")
        parser.add_argument("--data", help="Application data (JSON object), with --procedure.")
        parser.add_argument("--output", required=True, help="Where to write the signature (.p7s).")

    def handle(
        self, *args, key, cert, chain, content, procedure, form_version, data, output, **options
    ):
        if content:
            signed = Path(content).read_bytes()
        elif procedure and form_version and data:
            signed = rfc8785.dumps(
                {
                    "procedure": procedure,
                    "form_version": form_version,
                    "data": json.loads(Path(data).read_text()),
                }
            )
        else:
            raise CommandError(
                "--content か、--procedure・--form-version・--data を指定してください。"
            )
        private_key = serialization.load_pem_private_key(Path(key).read_bytes(), password=None)
        certificate = x509.load_pem_x509_certificate(Path(cert).read_bytes())
        builder = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(signed)
            .add_signer(certificate, private_key, hashes.SHA256())
        )
        for path in chain:
            builder = builder.add_certificate(
                x509.load_pem_x509_certificate(Path(path).read_bytes())
            )
        signature = builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
        Path(output).write_bytes(signature)
        self.stdout.write(
            f"{output}: {len(signature)} bytes, signed {len(signed)} bytes of content"
        )
