"""Line charts for reports, written directly as SVG; PNG (for Word) rasterised by vl-convert.

Why not altair + vl-convert for the drawing, as STACK.md suggests: measured here, vl-convert
takes 70–100 ms per chart (SVG) and altair's spec validation another 60 ms, so a Lägesbild
with 15 charts took 2.5–3 s for the charts alone and 290 municipalities would take about six
minutes. A plain line chart is a few dozen SVG elements; writing them takes well under a
millisecond, keeps real text (searchable in the PDF) and lets us format every number the
Swedish way. The PNG that Word needs comes from the same SVG, rasterised by typst (to_png).

Colours are the Okabe–Ito palette (safe for colour-blind readers) and never carry meaning
alone: each group has its own marker shape, and the comparison area (Riket) is dashed.
Every chart is drawn once per report; `render` keeps recent charts in a small cache.
"""

import hashlib
import math
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from threading import Lock

from .formatting import number

# Okabe & Ito (2008), the darker ones first: all reach 3:1 against white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8F6A00", "#4D4D4D"]
SHAPES = ["circle", "square", "triangle", "diamond", "cross", "triangle-down"]
DASHES = ["", "7 4", "2 3"]
INK = "#1b1b1b"
GRID = "#d5d9dd"
FONT = "DejaVu Sans, Noto Sans, sans-serif"

WIDTH, PLOT_HEIGHT = 640, 260
LEFT, RIGHT, TOP = 64, 20, 24
# The legend sits below the plot in columns as wide as the longest label (at most half the
# width; longer labels wrap), so ten series with long Swedish names stay apart.
LEGEND_LEFT, LEGEND_SWATCH, LEGEND_GAP, LINE_HEIGHT = 14, 42, 18, 15
TARGET_INK = "#1b1b1b"


def _em(ch):
    """A generous width of one character in em: at least DejaVu Sans's (the widest font the
    SVG names), so an estimate never undercuts the real text."""
    if ch in "ijlI.,:;'!|()[] -–tfr/":
        return 0.42
    if ch in "mwMW%":
        return 1.0
    if ch.isupper():
        return 0.8
    return 0.66


def text_width(text, size=12, bold=False):
    """Estimated width of `text` at font size `size` (px in the SVG, pt in a PDF)."""
    return sum(_em(ch) for ch in text) * size * (1.12 if bold else 1.0)


def wrap(text, width, size=12):
    """`text` as lines of at most `width` (estimated); a word longer than that stays whole."""
    lines = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Series:
    label: str  # the group, e.g. "Utrikes födda"
    place: str  # the area, e.g. "Karlshamns kommun" or "Riket"
    values: tuple  # ((year, value or None), …) in year order


def nice_ticks(low, high, count=5):
    """Round tick values covering [low, high] (steps of 1, 2 or 5 × 10ⁿ)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks, step


def _marker(shape, x, y, colour):
    s = 4.5
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s}" height="{2 * s}" fill="{colour}"/>'
    if shape == "triangle":
        d = f"M{x:.1f} {y - s - 1:.1f}L{x + s + 1:.1f} {y + s:.1f}L{x - s - 1:.1f} {y + s:.1f}Z"
    elif shape == "triangle-down":
        d = f"M{x:.1f} {y + s + 1:.1f}L{x + s + 1:.1f} {y - s:.1f}L{x - s - 1:.1f} {y - s:.1f}Z"
    elif shape == "diamond":
        d = f"M{x:.1f} {y - s - 1:.1f}L{x + s + 1:.1f} {y:.1f}L{x:.1f} {y + s + 1:.1f}L{x - s - 1:.1f} {y:.1f}Z"
    else:  # cross
        return (
            f'<path d="M{x - s:.1f} {y - s:.1f}L{x + s:.1f} {y + s:.1f}M{x - s:.1f} {y + s:.1f}'
            f'L{x + s:.1f} {y - s:.1f}" stroke="{colour}" stroke-width="2.5"/>'
        )
    return f'<path d="{d}" fill="{colour}"/>'


def _star(x, y, colour, r=8.5):
    """The target's marker: an open five-pointed star, unlike every group's filled marker."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{x + radius * math.cos(angle):.1f},{y - radius * math.sin(angle):.1f}")
    return (
        f'<polygon points="{" ".join(points)}" fill="#ffffff" stroke="{colour}" '
        'stroke-width="1.8"/>'
    )


def _legend_layout(labels):
    """(x, y, lines) for each legend label and the legend's height.

    Columns are as wide as the longest label, at most half the legend's width (longer labels
    wrap onto more lines); a row is as tall as its tallest entry.
    """
    width = WIDTH - 2 * LEGEND_LEFT
    widest = max(text_width(label) for label in labels)
    text_room = min(widest, (width - LEGEND_GAP) / 2 - LEGEND_SWATCH)
    columns = int((width + LEGEND_GAP) // (LEGEND_SWATCH + text_room + LEGEND_GAP))
    columns = max(1, min(columns, len(labels)))
    column_w = (width + LEGEND_GAP) / columns
    wrapped = [wrap(label, column_w - LEGEND_GAP - LEGEND_SWATCH) for label in labels]
    places, y = [], 0.0
    for row in range(0, len(labels), columns):
        for i in range(row, min(row + columns, len(labels))):
            places.append((LEGEND_LEFT + (i - row) * column_w, y, wrapped[i]))
        y += max(len(w) for w in wrapped[row : row + columns]) * LINE_HEIGHT + 7
    return places, y


def line_chart(
    series, y_title, title, description="", break_year=None, decimals=1, target=None, y_range=None
):
    """An SVG line chart of the series over the years; a year without a value is a gap.

    `y_range=(low, high)` is what the value axis covers at least, e.g. (0, 1) for an index, so
    a small change is not drawn as a steep one.

    `target=(year, value, label)` marks a target value: an open star at (year, value), a thin
    dashed line at that value across the plot, and `label` in the legend; the years run on to
    the target's year.
    """
    years = sorted({y for s in series for y, _ in s.values})
    values = [v for s in series for _, v in s.values if v is not None]
    if target and years and values:
        # Every year between the data and the target gets its place on the axis.
        t_year, first, last = target[0], years[0], years[-1]
        extra = range(t_year, first) if t_year < first else range(last + 1, t_year + 1)
        years = sorted(set(years) | set(extra))
        values.append(target[1])
    labels = list(dict.fromkeys(s.label for s in series))
    places = list(dict.fromkeys(s.place for s in series))
    legend_labels = [f"{s.label}, {s.place}" for s in series]
    if target and years:
        legend_labels.append(target[2])
    legend, legend_h = _legend_layout(legend_labels) if legend_labels else ([], 0)
    legend_top = TOP + PLOT_HEIGHT + 40
    height = round(legend_top + legend_h + 4)
    plot_w = WIDTH - LEFT - RIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="{FONT}" font-size="12" '
        f'fill="{INK}"><title>{escape(title)}</title>'
    ]
    if description:
        out.append(f"<desc>{escape(description)}</desc>")
    out.append(f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>')
    if not years or not values:
        out.append(
            f'<text x="{WIDTH / 2}" y="{TOP + PLOT_HEIGHT / 2}" text-anchor="middle">'
            "Inga värden att visa</text></svg>"
        )
        return "".join(out)

    low, high = min(values), max(values)
    low = min(low, 0) if low >= 0 and low < (high - low) else low - (high - low) * 0.1
    if y_range:
        low, high = min(low, y_range[0]), max(high, y_range[1])
    ticks, _step = nice_ticks(low, high if y_range else high + (high - low) * 0.05)
    y0, y1 = ticks[0], ticks[-1]

    def sx(year):
        if len(years) == 1:
            return LEFT + plot_w / 2
        return LEFT + 12 + (plot_w - 24) * years.index(year) / (len(years) - 1)

    def sy(value):
        return TOP + PLOT_HEIGHT - PLOT_HEIGHT * (value - y0) / (y1 - y0)

    tick_decimals = 0 if all(float(t).is_integer() for t in ticks) else decimals
    for t in ticks:
        y = sy(t)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{number(t, tick_decimals)}</text>'
        )
    every = 1 if len(years) <= 12 else 2
    for i, year in enumerate(years):
        if (len(years) - 1 - i) % every == 0:
            out.append(
                f'<text x="{sx(year):.1f}" y="{TOP + PLOT_HEIGHT + 18}" text-anchor="middle">{year}</text>'
            )
    out.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + PLOT_HEIGHT}" y2="{TOP + PLOT_HEIGHT}" '
        f'stroke="{INK}"/>'
    )
    out.append(
        f'<text x="14" y="{TOP + PLOT_HEIGHT / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {TOP + PLOT_HEIGHT / 2:.1f})">{escape(y_title)}</text>'
    )
    if break_year in years:
        x = sx(break_year) - (sx(years[1]) - sx(years[0])) / 2 if len(years) > 1 else sx(break_year)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + PLOT_HEIGHT}" stroke="{INK}" '
            'stroke-dasharray="3 3"/>'
        )
        out.append(f'<text x="{x + 4:.1f}" y="{TOP - 8}">Ny serie från {break_year}</text>')
    if target:
        y = sy(target[1])
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{TARGET_INK}" stroke-width="1" stroke-dasharray="5 4"/>'
        )

    def style(s):
        colour = PALETTE[labels.index(s.label) % len(PALETTE)]
        dash = DASHES[places.index(s.place) % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return colour, dash_attr, SHAPES[labels.index(s.label) % len(SHAPES)]

    for s in series:
        colour, dash_attr, shape = style(s)
        run = []
        for year, value in list(s.values) + [(None, None)]:
            if value is None:
                if len(run) > 1:
                    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                    out.append(
                        f'<polyline points="{points}" fill="none" stroke="{colour}" '
                        f'stroke-width="2.2"{dash_attr}/>'
                    )
                run = []
                continue
            run.append((sx(year), sy(value)))
        for year, value in s.values:
            if value is not None:
                out.append(_marker(shape, sx(year), sy(value), colour))
    if target:
        out.append(_star(sx(target[0]), sy(target[1]), TARGET_INK))

    for i, (x, y, lines) in enumerate(legend):
        y += legend_top
        if i < len(series):
            colour, dash_attr, shape = style(series[i])
            out.append(
                f'<line x1="{x:.1f}" x2="{x + 34:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-width="2.2"{dash_attr}/>'
            )
            out.append(_marker(shape, x + 17, y, colour))
        else:
            out.append(
                f'<line x1="{x:.1f}" x2="{x + 34:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="{TARGET_INK}" stroke-width="1" stroke-dasharray="5 4"/>'
            )
            out.append(_star(x + 17, y, TARGET_INK))
        tx = x + LEGEND_SWATCH
        if len(lines) == 1:
            out.append(f'<text x="{tx:.1f}" y="{y + 4:.1f}">{escape(lines[0])}</text>')
        else:
            spans = "".join(
                f'<tspan x="{tx:.1f}" dy="{0 if k == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            out.append(f'<text x="{tx:.1f}" y="{y + 4:.1f}">{spans}</text>')
    out.append("</svg>")
    return "".join(out)


CACHE_SIZE = 512
_cache = OrderedDict()
_lock = Lock()
PNG_PPI = 110  # 16 cm wide in Word at about 155 dpi


def _key(svg):
    return hashlib.sha256(svg.encode("utf-8")).hexdigest()


def to_png(svgs):
    """PNG (for Word) of each SVG, in one typst run: one page per chart, fonts loaded once.

    Typst rasterises 15 charts in about 0.3 s; vl-convert's svg_to_png took 60–70 ms a chart
    here because it loads the system fonts on every call. Recent results are cached.
    """
    from .render import typst_compiler

    keys = [_key(svg) for svg in svgs]
    with _lock:
        missing = {k: svg for k, svg in zip(keys, svgs, strict=True) if k not in _cache}
    if missing:
        names = {f"c{i}": svg for i, svg in enumerate(missing.values())}
        source = "#set page(width: 640pt, height: auto, margin: 0pt)\n" + "#pagebreak()\n".join(
            f'#image(bytes(sys.inputs.at("{name}")), format: "svg", width: 100%)\n'
            for name in names
        )
        pages = typst_compiler().compile(
            input=source.encode("utf-8"), format="png", ppi=PNG_PPI, sys_inputs=names
        )
        if isinstance(pages, bytes):
            pages = [pages]
        with _lock:
            for key, png in zip(missing, pages, strict=True):
                _cache[key] = png
    out = []
    with _lock:
        for key in keys:
            out.append(_cache[key])
            _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return out


def clear_cache():
    with _lock:
        _cache.clear()
