"""The open-loop generator of bench-submit's half-rate run: its schedule, its latencies counted from
the due times, and the answers read against the rows found."""

import asyncio
import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from open_loop import Outcome, drive, percentile, schedule, summary, tally


def test_requests_are_due_evenly_at_the_rate_from_the_start():
    due = schedule(50, 2)

    assert len(due) == 100
    assert due[0] == 0
    assert due[1] == pytest.approx(0.02)
    assert due[-1] == pytest.approx(1.98)
    assert all(b - a == pytest.approx(0.02) for a, b in itertools.pairwise(due))


def test_every_request_due_before_the_end_is_sent_whatever_the_rate():
    assert len(schedule(72.5, 20)) == 1450
    assert schedule(2.5, 1) == pytest.approx([0, 0.4, 0.8])
    assert len(schedule(0.57, 100)) == 57
    assert schedule(0, 20) == []


def test_the_percentile_is_the_nearest_rank():
    values = [float(value) for value in range(100, 0, -1)]  # 100 … 1, unsorted

    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7
    assert percentile([], 99) == 0


def test_latency_runs_from_the_due_time_not_from_the_send():
    # Ten requests due 10 ms apart, each answered 5 ms after it was due, except that the server
    # stalled for 300 ms at the start: the first answer came at 0.3 s, and the nine due meanwhile
    # waited for it. Measured from their send (after the stall) they would all look like 5 ms.
    outcomes = [Outcome(f"k-{i}", i / 100, max(0.3, i / 100) + 0.005, 201) for i in range(10)]

    result = summary(outcomes, seconds=0.1)

    assert result["max_ms"] == pytest.approx(305)
    assert result["p50_ms"] == pytest.approx(255)  # the 5th shortest: due at 0.05 s
    assert result["p99_ms"] == pytest.approx(305)
    assert result["created"] == 10


def test_the_rate_achieved_counts_201s_until_the_last_answer():
    on_time = [Outcome(f"k-{i}", i / 10, i / 10 + 0.01, 201) for i in range(10)]
    late = [*on_time[:9], Outcome("k-9", 0.9, 2.0, 201)]
    refused = [*on_time[:9], Outcome("k-9", 0.9, 0.91, 503)]
    broken = [*on_time[:9], Outcome("k-9", 0.9, 0.91, 0)]

    assert summary(on_time, seconds=1)["rate"] == pytest.approx(10)
    assert summary(late, seconds=1)["rate"] == pytest.approx(5)
    assert summary(refused, seconds=1)["rate"] == pytest.approx(9)
    assert summary(refused, seconds=1)["other"] == 1
    assert summary(broken, seconds=1)["socket_errors"] == 1


def test_every_201_with_its_one_row_is_neither_lost_nor_duplicated():
    result = tally(["a", "b"], [("a", "R1"), ("b", "R2")])

    assert result == {"rows": 2, "lost": 0, "duplicated": 0, "unanswered": 0}


def test_a_201_without_a_row_is_lost():
    assert tally(["a", "b"], [("a", "R1")])["lost"] == 1


def test_a_second_row_for_a_key_or_a_receipt_number_is_duplicated():
    assert tally(["a"], [("a", "R1"), ("a", "R2")])["duplicated"] == 1
    assert tally(["a", "b"], [("a", "R1"), ("b", "R1")])["duplicated"] == 1
    assert tally(["a"], [("a", "R1"), ("a", "R1")])["duplicated"] == 2


def test_a_row_whose_request_got_no_201_is_counted_apart():
    result = tally(["a"], [("a", "R1"), ("b", "R2")])

    assert result["unanswered"] == 1
    assert result["lost"] == 0
    assert result["duplicated"] == 0


class SlowServer:
    """Answers every request 201 after ``delay`` seconds, one at a time, on a port of its own."""

    def __init__(self, delay: float):
        self.delay = delay
        self.keys: list[str] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    async def _answer(self, reader, writer):
        async with self._one_at_a_time:
            head = await reader.readuntil(b"\r\n\r\n")
            headers = dict(
                line.lower().split(": ", 1) for line in head.decode().split("\r\n")[1:] if line
            )
            self.keys.append(headers["idempotency-key"])
            await reader.readexactly(int(headers["content-length"]))
            await asyncio.sleep(self.delay)
            writer.write(
                b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            )
            await writer.drain()
            writer.close()

    async def _start(self):
        self._one_at_a_time = asyncio.Lock()
        self._server = await asyncio.start_server(self._answer, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def __enter__(self):
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=5)
        return self

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


def test_requests_due_while_every_connection_is_busy_wait_and_the_wait_is_counted():
    # 20 requests due within 0.1 s, on one connection, to a server answering in 50 ms: the last is
    # answered about 1 s after the first was due, 0.9 s after its own due time. A closed loop, or a
    # latency measured from the send, would show about 50 ms for every one.
    with SlowServer(delay=0.05) as server, ThreadPoolExecutor(1) as thread:
        # In a thread of its own, as in the bench's process: the browser tests' Playwright session
        # keeps an event loop running in the suite's main thread.
        outcomes = thread.submit(
            drive,
            "127.0.0.1",
            server.port,
            "/submit",
            b"{}",
            rate=200,
            seconds=0.1,
            key_prefix="t",
            connections=1,
        ).result(timeout=30)

    result = summary(outcomes, seconds=0.1)
    assert result["created"] == 20
    assert sorted(server.keys) == sorted(f"t-{index}" for index in range(20))
    assert result["max_ms"] >= 800
    assert result["p50_ms"] >= 300
