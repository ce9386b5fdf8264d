"""Open-loop load at a fixed arrival rate, as wrk2's ``-R`` gives (Debian packages wrk, not wrk2).

Request ``i`` is due at ``start + i / rate`` whatever happened to the ones before it, and its
latency runs from that due time to its answer. A closed loop (wrk, and the peak phase of
bench-submit) sends a connection's next request only once the last one is answered, so a server that
stalls for a second delays the requests that would have arrived meanwhile instead of making them
wait, and their wait never shows in the percentiles (coordinated omission). Here a request that
finds every connection busy, or the server's queue long, waits, and the wait is counted.

Each request is its own connection with ``Connection: close``: gunicorn's sync workers, which the
product runs, close the connection after every answer anyway (wrk reconnects the same way). At most
``connections`` are open at once, as wrk2's ``-c``; requests due while all are busy queue in the
generator, their latency still measured from their due time. The generator's own lateness on a
loaded machine is therefore counted against the server, never in its favour.
"""

import asyncio
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


def schedule(rate: float, seconds: float) -> list[float]:
    """The due times, in seconds from the start, of the requests sent at ``rate`` per second for
    ``seconds``: evenly spaced, ``1 / rate`` apart, the first at 0, every one before ``seconds``."""
    if rate <= 0 or seconds <= 0:
        return []
    # Less a rounding error: 0.57/s for 100 s is 57 requests, though 0.57 × 100 is 56.99999999999999.
    return [index / rate for index in range(math.ceil(rate * seconds - 1e-9))]


def percentile(values: Iterable[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value that at least ``percent`` % of ``values``
    are less than or equal to."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Outcome:
    """One request: its idempotency key, when it was due and when its answer (or its failure) came,
    in seconds from the start, and the HTTP status (0: no answer, a socket error or a timeout)."""

    key: str
    due: float
    finished: float
    status: int

    @property
    def latency_ms(self) -> float:
        return (self.finished - self.due) * 1000


def summary(outcomes: list[Outcome], seconds: float) -> dict:
    """Rate achieved and latency from the due times, over every request sent (a failed one counts
    with the time its failure took). The rate is the 201 answers over the scheduled time, or until
    the last answer if that came later: a server that falls behind the schedule answers less than
    the rate it was offered."""
    latencies = [outcome.latency_ms for outcome in outcomes]
    created = sum(1 for outcome in outcomes if outcome.status == 201)
    elapsed = max([seconds, *(outcome.finished for outcome in outcomes)])
    return {
        "requests": len(outcomes),
        "created": created,
        "other": sum(1 for outcome in outcomes if outcome.status not in (0, 201)),
        "socket_errors": sum(1 for outcome in outcomes if outcome.status == 0),
        "seconds": elapsed,
        "rate": created / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies, default=0.0),
    }


def tally(created_keys: Iterable[str], rows: Iterable[tuple[str, str]]) -> dict:
    """Answers read against the rows found in the database for the same idempotency keys.

    ``created_keys``: the keys answered 201; ``rows``: (idempotency key, receipt number) of each
    row written under one of the run's keys. Lost: a key answered 201 with no row. Duplicated: every
    row beyond the first with the same key, and beyond the first with the same receipt number.
    Unanswered: keys with a row but no 201 (a request that timed out after its row was committed);
    neither lost nor duplicated, but reported."""
    answered = set(created_keys)
    rows = list(rows)
    per_key = Counter(key for key, _receipt in rows)
    per_receipt = Counter(receipt for _key, receipt in rows)
    return {
        "rows": len(rows),
        "lost": len(answered - per_key.keys()),
        "duplicated": sum(count - 1 for count in per_key.values())
        + sum(count - 1 for count in per_receipt.values()),
        "unanswered": len(per_key.keys() - answered),
    }


async def _post(host: str, port: int, request: bytes) -> int:
    """Sends one request on a new connection; the answer's status once the server has closed it."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the rest, until the server closes (Connection: close)
    finally:
        writer.close()
    return int(status_line.split()[1])


def post_request(host: str, port: int, path: str, body: bytes, key: str) -> bytes:
    """The bytes of one JSON POST with its ``Idempotency-Key``, asking the server to close after."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Idempotency-Key: {key}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def _drive(
    host: str,
    port: int,
    path: str,
    body: bytes,
    due_times: list[float],
    key_prefix: str,
    connections: int,
    timeout: float,
) -> list[Outcome]:
    loop = asyncio.get_running_loop()
    free = asyncio.Semaphore(connections)
    outcomes: list[Outcome] = []
    start = loop.time()

    async def one(index: int, due: float) -> None:
        key = f"{key_prefix}-{index}"
        request = post_request(host, port, path, body, key)
        async with free:
            try:
                status = await asyncio.wait_for(_post(host, port, request), timeout)
            except (OSError, TimeoutError, ValueError, IndexError):
                status = 0  # refused, reset, timed out or not HTTP
        outcomes.append(Outcome(key, due, loop.time() - start, status))

    tasks = []
    for index, due in enumerate(due_times):
        wait = start + due - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    return outcomes


def drive(
    host: str,
    port: int,
    path: str,
    body: bytes,
    *,
    rate: float,
    seconds: float,
    key_prefix: str,
    connections: int = 32,
    timeout: float = 10,
) -> list[Outcome]:
    """POSTs ``body`` to ``path`` at ``rate`` per second for ``seconds``, open loop, each request
    with its own key ``<key_prefix>-<index>``; returns every request's outcome once all are
    answered (or have failed, a request taking at most ``timeout`` seconds once it has a
    connection)."""
    due_times = schedule(rate, seconds)
    return asyncio.run(_drive(host, port, path, body, due_times, key_prefix, connections, timeout))
