import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.payments.registry import payment_methods
from jichitai.tenancy.models import TenantOwned


def _token() -> str:
    return secrets.token_urlsafe(24)


class Payment(TenantOwned):
    """What an application owes, and how and when it was paid."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("未払")
        PAID = "paid", _("支払済")
        CANCELLED = "cancelled", _("取消")
        REFUNDED = "refunded", _("返金")

    application = models.OneToOneField(
        "procedures.Application", on_delete=models.PROTECT, related_name="payment"
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, related_name="payments"
    )
    payment_number = models.CharField(_("納付番号"), max_length=20, unique=True)
    amount = models.PositiveIntegerField(_("金額(円)"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.UNPAID, db_index=True
    )
    method = models.CharField(_("納付方法"), max_length=32, blank=True)
    due_date = models.DateField(_("納付期限"))
    paid_at = models.DateTimeField(_("納付日時"), null=True, blank=True)
    paid_amount = models.PositiveIntegerField(_("納付額"), null=True, blank=True)
    fiscal_year = models.PositiveIntegerField(_("年度"), db_index=True)
    reference = models.CharField(_("決済の参照番号"), max_length=100, blank=True)
    gateway_token = models.CharField(max_length=64, default=_token, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("納付")
        verbose_name_plural = _("納付")

    def __str__(self) -> str:
        return self.payment_number

    @property
    def is_overdue(self) -> bool:
        """Unpaid after its 納付期限."""
        return self.status == self.Status.UNPAID and self.due_date < timezone.localdate()

    @property
    def method_label(self) -> str:
        """How it was paid, by the payment method's name (the code when none is registered)."""
        if self.method in payment_methods:
            return str(payment_methods.get(self.method).label)
        return self.method

    @property
    def receipt_method_label(self) -> str:
        """How the 領収書 names the way it was paid."""
        if self.method in payment_methods:
            method = payment_methods.get(self.method)
            return method.receipt_label or str(method.label)
        return self.method


class GatewayNotification(models.Model):
    """Each payment notification received from the online gateway, once: a repeated notification
    (gateways retry) finds its event id here and changes nothing."""

    event_id = models.CharField(max_length=100, unique=True)
    payment = models.ForeignKey(
        Payment, null=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    payload = models.JSONField()
    outcome = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id


class ReconciliationProfile(TenantOwned):
    """Where the columns are in a bank's or collection agent's receipts file. Its encoding is
    not among them: the file's bytes tell it (``core.csv_rows.decode_text``)."""

    name = models.CharField(_("名称"), max_length=100)
    number_column = models.CharField(_("納付番号の列名"), max_length=100, default="納付番号")
    amount_column = models.CharField(_("金額の列名"), max_length=100, default="金額")
    paid_on_column = models.CharField(_("入金日の列名"), max_length=100, default="入金日")
    header_row = models.PositiveIntegerField(_("見出しの行"), default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReconciliationBatch(TenantOwned):
    """One imported receipts file and what matching it found (消込の結果)."""

    profile = models.ForeignKey(
        ReconciliationProfile, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    matched = models.PositiveIntegerField(default=0)
    mismatched = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    already_paid = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
