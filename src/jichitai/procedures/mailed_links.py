"""The links mailed to residents, each kept as a row until used or expired: a draft to resume, an
address to confirm, the list of an address's applications."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.procedures.tokens import new_token


class Draft(models.Model):
    """An application saved half-way; the applicant resumes it from the e-mailed link."""

    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="drafts"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    email = models.EmailField()
    data = models.JSONField(default=dict)
    # The form language the resident was reading: the e-mail and the resumed form use it.
    language = models.CharField(_("一時保存の言語"), max_length=8, default="ja")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.procedure} draft"


class EmailVerification(models.Model):
    """A one-time link proving the applicant reads the address they give."""

    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=new_token)
    # The form language the resident was reading: the e-mail is written in it.
    language = models.CharField(_("確認メールの言語"), max_length=8, default="ja")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        # Not the address: this text is kept in audit entries, which outlive the verification.
        return f"{self.procedure} e-mail verification"


class ApplicantLink(models.Model):
    """A link mailed to an address for the list of the applications made with it (「申請した手続の
    一覧」). The URL carries ``nonce`` signed with a timestamp (``applicant_links``); the row makes
    it single-use."""

    email = models.EmailField()
    nonce = models.CharField(max_length=64, unique=True)
    # The language the resident asked in: the mail, the page it opens and the list are in it.
    language = models.CharField(max_length=8, default="ja")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        # Not the address: this text is kept in audit entries, which outlive the link.
        return "my-applications link"
