import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jichitai.jobs import services

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "バックグラウンド処理のワーカーを起動します(TASKS_BACKEND に応じてデータベースまたは "
        "Redis のキューを処理)。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs waiting now, then exit (database queue only).",
        )
        parser.add_argument(
            "--no-housekeeping",
            action="store_true",
            help="Do not recover stale jobs or start periodic schedules from this worker.",
        )

    def handle(self, *args, batch: bool = False, no_housekeeping: bool = False, **options):
        backend = settings.TASKS_BACKEND
        if backend == "immediate":
            raise CommandError("TASKS_BACKEND=immediate runs tasks inline; no worker is needed.")
        if not no_housekeeping:
            self._housekeeping_once()
            if not batch:
                threading.Thread(target=self._housekeeping_loop, daemon=True).start()
        if backend == "redis":
            if batch:
                call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=True)
            else:
                call_command("rqworker", "default", job_class="django_tasks_rq.Job")
        else:
            worker_options = {"batch": batch, "no_startup_delay": batch}
            call_command("db_worker", **worker_options)

    def _housekeeping_once(self) -> None:
        recovered = services.recover_stale_jobs()
        started = services.enqueue_due_schedules()
        if recovered or started:
            logger.info("housekeeping: recovered jobs %s, started schedules %s", recovered, started)

    def _housekeeping_loop(self) -> None:
        stopped = threading.Event()
        interval = settings.JICHITAI_WORKER_HOUSEKEEPING_SECONDS
        while not stopped.wait(interval):
            try:
                self._housekeeping_once()
            except Exception:
                logger.exception("housekeeping failed; retrying in %s s", interval)
            finally:
                connection.close()
