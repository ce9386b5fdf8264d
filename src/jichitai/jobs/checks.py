"""Start-up checks of the job and worker timings."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# A heartbeat may be late (a busy machine, a database restarting): a job or a worker is taken for
# dead only after this many of its heartbeats are missing, never while one is merely late.
MISSED_HEARTBEATS = 3

THRESHOLDS = [
    ("JICHITAI_JOB_STALE_SECONDS", "JICHITAI_JOB_HEARTBEAT_SECONDS"),
    ("JICHITAI_WORKER_STALE_SECONDS", "JICHITAI_WORKER_HEARTBEAT_SECONDS"),
]


@register()
def heartbeats_fit_in_the_stale_thresholds(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:
    """With a threshold shorter than a few heartbeats, recovery starts a running job a second time
    beside itself, and the health check reports a working worker as stopped."""
    errors: list[CheckMessage] = []
    for stale, heartbeat in THRESHOLDS:
        stale_seconds = getattr(settings, stale)
        heartbeat_seconds = getattr(settings, heartbeat)
        if stale_seconds < MISSED_HEARTBEATS * heartbeat_seconds:
            errors.append(
                Error(
                    f"{stale} ({stale_seconds} s) is shorter than {MISSED_HEARTBEATS} beats of "
                    f"{heartbeat} ({heartbeat_seconds} s): a running job or worker would be taken "
                    "for dead.",
                    hint=f"Set {stale} to at least {MISSED_HEARTBEATS * heartbeat_seconds}, or "
                    f"lower {heartbeat}.",
                    id="jichitai.E020",
                )
            )
    return errors
