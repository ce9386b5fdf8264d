"""Worker liveness: the task loop of ``jichitai worker`` records a heartbeat at most every
``JICHITAI_WORKER_HEARTBEAT_SECONDS``; ``worker_state`` says whether any worker did so recently."""

import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jichitai.jobs.models import WorkerHeartbeat

# Rows of workers gone for this long are removed, so restarts do not pile them up.
FORGET_AFTER = timedelta(days=1)

_lock = threading.Lock()
_worker: dict = {}


def register_worker() -> str:
    """Marks this process as a worker; its task loop's next ``beat`` records it."""
    name = f"{socket.gethostname()}:{os.getpid()}"[:200]
    with _lock:
        _worker.update(name=name, started_at=timezone.now(), last_beat=None)
    return name


def beat() -> None:
    """Records that this worker is alive (throttled). Database errors propagate to the caller,
    which retries: a heartbeat that cannot be written is what a stale worker looks like."""
    with _lock:
        if not _worker:
            return
        interval = settings.JICHITAI_WORKER_HEARTBEAT_SECONDS
        last = _worker["last_beat"]
        if last is not None and time.monotonic() - last < interval:
            return
        name, started_at = _worker["name"], _worker["started_at"]
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(name=name).update(seen_at=now):
        WorkerHeartbeat.objects.create(name=name, started_at=started_at, seen_at=now)
        WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    with _lock:
        _worker["last_beat"] = time.monotonic()


def worker_state() -> dict:
    """``{"worker": "ok" | "stale" | "missing" | "inline", "worker_seen_seconds_ago": …}``."""
    if settings.TASKS_BACKEND == "immediate":
        return {"worker": "inline"}
    latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if latest is None:
        return {"worker": "missing"}
    age = (timezone.now() - latest).total_seconds()
    state = "ok" if age <= settings.JICHITAI_WORKER_STALE_SECONDS else "stale"
    return {"worker": state, "worker_seen_seconds_ago": round(age)}
