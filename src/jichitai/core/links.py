"""Links that leave the site (e-mails, PDFs, background work) start from ``JICHITAI_BASE_URL``,
never from the host a request happened to name: a request's Host header is the sender's to choose,
and background work has no request at all."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (starting with "/") under the site's public address."""
    base: str = settings.JICHITAI_BASE_URL
    return base.rstrip("/") + path
