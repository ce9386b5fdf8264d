"""Addresses in the current layout's columns: 所在地_連結表記 and the parts it is made of."""

import re
import unicodedata

from django.utils.translation import gettext as _

# The joined form, then its parts in the order they join: 都道府県, 市区町村, 町字, 番地以下 and
# the building.
PARTS_COLUMNS = (
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
)
# Ways of writing that do not make another address: spaces and the dashes between numbers.
SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー－]")


def _key(text: str) -> str:
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def disagreeing_parts(joined: str, parts: list[str]) -> str | None:
    """The address the parts (都道府県 … 番地以下, then the building) make when ``joined`` is not
    that address, with or without the building; None when they agree or there is nothing to
    compare (no joined form, or neither 町字 nor 番地以下)."""
    *address, building = parts
    if not joined or not (address[2] or address[3]):
        return None
    made = "".join(address)
    if _key(joined) in {_key(made), _key(made + building)}:
        return None
    return made


def disagreement_message(made: str) -> str:
    return _(
        "所在地_連結表記が、所在地の各項目(都道府県・市区町村・町字・番地以下)をつなげた「%(parts)s」と一致しません。"
    ) % {"parts": made}
