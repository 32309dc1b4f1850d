"""Benchmark housing segregation (issue #18): run by hand, numbers go in the report (not a test).

    .venv/bin/python bench/bench_segregation.py            # indices and maps (no database)
    .venv/bin/python bench/bench_segregation.py --store    # also the national fetch's storing

Times, for a municipality of 60 DeSO over 15 years and for all of Sweden's ~6,000 DeSO over 15
years: the indices year by year with the disclosure rule (lagesbild.analysis.small_areas),
the map as SVG (lagesbild.reports.maps) and as PNG (for Word; charts.to_png, cold first, then
from its cache); and for the RegSO (one per 1.8 DeSO) the residents per area type every year
(lagesbild.analysis.area_types) and the map by type; a share computed from counts by group
(employment, small_areas.group_shares). Inputs are synthetic and made here from a fixed
seed: counts of the size SCB's DeSO have (700–2,700 residents) and boundaries as 64-sided
polygons on a grid (real DeSO outlines, simplified to 5 m, have tens to hundreds of points).

--store (SQLite in a temporary folder): what `lagesbild fetch` now stores once for the
county's and Riket's index, every DeSO and RegSO in Sweden (~9,400 areas) × 3 groups × 15
years through store.save, then what the Lägesbild reads and computes from it for Riket
(queries.small_area_rows_in over two years, segregation.wider_part).
"""

import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(2011, 2026)


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def synthetic(n, seed=18):
    rng = random.Random(seed)
    codes = [f"{1000 + i // 60:04d}C{i % 60 + 1:03d}0" for i in range(n)]
    base = {c: (rng.randint(700, 2700), rng.betavariate(1.2, 4)) for c in codes}
    counts = {
        year: {
            c: (round(p * s), p - round(p * s))
            for c, (p, s) in (
                (c, (p, min(0.95, s + 0.004 * (year - 2011)))) for c, (p, s) in base.items()
            )
        }
        for year in YEARS
    }
    side = math.ceil(math.sqrt(n))
    shapes = {}
    for i, c in enumerate(codes):
        x, y = 400_000 + 2000 * (i % side), 6_200_000 + 2000 * (i // side)
        ring = [
            [x + 900 * math.cos(a * math.pi / 32), y + 900 * math.sin(a * math.pi / 32)]
            for a in range(64)
        ]
        shapes[c] = [[ring + [ring[0]]]]
    return counts, shapes


def run(n, with_png):
    from lagesbild.analysis import area_types, small_areas
    from lagesbild.reports import charts, maps

    counts, shapes = synthetic(n)
    years, t_indices = timed(small_areas.indices_over_time, counts)
    last = counts[max(YEARS)]
    shares = {c: 100 * g / (g + o) for c, (g, o) in last.items()}
    svg, t_map = timed(maps.area_map, shapes, "EPSG:3006", shares, "bench", "bench")
    line = (
        f"{n:>5} DeSO × {len(YEARS)} år: index {t_indices * 1000:7.1f} ms, "
        f"karta (SVG, {len(svg) / 1e6:.1f} MB) {t_map * 1000:7.1f} ms"
    )
    if with_png:
        _png, t_png = timed(charts.to_png, [svg])
        line += f", PNG {t_png * 1000:7.1f} ms"
    print(line, f"(D {years[-1].values['dissimilarity']:.3f})")
    # A measure SCB gives as counts by group (employment): the share per area and year with
    # the disclosure rule (small_areas.group_shares), from the same counts read as employed
    # and not employed.
    rows = [
        (c, y, group, value)
        for y, areas in counts.items()
        for c, (g, o) in areas.items()
        for group, value in (("sysselsatta", o), ("ej_sysselsatta", g), ("total", g + o))
    ]
    _, t_shares = timed(small_areas.group_shares, rows, "sysselsatta")
    print(f"{n:>5} DeSO × {len(YEARS)} år: andel ur antal per grupp {t_shares * 1000:7.1f} ms")
    # The area types: one RegSO per ~1.8 DeSO (3,363 RegSO to 6,160 DeSO in Sweden), a type
    # each year, residents per type year by year, and the map by type.
    regso = list(shapes)[: max(2, round(n / 1.8))]
    rng = random.Random(18)
    types = {y: {c: rng.randint(1, 5) for c in regso} for y in YEARS}
    people = {y: {c: sum(counts[y][c]) for c in regso} for y in YEARS}

    def per_type():
        return [area_types.residents_by_type(types[y], people[y]) for y in YEARS]

    _, t_types = timed(per_type)
    labels = [f"Typ {t}" for t in area_types.AREA_TYPES]
    categories = {c: t - 1 for c, t in types[max(YEARS)].items()}
    shapes_regso = {c: shapes[c] for c in regso}
    svg, t_type_map = timed(
        maps.category_map, shapes_regso, "EPSG:3006", categories, labels, "bench", "bench"
    )
    print(
        f"{len(regso):>5} RegSO × {len(YEARS)} år: invånare per typ {t_types * 1000:7.1f} ms, "
        f"karta efter typ (SVG, {len(svg) / 1e6:.1f} MB) {t_type_map * 1000:7.1f} ms"
    )


def store():
    from django.core.management import call_command

    from lagesbild.analysis.observations import Observation as Obs
    from lagesbild.core import municipalities
    from lagesbild.reports import segregation
    from lagesbild.stats import catalogue, queries
    from lagesbild.stats.store import Batch, save

    call_command("migrate", verbosity=0)
    entry = catalogue.indicator("befolkning-deso-bakgrund")
    everyone = [m.code for m in municipalities.municipalities()]
    rng = random.Random(18)
    rows = []
    for kommun in everyone:
        codes = [f"{kommun}C{n:03d}0" for n in range(1, 22)] + [
            f"{kommun}R{n:03d}" for n in range(1, 12)
        ]
        for code in codes:
            share = rng.betavariate(1.2, 4)
            for year in YEARS:
                g = round(1500 * share)
                for group, value in (
                    ("utlandsk_bakgrund", g),
                    ("svensk_bakgrund", 1500 - g),
                    ("total", 1500),
                ):
                    rows.append(Obs(entry["id"], code, year, group, "T", float(value), "antal"))
    _, took = timed(save, [Batch("bench", "TAB6571", "", "", rows)])
    print(f"store: {len(rows):,} värden ({len(rows) // 45:,} områden) sparade på {took:.1f} s")
    _, again = timed(save, [Batch("bench", "TAB6571", "", "", rows)])
    print(f"store: samma värden en gång till (oförändrade) {again:.1f} s")
    found, t_read = timed(queries.small_area_rows_in, entry["id"], everyone, {2011, 2025})
    part, t_d = timed(segregation.wider_part, entry, "Riket", everyone, found, {2011, 2025}, False)
    print(
        f"lägesbild: läsa två år för riket {t_read:.2f} s, riksindex {t_d:.2f} s ({part['values']})"
    )


def main():
    import os
    import tempfile

    os.environ.setdefault("LAGESBILD_HOME", tempfile.mkdtemp(prefix="bench-segregation-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    import django

    django.setup()
    for _ in range(2):  # the second round is warm
        run(60, with_png=True)
        run(6000, with_png=True)
    if "--store" in sys.argv:
        store()


if __name__ == "__main__":
    main()
