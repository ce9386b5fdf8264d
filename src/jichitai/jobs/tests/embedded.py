"""The embedded default as a person runs it with ``make run``: a SQLite file, the development server
and ``jichitai worker`` on the database queue, each its own process, on loopback. Tests drive it
over HTTP and look at its database file and the mail it wrote."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    {"name": "agree", "type": "consent", "label": "同意します", "required": True},
]
BODY = {
    "applicant": {"family": "三重", "given": "花子", "family_kana": "ミエ", "given_kana": "ハナコ"},
    "email": "hanako@example.jp",
    "agree": True,
}
PREPARE = f"""
import django
django.setup()
from jichitai.procedures import services
from jichitai.tenancy.models import Division, Organization
organization = Organization.objects.create(code="242012", name="津市", name_kana="つし", kind="city")
division = Division.objects.create(organization=organization, name="情報政策課")
procedure = services.create_procedure(actor=None, organization=organization, division=division,
    name="講座", category="event", fields={FIELDS!r})
services.publish_procedure(actor=None, procedure=procedure)
print(procedure.pk)
"""

START_JOB = """
import django
django.setup()
from jichitai.jobs.services import start_job
print(start_job(kind="{kind}", title="{kind}").pk)
"""

START_TASK = """
import django
django.setup()
from jichitai.jobs.tests.embedded_tasks import finish_when_released
print(finish_when_released.enqueue().id)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


class EmbeddedSite:
    def __init__(self, directory: Path, **environment: str):
        self.directory = directory
        self.port = free_port()
        inherited = {
            name: value
            for name, value in os.environ.items()
            if name not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND"}
        }
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "jichitai.jobs.tests.embedded_settings",
            "JICHITAI_VAR_DIR": str(directory),
            "PYTHONUNBUFFERED": "1",
            **environment,
        }
        self.processes: list[subprocess.Popen] = []
        self.procedure_id: int | None = None

    @property
    def database(self) -> Path:
        return self.directory / "jichitai.sqlite3"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _command(self, *arguments: str) -> list[str]:
        return [sys.executable, "-m", "jichitai", *arguments]

    def start(self) -> None:
        subprocess.run(self._command("migrate", "-v0"), env=self.env, check=True)
        self.procedure_id = int(self._last_printed(PREPARE))
        self.server = self._spawn("server", "runserver", "--noreload", f"127.0.0.1:{self.port}")
        self.worker = self.start_worker()
        if not wait_for(lambda: self.get("/healthz", timeout=1)[0] in {200, 503}, 30):
            raise RuntimeError(self.log("server"))

    def _spawn(self, name: str, *arguments: str) -> subprocess.Popen:
        log = (self.directory / f"{name}.log").open("ab")
        process = subprocess.Popen(
            self._command(*arguments), env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def start_worker(self) -> subprocess.Popen:
        return self._spawn("worker", "worker")

    def log(self, name: str) -> str:
        return (self.directory / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        (self.directory / "slow-release").touch()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def get(self, path: str, timeout: float = 10) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError:
            return 0, b""

    def submit(self, timeout: float = 10) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{self.url}/api/v1/o/242012/procedures/{self.procedure_id}/applications",
            data=json.dumps(BODY).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {"error": error.read()[:300].decode(errors="replace")}
        except OSError as error:
            return 0, {"error": repr(error)}

    def mails(self) -> int:
        """Messages sent so far (the file backend may append several to one file)."""
        mail = self.directory / "mail"
        if not mail.exists():
            return 0
        return sum(
            line.startswith(b"Subject: ")
            for path in mail.iterdir()
            for line in path.read_bytes().splitlines()
        )

    def _last_printed(self, script: str) -> str:
        """Runs a Python script with the site's settings; the last word it printed."""
        finished = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return finished.stdout.split()[-1]

    def start_job(self, kind: str) -> int:
        return int(self._last_printed(START_JOB.format(kind=kind)))

    def start_task(self) -> str:
        """Queues the task ``finish_when_released``; returns its id."""
        return self._last_printed(START_TASK)

    def task_status(self, task_id: str) -> str:
        with sqlite3.connect(self.database, timeout=30) as reader:
            row = reader.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                (task_id.replace("-", ""),),
            ).fetchone()
        return row[0] if row else "absent"

    def job(self, job_id: int) -> dict:
        """The job's row, read straight from the database file."""
        with sqlite3.connect(self.database, timeout=30) as reader:
            reader.row_factory = sqlite3.Row
            row = reader.execute("SELECT * FROM jobs_job WHERE id = ?", (job_id,)).fetchone()
        return dict(row)

    def hold_write_lock(self) -> sqlite3.Connection:
        """Takes SQLite's write lock from outside, as any long writer would; ``rollback()`` frees it."""
        holder = sqlite3.connect(self.database, isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")
        return holder
