"""PDF documents (notices, payment slips, receipts, reports) rendered from Django templates with
WeasyPrint. The Japanese fonts come from Debian packages (fonts-ipaexfont, fonts-noto-cjk) and
WeasyPrint embeds the subset each document uses.

Every rendering goes through ``html_to_pdf`` and its URL fetcher, which gives WeasyPrint only
``data:`` URLs and the app's own static files. Anything else a document names (``file:`` paths,
``http(s):`` addresses, ``<link rel="attachment">``) is refused, so a document's markup can neither
copy a file of the server into the PDF nor make the server call an address."""

import mimetypes
import posixpath
import urllib.request
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import nh3
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from django.http import HttpRequest
    from weasyprint.urls import URLFetcher

JAPANESE_FONT_FAMILIES = '"IPAexGothic", "Noto Sans CJK JP", sans-serif'
JAPANESE_SERIF_FAMILIES = '"IPAexMincho", "Noto Serif CJK JP", serif'

# The base URL documents are rendered against: ``{% static %}`` paths resolve under it. The
# ``.invalid`` domain is reserved (RFC 2606) and nothing under it is ever requested; the fetcher
# answers its static paths from the app's static files.
PDF_BASE_URL = "https://jichitai.invalid/"
_STATIC_PREFIX = PDF_BASE_URL + "static/"


def _static_file(url: str) -> str | None:
    if not url.startswith(_STATIC_PREFIX):
        return None
    name = unquote(urlsplit(url).path).removeprefix("/static/")
    if not name or name != posixpath.normpath(name) or name.startswith(("/", "..")):
        return None
    try:
        return finders.find(name)
    except SuspiciousFileOperation:
        return None


@cache
def pdf_url_fetcher() -> "URLFetcher":
    """WeasyPrint's URL fetcher for every document: ``data:`` URLs and the static files found by
    Django's static file finders; any other URL raises, and WeasyPrint leaves the resource out.
    WeasyPrint is imported here, on the first document, not by every process that starts."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                request = urllib.request.Request(url)  # noqa: S310  (a data: URL, in memory)
                response = urllib.request.DataHandler().data_open(request)
                return URLFetcherResponse(url, response.read(), dict(response.headers))
            path = _static_file(url)
            if path is None:
                raise ValueError(f"PDF documents may not use {url[:200]!r}")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(path, "rb") as handle:
                return URLFetcherResponse(url, handle.read(), {"Content-Type": content_type})

    return StaticFilesOnlyFetcher()


def render_pdf(
    template_name: str, context: dict | None = None, *, request: "HttpRequest | None" = None
) -> bytes:
    """Templates extend ``core/pdf/base.html`` (A4, Japanese fonts, page numbers); the document
    is in the language active now (``document_lang``, which chooses its fonts)."""
    return html_to_pdf(
        render_to_string(
            template_name, {"document_lang": document_lang(), **(context or {})}, request=request
        )
    )


def document_lang() -> str:
    """The HTML language of a document in the active language: やさしい日本語 is Japanese,
    Django's zh-hans Chinese."""
    active = translation.get_language() or "ja"
    return active[:2] if active[:2] in ("ja", "zh") else active


def html_to_pdf(html: str) -> bytes:
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint makes Pillow fill in truncated images for the whole process; the
    # AI-OCR in the same worker must see a scan cut short as damaged. The images of our own
    # documents (the 公印) are decoded whole when they are uploaded.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    pdf: bytes = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=pdf_url_fetcher()).write_pdf()
    return pdf


# What a printed document written by staff needs: text, headings, lists, tables, emphasis and
# layout through a few CSS properties. No links, images, scripts, styles, forms or embedded content.
_DOCUMENT_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "section",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "strong", "b", "em", "i", "u", "s", "small", "sub", "sup", "ruby", "rt", "rp",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
}  # fmt: skip
_DOCUMENT_ATTRIBUTES = {
    "*": {"class", "style", "lang"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "ol": {"start"},
}
_DOCUMENT_STYLE_PROPERTIES = {
    "text-align", "vertical-align", "font-size", "font-weight", "font-style", "text-decoration",
    "line-height", "letter-spacing", "color", "width", "height", "margin", "margin-top",
    "margin-bottom", "margin-left", "margin-right", "padding", "padding-top", "padding-bottom",
    "padding-left", "padding-right", "border", "border-top", "border-bottom", "border-left",
    "border-right", "page-break-before", "page-break-after", "break-before", "break-after",
    "white-space",
}  # fmt: skip


def document_markup(html: str) -> str:
    """Markup a person wrote for a printed document, reduced (by nh3, the Ammonia sanitiser) to the
    elements, attributes and CSS properties above; everything else is removed, text kept."""
    return nh3.clean(
        html,
        tags=_DOCUMENT_TAGS,
        attributes=_DOCUMENT_ATTRIBUTES,
        filter_style_properties=_DOCUMENT_STYLE_PROPERTIES,
        url_schemes=set(),
        link_rel=None,
    )
