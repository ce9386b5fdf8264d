"""The signature checks, registered by name (``verification.py``: CMS detached or attached, PAdES);
a procedure names the one its applicants sign with as its ``signature_check``."""

from typing import TYPE_CHECKING

from jichitai.core.registry import Registry

if TYPE_CHECKING:
    from jichitai.signatures.verification import SignatureCheck

signature_checks: "Registry[SignatureCheck]" = Registry("signature checks")
