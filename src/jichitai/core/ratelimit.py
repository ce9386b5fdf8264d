"""Rate limits for endpoints that anyone can hit (logins, public submissions). Counts live in the
cache (Redis in production, shared by every app process), in fixed windows per client address.
A refused request gets 429 with a Japanese page or JSON body saying when to try again."""

import time
from dataclasses import dataclass
from functools import wraps

from django.core.cache import cache
from django.http import JsonResponse
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


def hit(scope: str, key: str, rate: Rate) -> int | None:
    """Counts one request; returns None when allowed, else the seconds until the window ends."""
    now = int(time.time())
    window = now // rate.seconds
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=rate.seconds + 1)
        count = 1
    if count > rate.count:
        return (window + 1) * rate.seconds - now
    return None


def rate_limited(scope: str, rate: str, *, methods=("POST",), json: bool = False):
    """Limits a view per client address for the given methods."""
    parsed = Rate.parse(rate)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                retry_after = hit(scope, client_ip(request) or "unknown", parsed)
                if retry_after is not None:
                    return too_many_requests(request, retry_after, json=json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def too_many_requests(request, retry_after: int, *, json: bool = False):
    minutes = max(1, (retry_after + 59) // 60)
    message = f"短時間に多くの送信がありました。{minutes}分ほど待ってから、もう一度お試しください。"
    if json:
        response = JsonResponse({"detail": message, "code": "rate_limited"}, status=429)
    else:
        response = render(request, "core/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
