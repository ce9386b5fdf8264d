"""Automation (RPA): scenarios with immutable, approved versions; runs (plan or apply) and their
items; per-item idempotency markers; the secrets vault; the effect ledger."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.automation import schedule_times
from jichitai.core.files import PrivateUploadTo
from jichitai.tenancy.models import TenantOwned


class Scenario(TenantOwned):
    name = models.SlugField(_("識別子"), max_length=80)
    title = models.CharField(_("名称"), max_length=200)
    division = models.ForeignKey(
        "tenancy.Division",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("担当所属"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("シナリオ")
        verbose_name_plural = _("シナリオ")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="automation_scenario_name"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class ScenarioVersion(models.Model):
    """One immutable definition of a scenario. A change is a new version, which needs a manager's
    approval (someone other than its author) before it runs in production."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    source = models.TextField(_("定義(YAML)"))
    definition = models.JSONField(_("定義"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承認者"),
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="automation_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.scenario} 第{self.number}版"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Run(TenantOwned):
    class Mode(models.TextChoices):
        PLAN = "plan", _("計画(ドライラン)")
        APPLY = "apply", _("本番実行")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待機中")
        RUNNING = "running", _("実行中")
        FINISHED = "finished", _("完了")
        FINISHED_WITH_ERRORS = "errors", _("完了(エラーあり)")
        FAILED = "failed", _("失敗")

    version = models.ForeignKey(ScenarioVersion, on_delete=models.PROTECT, related_name="runs")
    mode = models.CharField(_("種類"), max_length=8, choices=Mode.choices)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    inputs = models.JSONField(_("入力"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("実行した職員"),
    )
    message = models.TextField(_("メッセージ"), blank=True)
    log = models.TextField(_("ログ"), blank=True)
    planned = models.JSONField(_("予定される書き込み(全体)"), default=list, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("実行")
        verbose_name_plural = _("実行")

    def __str__(self) -> str:
        return f"{self.version} {self.get_mode_display()} #{self.pk}"

    @property
    def scenario(self) -> Scenario:
        return self.version.scenario


class RunItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("未処理")
        PLANNED = "planned", _("計画済み")
        DONE = "done", _("完了")
        SKIPPED = "skipped", _("適用済み(スキップ)")
        FAILED = "failed", _("エラー")

    class FailureKind(models.TextChoices):
        BUSINESS = "business", _("業務エラー")
        SYSTEM = "system", _("システムエラー")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    key = models.CharField(_("キー"), max_length=200)
    label = models.CharField(_("対象"), max_length=300, blank=True)
    data = models.JSONField(_("データ"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("状態"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    failure_kind = models.CharField(
        _("エラーの種類"), max_length=8, choices=FailureKind.choices, blank=True
    )
    attempts = models.PositiveIntegerField(_("試行回数"), default=0)
    duration_ms = models.PositiveIntegerField(_("所要時間(ミリ秒)"), default=0)
    message = models.TextField(_("メッセージ"), blank=True)
    log = models.TextField(_("ログ"), blank=True)
    planned = models.JSONField(
        _("予定される書き込み"), default=list, blank=True, encoder=DjangoJSONEncoder
    )
    result = models.JSONField(_("結果"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    screenshot = models.FileField(upload_to=PrivateUploadTo("automation/screenshots"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("対応した職員"),
    )
    resolved_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    resolution = models.TextField(_("対応内容"), blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="automation_item_position")
        ]

    def __str__(self) -> str:
        return self.label or self.key

    @property
    def duration_seconds(self) -> float:
        return self.duration_ms / 1000


class AppliedItem(models.Model):
    """Idempotency marker of one item of a scenario: written (and committed) before the item's
    first external write, completed after its last one. A retried or repeated run skips completed
    items and sends started-but-unfinished ones to a person instead of writing them again."""

    class State(models.TextChoices):
        STARTED = "started", _("書き込み中")
        COMPLETED = "completed", _("適用済み")
        # A person recorded in the work queue that they handled the item themselves.
        MANUAL = "manual", _("手作業で対応済み")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices)
    run = models.ForeignKey(Run, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "key"], name="automation_applied_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_state_display()})"


class RunFile(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("ファイル名"), max_length=200)
    file = models.FileField(upload_to=PrivateUploadTo("automation/outputs"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Secret(TenantOwned):
    """A credential a scenario uses, kept encrypted (MultiFernet, keys from the environment) and
    referenced by name; the value is never shown again once stored."""

    name = models.SlugField(_("名前"), max_length=80)
    token = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="automation_secret_name")
        ]

    def __str__(self) -> str:
        return self.name


class LedgerLine(TenantOwned):
    """Hours a task took before and after automation in one 年度: written for every production run
    (items × minutes per item) or entered by hand (tasks automated outside the platform)."""

    fiscal_year = models.PositiveIntegerField(_("年度"))
    task = models.CharField(_("業務"), max_length=200)
    division = models.CharField(_("所属"), max_length=100)
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.OneToOneField(
        Run, null=True, blank=True, on_delete=models.SET_NULL, related_name="ledger_line"
    )
    items = models.PositiveIntegerField(_("件数"), default=0)
    minutes_before = models.DecimalField(_("導入前(分)"), max_digits=12, decimal_places=1)
    minutes_after = models.DecimalField(_("導入後(分)"), max_digits=12, decimal_places=1)
    note = models.CharField(_("備考"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fiscal_year", "division", "task", "id"]
        verbose_name = _("効果台帳")
        verbose_name_plural = _("効果台帳")

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.task}"


class Schedule(TenantOwned):
    """A production run of a scenario repeated on a crontab. Requested by one person, it runs only
    once a manager other than the requester has enabled it."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="schedules")
    cron = models.CharField(_("実行する日時(cron 形式)"), max_length=100)
    inputs = models.JSONField(_("入力"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("申請した職員"),
    )
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("有効にした職員"),
    )
    enabled_at = models.DateTimeField(_("有効にした日時"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("前回の開始"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scenario", "id"]
        verbose_name = _("定期実行")
        verbose_name_plural = _("定期実行")

    def __str__(self) -> str:
        return f"{self.scenario} {self.timing}"

    @property
    def timing(self) -> str:
        """「平日(月〜金) 7:30」: when it runs, in words."""
        return schedule_times.describe(self.cron)

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None
