"""Steps on PDFs: a shipped or staff-written HTML template rendered by WeasyPrint, the merge of
PDFs a run produced, and values read out of text PDFs by anchors and regions (PDFium, through
pypdfium2 of the extra ``rpa``, the library AI-OCR already uses to render PDF pages)."""

import io
import re
import unicodedata
from decimal import Decimal
from itertools import pairwise
from typing import NamedTuple

from django.template import Context, Engine
from django.utils.translation import gettext_noop

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
    gettext_noop("PDF の作成(HTML 様式)"),
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
    gettext_noop("PDF の結合"),
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


# --- Values read from text PDFs --------------------------------------------------------------

_ANCHOR = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {
                "label": {"type": "string", "minLength": 1},
                "direction": {"enum": ["right", "below"]},
                "pattern": {"type": "string"},
            },
            "required": ["label"],
            "additionalProperties": False,
        },
    ]
}
_REGION = {
    "type": "object",
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "pattern": {"type": "string"},
    },
    "required": ["bbox"],
    "additionalProperties": False,
}


@step(
    "pdf.extract",
    gettext_noop("PDF から値を読み取る"),
    properties={
        "path": {
            **STRING,
            "title": gettext_noop("PDF ファイル"),
            "description": gettext_noop(
                "例: {{ item.attachment }}(メールの受信で受け取った1つ目の添付)"
            ),
        },
        "anchors": {
            "type": "object",
            "additionalProperties": _ANCHOR,
            "title": gettext_noop("見出しの右・下にある値"),
            "description": gettext_noop(
                "「値の名前: 見出しの文字」を1行に1つずつ。見出しの下の値や形式の指定は"
                "「金額: {label: 請求金額, direction: below, pattern: '[0-9,]+'}」のように書きます"
                "(direction は right(右、既定)か below(下)、pattern は正規表現)。"
            ),
        },
        "regions": {
            "type": "object",
            "additionalProperties": _REGION,
            "title": gettext_noop("位置で読む値"),
            "description": gettext_noop(
                "「値の名前: {page: 1, bbox: [左, 上, 右, 下]}」を1行に1つずつ。"
                "位置はページの左上からのポイント(1 pt = 1/72 インチ、A4 は 595 × 842)です。"
            ),
        },
        "numbers": {
            **STRINGS,
            "title": gettext_noop("数値として読む値"),
            "description": gettext_noop(
                "「12,345円」「１２３」などを数値にする値の名前を1行に1つずつ。"
            ),
        },
        "optional": {
            **STRINGS,
            "title": gettext_noop("なくてもよい値"),
            "description": gettext_noop(
                "見つからなくても業務エラーにしない値の名前を1行に1つずつ。"
            ),
        },
        "add": {
            "type": "object",
            "title": gettext_noop("あわせて記録する値"),
            "description": gettext_noop(
                "「列名: 値」を1行に1つずつ。例: 差出人: {{ item.from_address }}"
            ),
        },
    },
    required=["path"],
    describe=lambda p: (
        f"PDF から値を読み取る: {p.get('path')}("
        + "、".join([*(p.get("anchors") or {}), *(p.get("regions") or {})])
        + ")"
    ),
)
def pdf_extract(ctx, path, anchors=None, regions=None, numbers=(), optional=(), add=None):
    """Values of a text PDF (a form, a notice, an invoice) as one row: by anchors (the value
    right of or below a label, optionally the part matching a pattern) and by regions (the text
    inside a box of a page). Scanned PDFs have no text: they go to AI-OCR."""
    from jichitai.core.extras import require

    pdfium = require("pypdfium2", extra="rpa")
    file = ctx.input_path(path)
    try:
        document = pdfium.PdfDocument(str(file))
    except pdfium.PdfiumError:
        raise BusinessError(
            f"ファイル「{file.name}」を PDF として読めません(壊れているか、パスワード付きです)。"
        ) from None
    try:
        pages = [_text_page(document, number, file.name) for number in range(len(document))]
        if not any(page.chars for page in pages):
            raise BusinessError(
                f"ファイル「{file.name}」には文字が含まれていません(画像の PDF は AI-OCR で読み取ってください)。"
            )
        values: dict = {}
        for name, spec in (anchors or {}).items():
            spec = {"label": spec} if isinstance(spec, str) else spec
            values[name] = _by_anchor(pages, spec, where=f"ファイル「{file.name}」")
        for name, spec in (regions or {}).items():
            values[name] = _by_region(pages, spec, where=f"ファイル「{file.name}」値「{name}」")
    finally:
        document.close()
    for name, value in values.items():
        if isinstance(value, _Missing):
            if name not in optional:
                raise BusinessError(f"{value}(値「{name}」)。")
            values[name] = None
        elif name in numbers:
            values[name] = _number(value, where=f"ファイル「{file.name}」値「{name}」")
    return {**(add or {}), **values, "_file": file.name}


def _text_page(document, number: int, name: str) -> "_TextPage":
    from pypdfium2 import PdfiumError

    try:
        return _TextPage(document[number])
    except PdfiumError:  # the page list names a page the file does not hold, or a broken one
        raise BusinessError(
            f"ファイル「{name}」の {number + 1} ページ目を読めません(PDF が壊れています)。"
        ) from None


class _Missing(str):
    """Why a value was not found; an error unless the value is optional."""


class _Char(NamedTuple):
    index: int
    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2


class _TextPage:
    def __init__(self, page):
        self.height = page.get_size()[1]
        self.text = page.get_textpage()
        self.chars = []
        for index in range(self.text.count_chars()):
            character = self.text.get_text_range(index, 1)
            if character.strip():
                self.chars.append(
                    _Char(index, character, *self.text.get_charbox(index, loose=True))
                )
        self.by_index = {char.index: char for char in self.chars}

    def find(self, label: str):
        """Each place the label is written: the boxes of its characters."""
        searcher = self.text.search(label, match_case=True)
        while (found := searcher.get_next()) is not None:
            start, count = found
            boxes = [self.by_index[i] for i in range(start, start + count) if i in self.by_index]
            if boxes:
                yield boxes


def _pattern(text: str | None, *, where: str):
    if not text:
        return None
    try:
        return re.compile(text)
    except re.error:
        raise BusinessError(f"{where}: 「{text}」は正規表現として読めません。") from None


def _matched(pattern, text: str) -> str | None:
    if pattern is None:
        return text or None
    found = pattern.search(unicodedata.normalize("NFKC", text)) or pattern.search(text)
    if found is None:
        return None
    return found.group(1) if pattern.groups else found.group(0)


def _line_words(line: list[_Char]) -> list[tuple[str, list[_Char]]]:
    """(word, its characters) of one line, left to right: a gap wider than a character's height
    separates words (columns, cells); a narrower one is a space within a word."""
    groups: list[list[_Char]] = []
    for char in sorted(line, key=lambda c: c.left):
        height = char.top - char.bottom or 1
        if not groups or char.left - groups[-1][-1].right > height:
            groups.append([char])
        else:
            groups[-1].append(char)
    return [(_joined(group), group) for group in groups]


def _joined(chars: list[_Char]) -> str:
    text = chars[0].text
    for previous, char in pairwise(chars):
        spaced = char.left - previous.right > (char.top - char.bottom) * 0.2
        text += (" " if spaced else "") + char.text
    return text


def _by_anchor(pages: list[_TextPage], spec: dict, *, where: str):
    label = spec["label"]
    below = spec.get("direction") == "below"
    pattern = _pattern(spec.get("pattern"), where=where)
    found_label = False
    for page in pages:
        for boxes in page.find(label):
            found_label = True
            left, right = min(c.left for c in boxes), max(c.right for c in boxes)
            bottom, top = min(c.bottom for c in boxes), max(c.top for c in boxes)
            used = {c.index for c in boxes}
            if below:
                under = [
                    c
                    for c in page.chars
                    if c.top <= bottom + 1 and c.right >= left and c.left <= right
                ]
                if not under:
                    continue
                nearest = max(under, key=lambda c: c.top)
                line = [c for c in page.chars if nearest.bottom <= c.middle <= nearest.top]
                candidates = [
                    word
                    for word, chars in _line_words(line)
                    if max(c.right for c in chars) >= left and min(c.left for c in chars) <= right
                ]
            else:
                line = [
                    c
                    for c in page.chars
                    if c.index not in used and c.left >= right - 0.5 and bottom <= c.middle <= top
                ]
                words = [word for word, _chars in _line_words(line)]
                candidates = words[:1] if pattern is None else ["  ".join(words)]
            value = _matched(pattern, " ".join(candidates).strip())
            if value:
                return value.strip()
    side = "下" if below else "右"
    if not found_label:
        return _Missing(f"{where}に「{label}」の文字がありません")
    if pattern is not None:
        return _Missing(
            f"{where}の「{label}」の{side}に形式「{pattern.pattern}」に合う値がありません"
        )
    return _Missing(f"{where}の「{label}」の{side}に値がありません")


def _by_region(pages: list[_TextPage], spec: dict, *, where: str):
    number = spec.get("page", 1)
    if number > len(pages):
        return _Missing(f"{where}: {number} ページ目がありません(全 {len(pages)} ページ)")
    page = pages[number - 1]
    left, top, right, bottom = spec["bbox"]
    text = page.text.get_text_bounded(
        left=left, bottom=page.height - bottom, right=right, top=page.height - top
    )
    text = " ".join(text.split())
    value = _matched(_pattern(spec.get("pattern"), where=where), text)
    if not value:
        return _Missing(f"{where}: {number} ページ目の位置 {list(spec['bbox'])} に値がありません")
    return value


_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?")


def _number(text: str, *, where: str):
    found = _NUMBER.search(unicodedata.normalize("NFKC", str(text)))
    if found is None:
        raise BusinessError(f"{where}: 「{text}」は数値ではありません。")
    number = Decimal(found.group(0).replace(",", ""))
    return int(number) if number == number.to_integral_value() else number
