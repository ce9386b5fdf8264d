"""bench-submit's CPU accounting: every process's CPU between two snapshots, by program, with the
programs the bench runs and waits for counted as the load generator, even after they ended."""

import subprocess
import sys
import time

import pytest
from cpu_share import PARTS, snapshot, spent

BURN = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass"


def test_a_program_the_bench_ran_and_waited_for_counts_as_the_load_generator():
    before = snapshot()
    subprocess.run([sys.executable, "-c", BURN.format(seconds=0.3)], check=True)
    totals = spent(before, snapshot())

    assert set(totals) == set(PARTS)
    assert totals["load generator"] == pytest.approx(0.3, abs=0.1)


def test_a_process_running_before_and_ended_during_the_run_counts_only_its_share_in_the_run():
    child = subprocess.Popen([sys.executable, "-c", BURN.format(seconds=0.6)])
    time.sleep(0.3)  # some of its CPU is spent before the first snapshot
    before = snapshot()
    spent_before = before[str(child.pid)][1]
    child.wait()
    totals = spent(before, snapshot())

    assert spent_before > 0
    assert totals["load generator"] == pytest.approx(0.6 - spent_before, abs=0.1)


def test_nothing_is_spent_by_a_part_that_did_not_run():
    before = snapshot()
    assert spent(before, before) == dict.fromkeys(PARTS, 0.0)
