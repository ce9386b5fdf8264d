"""The organization's 公印, each procedure's document template and the documents issued."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.files import PrivateUploadTo
from jichitai.tenancy.models import TenantOwned

# Documents are issued on a decision in the applicant's favour (and may be issued again later).
ISSUABLE_STATUSES = ("approved", "completed")
# A seal's image is a few hundred pixels square; a megabyte is ample.
MAX_SEAL_BYTES = 1024 * 1024
MAX_SEAL_SIDE = 2000


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("通知書")
    PERMIT = "permit", _("許可証")
    ACCEPTANCE = "acceptance", _("受理証明書")


class OfficialSeal(TenantOwned):
    """公印の印影: a PNG (transparent background) printed beside the issuer's name."""

    image = models.FileField(upload_to=PrivateUploadTo("seals"), max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("公印")
        verbose_name_plural = _("公印")
        constraints = [models.UniqueConstraint(fields=["organization"], name="one_official_seal")]

    def __str__(self) -> str:
        return f"{self.organization} 公印"


class DocumentTemplate(TenantOwned):
    """What a procedure issues on approval: the kind and the text, with placeholders such as
    ``{申請者}`` filled in from the application."""

    procedure = models.OneToOneField(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="document_template"
    )
    kind = models.CharField(
        _("文書の種類"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.NOTICE
    )
    title = models.CharField(_("表題"), max_length=100)
    body = models.TextField(_("本文"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("発行文書のひな形")
        verbose_name_plural = _("発行文書のひな形")

    def __str__(self) -> str:
        return self.title


class IssuedDocument(TenantOwned):
    """A PDF issued for an application, kept as issued: a later change of template or 公印 does
    not alter it."""

    application = models.ForeignKey(
        "procedures.Application", on_delete=models.CASCADE, related_name="issued_documents"
    )
    kind = models.CharField(_("文書の種類"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("表題"), max_length=100)
    number = models.CharField(_("文書番号"), max_length=64)
    file = models.FileField(upload_to=PrivateUploadTo("issued"), max_length=200)
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("発行文書")
        verbose_name_plural = _("発行文書")

    def __str__(self) -> str:
        return self.number

    @property
    def filename(self) -> str:
        return f"{self.title}_{self.number}.pdf"
