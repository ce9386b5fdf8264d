"""Forms of one kanji (黑 and 黒, 戶 and 戸, 內 and 内), from the Unicode Consortium's Unihan
database as Debian's ``unicode-data`` package ships it: an address read with the old or the
Chinese form of a character still finds its place name (四日市市黑田町 is 黒田町).

Taken from Unihan: z-variants (the same character drawn otherwise), semantic variants (the same
meaning and use), and simplified/traditional pairs only where each side has the other as its sole
counterpart (內 and 内; not 干, whose traditional forms 乾 and 幹 are other characters). ``fold``
maps each character to one of its forms so that two spellings of a name compare equal, and
``jis_form`` gives a Chinese form outside JIS (吕) the Japanese one (呂); where the file is missing
nothing is folded or replaced."""

import bz2
from functools import cache, lru_cache
from pathlib import Path

UNIHAN_VARIANTS = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
_SAME_CHARACTER = ("kZVariant", "kSemanticVariant")
_SCRIPT_PAIRS = ("kSimplifiedVariant", "kTraditionalVariant")


def _character(field: str) -> str:
    """``U+9ED2`` or ``U+57FC<kMorohashi`` → the character."""
    return chr(int(field.split("<", 1)[0][2:], 16))


@cache
def _representatives() -> dict[str, str]:
    if not UNIHAN_VARIANTS.exists():
        return {}
    same: list[tuple[str, str]] = []
    script: dict[str, set[str]] = {}
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


@cache
def _jis_forms() -> dict[str, str]:
    classes: dict[str, list[str]] = {}
    for character, representative in _representatives().items():
        classes.setdefault(representative, []).append(character)
    forms = {}
    for members in classes.values():
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
