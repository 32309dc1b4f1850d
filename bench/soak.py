"""Soak and fault run: gunicorn on PostgreSQL under wrk, with the database restarted mid-way.

Run by hand (never in CI, never while someone else benchmarks on the machine):

    .venv/bin/python bench/soak.py                      # 10 minutes, 50 connections
    .venv/bin/python bench/soak.py --duration 60        # a short check of the script
    .venv/bin/python bench/soak.py --servers 2          # two app servers, one PostgreSQL, Redis
    .venv/bin/python bench/soak.py --root /tmp/old      # another checkout's code (before/after)

What it does:
1. starts a private PostgreSQL cluster (initdb in a temporary folder, its own port), so the
   restart below disturbs nobody else's database;
2. migrates it, loads the demo content, starts gunicorn in production mode on loopback;
   with --servers 2, two gunicorn instances (ports --port and --port+1), each with its own
   LAGESBILD_HOME as on two hosts, sharing the database and a private Redis (its own port,
   --redis-port) as LAGESBILD_CACHE_URL;
3. logs in as the demo coordinator and runs wrk (Debian package `wrk`) with --connections
   across public pages, JSON/iCalendar feeds and logged-in pages, for --duration seconds
   (one wrk per server, the connections split between them: wrk hits a single host);
   meanwhile a writer posts one public event proposal per second, alternating between the
   servers, and remembers every one a server acknowledged, and the web workers' memory is
   sampled every 10 s;
4. in the middle it restarts PostgreSQL (pg_ctl restart -m fast);
5. prints wrk's numbers (requests/s, latency, errors), memory at start/middle/end, how many
   requests failed around the restart and whether they recovered, and checks that every
   acknowledged proposal is in the database afterwards ("nothing lost").

--root runs the code of another checkout (e.g. a git worktree of an older commit) with this
venv's Python and packages, for before/after numbers of the same script.

Numbers are machine-dependent: put them in the report with the machine they came from.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PUBLIC = [
    "/",
    "/policy/",
    "/karlshamn/aktuellt/",
    "/karlshamn/motesplatser/",
    "/karlshamn/praktikplatser/",
]
FEEDS = [
    "/karlshamn/kalender.ics",
    "/en/policy/",
    "/api/policies",
    "/api/statistics/1082?indicator=sysselsattning-20-64&comparison=false",
]
LOGGED_IN = ["/handlingsplan/", "/statistik/", "/lagesbild/"]

LUA = """
local public = {%(public)s}
local private = {%(private)s}
local cookie = "%(cookie)s"
local n = 0
request = function()
  n = n + 1
  if n %% 3 == 0 then
    return wrk.format("GET", private[(n %% #private) + 1], {["Cookie"] = cookie})
  end
  return wrk.format("GET", public[(n %% #public) + 1])
end
"""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def as_postgres(cmd):
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PrivatePostgres:
    def __init__(self, port):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="lagesbild-soak-pg-"))
        shutil.chown(self.dir, "postgres") if os.geteuid() == 0 else None
        self.data = self.dir / "data"

    def start(self):
        run(
            as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
            )
        )
        self._ctl("start")
        run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-qc",
                "create database lagesbild",
            ]
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/lagesbild"

    def _ctl(self, action, *extra):
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        run(
            as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-w",
                    "-o",
                    opts,
                    "-l",
                    str(self.dir / "log"),
                    action,
                    *extra,
                ]
            )
        )

    def restart(self):
        self._ctl("restart", "-m", "fast")

    def stop(self):
        try:
            self._ctl("stop", "-m", "fast")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def rss_mb(pid):
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid] + [int(p) for p in run(["pgrep", "-P", str(pid)]).stdout.split()]
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except FileNotFoundError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total / 1024


def rss_all_mb(servers):
    return sum(rss_mb(s.pid) for s in servers)


class PrivateRedis:
    """A Redis of the soak's own (no saving to disk), so nobody else's keys are touched."""

    def __init__(self, port):
        self.port = port
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                return f"redis://127.0.0.1:{self.port}/0"
            time.sleep(0.1)
        raise SystemExit(f"soak: redis-server on port {self.port} did not answer")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def login(base):
    """The demo coordinator's session cookie. Cookies are passed by hand: in production they
    are marked Secure, which an HTTP client does not send back over plain HTTP."""
    page = httpx.get(base + "/konto/logga-in/")
    token = page.cookies["csrftoken"]
    response = httpx.post(
        base + "/konto/logga-in/",
        data={
            "username": "samordnare",
            "password": "demo-samordnare",
            "csrfmiddlewaretoken": token,
        },
        headers={"Cookie": f"csrftoken={token}"},
    )
    assert response.status_code == 302, f"login failed: {response.status_code}"
    return f"sessionid={response.cookies['sessionid']}"


class Writer(threading.Thread):
    """Posts a public event proposal every second; remembers the acknowledged ones."""

    def __init__(self, bases):
        super().__init__(daemon=True)
        self.bases, self.stop, self.acked, self.failed = bases, threading.Event(), [], 0

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            url = self.bases[n % len(self.bases)] + "/karlshamn/foresla/evenemang/"
            title = f"Soak-förslag {n}"
            try:
                token = httpx.get(url, timeout=10).cookies["csrftoken"]
                data = {
                    "csrfmiddlewaretoken": token,
                    "municipality": "1082",
                    "organisation": "Exempelföreningen (soak)",
                    "email": "soak@example.invalid",
                    "title": title,
                    "description": "Exempel",
                    "start": "2027-01-15T10:00",
                    "end": "2027-01-15T12:00",
                    "address": "Exempelgatan 1",
                    "languages": "sv",
                    "target_group": "everyone",
                }
                r = httpx.post(url, data=data, headers={"Cookie": f"csrftoken={token}"}, timeout=10)
                if r.status_code == 302:
                    self.acked.append(title)
                else:
                    self.failed += 1
            except (httpx.HTTPError, KeyError):
                self.failed += 1
            self.stop.wait(1)


def wrk(base, cookie, seconds, connections, threads=2):
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    quote = lambda paths: ", ".join(f'"{p}"' for p in paths)  # noqa: E731
    script.write_text(
        LUA % {"public": quote(PUBLIC + FEEDS), "private": quote(LOGGED_IN), "cookie": cookie}
    )
    out = run(
        [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            "-s",
            str(script),
            base,
        ]
    ).stdout
    script.unlink()
    return out


def wrk_all(bases, cookie, seconds, connections):
    """One wrk per server at the same time (wrk hits one host), connections split evenly."""
    outs = [None] * len(bases)

    def one(i):
        share = max(1, connections // len(bases))
        outs[i] = wrk(bases[i], cookie, seconds, share, threads=2 if len(bases) == 1 else 1)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(bases))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outs


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def total(texts, seconds):
    """The servers' wrk outputs added up; p99 is the worst of the servers' p99."""
    requests = sum(int(m.group(1)) for t in texts if (m := re.search(r"(\d+) requests in", t)))
    rps = requests / seconds
    non2xx = sum(
        int(m.group(1)) for t in texts if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", t))
    )
    p99 = max((to_ms(m.group(1)) for t in texts if (m := re.search(r"99%\s+(\S+)", t))), default=0)
    return (
        f"all servers: {requests} requests, {rps:.1f} req/s, p99 (worst server) {p99:.0f}ms, "
        f"non-2xx/3xx {non2xx}"
    )


def summary(text):
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: (.*)", text)
    p50 = re.search(r"50%\s+(\S+)", text)
    p99 = re.search(r"99%\s+(\S+)", text)
    return (
        f"{total.group(1) if total else '?'} requests, {rps.group(1) if rps else '?'} req/s, "
        f"p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}, "
        f"non-2xx/3xx {non2xx.group(1) if non2xx else 0}, socket errors {sock.group(1) if sock else 'none'}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds in all (default 600)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument("--servers", type=int, default=1, choices=(1, 2))
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--pg-port", type=int, default=5499)
    parser.add_argument("--redis-port", type=int, default=6499)
    parser.add_argument("--port", type=int, default=8499, help="the first server's port")
    args = parser.parse_args()
    root = args.root.resolve()
    # Stopped from outside (kill PID): still stop gunicorn and the private PostgreSQL.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("soak: stopped"))

    pg = PrivatePostgres(args.pg_port)
    redis = PrivateRedis(args.redis_port) if args.servers > 1 else None
    # One data folder per server, as on separate hosts (uploads shared only through storage).
    homes = [Path(tempfile.mkdtemp(prefix="lagesbild-soak-home-")) for _ in range(args.servers)]
    bases = [f"http://127.0.0.1:{args.port + i}" for i in range(args.servers)]
    servers = []
    try:
        env = {
            **os.environ,
            "DATABASE_URL": pg.start(),
            "LAGESBILD_HOME": str(homes[0]),
            "PYTHONPATH": str(root),
        }
        if redis:
            env["LAGESBILD_CACHE_URL"] = redis.start()
        env.pop("LAGESBILD_ENV", None)
        lagesbild = [sys.executable, "-m", "lagesbild"]
        print(f"code: {root} ({git_head(root)}), {args.servers} server(s)", flush=True)
        run([*lagesbild, "demo", "--no-serve"], env=env, cwd=root)
        prod = {
            **env,
            "LAGESBILD_ENV": "production",
            "LAGESBILD_SECRET_KEY": "soak-" + "x" * 60,
            "LAGESBILD_ALLOWED_HOSTS": "127.0.0.1",
            "LAGESBILD_BASE_URL": bases[0],
            "LAGESBILD_SSL_REDIRECT": "0",
            "LAGESBILD_RATELIMIT": "0",
        }
        for i, home in enumerate(homes):
            server_env = {**prod, "LAGESBILD_HOME": str(home)}
            run([*lagesbild, "collectstatic", "--noinput", "-v0"], env=server_env, cwd=root)
            servers.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "gunicorn"),
                        "lagesbild.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{args.port + i}",
                        "--workers",
                        str(args.workers),
                        "--timeout",
                        "60",
                        "--log-level",
                        "warning",
                    ],
                    env=server_env,
                    cwd=root,
                    stderr=(home / "gunicorn.log").open("w"),  # errors counted at the end
                )
            )
        for base in bases:
            for _ in range(50):
                try:
                    httpx.get(base + "/", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
        cookie = login(bases[0])  # sessions live in the database: valid on every server
        for base in bases:
            for path in PUBLIC + FEEDS:
                assert httpx.get(base + path).status_code == 200, (base, path)
            for path in LOGGED_IN:
                code = httpx.get(base + path, headers={"Cookie": cookie}).status_code
                assert code == 200, (base, path, code)

        memory = [("start", rss_all_mb(servers))]
        writer = Writer(bases)
        writer.start()
        half = args.duration // 2
        sampler_stop = threading.Event()

        def sample():
            while not sampler_stop.wait(10):
                memory.append((f"{int(time.time() - t0)}s", rss_all_mb(servers)))

        t0 = time.time()
        threading.Thread(target=sample, daemon=True).start()
        print(f"phase 1: {half} s, {args.connections} connections, steady", flush=True)
        first = wrk_all(bases, cookie, half, args.connections)
        for base, out in zip(bases, first, strict=True):
            print(f"{base}: {summary(out)}", flush=True)
        print(total(first, half), flush=True)

        print("phase 2: PostgreSQL restarted 10 s into the phase", flush=True)
        restarter = threading.Timer(10, pg.restart)
        restarter.start()
        second = wrk_all(bases, cookie, args.duration - half, args.connections)
        restarter.join()
        for base, out in zip(bases, second, strict=True):
            print(f"{base}: {summary(out)}", flush=True)
        print(total(second, args.duration - half), flush=True)
        print("whole run, " + total(first + second, args.duration), flush=True)
        sampler_stop.set()
        writer.stop.set()
        writer.join()
        memory.append(("end", rss_all_mb(servers)))

        after = [
            httpx.get(base + p, headers={"Cookie": cookie}).status_code
            for base in bases
            for p in LOGGED_IN
        ]
        print(f"after the restart the logged-in pages answer {after}")
        logged = "".join((home / "gunicorn.log").read_text() for home in homes)
        print(
            f"server log: {logged.count('Service Unavailable:')} answered 503 (database away), "
            f"{logged.count('Internal Server Error:')} answered 500"
        )
        for line in logged.splitlines():  # which, and why (the traceback's last line follows)
            if line.startswith(("Internal Server Error:", "django.db.utils.")):
                print("  " + line[:200])
        check = subprocess.run(
            [
                *lagesbild,
                "shell",
                "-c",
                "from lagesbild.public.models import Event;"
                "print('\\n'.join(Event.objects.filter(title__startswith='Soak-')"
                ".values_list('title', flat=True)))",
            ],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        stored = set(check.stdout.split("\n"))
        lost = [t for t in writer.acked if t not in stored]
        print(
            f"writes: {len(writer.acked)} acknowledged, {writer.failed} refused/failed, "
            f"{len(lost)} acknowledged but missing"
        )
        print(
            f"memory (MB, {len(servers)} gunicorn master(s) + workers): "
            + ", ".join(f"{k} {v:.0f}" for k, v in memory)
        )
        if lost or set(after) != {200}:
            sys.exit(1)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        pg.stop()
        if redis:
            redis.stop()
        for home in homes:
            shutil.rmtree(home, ignore_errors=True)


def git_head(root):
    result = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True
    ).stdout.strip()
    head = result.stdout.strip() or "not a git checkout"
    return f"{head} with uncommitted changes" if dirty else head


if __name__ == "__main__":
    main()
