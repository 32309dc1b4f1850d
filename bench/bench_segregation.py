"""Benchmark housing segregation (issue #18): run by hand, numbers go in the report (not a test).

    .venv/bin/python bench/bench_segregation.py

Times, for a municipality of 60 DeSO over 15 years and for all of Sweden's ~6,000 DeSO over 15
years: the indices year by year with the disclosure rule (lagesbild.analysis.small_areas),
the map as SVG (lagesbild.reports.maps) and as PNG (for Word; charts.to_png, cold first, then
from its cache). Inputs are synthetic and made here from a fixed
seed: counts of the size SCB's DeSO have (700–2,700 residents) and boundaries as 64-sided
polygons on a grid (real DeSO outlines, simplified to 5 m, have tens to hundreds of points).
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
    from lagesbild.analysis import small_areas
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


def main():
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    import django

    django.setup()
    for _ in range(2):  # the second round is warm
        run(60, with_png=True)
        run(6000, with_png=True)


if __name__ == "__main__":
    main()
