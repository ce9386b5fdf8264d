"""Plans and their PDCA: a tree of levels and numbered actions with per-年度 schedules and status,
indicators with targets and actuals per 年度 (or bound to a live metric), projects with budgets,
effect figures, meetings, and the frozen snapshots of published reports."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.tenancy.models import Organization, TenantOwned


class Plan(TenantOwned):
    class Kind(models.TextChoices):
        POLICY = "policy", _("施策(評価表)")
        PLAN = "plan", _("計画(進捗報告)")

    slug = models.SlugField(_("識別子"), max_length=80)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    department = models.CharField(_("主担当部局"), max_length=100, blank=True)
    owner_division = models.ForeignKey(
        "tenancy.Division",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("担当所属"),
    )
    first_year = models.PositiveIntegerField(_("計画期間(初年度)"))
    last_year = models.PositiveIntegerField(_("計画期間(最終年度)"))
    level_name = models.CharField(_("階層の名前"), max_length=50, default="個別取組")
    goal = models.TextField(_("めざす姿"), blank=True)
    description = models.TextField(_("概要"), blank=True)
    achieved_rate = models.DecimalField(
        _("達成とする達成率(%)"), max_digits=5, decimal_places=1, default=Decimal("100.0")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="plan_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def category_choices(self) -> list[tuple[str, str]]:
        """The 区分 of the plan's actions, worded from the side of the body whose plan it is: the
        seeds' 県の取組 and 市町連携(支援)の取組 are the prefecture's words; a 市 speaks of 市の取組
        and of working with the prefecture and the other 市町."""
        kind = self.organization.kind
        if kind == Organization.Kind.PREFECTURE:
            return Action.Category.choices
        return [
            (Action.Category.PREFECTURE, _OWN_ACTIONS[kind]),
            (Action.Category.MUNICIPAL, _("県・市町との連携の取組")),
            (Action.Category.PARTNERSHIP, Action.Category.PARTNERSHIP.label),
        ]


class Node(models.Model):
    """A level of the plan (e.g. 個別取組 (1)…(8)); nodes can nest."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.PositiveIntegerField(_("番号"))
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("概要"), blank=True)
    highlights = models.JSONField(_("主な成果"), default=list, blank=True)
    reprinted_actions = models.ManyToManyField(
        "Action", blank=True, related_name="reprinted_in", verbose_name=_("再掲する取組")
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "parent", "number"], name="node_number_unique")
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.title}"


_OWN_ACTIONS = {
    Organization.Kind.CITY: _("市の取組"),
    Organization.Kind.TOWN: _("町の取組"),
    Organization.Kind.VILLAGE: _("村の取組"),
}


class Action(models.Model):
    class Category(models.TextChoices):
        PREFECTURE = "県", _("県の取組")
        MUNICIPAL = "市町連携", _("市町連携(支援)の取組")
        PARTNERSHIP = "産学官連携", _("産学官連携の取組")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveIntegerField(_("NO"))
    policies = models.CharField(_("基本方針"), max_length=20, blank=True)
    title = models.CharField(_("取組内容"), max_length=300)
    division_name = models.CharField(_("担当課"), max_length=100)
    category = models.CharField(
        _("区分"), max_length=16, choices=Category.choices, default=Category.PREFECTURE
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def category_label(self) -> str:
        return str(dict(self.plan.category_choices())[self.category])


class ActionYear(models.Model):
    """An action's schedule label (検討, 研究, 実施, 順次実施, 構築, 運用 …) and status text for a 年度."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveIntegerField(_("年度"))
    schedule = models.CharField(_("スケジュール"), max_length=100, blank=True)
    status_text = models.TextField(_("取組状況"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("進捗率(%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("計画期間を通じた取組の進み具合(0〜100)。公開ページに表示します。"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["action", "fiscal_year"], name="action_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.fiscal_year}"


class Indicator(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", _("主指標")
        SUB = "sub", _("副指標")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("高いほどよい")
        LOWER = "lower", _("低いほどよい")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices, default=Kind.SUB)
    order = models.PositiveIntegerField(_("並び順"), default=0)
    name = models.CharField(_("目標項目"), max_length=200)
    unit = models.CharField(_("単位"), max_length=20)
    decimals = models.PositiveSmallIntegerField(_("小数点以下の桁数"), default=0)
    direction = models.CharField(
        _("目標の方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    description = models.TextField(_("目標項目の説明"), blank=True)
    baseline_year = models.PositiveIntegerField(_("現状値の年度"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("現状値"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    metric_name = models.CharField(_("自動計測の指標"), max_length=100, blank=True)
    metric_parameters = models.JSONField(_("自動計測の条件"), default=dict, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorYear(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveIntegerField(_("年度"))
    target = models.DecimalField(
        _("目標値"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    actual = models.DecimalField(
        _("実績値"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    rationale = models.TextField(_("目標値の考え方"), blank=True)
    override = models.CharField(
        _("達成状況(手動)"),
        max_length=8,
        blank=True,
        choices=[("achieved", _("達成")), ("missed", _("未達成"))],
    )
    override_comment = models.CharField(_("手動で判定した理由"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("入力日時"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"], name="indicator_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.fiscal_year}"


class Project(models.Model):
    """A 事業 with its budget per 年度 (千円). ``group`` holds the heading of a budget list (e.g.
    「1. スマート改革の推進」). ``sheet_year`` is the 年度 of the evaluation sheet (評価表) the
    project is listed on: each sheet keeps its own projects with its own figures, as the next
    sheet restates the previous 年度 in its own structure (renamed, merged projects)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    group = models.CharField(_("区分"), max_length=100, blank=True)
    sheet_year = models.PositiveIntegerField(
        _("評価表の年度"),
        null=True,
        blank=True,
        help_text=_("この事業を載せた施策評価表の年度。評価表に載せない事業は空欄です。"),
    )
    order = models.PositiveIntegerField(default=0)
    department = models.CharField(_("部局"), max_length=100, blank=True)
    name = models.CharField(_("事業名"), max_length=200)
    flag = models.CharField(_("新規等"), max_length=10, blank=True, help_text=_("新、一部新 など"))
    code = models.CharField(_("基本事業コード"), max_length=20, blank=True)
    code_name = models.CharField(_("基本事業名"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ProjectYear(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveIntegerField(_("年度"))
    budget = models.BigIntegerField(_("予算額(千円)"), null=True, blank=True)
    executed = models.BigIntegerField(_("執行額(千円)"), null=True, blank=True)
    summary = models.TextField(_("事業概要"), blank=True)
    main = models.BooleanField(_("主な事業として評価表に載せる"), default=False)

    class Meta:
        ordering = ["project", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "fiscal_year"], name="project_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.fiscal_year}"


class PlanYearText(models.Model):
    """Texts of the evaluation sheet for a 年度: 現状と課題 and the direction (実行方針 / 取組方向)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="year_texts")
    fiscal_year = models.PositiveIntegerField(_("年度"))
    issues_heading = models.CharField(max_length=100, default="現状と課題")
    issues = models.JSONField(_("現状と課題"), default=list)
    direction_heading = models.CharField(max_length=100, default="取組方向")
    direction = models.JSONField(_("取組方向"), default=list, help_text=_("[{department, items}]"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "fiscal_year"], name="plan_year_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.fiscal_year}"


class EffectFigure(models.Model):
    """An effect the plan records: before/after (RPA hours, copies per month) or a share (66/330)."""

    class Kind(models.TextChoices):
        BEFORE_AFTER = "before_after", _("導入前後の比較")
        SHARE = "share", _("割合")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="effects")
    node = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.SET_NULL, related_name="effects"
    )
    fiscal_year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("表題"), max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    measure = models.CharField(_("何を測るか"), max_length=200)
    unit = models.CharField(_("単位"), max_length=20)
    before_label = models.CharField(max_length=50, blank=True)
    after_label = models.CharField(max_length=50, blank=True)
    before = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    after = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    part = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    whole = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    percent_decimals = models.PositiveSmallIntegerField(default=1)
    items = models.JSONField(default=list, blank=True)
    source_metric = models.CharField(_("自動計測の指標"), max_length=100, blank=True)

    class Meta:
        ordering = ["plan", "fiscal_year", "id"]

    def __str__(self) -> str:
        return self.title


class YearLock(models.Model):
    """A closed 年度: its figures cannot change until a manager reopens it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="locks")
    fiscal_year = models.PositiveIntegerField(_("年度"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "fiscal_year"], name="year_lock_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.fiscal_year}"


class Meeting(TenantOwned):
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    name = models.CharField(_("会議名"), max_length=200)
    fiscal_year = models.PositiveIntegerField(_("年度"))
    goal = models.TextField(_("取組目標"), blank=True)
    outcome = models.TextField(_("取組成果"), blank=True)
    participants = models.ManyToManyField(
        "tenancy.Organization", blank=True, related_name="+", verbose_name=_("参加団体")
    )
    survey = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("事後アンケート"),
    )
    survey_question = models.CharField(max_length=40, blank=True)
    survey_positive_answers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "name"]

    def __str__(self) -> str:
        return self.name


class MeetingSession(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("開催日"))
    title = models.CharField(_("回"), max_length=50)
    agenda = models.JSONField(_("議題"), default=list)

    class Meta:
        ordering = ["meeting", "date"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.title}"


class ReportSnapshot(models.Model):
    """A published report, frozen: what it shows never changes when the plan is edited later."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", _("施策評価表")
        PROGRESS = "progress", _("進捗報告")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField(_("年度"))
    data = models.JSONField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_kind_display()} {self.fiscal_year}"


class ImportBatch(TenantOwned):
    """An uploaded plan workbook waiting for confirmation: the rows read, the problems found; it
    is applied in the background once a person has seen the preview."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("確認待ち")
        APPLIED = "applied", _("反映済み")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
