from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.tenancy.models import Role


class User(AbstractUser):
    """A staff account. Residents do not have accounts: they are identified per application."""

    full_name = models.CharField(_("氏名"), max_length=100, blank=True)
    full_name_kana = models.CharField(_("氏名(フリガナ)"), max_length=200, blank=True)
    is_demo = models.BooleanField(
        _("デモ用アカウント"),
        default=False,
        help_text=_("開発環境に限り、二要素認証なしでログインできます。"),
    )
    application_digest = models.BooleanField(
        _("新しい申請のお知らせメールを受け取る"),
        default=True,
        help_text=_("所属の手続に申請や再提出があったとき、まとめて1通のメールでお知らせします。"),
    )

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A credential for systems that call the API on behalf of one organization, with a role no
    higher than its owner's there. Only a hash is stored; the token is shown once when created."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("作成者"),
    )
    organization = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("団体"),
    )
    role = models.CharField(_("権限"), max_length=16)
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("識別子"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最終利用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def role_label(self) -> str:
        """The role by its name (管理者, 担当職員 …)."""
        return Role(self.role).label if self.role in Role.values else self.role


class EnrolmentCode(models.Model):
    """A one-time code, issued by an administrator and handed to the person in another way (in
    person, by phone), without which nobody can enrol a first authenticator: the password alone is
    not enough. Only a hash is stored."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="enrolment_codes",
        verbose_name=_("職員"),
    )
    organization = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("発行した団体"),
    )
    issued_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("発行者"),
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    used_at = models.DateTimeField(_("使用日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("二要素認証の登録コード")
        verbose_name_plural = _("二要素認証の登録コード")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
