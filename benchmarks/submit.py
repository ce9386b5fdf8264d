"""make bench-submit: validated submissions of a 20-field form through the public API, served by
gunicorn on PostgreSQL and Redis, driven by wrk from a separate process for a fixed time, read
against the framework's own floor measured in the same invocation:

(a) the product's submission API;
(b) a minimal Django endpoint (benchmarks/minimal_site.py) served with the same gunicorn options,
    validating the same JSON with the same validator and inserting one row through the ORM;
(c) pgbench's single-row INSERT into the same database.

Each prints its rate, p50/p99 latency, the rows counted in the database afterwards (none lost,
none duplicated) and the load average while it ran; then the ratio (a) ÷ (b), the CPU time of one
submission and the 15 functions that spend most of it by themselves (exclusive CPU time, measured
with a CPU clock in-process). The last line is
``bench-submit: product N/s, minimal M/s, pgbench P/s, ratio R``.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from loopback import BIN, PG, environment, psql, run_wrk, start_gunicorn

CHOICES = [{"value": v, "label": v} for v in ("会場", "オンライン", "未定")]
FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "birth", "type": "date", "label": "生年月日", "required": True},
    {"name": "address", "type": "address", "label": "住所", "required": True},
    {"name": "phone", "type": "phone", "label": "電話番号", "required": True},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    {"name": "postal", "type": "postal_code", "label": "勤務先郵便番号", "required": False},
    {"name": "company", "type": "text", "label": "勤務先", "required": False},
    {"name": "department", "type": "text", "label": "部署", "required": False},
    {"name": "position", "type": "text", "label": "役職", "required": False},
    {
        "name": "participants",
        "type": "number",
        "label": "参加人数",
        "required": True,
        "minimum": 1,
        "maximum": 5,
    },
    {
        "name": "children",
        "type": "number",
        "label": "同伴の子ども",
        "required": False,
        "minimum": 0,
        "maximum": 5,
    },
    {
        "name": "attend",
        "type": "single_choice",
        "label": "参加方法",
        "required": True,
        "choices": CHOICES,
    },
    {
        "name": "session",
        "type": "single_choice",
        "label": "希望の回",
        "required": True,
        "choices": [{"value": f"第{n}回", "label": f"第{n}回"} for n in range(1, 4)],
    },
    {
        "name": "topics",
        "type": "multiple_choice",
        "label": "関心のある分野",
        "required": False,
        "choices": [
            {"value": t, "label": t} for t in ("RPA", "AI-OCR", "オープンデータ", "電子申請")
        ],
    },
    {
        "name": "needs_support",
        "type": "single_choice",
        "label": "支援の希望",
        "required": False,
        "choices": [
            {"value": "希望する", "label": "希望する"},
            {"value": "希望しない", "label": "希望しない"},
        ],
    },
    {
        "name": "support_detail",
        "type": "textarea",
        "label": "支援の内容",
        "required": True,
        "show_if": {"field": "needs_support", "values": ["希望する"]},
    },
    {
        "name": "question",
        "type": "textarea",
        "label": "事前質問",
        "required": False,
        "max_length": 1000,
    },
    {"name": "how_known", "type": "text", "label": "知ったきっかけ", "required": False},
    {
        "name": "newsletter",
        "type": "single_choice",
        "label": "お知らせメール",
        "required": False,
        "choices": [
            {"value": "受け取る", "label": "受け取る"},
            {"value": "受け取らない", "label": "受け取らない"},
        ],
    },
    {"name": "agree", "type": "consent", "label": "個人情報の取扱いに同意します", "required": True},
]
BODY = {
    "applicant": {"family": "三重", "given": "花子", "family_kana": "ミエ", "given_kana": "ハナコ"},
    "birth": "昭和60年4月1日",
    "address": {
        "postal_code": "514-0006",
        "address": "三重県津市広明町13番地",
        "building": "県庁舎3階",
    },
    "phone": "059-224-3070",
    "email": "hanako@example.jp",
    "postal": "5140006",
    "company": "三重県庁",
    "department": "スマート改革推進課",
    "position": "主査",
    "participants": 2,
    "children": 0,
    "attend": "会場",
    "session": "第2回",
    "topics": ["RPA", "AI-OCR"],
    "needs_support": "希望する",
    "support_detail": "要約筆記を希望します",
    "question": "AI-OCR の導入手順について教えてください。",
    "how_known": "県のホームページ",
    "newsletter": "受け取る",
    "agree": True,
}

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


def prepare(env: dict) -> int:
    """Creates the organization and the published 20-field procedure; returns its id."""
    import django

    os.environ.update(env)
    django.setup()
    from jichitai.procedures import services
    from jichitai.tenancy.models import Division, Organization

    organization = Organization.objects.create(
        code="242012", name="津市", name_kana="つし", kind="city"
    )
    division = Division.objects.create(organization=organization, name="情報政策課")
    procedure = services.create_procedure(
        actor=None,
        organization=organization,
        division=division,
        name="ベンチマーク講座",
        category="event",
        fields=FIELDS,
    )
    services.publish_procedure(actor=None, procedure=procedure)
    return procedure.pk


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


def serve_and_drive(env: dict, options, path: str, table: str, database: str) -> dict:
    """Starts gunicorn with ``env``, warms it, drives ``path`` and counts ``table``'s new rows."""
    server = start_gunicorn(env, options.port, options.workers)
    try:
        run_submissions(path, options.port, 2, 4)  # warm the workers' connections and caches
        before = count(table, database)
        load_before = os.getloadavg()
        result = run_submissions(path, options.port, options.seconds, options.connections)
        result["load"] = (load_before, os.getloadavg())
        result["rows"] = count(table, database) - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["rate"] = result["created"] / result["seconds"]
    return result


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
    load_before = os.getloadavg()
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
    load = (load_before, os.getloadavg())
    # Per-transaction log lines: client, transaction number, latency (µs), script, epoch, µs.
    latencies = []
    for name in os.listdir(workdir):
        if name.startswith("log"):
            with open(os.path.join(workdir, name)) as log:
                latencies.extend(int(line.split()[2]) / 1000 for line in log if line.strip())
    shutil.rmtree(workdir)
    processed = int(re.search(r"number of transactions actually processed: (\d+)", output).group(1))
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "rate": float(re.search(r"tps = ([\d.]+)", output).group(1)),
        "created": processed,
        "rows": count("bench_insert", database),
        "p50_ms": quantiles[49],
        "p99_ms": quantiles[98],
        "other": 0,
        "socket_errors": 0,
        "load": load,
    }


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


def load_text(load: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    return " → ".join("/".join(f"{value:.2f}" for value in sample) for sample in load)


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
        load = (load_before, os.getloadavg())
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {database}")
    print(f"\nload average 1/5/15: {load_text(load)}")
    print_profile(options.profiled, cpu_ms, calls, profile)
    print(f"\nbench-submit: CPU {cpu_ms:.2f} ms per submission (profile only)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
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
        product = serve_and_drive(
            env,
            options,
            f"/api/v1/o/242012/procedures/{procedure_id}/applications",
            "procedures_application",
            database,
        )
        product["duplicated"] = duplicated_applications(database)
        minimal = serve_and_drive(
            {**env, "DJANGO_SETTINGS_MODULE": "minimal_site"},
            options,
            f"/minimal/{procedure_id}",
            "bench_minimal",
            database,
        )
        minimal["duplicated"] = 0  # no key to repeat: every request is a new row
        ceiling = insert_ceiling(database, 10, options.connections)
        ceiling["duplicated"] = 0
        cpu_ms, calls, profile = cpu_profile(procedure_id, options.profiled)
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {database}")

    ratio = product["rate"] / minimal["rate"] if minimal["rate"] else 0.0
    print(
        f"\nbench-submit: 20-field form, gunicorn {options.workers} workers, PostgreSQL + Redis,"
        f" {options.connections} connections, {options.seconds} s each, {os.cpu_count()} CPUs\n"
    )
    header = ("", "(a) product API", "(b) minimal Django", "(c) pgbench INSERT")
    print("| " + " | ".join(f"{cell:<20}" for cell in header) + " |")
    print("|" + "|".join("-" * 22 for _ in header) + "|")
    runs = (product, minimal, ceiling)
    for label, show in (
        ("answered 201 / done", lambda run: f"{run['created']}"),
        ("per second", lambda run: f"{run['rate']:,.0f}"),
        ("latency p50 (ms)", lambda run: f"{run['p50_ms']:.1f}"),
        ("latency p99 (ms)", lambda run: f"{run['p99_ms']:.1f}"),
        ("other answers", lambda run: f"{run['other'] + run['socket_errors']}"),
        ("rows counted", lambda run: f"{run['rows']}"),
        ("lost (done, no row)", lambda run: f"{max(0, run['created'] - run['rows'])}"),
        ("duplicated", lambda run: f"{run['duplicated']}"),
        ("load average 1/5/15", lambda run: load_text(run["load"])),
    ):
        print("| " + " | ".join(f"{cell:<20}" for cell in (label, *map(show, runs))) + " |")
    print(f"\nratio product ÷ minimal: {ratio:.2f}")
    print_profile(options.profiled, cpu_ms, calls, profile)
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
    print(
        f"\nbench-submit: product {product['rate']:.0f}/s, minimal {minimal['rate']:.0f}/s, "
        f"pgbench {ceiling['rate']:.0f}/s, ratio {ratio:.2f}"
    )
    if failed:
        sys.exit(f"rows in the database do not match the answers: {', '.join(failed)}")


if __name__ == "__main__":
    main()
