"""Background jobs: started inside the user's transaction, run by a worker through django-tasks
(database queue by default, Redis for scale-out), report progress, and are recovered — never
silently lost — when a worker dies."""

import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from jichitai.audit import services as audit
from jichitai.audit.models import AuditEvent
from jichitai.jobs import services
from jichitai.jobs.models import Job, ScheduleRun
from jichitai.jobs.registry import Schedule, job_kind, job_kinds, schedules

COUNTED = []
ATTEMPTS = []


@pytest.fixture(autouse=True)
def counting_job_kind():
    """A job kind that counts items, resuming after the last one it recorded."""

    @job_kind("test.count")
    def count(context, *, items: int):
        start = len(COUNTED)
        context.progress(start, items, "数えています")
        for number in range(start, items):
            COUNTED.append(number)
            context.progress(number + 1)
        return {"counted": len(COUNTED)}

    @job_kind("test.fragile", resumable=False)
    def fragile(context):
        raise RuntimeError("boom")

    @job_kind("test.overtaken")
    def overtaken(context):
        """Its first attempt is taken for dead (no heartbeat) and run again by another worker
        while it is still working."""
        ATTEMPTS.append(context.job.attempts)
        if len(ATTEMPTS) == 1:
            context.progress(1, 2)
            services.recover_stale_jobs(stale_after=timedelta(0))
            context.progress(2, 2)
        return {"finished_by_attempt": len(ATTEMPTS)}

    @job_kind("test.overtaken_items")
    def overtaken_items(context):
        """Its first attempt is taken for dead and run again (to the end) before it writes its
        one item."""
        ATTEMPTS.append(context.job.attempts)
        if len(ATTEMPTS) == 1:
            services.recover_stale_jobs(stale_after=timedelta(0))
        with context.item():
            audit.record(
                action="test.item",
                organization=context.job.organization,
                summary=f"attempt {context.job.attempts}",
            )
        return {}

    COUNTED.clear()
    ATTEMPTS.clear()
    yield
    job_kinds.unregister("test.overtaken_items")
    job_kinds.unregister("test.count")
    job_kinds.unregister("test.fragile")
    job_kinds.unregister("test.overtaken")


@pytest.mark.django_db
def test_a_job_is_queued_only_when_the_action_commits(
    tsu, tsu_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_job(
            kind="test.count", title="件数を数える", organization=tsu, actor=tsu_admin, items=3
        )
    assert job.status == Job.Status.QUEUED
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(action="jobs.started", target_id=str(job.pk)).exists()


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"}}
    settings.TASKS_BACKEND = "database"


@pytest.mark.django_db
def test_on_the_database_queue_a_job_is_queued_inside_the_action_itself(
    tsu, database_queue, django_capture_on_commit_callbacks
):
    """The queue row commits (or rolls back) with the action: nothing is left to do after the
    commit, so a crash right after it cannot lose the job."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.start_job(kind="test.count", title="数える", organization=tsu, items=1)
        assert DBTaskResult.objects.filter(args_kwargs__args=[job.pk]).count() == 1
    assert callbacks == []


@pytest.mark.django_db
def test_a_job_runs_and_reports_progress(tsu, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.count", title="数える", organization=tsu, items=5)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result == {"counted": 5}
    assert job.attempts == 1
    # 「数えています」 said what it was doing; once done, a 完了 job says nothing of the kind.
    assert job.message == ""


@pytest.mark.django_db
def test_a_job_writes_in_the_platforms_language_even_run_from_an_english_page(
    tsu, django_capture_on_commit_callbacks
):
    """What a job writes (messages, warnings, reasons) is read later by colleagues: it is in
    Japanese whether a worker runs it or it runs at once after the English page that started it."""
    languages = []

    @job_kind("test.language")
    def language(context):
        languages.append(translation.get_language())
        return {}

    try:
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            services.start_job(kind="test.language", title="言語", organization=tsu)
    finally:
        job_kinds.unregister("test.language")
    assert languages == ["ja"]


@pytest.mark.django_db
def test_a_failing_job_is_marked_failed_with_a_message(tsu, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.fragile", title="壊れる", organization=tsu)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "RuntimeError" in job.message


@pytest.mark.django_db
def test_unknown_kinds_fail_when_started_not_in_the_worker(tsu):
    with pytest.raises(KeyError):
        services.start_job(kind="no.such.kind", title="?", organization=tsu)


@pytest.mark.django_db
class TestRecovery:
    def _stale(self, tsu, kind, **arguments):
        return Job.objects.create(
            kind=kind,
            title="止まった処理",
            organization=tsu,
            arguments=arguments,
            status=Job.Status.RUNNING,
            heartbeat_at=timezone.now() - timedelta(minutes=10),
            done=2,
            total=4,
        )

    def test_a_resumable_job_whose_worker_died_is_run_again_from_where_it_was(
        self, tsu, django_capture_on_commit_callbacks
    ):
        COUNTED.extend([0, 1])  # what the dead worker had finished
        job = self._stale(tsu, "test.count", items=4)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.recover_stale_jobs() == [job.pk]
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED
        assert COUNTED == [0, 1, 2, 3]  # every item exactly once
        assert AuditEvent.objects.filter(action="jobs.recovered").exists()

    def test_a_job_that_cannot_resume_is_failed_visibly(self, tsu):
        job = self._stale(tsu, "test.fragile")
        services.recover_stale_jobs()
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED
        assert "担当者が確認してください" in job.message

    def test_a_live_job_is_left_alone(self, tsu):
        job = self._stale(tsu, "test.count", items=4)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
        assert services.recover_stale_jobs() == []


@pytest.mark.django_db
def test_a_job_taken_over_by_another_worker_does_not_write_its_outcome(
    tsu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.overtaken", title="二重実行", organization=tsu)
    job.refresh_from_db()
    assert ATTEMPTS == [1, 2]
    assert job.attempts == 2
    # The first attempt stopped at its next progress report and wrote nothing after that.
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"finished_by_attempt": 2}


@pytest.mark.django_db
def test_an_attempt_taken_over_writes_no_item(tsu, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_job(kind="test.overtaken_items", title="二重実行", organization=tsu)
    job.refresh_from_db()
    assert ATTEMPTS == [1, 2]
    assert job.status == Job.Status.SUCCEEDED
    # Only the attempt that holds the job wrote the item; the first one's write rolled back.
    items = AuditEvent.objects.filter(action="test.item")
    assert list(items.values_list("summary", flat=True)) == ["attempt 2"]


@pytest.mark.django_db
def test_schedules_start_jobs_when_due_and_only_once(tsu, django_capture_on_commit_callbacks):
    schedules.register(
        "test.nightly",
        Schedule("test.nightly", "0 3 * * *", "test.count", "夜間の集計", {"items": 1}),
    )
    try:
        first = timezone.make_aware(timezone.datetime(2026, 4, 1, 12, 0))

        def due(now):  # other apps' schedules (e.g. every minute) may be due too
            return [
                name for name in services.enqueue_due_schedules(now=now) if name == "test.nightly"
            ]

        assert due(first) == []  # first sight starts the clock
        assert due(first + timedelta(hours=14)) == []  # 02:00 next day
        with django_capture_on_commit_callbacks(execute=True):
            assert due(first + timedelta(hours=15, minutes=1)) == ["test.nightly"]
        assert due(first + timedelta(hours=15, minutes=2)) == []
        assert Job.objects.filter(kind="test.count").count() == 1
        assert ScheduleRun.objects.get(name="test.nightly").last_enqueued_at is not None
    finally:
        schedules.unregister("test.nightly")


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_worker_runs_queued_jobs(tsu, settings):
    settings.TASKS = {"default": {"BACKEND": "jichitai.jobs.queue.DatabaseQueue"}}
    settings.TASKS_BACKEND = "database"
    job = services.start_job(kind="test.count", title="DBキュー", organization=tsu, items=3)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # nothing runs until a worker picks it up
    call_command("worker", batch=True, no_housekeeping=True)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == 3


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_the_redis_queue_carries_jobs_to_an_rq_worker(tsu, settings):
    import django_rq

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "redis"
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15"}}
    queue = django_rq.get_queue("default")
    queue.empty()
    job = services.start_job(kind="test.count", title="Redisキュー", organization=tsu, items=2)
    assert queue.count == 1
    # A SimpleWorker runs the job in this process, so it shares the test database.
    call_command(
        "rqworker",
        "default",
        job_class="django_tasks_rq.Job",
        worker_class="rq.worker.SimpleWorker",
        burst=True,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == 2


@pytest.mark.django_db
def test_the_progress_page_shows_a_bar_and_refreshes_itself(tsu, tsu_clerk, login):
    job = Job.objects.create(
        kind="test.count",
        title="OCR 一括読取",
        organization=tsu,
        status="running",
        done=3,
        total=12,
    )
    client = login(tsu_clerk)
    page = client.get(f"/s/{tsu.code}/jobs/{job.pk}/").content.decode()
    assert '<progress id="job-progress-bar-' in page and 'max="12" value="3"' in page
    assert "3 / 12 件(25%)" in page
    assert 'hx-trigger="every 1s"' in page
    assert 'http-equiv="refresh"' in page  # without JavaScript
    fragment = client.get(f"/s/{tsu.code}/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')


@pytest.mark.django_db
def test_a_job_needing_a_missing_extra_says_what_to_install(
    tsu, django_capture_on_commit_callbacks
):
    from jichitai.core.extras import MissingExtra

    @job_kind("test.needs-ocr", resumable=False)
    def needs_ocr(context):
        raise MissingExtra("ocr", "rapidocr")

    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.start_job(kind="test.needs-ocr", title="読み取り", organization=tsu)
    finally:
        job_kinds.unregister("test.needs-ocr")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("AI-OCR を使うには `pip install 'jichitai[ocr]'` が必要です")


@pytest.mark.django_db
def test_work_started_by_the_system_says_so_in_the_readers_language(tsu, tsu_clerk, login):
    job = Job.objects.create(kind="test.count", title="OCR 一括読取", organization=tsu)
    client = login(tsu_clerk)
    for url in (f"/s/{tsu.code}/jobs/", f"/s/{tsu.code}/jobs/{job.pk}/"):
        assert "(システム)" in client.get(url).content.decode()
        assert "(system)" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
