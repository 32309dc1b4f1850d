"""Maps of the small areas for reports, written directly as SVG (the PNG Word needs comes from
the same SVG, as for the charts: charts.to_png). Pure: no Django, no tiles, no internet.

Why not Altair's geoshape, which STACK.md checked: the charts module writes its SVG by hand for
speed and Swedish number formats (see charts.py), and a map of a municipality's areas is a few
dozen paths; one way of drawing keeps the report's figures alike.

Colours: ColorBrewer's five-class "Blues" (Brewer & Harrower, colorbrewer2.org, sequential,
safe for colour-blind readers and in grey print), every area outlined in dark ink so even the
lightest class stands apart from the page; areas whose share may not be shown are hatched, and
areas without a value white. Colour never carries the meaning alone: the table beside the map
gives every value.
"""

import math
from html import escape

from .charts import FONT, INK, text_width
from .formatting import number

WIDTH, MAP_HEIGHT = 640, 420
MARGIN = 12
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
# Class limits of a share in percent: under 10, 10–20, 20–30, 30–50, 50 or more. A measure
# whose shares lie elsewhere (employment: most areas over 50 %) names its own four limits
# (`map_breaks` in the catalogue), so the map tells its areas apart.
SHARE_BREAKS = (10, 20, 30, 50)
HATCH = "skyddad"


def share_classes(breaks=SHARE_BREAKS):
    """[(label, colour)] of the share classes, lowest first."""
    edges = [0, *breaks]
    labels = [f"under {breaks[0]} %"]
    labels += [f"{a}–{b} %" for a, b in zip(edges[1:], edges[2:], strict=False)]
    labels.append(f"{breaks[-1]} % eller mer")
    return list(zip(labels, BLUES, strict=True))


def share_class(value, breaks=SHARE_BREAKS):
    """The index of the class a share (percent) falls in."""
    return sum(1 for b in breaks if value >= b)


def area_map(shapes, crs, values, title, description, breaks=SHARE_BREAKS):
    """An SVG map shaded by a share. shapes: {code: [[ring, …], …]}; values: {code: percent,
    None (protected)}; an area of `shapes` not in `values` has no value; breaks: the four
    class limits."""
    shading = {}
    for code, value in values.items():
        if value is None:
            shading[code] = ("url(#skyddad)", HATCH)
        else:
            shading[code] = (BLUES[share_class(value, breaks)], number(value, 1) + " %")
    legend = share_classes(breaks)
    if any(value is None for value in values.values()):  # the hatch only where it is used
        legend.append((HATCH, "url(#skyddad)"))
    return _draw(shapes, crs, shading, legend, title, description)


# ColorBrewer's five-class diverging "RdYlBu" (colour-blind safe), red for the areas with the
# greatest socio-economic challenges (type 1) to blue for the best conditions (type 5).
TYPE_COLOURS = ["#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"]


def category_map(shapes, crs, categories, labels, title, description):
    """An SVG map shaded by category. categories: {code: index into labels}; labels: the
    legend's text of each category, in the order of TYPE_COLOURS."""
    colours = TYPE_COLOURS[: len(labels)]
    shading = {code: (colours[i], labels[i]) for code, i in categories.items()}
    return _draw(shapes, crs, shading, list(zip(labels, colours, strict=True)), title, description)


def _draw(shapes, crs, shading, legend, title, description):
    """shading: {code: (fill, text of its value)}; legend: [(label, fill)], to which "uppgift
    saknas" (white) is added for the areas without shading."""
    points = [pt for polygons in shapes.values() for part in polygons for r in part for pt in r]
    if not points:
        return ""
    # SWEREF 99 TM is in metres both ways; in WGS 84 a degree of longitude is shorter than
    # one of latitude by the cosine of the latitude (enough for one municipality).
    scale_x = 1.0
    if crs == "EPSG:4326":
        scale_x = math.cos(
            math.radians((min(y for _, y in points) + max(y for _, y in points)) / 2)
        )

    def project(x, y):
        return x * scale_x, y

    xs, ys = zip(*(project(x, y) for x, y in points), strict=True)
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span_x, span_y = max(max_x - min_x, 1e-9), max(max_y - min_y, 1e-9)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (MAP_HEIGHT - 2 * MARGIN) / span_y)
    height_map = span_y * scale + 2 * MARGIN
    offset_x = (WIDTH - span_x * scale) / 2

    def sx(x, y):
        px, py = project(x, y)
        return offset_x + (px - min_x) * scale, MARGIN + (max_y - py) * scale

    legend = [*legend, ("uppgift saknas", "#ffffff")]
    legend_top = height_map + 16
    rows = math.ceil(len(legend) / 3)
    height = round(legend_top + rows * 22 + 8)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" font-family="{FONT}" font-size="12" '
        f'fill="{INK}"><title>{escape(title)}</title><desc>{escape(description)}</desc>',
        '<defs><pattern id="skyddad" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="1.5"/></pattern></defs>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for code in sorted(shapes):
        fill, what = shading.get(code, ("#ffffff", "uppgift saknas"))
        d = []
        for part in shapes[code]:
            for ring in part:
                coords = [sx(x, y) for x, y in ring]
                d.append("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in coords) + " Z")
        out.append(
            f'<path d="{" ".join(d)}" fill="{fill}" fill-rule="evenodd" stroke="{INK}" '
            f'stroke-width="0.8"><title>{escape(code)}: {escape(what)}</title></path>'
        )
    column = (WIDTH - 2 * MARGIN) / 3
    for i, (label, fill) in enumerate(legend):
        x = MARGIN + (i % 3) * column
        y = legend_top + (i // 3) * 22
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="18" height="14" fill="{fill}" '
            f'stroke="{INK}" stroke-width="0.8"/>'
        )
        label = label if text_width(label) < column - 30 else label[:30] + "…"
        out.append(f'<text x="{x + 24:.1f}" y="{y + 11:.1f}">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)
