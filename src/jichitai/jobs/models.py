from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A unit of background work that a person started and watches: it carries the progress bar,
    the outcome and, through its heartbeat, whether the worker running it is still alive."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("処理中")
        SUCCEEDED = "succeeded", _("完了")
        FAILED = "failed", _("失敗")
        INTERRUPTED = "interrupted", _("中断(再開待ち)")

    organization = models.ForeignKey(
        "tenancy.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("団体"),
    )
    kind = models.CharField(_("処理の種類"), max_length=100)
    title = models.CharField(_("件名"), max_length=200)
    arguments = models.JSONField(_("引数"), default=dict, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(_("処理済み"), default=0)
    total = models.PositiveIntegerField(_("全体"), null=True, blank=True)
    message = models.CharField(_("メッセージ"), max_length=500, blank=True)
    result = models.JSONField(_("結果"), default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("実行回数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("開始した職員"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最終応答"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("バックグラウンド処理")
        verbose_name_plural = _("バックグラウンド処理")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}


class ScheduleRun(models.Model):
    """When each registered periodic job was last enqueued; the row lock on it keeps two workers
    from enqueuing the same run."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A ``jichitai worker`` process's last sign of life, written by its task loop (and while it
    runs a job), so ``/healthz/worker`` can tell a worker that stopped taking tasks from one
    that is idle."""

    name = models.CharField(max_length=200, unique=True)  # host:pid
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.name
