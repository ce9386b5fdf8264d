"""The published procedures each process keeps for the submission API, instead of reading the
procedure, its organization and its form for every submission.

A version in the shared cache (Redis in production) names the state they were read in. Every
change to a procedure, its form, its division or an organization sets a new version, once at once
(so this process sees it) and once more after the commit (so that no process keeps what it read
between the two); each process reads the version once per request and reloads what it kept under
an older one. The version is a random token, not a counter, so a cache that was emptied never
brings back a version something was kept under.
"""

import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.base import ModelState
from django.db.models.signals import post_delete, post_save

from jichitai.procedures.models import FormVersion, Procedure

VERSION_KEY = "procedures:published-version"
_KEPT_AT_MOST = 1024
_kept: dict[tuple[str, str], tuple[str, Procedure]] = {}


def _new_version() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def changed() -> None:
    """Tells every process that what it keeps may be out of date; call it on every change a
    model signal does not announce (``QuerySet.update``)."""
    _new_version()
    transaction.on_commit(_new_version)


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def published_procedure(
    code: str, procedure_id, load: Callable[[], Procedure], *, version: str | None = None
) -> Procedure:
    """The procedure ``load`` returns, kept while nothing changed; a copy each time, so what one
    request does to it (seats read again, status) stays its own. ``version`` is the value of
    ``VERSION_KEY`` if the request has already read it (None: read here)."""
    version = version or _current_version()
    key = (code, str(procedure_id))
    kept = _kept.get(key)
    if kept is None or kept[0] != version:
        if len(_kept) >= _KEPT_AT_MOST:
            _kept.clear()
        kept = (version, load())
        _kept[key] = kept
    return _own_copy(kept[1])


def _own_copy(procedure: Procedure) -> Procedure:
    """A shallow copy of ``procedure``, as ``copy.copy`` makes one (its attributes, and the
    related objects it has read in a cache of its own) without going through pickling's
    ``__reduce__``, ``__getstate__`` and ``__setstate__``: a fifth of the time, for every
    submission."""
    copied = Procedure.__new__(type(procedure))
    copied.__dict__.update(procedure.__dict__)
    state = ModelState.__new__(ModelState)
    state.__dict__.update(procedure._state.__dict__)
    state.fields_cache = procedure._state.fields_cache.copy()
    copied._state = state
    return copied


def _on_change(sender, **kwargs) -> None:
    changed()


def connect_signals() -> None:
    from jichitai.tenancy.models import Division, Organization

    for model in (Procedure, FormVersion, Division, Organization):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"published-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"published-{model.__name__}-d")
