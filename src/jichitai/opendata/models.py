"""The open data catalog: datasets each organization publishes, their resources (files or links),
tags and the site-wide groups, with the validation report of each table resource.

Identifiers follow CKAN so that existing clients work unchanged: a dataset and a resource have a UUID
``ckan_id`` and a dataset a URL name (``name``) unique in the whole installation."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.core.files import PrivateUploadTo
from jichitai.tenancy.models import TenantOwned

url_name_validator = RegexValidator(
    r"^[a-z0-9_-]{2,100}$",
    _("URL名は半角英小文字・数字・「-」「_」で2〜100文字にしてください。"),
)


class Group(models.Model):
    """A category shared by every organization's datasets (防災, 健康・福祉 …), kept by the prefecture."""

    ckan_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("URL名"), max_length=100, unique=True, validators=[url_name_validator]
    )
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("分類")

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    name = models.CharField(_("タグ"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Dataset(TenantOwned):
    class Frequency(models.TextChoices):
        IRREGULAR = "irregular", _("不定期")
        CONTINUOUS = "continuous", _("随時")
        DAILY = "daily", _("毎日")
        WEEKLY = "weekly", _("毎週")
        MONTHLY = "monthly", _("毎月")
        QUARTERLY = "quarterly", _("四半期ごと")
        ANNUAL = "annual", _("毎年")

    ckan_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("URL名"), max_length=100, unique=True, validators=[url_name_validator]
    )
    title = models.CharField(_("タイトル"), max_length=200)
    notes = models.TextField(_("説明"), blank=True)
    division = models.ForeignKey(
        "tenancy.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当所属"),
    )
    license_id = models.CharField(_("ライセンス"), max_length=40, default="CC-BY-4.0")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets", verbose_name=_("タグ"))
    groups = models.ManyToManyField(
        Group, blank=True, related_name="datasets", verbose_name=_("分類")
    )
    frequency = models.CharField(
        _("更新頻度"), max_length=16, choices=Frequency.choices, default=Frequency.IRREGULAR
    )
    contact_name = models.CharField(_("問い合わせ先"), max_length=200, blank=True)
    contact_email = models.EmailField(_("問い合わせ先メールアドレス"), blank=True)
    contact_phone = models.CharField(_("問い合わせ先電話番号"), max_length=40, blank=True)
    private = models.BooleanField(_("非公開"), default=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    # Publishing over failed standard checks needs a manager, who says why.
    override_reason = models.TextField(_("検証エラーのまま公開する理由"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A dataset of aggregate counts generated from a procedure's applications.
    source_procedure = models.ForeignKey(
        "procedures.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("集計元の手続"),
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        _("秘匿する件数(この数未満)"), default=5
    )
    # Lower-cased NFKC text of everything searchable; matched by substring, which suits Japanese
    # text without word spaces (on PostgreSQL through the numbers of its two-character pieces,
    # ``search_index``).
    search_text = models.TextField(default="", editable=False)
    # The title alone, normalised the same way: matches in the title rank first.
    search_title = models.TextField(default="", editable=False)
    # What a search filters and counts facets by, one key a line (``search_index.keys_of``).
    search_keys = models.TextField(default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-modified_at"]
        verbose_name = _("データセット")
        indexes = [
            # The public catalog newest first, and its size, read from the index alone
            # (PostgreSQL: an index-only scan, not a visit of every dataset row).
            models.Index(
                fields=["-modified_at", "id"],
                condition=models.Q(private=False, deleted_at__isnull=True),
                name="opendata_public_newest",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return not self.private and self.deleted_at is None


class SearchKey(models.Model):
    """One value a search looks up (a line of ``Dataset.search_keys``, or ``text<TAB>`` and a
    two-character piece of the search text), numbered: on PostgreSQL each dataset carries the
    numbers of its keys (``search_key_ids``, ``search_facet_ids``, kept by a trigger), so a filter
    is one containment test on a GIN index of integers (``opendata.search_index``). SQLite keeps
    none (its searches read the text)."""

    # int4: the arrays of key numbers are integer[].
    id = models.AutoField(primary_key=True)
    key = models.TextField(unique=True)

    def __str__(self) -> str:
        return self.key


class CatalogVersion(models.Model):
    """One row whose ``number`` the database moves with every write to what a search reads
    (triggers of migration 0006): counts kept in the cache are keyed by it."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.number)


class Resource(TenantOwned):
    class Validation(models.TextChoices):
        NOT_APPLICABLE = "", _("対象外")
        VALID = "valid", _("適合")
        WARNINGS = "warnings", _("警告あり")
        INVALID = "invalid", _("エラーあり")

    ckan_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    format = models.CharField(_("形式"), max_length=20, blank=True)
    url = models.URLField(_("リンク先URL"), max_length=1000, blank=True)
    file = models.FileField(upload_to=PrivateUploadTo("opendata"), blank=True, max_length=300)
    filename = models.CharField(max_length=255, blank=True)
    mimetype = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)
    # A CSV made from an uploaded Excel file points at the resource holding that file.
    derived_from = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="derived"
    )
    standard = models.CharField(_("準拠する標準データセット"), max_length=60, blank=True)
    validation_status = models.CharField(
        max_length=10, choices=Validation.choices, default=Validation.NOT_APPLICABLE, blank=True
    )
    validation = models.JSONField(default=dict, blank=True)
    # What reading the table found and did: title rows, merged cells, notes, the encoding.
    conversion = models.JSONField(default=dict, blank=True)
    download_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("リソース")

    def __str__(self) -> str:
        return self.name

    @property
    def is_upload(self) -> bool:
        return bool(self.file)
