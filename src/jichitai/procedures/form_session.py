"""The answers of a form being filled in, kept in the browser's session from its first page to
送信 (``SESSION_COOKIE_AGE``): the answers as typed (``raw``), the files waiting on the server
(``files``), the chosen language and the verified e-mail address."""

import secrets

from jichitai.procedures import selectors


def key(procedure) -> str:
    return f"procedures:application:{procedure.pk}"


def done_key(procedure) -> str:
    """The session key of the application this browser last sent for ``procedure``."""
    return f"procedures:done:{procedure.pk}"


def done_language_key(procedure) -> str:
    """The session key of the language that application was sent in (its 完了 page's)."""
    return f"procedures:done-language:{procedure.pk}"


def _upload_token(request) -> str:
    """One token per browser session whatever the procedure, so that the limit on files waiting
    for confirmation holds for the session, not per form."""
    token = request.session.get("procedures:upload_token")
    if token is None:
        token = request.session["procedures:upload_token"] = secrets.token_urlsafe(16)
    return token


def state(request, procedure) -> dict:
    """The form's answers so far, or a new state for a form not started in this session."""
    kept = request.session.get(key(procedure))
    if kept is not None:
        return kept
    return {
        "raw": {},
        "files": {},
        "key": secrets.token_urlsafe(16),
        "upload_token": _upload_token(request),
    }


def keep(request, procedure, answers: dict) -> None:
    request.session[key(procedure)] = answers


def pending_files(procedure, answers: dict) -> dict:
    """The files chosen on the form's pages, waiting on the server for 送信, by question."""
    stored = selectors.pending_files(
        procedure.organization,
        upload_token=answers["upload_token"],
        file_ids=answers.get("files", {}).values(),
    )
    return {
        name: stored[file_id]
        for name, file_id in answers.get("files", {}).items()
        if file_id in stored
    }
