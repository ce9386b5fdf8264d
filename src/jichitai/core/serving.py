"""What a server does once before it serves: each app's warm-up (``registry.serving_warmups``), run
by ``jichitai.wsgi``. Under ``gunicorn --preload`` that is in the master, before it forks its
workers: what a warm-up reads is then in every worker's memory from its start (shared until a
worker writes to it) instead of read by each worker's first request."""

import logging

from django.conf import settings
from django.db import DatabaseError, connections

from jichitai.core.registry import serving_warmups

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Runs every registered warm-up. One that the database cannot serve yet (not migrated, not
    reachable) is left to the first request that needs it: the server still starts. The
    connections opened are closed, so no forked worker inherits one. Only where the settings ask
    for it (production): elsewhere, what the warm-ups read is read when first needed."""
    if not settings.JICHITAI_WARM_UP_BEFORE_SERVING:
        return
    try:
        for name, entry in serving_warmups.items():
            try:
                entry()
            except DatabaseError:
                logger.warning("warm-up %s left to the first request", name, exc_info=True)
    finally:
        connections.close_all()
