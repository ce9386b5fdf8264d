"""Background job kinds and periodic schedules: each app registers the work it runs in the
background here (OCR batches, automation runs, imports, retention …)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from jichitai.core.registry import Registry


@dataclass(frozen=True)
class JobKind:
    name: str
    function: Callable[..., dict | None]
    # Resumable kinds skip the items they already finished, so a job interrupted by a dead worker
    # is simply run again; the others are marked failed for a person to look at.
    resumable: bool = True


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str  # five-field crontab expression, in the TIME_ZONE
    kind: str
    title: str
    arguments: dict = field(default_factory=dict)


job_kinds: Registry[JobKind] = Registry("background job kinds")
schedules: Registry[Schedule] = Registry("periodic schedules")


def job_kind(name: str, *, resumable: bool = True):
    """Registers ``function(context, **arguments)`` as the job kind ``name``."""

    def decorate(function):
        job_kinds.register(name, JobKind(name=name, function=function, resumable=resumable))
        return function

    return decorate
