"""Benchmark the Lägesbild: run by hand, numbers go in the report (not a test).

    .venv/bin/python bench/bench_reports.py            # both parts
    .venv/bin/python bench/bench_reports.py --part one # one municipality, three formats
    .venv/bin/python bench/bench_reports.py --part all # HTML for all 290 municipalities

Part one sets up a private LAGESBILD_HOME (SQLite), loads both policies and the demo's example
statistics, then times collect (the database reads) + build + HTML, PDF and Word for
Karlshamn, first cold (fresh chart cache) and then warm. Target: ≤ 2 s.

Part two builds HTML Lägesbilder for all 290 municipalities from generated snapshots (no
database: the build and render steps only), and shows how the time grows with the number of
municipalities and of indicators per report. Target: ≤ 60 s for 290.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(home):
    os.environ["LAGESBILD_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    import django

    django.setup()


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def part_one():
    import io

    from django.core.management import call_command

    from lagesbild.policy.models import Policy
    from lagesbild.reports import charts
    from lagesbild.reports.lagesbild import build_document, collect
    from lagesbild.reports.render import render_docx, render_html, render_pdf

    call_command("demo", no_serve=True, stdout=io.StringIO())
    version = Policy.objects.get(slug="karlshamn-integration").current
    print("Part one: Karlshamn 2025, all three formats (SQLite, demo example data)")
    for label in ("cold", "warm", "warm"):
        if label == "cold":
            charts.clear_cache()
        total = 0.0
        snapshot, t = timed(collect, version, 2025)
        total += t
        parts = [f"collect {t:.2f}"]
        doc, t = timed(build_document, snapshot)
        total += t
        parts.append(f"build+charts {t:.2f}")
        for name, fn in (("html", render_html), ("pdf", render_pdf), ("docx", render_docx)):
            _, t = timed(fn, doc)
            total += t
            parts.append(f"{name} {t:.2f}")
        figures = sum(
            1
            for s in doc.sections
            for sub in s.subsections
            for b in sub.blocks
            if b.__class__.__name__ == "Figure"
        )
        print(f"  {label:5} total {total:.2f} s  ({', '.join(parts)}; {figures} charts)")


def generated_snapshot(template, code, n_indicators, rng):
    """A snapshot like collect()'s for municipality `code`, with generated example values."""
    from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN
    from lagesbild.core import municipalities
    from lagesbild.reports.lagesbild import area_name

    indicators = [f"ind{i}" for i in range(n_indicators)]
    areas = [dict(a, indicators=[]) for a in template["areas"]]
    for i, ind in enumerate(indicators):
        areas[i % len(areas)]["indicators"].append(ind)
    county = municipalities.county_of(code).code
    rows = []
    for ind in indicators:
        for area, offset in ((code, rng.uniform(-5, 5)), ("0000", 0.0)):
            for year in range(2012, 2026):
                rows.append(
                    [
                        ind,
                        area,
                        year,
                        FOREIGN_BORN,
                        60 + offset + 0.5 * (year - 2012) + rng.gauss(0, 1),
                        "procent",
                        "",
                        None,
                        True,
                    ]
                )
                rows.append(
                    [
                        ind,
                        area,
                        year,
                        NATIVE_BORN,
                        82 + offset / 2 + rng.gauss(0, 0.5),
                        "procent",
                        "",
                        None,
                        True,
                    ]
                )
    return {
        **template,
        "municipality": {"code": code, "name": area_name(code)},
        "areas": areas,
        "catalogue": {
            ind: {
                "title": {"sv": f"Indikator {i + 1}"},
                "unit": "procent",
                "better": "higher",
                "series_breaks": [],
                "disclosure": "",
                "note": "",
                "theme": "",
            }
            for i, ind in enumerate(indicators)
        },
        "comparison": {
            "county": county,
            "riket": "0000",
            "group_id": None,
            "group_title": "",
            "group_members": [],
        },
        "names": {code: area_name(code), county: area_name(county), "0000": "Riket"},
        "observations": rows,
        "national": {},
        "provenance": [
            {
                "indicator": ind,
                "area": code,
                "source": "example",
                "source_ref": ind,
                "url": "",
                "fetched_at": "2026-01-01T00:00:00",
                "checksum": "0" * 64,
                "example": True,
            }
            for ind in indicators
        ],
        "experiences": [],
        "analyses": {},
        "example": True,
    }


def part_all():
    from lagesbild.core import municipalities
    from lagesbild.policy.document import parse_policy
    from lagesbild.reports.lagesbild import build_document
    from lagesbild.reports.render import render_html

    data, _ = parse_policy(
        (ROOT / "policies" / "karlshamn-integration-2026-2029.yaml").read_text(encoding="utf-8")
    )
    template = {
        "format": 1,
        "year": 2025,
        "collected_at": "2026-01-01T00:00:00",
        "policy": {
            "slug": "x",
            "title": data["title"],
            "version": 1,
            "decision_reference": "",
            "area_term": data["area_term"],
            "lagesbild_title": "Lägesbild för integration",
            "lagesbild_description": "",
        },
        "areas": [
            {"id": a["id"], "title": a["title"], "goals": [g["text"] for g in a["goals"]]}
            for a in data["areas"]
        ],
    }
    codes = [m.code for m in municipalities.municipalities()]
    rng = random.Random(2026)

    def run(n_municipalities, n_indicators):
        snapshots = [
            generated_snapshot(template, c, n_indicators, rng) for c in codes[:n_municipalities]
        ]
        started = time.perf_counter()
        size = 0
        for s in snapshots:
            size += len(render_html(build_document(s, with_png=False), standalone=True))
        return time.perf_counter() - started, size

    print("Part two: HTML Lägesbild from generated snapshots (build + render, no database)")
    for n, k in ((50, 15), (100, 15), (len(codes), 15), (len(codes), 5), (len(codes), 30)):
        seconds, size = run(n, k)
        print(
            f"  {n:3} municipalities × {k:2} indicators: {seconds:6.2f} s ({seconds / n * 1000:5.1f} ms each, {size / n / 1024:5.0f} kB each)"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=["one", "all", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as home:
        setup(home)
        if args.part in ("one", "both"):
            part_one()
        if args.part in ("all", "both"):
            part_all()


if __name__ == "__main__":
    main()
