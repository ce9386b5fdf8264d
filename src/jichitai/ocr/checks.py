"""Checks of one read that need no second read: characters a field of its type does not hold, and
a number of characters that the written ink cannot have (a dropped or an invented character).

The ink's width in units of its height is compared with the width the read characters take: a
kanji or kana is about as wide as the line is high, a digit, a Latin letter or a hyphen about three
quarters (its ink is lower than a kanji's). Writing varies, so only reads far outside
``LENGTH_RATIO`` (measured on the tuning forms of ``samples``, printed and handwriting-style) are
doubted.

The ink's gaps count characters too (``fewest_characters``): a column with no ink between two
strokes is a gap, and no character is wider than ``WIDEST`` times the writing's height, so the ink
cannot be fewer characters than the fewest spans of that width that cover its pieces (a radical
standing apart from its kanji joins the kanji's span). A name, an address or a reading read with
fewer characters than that has dropped one (マツモトツバサ read マツモトツサ, 山田由美 read 田由美), however sure the
recogniser is."""

import datetime
import re
import unicodedata

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import dictionary, glyph_variants

# Width of the ink ÷ (height of the ink × the read's width in character heights), for a right read.
LENGTH_RATIO = {"text": (0.6, 2.3), "kana": (0.6, 2.3)}
DEFAULT_RATIO = (0.45, 2.0)
MIN_CHARACTERS = 3  # the width of one or two characters says too little …
SHORT_READ_WIDEST = 1.5  # … unless their ink is this many times wider than the widest right read
_NARROW = set("0123456789-‐.,:()/ー一・")
# What no Japanese name or address is written with, as a recogniser emits it for noise.
_NOT_IN_TEXT = re.compile(r"[A-Za-z!?\"'`|/\\_=+*#$%&@^~<>\[\]{};:.,]")


def foreign_characters(kind: str, value: str) -> bool:
    """A name or address holding Latin letters, stray punctuation or characters outside JIS (a
    Chinese form the recogniser knows and a Japanese form does not use)."""
    if kind != "text":
        return False
    return bool(_NOT_IN_TEXT.search(value)) or not all(glyph_variants.in_jis(ch) for ch in value)


def _width(text: str) -> float:
    """The read's width in character heights."""
    total = 0.0
    for ch in unicodedata.normalize("NFKC", text):
        if ch.isspace():
            continue
        total += 0.75 if ch in _NARROW or ch.isascii() else 1.0
    return total


def length_ratio(text: str, extent: tuple[int, int]) -> float | None:
    width, height = extent
    expected = _width(text)
    if not height or not expected:
        return None
    return width / (height * expected)


def plausible_length(kind: str, text: str, extent: tuple[int, int]) -> bool:
    ratio = length_ratio(text, extent)
    if ratio is None:
        return True
    low, high = LENGTH_RATIO.get(kind, DEFAULT_RATIO)
    if len(text.strip()) < MIN_CHARACTERS:
        # One or two characters: only ink far wider than they are says a line was read short
        # (414,000 read as 1).
        return ratio <= SHORT_READ_WIDEST * high
    return low <= ratio <= high


# No character of a name or a reading is wider than this many times the writing's height: kana
# such as ツ・ミ・ユ are wider than their ink is high, so the line's ink height undercounts a
# character's width. Measured on the tuning forms: below 1.25, right reads of kana were doubted.
WIDEST = 1.4
# A piece of ink between gaps lighter than this share of the average piece is a speck, not a
# character.
SPECK = 0.02
COUNTED_KINDS = ("text", "kana")


def fewest_characters(ink: np.ndarray) -> int:
    """The fewest characters the ink (a mask of the written strokes) can be, from its gaps."""
    ys, xs = np.nonzero(ink)
    if not len(xs):
        return 0
    top, bottom = np.percentile(ys, (0.5, 99.5))
    widest = WIDEST * (bottom - top + 1)
    columns = ink.sum(axis=0)
    inked = np.flatnonzero(columns)
    # Pieces: runs of inked columns, as (first column, column after the last).
    breaks = np.flatnonzero(np.diff(inked) > 1)
    firsts = np.concatenate(([inked[0]], inked[breaks + 1]))
    lasts = np.concatenate((inked[breaks], [inked[-1]])) + 1
    masses = [int(columns[a:b].sum()) for a, b in zip(firsts, lasts, strict=True)]
    least = SPECK * sum(masses) / len(masses)
    count, start = 0, None
    for first, last, mass in zip(firsts, lasts, masses, strict=True):
        if mass < least:
            continue
        if start is None or last - start > widest:
            count, start = count + 1, first
    return count


def too_few_characters(kind: str, text: str, ink: np.ndarray) -> bool:
    """Whether the read of a name, an address or a reading has fewer characters than its ink's
    gaps show."""
    if kind not in COUNTED_KINDS:
        return False
    read = sum(1 for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    return read < fewest_characters(ink)


_SEPARATORS = set("-‐‑‒–—―−ー一~〜～")


# Fields whose value holds no hyphen: a dash read between their digits is not one written.
_NO_HYPHEN_KINDS = ("digits", "amount")


def least_sure(
    text: str, confidence: float, characters: tuple[float, ...], kind: str = "text"
) -> float:
    """The recogniser's score of its least sure character, leaving out dashes between digits
    (1-2, 0598-16): the reader rewrites any dash there to a hyphen, so which dash it saw does not
    matter, and handwritten dashes are where it is least sure. In a field that holds no hyphen (an
    account number) an unsure dash is kept: it is a misread digit (0537755 read 053~75)."""
    if len(characters) != len(text) or kind in _NO_HYPHEN_KINDS:
        return confidence
    kept = [
        score
        for index, (ch, score) in enumerate(zip(text, characters, strict=True))
        if not (
            ch in _SEPARATORS
            and 0 < index < len(text) - 1
            and text[index - 1].isdigit()
            and text[index + 1].isdigit()
        )
    ]
    return min(kept) if kept else confidence


# Which kana a small kana can follow in a name or an address, written as people write them (a
# recogniser confuses ヤ・ャ, ツ・ッ, ヨ・ョ in handwriting, and a small one read at the wrong place is
# almost always a misread large one): ャュョ after an i-row kana (キャ, ジュ, ピョ) or テ・デ・フ・ヴ
# (テュ, フュ); ァィゥェォ in the few combinations Japanese spelling uses (ファ, ウィ, ティ, シェ, トゥ);
# ッ between two kana, never before a vowel, ン, ー, a ナ/マ/ヤ/ラ/ワ-row kana or (in a name, not a
# loanword) a voiced one.
_YOON_AFTER = set("キシチニヒミリギジヂビピテデフヴ")
_SMALL_VOWEL_AFTER = {
    "ァ": set("フヴツクグ"),
    "ィ": set("フヴウテデツスズクグ"),
    "ゥ": set("トドフヴ"),
    "ェ": set("フヴウシジチツイキギニヒミリビピ"),
    "ォ": set("フヴウツクグ"),
}
_NOT_AFTER_SOKUON = set(
    "アイウエオンーッャュョァィゥェォナニヌネノマミムメモヤユヨラリルレロワヲヮ"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
)
_SMALL_KANA = re.compile(r"[ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ]")


def implausible_small_kana(kind: str, value: str) -> str:
    """The small kana of a name, a reading or an address that Japanese spelling does not put
    where it was read (ッ at a word's start or end, ョ after ア, ャ after ン …); '' when none."""
    same = len(unicodedata.normalize("NFKC", value)) == len(value)
    return "".join(
        value[index] if same else ch for index, ch in _implausible_small_kana(kind, value)
    )


def enlarge_implausible_small_kana(kind: str, value: str) -> str:
    """``value`` with each small kana Japanese spelling does not put where it was read made the
    large kana it almost always is (サィトウ → サイトウ, マッモト → マツモト)."""
    if len(unicodedata.normalize("NFKC", value)) != len(value):
        return value
    chars = list(value)
    for index, _ch in _implausible_small_kana(kind, value):
        chars[index] = chars[index].translate(_LARGE_KANA)
    return "".join(chars)


_LARGE_KANA = str.maketrans(
    "ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖ",
    "アイウエオツヤユヨワカケあいうえおつやゆよわかけ",
)


def _implausible_small_kana(kind: str, value: str) -> list[tuple[int, str]]:
    """(index in the NFKC text, the small kana) of each one out of place."""
    if kind not in ("text", "kana"):
        return []
    text = unicodedata.normalize("NFKC", value)
    # Compared as katakana: hiragana in names and addresses (さくら, いなべ市) follows the same rules.
    text = "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
    found = []
    for index, ch in enumerate(text):
        if not _SMALL_KANA.match(ch):
            continue
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if ch in "ャュョ":
            plausible = before in _YOON_AFTER
        elif ch in _SMALL_VOWEL_AFTER:
            plausible = before in _SMALL_VOWEL_AFTER[ch]
        elif ch == "ッ":
            plausible = _is_kana(before) and _is_kana(after) and after not in _NOT_AFTER_SOKUON
        else:
            plausible = False  # ヮ ヵ ヶ are not written in names
        if not plausible:
            found.append((index, ch))
    return found


def _is_kana(ch: str) -> bool:
    return bool(ch) and "ァ" <= ch <= "ヶ" and ch not in "ー"


# The dates a form can hold: a birth date of someone alive, or a day near today. A read outside is
# a misread era or digit (昭和 for 令和, 2052 for 2025).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_AHEAD = datetime.timedelta(days=366)


def plausible_date(value: object, today: datetime.date | None = None) -> bool:
    """Whether an ISO date read from a form could have been written on it (values that are not
    dates are the format check's business)."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return True
    return EARLIEST_DATE <= day <= (today or datetime.date.today()) + LATEST_AHEAD


def sharpness(gray: np.ndarray, near_ink: np.ndarray, contrast: float) -> float:
    """The steepest steps of grey at the strokes' edges relative to the strokes' contrast."""
    cv2 = require("cv2", extra="ocr")
    level = gray.astype(np.float32)
    across = cv2.Sobel(level, cv2.CV_32F, 1, 0, ksize=3)
    down = cv2.Sobel(level, cv2.CV_32F, 0, 1, ksize=3)
    steps = np.hypot(across, down)[near_ink.astype(bool)] / 8  # a Sobel kernel weighs 8 in all
    return float(np.percentile(steps, 90)) / max(contrast, 1.0) if steps.size else 1.0


def cross_check(fields, results: dict, reason: str) -> None:
    """A postal code and an address on one page must name the same 市区町村: where they do not,
    both fields are given ``reason`` and a note."""
    postal = [f for f in fields if f.type == "postal"]
    if len(postal) != 1 or not isinstance(results[postal[0].name].value, str):
        return
    city = dictionary.municipality_of_postal_code(results[postal[0].name].value)
    for f in fields:
        value = results[f.name].value
        if f.type != "text" or not city or not isinstance(value, str):
            continue
        written = dictionary.as_written(dictionary.check_address(value).municipality)
        if written and written != city:
            for name in (f.name, postal[0].name):
                if reason not in results[name].reasons:
                    results[name].reasons.append(reason)
                results[name].notes.append(f"郵便番号は{city}、住所は{written}です。")


def written_value(result) -> bool:
    """Whether a read is writing rather than the scan's grain read as a dash or a digit: a valid
    value of two characters or more."""
    return result.value is not None and result.valid and len(str(result.value)) >= 2


def doubt_empty_fields(fields, results: dict, reads: dict, reason: str) -> None:
    """On a page where some writing was found only at a pale contrast and read, a written field
    where no ink was found at all, or options to circle none of which was found circled, may be
    paler still: it is given ``reason`` (faint ink), never silently empty. (Grain a blank zone's
    pale contrast finds is not writing: it does not count.)"""
    for f in fields:
        parts = reads.get(f.name, {})
        result = results[f.name]
        unread = parts and not any(c.images for c, _r in parts.values())
        if result.value is None and (unread or (f.type == "choice" and not result.reasons)):
            if reason not in result.reasons:
                result.reasons.append(reason)
            result.notes.append(
                "同じ用紙に薄い記入があり、この欄も薄くて読み取れていない可能性があります。"
            )
            result.confidence = 0.0


# Fields whose box's printing was not where the page's alignment put it (read shifted, or not on
# the page): from this many on one page, the alignment itself is in doubt (a phone photo's
# perspective fitted to the wrong row of boxes reads the phone number as the income, sure of it),
# and every field of the page goes to a person. Measured on the tuning forms: pages aligned right
# have at most two such fields.
MISPLACED_FIELDS = 3


def doubt_page(results: dict, misplaced: tuple[str, ...], reason: str) -> None:
    """Every field of a page with ``MISPLACED_FIELDS`` or more fields given one of ``misplaced``
    is given ``reason``."""
    if sum(any(r in result.reasons for r in misplaced) for result in results.values()) < (
        MISPLACED_FIELDS
    ):
        return
    for result in results.values():
        result.reasons.append(reason)
        result.confidence = min(result.confidence, 0.5)
