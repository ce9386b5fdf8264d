from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff account. Residents do not have accounts: they are identified per application."""

    full_name = models.CharField(_("氏名"), max_length=100, blank=True)
    full_name_kana = models.CharField(_("氏名(フリガナ)"), max_length=200, blank=True)
    is_demo = models.BooleanField(
        _("デモ用アカウント"),
        default=False,
        help_text=_("開発環境に限り、二要素認証なしでログインできます。"),
    )

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
