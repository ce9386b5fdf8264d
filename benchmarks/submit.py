"""make bench-submit: validated submissions of a 20-field form through the public API, served by
gunicorn on PostgreSQL and Redis, driven by wrk from a separate process for a fixed time, read
against the framework's own floor measured in the same invocation:

(a) the product's submission API;
(b) a minimal Django endpoint (benchmarks/minimal_site.py) served with the same gunicorn options,
    validating the same JSON with the same validator and inserting one row through the ORM;
(c) pgbench's single-row INSERT into the same database.

(a), (b) and (c) are driven as fast as they answer (a closed loop: wrk's connections each send the
next request once the last is answered): their peak rate. Then (a), on the same server, is driven
open loop (benchmarks/open_loop.py, as wrk2's -R) at a fixed arrival rate of half its measured peak,
its latency counted from each request's due time: the p99 a resident meets at a busy but not
saturated moment, which the target (p99 < 100 ms at half the peak rate) is about.

Each prints its rate, p50/p99 latency, the rows counted in the database afterwards (none lost,
none duplicated) and the load average while it ran; then the ratio (a) ÷ (b), the CPU each
answered request cost the app, PostgreSQL, Redis, the load generator and the rest of the machine
in each run (benchmarks/cpu_share.py: where the two cores went under load), and for one API
submission and one web form's final POST the CPU time, the Python function calls (a count other work
on the machine does not change) and the 15 functions that spend most of the time by themselves
(exclusive CPU time, measured with a CPU clock in-process, their cumulative time beside it). The last
line is ``bench-submit: product N/s, minimal M/s, pgbench P/s, ratio R``.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import cpu_share
from loopback import BIN, PG, environment, psql, run_wrk, start_gunicorn
from open_loop import drive, summary, tally
from submit_form import BODY, prepare
from submit_profile import cpu_profile, print_profile, web_form_cpu_profile

WRK_SCRIPT = r"""
local counter = 0
local threads = {}
local thread_number = 0
local body = BODY_JSON

function setup(thread)
  thread_number = thread_number + 1
  thread:set("id", thread_number)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  other = 0
end

function request()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json", ["Idempotency-Key"] = RUN .. "-" .. id .. "-" .. counter}
  return wrk.format("POST", PATH, headers, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    if other == 1 then io.stderr:write("first non-201 answer: " .. status .. " " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_created, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format(
    "RESULT {\"requests\": %d, \"created\": %d, \"other\": %d, \"socket_errors\": %d, \"seconds\": %.3f, " ..
    "\"p50_ms\": %.2f, \"p95_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": %.2f}\n",
    summary.requests, total_created, total_other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def run_submissions(
    path: str, port: int, seconds: int, connections: int, host: str = "127.0.0.1"
) -> dict:
    # Lua long brackets hold the UTF-8 JSON as it is (Lua has no \u escapes).
    body = "[==[" + json.dumps(BODY, ensure_ascii=False) + "]==]"
    run = json.dumps(f"run{time.monotonic_ns()}")  # keys differ between runs, so none is a replay
    script = (
        WRK_SCRIPT.replace("BODY_JSON", body).replace("PATH", json.dumps(path)).replace("RUN", run)
    )
    result, _output = run_wrk(script, f"http://{host}:{port}{path}", seconds, connections)
    return result


def count(table: str, database: str) -> int:
    return int(psql(f"SELECT count(*) FROM {table}", database))  # noqa: S608 (the bench's own tables)


def duplicated_applications(database: str) -> int:
    """Idempotency keys or receipt numbers held by more than one application."""
    return int(
        psql(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM procedures_application WHERE"
            " idempotency_key IS NOT NULL GROUP BY procedure_id, idempotency_key HAVING count(*) > 1) k)"
            " + (SELECT count(*) FROM (SELECT 1 FROM procedures_application"
            " GROUP BY organization_id, receipt_number HAVING count(*) > 1) r)",
            database,
        )
    )


@contextmanager
def served(env: dict, options, path: str):
    """gunicorn started with ``env`` and warmed on ``path``, stopped on leaving."""
    server = start_gunicorn(env, options.port, options.workers)
    try:
        run_submissions(path, options.port, 2, 4)  # warm the workers' connections and caches
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def watched():
    """What the machine did while the block ran: ``load`` (the load average before and after)
    and ``cpu`` (the CPU seconds each part spent, ``cpu_share``), in the dict it yields, filled
    on leaving."""
    machine: dict = {}
    load_before = os.getloadavg()
    cpu_before = cpu_share.snapshot()
    yield machine
    machine["cpu"] = cpu_share.spent(cpu_before, cpu_share.snapshot())
    machine["load"] = (load_before, os.getloadavg())


def peak(options, path: str, table: str, database: str) -> dict:
    """Drives ``path`` as fast as it answers and counts ``table``'s new rows."""
    before = count(table, database)
    with watched() as machine:
        result = run_submissions(path, options.port, options.seconds, options.connections)
    result.update(machine)
    result["rows"] = count(table, database) - before
    result["rate"] = result["created"] / result["seconds"]
    result["lost"] = max(0, result["created"] - result["rows"])
    return result


def fixed_rate(options, path: str, database: str, rate: float) -> dict:
    """Drives the submission API open loop at ``rate`` per second for ``options.steady_seconds``;
    every key the run used is looked up in the database: lost, duplicated and unanswered rows."""
    key_prefix = f"steady{time.monotonic_ns()}"
    body = json.dumps(BODY, ensure_ascii=False).encode()
    time.sleep(1)  # the peak run's last requests leave the workers
    generator_before = time.process_time()
    with watched() as machine:
        outcomes = drive(
            "127.0.0.1",
            options.port,
            path,
            body,
            rate=rate,
            seconds=options.steady_seconds,
            key_prefix=key_prefix,
            connections=options.connections,
        )
    # This process sends the requests: the CPU it took from the server's 2 cores, per request.
    generator_ms = (time.process_time() - generator_before) * 1000 / max(1, len(outcomes))
    result = summary(outcomes, options.steady_seconds)
    # The key as sent: the product stores it behind its channel's prefix ("api-…").
    sent_key = f"substring(idempotency_key from position('{key_prefix}-' in idempotency_key))"
    select = f"SELECT {sent_key}, receipt_number FROM procedures_application"  # noqa: S608
    rows = psql(f"{select} WHERE idempotency_key LIKE '%{key_prefix}-%'", database)
    found = [tuple(line.split("|", 1)) for line in rows.splitlines() if line]
    created = [outcome.key for outcome in outcomes if outcome.status == 201]
    return {
        **result,
        **tally(created, found),
        **machine,
        "due_rate": rate,
        "generator_ms": generator_ms,
    }


def insert_ceiling(database: str, seconds: int, clients: int) -> dict:
    """pgbench's single-row INSERT into the same database: rate, latency, rows counted."""
    psql(
        "CREATE TABLE bench_insert (id bigserial primary key, payload jsonb, created timestamptz default now())",
        database,
    )
    workdir = tempfile.mkdtemp(prefix="bench-pgbench-")
    script = os.path.join(workdir, "insert.sql")
    with open(script, "w") as handle:
        handle.write("INSERT INTO bench_insert (payload) VALUES ('{\"receipt\": 1}');\n")
    with watched() as machine:
        output = subprocess.run(
            [
                "pgbench",
                "-h",
                PG["host"],
                "-p",
                PG["port"],
                "-U",
                PG["user"],
                "-n",
                f"-c{clients}",
                "-j2",
                f"-T{seconds}",
                "-l",
                f"--log-prefix={workdir}/log",
                "-f",
                script,
                database,
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=workdir,
        ).stdout
    # Per-transaction log lines: client, transaction number, latency (µs), script, epoch, µs.
    latencies = []
    for name in os.listdir(workdir):
        if name.startswith("log"):
            with open(os.path.join(workdir, name)) as log:
                latencies.extend(int(line.split()[2]) / 1000 for line in log if line.strip())
    shutil.rmtree(workdir)
    processed = int(re.search(r"number of transactions actually processed: (\d+)", output).group(1))
    rows = count("bench_insert", database)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "rate": float(re.search(r"tps = ([\d.]+)", output).group(1)),
        "created": processed,
        "rows": rows,
        "lost": max(0, processed - rows),
        "p50_ms": quantiles[49],
        "p99_ms": quantiles[98],
        "max_ms": max(latencies),
        "other": 0,
        "socket_errors": 0,
        **machine,
    }


def print_cpu_shares(header: tuple[str, ...], runs: tuple[dict, ...]) -> None:
    """The CPU each answered request cost each part of the machine during each run (cpu_share)."""
    print(
        "\nCPU per answered request (ms, user + system, all processes on the machine by program):\n"
    )
    print("| " + " | ".join(f"{cell:<22}" for cell in header) + " |")
    print("|" + "|".join("-" * 24 for _ in header) + "|")
    for part in (*cpu_share.PARTS, "total"):
        cells = []
        for run in runs:
            seconds = sum(run["cpu"].values()) if part == "total" else run["cpu"][part]
            cells.append(f"{seconds * 1000 / run['created']:.2f}" if run["created"] else "-")
        print("| " + " | ".join(f"{cell:<22}" for cell in (part, *cells)) + " |")


def load_text(load: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    return " → ".join("/".join(f"{value:.2f}" for value in sample) for sample in load)


def profile_only(options) -> None:
    """The same database, procedure and settings as the full run, and only the CPU profile."""
    database = f"jichitai_bench_{os.getpid()}"
    psql(f"CREATE DATABASE {database}")
    cache = options.redis.replace("redis://", "rediscache://", 1)
    try:
        env = environment(database, JICHITAI_API_SUBMIT_RATE="100000000/m", CACHE_URL=cache)
        subprocess.run([BIN / "jichitai", "migrate", "-v0"], env=env, check=True)
        procedure_id = prepare(env)
        load_before = os.getloadavg()
        cpu_ms, calls, profile = cpu_profile(procedure_id, options.profiled)
        web = web_form_cpu_profile(procedure_id, options.profiled)
        load = (load_before, os.getloadavg())
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {database}")
    print(f"\nload average 1/5/15: {load_text(load)}")
    print_profile("API submissions", options.profiled, cpu_ms, calls, profile)
    print_profile("web form final POSTs", options.profiled, *web)
    print(
        f"\nbench-submit: CPU {cpu_ms:.2f} ms per API submission, {web[0]:.2f} ms per web form"
        " submission (profile only)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument(
        "--steady-seconds",
        type=int,
        default=20,
        help="how long the product is driven at half its peak rate",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--profiled", type=int, default=300, help="submissions profiled")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="the shared cache")
    parser.add_argument(
        "--profile-only",
        action="store_true",
        help="only the in-process CPU profile (no gunicorn, wrk or pgbench runs): the figure that"
        " still means something on a machine shared with other work, where rates do not",
    )
    options = parser.parse_args()
    if options.profile_only:
        profile_only(options)
        return
    for tool in ("wrk", "pgbench", "psql"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian packages wrk, postgresql-client)")

    database = f"jichitai_bench_{os.getpid()}"
    psql(f"CREATE DATABASE {database}")
    cache = options.redis.replace("redis://", "rediscache://", 1)
    try:
        env = environment(database, JICHITAI_API_SUBMIT_RATE="100000000/m", CACHE_URL=cache)
        subprocess.run([BIN / "jichitai", "migrate", "-v0"], env=env, check=True)
        procedure_id = prepare(env)
        psql(
            "CREATE TABLE bench_minimal (id bigserial primary key, payload jsonb NOT NULL,"
            " created timestamptz NOT NULL)",
            database,
        )
        api = f"/api/v1/o/242012/procedures/{procedure_id}/applications"
        with served(env, options, api):
            product = peak(options, api, "procedures_application", database)
            steady = fixed_rate(options, api, database, product["rate"] / 2)
        # Every application in the table: those of the peak run and of the half-rate run.
        product["duplicated"] = duplicated_applications(database)
        minimal_path = f"/minimal/{procedure_id}"
        with served({**env, "DJANGO_SETTINGS_MODULE": "minimal_site"}, options, minimal_path):
            minimal = peak(options, minimal_path, "bench_minimal", database)
        minimal["duplicated"] = 0  # no key to repeat: every request is a new row
        ceiling = insert_ceiling(database, 10, options.connections)
        ceiling["duplicated"] = 0
        load_before = os.getloadavg()
        cpu_ms, calls, profile = cpu_profile(procedure_id, options.profiled)
        web = web_form_cpu_profile(procedure_id, options.profiled)
        profile_load = (load_before, os.getloadavg())
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {database}")

    ratio = product["rate"] / minimal["rate"] if minimal["rate"] else 0.0
    print(
        f"\nbench-submit: 20-field form, gunicorn {options.workers} workers, PostgreSQL + Redis,"
        f" {options.connections} connections, {options.seconds} s each at the peak,"
        f" {options.steady_seconds} s at half the product's peak, {os.cpu_count()} CPUs\n"
    )
    header = (
        "",
        "(a) product API",
        "(a) at half its peak",
        "(b) minimal Django",
        "(c) pgbench INSERT",
    )
    print("| " + " | ".join(f"{cell:<22}" for cell in header) + " |")
    print("|" + "|".join("-" * 24 for _ in header) + "|")
    runs = (product, steady, minimal, ceiling)
    for label, show in (
        (
            "offered",
            lambda run: f"{run['due_rate']:,.0f}/s, open loop" if "due_rate" in run else "peak",
        ),
        ("answered 201 / done", lambda run: f"{run['created']}"),
        ("per second", lambda run: f"{run['rate']:,.0f}"),
        ("latency p50 (ms)", lambda run: f"{run['p50_ms']:.1f}"),
        ("latency p99 (ms)", lambda run: f"{run['p99_ms']:.1f}"),
        ("latency max (ms)", lambda run: f"{run['max_ms']:.1f}"),
        ("other answers", lambda run: f"{run['other'] + run['socket_errors']}"),
        ("rows counted", lambda run: f"{run['rows']}"),
        ("lost (done, no row)", lambda run: f"{run['lost']}"),
        ("duplicated", lambda run: f"{run['duplicated']}"),
        ("load average 1/5/15", lambda run: load_text(run["load"])),
    ):
        print("| " + " | ".join(f"{cell:<22}" for cell in (label, *map(show, runs))) + " |")
    print(
        "\nLatency at the peak is wrk's, from each request's send; at half the peak it runs from"
        " each request's due time (open loop), so time spent queued is counted."
    )
    print(f"ratio product ÷ minimal: {ratio:.2f}")
    print_cpu_shares(header, runs)
    print(f"\nload average 1/5/15 during the CPU profiles: {load_text(profile_load)}")
    print_profile("API submissions", options.profiled, cpu_ms, calls, profile)
    print_profile("web form final POSTs", options.profiled, *web)
    # A row may exist without its 201 only for requests in flight when wrk stopped (at most one per
    # connection); a 201 without a row would be a lost submission.
    failed = [
        name
        for name, run in (("product", product), ("minimal", minimal))
        if not run["created"] <= run["rows"] <= run["created"] + options.connections
    ]
    if ceiling["rows"] != ceiling["created"]:
        failed.append("pgbench")
    if product["duplicated"]:
        failed.append("product (duplicates)")
    if steady["lost"] or steady["duplicated"]:
        failed.append("product at half its peak")
    answered_all = steady["requests"] and steady["created"] == steady["requests"]
    verdict = "met" if answered_all and steady["p99_ms"] < 100 else "not met"
    print(
        f"\nbench-submit at half the peak: {steady['due_rate']:.0f}/s offered,"
        f" {steady['rate']:.0f}/s answered, p50 {steady['p50_ms']:.1f} ms,"
        f" p99 {steady['p99_ms']:.1f} ms, max {steady['max_ms']:.1f} ms, lost {steady['lost']},"
        f" duplicated {steady['duplicated']}, rows without a 201 {steady['unanswered']}"
        f" (the generator's CPU: {steady['generator_ms']:.2f} ms per request); p99 < 100 ms {verdict}"
    )
    print(
        f"bench-submit: product {product['rate']:.0f}/s, minimal {minimal['rate']:.0f}/s, "
        f"pgbench {ceiling['rate']:.0f}/s, ratio {ratio:.2f}"
    )
    if failed:
        sys.exit(f"rows in the database do not match the answers: {', '.join(failed)}")


if __name__ == "__main__":
    main()
