"""The unguessable token in each link a resident receives (status pages, drafts, address checks)."""

import secrets


def new_token() -> str:
    return secrets.token_urlsafe(24)
