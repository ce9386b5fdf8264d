"""make bench-submit: validated submissions of a 20-field form through the public API, served by
gunicorn on PostgreSQL, driven by wrk from a separate process for a fixed time.

Prints submissions/s, latency percentiles, errors and the rows found in the database afterwards
(which must equal the 201 answers), the raw single-row INSERT rate of the same database measured
by pgbench in the same run (the ceiling to compare with), and a profile of where a submission's
time goes.
"""

import argparse
import cProfile
import json
import os
import pstats
import re
import shutil
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


def prepare(database: str) -> int:
    """Creates the organization and the published 20-field procedure; returns its id."""
    import django

    os.environ.update(environment(database, JICHITAI_API_SUBMIT_RATE="100000000/m"))
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


def run_submissions(path: str, port: int, seconds: int, connections: int) -> dict:
    # Lua long brackets hold the UTF-8 JSON as it is (Lua has no \u escapes).
    body = "[==[" + json.dumps(BODY, ensure_ascii=False) + "]==]"
    run = json.dumps(f"run{time.monotonic_ns()}")  # keys differ between runs, so none is a replay
    script = (
        WRK_SCRIPT.replace("BODY_JSON", body).replace("PATH", json.dumps(path)).replace("RUN", run)
    )
    result, _output = run_wrk(script, f"http://127.0.0.1:{port}{path}", seconds, connections)
    return result


def insert_ceiling(database: str, seconds: int, clients: int) -> float:
    psql(
        "CREATE TABLE bench_insert (id bigserial primary key, payload jsonb, created timestamptz default now())",
        database,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write("INSERT INTO bench_insert (payload) VALUES ('{\"receipt\": 1}');\n")
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
            "-f",
            handle.name,
            database,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(handle.name)
    return float(re.search(r"tps = ([\d.]+)", output).group(1))


def profile(procedure_id: int, count: int) -> list[tuple[str, float]]:
    """Where one submission's time goes, measured in-process over ``count`` API submissions."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/api/v1/o/242012/procedures/{procedure_id}/applications"
    body = json.dumps(BODY, ensure_ascii=False)
    profiler = cProfile.Profile()
    profiler.enable()
    for number in range(count):
        client.post(
            url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"profile-{number}"
        )
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[3] for row in stats.stats.values() if row[0] == row[1]) or 1
    buckets = {
        "database round trips (psycopg execute)": ("psycopg/cursor.py", "execute"),
        "JSON Schema validation (jsonschema)": ("jsonschema/validators.py", "iter_errors"),
        "field normalisation (和暦, phone, kana)": ("jichitai/procedures/fields.py", None),
        "ninja request parsing/response": ("ninja/operation.py", "run"),
        "audit entry": ("jichitai/audit/services.py", "record"),
        "Django middleware stack": ("django/core/handlers/base.py", "_get_response"),
    }
    wall = stats.total_tt
    rows = []
    for label, (path, function) in buckets.items():
        cumulative = max(
            (
                data[3]
                for (file, _, name), data in stats.stats.items()
                if file.endswith(path) and (function is None or name == function)
            ),
            default=0.0,
        )
        rows.append((label, cumulative * 1000 / count))
    rows.append(("total per submission (in-process)", wall * 1000 / count))
    del total
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    for tool in ("wrk", "pgbench", "psql"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian packages wrk, postgresql-client)")

    database = f"jichitai_bench_{os.getpid()}"
    psql(f"CREATE DATABASE {database}")
    server = None
    try:
        env = environment(database, JICHITAI_API_SUBMIT_RATE="100000000/m")
        subprocess.run([BIN / "jichitai", "migrate", "-v0"], env=env, check=True)
        procedure_id = prepare(database)
        server = start_gunicorn(env, options.port, options.workers)
        path = f"/api/v1/o/242012/procedures/{procedure_id}/applications"
        run_submissions(path, options.port, 2, 4)  # warm the workers' connections and caches
        from jichitai.procedures.models import Application

        before = Application.objects.count()
        result = run_submissions(path, options.port, options.seconds, options.connections)
        rows = Application.objects.count() - before
        server.terminate()
        server.wait(timeout=30)
        server = None
        ceiling = insert_ceiling(database, 10, options.connections)
        where = profile(procedure_id, 300)
    finally:
        if server is not None:
            server.terminate()
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {database}")

    rate = result["created"] / result["seconds"]
    print(
        f"\nbench-submit: 20-field form, gunicorn {options.workers} workers, PostgreSQL, wrk {options.connections} connections, {options.seconds} s, {os.cpu_count()} CPUs\n"
    )
    print(f"| {'measure':<44} | {'value':>12} |")
    print(f"|{'-' * 46}|{'-' * 14}|")
    for label, value in (
        ("submissions answered 201", f"{result['created']}"),
        ("submissions/s", f"{rate:,.0f}"),
        ("latency p50 (ms)", f"{result['p50_ms']:.1f}"),
        ("latency p95 (ms)", f"{result['p95_ms']:.1f}"),
        ("latency p99 (ms)", f"{result['p99_ms']:.1f}"),
        ("latency max (ms)", f"{result['max_ms']:.1f}"),
        ("non-201 answers", f"{result['other']}"),
        ("socket errors", f"{result['socket_errors']}"),
        ("rows in the database afterwards", f"{rows}"),
        ("lost (201 without a row)", f"{max(0, result['created'] - rows)}"),
        ("rows whose answer the timer cut off", f"{max(0, rows - result['created'])}"),
        ("raw single-row INSERT/s (pgbench, same DB)", f"{ceiling:,.0f}"),
    ):
        print(f"| {label:<44} | {value:>12} |")
    print(
        "\nWhere a submission's time goes (cProfile, in-process, 300 submissions; cumulative ms each):\n"
    )
    for label, milliseconds in where:
        print(f"| {label:<44} | {milliseconds:>10.2f} ms |")
    # A row may exist without its 201 only for requests in flight when wrk stopped (at most one per
    # connection); a 201 without a row would be a lost submission.
    if not result["created"] <= rows <= result["created"] + options.connections:
        sys.exit("rows in the database do not match the 201 answers")


if __name__ == "__main__":
    main()
