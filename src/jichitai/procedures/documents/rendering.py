"""The PDF of an issued document: the template's text with the application's particulars filled
in, the issuer and the 公印, rendered through ``core.pdf`` (embedded Japanese fonts; the seal goes in
as a ``data:`` URL, the only kind of resource the PDF fetcher accepts besides static files)."""

import base64
import re
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from jichitai.core.japanese import format_wareki
from jichitai.core.pdf import document_markup, html_to_pdf
from jichitai.procedures.documents.models import DocumentKind

# What a template may write, in braces, to take a value from the application.
PLACEHOLDERS = ("申請者", "受付番号", "手続", "受付日", "発行日", "団体")

DEFAULT_BODIES = {
    DocumentKind.NOTICE: (
        "{申請者} 様\n\n"
        "{受付日}に申請のあった「{手続}」(受付番号 {受付番号})について、"
        "審査の結果、承認することに決定したので通知します。"
    ),
    DocumentKind.PERMIT: (
        "{申請者} 様\n\n"
        "{受付日}に申請のあった「{手続}」(受付番号 {受付番号})について、これを許可します。"
    ),
    DocumentKind.ACCEPTANCE: (
        "{申請者} 様\n\n"
        "{受付日}に提出のあった「{手続}」(受付番号 {受付番号})は、"
        "{発行日}に受理したことを証明します。"
    ),
}


def default_title(kind: str) -> str:
    return str(DocumentKind(kind).label)


# A body holding a tag is markup; any other is plain text.
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def as_markup(body: str) -> str:
    """A body written as plain text becomes paragraphs at its blank lines with its line breaks
    kept, its text escaped; a body with tags is markup already."""
    if TAG.search(body):
        return body
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", body.replace("\r\n", "\n"))]
    return "".join(
        f"<p>{str(escape(part)).replace(chr(10), '<br>')}</p>" for part in paragraphs if part
    )


def fill(body: str, values: dict[str, str]) -> str:
    """The template's text as markup (``as_markup``), reduced to what a printed document may
    contain, with each ``{名前}`` replaced by its value (escaped: an answer is never markup; its
    line breaks stay)."""
    text = document_markup(as_markup(body))
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(escape(value)).replace("\n", "<br>"))
    return text


def document_pdf(
    *,
    application,
    kind: str,
    title: str,
    body: str,
    number: str,
    issued_on: date,
    seal,
    answers: dict[str, str],
) -> bytes:
    """``answers``: each item of the application's form by its name, as the inbox shows it; the
    fixed names (``PLACEHOLDERS``) win over an item of the same name."""
    organization = application.organization
    values = {
        **answers,
        "申請者": application.applicant_name or "",
        "受付番号": application.receipt_number,
        "手続": application.procedure.name,
        "受付日": format_wareki(timezone.localdate(application.submitted_at)),
        "発行日": format_wareki(issued_on),
        "団体": organization.name,
    }
    seal_url = ""
    if seal is not None:
        with seal.image.open("rb") as handle:
            seal_url = "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    html = render_to_string(
        "procedures/documents/document_pdf.html",
        {
            "application": application,
            "organization": organization,
            "title": title,
            "number": number,
            "issued_on": format_wareki(issued_on),
            "body": mark_safe(fill(body, values)),  # noqa: S308  (sanitised by document_markup)
            "seal_url": seal_url,
            "kind": kind,
        },
    )
    return html_to_pdf(html)
