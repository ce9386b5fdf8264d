"""The prefecture and its 市町 together: the initiatives the prefecture runs for them (seminars,
trainings, licences handed out, joint projects, the council's sessions) with who took part, each
市町's state of the smart-government measures per 年度, and the after-meeting survey each
participating 市町 answers once, through the prefecture's own survey procedure."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jichitai.core.files import PrivateUploadTo
from jichitai.tenancy.models import TenantOwned


class Initiative(TenantOwned):
    """Owned by the prefecture that runs it."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("会議・協議会")
        SEMINAR = "seminar", _("セミナー")
        TRAINING = "training", _("研修")
        LICENCE = "licence", _("ライセンス配付")
        JOINT_PROJECT = "joint_project", _("共同事業")

    slug = models.SlugField(_("識別子"), max_length=80)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    fiscal_year = models.PositiveIntegerField(_("年度"))
    description = models.TextField(_("概要"), blank=True)
    survey = models.ForeignKey(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("事後アンケート"),
    )
    survey_question = models.CharField(_("集計する設問"), max_length=40, blank=True)
    survey_positive_answers = models.JSONField(_("肯定的な回答"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="collaboration_initiative_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One meeting of a council (or one day of a seminar): agenda and materials."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("開催日"))
    title = models.CharField(_("回"), max_length=50)
    agenda = models.JSONField(_("議題"), default=list, blank=True)

    class Meta:
        ordering = ["initiative", "date", "id"]

    def __str__(self) -> str:
        return f"{self.initiative} {self.title}"


class Material(models.Model):
    """A file handed out at a session (checked by type and size when uploaded)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to=PrivateUploadTo("collaboration"))
    name = models.CharField(_("ファイル名"), max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """A 市町 took part in an initiative (in one of its sessions, for a council), with how many
    of its staff. Only counts: never who they were."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    municipality = models.ForeignKey(
        "tenancy.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("市町")
    )
    staff_count = models.PositiveIntegerField(_("参加人数"), default=1)

    class Meta:
        ordering = ["initiative", "session", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "session", "municipality"],
                condition=Q(session__isnull=False),
                name="collaboration_attendance_unique",
            ),
            models.UniqueConstraint(
                fields=["initiative", "municipality"],
                condition=Q(session__isnull=True),
                name="collaboration_participation_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.municipality}"


class Measure(models.TextChoices):
    TELEWORK = "telework", _("テレワーク")
    WEB_MEETING = "web_meeting", _("Web会議")
    BUSINESS_CHAT = "business_chat", _("ビジネスチャット")
    ONLINE_PROCEDURES = "online_procedures", _("行政手続のオンライン化")
    RPA = "rpa", _("RPA")
    AI_OCR = "ai_ocr", _("AI-OCR")
    OPEN_DATA = "open_data", _("オープンデータ")
    SECURITY_TRAINING = "security_training", _("情報セキュリティ研修")


class AdoptionState(models.TextChoices):
    NOT_CONSIDERED = "not_considered", _("未検討")
    CONSIDERING = "considering", _("検討中")
    TRIAL = "trial", _("試行")
    ADOPTED = "adopted", _("導入済")


class Adoption(TenantOwned):
    """A 市町's state of one measure in one 年度 (owned by the 市町, which records it)."""

    fiscal_year = models.PositiveIntegerField(_("年度"))
    measure = models.CharField(_("取組"), max_length=24, choices=Measure.choices)
    state = models.CharField(_("状況"), max_length=16, choices=AdoptionState.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__code", "fiscal_year", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year", "measure"],
                name="collaboration_adoption_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year} {self.measure}"


class SurveyRequest(TenantOwned):
    """The prefecture asks a participating 市町 (the owner) to answer an initiative's survey;
    the answer is an application to the prefecture's survey procedure, one per 市町."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="survey_requests"
    )
    application = models.OneToOneField(
        "procedures.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        ordering = ["initiative", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization"], name="collaboration_survey_request_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.organization}"
