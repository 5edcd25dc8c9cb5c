"""Small hand-made SVG charts for the scorecards: inline, offline, no plotting library at run time.

Why by hand: three chart shapes (bars, stacked bars, a weekly line) are all
the scorecard needs; SVG text uses the page's fonts (CJK agent ids render),
output is deterministic, and matplotlib stays a notebook-only dependency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

COLOURS = {
    "flattery": "#a21caf", "pressure": "#dc2626", "rebate_request": "#b45309", "rebate_offer": "#c2410c",
    "pii_disclosure": "#0e7490", "total": "#1d4ed8", "compliance": "#15803d",
}
FONT = 'font-family="inherit" font-size="12"'


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def bar_chart(values: Mapping[str, float], labels: Mapping[str, str], *, title: str, unit: str = "",
              width: int = 560) -> Markup:
    """Horizontal bars, one per key, coloured by category."""
    row, left, right = 24, 190, 60
    height = row * len(values) + 34
    top = max(values.values(), default=0) or 1
    parts = [_open(width, height, title), _title(title)]
    for i, (key, value) in enumerate(values.items()):
        y = 28 + i * row
        length = (width - left - right) * value / top
        parts.append(Markup('<text x="{0}" y="{1}" text-anchor="end" {2}>{3}</text>').format(
            left - 8, y + 13, Markup(FONT), labels.get(key, key)))
        parts.append(Markup('<rect x="{0}" y="{1}" width="{2:.1f}" height="16" fill="{3}"><title>{4}: {5}{6}</title>'
                            '</rect>').format(left, y + 1, length, COLOURS.get(key, "#6b7280"), labels.get(key, key),
                                              _fmt(value), unit))
        parts.append(Markup('<text x="{0:.1f}" y="{1}" {2}>{3}{4}</text>').format(
            left + length + 5, y + 13, Markup(FONT), _fmt(value), unit))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def stacked_bars(rows: Mapping[str, Mapping[str, float]], categories: Sequence[str], labels: Mapping[str, str], *,
                 title: str, width: int = 760) -> Markup:
    """One horizontal stacked bar per row (agent), one segment per category, with a legend."""
    row, left, right = 26, 120, 60
    legend_h = 22
    height = row * len(rows) + 34 + legend_h
    top = max((sum(r.values()) for r in rows.values()), default=0) or 1
    parts = [_open(width, height, title), _title(title)]
    for i, (name, values) in enumerate(rows.items()):
        y, x = 28 + i * row, float(left)
        parts.append(Markup('<text x="{0}" y="{1}" text-anchor="end" {2}>{3}</text>').format(
            left - 8, y + 14, Markup(FONT), name))
        for category in categories:
            length = (width - left - right) * values.get(category, 0) / top
            if length > 0:
                parts.append(Markup('<rect x="{0:.1f}" y="{1}" width="{2:.1f}" height="18" fill="{3}"><title>{4}: {5}'
                                    '</title></rect>').format(x, y, length, COLOURS.get(category, "#6b7280"),
                                                              labels.get(category, category),
                                                              _fmt(values.get(category, 0))))
            x += length
        parts.append(Markup('<text x="{0:.1f}" y="{1}" {2}>{3}</text>').format(
            x + 5, y + 14, Markup(FONT), _fmt(sum(values.values()))))
    parts.append(_legend(categories, labels, height - legend_h + 6, width))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def line_chart(points: Sequence[tuple[str, float | None]], *, title: str, colour: str = COLOURS["total"],
               unit: str = "", y_max: float | None = None, width: int = 560, height: int = 200) -> Markup:
    """A weekly line: x = labels in order, y = values (None leaves a gap)."""
    left, right, top_pad, bottom = 44, 36, 28, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    known = [v for _, v in points if v is not None]
    top = y_max if y_max is not None else (max(known, default=0) or 1) * 1.15
    step = plot_w / max(len(points) - 1, 1)
    parts = [_open(width, height, title), _title(title), _axes(left, top_pad, plot_w, plot_h, top, unit)]
    coords = []
    for i, (label, value) in enumerate(points):
        x = left + (i * step if len(points) > 1 else plot_w / 2)
        parts.append(Markup('<text x="{0:.1f}" y="{1}" text-anchor="middle" {2}>{3}</text>').format(
            x, height - 12, Markup(FONT), label))
        if value is not None:
            y = top_pad + plot_h * (1 - value / top)
            coords.append((x, y))
            parts.append(Markup('<circle cx="{0:.1f}" cy="{1:.1f}" r="3.5" fill="{2}"><title>{3}: {4}{5}</title>'
                                '</circle>').format(x, y, colour, label, _fmt(value), unit))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.insert(3, Markup('<polyline points="{0}" fill="none" stroke="{1}" stroke-width="2"/>').format(
            path, colour))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _open(width: int, height: int, title: str) -> Markup:
    return Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {1}" width="{0}" height="{1}" '
                  'role="img" aria-label="{2}">').format(width, height, title)


def _title(title: str) -> Markup:
    return Markup('<text x="4" y="16" font-family="inherit" font-size="13" font-weight="bold">{0}</text>').format(
        escape(title))


def _axes(left: int, top: int, plot_w: float, plot_h: float, y_top: float, unit: str) -> Markup:
    lines = [Markup('<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#9ca3af"/>'
                    '<line x1="{0}" y1="{2}" x2="{3}" y2="{2}" stroke="#9ca3af"/>').format(
        left, top, top + plot_h, left + plot_w)]
    for fraction in (0.5, 1.0):
        y = top + plot_h * (1 - fraction)
        lines.append(Markup('<line x1="{0}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#e5e7eb"/>'
                            '<text x="{3}" y="{4:.1f}" text-anchor="end" {5}>{6}{7}</text>').format(
            left, y, left + plot_w, left - 4, y + 4, Markup(FONT), _fmt(y_top * fraction), unit))
    return Markup("").join(lines)


def _legend(categories: Sequence[str], labels: Mapping[str, str], y: float, width: int) -> Markup:
    """Swatch + label per category, each slot as wide as its label (approximate glyph width)."""
    parts, x = [], 8.0
    for category in categories:
        label = labels.get(category, category)
        parts.append(Markup('<rect x="{0:.1f}" y="{1:.1f}" width="10" height="10" fill="{2}"/>'
                            '<text x="{3:.1f}" y="{4:.1f}" font-family="inherit" font-size="11">{5}</text>').format(
            x, y, COLOURS.get(category, "#6b7280"), x + 14, y + 9, label))
        x += 14 + 6.5 * len(label) + 14
    return Markup("").join(parts)
