"""Where a bench's CPU went: user + system time of every process on the machine, read from /proc
before and after a run and summed by program (the app's gunicorn workers, PostgreSQL's backends,
Redis, the load generator, everything else). Divided by the requests answered it gives the CPU
each request cost each part while the machine was saturated, which the in-process profile alone
cannot show: what the server's processes spend when they contend for the same cores."""

import os

TICKS = os.sysconf("SC_CLK_TCK")
PARTS = ("app", "PostgreSQL", "Redis", "load generator", "other")
_PART_OF_COMMAND = {
    "gunicorn": "app",
    "postgres": "PostgreSQL",
    "redis-server": "Redis",
    "wrk": "load generator",
    "pgbench": "load generator",
}


def _part(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/comm") as handle:
            command = handle.read().strip()
    except OSError:
        return "other"
    return _PART_OF_COMMAND.get(command, "other")


def _times(pid: str) -> tuple[float, float, str] | None:
    """The process's own CPU seconds, those of its children it has waited for, and its parent."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            # Fields after the command (which may hold spaces) start at ")": the parent is the
            # 4th field of the line, utime, stime, cutime and cstime the 14th to 17th.
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    own = (int(fields[11]) + int(fields[12])) / TICKS
    children = (int(fields[13]) + int(fields[14])) / TICKS
    return own, children, fields[1]


def snapshot() -> dict[str, tuple[str, float, float, str]]:
    """Every process now, by pid: its part, its CPU seconds, its waited children's, its parent."""
    processes = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit() and (times := _times(pid)) is not None:
            processes[pid] = (_part(pid), *times)
    return processes


def spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each part spent between two snapshots. A process that ended in between is
    counted in its parent's waited children (PostgreSQL's backends in the postmaster's, wrk in
    this process's), less what it had spent before; this process and the programs it ran and
    waited for (wrk, pgbench, psql) count as the load generator."""
    own_pid = str(os.getpid())
    totals = dict.fromkeys(PARTS, 0.0)

    def part_of(pid: str, part: str) -> str:
        return "load generator" if pid == own_pid else part

    for pid, (part, own, children, _parent) in after.items():
        earlier = before.get(pid)
        if earlier is not None and earlier[0] == part:
            own, children = own - earlier[1], children - earlier[2]
        totals[part_of(pid, part)] += own + children
    for pid, (_part_before, own, children, parent) in before.items():
        if pid not in after and parent in after:
            totals[part_of(parent, after[parent][0])] -= own + children
    return totals
