"""Accessible charts drawn on the server as SVG (no scripts, no external files).

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that states the figures in
words, and uses presentation attributes only (no inline CSS, which the CSP forbids), so it
works in the browser and in WeasyPrint PDFs alike. Pages should still show the figures in a
table beside the chart. Values may be integers, floats or `"*"` (suppressed): a suppressed
value draws no bar and is labelled `*`.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Colour-blind-safe palette (Okabe–Ito) with enough contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
TEXT = "#1b1b1b"
GRID = "#b1b4b6"


def _number(value):
    return value if isinstance(value, int | float) else 0


def _label(value, unit):
    if value == "*":
        return "*"
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value:,}{unit}"


def _svg(width, height, title, desc, body, chart_id):
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return mark_safe(  # noqa: S308 - every text fragment in `body`, `title` and `desc` is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{title_id} {desc_id}" font-family="sans-serif">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def bar_chart(title, items, *, unit="", chart_id="chart", width=640, label_width=230):
    """Horizontal bars, one per `(label, value)`; returns safe SVG markup."""
    row, top = 26, 8
    height = top + row * len(items) + 8
    scale_max = max([_number(v) for _, v in items] + [1])
    bar_space = width - label_width - 70
    parts = []
    for index, (label, value) in enumerate(items):
        y = top + index * row
        length = round(bar_space * _number(value) / scale_max)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" fill="{PALETTE[0]}"></rect>'
            )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 17}" font-size="13" fill="{TEXT}">'
            f"{escape(_label(value, unit))}</text>"
        )
    desc = "; ".join(f"{label}: {_label(value, unit)}" for label, value in items) or "No data."
    return _svg(width, height, title, desc, "".join(parts), chart_id)


def line_chart(title, x_labels, series, *, unit="", chart_id="chart", width=640, height=260):
    """A line per `(name, values)` over `x_labels` (e.g. months); returns safe SVG markup."""
    left, right, top, bottom = 48, 28, 16, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [_number(v) for _, vals in series for v in vals]
    scale_max = max(values + [1])
    count = max(len(x_labels), 2)

    def x(i):
        return left + round(plot_w * i / (count - 1))

    def y(v):
        return top + plot_h - round(plot_h * _number(v) / scale_max)

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GRID}"></line>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="{TEXT}">'
        f"{escape(_label(scale_max, unit))}</text>",
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="{TEXT}">0</text>',
    ]
    step = max(1, len(x_labels) // 12)
    for i, label in enumerate(x_labels):
        if i % step == 0:
            parts.append(
                f'<text x="{x(i)}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" fill="{TEXT}">'
                f"{escape(label)}</text>"
            )
    for n, (name, vals) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(vals) if v != "*")
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"></polyline>')
        for i, v in enumerate(vals):
            if v != "*":
                parts.append(f'<circle cx="{x(i)}" cy="{y(v)}" r="3" fill="{colour}"></circle>')
        legend_y = height - 18 + 0 * n
        legend_x = left + n * 180
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"></rect>')
        parts.append(f'<text x="{legend_x + 18}" y="{legend_y}" font-size="12" fill="{TEXT}">{escape(name)}</text>')
    desc = " ".join(
        f"{name}: " + ", ".join(f"{lbl} {_label(v, unit)}" for lbl, v in zip(x_labels, vals, strict=False)) + "."
        for name, vals in series
    )
    return _svg(width, height, title, desc or "No data.", "".join(parts), chart_id)
