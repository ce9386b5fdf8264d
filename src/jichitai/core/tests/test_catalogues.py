"""One Japanese text has one English translation across the project's catalogues. Django looks a
text up in LOCALE_PATHS first and then in each app's catalogue in INSTALLED_APPS order, and the first
catalogue that has it wins everywhere: a second translation of the same text (「作成」 as a button,
"Create", and as an audit log entry, "Created") is never shown. Where one text means two things the
source gives it a context (pgettext, ``{% translate … context … %}``), which makes them two texts."""

import gettext
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    [
        PACKAGE / "locale/en/LC_MESSAGES/django.mo",
        *PACKAGE.glob("*/locale/en/LC_MESSAGES/django.mo"),
    ]
)


def test_there_are_catalogues_to_compare():
    assert len(CATALOGUES) >= 8


def test_no_text_is_translated_two_ways():
    translations: dict[object, dict[str, str]] = defaultdict(dict)
    for path in CATALOGUES:
        with path.open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalogue.items():
            if msgid and msgstr:
                translations[msgid][str(path.relative_to(PACKAGE).parts[0])] = msgstr
    conflicts = {
        msgid: where for msgid, where in translations.items() if len(set(where.values())) > 1
    }
    assert not conflicts, "\n".join(f"{msgid!r}: {where}" for msgid, where in conflicts.items())
