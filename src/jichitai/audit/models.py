from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One write (or read of personal data): who, when, for which organization, what changed, from
    where. Written by ``audit.services`` in the same transaction as the change it describes."""

    class Kind(models.TextChoices):
        WRITE = "write", _("変更")
        READ = "read", _("個人情報の閲覧")
        AUTH = "auth", _("認証")

    # Every submission writes an entry, and so every index of this table: the log is read per
    # organization newest first (the index in Meta, whose leading column also serves the
    # organization's own lookups); the operation is searched for within words, which no index
    # serves; the actor is indexed only where there is one (a resident's submission has none).
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices, default=Kind.WRITE)
    action = models.CharField(_("操作"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作者"),
        db_index=False,
    )
    actor_name = models.CharField(_("操作者名"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "tenancy.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("団体"),
        db_index=False,
    )
    target_type = models.CharField(_("対象の種類"), max_length=100, blank=True)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("対象"), max_length=200, blank=True)
    summary = models.CharField(_("概要"), max_length=300, blank=True)
    changes = models.JSONField(_("変更内容"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    request_id = models.CharField(_("リクエストID"), max_length=32, blank=True)
    channel = models.CharField(_("経路"), max_length=16, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        indexes = [
            models.Index(fields=["organization", "-at"]),
            models.Index(
                fields=["actor"], condition=models.Q(actor__isnull=False), name="audit_event_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
