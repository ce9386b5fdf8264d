"""Tenants: the prefecture and each 市町 (``Organization``), their divisions (所属) and the staff who
belong to them (``Membership``, one role per organization)."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.core import japanese


def validate_code(value: str) -> None:
    try:
        japanese.validate_local_government_code(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None


class Organization(models.Model):
    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("都道府県")
        CITY = "city", _("市")
        TOWN = "town", _("町")
        VILLAGE = "village", _("村")

    code = models.CharField(
        _("全国地方公共団体コード"), max_length=6, unique=True, validators=[validate_code]
    )
    name = models.CharField(_("団体名"), max_length=100)
    name_kana = models.CharField(_("よみ"), max_length=200)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("都道府県"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("代表メールアドレス"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    is_active = models.BooleanField(_("利用中"), default=True)
    # Shown at /o/<code>/privacy/ and linked from every consent on the organization's forms.
    privacy_policy = models.TextField(_("個人情報の取扱い"), blank=True, max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="prefecture", parent__isnull=True)
                | ~models.Q(kind="prefecture"),
                name="prefecture_has_no_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_prefecture(self) -> bool:
        return self.kind == self.Kind.PREFECTURE


class Division(models.Model):
    """A 所属 (課・室・事務所): the unit that owns procedures, datasets, scenarios and staff."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="divisions", verbose_name=_("団体")
    )
    name = models.CharField(_("所属名"), max_length=100)
    department = models.CharField(_("部局"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    is_active = models.BooleanField(_("利用中"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__code", "department", "name"]
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="division_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("管理者")
    MANAGER = "manager", _("所属長・推進担当")
    CLERK = "clerk", _("担当職員")
    VIEWER = "viewer", _("閲覧のみ")


ROLE_RANK = {Role.VIEWER: 1, Role.CLERK: 2, Role.MANAGER: 3, Role.ADMIN: 4}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("職員"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("団体")
    )
    role = models.CharField(_("権限"), max_length=16, choices=Role.choices, default=Role.CLERK)
    division = models.ForeignKey(
        Division,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        verbose_name=_("所属"),
    )
    is_active = models.BooleanField(_("有効"), default=True)
    # Set only for a prefecture admin's break-glass access to a municipality: the membership stops
    # counting at this time (the tenant gate ignores it afterwards).
    expires_at = models.DateTimeField(_("緊急アクセスの期限"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__code", "user__username"]
        verbose_name = _("所属職員")
        verbose_name_plural = _("所属職員")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"

    def has_role(self, minimum: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]

    @property
    def is_break_glass(self) -> bool:
        return self.expires_at is not None

    def clean(self) -> None:
        if self.division_id and self.division.organization_id != self.organization_id:
            raise ValidationError({"division": _("別の団体の所属は選べません。")})


class TenantOwned(models.Model):
    """Base for every tenant-owned record. Reads go through selectors that take the organization,
    which call ``tenancy.selectors.for_tenant``; nothing else in the project filters by
    organization by hand."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("団体")
    )

    class Meta:
        abstract = True


class Invitation(TenantOwned):
    """An offer of a membership, sent by e-mail. Nobody joins an organization by being named: the
    person follows the link and accepts (an existing account after logging in as itself, a new
    person by setting a password for the new account). Only a hash of the link's token is kept."""

    username = models.CharField(_("ログインID"), max_length=150)
    email = models.EmailField(_("メールアドレス"))
    full_name = models.CharField(_("氏名"), max_length=100, blank=True)
    role = models.CharField(_("権限"), max_length=16, choices=Role.choices, default=Role.CLERK)
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("所属")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("招待した職員"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("招待日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    accepted_at = models.DateTimeField(_("承諾日時"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承諾した職員"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("招待")
        verbose_name_plural = _("招待")

    def __str__(self) -> str:
        return f"{self.username} → {self.organization}"

    @staticmethod
    def hash_token(raw: str) -> str:
        """What is kept of the link's token, and what a followed link is looked up by."""
        return hashlib.sha256(raw.encode()).hexdigest()
