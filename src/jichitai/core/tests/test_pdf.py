import ast
import base64
import http.server
import io
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.template import engines
from pypdf import PdfReader

from jichitai.core.pdf import PDF_BASE_URL, document_markup, html_to_pdf, pdf_url_fetcher
from jichitai.core.tests.pdf import all_fonts_embedded, pdf_fonts, pdf_text
from jichitai.core.tests.samples import png_bytes


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


def _attachments_and_images(content: bytes) -> tuple[dict, int]:
    reader = PdfReader(io.BytesIO(content))
    images = sum(len(page.images) for page in reader.pages)
    return dict(reader.attachments), images


def test_a_pdf_never_carries_files_of_the_server(tmp_path):
    vault_key = Fernet.generate_key()
    (tmp_path / "vault_key").write_bytes(vault_key)
    (tmp_path / "stamp.png").write_bytes(png_bytes())
    (tmp_path / "leak.css").write_text('h1::after { content: "LEAKED-STYLESHEET"; }')
    content = html_to_pdf(
        f"""<html lang="ja"><head>
        <link rel="attachment" href="file://{tmp_path}/vault_key">
        <link rel="attachment" href="file:///etc/passwd">
        <link rel="stylesheet" href="file://{tmp_path}/leak.css">
        </head><body><h1>通知</h1>
        <a rel="attachment" href="file:///etc/passwd">passwd</a>
        <img src="file://{tmp_path}/stamp.png"></body></html>"""
    )
    attachments, images = _attachments_and_images(content)
    assert attachments == {}
    assert images == 0
    text = pdf_text(content)
    assert "通知" in text and "LEAKED-STYLESHEET" not in text
    assert vault_key not in content and b"root:x:0:0" not in content


class _Listener(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.requests.append(self.path)
        body = png_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_pdf_fetches_nothing_over_the_network():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Listener.requests = []
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        content = html_to_pdf(
            f"""<html lang="ja"><head>
            <link rel="stylesheet" href="{origin}/style.css">
            <link rel="attachment" href="{origin}/internal.json">
            <style>@import url("{origin}/imported.css");
            body {{ background: url("{origin}/background.png"); }}</style>
            </head><body><p>本文</p><img src="{origin}/image.png">
            <img src="https://127.0.0.1:{server.server_address[1]}/secure.png"></body></html>"""
        )
    finally:
        server.shutdown()
        server.server_close()
    assert _Listener.requests == []
    assert _attachments_and_images(content) == ({}, 0)
    assert "本文" in pdf_text(content)


def test_data_urls_and_the_apps_own_static_files_are_what_a_pdf_may_use():
    image = base64.b64encode(png_bytes()).decode()
    content = html_to_pdf(f'<p>印影</p><img src="data:image/png;base64,{image}">')
    assert _attachments_and_images(content) == ({}, 1)

    stylesheet = pdf_url_fetcher()(f"{PDF_BASE_URL}static/jichitai/jichitai.css")
    assert b"font" in stylesheet.read()
    for refused in [
        f"{PDF_BASE_URL}static/../settings/base.py",
        f"{PDF_BASE_URL}static/%2e%2e/%2e%2e/settings/base.py",
        f"{PDF_BASE_URL}media/automation/x.pdf",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/jichitai/jichitai.css",
    ]:
        with pytest.raises(ValueError):
            pdf_url_fetcher()(refused)


def test_markup_written_by_staff_keeps_the_document_and_loses_what_acts_or_fetches():
    cleaned = document_markup(
        '<h1 onclick="x()">通知</h1><script>alert(1)</script><style>h1{}</style>'
        '<link rel="attachment" href="file:///etc/passwd"><img src="http://10.0.0.1/">'
        '<iframe src="http://10.0.0.1/"></iframe><object data="file:///etc/passwd"></object>'
        '<a href="http://10.0.0.1/">リンク</a>'
        '<table><tr><td colspan="2" style="text-align: right; background: url(http://x/)">'
        "1,200円</td></tr></table>"
    )
    assert cleaned == (
        "<h1>通知</h1>リンク"
        '<table><tbody><tr><td colspan="2" style="text-align:right">1,200円</td></tr></tbody></table>'
    )


def _modules_importing_weasyprint() -> set[str]:
    package = Path(__file__).resolve().parents[2]
    found = set()
    for path in package.rglob("*.py"):
        relative = path.relative_to(package)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name == "weasyprint" or name.startswith("weasyprint.") for name in names):
                found.add(relative.as_posix())
    return found


def test_every_pdf_is_rendered_through_the_one_url_fetcher():
    """A module rendering with WeasyPrint itself would use its default fetcher (file: and http:
    URLs): only core/pdf.py may import it, and every document goes through html_to_pdf."""
    assert _modules_importing_weasyprint() == {"core/pdf.py"}


def test_making_a_pdf_leaves_truncated_images_refused_for_the_rest_of_the_process():
    """WeasyPrint, when first imported, tells Pillow to fill the missing part of a truncated
    image in: in a worker that has made one PDF, a scan cut short would then be read by the
    AI-OCR with a blank area instead of being reported as damaged."""
    from PIL import ImageFile

    html_to_pdf("<p>公印</p>")

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
