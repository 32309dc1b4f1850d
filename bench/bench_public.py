"""Benchmark: the public calendar against a bare Django view, on the same gunicorn server.

Run by hand (not part of the tests):  .venv/bin/python bench/bench_public.py [--connections 50]

It prepares a fresh demo database in a temporary LAGESBILD_HOME (`lagesbild demo --no-serve`),
starts gunicorn on 127.0.0.1 with DEBUG off, warms both URLs, runs wrk against each and prints
requests/s and the 99th percentile latency. The goal (issue 6): the calendar reaches at least
half the bare view's throughput, with p99 <= 100 ms at 50 connections.

Imported by gunicorn (as `bench_public:application`) the same file is the WSGI app: the real
Lägesbild URLs plus one bare view that returns "ok" through the full middleware stack.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_PATH = "/bench-bare/"
CALENDAR_PATH = "/karlshamn/aktuellt/"


def _application():
    import django
    from django.http import HttpResponse
    from django.urls import path

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    django.setup()
    from lagesbild import urls

    def bare(request):
        return HttpResponse("ok", content_type="text/plain")

    urls.urlpatterns.insert(0, path(BARE_PATH.strip("/") + "/", bare))
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


if __name__ != "__main__":
    application = _application()


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer {url}")


def wrk(url, connections, duration, threads):
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * factor, int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    home = tempfile.mkdtemp(prefix="lagesbild-bench-")
    env = dict(os.environ, LAGESBILD_HOME=home, LAGESBILD_DEBUG="0", PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    bin_dir = Path(sys.executable).parent
    print(f"Preparing the demo database in {home} …", flush=True)
    subprocess.run(
        [bin_dir / "lagesbild", "demo", "--no-serve"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            "--pythonpath",
            str(ROOT / "bench"),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "bench_public:application",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        targets = (("bare view", BARE_PATH), ("calendar", CALENDAR_PATH))
        for _name, path in targets:
            wait_for(base + path)
            wrk(base + path, 4, 2, 2)  # warm every worker's cache
        # Alternate the two targets and keep each one's median round: the machine is shared,
        # and load that comes and goes then hits both alike.
        runs = {name: [] for name, _path in targets}
        for _round in range(args.rounds):
            for name, path in targets:
                runs[name].append(wrk(base + path, args.connections, args.duration, 2))
        results = {name: sorted(r)[len(r) // 2] for name, r in runs.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)

    print(
        f"\ngunicorn, {args.workers} sync workers, wrk {args.connections} connections, "
        f"{args.duration} s each, loopback"
    )
    print(f"{'':12}{'requests/s':>12}{'p99 ms':>10}{'errors':>8}")
    for name, (rps, p99, errors) in results.items():
        print(f"{name:12}{rps:12.0f}{p99:10.1f}{errors:8d}")
    ratio = results["calendar"][0] / results["bare view"][0]
    p99 = results["calendar"][1]
    print(
        f"\ncalendar / bare view throughput: {ratio:.2f} (goal >= 0.50); "
        f"calendar p99 {p99:.1f} ms (goal <= 100 ms)"
    )


if __name__ == "__main__":
    main()
