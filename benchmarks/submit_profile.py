"""bench-submit's CPU profile: one API submission in-process through the WSGI application gunicorn
serves, its CPU time, its Python function calls and the functions that spend most of it."""

import cProfile
import io
import json
import pstats
import re
import sys
import time

from submit_form import BODY


def _wsgi_post(path: str, body: bytes, idempotency_key: str) -> dict:
    """The WSGI environ gunicorn hands the application for one JSON POST."""
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_IDEMPOTENCY_KEY": idempotency_key,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def cpu_profile(
    procedure_id: int, number: int
) -> tuple[float, float, list[tuple[str, float, float]]]:
    """The CPU time of one API submission in-process, and the 15 functions spending most CPU time
    by themselves (exclusive), measured over ``number`` submissions with the process CPU clock
    (time waiting for PostgreSQL is not counted; its own CPU is part of the database's figures
    above), and the Python function calls per submission, which other work on the machine does not
    change. Each submission goes through the WSGI application gunicorn serves
    (``jichitai.wsgi.application``): its handler, middleware, URL resolution, the view, and the
    end-of-request signals, as a served request does."""
    from jichitai.wsgi import application

    path = f"/api/v1/o/242012/procedures/{procedure_id}/applications"
    body = json.dumps(BODY, ensure_ascii=False).encode()

    def submit(prefix: str, index: int) -> None:
        answered: list[str] = []

        def start_response(status: str, headers: list, exc_info=None) -> None:
            answered.append(status)

        chunks = application(_wsgi_post(path, body, f"{prefix}-{index}"), start_response)
        try:
            content = b"".join(chunks)
        finally:
            chunks.close()  # as the server does: sends request_finished
        if not answered[0].startswith("201"):
            raise SystemExit(f"the profiled submission was refused: {answered[0]} {content!r}")

    for index in range(50):
        submit("warm", index)
    started = time.process_time()
    for index in range(number):
        submit("clock", index)
    cpu_ms = (time.process_time() - started) * 1000 / number
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for index in range(number):
        submit("profile", index)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values()) or 1  # every function's own time
    rows = []
    for (file, line, function), (_calls, _primitive, own, _cumulative, _callers) in sorted(
        stats.stats.items(), key=lambda item: item[1][2], reverse=True
    )[:15]:
        where = re.sub(r"^.*/(site-packages|src)/", "", file)
        label = f"{function} ({where}:{line})" if line else function
        rows.append((label, own * 1000 / number, own * 100 / total))
    return cpu_ms, stats.total_calls / number, rows


def print_profile(
    number: int, cpu_ms: float, calls: float, profile: list[tuple[str, float, float]]
) -> None:
    print(
        f"\nCPU per submission (in-process, CPU clock, {number} API submissions): "
        f"{cpu_ms:.2f} ms, {calls:,.0f} Python function calls."
        " Top 15 by exclusive (self) CPU time, ms per submission (under the profiler):\n"
    )
    for label, milliseconds, share in profile:
        print(f"| {milliseconds:>7.3f} ms | {share:>5.1f} % | {label}")
