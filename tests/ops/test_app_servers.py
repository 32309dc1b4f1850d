"""Two app servers behind one database: what is done through one is seen through the other.

Two gunicorn instances, each with its own LAGESBILD_HOME (as on two hosts), share one
PostgreSQL database, one Redis (LAGESBILD_CACHE_URL) and one storage folder
(LAGESBILD_STORAGE_URL). Checked: a rate limit counted through both, a Lägesbild published
through one and read publicly through the other, a statistics file uploaded through one and
confirmed through the other, and a background job queued through one in the queue the worker
of the other reads. Skipped, saying why, where PostgreSQL or Redis is not on 127.0.0.1.
"""

import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import ExitStack

import httpx
import psycopg
import pytest
import redis

from tests.server import free_port

POSTGRES = "postgres://lagesbild:lagesbild@127.0.0.1:5432"
REDIS_DB = 13  # a database number of this test's own, flushed before and after
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
SECRET = "app-servers-" + "x" * 50  # the same key on both servers, as in production

# Karlshamn, Blekinge län, Riket and Mjölby (in Karlshamn's comparison group): an SCB download.
DOWNLOAD = """"Andel sysselsatta efter region, födelseregion, kön och år"

"region";"födelseregion";"kön";"2023";"2024"
"1082 Karlshamn";"utrikes födda";"män och kvinnor";55,5;57,0
"Blekinge län";"utrikes födda";"män och kvinnor";58,0;59,5
"Riket";"utrikes födda";"män och kvinnor";66,0;67,0
"0586 Mjölby";"utrikes födda";"män och kvinnor";60,0;61,0
"""


def _postgres_or_skip():
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error as e:
        pytest.skip(f"PostgreSQL as lagesbild on 127.0.0.1:5432 is not reachable ({e})")


def _redis_or_skip():
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as e:
        pytest.skip(f"Redis on 127.0.0.1:6379 is not reachable ({e})")
    return client


def _admin_sql(sql):
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _lagesbild(env, *args):
    result = subprocess.run(
        [sys.executable, "-m", "lagesbild", *args], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _gunicorn(env, port, log):
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "lagesbild.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait(url):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within 60 s")


def _csrf(client, url):
    """The CSRF token of the form at url (the cookie is kept by the client)."""
    client.get(url)
    return client.cookies["csrftoken"]


def _login(client, base):
    token = _csrf(client, f"{base}/konto/logga-in/")
    response = client.post(
        f"{base}/konto/logga-in/",
        data={
            "username": "samordnare",
            "password": "demo-samordnare",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302, response.text[:500]


def _propose(client, base, n):
    url = f"{base}/karlshamn/foresla/evenemang/"
    token = _csrf(client, url)
    data = {
        "csrfmiddlewaretoken": token,
        "municipality": "1082",
        "organisation": "Exempelföreningen (test)",
        "email": "test@example.invalid",
        "title": f"Förslag {n}",
        "description": "Exempel",
        "start": "2030-01-15T10:00",
        "end": "2030-01-15T12:00",
        "address": "Exempelgatan 1",
        "languages": "sv",
        "target_group": "everyone",
    }
    return client.post(url, data=data)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two gunicorn servers on one fresh PostgreSQL database and one Redis; yields their URLs
    and the environment of each."""
    _postgres_or_skip()
    cache = _redis_or_skip()
    cache.flushdb()
    tmp = tmp_path_factory.mktemp("app-servers")
    name = f"lagesbild_servers_{secrets.token_hex(4)}"
    _admin_sql(f"create database {name}")
    shared = tmp / "shared"
    outside = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    common = {
        **outside,
        "DATABASE_URL": f"{POSTGRES}/{name}",
        "LAGESBILD_CACHE_URL": REDIS_URL,
        "LAGESBILD_STORAGE_URL": f"file://{shared}",
        "LAGESBILD_SECRET_KEY": SECRET,
        "LAGESBILD_RATELIMIT": "1",
        "LAGESBILD_RATELIMIT_FORM": "3/3600",
        "LAGESBILD_DEBUG": "0",
    }
    envs = [{**common, "LAGESBILD_HOME": str(tmp / f"home-{s}")} for s in "ab"]
    with ExitStack() as stack:
        stack.callback(lambda: _admin_sql(f"drop database if exists {name} with (force)"))
        stack.callback(cache.flushdb)
        _lagesbild(envs[0], "demo", "--no-serve")
        urls = []
        for s, env in zip("ab", envs, strict=True):
            port = free_port()
            log = stack.enter_context((tmp / f"gunicorn-{s}.log").open("w"))
            proc = _gunicorn(env, port, log)
            stack.callback(proc.wait, 30)
            stack.callback(proc.terminate)
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait(url)
        yield urls, envs


@pytest.mark.slow
def test_a_rate_limit_counts_requests_through_both_servers(servers):
    (a, b), _ = servers
    with httpx.Client() as client:
        assert [_propose(client, url, n).status_code for n, url in enumerate([a, a, b])] == [
            302,
            302,
            302,
        ]
        refused = _propose(client, b, 4)
    assert refused.status_code == 429
    assert "Du har skickat många förslag på kort tid" in refused.text
    # Counted in the shared Redis, not in a server's own cache.
    keys = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).keys("*ratelimit:form*")
    assert keys, "no rate limit count in Redis"


@pytest.mark.slow
def test_a_report_published_through_one_server_is_public_through_the_other(servers):
    (a, b), _ = servers
    with httpx.Client() as coordinator:
        _login(coordinator, a)
        index = coordinator.get(f"{a}/lagesbild/").text
        slug, year = re.search(r'href="/lagesbild/([\w-]+)/(\d{4})/"', index).groups()
        url = f"{a}/lagesbild/{slug}/{year}/publicera/"
        number = re.search(r'name="number" value="(\d+)"', coordinator.get(url).text).group(1)
        token = coordinator.cookies["csrftoken"]
        published = coordinator.post(
            url, data={"csrfmiddlewaretoken": token, "confirm": "yes", "number": number}
        )
        assert published.status_code == 302, published.text[:500]
        path = published.headers["Location"]
        # The coordinator's session (in the database) is valid on the other server too.
        assert coordinator.get(f"{b}/lagesbild/").status_code == 200
    public = httpx.get(f"{b}{path}")  # anonymous, through the other server
    assert public.status_code == 200
    assert f"version {number}" in public.text


@pytest.mark.slow
def test_an_upload_through_one_server_is_confirmed_through_the_other(servers):
    (a, b), _ = servers
    with httpx.Client() as coordinator:
        _login(coordinator, a)
        url = f"{a}/statistik/importera/?kommun=1082"
        token = _csrf(coordinator, url)
        preview = coordinator.post(
            f"{a}/statistik/importera/",
            data={
                "csrfmiddlewaretoken": token,
                "kommun": "1082",
                "indicator": "sysselsattning-20-64",
                "age": "",
                "fixed": "",
            },
            files={"file": ("sysselsatta.csv", DOWNLOAD.encode("cp1252"), "text/csv")},
        )
        assert "Förhandsgranskning" in preview.text, preview.text[:2000]
        # The file waits in the shared storage: the other server finds and stores it.
        confirmed = coordinator.post(
            f"{b}/statistik/importera/bekrafta/",
            data={"csrfmiddlewaretoken": token, "kommun": "1082"},
            follow_redirects=True,
        )
    assert confirmed.status_code == 200
    assert "Ingen fil väntar" not in confirmed.text
    assert "ur filen sysselsatta.csv sparade för Karlshamn" in confirmed.text


@pytest.mark.slow
@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_a_job_queued_through_one_server_waits_in_the_queue_of_the_other(servers, broker):
    _, envs = servers
    a, b = ({**env, "LAGESBILD_Q_BROKER": broker} for env in envs)
    queue = "from django_q.brokers import get_broker; q = get_broker(); "
    _lagesbild(b, "shell", "-c", queue + "q.purge_queue()")
    enqueue = "from django_q.tasks import async_task; async_task('math.floor', 1.5)"
    _lagesbild(a, "shell", "-c", enqueue)
    seen = _lagesbild(b, "shell", "-c", queue + "print(type(q).__name__, q.queue_size())")
    assert seen.strip().splitlines()[-1].split() == [{"orm": "ORM", "redis": "Redis"}[broker], "1"]
    if broker == "redis":  # in the shared Redis itself, where any worker host reads it
        assert (
            redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).llen("django_q:lagesbild:q") == 1
        )
    _lagesbild(b, "shell", "-c", queue + "q.purge_queue()")


# The settings the several-servers mode reads, each refused with a message naming it.


def _settings(tmp_path, **env):
    """Import the settings with env; (exit code, what it printed)."""
    outside = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    code = (
        "from lagesbild import settings as s; "
        "print(s.CACHES['shared']['BACKEND'], s.STORAGES['default'], s.MEDIA_ROOT, "
        "sorted(k for k in s.Q_CLUSTER if k in ('orm', 'redis')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**outside, "LAGESBILD_HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout + result.stderr


def test_without_the_variables_one_host_keeps_its_own_cache_and_folder(tmp_path):
    code, out = _settings(tmp_path)
    assert code == 0
    assert out.startswith("django.core.cache.backends.filebased.FileBasedCache")
    assert f"{tmp_path}/media" in out and "['orm']" in out


def test_the_shared_cache_storage_and_broker_are_configured_from_urls(tmp_path):
    code, out = _settings(
        tmp_path,
        LAGESBILD_CACHE_URL="redis://10.0.0.5:6379/2",
        LAGESBILD_STORAGE_URL="file:///srv/shared/lagesbild",
        LAGESBILD_Q_BROKER="redis",
    )
    assert code == 0, out
    assert out.startswith("django.core.cache.backends.redis.RedisCache")
    assert "FileSystemStorage" in out and "/srv/shared/lagesbild ['redis']" in out
    code, out = _settings(
        tmp_path, LAGESBILD_STORAGE_URL="s3://lagesbild?endpoint_url=https://s3.example&location=a"
    )
    assert code == 0, out
    assert "'BACKEND': 'storages.backends.s3.S3Storage'" in out
    assert "'bucket_name': 'lagesbild'" in out and "'endpoint_url': 'https://s3.example'" in out


@pytest.mark.parametrize(
    "env, message",
    [
        ({"LAGESBILD_CACHE_URL": "memcached://x:11211"}, "LAGESBILD_CACHE_URL='memcached://x"),
        ({"LAGESBILD_STORAGE_URL": "/srv/shared"}, "LAGESBILD_STORAGE_URL='/srv/shared': use"),
        ({"LAGESBILD_STORAGE_URL": "s3://b?acl=public"}, "unknown option 'acl'"),
        ({"LAGESBILD_Q_BROKER": "sqs"}, "LAGESBILD_Q_BROKER='sqs': use orm or redis"),
        ({"LAGESBILD_Q_BROKER": "redis"}, "LAGESBILD_Q_BROKER=redis needs LAGESBILD_CACHE_URL"),
    ],
)
def test_a_wrong_setting_is_refused_naming_it(tmp_path, env, message):
    code, out = _settings(tmp_path, **env)
    assert code != 0 and "ImproperlyConfigured" in out and message in out
