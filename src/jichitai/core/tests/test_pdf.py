from django.template import engines

from jichitai.core.pdf import html_to_pdf
from jichitai.core.tests.pdf import all_fonts_embedded, pdf_fonts, pdf_text


def test_pdfs_embed_japanese_fonts_and_read_back():
    template = engines["django"].from_string(
        '{% extends "core/pdf/base.html" %}{% block content %}<h1>{{ title }}</h1>'
        "<p>髙橋 様 ① 令和6年4月1日</p>{% endblock %}"
    )
    content = html_to_pdf(template.render({"title": "納付のお知らせ"}))
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "納付のお知らせ" in text and "髙橋 様 ① 令和6年4月1日" in text
    assert any("IPAexGothic" in line for line in pdf_fonts(content))
    assert all_fonts_embedded(content)
