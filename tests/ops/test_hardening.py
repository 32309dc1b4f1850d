"""Production hardening: check --deploy, login throttling, upload checks and rate limits."""

import io
import os
import subprocess
import sys
import time
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from lagesbild.core.ratelimit import over_limit, ratelimit
from lagesbild.core.uploads import UploadValidator, check_upload

from ..conftest import ROOT

PRODUCTION_ENV = {
    "LAGESBILD_ENV": "production",
    "LAGESBILD_SECRET_KEY": "k" * 20 + "a-long-random-production-secret-0123456789",
    "LAGESBILD_ALLOWED_HOSTS": "lagesbild.example.se",
    "LAGESBILD_BASE_URL": "https://lagesbild.example.se",
}


def run_check(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LAGESBILD_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION_ENV, LAGESBILD_HOME=str(tmp_path), **extra)
    return subprocess.run(
        [sys.executable, "-m", "lagesbild", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_about_a_weak_secret_key(tmp_path):
    result = run_check(tmp_path, LAGESBILD_SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


@pytest.mark.parametrize("address", ["", "lagesbild.example.se/"])
def test_check_deploy_requires_an_absolute_base_url_for_e_mail_links(tmp_path, address):
    result = run_check(tmp_path, LAGESBILD_BASE_URL=address)
    assert result.returncode != 0
    assert "lagesbild.E010" in result.stderr
    assert "LAGESBILD_BASE_URL: " in result.stderr and "https://" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(tmp_path, LAGESBILD_SECRET_KEY="")
    assert result.returncode != 0
    assert "LAGESBILD_SECRET_KEY must be set" in result.stderr


def test_login_locks_after_five_failures(client, make_user):
    make_user("coordinator", username="sara", password="pw-right-12345")
    statuses = [
        client.post("/konto/logga-in/", {"username": "sara", "password": "fel"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = client.post("/konto/logga-in/", {"username": "sara", "password": "pw-right-12345"})
    assert locked.status_code == 429
    assert not client.session.get("_auth_user_id")


def test_four_failures_do_not_lock(client, make_user):
    make_user("coordinator", username="sara", password="pw-right-12345")
    for _ in range(4):
        client.post("/konto/logga-in/", {"username": "sara", "password": "fel"})
    response = client.post("/konto/logga-in/", {"username": "sara", "password": "pw-right-12345"})
    assert response.status_code == 302


def test_guesses_at_one_account_from_many_addresses_lock_it(client, make_user):
    make_user("coordinator", username="sara", password="pw-right-12345")
    statuses = [
        client.post(
            "/konto/logga-in/", {"username": "sara", "password": "fel"}, REMOTE_ADDR=f"10.1.0.{i}"
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(
        "/konto/logga-in/",
        {"username": "sara", "password": "pw-right-12345"},
        REMOTE_ADDR="10.1.0.99",
    )
    assert locked.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in locked.content.decode()
    assert not client.session.get("_auth_user_id")


def test_one_address_guessing_many_accounts_is_locked(client, make_user):
    make_user("coordinator", username="sara", password="pw-right-12345")
    for name in ("anna", "bo", "cecilia", "david", "erik"):
        client.post(
            "/konto/logga-in/", {"username": name, "password": "fel"}, REMOTE_ADDR="10.2.0.1"
        )
    locked = client.post(
        "/konto/logga-in/",
        {"username": "sara", "password": "pw-right-12345"},
        REMOTE_ADDR="10.2.0.1",
    )
    assert locked.status_code == 429
    # Sara herself, from her own address, is not locked out by someone else's guessing.
    elsewhere = client.post(
        "/konto/logga-in/",
        {"username": "sara", "password": "pw-right-12345"},
        REMOTE_ADDR="10.3.0.1",
    )
    assert elsewhere.status_code == 302


# --- uploads ---------------------------------------------------------------------------------


def xlsx_bytes(extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_csv_in_utf8_and_windows_1252_passes():
    assert check_upload(upload("sfi.csv", "kommun;år;värde\n1082;2024;51\n".encode())) == "csv"
    assert check_upload(upload("SFI.CSV", "kommun;år\n1082;2024\n".encode("cp1252"))) == "csv"


def test_real_xlsx_from_openpyxl_passes(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["kommun", "år", "värde"])
    book.save(tmp_path / "a.xlsx")
    assert check_upload(upload("a.xlsx", (tmp_path / "a.xlsx").read_bytes())) == "xlsx"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("data.exe", b"MZ\x90\x00", "filtypen stöds inte"),
        ("data.csv", b"", "är tom"),
        ("data.csv", b"%PDF-1.7 ...", "ingen textfil"),
        ("data.csv", b"a;b\x00c\n", "ingen textfil"),
        ("data.csv", xlsx_bytes(), "ingen textfil"),
        ("data.xlsx", b"kommun;ar\n1082;2024\n", "ingen Excel-fil"),
        ("data.xlsx", b"PK\x03\x04 not really a zip", "trasig Excel-fil"),
        ("data.xlsx", xlsx_bytes({"xl/vbaProject.bin": b"macro"}), "makron"),
        ("data.xlsx", xlsx_bytes({"xl/big.xml": b"0" * 5_000_000}), "orimligt mycket"),
    ],
)
def test_bad_uploads_are_refused_with_the_file_name(name, data, message):
    with pytest.raises(ValidationError) as info:
        check_upload(upload(name, data))
    text = " ".join(info.value.messages)
    assert message in text and name in text


def test_upload_size_limit(settings):
    settings.LAGESBILD_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="för stor"):
        check_upload(upload("big.csv", b"a;b\n" * 50))
    assert check_upload(upload("ok.csv", b"a;b\n1;2\n"))


def test_validator_limits_kinds_and_leaves_the_file_at_its_start():
    file = upload("a.csv", b"a;b\n1;2\n")
    UploadValidator(kinds=("csv",))(file)
    assert file.read() == b"a;b\n1;2\n"
    with pytest.raises(ValidationError, match="tillåtna: .csv"):
        UploadValidator(kinds=("csv",))(upload("a.xlsx", xlsx_bytes()))


# --- rate limits -----------------------------------------------------------------------------


@pytest.fixture
def limits(settings, tmp_path, db):
    """Rate limits on, small, counted beside a file cache (so in the database)."""
    from lagesbild.core.ratelimit import counter_cache

    settings.CACHES = {
        **settings.CACHES,
        "ratelimit-test": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "ratelimit"),
        },
    }
    settings.RATELIMIT_CACHE = "ratelimit-test"
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"form": (3, 600), "api": (2, 60)}
    yield
    counter_cache().clear()


REDIS_URL = os.environ.get("LAGESBILD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one)")


def _hit_concurrently(scope, clients, per_client):
    """Every thread counts one request of one address at the same moment; how many passed."""
    import threading

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    barrier = threading.Barrier(clients)
    passed = []

    def hit():
        request = RequestFactory().post("/x", REMOTE_ADDR="10.9.9.9")
        request.user = AnonymousUser()
        try:
            barrier.wait()
            for _ in range(per_client):
                passed.append(over_limit(request, scope) == 0)
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return passed.count(True), len(passed)


# One worker process of the test below: Django on the SQLite file of LAGESBILD_HOME, waits for
# the "go" file, then counts five requests of one address against a limit of 7.
WORKER = """
import os, sys, time, django
django.setup()
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from lagesbild.core.ratelimit import over_limit
settings.RATELIMIT_ENABLED = True
settings.RATELIMITS = {"form": (7, 600)}
request = RequestFactory().post("/x", REMOTE_ADDR="10.9.9.9")
request.user = AnonymousUser()
over_limit(RequestFactory().post("/x", REMOTE_ADDR="10.0.0.%s" % sys.argv[2]), "form")  # warm up
open(sys.argv[1] + ".ready", "w").close()
while not os.path.exists(sys.argv[1] + "go"):
    time.sleep(0.002)
print(sum(over_limit(request, "form") == 0 for _ in range(5)))
"""


def test_concurrent_processes_counting_in_the_database_pass_exactly_the_limit(tmp_path):
    # The file cache's incr is get + set: requests at the same moment read the same count and
    # all passed (38 of 40 here). Counted in the database, exactly the limit passes, however
    # the eight worker processes interleave.
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    env.pop("DATABASE_URL", None)  # the SQLite file of LAGESBILD_HOME: one-host installations
    env.update(LAGESBILD_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="lagesbild.settings")
    python = [sys.executable, "-m", "lagesbild"]
    subprocess.run([*python, "migrate", "core"], env=env, cwd=ROOT, check=True, capture_output=True)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path / f"w{i}"), str(i)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    while len(list(tmp_path.glob("w*.ready"))) < len(workers):
        assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
        time.sleep(0.01)
    for i in range(len(workers)):
        (tmp_path / f"w{i}go").touch()
    results = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0] * len(workers), results
    assert sum(int(out) for out, _err in results) == 7


def test_concurrent_requests_in_redis_pass_exactly_the_limit(settings):
    redis_or_skip()
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit-redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A fresh prefix instead of clear(), which would empty the whole Redis database.
            "KEY_PREFIX": f"lagesbild-test-{uuid.uuid4().hex}",
        },
    }
    settings.RATELIMIT_CACHE = "ratelimit-redis"
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"form": (7, 600)}
    # No database here: a count in Redis never touches it (the test has no db access).
    assert _hit_concurrently("form", clients=8, per_client=5) == (7, 40)


def test_ratelimit_answers_429_after_the_limit_per_client(limits):
    rf = RequestFactory()

    @ratelimit("form")
    def view(request):
        return HttpResponse("ok")

    from django.contrib.auth.models import AnonymousUser

    def post(ip):
        request = rf.post("/x", REMOTE_ADDR=ip)
        request.user = AnonymousUser()
        return view(request)

    assert [post("10.0.0.1").status_code for _ in range(3)] == [200, 200, 200]
    blocked = post("10.0.0.1")
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 600
    assert post("10.0.0.2").status_code == 200  # another client has its own count
    get = rf.get("/x", REMOTE_ADDR="10.0.0.1")
    get.user = AnonymousUser()
    assert view(get).status_code == 200  # only POSTs count


def test_ratelimit_uses_the_proxy_header_when_configured(limits, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    from django.contrib.auth.models import AnonymousUser

    def request(real_ip):
        r = RequestFactory().get("/api", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=real_ip)
        r.user = AnonymousUser()
        return r

    assert [over_limit(request("192.0.2.1"), "api") for _ in range(2)] == [0, 0]
    assert over_limit(request("192.0.2.1"), "api") > 0
    assert over_limit(request("192.0.2.2"), "api") == 0


def test_ratelimit_is_off_when_disabled(limits, settings):
    settings.RATELIMIT_ENABLED = False
    r = RequestFactory().get("/api", REMOTE_ADDR="10.0.0.9")
    assert [over_limit(r, "api") for _ in range(5)] == [0] * 5


def test_collectstatic_in_production_includes_the_site_stylesheet(tmp_path):
    """Pages in production resolve static names through the manifest: a missing file is a 500."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LAGESBILD_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION_ENV, LAGESBILD_HOME=str(tmp_path))
    subprocess.run(
        [sys.executable, "-m", "lagesbild", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    import json

    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "lagesbild/site.css" in manifest["paths"]


def test_with_redis_unreachable_public_pages_answer_and_limits_still_count(
    client, settings, db, caplog
):
    """A Redis outage (LAGESBILD_CACHE_URL) must not take the public side down: pages are
    rendered uncached and the rate limit counts in the database meanwhile."""
    settings.CACHES = {
        **settings.CACHES,
        "shared": {  # nothing listens on port 1
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.RATELIMIT_CACHE = "shared"
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"form": (2, 600), "api": (2, 60)}
    from lagesbild.public.models import PublicSite

    PublicSite.objects.create(municipality="1082")
    assert client.get("/karlshamn/aktuellt/").status_code == 200
    assert "shared cache is unreachable" in caplog.text
    answers = [
        client.post("/karlshamn/foresla/evenemang/", {"title": ""}).status_code for _ in range(3)
    ]
    assert 429 not in answers[:2] and answers[2] == 429
    assert "rate limit form: the shared cache is unreachable" in caplog.text
