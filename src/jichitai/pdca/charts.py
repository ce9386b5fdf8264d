"""Target-vs-actual charts as SVG: inline in pages and embedded (as vectors) in PDF reports. Pages
carry two drawings of each chart (``responsive_svg``): the wide one, and below ~600 px a narrow one
(``narrow_svg``) drawn at about the phone's own width so that its labels stay readable."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 520, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 50


# The PDF reports' own fonts: WeasyPrint draws an inline SVG apart from the page's stylesheet, and
# left to the system's default its text took whatever fontconfig found first. Pages set the site's
# font on the charts in their stylesheet, which takes precedence over this attribute.
FONT_FAMILY = "IPAexGothic, 'Noto Sans CJK JP', sans-serif"

LABEL_SIZE = 10
LINE = LABEL_SIZE + 2
# Width of one character of a value label (digits, comma, point) at LABEL_SIZE, with a margin: the
# fonts embedded in reports draw digits at about 0.55 em.
CHAR_WIDTH = LABEL_SIZE * 0.62


def _intersects(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place(box: tuple, taken: list[tuple]) -> tuple:
    """Moves a label's box up, a line at a time, until it overlaps no bar and no other label."""
    while any(_intersects(box, other) for other in taken):
        box = (box[0], box[1] - LINE, box[2], box[3] - LINE)
    return box


def _value_text(value: float, decimals: int | None) -> str:
    """A bar's value as the report's table prints it (10.0 for a 1-decimal percentage)."""
    if decimals is None:
        decimals = 1 if value % 1 else 0
    return f"{value:,.{decimals}f}"


def has_figures(points: list[dict]) -> bool:
    """Whether a chart of these points has a single bar: axes without any read as a broken
    drawing, and pages say so in words instead."""
    return any(point.get(key) is not None for point in points for key in ("target", "actual"))


def target_actual_svg(
    points: list[dict], *, title: str, unit: str, decimals: int | None = None
) -> SafeString:
    """Bars for targets (outlined) and actuals (filled) per 年度, labelled with their values
    (with the indicator's ``decimals``); a label that would overlap a bar or another label moves
    up until it is clear."""
    values = [p[key] for p in points for key in ("target", "actual") if p.get(key) is not None]
    # All zero (a new plan whose live figure is 0 so far) still needs a height to scale to.
    top = max(values) * 1.15 if values and max(values) > 0 else 1
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    bar = slot * 0.3

    def y(value: float) -> float:
        return TOP + plot_height - plot_height * (value / top)

    bars, labels = [], []
    for index, point in enumerate(points):
        x = LEFT + slot * index + slot * 0.15
        for offset, key in ((0, "target"), (bar, "actual")):
            value = point.get(key)
            if value is not None:
                bars.append((key, x + offset, y(value), x + offset + bar, TOP + plot_height))
    taken = [box[1:] for box in bars]
    for index, point in enumerate(points):
        x = LEFT + slot * index + slot * 0.15
        for offset, key in ((0, "target"), (bar, "actual")):
            value = point.get(key)
            if value is None:
                continue
            text = _value_text(value, decimals)
            centre, width = x + offset + bar / 2, len(text) * CHAR_WIDTH + 2
            baseline = y(value) - 3
            box = _place(
                (centre - width / 2, baseline - LABEL_SIZE, centre + width / 2, baseline + 2),
                taken,
            )
            taken.append(box)
            labels.append((centre, box[3] - 2, text))
    view_top = min([0.0] + [box[1] - 2 for box in taken])

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {view_top:.1f} {WIDTH} {HEIGHT - view_top:.1f}" role="img" aria-label="{escape(title)}" class="kpi-chart" font-family="{FONT_FAMILY}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" stroke="#1a1a1a" stroke-width="1"/>',
        f'<text x="{LEFT - 8}" y="{TOP + 4}" text-anchor="end" font-size="11" fill="#4d4d4d">{escape(unit)}</text>',
    ]
    for index, point in enumerate(points):
        x = LEFT + slot * index + slot * 0.15
        parts.append(
            f'<text x="{x + bar}" y="{HEIGHT - 28}" text-anchor="middle" font-size="12" fill="#1a1a1a">{escape(point["label"])}</text>'
        )
    styles = {
        "target": 'fill="#ffffff" stroke="#0017c1" stroke-width="2"',
        "actual": 'fill="#0017c1"',
    }
    for key, x0, top_y, x1, bottom in bars:
        parts.append(
            f'<rect x="{x0:.1f}" y="{top_y:.1f}" width="{x1 - x0:.1f}" height="{bottom - top_y:.1f}" {styles[key]}/>'
        )
    for centre, baseline, text in labels:
        parts.append(
            f'<text x="{centre:.1f}" y="{baseline:.1f}" text-anchor="middle" font-size="{LABEL_SIZE}" fill="#1a1a1a">{text}</text>'
        )
    parts.append(
        f'<rect x="{LEFT}" y="{HEIGHT - 16}" width="12" height="10" fill="#ffffff" stroke="#0017c1" stroke-width="2"/><text x="{LEFT + 16}" y="{HEIGHT - 7}" font-size="11">{escape(_("目標値"))}</text>'
    )
    parts.append(
        f'<rect x="{LEFT + 70}" y="{HEIGHT - 16}" width="12" height="10" fill="#0017c1"/><text x="{LEFT + 86}" y="{HEIGHT - 7}" font-size="11">{escape(_("実績値"))}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text inside is escaped above)


# The narrow drawing is 320 units wide: a 360 px phone shows it at 328 px (its 16 px margins off),
# so a unit is about a pixel and 13-unit text is at least 12 px even in a slightly narrower box.
NARROW_WIDTH = 320
NARROW_FONT = 13
NARROW_BAR = 14
NARROW_GAP = 4
NARROW_YEAR_GAP = 10
NARROW_LEGEND = 24


def text_width(text: str, size: float) -> float:
    """How wide a label draws: ASCII digits and signs at about 0.62 em, Japanese at 1 em."""
    return sum(size * (0.62 if ord(char) < 128 else 1.0) for char in text)


def narrow_svg(
    points: list[dict], *, title: str, unit: str, decimals: int | None = None
) -> SafeString:
    """The chart for a phone: one line per 年度 with its target bar (outlined) above its actual bar
    (filled), each bar's value written after its end. Every label has a row of its own, so no two
    labels can overlap, and the text is 13 units high in a drawing about as wide as the screen."""
    texts = [
        _value_text(point[key], decimals)
        for point in points
        for key in ("target", "actual")
        if point.get(key) is not None
    ]
    values = [p[key] for p in points for key in ("target", "actual") if p.get(key) is not None]
    top = max(values) if values and max(values) > 0 else 1
    left = max([text_width(point["label"], NARROW_FONT) for point in points] + [0]) + 8
    room = max([text_width(text, NARROW_FONT) for text in texts] + [0]) + 6
    longest = NARROW_WIDTH - left - room
    block = 2 * NARROW_BAR + NARROW_GAP + NARROW_YEAR_GAP
    height = NARROW_LEGEND + block * len(points) + 2
    legend_y = NARROW_FONT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {NARROW_WIDTH} {height}" role="img" aria-label="{escape(title)}" class="kpi-chart-narrow" font-family="{FONT_FAMILY}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="{legend_y - 11}" width="12" height="11" fill="#ffffff" stroke="#0017c1" stroke-width="2"/>',
        f'<text x="16" y="{legend_y}" font-size="{NARROW_FONT}" fill="#1a1a1a">{escape(_("目標値"))}</text>',
        f'<rect x="72" y="{legend_y - 11}" width="12" height="11" fill="#0017c1"/>',
        f'<text x="88" y="{legend_y}" font-size="{NARROW_FONT}" fill="#1a1a1a">{escape(_("実績値"))}</text>',
        f'<text x="{NARROW_WIDTH}" y="{legend_y}" text-anchor="end" font-size="{NARROW_FONT}" fill="#4d4d4d">{escape(unit)}</text>',
    ]
    styles = {
        "target": 'fill="#ffffff" stroke="#0017c1" stroke-width="2"',
        "actual": 'fill="#0017c1"',
    }
    for index, point in enumerate(points):
        y0 = NARROW_LEGEND + block * index
        middle = y0 + NARROW_BAR + NARROW_GAP / 2
        parts.append(
            f'<text x="0" y="{middle + NARROW_FONT * 0.35:.1f}" font-size="{NARROW_FONT}" fill="#1a1a1a">{escape(point["label"])}</text>'
        )
        parts.append(
            f'<line x1="{left - 2}" y1="{y0 - 2}" x2="{left - 2}" y2="{y0 + 2 * NARROW_BAR + NARROW_GAP + 2}" stroke="#1a1a1a" stroke-width="1"/>'
        )
        for row, key in enumerate(("target", "actual")):
            value = point.get(key)
            if value is None:
                continue
            y = y0 + row * (NARROW_BAR + NARROW_GAP)
            # The outline of a target bar is drawn even at 0, so a zero target is still seen.
            length = max(longest * value / top, 1)
            parts.append(
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{NARROW_BAR}" {styles[key]}/>'
            )
            parts.append(
                f'<text x="{left + length + 4:.1f}" y="{y + NARROW_BAR / 2 + NARROW_FONT * 0.35:.1f}" font-size="{NARROW_FONT}" fill="#1a1a1a">{_value_text(value, decimals)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text inside is escaped above)


def responsive_svg(
    points: list[dict], *, title: str, unit: str, decimals: int | None = None
) -> SafeString:
    """Both drawings of a chart for a page; the style sheet shows the narrow one below ~600 px."""
    wide = target_actual_svg(points, title=title, unit=unit, decimals=decimals)
    narrow = narrow_svg(points, title=title, unit=unit, decimals=decimals)
    return mark_safe(f'<div class="chart">{wide}{narrow}</div>')  # noqa: S308  (both escaped)
