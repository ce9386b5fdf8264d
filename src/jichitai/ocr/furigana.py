"""A name's kanji against the reading written beside it (氏名 and フリガナ), offline with the
``pykakasi`` dictionary: a reading that spells the dictionary's reading of a part of the name
but lacks a 濁点/半濁点 or a small kana of it (ハキワラ beside 萩原, ハギワラ), or has a small kana
where it has a large one (ヒョシ beside 日吉, ヒヨシ), may have lost or gained it in the scan, which
the recogniser does as surely as it reads them right. Such a reading goes to a person; it is never
corrected, since names are read in more ways than any dictionary knows. A part the dictionary
reads otherwise altogether, or does not know, says nothing."""

import unicodedata
from functools import cache

from jichitai.core import japanese
from jichitai.core.extras import require
from jichitai.ocr import dictionary

# Small kana to the large ones they are written as when 小書き is lost.
_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
MIN_PART = 2  # a part of the name read in fewer kana tells too little


@cache
def _kakasi():
    return require("pykakasi", extra="ocr").kakasi()


def skeleton(kana: str) -> str:
    """The kana without 濁点/半濁点 and with small kana made large, one character for one."""
    bare = (unicodedata.normalize("NFD", ch)[0] for ch in japanese.katakana(kana))
    return "".join(bare).translate(_LARGE)


def name_parts(name: str) -> list[str]:
    """The dictionary's readings (katakana) of the parts of ``name`` written with kanji."""
    return [
        japanese.katakana(part["kana"])
        for part in _kakasi().convert(name)
        if part["orig"] != part["kana"] and len(part["kana"]) >= MIN_PART
    ]


def _lost(written: str, read: str) -> bool:
    """Whether ``read`` lacks a mark or a small kana that ``written`` has (or has another one), or
    has a small kana where ``written`` has the large one (ヒョシ beside 日吉): what a scan does. A
    mark the dictionary's reading lacks is not doubted: names take 連濁 or not as their families
    do (博文 is ヒロフミ or ヒロブミ)."""
    return any(
        w != r and (w != skeleton(w) or r.translate(_LARGE) == w)
        for w, r in zip(written, read, strict=True)
    )


def marks_differ(name: str, reading: str) -> str:
    """A part of ``name``'s reading that ``reading`` spells but for a 濁点/半濁点 or a small kana
    that the dictionary's spelling has and the reading lacks (the dictionary's spelling of the
    part), or '' when none does."""
    read = japanese.katakana(reading)
    bare = skeleton(read)
    if len(bare) != len(read):
        return ""
    for part in name_parts(name):
        if part in read:
            continue
        start = bare.find(skeleton(part))
        while start >= 0:
            if _lost(part, read[start : start + len(part)]):
                return part
            start = bare.find(skeleton(part), start + 1)
    return ""


def cross_check(fields, results: dict, reason: str) -> None:
    """Every kana field against the names on the page (text fields that are not addresses): a
    reading that lacks a 濁点/半濁点 or a small kana of a name's dictionary reading is given
    ``reason`` and a note."""
    names = [
        str(results[f.name].value)
        for f in fields
        if f.type == "text"
        and isinstance(results[f.name].value, str)
        and not dictionary.check_address(str(results[f.name].value)).municipality
    ]
    for f in fields:
        result = results[f.name]
        if f.type != "kana" or not isinstance(result.value, str):
            continue
        for name in names:
            part = marks_differ(name, result.value)
            if part:
                if reason not in result.reasons:
                    result.reasons.append(reason)
                result.notes.append(
                    f"氏名「{name}」の読み({part})と濁点・半濁点か小書きの仮名が違います。"
                )
                break
