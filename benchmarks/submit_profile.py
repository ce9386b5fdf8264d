"""bench-submit's CPU profile: one API submission, and one web form's final POST (the resident's
「送信」 on the confirmation page), in-process through the WSGI application gunicorn serves; their CPU
time, their Python function calls and the functions that spend most of it."""

import cProfile
import io
import json
import pstats
import re
import sys
import time
from collections.abc import Callable

from submit_form import BODY


def _wsgi_post(path: str, body: bytes, idempotency_key: str) -> dict:
    """The WSGI environ gunicorn hands the application for one JSON POST."""
    return {
        **_wsgi_environ(path, body, "application/json"),
        "HTTP_IDEMPOTENCY_KEY": idempotency_key,
    }


def _wsgi_environ(path: str, body: bytes, content_type: str) -> dict:
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
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
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
) -> tuple[float, float, list[tuple[str, float, float, float]]]:
    """The CPU time of one API submission in-process, and the 15 functions spending most CPU time
    by themselves (exclusive, with their cumulative time beside it), measured over ``number``
    submissions with the process CPU clock (time waiting for PostgreSQL is not counted; its own CPU
    is part of the database's figures above), and the Python function calls per submission, which other work on the machine does not
    change. Each submission goes through the WSGI application gunicorn serves
    (``jichitai.wsgi.application``): its handler, middleware, URL resolution, the view, and the
    end-of-request signals, as a served request does."""
    from jichitai.wsgi import application

    path = f"/api/v1/o/242012/procedures/{procedure_id}/applications"
    body = json.dumps(BODY, ensure_ascii=False).encode()

    def request(prefix: str, index: int) -> dict:
        return _wsgi_post(path, body, f"{prefix}-{index}")

    return _measure(application, request, "201", number)


def _answer(application: Callable, environ: dict, expected: str) -> None:
    """Hands ``environ`` to the WSGI application and reads the answer, as the server does."""
    answered: list[str] = []

    def start_response(status: str, headers: list, exc_info=None) -> None:
        answered.append(status)

    chunks = application(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        chunks.close()  # as the server does: sends request_finished
    if not answered[0].startswith(expected):
        raise SystemExit(f"the profiled submission was refused: {answered[0]} {content!r}")


def _measure(
    application: Callable,
    request: Callable[[str, int], dict],
    expected: str,
    number: int,
) -> tuple[float, float, list[tuple[str, float, float, float]]]:
    """Answers 50 requests to warm up, then times ``number`` and profiles ``number`` more; each
    request's environ is made by ``request`` before the timing starts."""
    for environ in [request("warm", index) for index in range(50)]:
        _answer(application, environ, expected)
    environs = [request("clock", index) for index in range(number)]
    started = time.process_time()
    for environ in environs:
        _answer(application, environ, expected)
    cpu_ms = (time.process_time() - started) * 1000 / number
    environs = [request("profile", index) for index in range(number)]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for environ in environs:
        _answer(application, environ, expected)
    profiler.disable()
    stats = pstats.Stats(profiler)
    return cpu_ms, stats.total_calls / number, top_functions(stats.stats, number)


def top_functions(stats: dict, number: int, top: int = 15) -> list[tuple[str, float, float, float]]:
    """The ``top`` functions by exclusive time in a ``pstats.Stats.stats`` table (function → calls,
    primitive calls, exclusive time, cumulative time, callers): the label, the exclusive time per
    ``number`` requests in ms, its share of all exclusive time, and the cumulative time per request
    in ms. Ranked by exclusive time: a frame that contains the whole view (a middleware's
    ``__call__``) has a large cumulative time but spends little by itself."""
    total = sum(row[2] for row in stats.values()) or 1  # every function's own time
    rows = []
    for (file, line, function), (_calls, _primitive, own, cumulative, _callers) in sorted(
        stats.items(), key=lambda item: item[1][2], reverse=True
    )[:top]:
        where = re.sub(r"^.*/(site-packages|src|python3\.\d+)/", "", file)
        label = f"{function} ({where}:{line})" if line else function
        rows.append((label, own * 1000 / number, own * 100 / total, cumulative * 1000 / number))
    return rows


def web_form_cpu_profile(
    procedure_id: int, number: int
) -> tuple[float, float, list[tuple[str, float, float, float]]]:
    """As ``cpu_profile``, for the web form's final POST: the resident's answers are already in
    their session (as the form's pages leave them), and the POST to the confirmation page, with its
    CSRF token, records the application and redirects to the done page. Only that POST is timed;
    each submission has its own session and its own client address (the page allows a client 20
    submissions a minute)."""
    from django.conf import settings
    from django.contrib.sessions.backends.base import SessionBase
    from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
    from django.utils.module_loading import import_string

    from jichitai.wsgi import application

    path = f"/o/242012/procedures/{procedure_id}/confirm/"
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    token = _get_new_csrf_string()
    body = f"csrfmiddlewaretoken={token}".encode()
    # In the session: what the form's pages store (public_views._state), with this form's answers.
    answers = {**BODY, "participants": "2", "children": "0", "agree": "on"}

    def request(prefix: str, index: int) -> dict:
        session = store()
        session["procedures:upload_token"] = f"{prefix}-{index}"
        session[f"procedures:application:{procedure_id}"] = {
            "raw": answers,
            "files": {},
            "key": f"{prefix}-{index}",
            "upload_token": f"{prefix}-{index}",
        }
        session.save()
        environ = _wsgi_environ(path, body, "application/x-www-form-urlencoded")
        environ["REMOTE_ADDR"] = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        environ["HTTP_COOKIE"] = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={token}"
        )
        return environ

    return _measure(application, request, "302", number)


def print_profile(
    what: str,
    number: int,
    cpu_ms: float,
    calls: float,
    profile: list[tuple[str, float, float, float]],
) -> None:
    print(
        f"\nCPU per submission (in-process, CPU clock, {number} {what}): "
        f"{cpu_ms:.2f} ms, {calls:,.0f} Python function calls."
        " Top 15 by exclusive (self) CPU time, ms per submission (under the profiler), with the"
        " share of all exclusive time and the cumulative time (the function and all it calls):\n"
    )
    print("| exclusive  | share   | cumulative | function")
    for label, milliseconds, share, cumulative in profile:
        print(f"| {milliseconds:>7.3f} ms | {share:>5.1f} % | {cumulative:>7.3f} ms | {label}")
