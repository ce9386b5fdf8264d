"""The fingerprint of an application's data kept beside its verified signature (what the applicant
signs is ``procedures.canonical.canonical_content``)."""

import hashlib
import json


def data_sha256(data: dict) -> str:
    """A fingerprint of an application's stored data, kept beside its verified signature: the
    verification holds only while the data still has this fingerprint."""
    content = json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(content.encode()).hexdigest()
