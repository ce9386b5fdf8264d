"""From what the engine read to the field's value: Chinese variant glyphs to Japanese ones, the
field's allowed characters, NFKC, and per type 和暦/西暦 dates → YYYY-MM-DD, postal codes →
NNN-NNNN (checked against Japan Post's list), amounts → int, digits, phone numbers (kept as written
when the written grouping is a valid Japanese one), addresses checked and corrected against the
place-name dictionary. ``read`` says what it corrected and what a person should check;
``normalise`` gives ``(value, valid)``."""

import re
import unicodedata
from dataclasses import dataclass, field

import phonenumbers

from jichitai.core import japanese
from jichitai.ocr import checks, dictionary, glyph_variants

# Simplified Chinese forms the recogniser (trained mostly on Chinese) emits for Japanese kanji.
# Only characters that are not themselves Japanese kanji are mapped.
_VARIANT_PAIRS = (
    "惠恵渊渕边辺见見觉覚观観岛島东東书書县県乡郷丰豊乐楽师師门門间間长長马馬鸟鳥龙竜泽沢滨浜桥橋冈岡枥栃关関阳陽"
    "进進达達远遠实実宫宮荣栄华華爱愛对対发発语語车車铁鉄银銀钱銭铃鈴绿緑纪紀红紅细細织織经経结結"
    "线線编編网網历歴园園圆円图図场場儿児亚亜恶悪时時显顕晓暁杂雑权権杨楊树樹样様气気汉漢沟溝济済"
    "涩渋满満灵霊营営兴興义義买買卖売贝貝贵貴费費资資连連选選邮郵针針陈陳险険难難顺順须須领領"
    "头頭题題风風饭飯馆館鱼魚齐斉齿歯龟亀础礎动動亿億优優伟偉传伝众衆从従仓倉务務劳労协協单単卫衛"
    "压圧厅庁员員围囲坚堅处処备備复復奋奮妇婦宁寧宽寛导導层層岁歳带帯庆慶应応库庫张張录録惯慣护護"
    "报報择択换換据拠无無业業规規视視记記许許证証请請课課负負贷貸输輸这這还還邻隣钢鋼键鍵闭閉阶階"
    "际際隐隠电電韩韓额額饮飲验験黑黒齐斉丽麗严厳个個么麼义義乌烏习習亲親亿億仅僅价価们們侧側俭倹"
    "兰蘭农農冲衝决決况況净浄减減凤鳳刘劉则則刚剛创創别別办弁务務动動劝勧势勢区区协協卖売卢盧"
    "厂廠历歴县県叁参双双发発变変叙叙号号叹嘆吗嗎启啓员員呜嗚响響哑唖喷噴团団园園围囲国国图図圣聖"
    "坏壊块塊坛壇垦墾垒塁埚堝堕堕场場壮壮声声处処备備够夠头頭夹挟夺奪奖奨妆粧妈媽娱娯婴嬰孙孫学学"
    "宁寧宝宝实実审審宪憲宫宮宾賓寝寝对対寻尋导導寿寿将将尔爾尘塵尝嘗层層屉屜属属岗崗峡峡崭嶄巩鞏"
    "币幣帅帥师師帐帳带帯帮幇庄荘庆慶库庫应応庙廟废廃开開异異弃棄张張弥弥弯湾归帰录録彻徹径径"
)


_ALWAYS = "惠渊"
VARIANT_MAP = {
    _VARIANT_PAIRS[i]: _VARIANT_PAIRS[i + 1]
    for i in range(0, len(_VARIANT_PAIRS) - 1, 2)
    if _VARIANT_PAIRS[i] != _VARIANT_PAIRS[i + 1]
    # Characters that are also Japanese kanji in their own right stay, except old forms the
    # recogniser emits for common ones far more often than anyone writes them on a 届出.
    and (_VARIANT_PAIRS[i] in _ALWAYS or not glyph_variants.in_jis(_VARIANT_PAIRS[i]))
}
VARIANTS = str.maketrans(VARIANT_MAP)

# Letters a recogniser confuses with digits, used only in numeric fields.
_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "i": "1",
        "Z": "2",
        "z": "2",
        "S": "5",
        "s": "5",
        "B": "8",
        "g": "9",
        "q": "9",
        "b": "6",
    }
)
# Kanji a recogniser reads for katakana of the same shape, used only in kana fields.
_KANA_LOOKALIKES = str.maketrans(
    {
        "一": "ー",
        "-": "ー",
        "卜": "ト",
        "力": "カ",
        "口": "ロ",
        "工": "エ",
        "二": "ニ",
        "夕": "タ",
        "八": "ハ",
        "才": "オ",
        "干": "チ",
        "千": "チ",
        "三": "ミ",
    }
)
# Era names misread in dates.
_ERA_LOOKALIKES = (("今和", "令和"), ("合和", "令和"), ("平戌", "平成"), ("平或", "平成"))
_HYPHENS = "-‐‑‒–—―−ーｰ一_~〜～"
DEFAULT_ALLOWED = {
    "digits": "0123456789",
    "amount": "0123456789,円¥",
    "postal": "0123456789-",
    "phone": "0123456789-()",
}


def japanese_glyphs(text: str) -> str:
    """The Japanese forms of what the recogniser emits: the pairs above, then, for any other
    kanji outside JIS, its one Japanese form by Unihan (吕 → 呂)."""
    return "".join(glyph_variants.jis_form(ch) for ch in text.translate(VARIANTS))


def _keep(text: str, allowed: str) -> str:
    if not allowed:
        return text
    allowed_set = set(unicodedata.normalize("NFKC", allowed)) | set(allowed)
    return "".join(ch for ch in text if ch in allowed_set)


def _numeric(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DIGIT_LOOKALIKES)
    return text.translate({ord(ch): "-" for ch in _HYPHENS})


# Noise at the ends of a line that the recogniser reads as punctuation.
_EDGE_NOISE = re.compile(r"^[.,:;'\"`・、。\s]+|[.,:;'\"`・、。\s]+$")


@dataclass
class Read:
    value: object
    valid: bool
    corrections: list[tuple[str, str]] = field(
        default_factory=list
    )  # (read, corrected) by the dictionary
    unknown_place: str = ""  # a part of an address no dictionary knows
    # A phone number whose written hyphens were not a valid grouping and were set anew.
    regrouped: bool = False
    # Characters of a name that people also write in an old form the recogniser cannot tell (髙).
    variant_glyph: str = ""
    dropped: str = ""  # what was read but cannot be in a field of this type (letters in a number)
    doubled: bool = False  # a kanji read twice in a row outside an address (山山太郎)
    # Kanji of a name that are a stroke away from one names use and are not used in names (臭 for 奥).
    confusable: str = ""
    # Small kana where Japanese spelling has none, made the large kana they almost always are.
    small_kana: str = ""


# Kanji whose old form, common in names (髙橋, 山﨑, 𠮷田), is outside JIS X 0208: the recogniser
# never learnt to emit it (﨑, 𠮷) or tells it from the common form by a small margin only (髙,
# ``old_forms``), so a person compares with the paper; and the
# forms of one kanji that names keep side by side (渡邊・渡邉, 齋藤・齊藤, 富田・冨田), which differ in a
# stroke or two that a recogniser confuses.
_HAS_OLD_FORM = "高髙崎吉邊邉齋齊富冨"
# Kanji a stroke away from one common in names (臭・奥, 烏・鳥, 干・千) that names do not use.
_NOT_IN_NAMES = "臭烏干"


def normalise(kind: str, raw: str, allowed: str = "") -> tuple[object, bool]:
    """``(value, valid)`` for what was read in a field of type ``kind``. Empty input gives
    ``(None, True)``; the procedure's form decides whether the field was required."""
    result = read(kind, raw, allowed)
    return result.value, result.valid


def read(kind: str, raw: str, allowed: str = "") -> Read:
    value, valid = _normalise(kind, raw, allowed)
    result = Read(value, valid)
    if kind in ("text", "kana") and isinstance(value, str):
        enlarged = checks.enlarge_implausible_small_kana(kind, value)
        if enlarged != value:
            result.small_kana = checks.implausible_small_kana(kind, value)
            result.value = value = enlarged
    if kind == "text" and isinstance(value, str):
        check = dictionary.check_address(value)
        result.value = check.text
        result.corrections = check.corrections
        result.unknown_place = check.unknown
        if not check.municipality:
            # And old forms that the recogniser emits for an everyday kanji far more often than
            # anyone writes them (奧 for 奥, 穗 for 穂): a person compares with the paper.
            result.variant_glyph = "".join(
                ch for ch in value if ch in _HAS_OLD_FORM or glyph_variants.rare_form(ch)
            )
            result.confusable = "".join(ch for ch in value if ch in _NOT_IN_NAMES)
            # A name repeats a kanji with 々 (佐々木): the same kanji twice is a recogniser's echo.
            result.doubled = bool(re.search(r"([一-龥])\1", value))
    elif kind == "postal" and valid and not dictionary.postal_code_known(str(value)):
        result.unknown_place = str(value)
    if kind in DEFAULT_ALLOWED and raw:
        numeric = re.sub(r"\s+", "", _numeric(japanese_glyphs(raw)))
        kept = set(_keep(numeric, allowed or DEFAULT_ALLOWED[kind]))
        # Letters, kana or kanji (not a stray dot or a written 〒) mean something else was read.
        result.dropped = "".join(ch for ch in numeric if ch not in kept and ch.isalnum())
    if kind == "phone" and valid and isinstance(value, str):
        written = re.sub(r"-{2,}", "-", _numeric(japanese_glyphs(raw or ""))).strip("-")
        result.regrouped = "-" in written and value not in written
    return result


def keeps_written_grouping(text: str) -> bool:
    """Whether hyphens written in a phone number split it as Japan's numbering plan does: a fixed
    line's area code and 市内局番 together have 6 digits (0598-16-3050, 059-224-2035,
    05979-2-1234), other numbers 3-4-4 (090-1234-5678, 050-…) or 4-3-3 (0120-…)."""
    groups = text.split("-")
    if len(groups) != 3 or not all(g.isdigit() for g in groups) or not groups[0].startswith("0"):
        return False
    lengths = tuple(len(g) for g in groups)
    if groups[0][:3] in ("070", "080", "090", "050", "020", "060"):
        return lengths == (3, 4, 4)
    if groups[0] in ("0120", "0800", "0570", "0990"):
        return lengths in ((4, 3, 3), (4, 2, 4))
    return 2 <= lengths[0] <= 5 and lengths[0] + lengths[1] == 6 and lengths[2] == 4


def _phone(text: str) -> tuple[object, bool]:
    try:
        canonical = japanese.normalize_phone_number(text)
    except ValueError:
        return text, False
    written = text.strip("-")
    if keeps_written_grouping(written) and written.replace("-", "") == canonical.replace("-", ""):
        number = phonenumbers.parse(written, "JP")
        if phonenumbers.is_valid_number(number):
            return written, True
    return canonical, True


def _normalise(kind: str, raw: str, allowed: str) -> tuple[object, bool]:
    text = japanese_glyphs(raw or "")
    if kind == "choice":
        text = unicodedata.normalize("NFKC", text).strip()
        return (text or None), True
    if kind in ("text", "kana"):
        text = unicodedata.normalize("NFKC", text)
        if kind == "text":
            # Dashes the recogniser reads in addresses: 1—2 is 1-2, —丁目 is 一丁目.
            text = re.sub(r"(?<=\d)[—–―‐‑−ー一](?=\d)", "-", text)
            text = re.sub(r"[—–―‐‑−ー](?=丁目|番町|区)", "一", text)
            # Katakana ロ right after a kanji is the kanji 口 (川口, 山口, 坂口).
            text = re.sub(r"(?<=[一-龥々])ロ", "口", text)
        if kind == "kana":
            text = japanese.katakana(text.translate(_KANA_LOOKALIKES))
        text = _EDGE_NOISE.sub("", _keep(text, allowed))
        if not text:
            return None, True
        if kind == "kana" and not re.fullmatch(r"[ァ-ヶー・\s　]+", text):
            return text, False
        return text, True
    if kind == "checkbox":
        return bool(raw), True
    if kind == "date":
        # Letters (R6.4.1, S60.4.1) and kanji numerals (四月一日) mean something here.
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        for wrong, right in _ERA_LOOKALIKES:
            text = text.replace(wrong, right)
        text = _keep(text, allowed)
        if not text:
            return None, True
        try:
            return japanese.parse_date(text).isoformat(), True
        except ValueError:
            return text, False
    text = re.sub(r"\s+", "", _numeric(text))
    text = _keep(text, allowed or DEFAULT_ALLOWED.get(kind, ""))
    if kind == "phone":
        text = re.sub(r"-{2,}", "-", text)
    if not text:
        return None, True
    if kind == "digits":
        return text, text.isdigit()
    if kind == "amount":
        digits = text.replace(",", "").replace("円", "").replace("¥", "")
        if not digits.isdigit():
            return text, False
        grouped = text.replace("円", "").replace("¥", "")
        # Thousands separators, if written, must sit every three digits.
        if "," in grouped and not re.fullmatch(r"\d{1,3}(,\d{3})+", grouped):
            return int(digits), False
        return int(digits), True
    if kind == "postal":
        try:
            return japanese.normalize_postal_code(text), True
        except ValueError:
            return text, False
    if kind == "phone":
        return _phone(text)
    return text, True
