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
