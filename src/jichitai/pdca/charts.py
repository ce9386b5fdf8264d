"""Target-vs-actual charts as SVG: inline in pages and embedded (as vectors) in PDF reports."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 520, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 50


def target_actual_svg(points: list[dict], *, title: str, unit: str) -> SafeString:
    """Bars for targets (outlined) and actuals (filled) per 年度, labelled with their values."""
    values = [p[key] for p in points for key in ("target", "actual") if p.get(key) is not None]
    # All zero (a new plan whose live figure is 0 so far) still needs a height to scale to.
    top = max(values) * 1.15 if values and max(values) > 0 else 1
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    bar = slot * 0.3

    def y(value: float) -> float:
        return TOP + plot_height - plot_height * (value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" class="kpi-chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" stroke="#1a1a1a" stroke-width="1"/>',
        f'<text x="{LEFT - 8}" y="{TOP + 4}" text-anchor="end" font-size="11" fill="#4d4d4d">{escape(unit)}</text>',
    ]
    for index, point in enumerate(points):
        x = LEFT + slot * index + slot * 0.15
        parts.append(
            f'<text x="{x + bar}" y="{HEIGHT - 28}" text-anchor="middle" font-size="12" fill="#1a1a1a">{escape(point["label"])}</text>'
        )
        for offset, key, style in (
            (0, "target", 'fill="#ffffff" stroke="#0017c1" stroke-width="2"'),
            (bar, "actual", 'fill="#0017c1"'),
        ):
            value = point.get(key)
            if value is None:
                continue
            top_y = y(value)
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{top_y:.1f}" width="{bar:.1f}" height="{TOP + plot_height - top_y:.1f}" {style}/>'
            )
            parts.append(
                f'<text x="{x + offset + bar / 2:.1f}" y="{top_y - 4:.1f}" text-anchor="middle" font-size="10" fill="#1a1a1a">{value:,.1f}</text>'
                if value % 1
                else f'<text x="{x + offset + bar / 2:.1f}" y="{top_y - 4:.1f}" text-anchor="middle" font-size="10" fill="#1a1a1a">{value:,.0f}</text>'
            )
    parts.append(
        f'<rect x="{LEFT}" y="{HEIGHT - 16}" width="12" height="10" fill="#ffffff" stroke="#0017c1" stroke-width="2"/><text x="{LEFT + 16}" y="{HEIGHT - 7}" font-size="11">目標値</text>'
    )
    parts.append(
        f'<rect x="{LEFT + 70}" y="{HEIGHT - 16}" width="12" height="10" fill="#0017c1"/><text x="{LEFT + 86}" y="{HEIGHT - 7}" font-size="11">実績値</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text inside is escaped above)
