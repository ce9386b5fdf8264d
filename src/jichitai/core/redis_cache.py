"""Django's Redis cache, keeping one client per connection pool.

Django's backend builds a new ``redis.Redis`` for every cache call, and building one sets up its
table of several hundred reply handlers: on the submission path that cost more CPU than the calls
themselves. A client is only a handle on its pool (which hands out the connections, and is safe
across threads and after a fork), so one per pool serves every call of the process.
"""

from typing import TYPE_CHECKING, Any

from django.core.cache.backends import redis

if TYPE_CHECKING:
    from redis.client import Redis


class _Client(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}

    # Django's client methods below are private and left out of its type stubs.
    def get_client(
        self, key: str | bytes | memoryview | None = None, *, write: bool = False
    ) -> "Redis":
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[index] = client
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
