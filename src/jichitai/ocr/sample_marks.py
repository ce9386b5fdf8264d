"""How people mark a check box on the synthetic forms of ``samples``: ✓ ✗ ○, a fill, a line through,
and the marks easy to miss (thin, small, pale, over the border), in a thin, a usual or a heavy pen."""

from PIL import ImageFont

# How people mark a check box, as often as they are drawn: a ✓ with a thin or thick pen, a ✗, a ○,
# a fill, a line through; and the marks that are easy to miss: a small thin ✗, a small ○ off the
# box's centre, a tick in a pale pen, a ✓ whose long stroke runs out of the box, one short diagonal
# stroke, a box scribbled over, a small tick in a corner across the box's border; and a ○ or a ✗ as
# big as the usual ones drawn with a fine pen (one pixel wide: at 150 dpi, rotated or in JPEG, the
# palest of them); a レ, ○ or × written as a character in the page's font, and a ✓ drawn in one
# curved stroke that ends in a hook.
CHECK_MARKS = (
    "tick",
    "tick",
    "thin",
    "thin",
    "small",
    "short",
    "cross",
    "ring",
    "tiny ring",
    "fill",
    "line",
    "small cross",
    "off-centre ring",
    "pale tick",
    "overrun tick",
    "slash",
    "scribble",
    "corner tick",
    "thin ring",
    "thin cross",
    "written",
    "curved tick",
)
_THIN_MARKS = (
    "thin",
    "ring",
    "small",
    "short",
    "tiny ring",
    "line",
    "small cross",
    "slash",
    "thin ring",
    "thin cross",
)


def check_mark(draw, box, rng, ink, dpi, *, heavy=False, font=""):
    """A box marked one of the ways of ``CHECK_MARKS``, chosen at random."""
    draw_check_mark(draw, box, rng.choice(CHECK_MARKS), rng, ink, dpi, heavy=heavy, font=font)


def draw_check_mark(draw, box, style, rng, ink, dpi, *, heavy=False, font=""):
    """The box at ``box`` (x, y, w, h in pixels) marked the way ``style`` of ``CHECK_MARKS`` says;
    ``heavy``: with a felt pen, strokes about twice as wide; ``font``: the font a "written" mark
    is written in."""
    x, y, w, h = box
    if style == "written" and font:
        size = int(min(w, h) * rng.uniform(0.7, 1.0))
        glyph = ImageFont.truetype(font, max(8, size))
        cx = x + w / 2 + w * rng.uniform(-0.1, 0.1)
        cy = y + h / 2 + h * rng.uniform(-0.1, 0.1)
        draw.text((cx, cy), rng.choice("レレ○×"), font=glyph, fill=ink, anchor="mm")
        return
    pen = 1 if style in _THIN_MARKS else max(3, dpi // 60)
    if heavy:
        pen = max(2 * pen, dpi // 40)

    def at(fx, fy):
        return (x + w * fx, y + h * fy)

    if style == "short":
        # A quick flick: two short thin strokes in the middle of the box.
        draw.line([at(0.38, 0.52), at(0.47, 0.64), at(0.62, 0.4)], fill=ink, width=pen)
    elif style == "tiny ring":
        draw.ellipse([*at(0.35, 0.35), *at(0.65, 0.65)], outline=ink, width=1)
    elif style == "small":
        # A small quick tick in one corner of the box.
        draw.line([at(0.3, 0.55), at(0.42, 0.7), at(0.65, 0.3)], fill=ink, width=pen)
    elif style == "line":
        draw.line([at(0.1, 0.85), at(0.9, 0.15)], fill=ink, width=pen)
    elif style in ("tick", "thin"):
        draw.line([at(0.2, 0.5), at(0.45, 0.8), at(0.85, 0.15)], fill=ink, width=pen)
    elif style == "thin ring":
        draw.ellipse([*at(0.18, 0.18), *at(0.82, 0.82)], outline=ink, width=pen)
    elif style == "thin cross":
        draw.line([at(0.22, 0.22), at(0.78, 0.78)], fill=ink, width=pen)
        draw.line([at(0.78, 0.22), at(0.22, 0.78)], fill=ink, width=pen)
    elif style == "cross":
        draw.line([at(0.25, 0.25), at(0.75, 0.75)], fill=ink, width=pen)
        draw.line([at(0.75, 0.25), at(0.25, 0.75)], fill=ink, width=pen)
    elif style == "ring":
        draw.ellipse([*at(0.2, 0.2), *at(0.8, 0.8)], outline=ink, width=2)
    elif style == "fill":
        draw.rectangle([*at(0.25, 0.25), *at(0.75, 0.75)], fill=ink or 60)
    elif style == "small cross":
        cx, cy, r = rng.uniform(0.4, 0.6), rng.uniform(0.4, 0.6), rng.uniform(0.1, 0.16)
        draw.line([at(cx - r, cy - r), at(cx + r, cy + r)], fill=ink, width=pen)
        draw.line([at(cx + r, cy - r), at(cx - r, cy + r)], fill=ink, width=pen)
    elif style == "off-centre ring":
        cx, cy, r = rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65), rng.uniform(0.12, 0.18)
        draw.ellipse([*at(cx - r, cy - r), *at(cx + r, cy + r)], outline=ink, width=1)
    elif style == "pale tick":
        # A dry pen or a pencil: a thin tick in a grey the page's other writing is not.
        pale = max(ink, rng.randint(150, 190))
        draw.line([at(0.3, 0.5), at(0.45, 0.7), at(0.7, 0.3)], fill=pale, width=rng.choice([1, 2]))
    elif style == "overrun tick":
        # The short stroke in the box, the long one out past its top right corner.
        start = rng.uniform(0.3, 0.45)
        draw.line(
            [at(start, 0.5), at(start + 0.15, 0.75), at(rng.uniform(1.1, 1.4), -0.3)],
            fill=ink,
            width=rng.choice([1, 2]),
        )
    elif style == "corner tick":
        # Small, low in the box and over its border: little of it is in the box's middle.
        left = rng.uniform(-0.15, 0.1)
        draw.line(
            [at(left, 0.7), at(left + 0.12, 0.95), at(left + 0.35, 0.55)],
            fill=ink,
            width=rng.choice([1, 2]),
        )
    elif style == "curved tick":
        # One stroke: down into a rounded bottom, up and out in a long curve, jittered by the hand.
        points = [(0.22 + 0.25 * t, 0.45 + 0.35 * t * t) for t in (0, 0.25, 0.5, 0.75, 1)]
        points += [(0.47 + 0.4 * t, 0.8 - 0.65 * t**0.7) for t in (0.2, 0.4, 0.6, 0.8, 1)]
        draw.line(
            [at(fx + rng.uniform(-0.02, 0.02), fy + rng.uniform(-0.02, 0.02)) for fx, fy in points],
            fill=ink,
            width=rng.choice([1, 2, pen]),
            joint="curve",
        )
    elif style == "slash":
        # One short stroke across the middle.
        draw.line([at(0.35, 0.65), at(0.65, 0.35)], fill=ink, width=pen)
    else:
        # Scribbled over: strokes back and forth across the box, some beyond its border.
        points = [at(rng.uniform(0.1, 0.3), rng.uniform(0.15, 0.3))]
        for index in range(rng.randint(5, 8)):
            side = 0.8 + rng.uniform(0, 0.2) if index % 2 == 0 else rng.uniform(0.0, 0.2)
            points.append(at(side, 0.15 + 0.7 * (index + 1) / 8))
        draw.line(points, fill=ink, width=rng.choice([1, 2, 3]))
