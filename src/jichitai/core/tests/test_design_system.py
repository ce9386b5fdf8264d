"""The design system's button variants, checked over every template: a button that deletes,
withdraws, cancels or revokes is destructive (red), a button that only saves half-way or narrows a
list is secondary (outlined); only the step forward is primary (blue)."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html"))
CSS = PACKAGE / "core" / "static" / "jichitai" / "jichitai.css"

DESTRUCTIVE = ("削除", "取り下げ", "取り消", "失効", "返金", "受付を終了", "却下", "破棄")
SECONDARY = ("一時保存", "絞り込", "ダウンロード")
BUTTON = re.compile(r"<button\b([^>]*)>(.*?)</button>", re.S)


def _text(inner: str) -> str:
    """The words a person reads on the button, template tags and all their branches included."""
    words = re.findall(r'\{%\s*translate\s+"([^"]*)"', inner)
    words += re.findall(r"\{%\s*blocktranslate[^%]*%\}(.*?)\{%\s*endblocktranslate", inner, re.S)
    words.append(re.sub(r"\{[%{].*?[%}]\}", " ", inner))
    return " ".join(words)


def _buttons():
    for template in TEMPLATES:
        for match in BUTTON.finditer(template.read_text(encoding="utf-8")):
            attributes, inner = match.groups()
            if "link-button" in attributes:
                continue
            yield template.relative_to(PACKAGE), attributes, _text(inner)


def test_there_are_buttons_to_check():
    assert len(list(_buttons())) > 50


@pytest.mark.parametrize(
    ("words", "variant"), [(DESTRUCTIVE, "button--danger"), (SECONDARY, "button--secondary")]
)
def test_every_button_shows_its_variant(words, variant):
    wrong = [
        f"{template}: {' '.join(text.split())}"
        for template, attributes, text in _buttons()
        if any(word in text for word in words) and variant not in attributes
    ]
    assert wrong == []


def test_the_variants_win_over_the_default_button_style():
    """The default style of a submit button must not outrank ``.button--secondary`` and
    ``.button--danger`` (a bare ``button[type=submit]`` selector did, painting them blue)."""
    css = CSS.read_text(encoding="utf-8")
    defaults = re.findall(r"^([^{}\n]*button\[type=\"submit\"\][^{]*)\{", css, re.M)
    assert defaults
    for selector in defaults:
        assert selector.startswith(":where("), selector


# Links set side by side with a Japanese mark between them: 「・」 or 「、」 typed in the template
# shows in English pages too. A row of links is `class="link-row"` (space between them); a list
# of names is joined with `{% translate "、" %}`, which each language words its own way.
MARK_BETWEEN_LINKS = re.compile(
    r"</a>\s*(?:・|、|\{% if not forloop\.last %\}[、・])\s*(?:\{%[^%]*%\}\s*)*<a\b"
)


def test_no_template_puts_a_japanese_mark_between_links():
    marked = [
        str(template.relative_to(PACKAGE))
        for template in TEMPLATES
        if "/pdf/" not in str(template)
        and MARK_BETWEEN_LINKS.search(template.read_text(encoding="utf-8"))
    ]
    assert marked == []
