"""Form content in the resident's language: each field may carry translations of its label,
hint, messages and choices (``FieldSpec.translations``, filled by the XLSForm import from
``label::<language>`` columns). Answers are stored once, by value; staff pages always show the
Japanese labels."""

import copy
from contextlib import AbstractContextManager, nullcontext

from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy

from jichitai.procedures.fields import FieldSpec

# The languages a form can be offered in, each named in itself so a resident finds their own.
LANGUAGES = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "pt": "Português",
    "es": "Español",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "tl": "Tagalog",
}
# The same languages named for staff, who may not read the names above (Tiếng Việt).
LANGUAGES_FOR_STAFF = {
    "ja": pgettext_lazy("language name in English text", "日本語"),
    "ja-easy": pgettext_lazy("language name in English text", "やさしい日本語"),
    "en": pgettext_lazy("language name in English text", "英語"),
    "pt": pgettext_lazy("language name in English text", "ポルトガル語"),
    "es": pgettext_lazy("language name in English text", "スペイン語"),
    "vi": pgettext_lazy("language name in English text", "ベトナム語"),
    "zh": pgettext_lazy("language name in English text", "中国語"),
    "tl": pgettext_lazy("language name in English text", "タガログ語"),
}
TRANSLATED_KEYS = ("label", "help", "constraint_message", "required_message")
# How a repeating group's row is named in each language (「子ども 2 人目」 in Japanese, also
# やさしい日本語): the group's label and the row's number.
ROW_LEGENDS = {
    "en": "{label} no. {number}",
    "pt": "{label} n.º {number}",
    "es": "{label} n.º {number}",
    "vi": "{label} thứ {number}",
    "zh": "第{number}个{label}",
    "tl": "{label} blg. {number}",
}


# A resident language Django names otherwise: its own messages ("Enter a valid date.") are in its
# catalogue zh_Hans, and the journey's catalogue ``zh`` is still found for 简体中文 (gettext
# falls back from zh_Hans to zh).
DJANGO_LANGUAGES = {"zh": "zh-hans"}


def resident_language(code: str) -> AbstractContextManager[None]:
    """Everything translated with gettext meanwhile (templates, messages, status names) in the
    resident's language ``code``. English comes from the site's catalogue, the other languages
    from the resident journey's catalogues in this app's ``locale`` (``ja-easy`` is the locale
    ``ja_Easy``, as ``to_locale`` writes it), Django's own messages from Django's catalogue of
    the language; for やさしい日本語 and Tagalog, which Django lacks, the journey's catalogues
    hold those Django messages the resident's forms show. What no catalogue holds falls back to
    Japanese."""
    return translation.override(DJANGO_LANGUAGES.get(code, code))


def resident_page_language(code: str) -> AbstractContextManager[None]:
    """A resident page in the form's language ``code``. Japanese, every form's own language,
    switches nothing: a resident who reads the site in English keeps English around a form
    they did not ask to read in another language."""
    return nullcontext() if code == "ja" else resident_language(code)


def site_resident_language() -> str:
    """The resident language matching the site's language: English, or Japanese."""
    return "en" if translation.get_language() == "en" else "ja"


def form_languages(fields: list[FieldSpec]) -> list[tuple[str, str]]:
    """(code, name) of the languages the form is offered in: Japanese and every selectable
    language some field is translated into."""
    every = [*fields, *(child for spec in fields for child in spec.get("children", []))]
    codes = {code for spec in every for code in spec.get("translations", {})}
    return [(code, name) for code, name in LANGUAGES.items() if code == "ja" or code in codes]


def missing_language_notice(code: str | None, offered: list[tuple[str, str]]) -> str | None:
    """What a resident who asked for language ``code`` (a link with ``?lang=``) reads when the
    form is not translated into it, in that language; None when it is offered or unknown."""
    if code not in LANGUAGES or code in dict(offered):
        return None
    with resident_language(code):
        return gettext("このフォームはこの言語では用意されていません。日本語で表示しています。")


def language_links(codes) -> list[tuple[str, str, str]]:
    """(code, name in itself, HTML lang) of the languages ``codes`` names, in the order residents
    choose them."""
    return [(code, name, html_lang(code)) for code, name in LANGUAGES.items() if code in codes]


def in_page_language(context: dict, language: str, *, choices=()) -> dict:
    """``context`` for a resident page shown in ``language``: marked with it unless Japanese
    (``page_lang``), the procedures' names read in it (``language``) and the header's language
    menu (``page_language``). ``choices`` are the languages the same page is read in by
    ``?lang=``: the menu switches among them. A page with no choice, whose language its
    application fixes, names its language there instead; only a Japanese one keeps the site's
    own switch (日本語 / English), which would leave a page in another language unchanged."""
    offered = set(choices) | {language}
    context = {
        **context,
        "language": language,
        "page_language": {
            "code": language,
            "name": LANGUAGES[language],
            "lang": html_lang(language),
            "choices": language_links(offered) if len(offered) > 1 else [],
        },
    }
    if language != "ja":
        context["page_lang"] = html_lang(language)
    return context


def html_lang(code: str) -> str:
    return "ja" if code == "ja-easy" else code


def translate(fields: list[FieldSpec], code: str) -> list[FieldSpec]:
    """The fields as a resident reading ``code`` sees them; what is not translated stays in
    Japanese."""
    if code == "ja":
        return fields
    shown = copy.deepcopy(fields)
    # A repeating group's child fields are translated like the form's own.
    for spec in [*shown, *(child for field in shown for child in field.get("children", []))]:
        texts = spec.get("translations", {}).get(code, {})
        for key in TRANSLATED_KEYS:
            if texts.get(key):
                spec[key] = texts[key]
        for choice in spec.get("choices", []):
            label = choice.get("translations", {}).get(code, {}).get("label")
            if label:
                choice["label"] = label
        if spec.get("children") and code in ROW_LEGENDS:
            spec["row_legend"] = ROW_LEGENDS[code]
    return shown
