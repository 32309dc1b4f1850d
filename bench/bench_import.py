"""Benchmark (run by hand, not by pytest): `lagesbild import` of a Statistikdatabasen download.

    .venv/bin/python bench/bench_import.py                      # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lagesbild_bench .venv/bin/python bench/bench_import.py

Builds an SCB-style CSV download (PxWeb's long layout with a title line: region "0114 Upplands
Väsby", kön, födelseregion, år, value) of 20,000 rows: all 290 municipalities of the register ×
sex × birth region × years (the year varies slowest), and times reading it alone (downloads.parse_download), the first
import, and importing the same file again (all unchanged). The values are synthetic (a
counter), not statistics.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LAGESBILD_HOME", tempfile.mkdtemp(prefix="bench-import-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "lagesbild.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lagesbild.core import municipalities  # noqa: E402
from lagesbild.stats import downloads  # noqa: E402
from lagesbild.stats.models import Observation, Snapshot  # noqa: E402

N = int(os.environ.get("BENCH_N", "20000"))
INDICATOR = "sysselsattning-20-64"
SOURCE = "bench-scb"


def download(path):
    lines = [
        '"Andel sysselsatta 20-64 år efter region, kön, födelseregion och år"',
        "",
        '"region","kön","födelseregion","år","Andel sysselsatta"',
    ]
    i = 0
    for year in range(2014, 2026):  # 290 × 3 × 2 = 1,740 rows a year: 11 and a half years
        for area in municipalities.municipalities():
            for sex in ("män", "kvinnor", "totalt"):
                for group in ("födda i Sverige", "utrikes födda"):
                    if i == N:
                        break
                    lines.append(
                        f'"{area.code} {area.name}","{sex}","{group}","{year}",{i % 1000 / 10}'
                    )
                    i += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return i


def timed(label, function):
    start = time.perf_counter()
    function()
    took = time.perf_counter() - start
    print(f"{label:<34} {took:6.2f} s")
    return took


def main():
    call_command("migrate", verbosity=0, interactive=False)
    Observation.objects.filter(snapshot__source=f"local:{SOURCE}").delete()
    path = Path(os.environ["LAGESBILD_HOME"]) / "scb-sysselsatta.csv"
    rows = download(path)
    areas = len({line.split('","')[0] for line in path.read_text().splitlines()[3:]})
    print(
        f"{connection.vendor}, {rows} rows in {path.name} ({path.stat().st_size:,} bytes), "
        f"{areas} municipalities"
    )
    raw = path.read_bytes()
    timed("parse only", lambda: downloads.parse_download(raw, path.name, INDICATOR))
    command = ["import", str(path), "--source", SOURCE, "--indicator", INDICATOR]
    timed("lagesbild import (first)", lambda: call_command(*command))
    timed("lagesbild import (same file again)", lambda: call_command(*command))
    stored = Observation.objects.filter(snapshot__source=f"local:{SOURCE}").count()
    print(f"rows stored: {stored}")
    Observation.objects.filter(snapshot__source=f"local:{SOURCE}").delete()
    Snapshot.objects.filter(source=f"local:{SOURCE}").delete()


if __name__ == "__main__":
    main()
