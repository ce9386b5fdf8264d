"""Rate limits for endpoints that anyone can hit (logins, public submissions, e-mail they ask for).
Counts live in the cache (Redis in production, shared by every app process), in fixed windows per
client address, and for e-mail also per recipient address. A refused request gets 429 with a
Japanese page or JSON body saying when to try again."""

import hashlib
import time
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render

from jichitai.core.middleware import client_ip


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"10/m"``, ``"100/h"``, ``"5/10s"``."""
        count, _, period = text.partition("/")
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        multiplier = int(period[:-1]) if period[:-1] else 1
        return cls(int(count), multiplier * units[period[-1]])


# Creates the window's key with its expiry if missing, increments it and reads the other key if
# one is given, in one command: a script costs the client less than a pipeline of the three.
_COUNT_AND_READ = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCR', KEYS[1])
if KEYS[2] then return {count, redis.call('GET', KEYS[2])} end
return {count}
"""


@lru_cache(maxsize=16)
def _count_and_read(client: Any) -> Any:
    """The script for ``client`` (sent by its digest; loaded again if the server lost it)."""
    return client.register_script(_COUNT_AND_READ)


def _count(cache_key: str, timeout: int, read: str | None = None) -> tuple[int, Any]:
    """Adds one to the window's count; returns it, and the cache's value under ``read`` (None when
    missing) if one is named. On Redis in one round trip; elsewhere through the cache's ``add``,
    ``incr`` and ``get``."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        keys = [backend.make_and_validate_key(cache_key)]
        if read is not None:
            keys.append(backend.make_and_validate_key(read))
        # The client of Django's Redis cache (one per process, core.redis_cache).
        client = backend._cache
        writer = client.get_client(keys[0], write=True)
        count, *value = _count_and_read(writer)(keys=keys, args=[timeout], client=writer)
        if not value or value[0] is None:
            return int(count), None
        # Decoded as the cache's own get() decodes it (a private attribute of its client).
        return int(count), client._serializer.loads(value[0])  # type: ignore[attr-defined]
    value = cache.get(read) if read is not None else None
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key), value
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        return 1, value


def hit(scope: str, key: str, rate: Rate) -> int | None:
    """Counts one request; returns None when allowed, else the seconds until the window ends."""
    return hit_reading(scope, key, rate)[0]


def hit_reading(
    scope: str, key: str, rate: Rate, *, read: str | None = None
) -> tuple[int | None, Any]:
    """As ``hit``, and the cache's value under ``read`` (None when missing), read in the same
    round trip on Redis: for a hot path that needs both."""
    now = int(time.time())
    window = now // rate.seconds
    count, value = _count(f"ratelimit:{scope}:{key}:{window}", rate.seconds + 1, read)
    if count > rate.count:
        return (window + 1) * rate.seconds - now, value
    return None, value


MAIL_MESSAGE = (
    "メールの送信が短時間に続いたため、受け付けを一時的に止めています。"
    "{minutes}分ほど待ってから、もう一度お試しください。"
)


class RateLimited(Exception):
    """Raised inside a view decorated with ``rate_limited`` when a finer limit (``limit_mail``) is
    reached; the decorator answers 429 with ``message``."""

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.message = message


def limit_mail(request: HttpRequest, address: str) -> None:
    """Counts one e-mail that an anonymous request asks the site to send to ``address``, per client
    (one machine writing to many addresses) and per recipient (many machines writing to one), in
    one scope shared by every such form. The count does not depend on whether an account or record
    has that address, so a refusal reveals nothing about it. Raises ``RateLimited``."""
    recipient = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    for key, rate in (
        (f"client:{client_ip(request) or 'unknown'}", settings.JICHITAI_MAIL_RATE_PER_CLIENT),
        (f"address:{recipient}", settings.JICHITAI_MAIL_RATE_PER_ADDRESS),
    ):
        retry_after = hit("mail", key, Rate.parse(rate))
        if retry_after is not None:
            raise RateLimited(retry_after, MAIL_MESSAGE)


# A view function, or what a class-based view's ``as_view()`` returns.
ViewFunction = Callable[..., HttpResponseBase]


def rate_limited(
    scope: str, rate: str, *, methods: Container[str] = ("POST",), json: bool = False
) -> Callable[[ViewFunction], ViewFunction]:
    """Limits a view per client address for the given methods, and answers 429 when the view
    reaches a finer limit (``RateLimited``)."""
    parsed = Rate.parse(rate)

    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                retry_after = hit(scope, client_ip(request) or "unknown", parsed)
                if retry_after is not None:
                    return too_many_requests(request, retry_after, json=json)
            try:
                return view(request, *args, **kwargs)
            except RateLimited as refusal:
                return too_many_requests(
                    request, refusal.retry_after, json=json, message=refusal.message
                )

        return wrapper

    return decorate


def too_many_requests(
    request: HttpRequest,
    retry_after: int,
    *,
    json: bool = False,
    message: str = "短時間に多くの送信がありました。{minutes}分ほど待ってから、もう一度お試しください。",
) -> HttpResponse:
    message = message.format(minutes=max(1, (retry_after + 59) // 60))
    response: HttpResponse
    if json:
        response = JsonResponse({"detail": message, "code": "rate_limited"}, status=429)
    else:
        response = render(request, "core/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
