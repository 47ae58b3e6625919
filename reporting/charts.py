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


#: What a chart says instead of drawing, where every figure it would draw is suppressed.
NOTHING_TO_SHOW = "Too few to show"
#: Rough width of one character at font size 1 in DejaVu Sans (the PDF's font): wide enough
#: that a wrapped line never runs past the label column.
CHAR_WIDTH = 0.62


def _hidden(value):
    return not isinstance(value, int | float)


def _wrap(label, width, font_size):
    """The label split into lines that fit `width` pixels at `font_size` (words are never cut)."""
    per_line = max(8, int(width / (font_size * CHAR_WIDTH)))
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > per_line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines or [""]


def _nice_step(peak, ticks=5):
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals up to `peak`."""
    raw = max(peak, 1) / ticks
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            return multiple * magnitude
    return 10 * magnitude


def _nothing_to_show(title, names, chart_id, width):
    message = f"{NOTHING_TO_SHOW}: every figure in this chart is hidden to protect the people it describes."
    body = f'<text x="0" y="20" font-size="13" fill="{TEXT}">{escape(message)}</text>'
    desc = f"{_join(names)}: too few to show." if names else "Too few to show."
    return _svg(width, 32, title, desc, body, chart_id)


def _join(names):
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def bar_chart(title, items, *, unit="", chart_id="chart", width=640, label_width=230, font_size=13):
    """Horizontal bars, one per `(label, value)`; returns safe SVG markup.

    A label too long for `label_width` is wrapped onto more lines (its row grows), never clipped.
    A chart whose every value is suppressed says so instead of listing empty rows.
    """
    if items and all(_hidden(value) for _, value in items):
        return _nothing_to_show(title, [], chart_id, width)
    line_height, pad, top = font_size + 3, 10, 8
    wrapped = [_wrap(label, label_width - 8, font_size) for label, _ in items]
    scale_max = max([_number(v) for _, v in items] + [1])
    bar_space = width - label_width - 70
    parts = []
    y = top
    for (_, value), lines in zip(items, wrapped, strict=True):
        row = max(26, len(lines) * line_height + pad)
        middle = y + row / 2
        first = middle - (len(lines) - 1) * line_height / 2 + font_size * 0.35
        spans = "".join(
            f'<tspan x="{label_width - 8}" y="{first + n * line_height:g}">{escape(text)}</tspan>'
            for n, text in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end" font-size="{font_size}" fill="{TEXT}">{spans}</text>')
        length = round(bar_space * _number(value) / scale_max)
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{middle - 9:g}" width="{length}" height="18" fill="{PALETTE[0]}"></rect>'
            )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{middle + font_size * 0.35:g}" font-size="{font_size}" '
            f'fill="{TEXT}">{escape(_label(value, unit))}</text>'
        )
        y += row
    desc = "; ".join(f"{label}: {_label(value, unit)}" for label, value in items) or "No data."
    return _svg(width, round(y + 8), title, desc, "".join(parts), chart_id)


def line_chart(title, x_labels, series, *, unit="", chart_id="chart", width=640, height=260):
    """A line per `(name, values)` over `x_labels` (e.g. months); returns safe SVG markup.

    A series whose every value is suppressed draws nothing and has no legend entry: the chart
    says "too few to show" for it instead; if every series is suppressed, so is the chart.
    The value axis has round ticks (1, 2 or 5 times a power of ten) from 0 to at least the peak.
    """
    shown = [(name, vals) for name, vals in series if any(not _hidden(v) for v in vals)]
    hidden = [name for name, vals in series if all(_hidden(v) for v in vals)]
    if not shown:
        return _nothing_to_show(title, hidden, chart_id, width)
    left, right, top, bottom = 48, 28, 16, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([_number(v) for _, vals in shown for v in vals] + [1])
    step = _nice_step(peak)
    if isinstance(peak, int) and step < 1:
        step = 1
    scale_max = step * -(-peak // step)
    count = max(len(x_labels), 2)

    def x(i):
        return left + round(plot_w * i / (count - 1))

    def y(v):
        return top + plot_h - round(plot_h * _number(v) / scale_max)

    parts = []
    tick = 0
    while tick <= scale_max:
        parts.append(
            f'<line x1="{left}" y1="{y(tick)}" x2="{left + plot_w}" y2="{y(tick)}" stroke="{GRID}" '
            f'stroke-width="{1 if tick == 0 else 0.5}"></line>'
        )
        parts.append(
            f'<text class="tick" x="{left - 6}" y="{y(tick) + 4}" text-anchor="end" font-size="11" fill="{TEXT}">'
            f"{escape(_label(tick, unit))}</text>"
        )
        tick += step
    label_step = max(1, -(-len(x_labels) // 12))
    for i, label in enumerate(x_labels):
        if i % label_step == 0:
            parts.append(
                f'<text x="{x(i)}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" fill="{TEXT}">'
                f"{escape(label)}</text>"
            )
    legend_y = height - 18
    for n, (name, vals) in enumerate(shown):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(vals) if not _hidden(v))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"></polyline>')
        for i, v in enumerate(vals):
            if not _hidden(v):
                parts.append(f'<circle cx="{x(i)}" cy="{y(v)}" r="3" fill="{colour}"></circle>')
        legend_x = left + n * 220
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"></rect>')
        parts.append(f'<text x="{legend_x + 18}" y="{legend_y}" font-size="12" fill="{TEXT}">{escape(name)}</text>')
    if hidden:
        note = f"{_join(hidden)}: too few to show."
        parts.append(
            f'<text x="{left + len(shown) * 220}" y="{legend_y}" font-size="12" fill="{TEXT}">{escape(note)}</text>'
        )
    desc = " ".join(
        f"{name}: " + ", ".join(f"{lbl} {_label(v, unit)}" for lbl, v in zip(x_labels, vals, strict=False)) + "."
        for name, vals in shown
    )
    if hidden:
        desc += f" {_join(hidden)}: too few to show."
    return _svg(width, height, title, desc.strip(), "".join(parts), chart_id)
