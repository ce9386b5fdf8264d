"""Held-out paper forms for ``make bench-ocr``: two 申請書 drawn and filled by code of their own,
never used to tune the reader (nothing under ``src/`` imports this module).

The forms differ from the tuning layouts in ``jichitai.ocr.samples`` in what matters: labels in
another font and size, ruled tables instead of free boxes, dates with printed guides
(令和　年　月　日, one sub-zone per number), "○ around one of the printed options" (はい・いいえ,
男・女), check boxes people mark with a thin or thick ✓, ✗, ○, a filled square or a line through,
addresses across all of Mie's 市町 (the 団体 list in ``data/mie_local_governments.csv``), phone
numbers with 2- to 4-digit area codes, and faint (grey 150–190) or heavy ink. Scan conditions come
on top (rotation, noise, phone-photo perspective …).

The drawing takes its layouts and the names written from a ``FormSet`` (``HELDOUT`` by default):
the validation forms of ``benchmarks/ocr_validation.py`` are drawn by the same code with layouts
and names of their own.
"""

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from jichitai.core import japanese
from jichitai.ocr import samples

ROOT = Path(__file__).resolve().parent.parent
A4_MM = (210, 297)
LABEL_FONT = samples.PRINTED_FONTS[2]  # Noto Sans CJK: the tuning forms print in IPAex Gothic
MUNICIPALITIES_CSV = ROOT / "src" / "jichitai" / "demo" / "data" / "mie_local_governments.csv"


@dataclass(frozen=True)
class Zone:
    name: str
    label: str
    type: str  # text, kana, digits, postal, phone, amount, checkbox, choice, date
    box_mm: tuple[float, float, float, float]
    options: tuple[str, ...] = ()  # choice: the printed options, left to right
    era: str = ""  # date: the printed era guide
    numbers: tuple[int, int] = (1, 9)  # digits: the range the number written is drawn from
    amounts: tuple[int, ...] = ()  # amount: the amounts written (``AMOUNTS`` when empty)


@dataclass
class Layout:
    key: str
    title: str
    zones: list[Zone] = field(default_factory=list)


LAYOUTS = {
    "juminhyo": Layout(
        "juminhyo",
        "住民票の写し等交付申請書",
        [
            Zone("applied_on", "請求日", "date", (128, 34, 66, 11), era="令和"),
            Zone("name", "請求者 氏名", "text", (52, 52, 96, 13)),
            Zone("kana", "フリガナ", "kana", (52, 66, 96, 10)),
            Zone("address", "住所", "text", (52, 79, 142, 13)),
            Zone("phone", "電話番号", "phone", (52, 95, 70, 11)),
            Zone("self", "本人ですか", "choice", (158, 95, 36, 11), options=("はい", "いいえ")),
            Zone("copies", "必要な通数", "digits", (52, 113, 24, 11)),
            Zone("want_juminhyo", "住民票の写し", "checkbox", (52, 131, 8, 8)),
            Zone("want_kisai", "住民票記載事項証明書", "checkbox", (52, 143, 8, 8)),
            Zone("want_koseki", "戸籍の附票", "checkbox", (52, 155, 8, 8)),
            Zone("id_license", "運転免許証", "checkbox", (130, 131, 8, 8)),
            Zone("id_mynumber", "マイナンバーカード", "checkbox", (130, 143, 8, 8)),
        ],
    ),
    "keijidosha": Layout(
        "keijidosha",
        "軽自動車税(種別割)減免申請書",
        [
            Zone("applied_on", "申請年月日", "date", (120, 30, 72, 11), era="令和"),
            Zone("postal", "郵便番号", "postal", (46, 50, 40, 11)),
            Zone("address", "住所", "text", (46, 64, 146, 13)),
            Zone("name", "氏名", "text", (46, 80, 86, 13)),
            Zone("sex", "性別", "choice", (150, 80, 42, 13), options=("男", "女")),
            Zone("phone", "連絡先", "phone", (46, 96, 70, 11)),
            Zone("tax", "税額(円)", "amount", (140, 96, 52, 11)),
            Zone(
                "same", "納税義務者と同一", "choice", (46, 112, 50, 11), options=("はい", "いいえ")
            ),
            Zone("reason_disability", "身体障がい者等", "checkbox", (46, 130, 8, 8)),
            Zone("reason_structure", "構造が特殊", "checkbox", (46, 142, 8, 8)),
            Zone("reason_public", "公益のため", "checkbox", (110, 130, 8, 8)),
            Zone("agree", "記載内容に相違ありません", "checkbox", (110, 142, 8, 8)),
        ],
    ),
}

FAMILY = [
    ("鳥羽", "トバ"),
    ("髙木", "タカギ"),
    ("前田", "マエダ"),
    ("岡本", "オカモト"),
    ("西村", "ニシムラ"),
    ("藤井", "フジイ"),
    ("村田", "ムラタ"),
    ("浜口", "ハマグチ"),
    ("奥田", "オクダ"),
    ("川口", "カワグチ"),
    ("坂口", "サカグチ"),
    ("北川", "キタガワ"),
]
GIVEN = [
    ("直樹", "ナオキ"),
    ("優子", "ユウコ"),
    ("勇気", "ユウキ"),
    ("千尋", "チヒロ"),
    ("拓也", "タクヤ"),
    ("香織", "カオリ"),
    ("ひかり", "ヒカリ"),
    ("修", "オサム"),
    ("結衣", "ユイ"),
    ("蓮", "レン"),
    ("ツバサ", "ツバサ"),
    ("ペギー", "ペギー"),
]
# Real postal codes and towns (Japan Post) in some of Mie's 市町; the others get a generic 大字.
TOWNS = {
    "津市": ("514-0027", "大門"),
    "四日市市": ("510-0086", "諏訪栄町"),
    "伊勢市": ("516-0014", "楠部町"),
    "松阪市": ("515-0078", "春日町"),
    "桑名市": ("511-0068", "中央町"),
    "鈴鹿市": ("513-0801", "神戸"),
    "名張市": ("518-0711", "東町"),
    "尾鷲市": ("519-3618", "栄町"),
    "亀山市": ("519-0116", "本町"),
    "鳥羽市": ("517-0011", "鳥羽"),
    "熊野市": ("519-4324", "井戸町"),
    "いなべ市": ("511-0428", "北勢町阿下喜"),
    "志摩市": ("517-0501", "阿児町鵜方"),
    "伊賀市": ("518-0873", "上野丸之内"),
    "木曽岬町": ("498-0807", "西対海地"),
    "東員町": ("511-0251", "北山田"),
    "菰野町": ("510-1233", "菰野"),
    "朝日町": ("510-8102", "小向"),
    "川越町": ("510-8121", "高松"),
    "多気町": ("519-2181", "相可"),
    "明和町": ("515-0332", "馬之上"),
    "大台町": ("519-2404", "佐原"),
    "玉城町": ("519-0495", "田丸"),
    "度会町": ("516-2103", "棚橋"),
    "大紀町": ("519-2703", "滝原"),
    "南伊勢町": ("516-0101", "五ケ所浦"),
    "紀北町": ("519-3204", "東長島"),
    "御浜町": ("519-5204", "阿田和"),
    "紀宝町": ("519-5701", "鵜殿"),
}
# Area codes of Mie (2 to 4 digits after the 0) and mobile prefixes.
PHONE_FORMS = [
    ("059", 3, 4),
    ("0598", 2, 4),
    ("0596", 2, 4),
    ("0595", 2, 4),
    ("0594", 2, 4),
    ("0599", 2, 4),
    ("0597", 2, 4),
    ("05979", 1, 4),
    ("090", 4, 4),
    ("080", 4, 4),
]
MARKS = ("tick", "tick", "cross", "circle", "filled", "line")
INKS = ("normal", "normal", "faint", "heavy")
AMOUNTS = (3900, 7200, 10800, 6900, 5000, 2400)
# The years a guided date of an era other than 令和 is drawn from (令和: 2020 to 2026), away from
# the years two eras share.
ERA_YEARS = {"平成": (1990, 2018), "昭和": (1935, 1988)}


@dataclass(frozen=True)
class FormSet:
    """A set of forms this module draws and fills: its layouts and the names written on them."""

    layouts: dict[str, Layout]
    family: list[tuple[str, str]]
    given: list[tuple[str, str]]
    towns: dict[str, tuple[str, str]]


HELDOUT = FormSet(LAYOUTS, FAMILY, GIVEN, TOWNS)


def municipalities() -> list[str]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        return [row["団体名"] for row in csv.DictReader(handle) if row["種別"] != "prefecture"]


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _box(zone: Zone, dpi: int) -> list[int]:
    x, y, w, h = zone.box_mm
    return [_px(x, dpi), _px(y, dpi), _px(w, dpi), _px(h, dpi)]


def _date_parts(zone: Zone) -> dict[str, tuple[float, float, float, float]]:
    """Where the year, month and day are written between the printed 令和・年・月・日 (mm)."""
    x, y, w, h = zone.box_mm
    era_w = 13
    slot = (w - era_w) / 3
    parts = {}
    for index, part in enumerate(("year", "month", "day")):
        left = x + era_w + index * slot
        parts[part] = (left + 0.8, y + 0.8, slot - 6.6, h - 1.6)
    return parts


def _option_boxes(zone: Zone) -> list[tuple[float, float, float, float]]:
    x, y, w, h = zone.box_mm
    count = len(zone.options)
    width = w / count
    return [(x + i * width + 1, y + 0.8, width - 2, h - 1.6) for i in range(count)]


def template_dict(key: str, dpi: int = 200, forms: FormSet = HELDOUT) -> dict:
    """The layout as the template JSON a clerk would write for it."""
    layout = forms.layouts[key]
    fields = []
    for zone in layout.zones:
        entry = {"name": zone.name, "label": zone.label, "type": zone.type, "box": _box(zone, dpi)}
        if zone.type == "choice":
            entry["options"] = [
                {"value": option, "box": [_px(v, dpi) for v in box]}
                for option, box in zip(zone.options, _option_boxes(zone), strict=True)
            ]
        if zone.type == "date" and zone.era:
            entry["era"] = zone.era
            entry["parts"] = {
                part: [_px(v, dpi) for v in box] for part, box in _date_parts(zone).items()
            }
        fields.append(entry)
    return {"name": layout.title, "reference": f"{key}.png", "dpi": dpi, "fields": fields}


def blank_form(key: str, dpi: int = 200, forms: FormSet = HELDOUT) -> Image.Image:
    layout = forms.layouts[key]
    width, height = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(LABEL_FONT, _px(3.2, dpi))
    title = ImageFont.truetype(LABEL_FONT, _px(6, dpi))
    line = max(1, dpi // 100)
    draw.text((_px(18, dpi), _px(14, dpi)), layout.title, font=title, fill=0)
    draw.text((_px(150, dpi), _px(8, dpi)), "三重県内共通様式", font=font, fill=0)
    # An outer table the fields sit in.
    draw.rectangle([_px(12, dpi), _px(28, dpi), _px(198, dpi), _px(168, dpi)], outline=0, width=3)
    for zone in layout.zones:
        x, y, w, h = zone.box_mm
        if zone.type == "checkbox":
            draw.rectangle(
                [_px(x, dpi), _px(y, dpi), _px(x + w, dpi), _px(y + h, dpi)], outline=0, width=line
            )
            draw.text((_px(x + w + 2, dpi), _px(y + 1.5, dpi)), zone.label, font=font, fill=0)
            continue
        draw.text(
            (_px(x - 32 if x > 60 else 15, dpi), _px(y + h / 2 - 1.8, dpi)),
            zone.label,
            font=font,
            fill=0,
        )
        draw.rectangle(
            [_px(x, dpi), _px(y, dpi), _px(x + w, dpi), _px(y + h, dpi)], outline=0, width=line
        )
        if zone.type == "choice":
            boxes = _option_boxes(zone)
            big = ImageFont.truetype(LABEL_FONT, _px(4, dpi))
            for index, (option, (ox, oy, ow, oh)) in enumerate(
                zip(zone.options, boxes, strict=True)
            ):
                text_w = draw.textlength(option, font=big)
                draw.text(
                    (_px(ox + ow / 2, dpi) - text_w / 2, _px(oy + oh / 2 - 2.4, dpi)),
                    option,
                    font=big,
                    fill=0,
                )
                if index:
                    draw.text(
                        (_px(ox - 2, dpi), _px(oy + oh / 2 - 2.4, dpi)), "・", font=big, fill=0
                    )
        if zone.type == "date":
            parts = _date_parts(zone)
            draw.text((_px(x + 1.5, dpi), _px(y + h / 2 - 1.8, dpi)), zone.era, font=font, fill=0)
            for part, unit in zip(("year", "month", "day"), "年月日", strict=True):
                px, _py, pw, _ph = parts[part]
                draw.text(
                    (_px(px + pw + 1, dpi), _px(y + h / 2 - 1.8, dpi)), unit, font=font, fill=0
                )
    notes = [
        "※ 太枠の中を黒のボールペンで記入し、該当する□にレ点を、はい・いいえは○で囲んでください。",
        "※ 代理人が請求する場合は委任状が必要です。本人確認書類を窓口で提示してください。",
        "※ 記入された個人情報は、この申請の事務以外には使用しません。",
    ]
    small = ImageFont.truetype(LABEL_FONT, _px(2.8, dpi))
    for index, text in enumerate(notes):
        draw.text((_px(16, dpi), _px(178 + index * 7, dpi)), text, font=small, fill=0)
    # A staff-only table at the bottom, as real 申請書 have.
    draw.rectangle([_px(12, dpi), _px(205, dpi), _px(198, dpi), _px(245, dpi)], outline=0, width=2)
    for index, text in enumerate(("受付", "審査", "交付", "手数料", "備考")):
        left = 12 + index * 37.2
        draw.line([_px(left, dpi), _px(205, dpi), _px(left, dpi), _px(245, dpi)], fill=0, width=2)
        draw.text((_px(left + 3, dpi), _px(207, dpi)), text, font=font, fill=0)
    draw.line([_px(12, dpi), _px(213, dpi), _px(198, dpi), _px(213, dpi)], fill=0, width=2)
    draw.text((_px(16, dpi), _px(285, dpi)), f"({key})  年  月 改訂", font=small, fill=0)
    return image


def random_values(key: str, rng: random.Random, forms: FormSet = HELDOUT) -> tuple[dict, dict]:
    """(what is written, expected values). Dates are written as numbers in the guided parts."""
    family, family_kana = rng.choice(forms.family)
    given, given_kana = rng.choice(forms.given)
    city = rng.choice(municipalities())
    postal, town = forms.towns[city]
    address = (
        f"三重県{city}{town}{rng.randint(1, 2999)}番地"
        if rng.random() < 0.5
        else (f"三重県{city}{town}{rng.randint(1, 9)}-{rng.randint(1, 40)}")
    )
    prefix, middle, _subscriber = rng.choice(PHONE_FORMS)
    phone = f"{prefix}-{rng.randint(10 ** (middle - 1), 10**middle - 1)}-{rng.randint(1000, 9999)}"
    written, truth = {}, {}
    for zone in forms.layouts[key].zones:
        if zone.type == "text" and zone.name == "name":
            written[zone.name] = truth[zone.name] = family + given
        elif zone.type == "text":
            written[zone.name] = truth[zone.name] = address
        elif zone.type == "kana":
            written[zone.name] = truth[zone.name] = family_kana + given_kana
        elif zone.type == "phone":
            written[zone.name] = truth[zone.name] = phone
        elif zone.type == "postal":
            written[zone.name] = truth[zone.name] = postal
        elif zone.type == "digits":
            written[zone.name] = truth[zone.name] = str(rng.randint(*zone.numbers))
        elif zone.type == "amount":
            amount = rng.choice(zone.amounts or AMOUNTS)
            written[zone.name] = f"{amount:,}"
            truth[zone.name] = amount
        elif zone.type == "date" and zone.era in ERA_YEARS:
            day = date(rng.randint(*ERA_YEARS[zone.era]), rng.randint(1, 12), rng.randint(1, 28))
            written[zone.name] = (str(japanese.era_year(day)[1]), str(day.month), str(day.day))
            truth[zone.name] = day.isoformat()
        elif zone.type == "date":
            day = date(2019 + rng.randint(1, 7), rng.randint(1, 12), rng.randint(1, 28))
            if day.year == 2019 and day.month < 5:
                day = day.replace(month=5)
            written[zone.name] = (str(day.year - 2018), str(day.month), str(day.day))
            truth[zone.name] = day.isoformat()
        elif zone.type == "choice":
            choice = rng.choice(zone.options)
            written[zone.name] = truth[zone.name] = choice
        elif zone.type == "checkbox":
            checked = rng.random() < 0.5
            written[zone.name] = rng.choice(MARKS) if checked else None
            truth[zone.name] = checked
    return written, truth


def _ink(kind: str, rng: random.Random) -> int:
    return rng.randint(150, 190) if kind == "faint" else rng.randint(0, 60)


def _write(draw, box_px, text, font_path, ink, heavy, rng):
    x, y, w, h = box_px
    size = int(h * rng.uniform(0.55, 0.72))
    font = ImageFont.truetype(font_path, size)
    if draw.textlength(text, font=font) > w * 0.9:
        size = int(size * w * 0.9 / draw.textlength(text, font=font))
        font = ImageFont.truetype(font_path, size)
    cx = x + int(w * rng.uniform(0.02, 0.1))
    cy = y + (h - size) // 2 - int(size * 0.1)
    handwriting = font_path in samples.HANDWRITING_FONTS
    stroke = max(1, size // 18) if heavy else 0
    for ch in text:
        char_font = font
        if handwriting:
            char_font = ImageFont.truetype(font_path, max(8, int(size * rng.uniform(0.9, 1.06))))
        jitter = int(size * rng.uniform(-0.07, 0.07)) if handwriting else 0
        draw.text(
            (cx, cy + jitter), ch, font=char_font, fill=ink, stroke_width=stroke, stroke_fill=ink
        )
        cx += (
            int(
                draw.textlength(ch, font=char_font)
                * (rng.uniform(0.96, 1.1) if handwriting else 1.0)
            )
            + stroke
        )


def _mark(draw, box_px, mark, ink, heavy, rng):
    x, y, w, h = box_px
    pen = rng.randint(3, 5) if heavy else rng.randint(1, 2)

    def p(fx, fy):
        return (x + w * (fx + rng.uniform(-0.04, 0.04)), y + h * (fy + rng.uniform(-0.04, 0.04)))

    if mark == "tick":
        draw.line([p(0.15, 0.5), p(0.42, 0.82), p(0.9, 0.1)], fill=ink, width=pen, joint="curve")
    elif mark == "cross":
        draw.line([p(0.18, 0.18), p(0.82, 0.82)], fill=ink, width=pen)
        draw.line([p(0.82, 0.18), p(0.18, 0.82)], fill=ink, width=pen)
    elif mark == "circle":
        grow = rng.uniform(-0.1, 0.25)
        draw.ellipse(
            [
                x + w * (0.15 - grow),
                y + h * (0.15 - grow),
                x + w * (0.85 + grow),
                y + h * (0.85 + grow),
            ],
            outline=ink,
            width=pen,
        )
    elif mark == "filled":
        draw.rectangle([x + w * 0.18, y + h * 0.18, x + w * 0.82, y + h * 0.82], fill=ink)
    elif mark == "line":
        draw.line([p(0.1, 0.9), p(0.9, 0.1)], fill=ink, width=pen)


def filled_form(
    key: str, written: dict, *, dpi: int, font: str, seed: int, forms: FormSet = HELDOUT
) -> Image.Image:
    rng = random.Random(seed)
    image = blank_form(key, dpi, forms)
    draw = ImageDraw.Draw(image)
    ink_kind = rng.choice(INKS)
    ink = _ink(ink_kind, rng)
    heavy = ink_kind == "heavy"
    for zone in forms.layouts[key].zones:
        value = written.get(zone.name)
        if not value:
            continue
        if zone.type == "checkbox":
            _mark(draw, _box(zone, dpi), value, ink, heavy, rng)
        elif zone.type == "choice":
            index = zone.options.index(value)
            ox, oy, ow, oh = _option_boxes(zone)[index]
            cx, cy = _px(ox + ow / 2, dpi), _px(oy + oh / 2, dpi)
            text_w = _px(4 * len(value), dpi)
            rx = text_w / 2 + _px(rng.uniform(1.2, 3.0), dpi)
            ry = _px(rng.uniform(3.0, 4.4), dpi)
            dx, dy = rng.uniform(-2, 2), rng.uniform(-2, 2)
            pen = rng.randint(3, 5) if heavy else rng.randint(1, 3)
            # A hand-drawn ring: an ellipse that does not quite close.
            start = rng.uniform(0, 2 * math.pi)
            points = [
                (
                    cx + dx + rx * math.cos(start + t / 40 * 2 * math.pi * 1.05),
                    cy + dy + ry * math.sin(start + t / 40 * 2 * math.pi * 1.05),
                )
                for t in range(41)
            ]
            draw.line(points, fill=ink, width=pen, joint="curve")
        elif zone.type == "date":
            parts = _date_parts(zone)
            for part, number in zip(("year", "month", "day"), value, strict=True):
                px, py, pw, ph = parts[part]
                box = [_px(px, dpi), _px(py, dpi), _px(pw, dpi), _px(ph, dpi)]
                _write(draw, box, number, font, ink, heavy, rng)
        else:
            _write(draw, _box(zone, dpi), value, font, ink, heavy, rng)
    return image
