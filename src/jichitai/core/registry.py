"""A named registry of interchangeable implementations: the one pattern every plug-in family in the
project uses (OCR engines, signature checks, payment methods, automation steps, dashboard cards,
demo loaders, live metrics …).

A family creates one ``Registry`` in its app; implementations register themselves from their module,
and the app's ``AppConfig.ready`` imports those modules so that registration happens once at start-up.
"""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from jichitai.core.metrics import Metric
    from jichitai.core.published_tables import PublishedTable

T = TypeVar("T")


class AlreadyRegistered(Exception):
    pass


class NotRegistered(KeyError):
    pass


class Registry(Generic[T]):
    def __init__(self, family: str) -> None:
        self.family = family
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T | None = None) -> Callable[[T], T] | T:
        """Register ``entry`` under ``name``; without ``entry``, return a decorator that does."""

        def add(item: T) -> T:
            if name in self._entries and self._entries[name] is not item:
                raise AlreadyRegistered(f"{self.family}: {name!r} is already registered")
            self._entries[name] = item
            return item

        return add(entry) if entry is not None else add

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        try:
            return self._entries[name]
        except KeyError:
            raise NotRegistered(f"{self.family}: nothing registered as {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def names(self) -> list[str]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


# What ``/healthz`` reports besides the database: each entry returns a dictionary merged into the
# answer (the jobs app reports the worker's state). An entry that raises makes the answer 503.
health_reports: Registry[Callable[[], dict]] = Registry("health reports")

# Live metrics (``core.metrics``): figures each module computes for an organization and a 年度.
metrics: "Registry[Metric]" = Registry("live metrics")

# Tables published as open data (``core.published_tables``): the catalog regenerates them daily.
published_tables: "Registry[PublishedTable]" = Registry("tables published as open data")

# What a server process does once before it serves (``core.serving.warm_up``, from ``jichitai.wsgi``,
# before gunicorn forks its workers with ``--preload``) instead of on its first request.
serving_warmups: Registry[Callable[[], None]] = Registry("warm-ups before serving")
