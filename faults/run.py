"""make test-faults: the production shape on loopback, with faults injected while it works.

Starts a PostgreSQL server and a Redis server of its own (so restarting them disturbs nothing
else), two gunicorn app processes, and two task workers on the Redis queue. A load process submits
applications through the API for a bounded time; clients retry with the same Idempotency-Key after a
lost connection or a 5xx, as a real client would. During the load: kill -9 one app process, restart
PostgreSQL, and kill -9 the worker running a background job in the middle of it. Afterwards it checks
and prints: every submission answered 201 exists exactly once, retries made no duplicates, every
write has its audit entry, and every interrupted job item finished exactly once (or is visibly failed
for a person). Exits non-zero on any loss or duplicate.

Job faults are plug-ins (``JOB_FAULTS``): each starts a job, says how to recognise that it is in the
middle of its items, and checks its items afterwards.

Then the embedded default (``make run``'s shape: a SQLite file, the development server, one
``jichitai worker`` on the database queue): the same load while one client sends its submission
slowly for longer than SQLite's busy timeout. Nothing may be lost or duplicated, every receipt mail
must be sent exactly once, and the worker must still be taking tasks at the end.
"""

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _free_port() -> int:
    """A loopback port no one listens on now. A fixed port in the range the kernel hands out to
    outgoing connections was once taken by a client's connection, and PostgreSQL could not start."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PG_PORT = _free_port()
REDIS_PORT = _free_port()
APP_PORT = 8790
EMBEDDED_PORT = 8791
# Longer than SQLite's busy timeout (30 s): a request holding the write lock that long made every
# other writer, and the worker's task loop, fail.
SLOW_REQUEST_SECONDS = 40
PROCEDURE_NAME = "障害試験の講座"
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


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def postgres_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL's {name} is needed (Debian package postgresql)")
    return str(found[-1])


class Services:
    """A PostgreSQL cluster and a Redis server in a temporary directory, on their own ports."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.data = directory / "pg"
        self.redis: subprocess.Popen | None = None

    def _as_postgres(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # No pipes: a server started here would hold them open and the call would never return.
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")  # the cluster runs as postgres
        self._as_postgres(
            postgres_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        )
        self.start_postgres()
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )

    def start_postgres(self) -> None:
        self._as_postgres(
            postgres_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            f"-p {PG_PORT} -k {self.directory} -c listen_addresses=127.0.0.1",
            "-l",
            str(self.directory / "pg.log"),
            "-w",
            "start",
        )

    def restart_postgres(self) -> None:
        self._as_postgres(
            postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "restart"
        )

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        if self.data.exists():
            self._as_postgres(
                postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
            )


def environment(directory: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jichitai.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres",
        "SECRET_KEY": "faults-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123",
        # A throw-away Fernet key: production settings require one for the secrets vault.
        "JICHITAI_VAULT_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "TASKS_BACKEND": "redis",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "CACHE_URL": f"rediscache://127.0.0.1:{REDIS_PORT}/1",
        "JICHITAI_API_SUBMIT_RATE": "100000000/m",
        # No mail server in the harness (production settings would send through SMTP).
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # Uploaded files and run folders of the harness's own installation.
        "JICHITAI_VAR_DIR": str(directory / "var"),
        # A killed worker's job is noticed within seconds rather than minutes; a live one beats
        # four times within that, so a slow page on a busy machine is never taken for dead.
        "JICHITAI_JOB_STALE_SECONDS": "8",
        "JICHITAI_JOB_HEARTBEAT_SECONDS": "2",
        "JICHITAI_WORKER_HOUSEKEEPING_SECONDS": "3",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "0",
    }


@dataclass
class Load:
    """Submitting clients: each keeps one Idempotency-Key until the server answers it."""

    url: str
    seconds: float
    clients: int
    answered: dict = field(default_factory=dict)  # key -> receipt number (201)
    retries: int = 0
    refused: list = field(default_factory=list)  # 4xx other than a replay
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self) -> None:
        threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _client(self) -> None:
        deadline = time.monotonic() + self.seconds
        body = json.dumps(BODY).encode()
        while time.monotonic() < deadline:
            key = uuid.uuid4().hex
            # A key is retried until it is answered, even past the deadline (bounded to 60 s).
            give_up = time.monotonic() + 60
            while time.monotonic() < give_up:
                request = urllib.request.Request(
                    self.url,
                    data=body,
                    method="POST",
                    headers={"Content-Type": "application/json", "Idempotency-Key": key},
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        answer = json.loads(response.read())
                        with self.lock:
                            self.answered[key] = answer["receipt_number"]
                        break
                except urllib.error.HTTPError as error:
                    if error.code >= 500:
                        self._retried()
                        continue
                    with self.lock:
                        self.refused.append((key, error.code, error.read()[:200]))
                    break
                except OSError:
                    self._retried()
                    continue

    def _retried(self) -> None:
        with self.lock:
            self.retries += 1
        time.sleep(0.2)


def children_of(pid: int) -> list[int]:
    output = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in output.split()]


def prepare() -> int:
    """The procedure the benchmarks publish (benchmarks/submit_form.py), with this harness's three
    fields, in the database of ``os.environ``."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.submit_form import publish_procedure

    return publish_procedure(PROCEDURE_NAME, FIELDS)


def check_submissions(load: Load, procedure_id: int) -> dict:
    from django.db import connections

    from jichitai.audit.models import AuditEvent
    from jichitai.procedures.models import Application

    connections.close_all()  # the server restarted since this process last spoke to it
    applications = Application.objects.filter(procedure_id=procedure_id)
    by_key = {}
    for stored, receipt in applications.values_list("idempotency_key", "receipt_number"):
        # The API keeps a client's key under its own prefix, apart from other channels' keys.
        by_key.setdefault(stored.removeprefix("api-"), []).append(receipt)
    lost = [key for key in load.answered if key not in by_key]
    wrong = [
        key for key, receipt in load.answered.items() if by_key.get(key, [receipt]) != [receipt]
    ]
    duplicated = [key for key, receipts in by_key.items() if len(receipts) > 1]
    ids = set(applications.values_list("pk", flat=True))
    audited = set(
        AuditEvent.objects.filter(
            action="procedures.application.submitted", target_id__in=[str(i) for i in ids]
        ).values_list("target_id", flat=True)
    )
    return {
        "submissions answered 201": len(load.answered),
        "client retries after a fault": load.retries,
        "refused (4xx)": len(load.refused),
        "applications in the database": len(ids),
        "answered 201 but missing (lost)": len(lost),
        "answered with another receipt": len(wrong),
        "keys stored more than once (duplicates)": len(duplicated),
        "applications without an audit entry": len(ids) - len(audited),
        # Rows whose 201 never reached a client are possible only if a client gave up.
        "applications no client was answered for": len(set(by_key) - set(load.answered)),
    }


@dataclass
class JobFault:
    """A background job to interrupt: ``start()`` returns the job id; ``items(job_id)`` returns
    (finished exactly once, failed visibly, lost or repeated) once the job has ended."""

    name: str
    start: object
    items: object


OCR_PAGES = 12
AUTOMATION_ITEMS = 12


def _start_ocr_batch() -> int:
    """A batch of scanned 現況届 pages read by the job ``ocr.batch``."""
    from jichitai.ocr import demo as paper
    from jichitai.ocr import services
    from jichitai.tenancy.models import Division, Organization

    organization = Organization.objects.get(code="242012")
    division = Division.objects.get(organization=organization, name="情報政策課")
    template = paper.paper_template(paper.paper_procedure(organization, division))
    batch = services.start_batch(
        actor=None, paper=template, uploads=paper.sample_scans(count=OCR_PAGES, seed=9)
    )
    return batch.job_id


def _ocr_items(job_id: int) -> tuple[int, int, int]:
    from django.db.models import Count

    from jichitai.ocr.models import Batch

    batch = Batch.objects.get(job_id=job_id)
    expected = sum(f.pages for f in batch.files.filter(error=""))
    per_page = batch.pages.values("source", "number").annotate(n=Count("pk"))
    once = sum(1 for row in per_page if row["n"] == 1)
    repeated = sum(row["n"] - 1 for row in per_page)
    failed_visibly = batch.files.exclude(error="").count()
    return once, failed_visibly, (expected - len(per_page)) + repeated


def _start_automation_run() -> int:
    """A production run of the 帳票発行 scenario (a notice PDF per row) by the job
    ``automation.run``, planned and approved first as the rules require."""
    from jichitai.accounts.models import User
    from jichitai.automation import samples, services
    from jichitai.automation.models import Run
    from jichitai.automation.registry import scenarios
    from jichitai.automation.runner import execute
    from jichitai.tenancy.models import Division, Membership, Organization, Role

    organization = Organization.objects.get(code="242012")
    Division.objects.get_or_create(organization=organization, name="教育財務課")
    scenario = services.create_scenario(
        actor=None, organization=organization, source=scenarios.get("scholarship-notices").source
    )
    rows = {"list": [("list.csv", samples.notice_list_csv(AUTOMATION_ITEMS))]}
    plan = services.start_run(
        actor=None, scenario=scenario, mode=Run.Mode.PLAN, files=rows, background=False
    )
    execute(plan.pk)
    manager = User.objects.create(username="faults-manager")
    membership = Membership.objects.create(
        user=manager, organization=organization, role=Role.MANAGER
    )
    services.approve_version(actor=manager, membership=membership, version=scenario.current_version)
    run = services.start_run(actor=None, scenario=scenario, mode=Run.Mode.APPLY, files=rows)
    return run.job_id


def _automation_items(job_id: int) -> tuple[int, int, int]:
    from django.db.models import Count

    from jichitai.automation.models import Run, RunItem

    run = Run.objects.get(job_id=job_id)
    per_key = run.items.values("key").annotate(n=Count("pk"))
    repeated = sum(row["n"] - 1 for row in per_key)
    once = run.items.filter(status=RunItem.Status.DONE).values("key").distinct().count()
    failed_visibly = run.items.filter(status=RunItem.Status.FAILED).count()
    unfinished = run.items.filter(status=RunItem.Status.PENDING).count()
    return once, failed_visibly, (AUTOMATION_ITEMS - len(per_key)) + unfinished + repeated


JOB_FAULTS: list[JobFault] = [
    JobFault("OCR batch", _start_ocr_batch, _ocr_items),
    JobFault("automation run", _start_automation_run, _automation_items),
]


def wait_for(condition, seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def running_worker(job_id: int, workers: list[subprocess.Popen]) -> subprocess.Popen | None:
    """The worker whose RQ job is running ``run_job(job_id)``, as RQ itself records it.

    Telling it by a forked child alone picks the wrong worker when the other one is briefly
    running a short task (a receipt mail), whose child is gone by the time it is killed."""
    from redis import Redis
    from rq import Worker

    connection = Redis(port=REDIS_PORT)
    ours = {worker.pid: worker for worker in workers if worker.poll() is None}
    for rq_worker in Worker.all(connection=connection):
        current = rq_worker.get_current_job()
        # django-tasks-rq gives the RQ job the task's own arguments: run_job(job_id).
        arguments = [] if current is None else [*current.args, *current.kwargs.values()]
        if rq_worker.pid in ours and job_id in arguments:
            return ours[rq_worker.pid]
    return None


def kill_tree(pid: int) -> None:
    """kill -9 a process and everything it forked; a child that ended on its own meanwhile is
    not an error."""
    for process in [*children_of(pid), pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process, signal.SIGKILL)


def interrupt_job(fault: JobFault, workers: list[subprocess.Popen], start_worker) -> dict:
    """Starts the job, kills -9 the worker running it once some items are done, and waits for the
    surviving worker to recover and finish it. A new worker takes the dead one's place, as the
    process supervisor of a real installation would start one."""
    from django.db import connections

    from jichitai.jobs.models import Job

    job_id = fault.start()
    log(f"{fault.name}: job {job_id} started")
    if not wait_for(lambda: Job.objects.get(pk=job_id).done >= 1, 120):
        raise SystemExit(f"{fault.name}: the job did not start its items")
    victim = running_worker(job_id, workers)
    if victim is None:
        raise SystemExit(f"{fault.name}: no worker is running the job")
    done_before = Job.objects.get(pk=job_id).done
    kill_tree(victim.pid)
    if Job.objects.get(pk=job_id).status in {"succeeded", "failed"}:
        raise SystemExit(f"{fault.name}: the job ended before its worker was killed")
    log(f"{fault.name}: killed worker {victim.pid} after {done_before} items")
    workers[workers.index(victim)] = start_worker()
    finished = wait_for(
        lambda: Job.objects.get(pk=job_id).status in {"succeeded", "failed"}, 240, step=1
    )
    connections.close_all()
    job = Job.objects.get(pk=job_id)
    exactly_once, failed_visibly, lost = fault.items(job_id)
    return {
        f"{fault.name}: job status after recovery": job.status
        if finished
        else f"{job.status} (timed out)",
        f"{fault.name}: items finished exactly once": exactly_once,
        f"{fault.name}: items visibly failed for a person": failed_visibly,
        f"{fault.name}: items lost or repeated": lost,
    }


EMBEDDED_PREPARE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.submit_form import publish_procedure
print(publish_procedure({PROCEDURE_NAME!r}, {FIELDS!r}))
"""
MAIL_TASK = "jichitai.procedures.notifications.send_received_mail"


def embedded_environment(directory: Path) -> dict:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "jichitai.settings.local",
        "DEBUG": "0",
        "TASKS_BACKEND": "database",
        "JICHITAI_VAR_DIR": str(directory),
        "JICHITAI_API_SUBMIT_RATE": "100000000/m",
        "LOG_LEVEL": "WARNING",
    }


def send_slowly(url: str, seconds: float, key: str) -> tuple[int, str]:
    """One client whose submission body trickles in over ``seconds`` (a slow mobile upload);
    returns the status it was answered with and the receipt number of a 201."""
    body = json.dumps(BODY).encode()
    target = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=seconds + 60)
    connection.putrequest("POST", target.path)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(len(body)))
    connection.putheader("Idempotency-Key", key)
    connection.endheaders()
    for byte in range(len(body)):
        connection.send(body[byte : byte + 1])
        time.sleep(seconds / len(body))
    response = connection.getresponse()
    answer = response.read()
    connection.close()
    receipt = json.loads(answer)["receipt_number"] if response.status == 201 else ""
    return response.status, receipt


def embedded_default(directory: Path, seconds: int, clients: int) -> dict:
    """The embedded default under load with a slow request held open (see the module text)."""
    directory.mkdir()
    env = embedded_environment(directory)
    command = [BIN / "python", "-m", "jichitai"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True)
    procedure_id = int(
        subprocess.run(
            [BIN / "python", "-c", EMBEDDED_PREPARE],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
    )
    logs = (directory / "processes.log").open("w")
    processes = [
        subprocess.Popen(
            [*command, "runserver", "--noreload", f"127.0.0.1:{EMBEDDED_PORT}"],
            env=env,
            stdout=logs,
            stderr=logs,
        )
    ]
    worker = subprocess.Popen([*command, "worker"], env=env, stdout=logs, stderr=logs)
    processes.append(worker)
    base = f"http://127.0.0.1:{EMBEDDED_PORT}"
    url = f"{base}/api/v1/o/242012/procedures/{procedure_id}/applications"
    try:
        wait_for(lambda: _answers(f"{base}/healthz"), 60)
        load = Load(url=url, seconds=max(seconds, SLOW_REQUEST_SECONDS + 5), clients=clients)
        loader = threading.Thread(target=load.run)
        loader.start()
        time.sleep(2)
        log(f"embedded default: one client sends its submission over {SLOW_REQUEST_SECONDS} s")
        slow_key = uuid.uuid4().hex
        slow_status, slow_receipt = send_slowly(url, SLOW_REQUEST_SECONDS, slow_key)
        log(f"embedded default: the slow submission was answered {slow_status}")
        loader.join()
        # The worker is still taking tasks: the last submission's mail is sent too.
        last = Load(url=url, seconds=0.1, clients=1)
        last.run()
        mails_done = wait_for(lambda: _mail_tasks(directory)[2] == 0, 120, step=1)
        worker_alive = worker.poll() is None
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            worker_state = json.loads(response.read()).get("worker")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    answered = {**load.answered, **last.answered}
    if slow_status == 201:
        answered[slow_key] = slow_receipt
    stored = _stored_receipts(directory, procedure_id)
    lost = [key for key in answered if key not in stored]
    duplicated = [key for key, receipts in stored.items() if len(receipts) > 1]
    applications, sent_once, unsent, sent_twice = _mail_tasks(directory)
    if not mails_done:
        # What a person debugging a red run needs first: where the unsent mails are stuck.
        log(f"embedded default: unsent mail tasks by state: {_unsent_states(directory)}")
        log("embedded default: the processes' last log lines:")
        print("\n".join((directory / "processes.log").read_text().splitlines()[-40:]))
    return {
        "embedded: submissions answered 201 (SQLite, slow request open)": len(answered),
        "embedded: the slow submission's answer": slow_status,
        "embedded: client retries": load.retries,
        "embedded: refused (4xx)": len(load.refused) + len(last.refused),
        "embedded: applications in the database": applications,
        "embedded: answered 201 but missing (lost)": len(lost),
        "embedded: keys stored more than once (duplicates)": len(duplicated),
        "embedded: receipt mails sent exactly once": sent_once,
        "embedded: receipt mails not sent (lost)": unsent
        if mails_done
        else f"{unsent} (timed out)",
        "embedded: receipt mails queued more than once (duplicates)": sent_twice,
        "embedded: worker still processing at the end": (
            "yes" if worker_alive and mails_done and worker_state == "ok" else "no"
        ),
    }


def _stored_receipts(directory: Path, procedure_id: int) -> dict:
    with sqlite3.connect(directory / "jichitai.sqlite3") as database:
        rows = database.execute(
            "SELECT idempotency_key, receipt_number FROM procedures_application"
            " WHERE procedure_id = ?",
            (procedure_id,),
        ).fetchall()
    stored: dict = {}
    for key, receipt in rows:
        stored.setdefault(key.removeprefix("api-"), []).append(receipt)
    return stored


def _mail_statuses(directory: Path) -> tuple[list[int], dict[int, list[str]]]:
    """(the applications, the statuses of each application's receipt-mail tasks)."""
    with sqlite3.connect(directory / "jichitai.sqlite3", timeout=30) as database:
        applications = [row[0] for row in database.execute("SELECT id FROM procedures_application")]
        tasks = database.execute(
            "SELECT args_kwargs, status FROM django_tasks_database_dbtaskresult"
            " WHERE task_path = ?",
            (MAIL_TASK,),
        ).fetchall()
    queued: dict[int, list[str]] = {}
    for arguments, status in tasks:
        queued.setdefault(json.loads(arguments)["args"][0], []).append(status)
    return applications, queued


def _mail_tasks(directory: Path) -> tuple[int, int, int, int]:
    """(applications, mails sent once, applications whose mail was not sent, queued twice)."""
    applications, queued = _mail_statuses(directory)
    sent_once = sum(1 for a in applications if queued.get(a) == ["SUCCESSFUL"])
    unsent = sum(1 for a in applications if "SUCCESSFUL" not in queued.get(a, []))
    twice = sum(1 for statuses in queued.values() if len(statuses) > 1)
    return len(applications), sent_once, unsent, twice


def _unsent_states(directory: Path) -> dict[str, int]:
    """How many of the unsent mails' tasks are in each state ("not queued" for none)."""
    applications, queued = _mail_statuses(directory)
    unsent = [queued.get(a, ["not queued"]) for a in applications]
    return dict(
        Counter(
            status for statuses in unsent if "SUCCESSFUL" not in statuses for status in statuses
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    options = parser.parse_args()
    for tool in ("redis-server", "pgrep", "runuser"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed")

    directory = Path(tempfile.mkdtemp(prefix="jichitai-faults-"))
    services = Services(directory)
    processes: list[subprocess.Popen] = []
    rows: dict = {}
    try:
        services.start()
        env = environment(directory)
        os.environ.update(env)
        subprocess.run([BIN / "jichitai", "migrate", "-v0"], env=env, check=True)
        procedure_id = prepare()
        app_log = (directory / "app.log").open("w")
        app = subprocess.Popen(
            [
                BIN / "gunicorn",
                "jichitai.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{APP_PORT}",
                "--log-level",
                "error",
            ],
            env=env,
            cwd=ROOT,
            stderr=app_log,
        )
        processes.append(app)

        def start_worker() -> subprocess.Popen:
            worker = subprocess.Popen(
                [BIN / "jichitai", "worker"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(worker)
            return worker

        workers = [start_worker() for _ in range(2)]
        wait_for(lambda: _answers(f"http://127.0.0.1:{APP_PORT}/healthz"), 30)

        load = Load(
            url=f"http://127.0.0.1:{APP_PORT}/api/v1/o/242012/procedures/{procedure_id}/applications",
            seconds=options.seconds,
            clients=options.clients,
        )
        loader = threading.Thread(target=load.run)
        loader.start()
        time.sleep(options.seconds * 0.25)
        app_processes = children_of(app.pid)
        os.kill(app_processes[0], signal.SIGKILL)
        log(f"killed app process {app_processes[0]} (gunicorn starts another)")
        time.sleep(options.seconds * 0.25)
        log("restarting PostgreSQL")
        services.restart_postgres()
        log("PostgreSQL is back")
        from django.db import connections

        connections.close_all()  # this process's own connection did not survive the restart
        for fault in JOB_FAULTS:
            rows.update(interrupt_job(fault, workers, start_worker))
        loader.join()
        rows = {**check_submissions(load, procedure_id), **rows}
        app_log.flush()
        errors = (directory / "app.log").read_text().count("Internal Server Error")
        rows["5xx answers logged during the faults (retried)"] = errors
        rows.update(embedded_default(directory / "embedded", options.seconds, options.clients))
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        from django.db import connections

        connections.close_all()
        services.stop()
        shutil.rmtree(directory, ignore_errors=True)

    print(
        f"\ntest-faults: {options.clients} clients for {options.seconds} s, 2 app processes, 2 Redis workers;"
        f" then the embedded default (SQLite, database queue) with a {SLOW_REQUEST_SECONDS} s request\n"
    )
    width = max(len(label) for label in rows)
    for label, value in rows.items():
        print(f"| {label:<{width}} | {value!s:>10} |")
    bad = [
        label
        for label, value in rows.items()
        if (
            "lost" in label
            or "duplicates" in label
            or "another receipt" in label
            or "without an audit" in label
        )
        and value
    ]
    if not rows["submissions answered 201"]:
        bad.append("no submission was answered")
    if rows["embedded: the slow submission's answer"] != 201:
        bad.append("the embedded default did not accept the slow submission")
    if not rows["embedded: submissions answered 201 (SQLite, slow request open)"]:
        bad.append("the embedded default answered no submission")
    if rows["embedded: worker still processing at the end"] != "yes":
        bad.append("the embedded default's worker stopped taking tasks")
    if bad:
        sys.exit("FAILED: " + ", ".join(bad))
    print(
        "\nno submission lost or duplicated; every job item finished once or failed visibly;"
        " the embedded default's worker kept sending mail"
    )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    main()
