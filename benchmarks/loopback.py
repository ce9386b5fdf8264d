"""What the HTTP benchmarks share: a throw-away PostgreSQL database, the production settings served
by gunicorn on loopback, and wrk driving it from a separate process."""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-qAt", "-c", sql, database],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def environment(database: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jichitai.settings.production",
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        # A throw-away Fernet key: production settings require one for the secrets vault.
        "JICHITAI_VAULT_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "locmemcache://bench",
        # No mail server on the bench (production settings would send through SMTP).
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        **extra,
    }


def start_gunicorn(
    env: dict, port: int, workers: int, *, host: str = "127.0.0.1"
) -> subprocess.Popen:
    """The production settings (or those ``DJANGO_SETTINGS_MODULE`` in ``env`` names, looked up in
    ``benchmarks/`` too) served as the product starts them (docs/production.md)."""
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "jichitai.wsgi",
            "--preload",
            "--pythonpath",
            str(ROOT / "benchmarks"),
            "--workers",
            str(workers),
            "--bind",
            f"{host}:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(f"http://{host}:{port}/healthz")
    except BaseException:
        # A server that never answered must not outlive the bench: it would hold the database
        # (which then cannot be dropped) and the caller's output pipe open.
        server.terminate()
        server.wait(timeout=30)
        raise
    return server


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer on {url}")


GET_SCRIPT = r"""
local paths = PATHS
local counter = 0

function init(args)
  ok = 0
  other = 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  io.write(string.format(
    "RESULT {\"requests\": %d, \"socket_errors\": %d, \"seconds\": %.3f, " ..
    "\"p50_ms\": %.2f, \"p95_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f}\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def run_wrk(script: str, url: str, seconds: int, connections: int) -> tuple[dict, str]:
    """Runs wrk with a Lua ``script`` whose ``done`` prints ``RESULT {json}``; returns that JSON
    and wrk's whole output."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            handle.name,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    os.unlink(handle.name)
    sys.stderr.write(output.stderr[:2000])
    match = re.search(r"RESULT (\{.*\})", output.stdout)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{output.stdout}")
    return json.loads(match.group(1)), output.stdout


def run_wrk_get(paths: list[str], port: int, seconds: int, connections: int) -> dict:
    """GETs ``paths`` in turn; returns requests, latency percentiles and non-2xx answers."""
    # Lua long brackets hold the UTF-8 paths as they are.
    lua_paths = "{" + ", ".join("[==[" + path + "]==]" for path in paths) + "}"
    result, output = run_wrk(
        GET_SCRIPT.replace("PATHS", lua_paths), f"http://127.0.0.1:{port}/", seconds, connections
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return result


def minimal_document_rates(
    env: dict,
    port: int,
    workers: int,
    document_path: str,
    seconds: int,
    connections: list[int],
    *,
    serve_port: int | None = None,
) -> list[tuple[int, dict]]:
    """The floor of a read: benchmarks/minimal_site.py's one cached JSON document, fetched from
    ``document_path`` of a server already running on ``port`` and served with the same gunicorn
    options on ``serve_port`` (``port`` if that server is stopped first: it must be a port no
    server holds). Returns (connections, result) per count."""
    serve_port = serve_port or port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{document_path}", timeout=10) as answer:
        document = answer.read()
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(document)
    env = {**env, "DJANGO_SETTINGS_MODULE": "minimal_site", "BENCH_DOCUMENT": handle.name}
    server = start_gunicorn(env, serve_port, workers)
    try:
        run_wrk_get(["/minimal/document"], serve_port, 2, 4)
        return [
            (count, run_wrk_get(["/minimal/document"], serve_port, seconds, count))
            for count in connections
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(handle.name)
