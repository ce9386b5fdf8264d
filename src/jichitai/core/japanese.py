"""Japanese administrative conventions in one place: 年度, 和暦, character width, postal codes, phone
numbers and the 全国地方公共団体コード check digit.

Every parser raises ``ValueError`` whose message is written for the person who typed the value, in
Japanese, so forms and APIs can show it next to the field unchanged.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import jaconv
import phonenumbers
from django.utils import translation
from django.utils.translation import gettext


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date
    end: date | None  # last day, inclusive; None for the current era

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


# Newest first. Meiji starts on the day Japan adopted the Gregorian calendar; earlier dates were
# lunisolar and are out of scope for administrative forms.
ERAS = (
    Era("令和", "R", date(2019, 5, 1), None),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 24)),
    Era("明治", "M", date(1873, 1, 1), date(1912, 7, 29)),
)
_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter, era.letter.lower())}


def era_of(day: date) -> Era:
    for era in ERAS:
        if era.contains(day):
            return era
    raise ValueError(gettext("明治6年(1873年)より前の日付は扱えません。"))


def era_year(day: date) -> tuple[Era, int]:
    era = era_of(day)
    return era, day.year - era.start.year + 1


def _era_year_label(year: int, *, gannen: bool) -> str:
    return "元" if (year == 1 and gannen) else str(year)


def format_wareki(day: date, *, style: str = "long", gannen: bool = True) -> str:
    """``令和3年4月1日`` (long), ``R3.4.1`` (short) or ``令和3年`` (year)."""
    era, year = era_year(day)
    if style == "short":
        return f"{era.letter}{year}.{day.month}.{day.day}"
    if style == "year":
        return f"{era.name}{_era_year_label(year, gannen=gannen)}年"
    return f"{era.name}{_era_year_label(year, gannen=gannen)}年{day.month}月{day.day}日"


# --- Parsing -------------------------------------------------------------------------------------

_KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_NUMBER = re.compile(r"[〇零一二三四五六七八九十]+")
_HYPHENS = "-‐‑‒–—―−ーｰ─━"


def _era_bound(day: date) -> str:
    """An era's first or last day as a message shows it: 和暦 to a Japanese reader, 2019-04-30
    to a resident reading another language."""
    language = translation.get_language() or "ja"
    return format_wareki(day) if language.startswith("ja") else day.isoformat()


def _kanji_number_to_int(text: str) -> int:
    """Numbers written in kanji as they appear in dates: 十二, 三十一, 二〇二四."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[ch]) for ch in text))


# Every character the width passes below change: the ideographic space and full-width ASCII
# (U+3000, U+FF01–FF5E) and half-width katakana with its punctuation and sound marks (U+FF61–FF9F).
# Most text has none, and is then returned without the passes (the half-width pass alone runs
# some twenty replacements for the sound marks over the whole text).
_FULL_WIDTH_ASCII = re.compile("[\u3000\uff01-\uff5e]")
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]")


def _full_width_kana(text: str) -> str:
    if _HALF_WIDTH_KANA.search(text) is None:
        return text
    return jaconv.h2z(text, kana=True, ascii=False, digit=False)


def normalize_width(text: str) -> str:
    """Full-width letters and digits to ASCII, half-width katakana to full-width (the usual rule for
    stored Japanese text). Other characters are left as typed."""
    if _FULL_WIDTH_ASCII.search(text) is not None:
        text = jaconv.z2h(text, kana=False, ascii=True, digit=True)
    return _full_width_kana(text)


def katakana(text: str) -> str:
    """Reading (フリガナ) in full-width katakana whatever the person typed."""
    return jaconv.hira2kata(_full_width_kana(text))


def hiragana(text: str) -> str:
    return jaconv.kata2hira(_full_width_kana(text))


def _date_or_error(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            gettext("「%(text)s」は存在しない日付です。") % {"text": original}
        ) from None


_WAREKI = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTMrhstm])\s*(?P<year>元|\d{1,2})\s*"
    r"(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|[./\-](?P<m2>\d{1,2})[./\-](?P<d2>\d{1,2}))$"
)
_SEIREKI = re.compile(
    r"^(?P<year>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|[./\-](?P<m2>\d{1,2})[./\-](?P<d2>\d{1,2}))$"
)
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")


def _clean_date_text(text: str) -> str:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    cleaned = cleaned.translate({ord(ch): "-" for ch in _HYPHENS})
    return _KANJI_NUMBER.sub(lambda m: str(_kanji_number_to_int(m.group())), cleaned)


def parse_date(text: str) -> date:
    """A date typed in 和暦 or 西暦: 令和6年4月1日, 令和元年5月1日, R6.4.1, ㋿6/4/1, 令和六年四月一日,
    2024-04-01, 2024/4/1, 2024年4月1日, 20240401. Full-width digits are accepted."""
    if not text or not text.strip():
        raise ValueError(gettext("日付を入力してください。"))
    cleaned = _clean_date_text(text)

    if match := _WAREKI.match(cleaned):
        era = _ERA_BY_KEY[match["era"]]
        year = 1 if match["year"] == "元" else int(match["year"])
        if year < 1:
            raise ValueError(gettext("「%(text)s」の年が正しくありません。") % {"text": text})
        month = int(match["m1"] or match["m2"])
        day = int(match["d1"] or match["d2"])
        result = _date_or_error(era.start.year + year - 1, month, day, text)
        if not era.contains(result):
            raise ValueError(
                gettext("「%(text)s」は%(era)sの期間(%(start)s〜%(end)s)にない日付です。")
                % {
                    "text": text,
                    "era": era.name,
                    "start": _era_bound(era.start),
                    "end": _era_bound(era.end) if era.end else "",
                }
            )
        return result

    if match := _SEIREKI.match(cleaned):
        month = int(match["m1"] or match["m2"])
        day = int(match["d1"] or match["d2"])
        return _date_or_error(int(match["year"]), month, day, text)

    if match := _COMPACT.match(cleaned):
        return _date_or_error(int(match["year"]), int(match["month"]), int(match["day"]), text)

    raise ValueError(
        gettext("「%(text)s」を日付として読み取れません。例: 令和8年4月1日、R8.4.1、2026-04-01")
        % {"text": text}
    )


# --- 年度 (fiscal year, April to March) ------------------------------------------------------------


def fiscal_year(day: date) -> int:
    """The 年度 a date belongs to, as the Western year in which it starts (2021 for R3年度)."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_year_label(year: int, *, style: str = "long") -> str:
    """``令和3年度`` (long) or ``R3年度`` (short).

    The era is the one in force on May 1 of the 年度: that names FY2019 令和元年度 and FY1988 昭和63年度,
    as the government's own documents do.
    """
    era, era_year_number = era_year(date(year, 5, 1))
    if style == "short":
        return f"{era.letter}{era_year_number}年度"
    return f"{era.name}{_era_year_label(era_year_number, gannen=True)}年度"


def fiscal_year_display(year: int, *, style: str = "long") -> str:
    """A 年度 as the page's language reads it: ``fiscal_year_label`` in Japanese, ``FY2021`` in
    English."""
    if translation.get_language() == "en":
        return f"FY{year}"
    return fiscal_year_label(year, style=style)


_FISCAL_YEAR_LABEL = re.compile(
    r"^(?:(?P<era>令和|平成|昭和|[RHSrhs])\s*(?P<era_year>元|\d{1,2})|(?:FY|fy)?\s*(?P<year>\d{4}))"
    r"\s*(?:年度?)?$"
)


def parse_fiscal_year(text: str) -> int:
    """``令和3年度``, ``R3年度``, ``令和元年度``, ``2021年度``, ``FY2021`` (the English label) or
    ``2021`` → 2021."""
    cleaned = _clean_date_text(str(text))
    if cleaned.isdigit() and len(cleaned) == 4:
        return int(cleaned)
    match = _FISCAL_YEAR_LABEL.match(cleaned)
    if not match:
        raise ValueError(
            gettext("「%(text)s」を年度として読み取れません。例: 令和3年度、R3年度、2021年度")
            % {"text": text}
        )
    if match["year"]:
        return int(match["year"])
    era = _ERA_BY_KEY[match["era"]]
    number = 1 if match["era_year"] == "元" else int(match["era_year"])
    return era.start.year + number - 1


# --- Postal codes and phone numbers -------------------------------------------------------------


def normalize_postal_code(text: str) -> str:
    """``〒５１４−０００１`` → ``514-0001``."""
    cleaned = unicodedata.normalize("NFKC", text or "").replace("〒", "").strip()
    digits = re.sub(r"[\s\-‐‑‒–—―−ー]", "", cleaned)
    if not re.fullmatch(r"\d{7}", digits):
        raise ValueError(gettext("郵便番号は7桁の数字で入力してください。例: 514-0001"))
    return f"{digits[:3]}-{digits[3:]}"


_PHONE_TEXT = re.compile(r"\+?[\d\-() ]{10,20}")
# Written as in Japan: digits and hyphens only, the digits a 0 and 9 or 10 more, not 00 or 010 (the
# international call prefixes, which libphonenumber reads as such).
_DIGITS_AND_HYPHENS = re.compile(r"[\d\-]+")
_NATIONAL_DIGITS = re.compile(r"0(?!10)[1-9]\d{8,9}")
_TO_HYPHEN = {ord(ch): "-" for ch in _HYPHENS}


def normalize_phone_number(text: str) -> str:
    """A Japanese phone number in the national format with hyphens at the area-code boundaries
    (``059-224-2035``, ``090-1234-5678``), as libphonenumber's Japanese metadata defines them."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    cleaned = cleaned.translate(_TO_HYPHEN)
    if not _PHONE_TEXT.fullmatch(cleaned):
        raise ValueError(gettext("電話番号は数字とハイフンで入力してください。例: 059-224-2035"))
    digits = cleaned.replace("-", "")
    if _DIGITS_AND_HYPHENS.fullmatch(cleaned) and _NATIONAL_DIGITS.fullmatch(digits):
        # What ``parse`` makes of it, without its search of the text: the number after the
        # national prefix 0 (the way most numbers are written, and a fifth of the CPU of a
        # submission's validation).
        number = phonenumbers.PhoneNumber(country_code=81, national_number=int(digits[1:]))
    else:
        try:
            number = phonenumbers.parse(cleaned, "JP")
        except phonenumbers.NumberParseException:
            raise ValueError(
                gettext("電話番号の形式が正しくありません。例: 059-224-2035")
            ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(gettext("存在しない電話番号の形式です。市外局番から入力してください。"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


# --- 全国地方公共団体コード ---------------------------------------------------------------------------

_CHECK_WEIGHTS = (6, 5, 4, 3, 2)


def local_government_code_check_digit(first_five: str) -> str:
    """Check digit of a 全国地方公共団体コード: weights 6,5,4,3,2; (11 − sum mod 11) mod 10."""
    if not re.fullmatch(r"\d{5}", first_five):
        raise ValueError(gettext("団体コードの先頭5桁は数字で指定してください。"))
    total = sum(
        int(digit) * weight for digit, weight in zip(first_five, _CHECK_WEIGHTS, strict=True)
    )
    return str((11 - total % 11) % 10)


def validate_local_government_code(code: str) -> str:
    """The 6-digit code, with its check digit verified; a clear message otherwise."""
    cleaned = unicodedata.normalize("NFKC", code or "").strip()
    if not re.fullmatch(r"\d{6}", cleaned):
        raise ValueError(gettext("全国地方公共団体コードは6桁の数字です。"))
    expected = local_government_code_check_digit(cleaned[:5])
    if cleaned[5] != expected:
        raise ValueError(
            gettext(
                "全国地方公共団体コード「%(cleaned)s」の検査数字が正しくありません(6桁目は %(expected)s になるはずです)。"
            )
            % {"cleaned": cleaned, "expected": expected}
        )
    return cleaned
