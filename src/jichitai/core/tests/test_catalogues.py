"""One Japanese text has one English translation across the project's catalogues. Django looks a
text up in LOCALE_PATHS first and then in each app's catalogue in INSTALLED_APPS order, and the first
catalogue that has it wins everywhere: a second translation of the same text (「作成」 as a button,
"Create", and as an audit log entry, "Created") is never shown. Where one text means two things the
source gives it a context (pgettext, ``{% translate … context … %}``), which makes them two texts."""

import ast
import gettext
import re
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    [
        PACKAGE / "locale/en/LC_MESSAGES/django.mo",
        *PACKAGE.glob("*/locale/en/LC_MESSAGES/django.mo"),
    ]
)

# The project's own modules, whose texts people read.
SOURCES = [
    path
    for path in PACKAGE.rglob("*.py")
    if not {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts)
]


def _messages(compiled: Path) -> dict:
    """A compiled catalogue's {msgid: msgstr}."""
    with compiled.open("rb") as catalogue:
        return gettext.GNUTranslations(catalogue)._catalog  # type: ignore[attr-defined]


def test_there_are_catalogues_to_compare():
    assert len(CATALOGUES) >= 8


def test_no_text_is_translated_two_ways():
    translations: dict[object, dict[str, str]] = defaultdict(dict)
    for path in CATALOGUES:
        for msgid, msgstr in _messages(path).items():
            if msgid and msgstr:
                translations[msgid][str(path.relative_to(PACKAGE).parts[0])] = msgstr
    conflicts = {
        msgid: where for msgid, where in translations.items() if len(set(where.values())) > 1
    }
    assert not conflicts, "\n".join(f"{msgid!r}: {where}" for msgid, where in conflicts.items())


def test_every_english_text_is_translated_and_none_is_a_guess():
    """A text left untranslated, or marked fuzzy (makemessages' guess from a similar text, which
    compilemessages leaves out), shows in Japanese on the English pages."""
    problems = []
    for compiled in CATALOGUES:
        source = compiled.with_suffix(".po").read_text(encoding="utf-8")
        # Entries are separated by blank lines; the first is the catalogue's header.
        for entry in source.split("\n\n")[1:]:
            lines = [line for line in entry.strip().splitlines() if not line.startswith("#~")]
            if not lines:
                continue
            where = f"{compiled.relative_to(PACKAGE).parts[0]}: {lines[-2:]}"
            if any(line.startswith("#,") and "fuzzy" in line for line in lines):
                problems.append(f"fuzzy {where}")
            elif lines[-1] == 'msgstr ""' or lines[-1] == 'msgstr[1] ""':
                problems.append(f"untranslated {where}")
    assert not problems, "\n".join(problems)


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
REFUSALS = {"ValidationError", "ValueError"}  # a ValueError with Japanese words is shown to someone
TRANSLATING = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}


def _name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def _untranslated_refusals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and _name(call) in REFUSALS):
            continue
        for text in ast.walk(call):
            if isinstance(parents.get(text), ast.JoinedStr | ast.FormattedValue):
                continue  # the f-string as a whole is judged
            if isinstance(text, ast.JoinedStr):
                value = "".join(
                    part.value for part in text.values if isinstance(part, ast.Constant)
                )
            elif isinstance(text, ast.Constant) and isinstance(text.value, str):
                value = text.value
            else:
                continue
            ancestor = parents.get(text)
            while ancestor is not call and not (
                isinstance(ancestor, ast.Call) and _name(ancestor) in TRANSLATING
            ):
                ancestor = parents.get(ancestor)
            if JAPANESE.search(value) and ancestor is call:
                found.append(f"{path.relative_to(PACKAGE)}:{text.lineno}: {value[:40]}")
    return found


def test_every_refusal_a_person_reads_is_marked_for_translation():
    """A service's ValidationError (or a parser's ValueError) is shown next to the field that caused
    it; one written as a plain string stayed Japanese on the English pages (最終年度は初年度と同じか
    それより後に…)."""
    found = [line for path in SOURCES for line in _untranslated_refusals(path)]
    assert found == []


def _lazy_texts_formatted_at_import(path: Path, root: Path = PACKAGE) -> list[str]:
    """Lazy translations (``gettext_lazy`` and kin) joined or %-formatted outside any function:
    the result is a plain string in the language active at import, Japanese on every page."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name.endswith("_lazy")
    }
    found = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if (
                isinstance(child, ast.BinOp)
                and isinstance(child.op, ast.Mod | ast.Add)
                and isinstance(child.left, ast.Call)
                and isinstance(child.left.func, ast.Name)
                and child.left.func.id in lazy
            ):
                found.append(f"{path.relative_to(root)}:{child.lineno}")
            visit(child)

    if lazy:
        visit(tree)
    return found


def test_no_lazy_translation_is_formatted_when_its_module_is_imported():
    assert [found for path in SOURCES for found in _lazy_texts_formatted_at_import(path)] == []


def test_the_import_time_check_finds_a_formatted_lazy_text(tmp_path):
    sample = tmp_path / "forms.py"
    sample.write_text(
        "from django.utils.translation import gettext_lazy as _\n"
        "class F:\n    help_text = _('%(n)s 件') % {'n': 1}\n"
        "def ok():\n    return _('%(n)s 件') % {'n': 1}\n",
        encoding="utf-8",
    )
    assert _lazy_texts_formatted_at_import(sample, root=tmp_path) == ["forms.py:3"]


ROLE_CODES = re.compile(r"\b(admin|manager|clerk|viewer)\b")


def test_staff_read_a_role_by_its_name_never_by_its_code():
    """A Japanese text names a role as the staff list and the staff page do (管理者, 所属長・推進担当,
    担当職員, 閲覧のみ): 「別の職員(manager)が有効にするまで」 sent a reader looking for a word the
    product shows nowhere."""
    found = [
        msgid
        for compiled in CATALOGUES
        for msgid in _messages(compiled)
        if isinstance(msgid, str) and JAPANESE.search(msgid) and ROLE_CODES.search(msgid)
    ]
    assert found == []


def _untranslated_message_tables(path: Path) -> list[str]:
    """Module-level tables of messages (``MESSAGES = {code: text}``) whose texts are plain
    strings: what is looked up in them stays Japanese on every page."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)):
            continue
        names = [target.id for target in node.targets if isinstance(target, ast.Name)]
        if not any("MESSAGES" in name for name in names):
            continue
        found += [
            f"{path.relative_to(PACKAGE)}:{value.lineno}: {value.value[:30]}"
            for value in node.value.values
            if isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and JAPANESE.search(value.value)
        ]
    return found


def test_every_table_of_messages_is_marked_for_translation():
    """A signature refused for a Portuguese-speaking resident was explained in Japanese
    (署名の値が正しくありません…): the reasons came from a table of plain strings."""
    assert [line for path in SOURCES for line in _untranslated_message_tables(path)] == []
