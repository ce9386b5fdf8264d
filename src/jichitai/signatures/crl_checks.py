"""What a CRL offered for registration must be before any signature check relies on it: signed
by the key of a registered CA that may sign CRLs, complete (not a delta CRL, which lists only the
changes since a complete one), without an extension the checks do not understand marked
critical (RFC 5280 5.2 and 5.3: such a CRL is not to be used), and readable whole as each check
will read it. Each refusal says why, beside the file."""

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jichitai.signatures.verification import load_crl


def _refused(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _signer(
    crl: x509.CertificateRevocationList, anchors: list[x509.Certificate]
) -> x509.Certificate:
    """The registered CA whose key signed the CRL: of the CAs of the CRL's issuer name, any of
    them, as a CA that renewed its key keeps its name (a self-issued certificate per key)."""
    named = [anchor for anchor in anchors if anchor.subject == crl.issuer]
    if not named:
        raise _refused(
            _(
                "この CRL の発行者は、登録されている認証局のどれでもありません。先に認証局の証明書を登録してください。"
            )
        )
    # The stubs allow any certificate key here, key-agreement ones (X25519, ML-KEM) included,
    # which cannot sign; ``is_signature_valid`` refuses those itself.
    signer = next(
        (
            anchor
            for anchor in named
            if crl.is_signature_valid(anchor.public_key())  # type: ignore[arg-type]
        ),
        None,
    )
    if signer is None:
        raise _refused(_("CRL の署名を認証局の証明書で確認できません。"))
    return signer


def _may_sign_crls(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.KeyUsage).value.crl_sign
    except x509.ExtensionNotFound:
        return True  # no key usage: the key may be used for anything


def _critical_unknown(extensions: x509.Extensions) -> bool:
    return any(
        extension.critical and isinstance(extension.value, x509.UnrecognizedExtension)
        for extension in extensions
    )


def checked_crl(crl: x509.CertificateRevocationList, anchors: list[x509.Certificate]) -> bytes:
    """The CRL's DER once it passes every check, else ValidationError on the field ``file``."""
    signer = _signer(crl, anchors)
    if not _may_sign_crls(signer):
        raise _refused(
            _(
                "この認証局の証明書の鍵は、CRL の署名に使えないものです(鍵用途に cRLSign がありません)。認証局が CRL の発行に使う証明書を登録してください。"
            )
        )
    try:
        crl.extensions.get_extension_for_class(x509.DeltaCRLIndicator)
    except x509.ExtensionNotFound:
        pass
    else:
        raise _refused(
            _(
                "これは差分 CRL(delta CRL)で、前回からの変更しか載っていません。認証局が公開している完全な CRL を登録してください。"
            )
        )
    der = crl.public_bytes(serialization.Encoding.DER)
    try:
        # Read whole now, as each signature check will read it: an entry it cannot read (a
        # revocation reason outside the standard's list) would otherwise fail every signature of
        # that certificate as if the signature file were damaged.
        load_crl(der).native  # noqa: B018
        unknown = _critical_unknown(crl.extensions) or any(
            _critical_unknown(entry.extensions) for entry in crl
        )
    except (ValueError, KeyError):  # a malformed value, an enumeration unknown
        raise _refused(
            _(
                "CRL の項目を読み取れません(失効理由の値が規格にないなど)。認証局が公開している CRL を、そのまま選んでください。"
            )
        ) from None
    if unknown:
        raise _refused(
            _(
                "この CRL には、検証で理解できない重要な拡張(critical)があります。RFC 5280 に従い、このような CRL は失効の確認に使えません。"
            )
        )
    return der
