from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.signatures.canonical import data_sha256
from jichitai.tenancy.models import TenantOwned


class TrustAnchor(TenantOwned):
    """A CA certificate an administrator trusts for applicants' signatures (e.g. the JPKI signing
    CA), uploaded as PEM."""

    name = models.CharField(_("名称"), max_length=200)
    certificate_pem = models.TextField(_("証明書(PEM)"))
    subject = models.CharField(_("主体者"), max_length=500)
    fingerprint = models.CharField(_("SHA-256 フィンガープリント"), max_length=64)
    not_after = models.DateTimeField(_("有効期限"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fingerprint"], name="trust_anchor_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RevocationList(TenantOwned):
    """A certificate revocation list, uploaded by an administrator so that revocation is checked
    without reaching the network."""

    issuer = models.CharField(_("発行者"), max_length=500)
    crl_der = models.BinaryField(_("CRL"))
    this_update = models.DateTimeField(_("発行日時"))
    next_update = models.DateTimeField(_("次回更新予定"), null=True, blank=True)
    revoked_count = models.PositiveIntegerField(_("失効件数"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-this_update"]

    def __str__(self) -> str:
        return f"{self.issuer} ({self.this_update:%Y-%m-%d})"

    def is_stale_at(self, moment) -> bool:
        """Past its nextUpdate at ``moment``: it can no longer show a certificate is not revoked."""
        return self.next_update is not None and self.next_update < moment


class ApplicationSignature(models.Model):
    """The verified signature of an application, kept with exactly the content that was signed so
    it can be verified again later."""

    application = models.OneToOneField(
        "procedures.Application", on_delete=models.CASCADE, related_name="signature"
    )
    # The ``signature_checks`` entry that verified it (the procedure's choice at the time), used
    # again to re-verify it.
    check_name = models.CharField(_("検証方式"), max_length=32)
    signed_content = models.BinaryField()
    signature_der = models.BinaryField()
    signer_name = models.CharField(_("署名者"), max_length=500)
    signer_serial = models.CharField(_("証明書シリアル番号"), max_length=100)
    issuer = models.CharField(_("発行者"), max_length=500)
    signing_time = models.DateTimeField(_("署名日時(署名者の申告)"), null=True, blank=True)
    received_at = models.DateTimeField(_("受信日時"))
    validation_time = models.DateTimeField(_("検証の基準日時"))
    timestamped = models.BooleanField(_("タイムスタンプで基準日時を確認"), default=False)
    verified_at = models.DateTimeField(_("検証日時"))
    rechecked_at = models.DateTimeField(_("再検証日時"), null=True, blank=True)
    recheck_passed = models.BooleanField(_("再検証の結果"), null=True)
    recheck_message = models.CharField(_("再検証の結果の説明"), max_length=500, blank=True)
    # canonical.data_sha256 of the application's data when the signature was verified.
    data_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.signer_serial})"

    def covers(self, application) -> bool:
        """Whether this verification is about the application's data as it is now."""
        return bool(self.data_sha256) and self.data_sha256 == data_sha256(application.data)


class AttachmentSignature(models.Model):
    """The result of verifying a signature embedded in a PDF attachment (PAdES)."""

    file = models.ForeignKey(
        "procedures.ApplicationFile", on_delete=models.CASCADE, related_name="pdf_signatures"
    )
    field_name = models.CharField(max_length=200, blank=True)
    valid = models.BooleanField()
    trusted = models.BooleanField()
    intact = models.BooleanField()
    signer_name = models.CharField(max_length=500, blank=True)
    signing_time = models.DateTimeField(null=True, blank=True)
    # What was found (``pades.VERDICTS``), read in the language of whoever looks
    # (``pades.described``); ``summary`` keeps it as a sentence in the platform's language, as
    # results kept before verdicts did.
    verdict = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=500)
    checked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.summary
