"""Benchmark (run by hand, not by pytest): one SCB table through our PxWeb client and through
pxwebpy, from the same local server on 127.0.0.1, counting requests and time.

    .venv/bin/pip install pxwebpy   # or: pip install -e ".[bench]"
    .venv/bin/python bench/bench_pxweb.py

The server answers with SCB's recorded /config (maxDataCells 150000, 3 calls per 1 s) and the
recorded TAB6471 metadata (tests/stats/fakeserver.py, ../shared/data/scb-pxweb-v2/recorded);
data cells are built for each selection. The selection is the whole table (312 regions × 134
ages × 3 × 1 × 16 months ≈ 2 million cells), so both clients must split it.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "lagesbild.settings"

import django  # noqa: E402

django.setup()

from lagesbild.stats.pxweb import PxWebClient  # noqa: E402
from tests.stats.fakeserver import FakeServer, add_scb, recorded, reply  # noqa: E402

TABLE = "TAB6471"


def server():
    meta = recorded(f"{TABLE}_metadata.json")
    fake = add_scb(FakeServer().start(), {TABLE: meta})
    fake.route("GET", "/scb/tables", lambda m, q, b: reply(200, recorded("tables.json")))
    selection = {d: list(meta["dimension"][d]["category"]["index"]) for d in meta["id"]}
    return fake, selection


def ours(url, selection):
    client = PxWebClient(base_url=url)
    pages = client.data(TABLE, selection)
    cells = [c for p in pages for c in p.cells]
    return len(cells), sum(c.value or 0 for c in cells)


def pxwebpy(url, selection):
    from pxweb import PxApi

    api = PxApi(url, language="sv", disable_cache=True, max_workers=1)
    rows = api.get_table_data(TABLE, value_codes=selection)
    return len(rows), sum(r["value"] or 0 for r in rows)


def main():
    fake, selection = server()
    url = f"{fake.url}/scb"
    cells = 1
    for codes in selection.values():
        cells *= len(codes)
    print(f"{TABLE}: {cells} cells, server config maxDataCells 150000, 3 calls / 1 s")
    results = {}
    for name, run in (("lagesbild PxWebClient", ours), ("pxwebpy", pxwebpy)):
        fake.log.clear()
        start = time.perf_counter()
        count, total = run(url, selection)
        took = time.perf_counter() - start
        data = sum(1 for _, path in fake.log if "/data" in path)
        results[name] = (count, total)
        print(f"{name:<22} {took:6.2f} s  requests={len(fake.log)} (data {data})  cells={count}")
    (a, sa), (b, sb) = results.values()
    print("same cells and values:", a == b and abs(sa - sb) < 1e-6)
    fake.stop()


if __name__ == "__main__":
    main()
