"""Charts: readable axes, gaps for missing years, words beside colours, one PNG per chart."""

import xml.etree.ElementTree as ET

from lagesbild.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def chart(**kw):
    series = [
        charts.Series(
            "Utrikes födda",
            "Karlshamns kommun",
            ((2021, 60.0), (2022, None), (2023, 62.5), (2024, 63.0)),
        ),
        charts.Series(
            "Inrikes födda",
            "Karlshamns kommun",
            ((2021, 80.0), (2022, 80.5), (2023, 81.0), (2024, 81.5)),
        ),
        charts.Series(
            "Utrikes födda", "Riket", ((2021, 65.0), (2022, 66.0), (2023, 67.0), (2024, 68.0))
        ),
    ]
    return charts.line_chart(series, "Procent", "Sysselsättning", description="Beskrivning", **kw)


def test_nice_ticks_by_hand():
    # range 0–87, five steps → raw step 17,4 → 20
    assert charts.nice_ticks(0, 87) == ([0, 20, 40, 60, 80, 100], 20)
    assert charts.nice_ticks(2.3, 2.9)[1] == 0.2


def test_svg_is_well_formed_with_title_and_description():
    root = ET.fromstring(chart())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Sysselsättning"
    assert root.find(f"{SVG}desc").text == "Beskrivning"


def test_a_missing_year_breaks_the_line():
    root = ET.fromstring(chart())
    lines = [p for p in root.iter(f"{SVG}polyline")]
    # Foreign-born in Karlshamn: 2021 alone, then 2023–2024; the other two series whole.
    assert sorted(len(p.get("points").split()) for p in lines) == [2, 4, 4]


def test_legend_names_group_and_place_and_shapes_differ():
    svg = chart()
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "Inrikes födda, Karlshamns kommun" in texts
    assert "Utrikes födda, Riket" in texts
    assert "<circle" in svg and "<rect x=" in svg  # two groups, two marker shapes
    assert 'stroke-dasharray="7 4"' in svg  # Riket dashed


def test_axis_labels_use_swedish_numbers_and_the_break_is_marked():
    root = ET.fromstring(
        charts.line_chart(
            [charts.Series("A", "X", ((2021, 0.5), (2022, 1.25), (2023, 1.5)))],
            "Procent",
            "T",
            break_year=2022,
        )
    )
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # 0,5–1,5 starts at zero: ticks 0,0 0,5 1,0 1,5 2,0
    assert [t for t in texts if "," in t][:5] == ["0,0", "0,5", "1,0", "1,5", "2,0"]
    assert "Ny serie från 2022" in texts


def test_chart_without_values_says_so():
    svg = charts.line_chart([charts.Series("A", "X", ((2021, None),))], "Procent", "T")
    assert "Inga värden att visa" in svg


def test_png_per_chart_in_order_and_cached():
    charts.clear_cache()
    first, second = chart(), chart(break_year=2023)
    pngs = charts.to_png([first, second])
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)
    assert pngs[0] != pngs[1]
    assert charts.to_png([second]) == [pngs[1]]
    assert charts.to_png([]) == []


GROUPS = [
    "Utrikes födda",
    "Utrikes födda, 0–1 år i Sverige",
    "Utrikes födda, 2–3 år i Sverige",
    "Utrikes födda, 10 år eller mer i Sverige",
    "Inrikes födda",
]


def ten_series():
    """Five groups in the municipality and in Riket: ten lines, long Swedish labels."""
    return [
        charts.Series(g, place, tuple((y, 40.0 + 5 * i + y - 2016) for y in range(2016, 2026)))
        for place in ("Karlshamns kommun", "Riket")
        for i, g in enumerate(GROUPS)
    ]


def legend_boxes(svg):
    """(left, top, right, bottom) of each legend text, from its coordinates and lines."""
    root = ET.fromstring(svg)
    plot_bottom = charts.TOP + charts.PLOT_HEIGHT
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x")), float(text.get("y"))
        if y < plot_bottom + 30 or text.get("text-anchor"):  # axis labels, not the legend
            continue
        lines = [s.text for s in text.iter(f"{SVG}tspan")] or [text.text]
        width = max(charts.text_width(line) for line in lines)
        boxes.append((x, y - 12, x + width, y - 12 + 15 * len(lines)))
    return boxes


def test_legend_of_ten_series_with_long_labels_does_not_overlap():
    svg = charts.line_chart(ten_series(), "Procent", "T", target=(2029, 70.0, "Målvärde 2029"))
    boxes = legend_boxes(svg)
    assert len(boxes) == 11  # ten series and the target
    width, height = float(ET.fromstring(svg).get("width")), float(ET.fromstring(svg).get("height"))
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= width and a[3] <= height  # inside the image
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
    # Every word of every label is there, wrapped or not.
    words = " ".join(" ".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")).split()
    for label in ("Utrikes födda, 10 år eller mer i Sverige, Karlshamns kommun", "Målvärde 2029"):
        assert all(w in words for w in label.split())


def test_text_width_estimate_is_never_narrower_than_the_font():
    from fontTools.ttLib import TTFont

    font = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    cmap, advances, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    for s in ten_series():
        label = f"{s.label}, {s.place}"
        real = sum(advances[cmap[ord(c)]][0] for c in label) / em * 12
        assert real <= charts.text_width(label, 12) < real * 1.3


def test_target_marker_line_legend_and_axis():
    description = "Linjediagram: sysselsättningsgrad 2016–2025 och målet för 2029."
    svg = charts.line_chart(
        ten_series(),
        "Procent",
        "Sysselsättningsgrad",
        description=description,
        break_year=2022,
        target=(2029, 70.0, "Målvärde 2029: 70,0 %"),
    )
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}desc").text == description  # the caller's words, unchanged
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert "Målvärde 2029: 70,0 %" in texts
    years = [int(t) for t in texts if t and t.isdigit() and len(t) == 4]
    assert max(years) == 2029  # the axis runs on to the target's year
    # The star: the one polygon in the chart (once in the plot, once in the legend), drawn
    # open (white inside), unlike every group's filled marker.
    stars = list(root.iter(f"{SVG}polygon"))
    assert len(stars) == 2 and all(s.get("fill") == "#ffffff" for s in stars)
    points = [tuple(map(float, p.split(","))) for p in stars[0].get("points").split()]
    cx = (max(x for x, _ in points) + min(x for x, _ in points)) / 2
    cy = points[0][1] + 8.5  # the first point is the star's top, 8.5 above its centre
    assert round(cx) == charts.WIDTH - charts.RIGHT - 12  # the last year on the axis
    # A thin dashed line across the plot at the target's height.
    ref = [
        line
        for line in root.iter(f"{SVG}line")
        if line.get("stroke-dasharray") == "5 4" and line.get("y1") == line.get("y2")
    ]
    plot_line = [r for r in ref if float(r.get("x1")) == charts.LEFT]
    assert len(plot_line) == 1 and abs(float(plot_line[0].get("y1")) - cy) < 0.2
    assert float(plot_line[0].get("stroke-width")) < 2


def test_target_before_the_data_and_without_other_changes():
    plain = chart()
    assert "<polygon" not in plain and "Målvärde" not in plain
    root = ET.fromstring(chart(target=(2019, 70.0, "Mål")))
    texts = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit()]
    years = [int(t) for t in texts if len(t) == 4]
    assert min(years) == 2019 and 2020 in years  # the years up to the data's first are added
