import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from jichitai.jobs import liveness, services
from jichitai.jobs.worker import DatabaseQueueWorker, WorkerGaveUp

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
            try:
                self._housekeeping_once()
            except DatabaseError:
                # The loop below retries the database; housekeeping runs again in its own thread.
                logger.exception("housekeeping failed at start")
            if not batch:
                threading.Thread(target=self._housekeeping_loop, daemon=True).start()
        if backend == "redis":
            liveness.register_worker()
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                worker_class="jichitai.jobs.worker.RedisQueueWorker",
                burst=batch,
            )
            return
        # Never under the autoreloader (its default when DEBUG): a task loop that ended there
        # would leave the process up with nothing taking tasks.
        queue = DatabaseQueueWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=1,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        queue.configure_signals()
        try:
            queue.run()
        except WorkerGaveUp as error:
            raise CommandError(f"ワーカーを終了します(再起動してください): {error}") from error

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
