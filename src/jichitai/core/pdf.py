"""PDF documents (notices, payment slips, receipts, reports) rendered from Django templates with
WeasyPrint. The Japanese fonts come from Debian packages (fonts-ipaexfont, fonts-noto-cjk) and
WeasyPrint embeds the subset each document uses."""

from django.template.loader import render_to_string
from weasyprint import HTML

JAPANESE_FONT_FAMILIES = '"IPAexGothic", "Noto Sans CJK JP", sans-serif'
JAPANESE_SERIF_FAMILIES = '"IPAexMincho", "Noto Serif CJK JP", serif'


def render_pdf(
    template_name: str, context: dict | None = None, *, base_url: str | None = None
) -> bytes:
    """Templates extend ``core/pdf/base.html`` (A4, Japanese fonts, page numbers)."""
    return html_to_pdf(render_to_string(template_name, context or {}), base_url=base_url)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf()
