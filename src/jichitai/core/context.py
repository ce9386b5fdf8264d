"""What the current request is, for code far from the view (audit entries, log lines).

Set by ``RequestContextMiddleware`` for web requests and by ``acting_as`` for commands and tasks.
A ``ContextVar`` keeps concurrent requests apart under threaded and async servers alike.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip_address: str | None = None
    channel: str = "system"  # "web", "api", "command" or "task"


_current: ContextVar[RequestContext | None] = ContextVar("jichitai_request_context", default=None)


_OUTSIDE_ANY_REQUEST = RequestContext(request_id="", channel="system")


def current() -> RequestContext:
    return _current.get() or _OUTSIDE_ANY_REQUEST


@contextmanager
def request_context(context: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
