"""The e-mailed link to 「申請した手続の一覧」: one row per link, used at most once."""

from django.db import models


class ApplicantLink(models.Model):
    """A link mailed to an address for the list of the applications made with it. The URL carries
    ``nonce`` signed with a timestamp (``resident.links``); the row makes it single-use."""

    email = models.EmailField()
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        # Not the address: this text is kept in audit entries, which outlive the link.
        return "my-applications link"
