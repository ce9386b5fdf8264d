"""The embedded default (SQLite file, database queue) keeps working while a request is slow or
the database is briefly locked: reads do not take the write lock, submissions are answered, and the
worker keeps sending mail."""

import json
import threading
from datetime import UTC, datetime

import pytest

from jichitai.jobs.tests.embedded import EmbeddedSite, wait_for


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One site for the module: starting its processes takes a while."""
    site = EmbeddedSite(tmp_path_factory.mktemp("embedded"))
    try:
        site.start()
        yield site
    finally:
        site.stop()


def test_a_slow_request_holds_up_neither_submissions_nor_the_worker(site):
    slow_answer = {}
    reader = threading.Thread(
        target=lambda: slow_answer.update(answer=site.get("/slow/", timeout=90)), daemon=True
    )
    reader.start()
    assert wait_for((site.directory / "slow-started").exists, 30)
    mails_before = site.mails()

    answers = [site.submit() for _ in range(5)]

    assert [status for status, _ in answers] == [201] * 5, answers
    # The worker sends each receipt mail while the slow page is still open.
    assert wait_for(lambda: site.mails() == mails_before + 5, 30), site.log("worker")
    assert reader.is_alive()
    (site.directory / "slow-release").touch()
    reader.join(10)
    assert slow_answer["answer"] == (200, b"slow page")


def test_the_worker_survives_a_database_locked_for_longer_than_its_timeout(site):
    mails_before = site.mails()
    assert site.submit()[0] == 201
    assert wait_for(lambda: site.mails() == mails_before + 1, 60), site.log("worker")
    holder = site.hold_write_lock()
    try:
        # The site's busy timeout is 2 s: the worker meets "database is locked" several times.
        wait_for(lambda: False, 7)
    finally:
        holder.rollback()
        holder.close()

    status, _ = site.submit()

    assert status == 201
    assert wait_for(lambda: site.mails() == mails_before + 2, 30), site.log("worker")
    assert site.worker.poll() is None
    status, body = site.get("/healthz/worker")
    assert status == 200 and json.loads(body)["worker"] == "ok", body


def test_a_running_job_keeps_its_heartbeat_through_a_locked_database(site):
    job_id = site.start_job("test.until_released")
    assert wait_for(lambda: site.job(job_id)["status"] == "running", 60), site.log("worker")
    holder = site.hold_write_lock()
    try:
        # Longer than a heartbeat interval: at least one heartbeat meets "database is locked".
        wait_for(lambda: False, 12)
    finally:
        holder.rollback()
        holder.close()
    released_at = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")

    assert wait_for(lambda: site.job(job_id)["heartbeat_at"] > released_at, 15)
    (site.directory / "job-release").touch()
    assert wait_for(lambda: site.job(job_id)["status"] == "succeeded", 30), site.log("worker")


def test_a_task_finished_while_the_database_is_locked_is_recorded_once_it_is_free(site):
    """A task whose outcome meets "database is locked" is not left running for ever (its mail
    would never be counted as sent, nor sent again): the worker records it when the lock is gone."""
    task_id = site.start_task()
    assert wait_for(lambda: site.task_status(task_id) == "RUNNING", 60), site.log("worker")
    holder = site.hold_write_lock()
    try:
        (site.directory / "task-release").touch()
        # Longer than the busy timeout (2 s): recording the outcome meets the lock.
        wait_for(lambda: False, 7)
        assert site.task_status(task_id) == "RUNNING"
    finally:
        holder.rollback()
        holder.close()

    assert wait_for(lambda: site.task_status(task_id) == "SUCCESSFUL", 30), site.log("worker")
    assert site.worker.poll() is None
