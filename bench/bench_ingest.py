"""Benchmark (run by hand, not by pytest): store 1,000,000 observations through store.save.

    .venv/bin/python bench/bench_ingest.py                      # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lagesbild_bench .venv/bin/python bench/bench_ingest.py

Target (issue 3 §11): ≤ 10 s for the first ingest on this 2-core machine, each database.
Also times a second save of the same values (all unchanged) and one with 1 % revised values.
The values are synthetic (a counter), not statistics.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LAGESBILD_HOME", tempfile.mkdtemp(prefix="bench-ingest-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "lagesbild.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lagesbild.analysis.observations import Observation as Obs  # noqa: E402
from lagesbild.core import municipalities  # noqa: E402
from lagesbild.stats.models import Observation  # noqa: E402
from lagesbild.stats.store import Batch, save  # noqa: E402

N = int(os.environ.get("BENCH_N", "1000000"))


def observations(shift=0.0, every=0):
    areas = [a.code for a in municipalities.register().values()]  # 312 areas
    out = []
    i = 0
    for ind in range(100):
        for area in areas:
            for year in range(2000, 2026):
                for group in ("utrikes_fodda", "inrikes_fodda"):
                    for sex in ("T", "K", "M"):
                        if i == N:
                            return out
                        value = float(i % 1000) / 10
                        if every and i % every == 0:
                            value += shift
                        out.append(
                            Obs(f"bench-{ind:03d}", area, year, group, sex, value, "procent")
                        )
                        i += 1
    return out


def timed(label, rows):
    start = time.perf_counter()
    counts = save([Batch("bench", "bench", "", "", rows)])
    took = time.perf_counter() - start
    print(
        f"{label:<28} {took:6.2f} s  new={counts.new} changed={counts.changed} "
        f"unchanged={counts.unchanged}"
    )
    return took


def main():
    call_command("migrate", verbosity=0, interactive=False)
    Observation.objects.filter(indicator__startswith="bench-").delete()
    print(f"{connection.vendor}, {N} observations")
    rows = observations()
    timed("first ingest", rows)
    timed("same values again", rows)
    timed("1 % revised", observations(shift=1.0, every=100))
    print(f"rows stored: {Observation.objects.filter(indicator__startswith='bench-').count()}")
    Observation.objects.filter(indicator__startswith="bench-").delete()


if __name__ == "__main__":
    main()
