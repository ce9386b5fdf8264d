"""make bench-scale: the submission API served by N app processes (N = 1, 2, 4), each a gunicorn
bound to its own loopback address (127.0.0.1, 127.0.0.2, …) as separate machines behind a load
balancer would be, against one PostgreSQL and one Redis. One wrk per address drives them at the same
time with the connections shared out.

Prints, per N, submissions/s and how that grew from N = 1, p50/p99, the rows counted (none lost,
none duplicated), the CPU seconds the app processes and the PostgreSQL server spent per submission,
and the load average; the database has taken over where the rate stops growing while PostgreSQL's
share of the CPU keeps rising. On one 2-core machine the processes share the same cores, so the
figures say how the parts share the work, not what separate machines would reach.
"""

import argparse
import os
import subprocess
import sys
import threading
from pathlib import Path

from loopback import BIN, environment, psql, start_gunicorn
from submit import duplicated_applications, prepare, run_submissions

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(command_names: set[str]) -> float:
    """CPU time (user + system) of every running process with one of ``command_names``."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() not in command_names:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def gunicorn_cpu(servers: list[subprocess.Popen]) -> float:
    """CPU time of the gunicorn masters and their workers."""
    total = 0
    pids = {server.pid for server in servers}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) in pids or int(fields[1]) in pids:  # fields[1] is the parent's pid
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def drive(count: int, options, env: dict, path: str, database: str) -> dict:
    addresses = [f"127.0.0.{number}" for number in range(1, count + 1)]
    servers: list[subprocess.Popen] = []
    try:
        for address in addresses:
            servers.append(start_gunicorn(env, options.port, options.workers, host=address))
        for address in addresses:  # warm each process's workers
            run_submissions(path, options.port, 2, 4, host=address)
        before = int(psql("SELECT count(*) FROM procedures_application", database))
        load_before = os.getloadavg()
        app_before, db_before = gunicorn_cpu(servers), cpu_seconds({"postgres"})
        results: list[dict] = []
        per_address = max(1, options.connections // count)

        def one(address: str) -> None:
            results.append(
                run_submissions(path, options.port, options.seconds, per_address, host=address)
            )

        threads = [threading.Thread(target=one, args=(address,)) for address in addresses]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        app_cpu = gunicorn_cpu(servers) - app_before
        db_cpu = cpu_seconds({"postgres"}) - db_before
        load = (load_before, os.getloadavg())
        rows = int(psql("SELECT count(*) FROM procedures_application", database)) - before
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    created = sum(result["created"] for result in results)
    seconds = max(result["seconds"] for result in results)
    return {
        "processes": count,
        "created": created,
        "rate": created / seconds,
        "p50_ms": max(result["p50_ms"] for result in results),
        "p99_ms": max(result["p99_ms"] for result in results),
        "other": sum(result["other"] + result["socket_errors"] for result in results),
        "rows": rows,
        "app_ms": app_cpu * 1000 / max(1, created),
        "db_ms": db_cpu * 1000 / max(1, created),
        "db_share": db_cpu / max(1e-9, app_cpu + db_cpu),
        "load": load,
        "connections": per_address * count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", default="1,2,4", help="the app process counts to run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32, help="shared out between them")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12", help="the shared cache")
    options = parser.parse_args()

    database = f"jichitai_bench_scale_{os.getpid()}"
    psql(f"CREATE DATABASE {database}")
    runs = []
    try:
        counts = [int(number) for number in options.processes.split(",")]
        env = environment(
            database,
            # Each process answers on its own loopback address, as separate machines would.
            ALLOWED_HOSTS=",".join(f"127.0.0.{number}" for number in range(1, max(counts) + 1)),
            JICHITAI_API_SUBMIT_RATE="100000000/m",
            CACHE_URL=options.redis.replace("redis://", "rediscache://", 1),
        )
        subprocess.run([BIN / "jichitai", "migrate", "-v0"], env=env, check=True)
        procedure_id = prepare(env)
        path = f"/api/v1/o/242012/procedures/{procedure_id}/applications"
        for count in counts:
            runs.append(drive(count, options, env, path, database))
        duplicated = duplicated_applications(database)
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {database}")

    print(
        f"\nbench-scale: N gunicorn processes × {options.workers} workers, each on its own loopback"
        f" address, one PostgreSQL, one Redis, {options.seconds} s each, {os.cpu_count()} CPUs\n"
    )
    header = (
        "| N | conns | submissions/s | × N=1 | p50 ms | p99 ms | rows | lost | app CPU ms/sub"
        " | PostgreSQL CPU ms/sub | PostgreSQL share | load average 1/5/15 |"
    )
    print(header)
    print("|" + "|".join("---" for _ in header.strip("|").split("|")) + "|")
    first = runs[0]["rate"] or 1
    failed = bool(duplicated)
    for run in runs:
        lost = max(0, run["created"] - run["rows"])
        failed |= bool(lost) or run["rows"] > run["created"] + run["connections"]
        load = " → ".join("/".join(f"{v:.2f}" for v in sample) for sample in run["load"])
        print(
            f"| {run['processes']} | {run['connections']:>5} | {run['rate']:>13,.0f} |"
            f" {run['rate'] / first:>5.2f} | {run['p50_ms']:>6.1f} | {run['p99_ms']:>6.1f} |"
            f" {run['rows']:>4} | {lost:>4} | {run['app_ms']:>14.2f} | {run['db_ms']:>21.2f} |"
            f" {run['db_share']:>15.0%} | {load} |"
        )
    print(f"\nduplicated applications: {duplicated}")
    summary = ", ".join(f"N={run['processes']} {run['rate']:.0f}/s" for run in runs)
    print(f"bench-scale: {summary}")
    if failed:
        sys.exit("rows in the database do not match the answers")


if __name__ == "__main__":
    main()
