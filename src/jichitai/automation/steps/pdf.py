"""Steps producing PDFs: a shipped or staff-written HTML template rendered by WeasyPrint, and
the merge of PDFs a run produced."""

import io

from django.template import Context, Engine

from jichitai.automation.errors import BusinessError
from jichitai.automation.registry import OUTPUT, STRING, STRINGS, step

_TEMPLATE_ENGINE = Engine(
    app_dirs=True,
    autoescape=True,
    libraries={"japanese": "jichitai.core.templatetags.japanese"},
)
_DOCUMENT_PAGE = _TEMPLATE_ENGINE.from_string(
    "{% extends 'core/pdf/base.html' %}{% block content %}{{ content }}{% endblock %}"
)


@step(
    "pdf.render",
    "PDF の作成(HTML 様式)",
    properties={
        "template": STRING,
        "html": STRING,
        "output": STRING,
        "context": {"type": "object"},
    },
    required=["output"],
    effect=OUTPUT,
    describe=lambda p: f"PDF を作成: {p.get('output')}(様式 {p.get('template') or 'HTML'})",
    raw=("html",),
)
def pdf_render(ctx, output, template=None, html=None, context=None):
    """A shipped template (``automation/pdf/…``) or staff-written HTML. The HTML is a Django
    template over ``context``; what it renders is reduced to document markup before it is placed in
    the PDF base template."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from jichitai.core.pdf import document_markup, html_to_pdf

    if template:
        if not template.startswith("automation/pdf/") or ".." in template.split("/"):
            raise BusinessError(f"様式「{template}」は使えません(automation/pdf/ の様式のみ)。")
        text = render_to_string(template, context or {})
    elif html:
        written = _TEMPLATE_ENGINE.from_string(html).render(Context(context or {}))
        markup = mark_safe(document_markup(written))  # noqa: S308  (sanitised by nh3)
        text = _DOCUMENT_PAGE.render(Context({"content": markup}))
    else:
        raise BusinessError("pdf.render には template か html のどちらかが必要です。")
    return ctx.write_output(output, html_to_pdf(text))


@step(
    "pdf.merge",
    "PDF の結合",
    properties={"files": STRINGS, "output": STRING},
    required=["files", "output"],
    effect=OUTPUT,
    describe=lambda p: f"PDF を結合: {len(p.get('files') or [])} ファイル → {p.get('output')}",
)
def pdf_merge(ctx, files, output):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for name in files:
        writer.append(str(ctx.output_path(name)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return ctx.write_output(output, buffer.getvalue())
