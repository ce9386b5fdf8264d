"""Procedures (手続) residents apply to, their versioned forms, and the applications received
through any channel (online, paper, API)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.core.files import PrivateUploadTo
from jichitai.procedures import deadlines
from jichitai.procedures.registry import payment_method_choices, signature_check_choices
from jichitai.procedures.tokens import new_token
from jichitai.tenancy.models import Organization, TenantOwned


class Procedure(TenantOwned):
    class Category(models.TextChoices):
        EVENT = "event", _("イベント申込")
        SURVEY = "survey", _("アンケート")
        NOTIFICATION = "notification", _("届出")
        APPLICATION = "application", _("申請")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開中")
        CLOSED = "closed", pgettext_lazy("procedure status", "受付終了")

    class Identity(models.TextChoices):
        NONE = "none", _("不要")
        EMAIL = "email", _("メールアドレスの確認")

    class FeeKind(models.TextChoices):
        NONE = "none", _("手数料なし")
        FIXED = "fixed", _("定額")
        PER_PERSON = "per_person", _("1人あたり")
        AFTER_REVIEW = "after_review", _("審査後に金額を決定(事後決済)")

    division = models.ForeignKey(
        "tenancy.Division",
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("担当所属"),
    )
    name = models.CharField(_("手続名"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    # {language: {"name" | "description": {"japanese": the text translated, "text": its
    # translation}}}, written by the translation table; see ``translation_table``.
    translations = models.JSONField(_("手続名と説明の翻訳"), default=dict, blank=True)
    category = models.CharField(_("種類"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    online = models.BooleanField(
        _("オンライン受付"),
        default=True,
        help_text=_("窓口・郵送のみの手続も登録しておくと、オンライン化率を計算できます。"),
    )
    opens_at = models.DateTimeField(_("受付開始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("受付終了"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(_("申込済み人数"), default=0)
    listed = models.BooleanField(
        _("住民向けの手続の一覧に載せる"),
        default=True,
        help_text=_(
            "外すと、県と市町の手続さがし・団体のページ・APIの一覧に出ません。職員や会議の参加者だけに"
            "案内するアンケートなどは外して、リンクで案内します。"
        ),
    )
    one_per_email = models.BooleanField(_("1人1回まで(メールアドレスで確認)"), default=False)
    signature_check = models.CharField(
        _("電子署名"),
        max_length=32,
        blank=True,
        choices=signature_check_choices,
        help_text=_(
            "マイナンバーカードなどの電子証明書による署名付きで受け付けるときの検証方式。"
            "空欄なら署名は不要です。"
        ),
    )
    identity = models.CharField(
        _("本人確認"), max_length=16, choices=Identity.choices, default=Identity.NONE
    )
    fee_kind = models.CharField(
        _("手数料"), max_length=16, choices=FeeKind.choices, default=FeeKind.NONE
    )
    fee_amount = models.PositiveIntegerField(_("手数料の額(円)"), null=True, blank=True)
    payment_due_days = models.PositiveIntegerField(_("納付期限(申請からの日数)"), default=14)
    payment_method = models.CharField(
        _("オンライン納付"),
        max_length=32,
        blank=True,
        choices=payment_method_choices,
        help_text=_("空欄なら登録されている最初のオンライン納付の方法を使います。"),
    )
    attachment_kinds = models.JSONField(_("添付できる形式"), default=list, blank=True)
    attachment_max_mb = models.PositiveIntegerField(_("添付の上限(MB)"), default=10)
    retention_years = models.PositiveIntegerField(_("保存年限(年)"), default=5)
    processing_days = models.PositiveIntegerField(
        _("標準処理期間(開庁日)"),
        null=True,
        blank=True,
        help_text=_(
            "受付の翌日から数える開庁日の日数。土日祝日・年末年始と団体の閉庁日は数えません。"
            "空欄なら期限を設けません。"
        ),
    )
    is_shared_template = models.BooleanField(
        _("様式共有(フォームシェア)"),
        default=False,
        help_text=_("公開すると、ほかの団体(県・市町)がこの手続の様式をひな形として複製できます。"),
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    draft_fields = models.JSONField(_("編集中の項目"), default=list, blank=True)
    current_version = models.ForeignKey(
        "FormVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("公開中の様式"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("手続")
        verbose_name_plural = _("手続")

    def __str__(self) -> str:
        return self.name

    @property
    def needs_signature(self) -> bool:
        return bool(self.signature_check)

    @needs_signature.setter
    def needs_signature(self, required: bool) -> None:
        """Pages, the API and the edit form's checkbox ask only whether a signature is needed:
        requiring one keeps the check already chosen, else takes the first one offered."""
        if not required:
            self.signature_check = ""
        elif not self.signature_check:
            offered = signature_check_choices()
            if not offered:
                raise ValueError("no signature check is registered")
            self.signature_check = offered[0][0]

    @property
    def fee_owed_on_receipt(self) -> bool:
        """Whether an amount is owed as each application arrives (定額, 1人あたり), not set
        after review or none at all."""
        return self.fee_kind in (self.FeeKind.FIXED, self.FeeKind.PER_PERSON)

    @property
    def capacity_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)


class FormVersion(models.Model):
    """An immutable published form: the field list and the JSON Schema generated from it.
    Applications keep the version they were made with."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版"))
    fields = models.JSONField(_("項目"))
    schema = models.JSONField(_("JSON Schema"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="form_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure} 第{self.number}版"


# The name the earlier migrations give the tokens' default.
_status_token = new_token


class Application(TenantOwned):
    class Channel(models.TextChoices):
        ONLINE = "online", _("オンライン")
        PAPER = "paper", _("紙(AI-OCR)")
        API = "api", _("API連携")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        REVIEWING = "reviewing", _("審査中")
        RETURNED = "returned", _("差戻し")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("却下")
        COMPLETED = "completed", _("完了")
        WITHDRAWN = "withdrawn", _("取下げ")

    # Every index is written by every submission, so the table keeps only those a query needs:
    # the organization and the procedure lead the unique constraints and the staff list's index
    # below, which serve their lookups (and foreign key checks) without one of their own.
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("団体"),
        db_index=False,
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("手続"),
        db_index=False,
    )
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="applications"
    )
    receipt_number = models.CharField(_("受付番号"), max_length=32)
    channel = models.CharField(_("受付経路"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    data = models.JSONField(_("申請内容"))
    persons = models.PositiveIntegerField(_("人数"), default=1)
    applicant_email = models.EmailField(_("申請者のメールアドレス"), blank=True)
    applicant_name = models.CharField(_("申請者"), max_length=200, blank=True)
    # The form language the resident chose (``translations.LANGUAGES``): their status and
    # correction pages stay in it; staff pages are always in Japanese.
    language = models.CharField(_("申請の言語"), max_length=8, default="ja")
    search_text = models.TextField(blank=True)
    # Unique by constraints in Meta (a unique field would add a second, pattern index on PostgreSQL).
    status_token = models.CharField(max_length=64, default=new_token)
    # NULL rather than "" when absent, so the unique constraints ignore applications without one.
    # A key names one request to one procedure: ``request_sha256`` is the hash of what that
    # request sent, so a reuse of the key with something else is told apart from a retry.
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)  # noqa: DJ001
    request_sha256 = models.CharField(max_length=64, blank=True)
    # "<procedure id>:<e-mail>" while the application counts for a one-per-person procedure; the
    # unique constraint makes the rule hold under concurrent submissions too.
    one_per_person_key = models.CharField(max_length=300, null=True, blank=True)  # noqa: DJ001
    # Indexed only where set (Meta): a new application has no one assigned.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
        verbose_name=_("担当者"),
        db_index=False,
    )
    submitted_at = models.DateTimeField(_("受付日時"), default=timezone.now, db_index=True)
    # From the procedure's 標準処理期間 at receipt; none when the procedure sets no period.
    due_date = models.DateField(_("処理期限"), null=True, blank=True, db_index=True)
    # Set when the personal data was erased (retention period over, or on request); the row stays
    # so that counts per procedure, 年度 and channel do not change.
    purged_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True)
    fiscal_year = models.PositiveIntegerField(_("年度"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "receipt_number"], name="receipt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["procedure", "idempotency_key"], name="idempotency_key_per_procedure"
            ),
            models.UniqueConstraint(
                fields=["status_token"], name="application_status_token_unique"
            ),
            # Only the applications that have a key are in its index (most have none).
            models.UniqueConstraint(
                fields=["one_per_person_key"],
                condition=models.Q(one_per_person_key__isnull=False),
                name="application_one_per_person_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "procedure", "status"]),
            models.Index(
                fields=["assigned_to"],
                condition=models.Q(assigned_to__isnull=False),
                name="application_assigned_to",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def applicant_display(self) -> str:
        """Who applied, for lists: the name, else the e-mail address, else why there is none."""
        if self.purged_at:
            return str(_("(個人情報削除済み)"))
        if self.applicant_name or self.applicant_email:
            return self.applicant_name or self.applicant_email
        if self.procedure.category == Procedure.Category.SURVEY:
            return str(_("(無記名の回答)"))
        return str(_("(氏名の記入なし)"))

    @property
    def due_mark(self) -> str:
        """ "overdue" (期限超過) or "soon" (期限間近) while the organization still has to act."""
        if self.status not in (self.Status.RECEIVED, self.Status.REVIEWING):
            return ""
        return deadlines.mark(self.due_date, timezone.localdate())


class ApplicationFile(models.Model):
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    organization = models.ForeignKey(
        "tenancy.Organization", on_delete=models.CASCADE, related_name="+"
    )
    field_name = models.CharField(max_length=40)
    file = models.FileField(upload_to=PrivateUploadTo("applications"), max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # A file uploaded on the input page waits here (no application yet) until the applicant
    # confirms; the upload token ties it to that browser session.
    upload_token = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """The application's history: status changes (with the message sent to the applicant),
    internal comments, corrections, assignments, documents issued and what became of the fee."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("受付")
        STATUS = "status", _("状態の変更")
        COMMENT = "comment", _("内部メモ")
        RESUBMITTED = "resubmitted", _("修正して再提出")
        ISSUED = "issued", _("文書の発行")
        ASSIGNED = "assigned", _("担当者の変更")
        # What became of the fee; its amount and method are in the fee panel beside the history.
        FEE_CHARGED = "fee_charged", _("手数料の請求")
        FEE_PAID = "fee_paid", _("手数料の納付を確認")
        FEE_CANCELLED = "fee_cancelled", _("手数料の取消")
        FEE_REFUNDED = "fee_refunded", _("手数料の返金")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Indexed only where set (Meta): a resident's submission has no actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    message = models.TextField(_("メッセージ"), blank=True)
    internal = models.BooleanField(default=False)
    # When the division's staff were told of a receipt or resubmission in their digest e-mail.
    staff_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(
                fields=["actor"],
                condition=models.Q(actor__isnull=False),
                name="application_event_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.kind}"

    @property
    def to_status_label(self) -> str:
        return Application.Status(self.to_status).label if self.to_status else ""


class ClosedDay(TenantOwned):
    """A day the organization is closed besides weekends, national holidays and 年末年始
    (e.g. a 庁舎 move); it does not count towards 標準処理期間."""

    date = models.DateField(_("日付"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("閉庁日")
        verbose_name_plural = _("閉庁日")
        constraints = [
            models.UniqueConstraint(fields=["organization", "date"], name="closed_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class FormImport(TenantOwned):
    """An uploaded XLSForm workbook, read by the job ``procedures.xlsform_import`` outside any
    transaction: refused (the rows and reasons), read with warnings the clerk accepts before the
    fields are saved, or applied to the procedure's form being edited."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("読み取り中")
        REFUSED = "refused", _("取り込めません")
        WARNED = "warned", _("確認待ち")
        APPLIED = "applied", _("取り込み済み")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=200)
    workbook = models.BinaryField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    fields = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    problems = models.JSONField(default=list)
    languages = models.JSONField(default=list)
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


# Kept in their own module by subject; imported here so that Django registers them.
from jichitai.procedures.documents.models import (  # noqa: E402, F401
    DocumentKind,
    DocumentTemplate,
    IssuedDocument,
    OfficialSeal,
)
from jichitai.procedures.mailed_links import (  # noqa: E402, F401
    ApplicantLink,
    Draft,
    EmailVerification,
)
