# ruff: noqa: S311  (random numbers here make test data, not secrets)
"""Synthetic paper forms with ground truth, for the tests, the benchmark and the demo: nine A4
layouts (現況届, 転居届, 補助金交付申請書, 児童手当認定請求書 with a 令和　年　月　日 guided date and
有・無 to circle, 添付書類確認票 with eight check boxes, 証明書交付請求書 filled from other names and any
address of Mie, some pages in a worn grey ballpoint, 国民健康保険 異動届 with a 昭和 guided birth date,
男・女 and four 続柄 to circle and rare names, 補助金実績報告書 with a 団体コード written one digit
a printed box, 円 and 人 printed in the boxes, a round and a flat check box, 水道使用開始届 with
tall wide boxes, a 7-digit account number one digit a printed box, three options to circle and
round check boxes in a row) drawn at any dpi,
filled with printed or handwriting-style Japanese fonts from Debian packages (some fields in pale pencil, names with old glyphs such as 髙, addresses and phone
numbers across Mie, kana with 濁点/半濁点 and kanji a stroke away from another, check boxes down
to 6 mm marked the ways of ``CHECK_MARKS``: short thin ticks, small rings and crosses, a tick in a
pale pen or over the box's border, one diagonal stroke, a box scribbled over, a fine-pen ○ or ✗),
some pages in a heavy felt pen, and scan conditions (rotation, shift/scale, blur, noise, JPEG,
rotation and JPEG together, phone photos near and from afar)."""

import io
import random
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from jichitai.core import japanese
from jichitai.ocr.sample_layouts import GUIDE_PARTS as GUIDE_PARTS
from jichitai.ocr.sample_layouts import GUIDE_WORDS, LAYOUTS, Zone
from jichitai.ocr.sample_marks import CHECK_MARKS as CHECK_MARKS
from jichitai.ocr.sample_marks import check_mark
from jichitai.ocr.sample_marks import draw_check_mark as draw_check_mark
from jichitai.ocr.sample_scans import CONDITIONS as CONDITIONS
from jichitai.ocr.sample_scans import degrade as degrade
from jichitai.ocr.sample_values import (
    AREA_CODES,
    FAMILY,
    GIVEN,
    OTHER_FAMILY,
    OTHER_GIVEN,
    PLACES,
    RARE_FAMILY,
    RARE_GIVEN,
    mie_addresses,
)
from jichitai.ocr.template import Template, TemplateField

A4_MM = (210, 297)
PRINTED_FONTS = [
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
]
HANDWRITING_FONTS = [
    "/usr/share/fonts/truetype/seto/setofont.ttf",
    "/usr/share/fonts/truetype/kiloji/kiloji.ttf",
    "/usr/share/fonts/truetype/yozvox-yozfont/YOzRE_.ttf",
]
LABEL_FONT = PRINTED_FONTS[0]


def available(fonts: list[str]) -> list[str]:
    return [f for f in fonts if Path(f).exists()]


# Layouts filled from ``sample_values``' other lists of names and from every address of Mie.
OTHER_VALUES = ("kofu", "kokuho", "jisseki")
# The years a guided date of each printed era is drawn from.
ERA_YEARS = {"令和": (2020, 2025), "昭和": (1940, 1988)}


def wareki(day: date, style: str) -> str:
    era, number = japanese.era_year(day)
    if style == "short":
        return f"{era.letter}{number}.{day.month}.{day.day}"
    if style == "seireki":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{era.name}{number}年{day.month}月{day.day}日"


def random_values(layout: str, rng: random.Random) -> tuple[dict, dict]:
    """(what is written on the form, the normalised values expected back)."""
    if layout in OTHER_VALUES:
        rare = layout == "kokuho"
        family, family_kana = rng.choice(RARE_FAMILY if rare else OTHER_FAMILY)
        given, given_kana = rng.choice(RARE_GIVEN if rare else OTHER_GIVEN)
        postal, address = rng.choice(mie_addresses())
        if "郡" in address and rng.random() < 0.5:  # 度会郡玉城町 is written 玉城町 as often
            address = address.split("郡", 1)[1]
        area = next(
            (code for city, code in AREA_CODES.items() if address.startswith(city)),
            rng.choice(sorted(set(AREA_CODES.values()))),
        )
        address += rng.choice(
            [f"{rng.randint(1, 3000)}番地", f"{rng.randint(1, 40)}-{rng.randint(1, 30)}"]
        )
    else:
        family, family_kana = rng.choice(FAMILY)
        given, given_kana = rng.choice(GIVEN)
        postal, address = rng.choice(PLACES)
        number = rng.randint(1, 30)
        area = next(code for city, code in AREA_CODES.items() if address.startswith(city))
        address = f"{address}{number}-{rng.randint(1, 20)}"
    phone = rng.choice([area, area, "090", "080"])
    local = 6 - len(phone)  # a fixed line's area code and 市内局番 have 6 digits together
    phone = (
        f"{phone}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        if phone.startswith("0") and phone[1] in "89"
        else f"{phone}-{rng.randint(10 ** (local - 1) * 2, 10**local - 1)}-{rng.randint(1000, 9999)}"
    )
    style = rng.choice(["long", "long", "short", "seireki"])
    written, truth = {}, {}
    for zone in LAYOUTS[layout][1]:
        kind, name = zone.type, zone.name
        if kind == "text" and name == "name":
            written[name] = truth[name] = f"{family}{given}"
        elif kind == "text":
            written[name] = truth[name] = address
        elif kind == "kana":
            text = f"{family_kana}{given_kana}"
            written[name] = japanese.hiragana(text) if "ふり" in zone.label else text
            truth[name] = text
        elif kind == "date" and zone.era:
            day = date(rng.randint(*ERA_YEARS[zone.era]), rng.randint(1, 12), rng.randint(1, 28))
            written[name] = (str(japanese.era_year(day)[1]), str(day.month), str(day.day))
            truth[name] = day.isoformat()
        elif kind == "choice":
            written[name] = truth[name] = rng.choice(zone.options)
        elif kind == "date":
            day = date(rng.randint(1990, 2025), rng.randint(1, 12), rng.randint(1, 28))
            written[name] = wareki(day, style)
            truth[name] = day.isoformat()
        elif kind == "postal":
            written[name] = postal
            truth[name] = postal
        elif kind == "phone":
            # Written with valid hyphens, a phone number is kept as written.
            written[name] = truth[name] = phone
        elif kind == "amount":
            amount = rng.choice([rng.randint(1, 999) * 1000, rng.randint(10000, 5000000)])
            written[name] = f"{amount:,}"
            truth[name] = amount
        elif kind == "digits":
            digits = (
                f"24{rng.randint(0, 10 ** (zone.cells - 2) - 1):0{zone.cells - 2}d}"
                if zone.cells
                else str(rng.randint(1, 9))
                if zone.box_mm[2] <= 30
                else f"{rng.randint(0, 9999999):07d}"
            )
            written[name] = truth[name] = digits
        elif kind == "checkbox":
            checked = rng.random() < 0.5
            written[name] = checked
            truth[name] = checked
    return written, truth


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def blank_form(layout: str, dpi: int = 200) -> Image.Image:
    title, zones = LAYOUTS[layout]
    width, height = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    big = _font(LABEL_FONT, _px(7, dpi))
    small = _font(LABEL_FONT, _px(3.6, dpi))
    tiny = _font(LABEL_FONT, _px(2.6, dpi))
    draw.text((_px(20, dpi), _px(15, dpi)), title, font=big, fill=0)
    draw.text((_px(140, dpi), _px(18, dpi)), f"様式第{len(title)}号({layout})", font=small, fill=0)
    draw.text(
        (_px(20, dpi), _px(30, dpi)),
        "三重県 届出様式 ─ 太枠内を記入してください。",
        font=small,
        fill=0,
    )
    for zone in zones:
        x, y, w, h = zone.box_mm
        draw.text(
            (_px(x - 38 if x > 45 else 12, dpi), _px(y + h / 2 - 2, dpi)),
            zone.label,
            font=small,
            fill=0,
        )
        corners = [_px(x, dpi), _px(y, dpi), _px(x + w, dpi), _px(y + h, dpi)]
        if zone.round:
            draw.ellipse(corners, outline=0, width=max(2, dpi // 100))
        else:
            draw.rectangle(corners, outline=0, width=max(2, dpi // 100))
        for cell in range(1, zone.cells):
            cx = _px(x + w * cell / zone.cells, dpi)
            draw.line([cx, corners[1], cx, corners[3]], fill=0, width=max(1, dpi // 150))
        if zone.unit:
            draw.text((_px(x + w - 5, dpi), _px(y + h / 2 - 2, dpi)), zone.unit, font=small, fill=0)
        guides = [(zone.era if word == "era" else word, at) for word, at in GUIDE_WORDS]
        options = [(option, (i + 0.3) / len(zone.options)) for i, option in enumerate(zone.options)]
        for word, at in (guides if zone.era else []) + options:
            draw.text((_px(x + w * at, dpi), _px(y + h / 2 - 2, dpi)), word, font=small, fill=0)
    # Notes at the bottom give the alignment something to hold on to besides the boxes.
    notes = [
        "注意 1. 記入は黒のボールペンで、枠からはみ出さないように書いてください。",
        "2. 郵便番号・電話番号・金額は算用数字で記入してください。",
        "3. 日付は和暦(令和6年4月1日)または西暦で記入してください。",
        "この様式に記入された個人情報は、手続の目的以外には使用しません。",
    ]
    for index, line in enumerate(notes):
        draw.text((_px(20, dpi), _px(230 + index * 8, dpi)), line, font=tiny, fill=0)
    draw.rectangle([_px(15, dpi), _px(225, dpi), _px(195, dpi), _px(265, dpi)], outline=0, width=2)
    for cx, cy in ((8, 8), (A4_MM[0] - 14, 8), (8, A4_MM[1] - 14), (A4_MM[0] - 14, A4_MM[1] - 14)):
        draw.rectangle([_px(cx, dpi), _px(cy, dpi), _px(cx + 6, dpi), _px(cy + 6, dpi)], fill=0)
    draw.text(
        (_px(150, dpi), _px(280, dpi)),
        f"受付印  No.{sum(map(ord, layout)) % 97:02d}",
        font=small,
        fill=0,
    )
    return image


def _px_box(box_mm, dpi: int) -> tuple[int, int, int, int]:
    x, y, w, h = box_mm
    return (_px(x, dpi), _px(y, dpi), _px(w, dpi), _px(h, dpi))


def _option_boxes(zone: Zone) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each printed option's share of a choice's box (the option is printed in its middle)."""
    x, y, w, h = zone.box_mm
    share = w / max(1, len(zone.options))
    return [(o, (x + i * share + 1, y + 1, share - 2, h - 2)) for i, o in enumerate(zone.options)]


def _part_boxes(zone: Zone) -> dict[str, tuple[float, float, float, float]]:
    """The sub-zones of a guided date where the year, month and day are written."""
    if not zone.era:
        return {}
    x, y, w, h = zone.box_mm
    return {
        part: (x + w * at, y + 1, w * width, h - 2) for part, (at, width) in GUIDE_PARTS.items()
    }


def template_for(layout: str, dpi: int = 200) -> Template:
    fields = []
    for zone in LAYOUTS[layout][1]:
        x, y, w, h = zone.box_mm
        fields.append(
            TemplateField(
                name=zone.name,
                label=zone.label,
                type=zone.type,
                box=(_px(x, dpi), _px(y, dpi), _px(w, dpi), _px(h, dpi)),
                critical=zone.critical,
                options=[(option, _px_box(box, dpi)) for option, box in _option_boxes(zone)],
                era=zone.era,
                parts={part: _px_box(box, dpi) for part, box in _part_boxes(zone).items()},
            )
        )
    return Template(name=LAYOUTS[layout][0], dpi=dpi, fields=fields, reference=f"{layout}.png")


def filled_form(
    layout: str, written: dict, *, dpi: int = 200, font: str = PRINTED_FONTS[0], seed: int = 0
) -> Image.Image:
    rng = random.Random(seed)
    image = blank_form(layout, dpi)
    draw = ImageDraw.Draw(image)
    handwriting = font in HANDWRITING_FONTS
    # Most pages in black ballpoint, some in a pale pencil-like grey, some in a heavy felt pen.
    ink = rng.randint(150, 180) if rng.random() < 0.15 else 0
    heavy = not ink and rng.random() < 0.15
    if layout in OTHER_VALUES and not (ink or heavy) and rng.random() < 0.25:
        ink = rng.randint(90, 140)  # a worn ballpoint: grey, not the pale pencil's 150-180
    for zone in LAYOUTS[layout][1]:
        value = written.get(zone.name)
        x, y, w, h = (_px(v, dpi) for v in zone.box_mm)
        # Now and then one field in pale pencil on an otherwise dark page.
        pen = rng.randint(150, 185) if not ink and rng.random() < 0.04 else ink
        if zone.type == "checkbox":
            if value:
                check_mark(draw, (x, y, w, h), rng, pen, dpi, heavy=heavy, font=font)
            continue
        if zone.type == "choice" and value:
            circle_option(draw, zone, value, rng, pen, dpi)
            continue
        if zone.era and value:
            for part, number in zip(GUIDE_PARTS, value, strict=True):
                px, py, pw, ph = _px_box(_part_boxes(zone)[part], dpi)
                _write(draw, number, (px, py, pw, ph), font, handwriting, rng, pen, heavy, True)
            continue
        if zone.cells and value:
            cell = w / zone.cells
            for index, digit in enumerate(value):
                box = (int(x + index * cell), y, int(cell), h)
                _write(draw, digit, box, font, handwriting, rng, pen, heavy, True)
            continue
        if not value:
            continue
        if zone.unit:
            w -= _px(6, dpi)  # the writing stops before the printed 円
        _write(draw, value, (x, y, w, h), font, handwriting, rng, pen, heavy)
    return image


def _write(draw, value, box, font, handwriting, rng, ink, heavy=False, centred=False):
    """``value`` written in the box, by a printer or in a handwriting-style font's jittered hand;
    ``heavy``: in a felt pen, each stroke widened by about a twentieth of the characters' size (the
    counters of 日 or 副 fill in, 濁点 run into their kana)."""
    x, y, w, h = box
    size = int(h * rng.uniform(0.55, 0.7))
    stroke = max(1, size // 20) if heavy else 0
    font_obj = _font(font, size)
    text_width = draw.textlength(value, font=font_obj)
    if text_width > w * 0.92:
        size = int(size * w * 0.92 / text_width)
        font_obj = _font(font, size)
    text_width = draw.textlength(value, font=font_obj)
    cx = x + int((w - text_width) / 2 if centred else w * rng.uniform(0.03, 0.08))
    cy = y + (h - size) // 2 - int(size * 0.1)
    if handwriting:
        for ch in value:
            jitter = int(size * rng.uniform(-0.06, 0.06))
            char_font = _font(font, max(8, int(size * rng.uniform(0.92, 1.05))))
            fill = max(ink, rng.randint(0, 50))
            draw.text(
                (cx, cy + jitter),
                ch,
                font=char_font,
                fill=fill,
                stroke_width=stroke,
                stroke_fill=fill,
            )
            cx += int(draw.textlength(ch, font=char_font) * rng.uniform(0.98, 1.08))
    else:
        draw.text((cx, cy), value, font=font_obj, fill=ink, stroke_width=stroke, stroke_fill=ink)


def circle_option(draw, zone: Zone, value, rng, ink, dpi):
    """A ring drawn freehand around the chosen option: off centre, thin or thick, a bit too big."""
    x, y, w, h = zone.box_mm
    index = zone.options.index(value)
    left = x + w * (index + 0.3) / len(zone.options)  # where blank_form prints the option
    cx = _px(left + len(value) * 1.8 + rng.uniform(-1, 1), dpi)
    cy = _px(y + h / 2 + rng.uniform(-0.8, 0.8), dpi)
    rx = _px(len(value) * 1.8 + rng.uniform(1.5, 3), dpi)
    ry = _px(h * rng.uniform(0.36, 0.46), dpi)
    pen = rng.choice([1, 2, max(2, dpi // 70)])
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=ink, width=pen)


def write_template(directory: Path, layout: str, dpi: int = 200) -> Path:
    """Writes ``<layout>.json`` and its blank page into ``directory``; returns the JSON path."""
    directory.mkdir(parents=True, exist_ok=True)
    blank_form(layout, dpi).save(directory / f"{layout}.png")
    path = directory / f"{layout}.json"
    path.write_text(template_for(layout, dpi).to_json(), encoding="utf-8")
    return path


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
