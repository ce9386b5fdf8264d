"""Forms of one kanji (黑 and 黒, 戶 and 戸, 內 and 内), from the Unicode Consortium's Unihan
database as Debian's ``unicode-data`` package ships it: an address read with the old or the
Chinese form of a character still finds its place name (四日市市黑田町 is 黒田町).

Taken from Unihan: z-variants (the same character drawn otherwise), semantic variants (the same
meaning and use), and simplified/traditional pairs only where each side has the other as its sole
counterpart (內 and 内; not 干, whose traditional forms 乾 and 幹 are other characters). ``fold``
maps each character to one of its forms so that two spellings of a name compare equal, and
``jis_form`` gives a Chinese form outside JIS (吕) the Japanese one (呂); where the file is missing
nothing is folded or replaced. Japanese old and new forms (旧字体・新字体: 穗 and 穂, 澤 and 沢),
which Unihan does not relate, come from pykakasi's 異体字 table. ``rare_form`` tells an old form
that names seldom hold from the everyday kanji a recogniser should have read."""

import bz2
from functools import cache, lru_cache
from pathlib import Path

UNIHAN_VARIANTS = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
_SAME_CHARACTER = ("kZVariant", "kSemanticVariant")
_SCRIPT_PAIRS = ("kSimplifiedVariant", "kTraditionalVariant")


def _character(field: str) -> str:
    """``U+9ED2`` or ``U+57FC<kMorohashi`` → the character."""
    return chr(int(field.split("<", 1)[0][2:], 16))


def _japanese_old_forms() -> list[tuple[str, str]]:
    """(旧字体, 新字体) pairs, which Unihan does not relate (穗 and 穂, 澤 and 沢): pykakasi's
    異体字 table, where the package is installed."""
    try:
        from pykakasi.kanji import Itaiji
    except ImportError:
        return []
    table = Itaiji()
    pairs = []
    for code in range(0x3400, 0x30000):
        if table.haskey(code):
            new = table.convert(chr(code))
            if len(new) == 1 and new != chr(code):
                pairs.append((chr(code), new))
    return pairs


def _unihan() -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """(pairs of forms of one character, each character → its simplified/traditional forms)."""
    same: list[tuple[str, str]] = []
    script: dict[str, set[str]] = {}
    if not UNIHAN_VARIANTS.exists():
        return same, script
    with bz2.open(UNIHAN_VARIANTS, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            code, kind, values = line.rstrip("\n").split("\t", 2)
            character = _character(code)
            others = {_character(value) for value in values.split()} - {character}
            if kind in _SAME_CHARACTER:
                same += [(character, other) for other in others]
            elif kind in _SCRIPT_PAIRS:
                script.setdefault(character, set()).update(others)
    return same, script


@cache
def _representatives() -> dict[str, str]:
    same, script = _unihan()
    same += _japanese_old_forms()
    for character, others in script.items():
        if len(others) == 1:
            (other,) = others
            if script.get(other, set()) <= {character}:
                same.append((character, other))
    parent: dict[str, str] = {}

    def root(character: str) -> str:
        while parent.get(character, character) != character:
            character = parent[character]
        return character

    for a, b in same:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {character: root(character) for character in parent}


def fold(text: str) -> str:
    """``text`` with each kanji replaced by one form of it, the same for all its forms."""
    representatives = _representatives()
    return "".join(representatives.get(character, character) for character in text)


def in_jis(character: str) -> bool:
    """Whether Shift_JIS (CP932, as Japanese systems write text) has the character."""
    try:
        character.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def in_first_level(character: str) -> bool:
    """Whether the character is one of JIS X 0208's 2,965 first-level kanji, the ones in everyday
    use (Shift_JIS 889F–9872)."""
    try:
        code = int.from_bytes(character.encode("cp932"))
    except UnicodeEncodeError:
        return False
    return 0x889F <= code <= 0x9872


@cache
def _classes() -> dict[str, list[str]]:
    """Each representative (``fold``) → all the forms it stands for."""
    classes: dict[str, list[str]] = {}
    for character, representative in _representatives().items():
        classes.setdefault(representative, []).append(character)
    return classes


@lru_cache(maxsize=4096)
def rare_form(character: str) -> bool:
    """A kanji outside JIS's first level that has a form inside it (穗 for 穂, 澤 for 沢): what a
    recogniser emits for the everyday kanji far more often than anyone writes it."""
    if in_first_level(character) or character not in _representatives():
        return False
    return any(in_first_level(form) for form in _classes()[_representatives()[character]])


@cache
def _jis_forms() -> dict[str, str]:
    forms = {}
    for members in _classes().values():
        jis = [member for member in members if in_jis(member)]
        if len(jis) == 1:
            forms.update({member: jis[0] for member in members if member != jis[0]})
    return forms


@lru_cache(maxsize=4096)
def jis_form(character: str) -> str:
    """The one form of ``character`` that Japanese text uses (吕 → 呂), for a kanji outside JIS
    whose forms include exactly one inside it; otherwise the character itself."""
    if in_jis(character):
        return character
    return _jis_forms().get(character, character)
